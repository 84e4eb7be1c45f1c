"""The HTTP echo server behind ``wirecall demo`` and the tests (httpbin/postman-echo style).

    python -m wirecall.plugins.http.demo_server [--tls] [--http2] [--uds PATH] [--port N]

Prints one line once it accepts connections: ``READY http://127.0.0.1:PORT``,
``READY https://127.0.0.1:PORT ca=/tmp/.../ca.pem`` with ``--tls`` (a throwaway CA made
with trustme; clients trust that file), or ``READY unix:PATH`` with ``--uds``.
uvicorn serves HTTP/1.1; ``--http2`` serves through hypercorn instead (HTTP/2 is negotiated
by ALPN over TLS, so pair it with ``--tls``; cleartext takes HTTP/2 prior knowledge).

Only this module imports starlette, uvicorn, hypercorn and trustme (test/demo extras).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gzip
import json
import os
import signal
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

MAX_DELAY_S = 60.0
MAX_BYTES = 10 * 1024 * 1024
SAMPLE_JSON = {
    "slideshow": {
        "author": "Yours Truly",
        "title": "Sample Slide Show",
        "slides": [
            {"title": "Wake up to WonderWidgets!", "type": "all"},
            {"title": "Overview", "type": "all", "items": ["Why WonderWidgets", "Who buys"]},
        ],
    }
}
SAMPLE_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<slideshow title="Sample Slide Show">'
    '<slide type="all"><title>Overview</title></slide></slideshow>\n'
)
SAMPLE_HTML = "<!DOCTYPE html>\n<html><body><h1>wirecall echo</h1></body></html>\n"


# -- what the echo reports -------------------------------------------------------------------


def _text_or_data_uri(data: bytes, content_type: str = "application/octet-stream") -> str:
    """UTF-8 text as is, anything else as a base64 data URI (as postman-echo does)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _multi(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Pairs -> dict; a repeated key gets a list of its values, in order."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out[key] = [*out[key], value] if isinstance(out[key], list) else [out[key], value]
        else:
            out[key] = value
    return out


def _headers(request: Request) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in request.headers.items():
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


async def _form(request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """Form fields and uploaded files, or None when the body is no form."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return None
    fields: list[tuple[str, Any]] = []
    files: list[dict[str, Any]] = []
    async with request.form(max_part_size=MAX_BYTES) as form:
        for name, value in form.multi_items():
            if isinstance(value, str):
                fields.append((name, value))
                continue
            data, ctype = await value.read(), value.content_type or "application/octet-stream"
            part = {"name": name, "filename": value.filename, "content_type": ctype}
            files.append({**part, "content": _text_or_data_uri(data, ctype)})
    return _multi(fields), files


async def echo_of(request: Request) -> dict[str, Any]:
    """Everything the server received, in a fixed key order."""
    body = await request.body()
    form = await _form(request)
    json_body = None
    if "json" in request.headers.get("content-type", ""):
        with contextlib.suppress(ValueError):
            json_body = json.loads(body)
    client = request.client
    return {
        "method": request.method,
        "url": str(request.url),
        "path": request.url.path,
        "http_version": request.scope.get("http_version"),
        "args": _multi(request.query_params.multi_items()),
        "headers": _headers(request),
        "data": "" if form is not None else _text_or_data_uri(body),
        "form": form[0] if form else {},
        "files": form[1] if form else [],
        "json": json_body,
        "client": {"host": client.host, "port": client.port} if client else None,
    }


# -- endpoints ---------------------------------------------------------------------------------


async def echo(request: Request) -> Response:
    return JSONResponse(await echo_of(request))


async def status(request: Request) -> Response:
    code = request.path_params["code"]
    if not 200 <= code <= 599:
        return JSONResponse({"error": "status must be 200..599"}, status_code=400)
    if code in (204, 304):
        return Response(status_code=code)
    return JSONResponse({"status": code}, status_code=code)


async def delay(request: Request) -> Response:
    try:
        seconds = min(float(request.path_params["seconds"]), MAX_DELAY_S)
    except ValueError:
        return JSONResponse({"error": "delay must be a number of seconds"}, status_code=400)
    await asyncio.sleep(max(seconds, 0.0))
    return JSONResponse(await echo_of(request))


async def redirect(request: Request) -> Response:
    n = request.path_params["n"]
    return RedirectResponse("/get" if n <= 1 else f"/redirect/{n - 1}", status_code=302)


async def redirect_to(request: Request) -> Response:
    target = request.query_params.get("url")
    if not target:
        return JSONResponse({"error": "missing ?url="}, status_code=400)
    code = int(request.query_params.get("status_code", "302"))
    return RedirectResponse(target, status_code=code)


async def cookies(request: Request) -> Response:
    return JSONResponse({"cookies": dict(request.cookies)})


async def cookies_set(request: Request) -> Response:
    response = RedirectResponse("/cookies", status_code=302)
    for key, value in request.query_params.multi_items():
        response.set_cookie(key, value, path="/")
    return response


async def cookies_delete(request: Request) -> Response:
    response = RedirectResponse("/cookies", status_code=302)
    for key in request.query_params:
        response.delete_cookie(key, path="/")
    return response


async def basic_auth(request: Request) -> Response:
    user, passwd = request.path_params["user"], request.path_params["passwd"]
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    given = ""
    if scheme.lower() == "basic":
        with contextlib.suppress(ValueError):
            given = base64.b64decode(encoded).decode()
    if given == f"{user}:{passwd}":
        return JSONResponse({"authenticated": True, "user": user})
    challenge = {"WWW-Authenticate": 'Basic realm="Fake Realm"'}
    return JSONResponse({"authenticated": False}, status_code=401, headers=challenge)


async def bearer(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return JSONResponse({"authenticated": True, "token": token})
    challenge = {"WWW-Authenticate": "Bearer"}
    return JSONResponse({"authenticated": False}, status_code=401, headers=challenge)


async def gzipped(request: Request) -> Response:
    payload = {"gzipped": True, **await echo_of(request)}
    data = gzip.compress(json.dumps(payload).encode(), mtime=0)
    headers = {"Content-Encoding": "gzip"}
    return Response(data, media_type="application/json", headers=headers)


async def headers(request: Request) -> Response:
    return JSONResponse({"headers": _headers(request)})


async def bytes_(request: Request) -> Response:
    n = min(request.path_params["n"], MAX_BYTES)
    return Response(bytes(i % 256 for i in range(n)), media_type="application/octet-stream")


async def response_headers(request: Request) -> Response:
    pairs = request.query_params.multi_items()
    response = JSONResponse(_multi(pairs))
    for key, value in pairs:
        response.headers.append(key, value)
    return response


def _fixed(body: str | bytes, media_type: str) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return Response(body, media_type=media_type)

    return endpoint


def routes() -> list[Route]:
    every = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return [
        *(Route(f"/{m.lower()}", echo, methods=[m]) for m in every[:1] + every[2:6]),
        Route("/anything", echo, methods=every),
        Route("/anything/{rest:path}", echo, methods=every),
        Route("/status/{code:int}", status, methods=every),
        Route("/delay/{seconds}", delay, methods=every),
        Route("/redirect/{n:int}", redirect),
        Route("/redirect-to", redirect_to, methods=every),
        Route("/cookies", cookies),
        Route("/cookies/set", cookies_set),
        Route("/cookies/delete", cookies_delete),
        Route("/basic-auth/{user}/{passwd}", basic_auth),
        Route("/bearer", bearer),
        Route("/gzip", gzipped),
        Route("/headers", headers),
        Route("/json", _fixed(json.dumps(SAMPLE_JSON, indent=2), "application/json")),
        Route("/xml", _fixed(SAMPLE_XML, "application/xml")),
        Route("/html", _fixed(SAMPLE_HTML, "text/html")),
        Route("/bytes/{n:int}", bytes_),
        Route("/response-headers", response_headers, methods=every),
    ]


class AbsoluteForm:
    """Serve ``GET http://host/path`` (what clients send to a proxy) as ``GET /path``,
    so the echo server can stand in for a forward proxy in tests."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(("http://", "https://")):
            path = urlsplit(scope["path"]).path or "/"
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


def make_app(on_startup: Callable[[], None] = lambda: None) -> Starlette:
    """The echo app; ``on_startup`` runs once the server has loaded it (prints READY)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        on_startup()
        yield

    return Starlette(routes=routes(), lifespan=lifespan, middleware=[Middleware(AbsoluteForm)])


# -- serving -----------------------------------------------------------------------------------


def _listen(args: argparse.Namespace) -> socket.socket:
    """Bind before the server starts: port 0 without a race, and READY is true once printed."""
    if args.uds:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(args.uds)  # a stale socket from a killed server
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(args.uds)
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit it: responses written in two parts (head, body) would
        # otherwise wait ~40 ms for the client's delayed ACK on a kept-alive connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((args.host, args.port))
    sock.listen(128)
    return sock


def _make_certs(directory: str) -> tuple[str, str, str]:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost: (ca, cert, key)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost", "::1")
    paths = [os.path.join(directory, name) for name in ("ca.pem", "cert.pem", "key.pem")]
    ca.cert_pem.write_to_path(paths[0])
    cert.cert_chain_pems[0].write_to_path(paths[1])
    cert.private_key_pem.write_to_path(paths[2])
    return paths[0], paths[1], paths[2]


async def _serve_uvicorn(app: Starlette, sock: socket.socket, tls: tuple[str, str] | None,
                         stop: asyncio.Event) -> None:
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Any:  # we handle SIGTERM ourselves, to clean up after
            yield

    certfile, keyfile = tls or (None, None)
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", ssl_certfile=certfile, ssl_keyfile=keyfile,
        timeout_graceful_shutdown=1,
    )
    server = Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    server.should_exit = True
    await serving


async def _serve_hypercorn(app: Starlette, sock: socket.socket, tls: tuple[str, str] | None,
                           stop: asyncio.Event) -> None:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the listening socket from here
    config.graceful_timeout = 1
    config.loglevel = "WARNING"
    if tls:
        config.certfile, config.keyfile = tls
    await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]


async def serve(args: argparse.Namespace, workdir: str) -> None:
    sock = _listen(args)
    tls = None
    if args.uds:
        address = f"unix:{args.uds}"
    else:
        address = f"{'https' if args.tls else 'http'}://{args.host}:{sock.getsockname()[1]}"
    if args.tls:
        ca, cert, key = _make_certs(workdir)
        tls = (cert, key)
        address += f" ca={ca}"
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    app = make_app(lambda: print(f"READY {address}", flush=True))
    run = _serve_hypercorn if args.http2 else _serve_uvicorn
    try:
        await run(app, sock, tls, stop)
    finally:
        if sock.fileno() != -1:
            sock.close()
        if args.uds:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(args.uds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="wirecall-http-echo", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--uds", metavar="PATH", help="listen on a Unix socket instead of TCP")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a throwaway CA")
    parser.add_argument("--http2", action="store_true", help="serve with hypercorn (HTTP/2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wirecall-http-") as workdir:
        asyncio.run(serve(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
