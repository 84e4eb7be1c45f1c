"""One exchange of an item: parse, sign, send (and send again when an auth scheme asks).

Also the host side of ``pm.sendRequest``, which goes through the run's HTTP handler and
shares the run's cookie jar and settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from wirecall.core.auth.inherit import auth_params, effective_auth
from wirecall.core.errors import AuthError, ItemError, Location
from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.core.run.context import RunContext
from wirecall.core.streams import StreamSpec

MAX_AUTH_ROUNDS = 3  # digest needs one challenge round, NTLM two
# Gets each message of a stream with its exchange (to queue what scripts send, or stop it);
# answers whether to go on reading.
OnMessage = Callable[[Message, Exchange], Awaitable[bool]]


@dataclasses.dataclass(frozen=True)
class Prepared:
    """An item's request parsed and signed by its protocol's handler, ready to send."""

    handler: Any
    parsed: Any
    stream: StreamSpec | None
    signer: tuple[Any, dict[str, Any], Any] | None
    url: str | None

    def view(self) -> dict[str, Any]:
        """The request as the protocol describes it (auth included): what reports show."""
        return self.handler.describe(self.parsed)  # type: ignore[no-any-return]


async def prepare_item(run: RunContext, item: Any, resolved: dict[str, Any]) -> Prepared:
    """Parse the item's resolved request with its protocol's handler and apply its auth."""
    handler = await run.handler(run.protocol_of(item))
    at = item.request_at()
    parsed = handler.parse(resolved, at)
    stream = _stream_of(parsed, resolved, at) if handler.streaming else None
    signer = await _sign(run, item, resolved, handler, parsed)
    return Prepared(handler, parsed, stream, signer, target_url(resolved))


async def send_prepared(
    run: RunContext, item: Any, prepared: Prepared, on_message: OnMessage
) -> Response:
    """Send, and send again while an auth scheme answers a challenge (digest, NTLM)."""
    for _ in range(MAX_AUTH_ROUNDS):
        exchange = _new_exchange(run, item, prepared.stream, on_message, prepared.url)
        response = await prepared.handler.send(prepared.parsed, exchange)
        signer = prepared.signer
        if signer is None or not await signer[0].retry(signer[1], signer[2], response):
            return response
    return response


def _stream_of(parsed: Any, resolved: dict[str, Any], at: Location) -> StreamSpec:
    """The stream a handler read while parsing (``parsed.stream``), else read here: a
    handler that checks the messages as it parses need not have them read twice."""
    stream = getattr(parsed, "stream", None)
    return stream if isinstance(stream, StreamSpec) else StreamSpec.from_request(resolved, at)


def target_url(request: Mapping[str, Any]) -> str | None:
    """The URL an item connects to: ``url`` as a string or a Postman URL object's ``raw``."""
    url = request.get("url")
    if isinstance(url, Mapping):
        url = url.get("raw")
    return url if isinstance(url, str) and url else None


def _new_exchange(
    run: RunContext,
    item: Any,
    stream: StreamSpec | None,
    on_message: OnMessage,
    url: str | None = None,
) -> Exchange:
    exchange: Exchange = Exchange(
        settings=run.settings_for(item, url),
        stream=stream,
        cookies=run.cookies,
        endpoint_for=run.host.endpoint,
        # hands on_message's own awaitable back: no coroutine of its own per message
        on_message=lambda message: on_message(message, exchange),
        resolve=run.variables.resolve_tree,
    )
    return exchange


async def _sign(
    run: RunContext, item: Any, request: dict[str, Any], handler: Any, parsed: Any
) -> tuple[Any, dict[str, Any], Any] | None:
    """Apply the effective auth (request, then folders, then collection) to the parsed request."""
    block = effective_auth([request.get("auth"), *item.auth_chain()[1:]])
    if block is None:
        return None
    kind = str(block.get("type"))
    scheme_cls = run.host.auth_schemes.get(kind)
    if scheme_cls is None:
        known = ", ".join(sorted(run.host.auth_schemes)) or "none"
        raise AuthError(f"unknown auth type {kind!r}; installed auth types: {known}")
    params = run.variables.resolve_tree(auth_params(block))
    for name in scheme_cls.secret_params:
        run.masker.register(params.get(name))
    scheme, target = scheme_cls(), handler.auth_target(parsed)
    await scheme.sign(params, target)
    return scheme, params, target


async def send_request(run: RunContext, raw: Any) -> dict[str, Any]:
    """``pm.sendRequest``: a URL or Postman request object, sent through the HTTP handler."""
    request = {"url": raw, "method": "GET"} if isinstance(raw, str) else dict(raw)
    if "http" not in run.host.protocols:
        raise ItemError("pm.sendRequest needs the http protocol plugin")
    handler = await run.handler("http")
    parsed = handler.parse(
        request, Location("pm.sendRequest")
    )  # Postman resolves no {{variables}} here
    settings = dataclasses.replace(run.settings, target_url=target_url(request))
    exchange = Exchange(settings=settings, cookies=run.cookies, endpoint_for=run.host.endpoint)
    response = await handler.send(parsed, exchange)
    return {
        "code": response.code,
        "status": response.status,
        "headers": [{"key": k, "value": v} for k, v in response.headers],
        "body": response.text(),
        "responseTime": response.response_time_ms,
    }
