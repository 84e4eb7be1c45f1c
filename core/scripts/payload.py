"""What crosses the V8 boundary for one script: the context as JSON in, the result applied back.

Kept apart from the engine so the shapes are in one place: ``script_input`` builds the single
JSON document a script starts from, ``apply_result`` turns the single JSON document it ends
with into a :class:`ScriptResult` and writes variable and request changes into the context.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import TYPE_CHECKING, Any

from wirecall.core.errors import ScriptError, ScriptRuntimeError
from wirecall.core.scripts.base import UNSET, AssertionResult, ScriptResult
from wirecall.core.variables import dynamic

if TYPE_CHECKING:
    from wirecall.core.records import Message, Response
    from wirecall.core.scripts.base import Script, ScriptContext

SCOPES = ("globals", "collection", "environment", "data", "local")
# Words after which the script may leave promise reactions queued: then one more poll.
_ASYNC_WORDS = (
    "async",
    "await",
    "then",
    "Promise",
    "catch",
    "finally",
    "queueMicrotask",
    "require",
)
_MAYBE_ASYNC = re.compile(rf"\b({'|'.join(_ASYNC_WORDS)})\b")
_DYNAMIC_TOKEN = re.compile(r"{{(\$[A-Za-z]+)}}")
_JS_DYNAMIC = {
    "$guid",
    "$randomUUID",
    "$timestamp",
    "$isoTimestamp",
    "$randomInt",
    "$randomBoolean",
    "$randomAlphaNumeric",
}
POOL_SIZE = 4


def response_json(response: Response | dict[str, Any]) -> dict[str, Any]:
    """A Response record (or an already-shaped dict) as pm.response is built from."""
    if isinstance(response, dict):
        return response
    out: dict[str, Any] = {
        "protocol": response.protocol,
        "code": response.code,
        "status": response.status,
        "headers": [list(h) for h in response.headers],
        "trailers": [list(h) for h in response.trailers],
        "responseTime": response.response_time_ms,
        "responseSize": len(response.body),
        "messages": [m.to_json() for m in response.messages],
    }
    try:
        out["body"] = response.body.decode("utf-8")
    except UnicodeDecodeError:
        out["bodyBase64"] = base64.b64encode(response.body).decode()
    return out


@functools.lru_cache(maxsize=1024)
def _source_facts(source: str) -> tuple[frozenset[str], bool, bool]:
    """Per script text (the same scripts run for every request): the dynamic variables the
    host pre-generates, whether it may leave promise reactions, whether it is legacy."""
    # substring tests first: a new script (one per request when its text names the
    # request) costs ~4x less than the regular expressions alone
    pooled = frozenset(_DYNAMIC_TOKEN.findall(source)) if "{{$" in source else frozenset()
    maybe_async = any(word in source for word in _ASYNC_WORDS) and bool(_MAYBE_ASYNC.search(source))
    return (
        pooled - _JS_DYNAMIC,
        maybe_async,
        not source.lstrip()[:15].strip("'\";").startswith("use sandbox2"),
    )


def script_input(
    script: Script, context: ScriptContext, uses: list[str], cookies: list[dict[str, Any]]
) -> dict[str, Any]:
    variables = context.variables
    scopes = {}
    for name in SCOPES:
        scope = getattr(variables, name)
        scopes[name] = {"name": scope.label, "values": scope.to_object()}
    event_name = script.event
    location = list(context.location)
    return {
        "event": script.event,
        "info": {
            "eventName": event_name,
            "iteration": context.iteration,
            "iterationCount": context.iteration_count,
            "requestName": context.item_name,
            "requestId": context.item_id,
        },
        "location": location,
        "current": location[-1] if location else context.item_name,
        "scopes": scopes,
        "request": context.request,
        "response": response_json(context.response) if context.response is not None else None,
        "message": context.message.to_json() if context.message is not None else None,
        "stream": context.protocol != "http" or context.message is not None,
        "cookies": cookies,
        "vault": context.vault is not None,
        **script_fields(script, uses),
    }


def message_table(messages: list[Message | None]) -> dict[str, Any]:
    """A batch's messages, as scripts see them (``Message.to_json``), for JSON: each one a
    row of its values led by the index of its keys in ``keys``. A stream's messages share
    their keys; as objects, their JSON repeated them all (~40% of its cost)."""
    shapes: dict[tuple[str, ...], int] = {}
    rows: list[list[Any] | None] = []
    for message in messages:
        if message is None:
            rows.append(None)
            continue
        shape = message.to_json()
        keys = tuple(shape)
        at = shapes.get(keys)
        if at is None:
            at = shapes[keys] = len(shapes)
        rows.append([at, *shape.values()])
    return {"keys": list(shapes), "rows": rows}


def script_fields(script: Script, uses: list[str], runs: int = 1) -> dict[str, Any]:
    """The input fields that depend on the script's text (the rest is its context's), with
    pre-generated dynamic values for ``runs`` runs of it."""
    pooled, maybe_async, legacy = _source_facts(script.source)
    size = POOL_SIZE * runs
    pools = {name: [dynamic.generate(name) for _ in range(size)] for name in pooled}
    return {
        "legacy": legacy,
        "uses": uses,
        "dynamic": {k: [v for v in vs if v is not None] for k, vs in pools.items()},
        "maybeAsync": maybe_async,
    }


def is_legacy(source: str) -> bool:
    """Whether the script gets the legacy globals (all but ``'use sandbox2'`` scripts)."""
    return _source_facts(source)[2]


def may_leave_work(source: str) -> bool:
    """Whether the script's text may leave promise reactions queued after it returns."""
    return _source_facts(source)[1]


def script_error(cls: type[ScriptError], where: str, info: dict[str, Any]) -> ScriptError:
    """The JavaScript error as Newman reports it: name apart, message without a name prefix."""
    return cls(
        info.get("message") or "",
        script=where,
        line=info.get("line"),
        column=info.get("column"),
        js_name=info.get("name") or "Error",
    )


def apply_result(
    data: dict[str, Any] | list[str], script: Script, context: ScriptContext
) -> ScriptResult:
    """Write the script's changes into ``context`` and describe what happened."""
    if isinstance(data, list):  # a run of a batch that only passed tests: their names
        return ScriptResult(assertions=list(_passed(tuple(data))))
    for op in data.get("variables", []):
        scope = getattr(context.variables, op[0])
        if op[1] == "set":
            scope.set(op[2], op[3], op[4] or None)
        elif op[1] == "unset":
            scope.unset(op[2])
        else:
            scope.clear()
    if "request" in data and script.event == "prerequest":
        context.request = data["request"]  # never the collection's tree, which stays as loaded
    result = ScriptResult(
        assertions=[
            AssertionResult(
                name=a["name"],
                passed=a["passed"],
                skipped=a["skipped"],
                error_name=a["error_name"],
                error_message=a["error_message"],
                index=a["index"],
            )
            for a in data.get("assertions", [])
        ],
        console=[(level, args) for level, args in data.get("console", [])],
        skip_request=bool(data.get("skipRequest")),
        close_stream=bool(data.get("closeStream")),
        send_messages=list(data.get("send", [])),
        visualizer=data.get("visualizer"),
        exceptions=[
            script_error(ScriptRuntimeError, script.where, e) for e in data.get("asyncErrors", [])
        ],
    )
    result.next_request = data.get("nextRequest", UNSET)
    if data.get("error"):
        result.error = script_error(ScriptRuntimeError, script.where, data["error"])
    return result


@functools.lru_cache(maxsize=256)
def _passed(names: tuple[str, ...]) -> tuple[AssertionResult, ...]:
    """Passed tests, as records (frozen: the runs that passed the same tests share them)."""
    return tuple(AssertionResult(name, True, index=i) for i, name in enumerate(names))
