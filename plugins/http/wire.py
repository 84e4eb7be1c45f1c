"""HTTP/1.1 framing for the plain-http transport: request heads out, response heads in, no I/O.

The rules are h11's, which httpcore applies to every other connection, so that both paths
behave alike: a request head is written byte for byte as h11 writes it, or reported unusual
(None) so that httpcore sends it and says what is wrong with it; a response head is accepted,
normalised and refused as h11 does, with h11's messages.
"""

from __future__ import annotations

import re

import httpx
from wirecall.core.record import Record

_TOKEN = rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
_FIELD_CONTENT = rb"[^\x00\s]+(?:[ \t]+[^\x00\s]+)*"
# A whole request head as h11 would accept it: method, target, one "name: value" per line.
_REQUEST_HEAD = re.compile(
    rb"%s [\x21-\x7e]+ HTTP/1\.1\r\n(?:%s: (?:%s)?\r\n)*\r\n" % (_TOKEN, _TOKEN, _FIELD_CONTENT)
)
_STATUS_LINE = re.compile(rb"HTTP/([0-9]\.[0-9]) ([0-9]{3})(?: ((?:[ \t]|[^\x00\s])*))?")
_HEADER_LINE = re.compile(rb"(%s):[ \t]*((?:%s)?)[ \t]*" % (_TOKEN, _FIELD_CONTENT))
_FOLD_START = (b" ", b"\t")
_DIGITS = re.compile(rb"[0-9]+")
_CHUNK_HEADER = re.compile(rb"([0-9A-Fa-f]{1,20})(?:;.*)?[ \t]*\r\n")
_HEAD_END = re.compile(rb"\n\r?\n")
MAX_HEAD_BYTES = 100 * 1024  # h11's limit for an incomplete head, as httpcore sets it
MAX_LENGTH_DIGITS = 20


class RequestHead(Record):
    """The bytes of a request head and how its body is framed."""

    method: bytes
    data: bytes
    content_length: int | None  # None: chunked
    close: bool  # the request says "Connection: close"


def request_head(
    method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]
) -> RequestHead | None:
    """The head h11 writes for this request, or None where h11 would refuse or rewrite it.

    h11 writes the Host header first; it drops a repeated Content-Length and lower-cases
    Transfer-Encoding: such requests, and invalid ones, are left to httpcore.
    """
    host = b""
    lines = []
    length: bytes | None = None
    chunked = close = False
    for name, value in headers:
        lower = name.lower()
        if lower == b"host":
            if host:
                return None
            host = b"%s: %s\r\n" % (name, value)
            continue
        if lower == b"content-length":
            if length is not None or not _DIGITS.fullmatch(value) or len(value) > MAX_LENGTH_DIGITS:
                return None
            length = value
        elif lower == b"transfer-encoding":
            if chunked or value != b"chunked":
                return None
            chunked = True
        elif lower == b"connection":
            close = close or b"close" in comma_values(value)
        lines.append(b"%s: %s\r\n" % (name, value))
    if not host or (chunked and length is not None):
        return None
    data = b"%s %s HTTP/1.1\r\n%s%s\r\n" % (method, target, host, b"".join(lines))
    if not _REQUEST_HEAD.fullmatch(data):
        return None
    return RequestHead(method, data, None if chunked else int(length or b"0"), close)


def comma_values(value: bytes) -> list[bytes]:
    """A comma-separated header value as h11 reads it: stripped, lower-cased parts."""
    return [part.strip().lower() for part in value.split(b",")]


class ResponseHead(Record, frozen=False):
    """A parsed status line and headers, with the framing of the body that follows."""

    http_version: bytes  # b"HTTP/1.1"
    status: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]
    content_length: int | None = None  # None: chunked or (without chunked) until close
    chunked: bool = False
    keep_alive: bool = True


def block_end(buffer: bytearray) -> int:
    """Where the lines up to the first blank one end in ``buffer``; -1 while incomplete."""
    if buffer[:1] == b"\n":
        return 1
    if buffer[:2] == b"\r\n":
        return 2
    found = _HEAD_END.search(buffer)
    return -1 if found is None else found.end()


def head_end(buffer: bytearray) -> int:
    """Where the response head in ``buffer`` ends (after its blank line); -1 while incomplete.

    Raises RemoteProtocolError where h11 gives up on the data.
    """
    end = block_end(buffer)
    if 0 < end <= 2:
        raise httpx.RemoteProtocolError("no response line received")
    if end < 0 and buffer and buffer[0] < 0x21:
        raise httpx.RemoteProtocolError("illegal request line")
    if end < 0 and len(buffer) > MAX_HEAD_BYTES:
        raise httpx.RemoteProtocolError("Receive buffer too long")
    return end


def parse_head(block: bytearray, method: bytes) -> ResponseHead:
    """The response head in ``block`` (up to and including its blank line)."""
    lines = _lines(block)
    status_line = _STATUS_LINE.fullmatch(lines[0])
    if status_line is None:
        raise httpx.RemoteProtocolError(f"illegal status line: {lines[0]!r}")
    version, code, reason = status_line.groups()
    head = ResponseHead(b"HTTP/" + version, int(code), reason or b"", _fields(lines[1:]))
    _frame(head, method)
    return head


def parse_fields(block: bytearray) -> list[tuple[bytes, bytes]]:
    """Header fields up to a blank line (a chunked body's trailer), checked as h11 does."""
    return _fields(_lines(block))


def _lines(block: bytearray) -> list[bytearray]:
    lines = block.split(b"\n")[:-2]
    for line in lines:
        if line.endswith(b"\r"):
            del line[-1]
    return lines


def _fields(lines: list[bytearray]) -> list[tuple[bytes, bytes]]:
    """Header lines -> (name, value), obsolete line folding joined, h11's checks applied."""
    headers: list[tuple[bytes, bytes]] = []
    length: bytes | None = None
    chunked = False
    for line in _unfold(lines):
        field = _HEADER_LINE.fullmatch(line)
        if field is None:
            raise httpx.RemoteProtocolError(f"illegal header line: {line!r}")
        name, value = field.groups()
        lower = name.lower()
        if lower == b"content-length":
            lengths = {part.strip() for part in value.split(b",")}
            if len(lengths) != 1:
                raise httpx.RemoteProtocolError("conflicting Content-Length headers")
            value = lengths.pop()
            if not _DIGITS.fullmatch(value) or len(value) > MAX_LENGTH_DIGITS:
                raise httpx.RemoteProtocolError("bad Content-Length")
            if length is not None:
                if length != value:
                    raise httpx.RemoteProtocolError("conflicting Content-Length headers")
                continue
            length = value
        elif lower == b"transfer-encoding":
            if chunked:
                raise httpx.RemoteProtocolError("multiple Transfer-Encoding headers")
            value = value.lower()
            if value != b"chunked":
                raise httpx.RemoteProtocolError("Only Transfer-Encoding: chunked is supported")
            chunked = True
        headers.append((name, value))
    return headers


def _unfold(lines: list[bytearray]) -> list[bytearray]:
    """Obsolete line folding: a line starting with a space or tab continues the previous one."""
    joined: list[bytearray] = []
    for line in lines:
        if line[:1] not in _FOLD_START:
            joined.append(line)
        elif not joined:
            raise httpx.RemoteProtocolError("continuation line at start of headers")
        else:
            joined[-1] += b" " + line.lstrip(b" \t")
    return joined


def _frame(head: ResponseHead, method: bytes) -> None:
    """How the body is delimited and whether the connection stays open (h11's rules)."""
    connection = b""
    for name, value in head.headers:
        lower = name.lower()
        if lower == b"content-length":
            head.content_length = int(value)
        elif lower == b"transfer-encoding":
            head.chunked = True
        elif lower == b"connection":
            connection += b"," + value
    head.keep_alive = b"close" not in comma_values(connection) and head.http_version >= b"HTTP/1.1"
    if head.chunked:
        head.content_length = None
    switched = head.status == 101 or (method == b"CONNECT" and 200 <= head.status < 300)
    if switched or head.status in (204, 304) or method == b"HEAD" or head.status < 200:
        head.content_length, head.chunked = 0, False
        head.keep_alive = head.keep_alive and not switched  # the connection is not HTTP's now
    elif not head.chunked and head.content_length is None:
        head.keep_alive = False  # the body runs until the server closes the connection


def chunk_size(line: bytearray) -> int:
    """The size in a chunk header line (its CRLF included); extensions are ignored."""
    found = _CHUNK_HEADER.fullmatch(line)
    if found is None:
        raise httpx.RemoteProtocolError(f"illegal chunk header: {line!r}")
    return int(found.group(1), 16)
