"""map_errors(): what httpx and zeep raise during a call -> wirecall's error classes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from wirecall.core.errors import CollectionError, ProtocolError
from wirecall.core.httpx_errors import map_httpx_errors


@contextlib.contextmanager
def map_errors(timeout_ms: float | None = None) -> Iterator[None]:
    from zeep.exceptions import TransportError, ValidationError

    try:
        with map_httpx_errors("soap", timeout_ms):
            yield
    except TransportError as exc:
        raise ProtocolError(f"SOAP transport error: {exc.message}", protocol="soap", status=exc.status_code) from exc
    except (ValidationError, TypeError, ValueError) as exc:  # zeep's own argument checks
        raise CollectionError(f"invalid SOAP arguments: {exc}") from exc
