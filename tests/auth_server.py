"""A test server that checks credentials the way real servers do: ``python -m tests.auth_server``.

Prints ``READY http://127.0.0.1:PORT``. Its verifiers are written from the specifications,
independently of wirecall's signers, and they read the request as it arrived on the wire:

/echo                 method, raw path, raw query, headers and body as JSON
/basic                Basic alice:wonderland
/digest/{algorithm}   RFC 7616 challenge (MD5, MD5-sess, SHA-256; qop=auth); nonce counts must rise
/oauth1               RFC 5849 HMAC-SHA1, header or query or form body (consumer ck/cs, token tk/ts)
/aws                  SigV4 (AKIDEXAMPLE), header or query
/hawk                 Hawk header MAC (+ payload hash when sent), nonces used once
/oauth2/authorize     auth code + PKCE: redirects to redirect_uri with ?code&state
/oauth2/token         client_credentials, password, authorization_code (PKCE S256), refresh_token
/oauth2/revoke        POST token=... (refresh=all): refuse that token (and every refresh token)
/oauth2/resource      Bearer header or ?access_token=
/ntlm                 NTLM (pyspnego acceptor), user CORP\\alice:wonderland, per connection
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
import signal
import socket
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

USER, PASSWORD = "alice", "wonderland"
CLIENT_ID, CLIENT_SECRET = "cli", "s3cret"
OAUTH1 = {"ck": "cs", "tk": "ts"}  # consumer key -> secret, token -> secret
AWS_KEYS = {"AKIDEXAMPLE": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
HAWK_KEYS = {"dh37fgj492je": "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn"}
ANY = ["GET", "POST", "PUT", "DELETE", "PATCH"]

state: dict[str, Any] = {
    "nonces": {},
    "codes": {},
    "tokens": {},
    "refresh": {},
    "hawk_nonces": set(),
    "ntlm": {},
}


def _denied(reason: str, challenge: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    return JSONResponse({"error": reason}, status_code=401, headers=headers)


def _wire_url(request: Request) -> tuple[str, str, str]:
    """(host header, raw path, raw query) exactly as received."""
    return (
        request.headers.get("host", ""),
        request.scope["raw_path"].decode(),
        request.scope["query_string"].decode(),
    )


def _params(header: str) -> dict[str, str]:
    return {
        k.lower(): a if a or not b else b
        for k, a, b in re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))', header)
    }


async def echo(request: Request) -> JSONResponse:
    _, path, query = _wire_url(request)
    return JSONResponse(
        {
            "method": request.method,
            "path": path,
            "query": query,
            "headers": dict(request.headers),
            "body": (await request.body()).decode(),
        }
    )


async def basic(request: Request) -> JSONResponse:
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    if request.headers.get("authorization") != expected:
        return _denied("bad credentials", 'Basic realm="wirecall"')
    return JSONResponse({"user": USER})


async def digest(request: Request) -> JSONResponse:
    algorithm = request.path_params["algorithm"]
    name = {"MD5": "md5", "SHA-256": "sha256"}[algorithm.removesuffix("-sess")]

    def h(text: str) -> str:
        return hashlib.new(name, text.encode()).hexdigest()

    auth = request.headers.get("authorization", "")
    fresh = secrets.token_hex(16)
    challenge = f'Digest realm="wirecall", qop="auth", algorithm={algorithm}, nonce="{fresh}", opaque="op4que"'
    if not auth.startswith("Digest "):
        state["nonces"][fresh] = 0
        return _denied("no credentials", challenge)
    p = _params(auth[7:])
    last = state["nonces"].get(p.get("nonce", ""))
    nc = int(p.get("nc", "0"), 16)
    if last is None or nc <= last or p.get("opaque") != "op4que" or p.get("username") != USER:
        state["nonces"][fresh] = 0
        return _denied(f"bad nonce or count (last {last}, got {nc})", challenge)
    _, path, query = _wire_url(request)
    if p.get("uri") != path + (f"?{query}" if query else ""):
        return _denied("uri does not match the request")
    ha1 = h(f"{USER}:wirecall:{PASSWORD}")
    if algorithm.endswith("-sess"):
        ha1 = h(f"{ha1}:{p['nonce']}:{p['cnonce']}")
    ha2 = h(f"{request.method}:{p['uri']}")
    expected = h(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:auth:{ha2}")
    if not hmac.compare_digest(expected, p.get("response", "")):
        return _denied("bad response hash", challenge)
    state["nonces"][p["nonce"]] = nc
    return JSONResponse({"user": USER, "nc": nc, "nonce": p["nonce"]})


def _pct(text: str) -> str:
    return quote(text, safe="~-._")


async def oauth1(request: Request) -> JSONResponse:
    host, path, query = _wire_url(request)
    pairs = parse_qsl(query, keep_blank_values=True)
    body = (await request.body()).decode()
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        pairs += parse_qsl(body, keep_blank_values=True)
    auth = request.headers.get("authorization", "")
    if auth.startswith("OAuth "):
        pairs += [
            (k, v)
            for k, v in ((k, unquote(v)) for k, v in _params(auth[6:]).items())
            if k != "realm"
        ]
    oauth = dict(p for p in pairs if p[0].startswith("oauth_"))
    signature = oauth.get("oauth_signature", "")
    signed = sorted((_pct(k), _pct(v)) for k, v in pairs if k != "oauth_signature")
    base = "&".join(
        [
            request.method,
            _pct(f"http://{host}{path}"),
            _pct("&".join(f"{k}={v}" for k, v in signed)),
        ]
    )
    consumer_secret = OAUTH1.get(oauth.get("oauth_consumer_key", ""))
    token_secret = OAUTH1.get(oauth.get("oauth_token", ""), "")
    if consumer_secret is None or oauth.get("oauth_signature_method") != "HMAC-SHA1":
        return _denied("unknown consumer or method")
    key = f"{_pct(consumer_secret)}&{_pct(token_secret)}".encode()
    expected = base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        return _denied(f"bad signature for base string {base}")
    return JSONResponse(
        {"consumer": oauth["oauth_consumer_key"], "params": sorted(k for k, _ in pairs)}
    )


async def aws(request: Request) -> JSONResponse:
    _, path, query = _wire_url(request)
    body = await request.body()
    qs = parse_qsl(query, keep_blank_values=True)
    auth = request.headers.get("authorization", "")
    if auth.startswith("AWS4-HMAC-SHA256 "):
        fields = dict(part.strip().split("=", 1) for part in auth[17:].split(","))
        credential, signed_headers, signature = (
            fields["Credential"],
            fields["SignedHeaders"],
            fields["Signature"],
        )
        stamp = request.headers.get("x-amz-date", "")
        payload = hashlib.sha256(body).hexdigest()
    else:
        q = dict(qs)
        credential, signed_headers = q.get("X-Amz-Credential", ""), q.get("X-Amz-SignedHeaders", "")
        signature, stamp = q.get("X-Amz-Signature", ""), q.get("X-Amz-Date", "")
        qs = [p for p in qs if p[0] != "X-Amz-Signature"]
        payload = hashlib.sha256(body).hexdigest()
    access, date, region, service, _ = credential.split("/")
    names = signed_headers.split(";")
    canonical = "\n".join(
        [
            request.method,
            quote(path, safe="/~"),
            "&".join(f"{k}={v}" for k, v in sorted((_pct(k), _pct(v)) for k, v in qs)),
            "".join(f"{n}:{request.headers.get(n, '').strip()}\n" for n in names),
            signed_headers,
            payload,
        ]
    )
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = (
        f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    )
    key = ("AWS4" + AWS_KEYS.get(access, "")).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if access not in AWS_KEYS or not hmac.compare_digest(expected, signature):
        return _denied("signature does not match")
    return JSONResponse(
        {
            "access_key": access,
            "signed_headers": names,
            "session_token": request.headers.get("x-amz-security-token")
            or dict(qs).get("X-Amz-Security-Token"),
        }
    )


async def hawk(request: Request) -> JSONResponse:
    host, path, query = _wire_url(request)
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Hawk "):
        return _denied("no hawk header", "Hawk")
    p = _params(auth[5:])
    key = HAWK_KEYS.get(p.get("id", ""))
    if key is None or (p.get("nonce"), p.get("ts")) in state["hawk_nonces"]:
        return _denied("unknown id or replayed nonce")
    body = await request.body()
    if "hash" in p:
        mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
        payload = b"hawk.1.payload\n" + mime.encode() + b"\n" + body + b"\n"
        if base64.b64encode(hashlib.sha256(payload).digest()).decode() != p["hash"]:
            return _denied("payload hash mismatch")
    hostname, _, port = host.partition(":")
    normalized = (
        "\n".join(
            [
                "hawk.1.header",
                p["ts"],
                p["nonce"],
                request.method,
                path + (f"?{query}" if query else ""),
                hostname,
                port or "80",
                p.get("hash", ""),
                p.get("ext", ""),
            ]
        )
        + "\n"
    )
    if "app" in p:
        normalized += f"{p['app']}\n{p.get('dlg', '')}\n"
    mac = base64.b64encode(
        hmac.new(key.encode(), normalized.encode(), hashlib.sha256).digest()
    ).decode()
    if not hmac.compare_digest(mac, p.get("mac", "")):
        return _denied("bad mac")
    state["hawk_nonces"].add((p["nonce"], p["ts"]))
    return JSONResponse({"id": p["id"], "ext": p.get("ext"), "hash_checked": "hash" in p})


async def authorize(request: Request) -> Response:
    q = request.query_params
    if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
        return JSONResponse({"error": "unauthorized_client"}, status_code=400)
    code = secrets.token_urlsafe(12)
    state["codes"][code] = (
        q.get("redirect_uri"),
        q.get("code_challenge"),
        q.get("code_challenge_method"),
    )
    sep = "&" if "?" in q["redirect_uri"] else "?"
    return RedirectResponse(
        f"{q['redirect_uri']}{sep}code={code}&state={q.get('state', '')}", status_code=302
    )


def _issue(grant: str, expires_in: int) -> JSONResponse:
    token, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    state["tokens"][token] = (time.time() + expires_in, grant)
    state["refresh"][refresh] = grant
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "refresh_token": refresh,
        }
    )


def _client_ok(request: Request, form: dict[str, str]) -> bool:
    auth = request.headers.get("authorization", "")
    if auth.startswith("Basic "):
        client, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
    else:
        client, secret = form.get("client_id", ""), form.get("client_secret", "")
    return client == CLIENT_ID and (
        secret == CLIENT_SECRET or form.get("code_verifier") is not None
    )


async def token(request: Request) -> JSONResponse:
    form = dict(await request.form())
    expires_in = int(request.query_params.get("expires_in", "3600"))

    def bad(why: str) -> JSONResponse:
        return JSONResponse({"error": "invalid_grant", "error_description": why}, status_code=400)

    if not _client_ok(request, form):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    grant = form.get("grant_type")
    if grant == "client_credentials":
        return _issue(grant, expires_in)
    if grant == "password":
        if (form.get("username"), form.get("password")) != (USER, PASSWORD):
            return bad("wrong username or password")
        return _issue(grant, expires_in)
    if grant == "authorization_code":
        redirect, challenge, method = state["codes"].pop(form.get("code", ""), (None, None, None))
        verifier = form.get("code_verifier", "")
        computed = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if redirect is None or redirect != form.get("redirect_uri"):
            return bad("unknown code or redirect_uri mismatch")
        if method != "S256" or computed != challenge:
            return bad("PKCE verification failed")
        return _issue(grant, expires_in)
    if grant == "refresh_token":
        if state["refresh"].pop(form.get("refresh_token", ""), None) is None:
            return bad("refresh token is invalid or was used")
        return _issue(grant, expires_in)
    return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)


async def revoke(request: Request) -> JSONResponse:
    form = dict(await request.form())
    state["tokens"].pop(form.get("token", ""), None)
    if form.get("refresh") == "all":
        state["refresh"].clear()
    return JSONResponse({"revoked": True})


async def resource(request: Request) -> JSONResponse:
    auth = request.headers.get("authorization", "")
    presented = (
        auth[7:] if auth.startswith("Bearer ") else request.query_params.get("access_token", "")
    )
    expires, grant = state["tokens"].get(presented, (0.0, None))
    if grant is None or time.time() >= expires:
        return _denied("invalid or expired token", 'Bearer error="invalid_token"')
    return JSONResponse({"grant": grant})


async def ntlm(request: Request) -> JSONResponse:
    """NTLM is per connection: the acceptor's state is kept by the client's address and port."""
    import spnego

    header = request.headers.get("authorization", "")
    if not header.upper().startswith("NTLM "):
        return _denied("NTLM required", "NTLM")
    connection = request.client
    context = state["ntlm"].pop(connection, None) or spnego.server(protocol="ntlm")
    try:
        answer = context.step(base64.b64decode(header[5:].strip()))
    except Exception as exc:  # wrong password and malformed messages alike
        return _denied(f"NTLM refused: {type(exc).__name__}", "NTLM")
    if not context.complete:
        state["ntlm"][connection] = context
        return _denied("NTLM challenge", "NTLM " + base64.b64encode(answer).decode())
    return JSONResponse({"user": context.client_principal})


def make_app(address: list[str]) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        print(f"READY {address[0]}", flush=True)
        yield

    routes = [
        Route("/echo", echo, methods=ANY),
        Route("/basic", basic, methods=ANY),
        Route("/digest/{algorithm}", digest, methods=ANY),
        Route("/oauth1", oauth1, methods=ANY),
        Route("/aws", aws, methods=ANY),
        Route("/aws/{rest:path}", aws, methods=ANY),
        Route("/hawk", hawk, methods=ANY),
        Route("/oauth2/authorize", authorize),
        Route("/oauth2/token", token, methods=["POST"]),
        Route("/oauth2/revoke", revoke, methods=["POST"]),
        Route("/oauth2/resource", resource, methods=ANY),
        Route("/ntlm", ntlm, methods=ANY),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def main() -> None:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    address = [f"http://127.0.0.1:{sock.getsockname()[1]}"]

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Any:
            yield

    server = Server(
        uvicorn.Config(
            make_app(address), log_level="warning", lifespan="on", timeout_graceful_shutdown=1
        )
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: setattr(server, "should_exit", True))
    await server.serve(sockets=[sock])
    sock.close()


def ntlm_users() -> str:
    """pyspnego's acceptor reads its accounts from the file NTLM_USER_FILE names."""
    import tempfile

    fd, path = tempfile.mkstemp(prefix="wirecall-ntlm-", suffix=".txt")
    with os.fdopen(fd, "w") as handle:
        handle.write(f"CORP:{USER}:{PASSWORD}\n")
    return path


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    os.environ["NTLM_USER_FILE"] = ntlm_users()
    asyncio.run(main())
