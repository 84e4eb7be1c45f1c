"""SOAP demo server: a spyne service published with SOAP 1.1 and 1.2 bindings.

    python -m wirecall.plugins.soap.demo_server [--port 0]

prints ``READY http://127.0.0.1:PORT`` once listening; the WSDLs are at
``/soap11?wsdl`` and ``/soap12?wsdl``. Operations: ``Add``, ``Divide`` (a Fault on division
by zero), ``Greet`` (a complex type), ``Split`` (a list), ``EchoHeader`` (an HTTP request header's value), ``Whoami`` (checks a WS-Security
UsernameToken, text or digest, for user ``ada`` / password ``lovelace``). spyne is a test
dependency, imported only in this server's own process.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import socketserver
import sys
import warnings
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST_TYPE = "#PasswordDigest"
USERS = {"ada": "lovelace"}


def build_app():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from spyne import (
            Application,
            ComplexModel,
            Fault,
            Integer,
            Iterable,
            ServiceBase,
            Unicode,
            rpc,
        )
        from spyne.protocol.soap import Soap11, Soap12
        from spyne.server.wsgi import WsgiApplication
        from spyne.util.wsgi_wrapper import WsgiMounter

    class Person(ComplexModel):
        __namespace__ = "urn:wirecall:demo"
        name = Unicode(min_occurs=1)
        age = Integer

    class DemoService(ServiceBase):
        @rpc(Integer, Integer, _returns=Integer)
        def Add(ctx, a, b):  # noqa: N802,N805 - SOAP operation names
            return a + b

        @rpc(Integer, Integer, _returns=Integer)
        def Divide(ctx, a, b):  # noqa: N802,N805
            if b == 0:
                raise Fault(faultcode="Client.DivideByZero", faultstring="cannot divide by zero", detail={"dividend": str(a)})
            return a // b

        @rpc(Person, _returns=Unicode)
        def Greet(ctx, person):  # noqa: N802,N805
            return f"Hello, {person.name} ({person.age})"

        @rpc(Unicode, _returns=Iterable(Unicode))
        def Split(ctx, text):  # noqa: N802,N805
            yield from (text or "").split()

        @rpc(Unicode, _returns=Unicode)
        def EchoHeader(ctx, name):  # noqa: N802,N805
            return ctx.transport.req_env.get("HTTP_" + name.upper().replace("-", "_"), "")

        @rpc(_returns=Unicode)
        def Whoami(ctx):  # noqa: N802,N805
            return _check_username_token(ctx.in_header_doc, Fault)

    def app(protocol):  # type: ignore[no-untyped-def]
        return WsgiApplication(
            Application([DemoService], tns="urn:wirecall:demo", in_protocol=protocol(validator="lxml"), out_protocol=protocol())
        )

    return WsgiMounter({"soap11": app(Soap11), "soap12": app(Soap12)})


def _check_username_token(headers, fault_class):  # type: ignore[no-untyped-def]
    """Verify a WS-Security UsernameToken (PasswordText or PasswordDigest)."""
    tokens = (t for h in headers or [] for t in h.iter(f"{{{WSSE_NS}}}UsernameToken"))
    token = next(tokens, None)
    if token is None:
        raise fault_class(faultcode="Client.Security", faultstring="missing WS-Security UsernameToken")
    username = token.findtext(f"{{{WSSE_NS}}}Username")
    password = token.find(f"{{{WSSE_NS}}}Password")
    expected = USERS.get(username or "")
    if expected is None or password is None:
        raise fault_class(faultcode="Client.Security", faultstring="unknown user")
    if (password.get("Type") or "").endswith(DIGEST_TYPE):
        nonce = base64.b64decode(token.findtext(f"{{{WSSE_NS}}}Nonce") or "")
        created = (token.findtext(f"{{{WSU_NS}}}Created") or "").encode()
        digest = base64.b64encode(hashlib.sha1(nonce + created + expected.encode()).digest()).decode()
        ok = password.text == digest
    else:
        ok = password.text == expected
    if not ok:
        raise fault_class(faultcode="Client.Security", faultstring="wrong password")
    return username


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def serve_unix(path: str) -> None:
    """The same WSGI app on a Unix socket, through uvicorn's WSGI interface."""
    import asyncio
    import os

    import uvicorn

    if os.path.exists(path):
        os.unlink(path)  # left behind by a killed server
    server = uvicorn.Server(uvicorn.Config(build_app(), uds=path, interface="wsgi", log_level="warning", lifespan="off"))

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        print(f"READY http://unix:{path}:", flush=True)
        await task

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--uds", metavar="PATH", help="listen on a Unix socket instead of TCP")
    args = parser.parse_args()
    if args.uds:
        serve_unix(args.uds)
        return
    httpd = make_server("127.0.0.1", args.port, build_app(), server_class=_ThreadingServer, handler_class=_QuietHandler)
    print(f"READY http://127.0.0.1:{httpd.server_port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        sys.exit(0)


if __name__ == "__main__":
    main()
