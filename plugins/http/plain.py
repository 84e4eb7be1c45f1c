"""The plain path: a simple ``http://`` request sent without httpx's client layer.

For every request httpx's client parses and normalises the URL, merges header multi-dicts
three times, runs its auth and redirect loops and reads the body through a chain of async
iterators: ~0.1 ms here, as much as the rest of a run's request without scripts. For a
request where none of that can change anything, :func:`plain_request` builds the head httpx
would build (the same header order, Host and Content-Length rules) and the run's
PlainTransport sends it. Plain means: an ``http://`` URL made only of characters httpx
leaves as they are (no percent escape, no dot segment, no default port, a lower-case name or
an IPv4 address), ASCII headers, a body of bytes, and an empty cookie jar.

The response is the run's at once unless httpx has something left to do with it: a redirect
to follow, cookies to store, a body to decode. Then the transport answers httpx's own
request with it (PlainTransport.replay) and httpx goes on as for any response; the request
went out once. tests/plugins/http/test_plain_path.py holds both paths to the same bytes on
the wire and the same records.
"""

from __future__ import annotations

import re

import httpx
from wirecall.core.record import Record
from wirecall.core.records import Response
from wirecall.plugins.http.record import http_record
from wirecall.plugins.http.transport import Origin, PlainTransport, Timeouts, framed
from wirecall.plugins.http.transport import response_extensions as _extensions
from wirecall.plugins.http.wire import RequestHead, ResponseHead, request_head

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_HOST = rf"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*|(?:{_OCTET}\.){{3}}{_OCTET}"  # a name, or IPv4
_PCHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@/"  # unreserved, sub-delims, ":@/": httpx quotes none
PLAIN_URL = re.compile(rf"http://({_HOST})(?::([1-9][0-9]{{0,4}}))?(/[{_PCHARS}]*(?:\?[{_PCHARS}?]+)?)")
BODY_METHODS = ("POST", "PUT", "PATCH")  # httpx sends "Content-Length: 0" without a body
REDIRECTS = (301, 302, 303, 307, 308)
# response headers that leave work to httpx: cookies to store, a body to decode
_FOR_HTTPX = (b"set-cookie", b"set-cookie2", b"content-encoding")


class PlainRequest(Record):
    """A request on the plain path: its URL, where it goes, and what goes on the wire."""

    transport: PlainTransport
    method: str
    url: str
    origin: Origin
    head: RequestHead
    body: bytes  # framed for the wire
    headers: list[tuple[bytes, bytes]]  # as sent, in order

    async def send(self, timeouts: Timeouts) -> PlainAnswer:
        try:
            head, body = await self.transport.send_plain(self.origin, self.head, self.body, timeouts)
        except httpx.RequestError as exc:  # as httpx's client: the error names its request
            exc.request = httpx.Request(self.method, self.url)
            raise
        return PlainAnswer(self, head, body)


class PlainAnswer(Record):
    """A plain request's response head and raw body."""

    request: PlainRequest
    head: ResponseHead
    body: bytes

    def finished(self, follow_redirects: bool) -> bool:
        """Whether httpx would do nothing more with it: no cookies to store, nothing to
        decode, no redirect to follow."""
        location = False
        for name, _ in self.head.headers:
            lower = name.lower()
            if lower in _FOR_HTTPX:
                return False
            location = location or lower == b"location"
        return not (follow_redirects and location and self.head.status in REDIRECTS)

    def record(self, elapsed_ms: float) -> Response:
        head, sent = self.head, self.request
        return http_record(
            code=head.status,
            reason=head.reason.decode("ascii", errors="ignore"),  # as httpx's reason_phrase
            headers=head.headers,
            body=self.body,
            elapsed_ms=elapsed_ms,
            http_version=head.http_version.decode("ascii", errors="ignore"),
            url=sent.url,
            sent=(sent.method, sent.url, sent.headers),
            redirects=0,
        )

    def response(self) -> httpx.Response:
        """The response as the transport would have handed it to httpx."""
        return httpx.Response(
            self.head.status,
            headers=self.head.headers,
            stream=httpx.ByteStream(self.body),
            extensions=_extensions(self.head),
        )


def plain_request(
    transport: PlainTransport,
    defaults: list[tuple[bytes, bytes]],
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    content: bytes | None,
) -> PlainRequest | None:
    """The request on the plain path, or None if it is not a plain one. ``defaults`` are the
    client's own headers, which the request's replace by name (httpx's Headers.update)."""
    found = PLAIN_URL.fullmatch(url)
    if found is None or "/." in found.group(3):
        return None
    host, port, target = found.groups()
    if port is not None and (port == "80" or int(port) > 65535):
        return None
    given = _ascii(headers)
    if given is None:
        return None
    method = method.upper()
    netloc = f"{host}:{port}" if port else host
    sent = _sent_headers(defaults, given, netloc.encode(), method, content or b"")
    head = request_head(method.encode(), target.encode(), sent)
    body = framed(content or b"", head) if head is not None else None
    if head is None or body is None:
        return None
    origin = (host, int(port) if port else 80)
    return PlainRequest(transport, method, url, origin, head, body, sent)


def _ascii(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]] | None:
    try:
        return [(name.encode("ascii"), value.encode("ascii")) for name, value in headers]
    except UnicodeEncodeError:
        return None


def _sent_headers(
    defaults: list[tuple[bytes, bytes]],
    given: list[tuple[bytes, bytes]],
    netloc: bytes,
    method: str,
    content: bytes,
) -> list[tuple[bytes, bytes]]:
    """The headers httpx's client sends: its own, less those the request names, then the
    request's; a body's Content-Length after them unless given; Host and an empty body's
    "Content-Length: 0" in front."""
    named = {name.lower() for name, _ in given}
    headers = [h for h in defaults if h[0].lower() not in named] + given
    if content and b"content-length" not in named:
        headers.append((b"Content-Length", b"%d" % len(content)))
        named.add(b"content-length")
    front = [] if b"host" in named else [(b"Host", netloc)]
    if method in BODY_METHODS and not named & {b"content-length", b"transfer-encoding"}:
        front.append((b"Content-Length", b"0"))
    return front + headers
