"""A real V8 engine per test, and a helper to run one script against a context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from wirecall.core.records import Message, Response
from wirecall.core.scripts import Script, ScriptContext, ScriptResult, open_engine
from wirecall.core.variables import Variables, VariableScope


def make_context(event: str = "test", **overrides: Any) -> ScriptContext:
    fields: dict[str, Any] = {
        "event": event,
        "variables": Variables(
            globals=VariableScope("globals", {"g": "global"}),
            collection=VariableScope("collection", {"c": "coll", "shared": "from-collection"}),
            environment=VariableScope(
                "environment", {"e": "env", "shared": "from-env"}, label="Staging"
            ),
            data=VariableScope("data", {"row": 1}),
        ),
        "request": {
            "url": "https://api.example.test:8443/v1/users/42?expand=true&q=a",
            "method": "get",
            "header": [{"key": "Accept", "value": "application/json"}],
        },
        "item_name": "Get user",
        "item_id": "item-1",
        "iteration": 0,
        "iteration_count": 2,
        "location": ["Coll", "Users", "Get user"],
    }
    if event == "test":
        fields["response"] = Response(
            protocol="http",
            code=200,
            status="OK",
            headers=[("Content-Type", "application/json"), ("X-Trace", "abc")],
            body=b'{"id": 42, "name": "Ada", "tags": ["a", "b"]}',
            response_time_ms=12.5,
        )
    fields.update(overrides)
    return ScriptContext(**fields)


class Runner:
    def __init__(self, engine: Any) -> None:
        self.engine = engine

    async def __call__(
        self, source: str, event: str = "test", context: ScriptContext | None = None, **kw: Any
    ) -> ScriptResult:
        context = context or make_context(event, **kw)
        return await self.engine.run(Script(source, event, "item 'Get user'"), context)


@pytest.fixture
async def run() -> AsyncIterator[Runner]:
    engine = open_engine(timeout_ms=3000, memory_limit_bytes=64 * 2**20)
    yield Runner(engine)
    await engine.aclose()


def passed(result: ScriptResult) -> list[tuple[str, bool]]:
    return [(a.name, a.passed) for a in result.assertions]


__all__ = ["Message", "make_context", "passed"]
