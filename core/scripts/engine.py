"""The V8 script engine: one mini-racer isolate per run, one fresh ``pm`` per script.

A script starts with ONE evaluation carrying its input as a JSON string and its source
wrapped in a function, and for a synchronous script that evaluation's JSON answer is the
whole result. Scripts that start timers or host calls (pm.sendRequest, the cookie jar, the
vault) leave work pending; then this module drives them: it polls the sandbox for host
requests and the next timer, does the I/O in Python, and delivers results back. Every piece
of JavaScript runs inside ``eval_cancelable`` under one deadline per script, so an endless
loop anywhere (also in a callback) is stopped and the isolate stays usable.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from wirecall.core.errors import ScriptLimitError, ScriptRuntimeError, ScriptSyntaxError
from wirecall.core.scripts import DEFAULT_MEMORY_LIMIT, isolate, payload
from wirecall.core.scripts.base import ScriptResult
from wirecall.core.scripts.host import Host

if TYPE_CHECKING:
    from pathlib import Path

    from py_mini_racer import MiniRacer
    from wirecall.core.scripts.base import Script, ScriptContext

HARD_CAP_MS = 120_000  # applies when no --timeout-script is given (Newman's default: none)

_PARSE_ERROR = re.compile(r"^[^\n]*?:(\d+): (\w+): ([^\n]*)\n([^\n]*)\n( *)\^", re.DOTALL)


KEPT_SCRIPTS = 256  # compiled script functions the isolate keeps, least recently run dropped


class V8Engine:
    """A :class:`ScriptEngine` on mini-racer; create one per run, inside the run's loop."""

    def __init__(
        self,
        *,
        timeout_ms: float | None = None,
        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
        module_cache: Path | None = None,
        registry: str | None = None,
    ) -> None:
        self.timeout_ms = timeout_ms or None
        self.memory_limit_bytes = memory_limit_bytes
        self._host = Host(module_cache=module_cache, registry=registry)
        self._mr: MiniRacer | None = None
        self._legacy_names: list[str] = []
        self._message_request: dict[str, Any] | None = None  # the request the isolate holds
        self._functions: OrderedDict[str, int] = OrderedDict()  # source -> id in the isolate
        self._next_function = 0

    async def _isolate(self) -> MiniRacer:
        if self._mr is None:
            self._mr, self._legacy_names = await isolate.open_isolate(self.memory_limit_bytes)
            self._functions.clear()
            self._host.reset()
            self._message_request = None
        return self._mr

    async def run(self, script: Script, context: ScriptContext) -> ScriptResult:
        from py_mini_racer import JSOOMException, JSParseException

        mr = await self._isolate()
        limit_ms = self.timeout_ms or HARD_CAP_MS
        try:
            async with asyncio.timeout(limit_ms / 1000):  # no task per script, as wait_for has
                data = await self._drive(mr, script, context)
        except TimeoutError:
            return self._limit(script, f"script exceeded the time limit of {limit_ms:g} ms")
        except JSOOMException:
            mb = self.memory_limit_bytes / 2**20
            return self._limit(script, f"script exceeded the memory limit of {mb:g} MB")
        except JSParseException as exc:
            return ScriptResult(error=_syntax_error(str(exc), script))
        except _Stuck as exc:
            what = "; ".join(dict.fromkeys(exc.waiting))
            error = ScriptRuntimeError(f"script can never finish: {what}", script=script.where)
            return ScriptResult(error=error)
        isolate.after_script(mr)
        return payload.apply_result(data, script, context)

    async def _drive(self, mr: MiniRacer, script: Script, context: ScriptContext) -> dict[str, Any]:
        uses = self._host.uses(script.source, self._legacy_names)
        document = payload.script_input(script, context, uses, self._host.cookies_for(context))
        document["modules"] = await self._host.modules_for(script.source, uses)
        document["legacyUsed"] = self._host.legacy_named(script.source, self._legacy_names)
        message_request = context.request if script.event == "message" else None
        if message_request is not None and message_request is self._message_request:
            document["request"], document["requestCached"] = None, True  # O(1) per message
        self._message_request = None
        function, new_id = self._script_function(script.source, document["legacy"])
        code = (
            f"__wirecall_run({json.dumps(json.dumps(document))}, {function})"
            "\n//# sourceURL=wirecall-script"
        )
        state = json.loads(await mr.eval_cancelable(code))
        if new_id is not None:  # the isolate has compiled and kept it
            self._functions[script.source] = new_id
        self._message_request = message_request  # __wirecall_run has kept it
        settled = False  # has a poll run since the last evaluation's promise reactions?
        tasks: dict[asyncio.Task[Any], int] = {}
        try:
            while state["state"] != "done":
                for request in state["requests"]:
                    tasks[asyncio.create_task(self._host.call(request, context))] = request["id"]
                if tasks or state["timer"] is not None:
                    delivered = await self._wait(tasks, state["timer"])
                    await mr.eval_cancelable(
                        f"__wirecall_deliver({json.dumps(json.dumps(delivered))})"
                    )
                elif settled:
                    raise _Stuck(state["waiting"])
                state = json.loads(await mr.eval_cancelable("__wirecall_poll()"))
                settled = True
        finally:
            for task in tasks:
                task.cancel()
        return state["result"]

    def _script_function(self, source: str, legacy: bool) -> tuple[str, int | None]:
        """The script as a JavaScript expression: the function the isolate compiled when the
        same text last ran (the same scripts run for every request), else its definition,
        kept under a new id (returned; the caller records it once the evaluation worked)."""
        known = self._functions.get(source)
        if known is not None:
            self._functions.move_to_end(source)
            return f"__wirecall.scripts.get({known})", None
        evict = ""
        if len(self._functions) >= KEPT_SCRIPTS:
            evict = f"__wirecall.scripts.delete({self._functions.popitem(last=False)[1]}), "
        self._next_function += 1
        params = ", ".join(["pm", *self._legacy_names]) if legacy else "pm"
        # Newman's sandbox runs `;var arguments = undefined;\n<source>\n;` as a function
        # body; the same text around the source gives the same syntax error texts.
        definition = f"function ({params}) {{;var arguments = undefined;\n{source}\n;}}"
        return f"({evict}__wirecall.keep({self._next_function}, {definition}))", self._next_function

    async def _wait(
        self, tasks: dict[asyncio.Task[Any], int], timer: float | None
    ) -> list[dict[str, Any]]:
        """Wait for host calls to finish or the next timer to be due; return finished calls."""
        if not tasks:
            await asyncio.sleep(timer / 1000 if timer else 0)
            return []
        done, _ = await asyncio.wait(
            tasks,
            timeout=None if timer is None else timer / 1000,
            return_when=asyncio.FIRST_COMPLETED,
        )
        return [{"id": tasks.pop(task), **task.result()} for task in done]

    def _limit(self, script: Script, message: str) -> ScriptResult:
        return ScriptResult(error=ScriptLimitError(message, script=script.where, js_name="Error"))

    async def aclose(self) -> None:
        await self._host.aclose()
        if self._mr is not None:
            self._mr.close()
            self._mr = None


class _Stuck(Exception):
    """The script waits for something nothing will ever do (a done() never called)."""

    def __init__(self, waiting: list[str]) -> None:
        super().__init__(waiting)
        self.waiting = waiting


def _syntax_error(text: str, script: Script) -> ScriptSyntaxError:
    """V8's parse report ("<name>:LINE: SyntaxError: msg / source line / caret") as an error."""
    match = _PARSE_ERROR.match(text)
    if not match:
        return ScriptSyntaxError(text.strip(), script=script.where, js_name="SyntaxError")
    line, name, message, _, caret = match.groups()
    return ScriptSyntaxError(
        message, script=script.where, line=int(line) - 1, column=len(caret) + 1, js_name=name
    )
