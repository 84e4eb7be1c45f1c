"""An HTTP exchange as a Response record, as both of the handler's paths make it (httpx's
client and the plain path, plugins/http/plain.py)."""

from __future__ import annotations

from typing import Any

from wirecall.core.records import Response


def http_record(
    *,
    code: int,
    reason: str,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    elapsed_ms: float,
    http_version: str,
    url: str,
    sent: tuple[str, str, list[tuple[bytes, bytes]]],
    redirects: int,
) -> Response:
    """An HTTP exchange as a Response record; ``sent`` is the last request on the wire
    (method, URL, headers with the system ones), as the reports show it."""
    method, sent_url, sent_headers = sent
    extra: dict[str, Any] = {
        "sent": {
            "method": method,
            "url": sent_url,
            "header": [
                {"key": k.decode("latin-1"), "value": v.decode("latin-1")} for k, v in sent_headers
            ],
        },
        "redirects": redirects,
    }
    return Response(
        protocol="http",
        code=code,
        status=reason,
        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
        body=body,
        response_time_ms=elapsed_ms,
        http_version=http_version,
        url=url,
        extra=extra,
    )
