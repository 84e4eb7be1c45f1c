"""The run summary in the shape of Newman's JSON report (``newman run -r json``).

Tools built for Newman reports read ours, so keys, nesting and value types follow
newman's ``lib/run/summary.js``: the response body is a Buffer-style byte array, errors are
``{name, message, stack}`` (plus ``index`` and ``test`` for assertions), and every execution
carries Newman's cursor. Streams add ``response.messages`` (our extension).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from wirecall.core.ids import new_uuid
from wirecall.core.run.artifacts import LazyArray
from wirecall.core.run.events import AssertionEvent, Cursor, ScriptEvent
from wirecall.core.run.summary import Execution, Failure, RunSummary


def report(summary: RunSummary) -> dict[str, Any]:
    return {
        "collection": summary.collection.to_json(),
        "environment": summary.environment.to_json() if summary.environment else {},
        "globals": summary.globals.to_json() if summary.globals else {},
        "run": {
            "stats": {name: counter.to_json() for name, counter in summary.stats.items()},
            "timings": summary.timings(),
            "executions": LazyArray(execution_json, summary.executions),
            "transfers": {"responseTotal": summary.response_bytes},
            "failures": [failure_json(f) for f in summary.failures],
            "error": error_json(summary.error) if summary.error else None,
        },
    }


def cursor_json(cursor: Cursor) -> dict[str, Any]:
    return {
        "position": cursor.position,
        "iteration": cursor.iteration,
        "length": cursor.length,
        "cycles": cursor.cycles,
        "empty": cursor.length == 0,
        "eof": cursor.position == cursor.length - 1,
        "bof": cursor.position == 0,
        "cr": False,
        "ref": cursor.ref,
    }


def item_json(item: Any) -> dict[str, Any] | None:
    return None if item is None else {**item.raw, "id": item.id, "name": item.name}


def execution_json(execution: Execution) -> dict[str, Any]:
    out: dict[str, Any] = {
        "cursor": cursor_json(execution.cursor),
        "item": item_json(execution.item),
        "request": request_json(execution.request or {}),
        "response": response_json(execution.response) if execution.response else None,
        "id": execution.item.id,
        "assertions": [assertion_json(a) for a in execution.assertions],
    }
    if execution.request_error is not None:
        out["requestError"] = error_json(execution.request_error)
    if execution.prerequest_script:
        out["prerequestScript"] = [script_json(s) for s in execution.prerequest_script]
    if execution.test_script:
        out["testScript"] = [script_json(s) for s in execution.test_script]
    return out


def request_json(request: dict[str, Any]) -> dict[str, Any]:
    """The request as sent, with the URL as Postman's URL object."""
    out = dict(request)
    if isinstance(out.get("url"), str):
        out["url"] = url_json(out["url"])
    out.setdefault("header", [])
    return out


def url_json(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    out: dict[str, Any] = {"raw": url, "protocol": parts.scheme}
    out["host"] = (parts.hostname or "").split(".") if parts.hostname else []
    try:
        if parts.port:
            out["port"] = str(parts.port)
    except ValueError:  # no port: a named pipe in Postman's form, http://unix:\\.\pipe\name:/x
        pass
    out["path"] = [p for p in parts.path.split("/") if p]
    out["query"] = [
        {"key": k, "value": v} for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    out["variable"] = []
    return out


def response_json(response: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": new_uuid(),
        "status": response.status,
        "code": response.code,
        "header": [{"key": k, "value": v} for k, v in response.headers],
        "stream": {"type": "Buffer", "data": list(response.body)},
        "cookie": [],
        "responseTime": response.response_time_ms,
        "responseSize": response.size,
    }
    if response.messages:
        out["messages"] = [m.to_json() for m in response.messages]
    return out


def assertion_json(event: AssertionEvent) -> dict[str, Any]:
    out: dict[str, Any] = {"assertion": event.assertion, "skipped": event.skipped}
    if event.error is not None:
        out["error"] = error_json(event.error)
    return out


def script_json(event: ScriptEvent) -> dict[str, Any]:
    return {"error": error_json(event.error)} if event.error is not None else {}


def error_json(error: Exception) -> dict[str, Any]:
    """``{name, message, stack}``; assertions add ``index`` and ``test`` (Newman's fields)."""
    name = error_name(error)
    message = getattr(error, "message", str(error))
    out: dict[str, Any] = {"name": name, "message": message, "stack": f"{name}: {message}"}
    for key in ("index", "test"):
        if hasattr(error, key):
            out[key] = getattr(error, key)
    return out


def error_name(error: Exception) -> str:
    """The JavaScript name for script and assertion errors, else our class name."""
    return getattr(error, "js_name", None) or getattr(error, "name", None) or type(error).__name__


def failure_json(failure: Failure) -> dict[str, Any]:
    return {
        "error": error_json(failure.error),
        "at": failure.at,
        "source": item_json(failure.source),
        "parent": {"id": failure.parent.id, "name": failure.parent.name}
        if failure.parent
        else None,
        "cursor": cursor_json(failure.cursor),
    }


def full_name(item: Any) -> str:
    """Folder path and item name, as Newman's junit reporter names a suite."""
    return " / ".join(item.location())
