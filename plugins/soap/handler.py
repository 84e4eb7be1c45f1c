"""SoapHandler: WSDL-driven SOAP 1.1/1.2 calls through zeep's async client.

zeep builds the envelope and parses the reply; the HTTP exchange is kept whole (status,
headers, the raw envelope) so scripts and reports see what was on the wire. A Fault is a
response, not an exception: the item fails with the fault's code and string.
"""

from __future__ import annotations

import http
import json
import time
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.protocol import Endpoint, ProtocolHandler
from wirecall.core.records import Response
from wirecall.core.tls import client_context, host_tls
from wirecall.core.transport_settings import proxy_for
from wirecall.plugins.soap.args import check_args
from wirecall.plugins.soap.errors import map_errors
from wirecall.plugins.soap.request import SoapAuthTarget, SoapCall, parse_call
from wirecall.plugins.soap.wsdl import CALL_HEADERS, find_operation, input_elements, load_client


class SoapHandler(ProtocolHandler):
    name = "soap"

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], Any] = {}  # one zeep client per WSDL and TLS setup

    def parse(self, raw: Mapping[str, Any], at: Location) -> SoapCall:
        return parse_call(raw, at)

    def describe(self, call: SoapCall) -> dict[str, Any]:
        return {
            "method": "POST",
            "url": call.endpoint or call.wsdl,
            "operation": call.operation,
            "args": dict(call.args),
            "header": [{"key": k, "value": v} for k, v in call.headers],
        }

    def auth_target(self, call: SoapCall) -> SoapAuthTarget:
        return SoapAuthTarget(call)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.transport.aclose()
            client.transport.wsdl_client.close()
        self._clients.clear()

    def client(self, call: SoapCall, settings: Settings, endpoint: Endpoint | None = None) -> Any:
        """The run's zeep client for this WSDL, TLS setup and (Unix socket) endpoint.

        The certificate entry and proxy are those for the WSDL's host (for a WSDL file, the
        item's ``endpoint``); the calls share them, as they share the client.
        """
        host = call.wsdl if "://" in call.wsdl else call.endpoint
        proxy, entry = proxy_for(settings, host), host_tls(settings, host)
        key = (call.wsdl, json.dumps(dict(call.tls), sort_keys=True), entry, proxy)
        if key not in self._clients:
            verify = client_context(settings, call.tls, host=host)
            wsdl, uds = (endpoint.url, endpoint.path) if endpoint else (call.wsdl, None)
            self._clients[key] = load_client(
                wsdl, verify=verify, working_dir=settings.working_dir, uds=uds, proxy=proxy
            )
        return self._clients[key]

    async def send(self, call: SoapCall, exchange: Exchange) -> Response:
        endpoint = exchange.endpoint_for(call.wsdl)
        if endpoint is not None:
            endpoint.check()
        client = self.client(call, exchange.settings, endpoint)
        op = find_operation(client, call.operation, call.service, call.port)
        proxy = client.create_service(op.operation.binding.name, call.endpoint or op.address)
        client.wsse = _username_token(call)
        check_args(op.name, op.input, input_elements(op), call.args)
        token = CALL_HEADERS.set(tuple(call.headers))
        started = time.perf_counter()
        try:
            with map_errors(exchange.settings.timeout_request_ms):
                with client.settings(raw_response=True):
                    reply = await getattr(proxy, op.name)(**call.args)
                elapsed_ms = (time.perf_counter() - started) * 1000
                result, fault = _outcome(client, op, reply)
        finally:
            CALL_HEADERS.reset(token)
        return Response(
            protocol="soap",
            code=reply.status_code,
            status=_reason(reply.status_code),
            headers=list(reply.headers.items()),
            body=reply.content,
            response_time_ms=elapsed_ms,
            url=call.endpoint or op.address,
            ok=fault is None,
            failure=f"SOAP Fault {fault['code']}: {fault['message']}" if fault else "",
            extra={"result": result, "fault": fault} if fault else {"result": result},
        )


def _username_token(call: SoapCall) -> Any:
    if call.wsse is None:
        return None
    from zeep.wsse.username import UsernameToken

    return UsernameToken(call.wsse.username, call.wsse.password, use_digest=call.wsse.digest)


def _outcome(client: Any, op: Any, reply: Any) -> tuple[Any, dict[str, Any] | None]:
    """The operation's result as JSON-ready data, or the Fault as {code, message, detail}."""
    from lxml import etree
    from zeep.exceptions import Fault
    from zeep.helpers import serialize_object

    try:
        result = op.operation.binding.process_reply(client, op.operation, reply)
    except Fault as fault:
        detail = etree.tostring(fault.detail, encoding="unicode") if fault.detail is not None else None
        subcodes = [getattr(q, "localname", str(q)) for q in fault.subcodes or []]
        return None, {"code": fault.code, "message": fault.message, "subcodes": subcodes, "detail": detail}
    return json.loads(json.dumps(serialize_object(result, dict), default=str)), None


def _reason(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""
