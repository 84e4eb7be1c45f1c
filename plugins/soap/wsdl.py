"""Loading WSDLs with zeep, and describing their services, operations and types."""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import zeep
import zeep.transports
from wirecall.core.errors import CollectionError, ProtocolError

# HTTP headers of the call under way: zeep's transport has no per-call headers of its own.
CALL_HEADERS: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar("soap_headers", default=())


class WsdlError(ProtocolError):
    """The WSDL could not be fetched, parsed or imported."""


class _Transport(zeep.transports.AsyncTransport):
    async def post(self, address: str, message: bytes, headers: dict[str, str]) -> httpx.Response:
        merged = {**headers, **dict(CALL_HEADERS.get())}
        return await self.client.post(address, content=message, headers=merged)


@dataclass(frozen=True)
class OperationInfo:
    service: str
    port: str
    binding: str  # Soap11Binding | Soap12Binding
    address: str
    name: str
    input: str  # zeep's signature text, e.g. "a: xsd:integer, b: xsd:integer"
    output: str
    operation: Any  # zeep's bound operation


def load_client(
    wsdl: str, *, verify: Any, working_dir: str = ".", uds: str | None = None, proxy: str | None = None
) -> zeep.AsyncClient:
    """A zeep AsyncClient for ``wsdl`` (URL or file); WsdlError names it and the parser's reason.

    With ``uds`` every request (the WSDL's and the calls') goes through that Unix socket;
    otherwise through ``proxy`` when given (the environment is never read here).
    """
    location = wsdl if "://" in wsdl else os.path.join(working_dir, wsdl)
    proxy = None if uds else proxy
    transport = _Transport(
        client=httpx.AsyncClient(
            verify=verify, trust_env=False, proxy=proxy, transport=httpx.AsyncHTTPTransport(uds=uds) if uds else None
        ),
        wsdl_client=httpx.Client(
            verify=verify, trust_env=False, proxy=proxy, transport=httpx.HTTPTransport(uds=uds) if uds else None
        ),
    )
    try:
        return zeep.AsyncClient(location, transport=transport)
    except Exception as exc:  # zeep raises XML, transport, OS and lookup errors alike
        transport.wsdl_client.close()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WsdlError(f"cannot load WSDL {location}: {reason}", protocol="soap") from exc


def operations(client: zeep.AsyncClient) -> Iterator[OperationInfo]:
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            binding = port.binding
            for op in binding._operations.values():  # zeep exposes no public accessor
                yield OperationInfo(
                    service.name, port.name, type(binding).__name__, port.binding_options.get("address", ""),
                    op.name, op.input.signature(as_output=False), op.output.signature(as_output=True), op,
                )  # fmt: skip


def find_operation(client: zeep.AsyncClient, name: str, service: str | None, port: str | None) -> OperationInfo:
    """The operation to call; an unknown name lists the ones the WSDL has."""
    candidates = [o for o in operations(client) if (service in (None, o.service)) and (port in (None, o.port))]
    match = next((o for o in candidates if o.name == name), None)
    if match is None:
        known = ", ".join(sorted({o.name for o in candidates})) or "none"
        raise CollectionError(f"unknown SOAP operation {name!r}; the WSDL has: {known}")
    return match


def describe(client: zeep.AsyncClient) -> str:
    """Services, ports and operations with their input and output types, as readable text."""
    lines: list[str] = []
    current: tuple[str, str] | None = None
    for op in operations(client):
        if (op.service, op.port) != current:
            current = (op.service, op.port)
            lines.append(f"{op.service} / {op.port} ({op.binding.removesuffix('Binding')}) at {op.address}")
        lines.append(f"  {op.name}({op.input}) -> {op.output or 'nothing'}")
    return "\n".join(lines)


def input_elements(op: OperationInfo) -> list[tuple[str, Any]]:
    """``(name, xsd element)`` of each argument of the operation's input message."""
    body = op.operation.input.body
    return list(getattr(getattr(body, "type", None), "elements", [])) if body is not None else []


def example_input(op: OperationInfo) -> dict[str, Any]:
    """An example argument object for ``op``, built from its input message's schema."""
    return {name: _example(element) for name, element in input_elements(op)}


def _example(element: Any, depth: int = 0) -> Any:
    xsd_type = element.type
    value: Any
    if getattr(xsd_type, "elements", None) and depth < 8:
        value = {name: _example(child, depth + 1) for name, child in xsd_type.elements}
    else:
        value = _SAMPLES.get(getattr(xsd_type, "name", "") or "", "string")
    return [value] if getattr(element, "max_occurs", 1) not in (1, None) else value


_SAMPLES: Mapping[str, Any] = {
    **dict.fromkeys(["int", "integer", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong"], 0),
    **dict.fromkeys(["float", "double", "decimal"], 0.0),
    "boolean": False,
    "dateTime": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00",
    "base64Binary": "",
}
