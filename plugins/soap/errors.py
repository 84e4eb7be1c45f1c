"""map_errors(): what httpx and zeep raise during a call -> wirecall's error classes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from wirecall.core.errors import CollectionError, ConnectError, ProtocolError, RequestTimeout, TLSError


@contextlib.contextmanager
def map_errors(timeout_ms: float | None = None) -> Iterator[None]:
    import httpx
    from zeep.exceptions import TransportError, ValidationError

    try:
        yield
    except httpx.TimeoutException as exc:
        within = f" within {timeout_ms:g} ms" if timeout_ms else ""
        raise RequestTimeout(f"SOAP call timed out{within}", protocol="soap") from exc
    except httpx.ConnectError as exc:
        kind = TLSError if "CERTIFICATE" in str(exc) or "SSL" in str(exc) else ConnectError
        raise kind(f"cannot connect: {exc}", protocol="soap") from exc
    except httpx.HTTPError as exc:
        raise ProtocolError(f"HTTP error: {exc}", protocol="soap") from exc
    except TransportError as exc:
        raise ProtocolError(f"SOAP transport error: {exc.message}", protocol="soap", status=exc.status_code) from exc
    except (ValidationError, TypeError, ValueError) as exc:  # zeep's argument checks
        raise CollectionError(f"invalid SOAP arguments: {exc}") from exc
