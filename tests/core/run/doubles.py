"""Real implementations of our own interfaces, small enough to read: an echo protocol, a
streaming loopback protocol, a token auth scheme and a line-command script engine.

They are registered through a real PluginHost, exactly as a third-party plugin would be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from wirecall.core.errors import ConnectError, Location, ScriptRuntimeError
from wirecall.core.exchange import Exchange
from wirecall.core.hookspecs import hookimpl
from wirecall.core.plugins import PluginHost
from wirecall.core.protocol import ProtocolHandler
from wirecall.core.records import Message, Response
from wirecall.core.scripts.base import (
    AssertionResult,
    Script,
    ScriptContext,
    ScriptResult,
    run_in_turn,
)


class Target:
    """Auth target over the echo request dict."""

    protocol = "echo"

    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self.method = request.get("method", "GET")
        self.url = request.get("url", "")
        self.body = None

    def header(self, name: str) -> str | None:
        return self.request.setdefault("headers", {}).get(name)

    def set_header(self, name: str, value: str) -> None:
        self.request.setdefault("headers", {})[name] = value

    def set_query(self, name: str, value: str) -> None:
        self.request["url"] += f"?{name}={value}"

    def set_credentials(self, username: str, password: str) -> None:
        self.set_header("user", username)


class EchoHandler(ProtocolHandler):
    """Answers every request with its own JSON; ``echo://down`` refuses to connect."""

    name = "echo"
    sent: ClassVar[list[dict[str, Any]]] = []

    def parse(self, raw: Mapping[str, Any], at: Location) -> dict[str, Any]:
        return {key: raw.get(key) for key in ("method", "url", "header", "body")}

    def auth_target(self, request: dict[str, Any]) -> Target:
        return Target(request)

    async def send(self, request: dict[str, Any], exchange: Exchange) -> Response:
        if "crash" in str(request["url"]):
            raise RuntimeError("a bug in a handler")
        if "down" in str(request["url"]):
            raise ConnectError("connect ECONNREFUSED echo://down", protocol="echo")
        EchoHandler.sent.append(request)
        body = json.dumps(request).encode()
        return Response(
            "echo", 200, "OK", [("content-type", "application/json")], body, response_time_ms=5
        )


class LoopHandler(ProtocolHandler):
    """A stream that hands every outgoing message straight back as a received one."""

    name = "loop"
    streaming = True

    async def send(self, request: Any, exchange: Exchange) -> Response:
        async with exchange.streaming():
            async for outgoing in exchange.outgoing():
                await exchange.sent(Message("sent", str(outgoing.data)))
                if not await exchange.receive(Message("received", f"echo:{outgoing.data}")):
                    break
        return Response("loop", 0, "closed", messages=list(exchange.messages), response_time_ms=1)


class TokenAuth:
    name = "token"
    secret_params = ("token",)

    async def sign(self, params: dict[str, Any], target: Target) -> None:
        target.set_header("Authorization", f"Token {params['token']}")

    async def retry(self, params: dict[str, Any], target: Target, response: Response) -> bool:
        return False


class TestPlugin:
    @hookimpl
    def wirecall_protocols(self) -> Iterable[type[Any]]:
        return [EchoHandler, LoopHandler]

    @hookimpl
    def wirecall_auth_schemes(self) -> Iterable[type[Any]]:
        return [TokenAuth]


def make_host() -> PluginHost:
    host = PluginHost(load_entry_points=False)
    host.register(TestPlugin(), name="test-plugin")
    return host


class LineEngine:
    """Scripts are lines of commands: ``test NAME``, ``fail NAME|MESSAGE``, ``skip``,
    ``next NAME`` / ``next null``, ``set KEY VALUE``, ``log TEXT``, ``throw MESSAGE``,
    ``close``, ``send DATA``, ``status`` (asserts the response code is 200)."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str]] = []
        self.closed = False

    async def run(self, script: Script, context: ScriptContext) -> ScriptResult:
        self.runs.append((script.where, context.event))
        result = ScriptResult()
        for line in script.source.splitlines():
            command, _, arg = line.strip().partition(" ")
            self._apply(command, arg, context, result)
        return result

    async def start(self, scripts: list[Script]) -> None:
        """Nothing to start."""

    async def run_each(
        self, scripts: list[Script], contexts: list[ScriptContext]
    ) -> list[list[ScriptResult]]:
        return await run_in_turn(self.run, scripts, contexts)

    def _apply(self, command: str, arg: str, context: ScriptContext, result: ScriptResult) -> None:
        index = len(result.assertions)
        if command == "test":
            result.assertions.append(AssertionResult(arg, True, index=index))
        elif command == "fail":
            name, _, message = arg.partition("|")
            result.assertions.append(
                AssertionResult(
                    name, False, error_name="AssertionError", error_message=message, index=index
                )
            )
        elif command == "status":
            code = context.response.code if context.response else None
            result.assertions.append(
                AssertionResult("status is 200", code == 200, index=index,
                                error_message=f"expected {code} to equal 200")
            )  # fmt: skip
        elif command == "skip":
            result.skip_request = True
        elif command == "next":
            result.next_request = None if arg == "null" else arg
        elif command == "set":
            key, _, value = arg.partition(" ")
            context.variables.local.set(key, value)
        elif command == "header":
            header = [*context.request.get("header", []), {"key": "x", "value": arg}]
            context.request = {**context.request, "header": header}  # replaced, as engines do
        elif command == "log":
            result.console.append(("log", [arg]))
        elif command == "throw":
            result.error = ScriptRuntimeError(arg, script="test", line=1, column=7, js_name="Error")
        elif command == "close":
            result.close_stream = True
        elif command == "send":
            result.send_messages.append(arg)

    async def aclose(self) -> None:
        self.closed = True


def collection(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "info": {
            "name": "Test run",
            "_postman_id": "c-1",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
        **extra,
    }


def item(
    name: str, url: str = "echo://x/{{path}}", *, tests: str = "", pre: str = "", **extra: Any
) -> dict[str, Any]:
    events = []
    if pre:
        events.append({"listen": "prerequest", "script": {"exec": pre.split("\n")}})
    if tests:
        events.append({"listen": "test", "script": {"exec": tests.split("\n")}})
    raw: dict[str, Any] = {"name": name, "id": f"id-{name}", "protocol": "echo",
                           "request": {"method": "GET", "url": url}, "event": events}  # fmt: skip
    raw.update(extra)
    return raw


class Recorder:
    """Records every event name (and the event) in order."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("on_"):
            raise AttributeError(name)
        return self.events.append

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.events]
