"""Parsing Postman's Unix-socket and named-pipe address forms into endpoints.

Accepted forms (``SCHEME`` is http, https, ws, wss, grpc, ... and may be left out):

    SCHEME://unix:/abs/socket.sock:/request/path?q=1   Postman's form
    unix:/abs/socket.sock:/request/path                 Postman's form, scheme defaults to http
    unix:/abs/socket.sock                               grpcio's target form (request path "/")
    SCHEME://unix:\\\\.\\pipe\\name:/request/path           named pipe, backslashes (Postman on Windows)
    SCHEME://unix://./pipe/name:/request/path           named pipe, forward slashes
    npipe:////./pipe/name:/request/path                  Docker's named-pipe spelling

Unlike Postman's request library we split at the first ``:/`` after the socket path, so a
colon later in the request path or query (``?t=10:30``) is kept.
"""

from __future__ import annotations

import re

from wirecall.core.protocol import Endpoint

_PIPE = re.compile(r"^(?:\\\\\.\\pipe\\|//\./pipe/)(?P<name>[^:/\\]+)(?P<rest>.*)$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?:unix:|npipe:)(?P<rest>.*)$", re.IGNORECASE)
DEFAULT_HOST = "localhost"  # what curl --unix-socket sends as Host for http://localhost/...


def parse_address(url: str) -> tuple[str, str, str, str] | None:
    """``(kind, path, scheme, request_path)`` for a socket or pipe address, else None."""
    match = _PREFIX.match(url)
    if match is None:
        return None
    scheme = (match.group("scheme") or "http").lower()
    rest = match.group("rest")
    if rest.startswith("////"):  # npipe:////./pipe/name
        rest = rest[2:]
    pipe = _PIPE.match(rest)
    if pipe is not None:
        return "npipe", rf"\\.\pipe\{pipe.group('name')}", scheme, _request_path(pipe.group("rest"))
    if not rest.startswith("/"):
        return None
    socket_path, sep, request = rest.partition(":/")
    return "unix", socket_path, scheme, "/" + request if sep else "/"


def _request_path(rest: str) -> str:
    return rest[1:] if rest.startswith(":/") else (rest if rest.startswith("/") else "/")


def wire_url(scheme: str, request_path: str) -> str:
    """The URL that goes on the wire: the request path on a fixed host, as curl does."""
    return f"{scheme}://{DEFAULT_HOST}{request_path}"


def build_endpoint(url: str) -> Endpoint | None:
    parsed = parse_address(url)
    if parsed is None:
        return None
    kind, path, scheme, request_path = parsed
    from wirecall.plugins.ipc.transports import PipeEndpoint, UnixEndpoint

    cls = UnixEndpoint if kind == "unix" else PipeEndpoint
    return cls(kind=kind, path=path, url=wire_url(scheme, request_path))
