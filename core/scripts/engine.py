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
import functools
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from wirecall.core import jsontext
from wirecall.core.errors import (
    ScriptError,
    ScriptLimitError,
    ScriptRuntimeError,
    ScriptSyntaxError,
)
from wirecall.core.scripts import DEFAULT_MEMORY_LIMIT, isolate, payload
from wirecall.core.scripts.ahead import Ahead
from wirecall.core.scripts.base import ScriptResult, run_in_turn
from wirecall.core.scripts.host import Host

if TYPE_CHECKING:
    from pathlib import Path

    from wirecall.core.scripts.base import Script, ScriptContext
    from wirecall.core.scripts.isolate import Isolate

HARD_CAP_MS = 120_000  # applies when no --timeout-script is given (Newman's default: none)

_PARSE_ERROR = re.compile(r"^[^\n]*?:(\d+): (\w+): ([^\n]*)\n([^\n]*)\n( *)\^", re.DOTALL)


KEPT_SCRIPTS = 256  # compiled script functions the isolate keeps, least recently run dropped
# received messages whose message scripts share one evaluation, and with it the time limit
# of --timeout-script; without one (only the hard cap applies) more share it: each
# evaluation is a hop to V8's thread and back, whose wake-ups cost most on a busy machine
MESSAGE_BATCH = 64
UNTIMED_BATCH = 256


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
        self._mr: Isolate | None = None
        self._legacy_names: list[str] = []
        self._message_request: dict[str, Any] | None = None  # the request the isolate holds
        self._functions: OrderedDict[str, int] = OrderedDict()  # source -> id in the isolate
        self._next_function = 0
        self._ahead: Ahead | None = None  # results of scripts run ahead (run_series)

    async def _isolate(self) -> Isolate:
        if self._mr is None:
            self._mr, self._legacy_names = await isolate.open_isolate(self.memory_limit_bytes)
            self._functions.clear()
            self._host.reset()
            self._message_request = None
        return self._mr

    async def start(self, scripts: list[Script]) -> None:
        mr = await self._isolate()  # V8 started, the sandbox loaded: ~0.1 s of a cold start
        await self._batchable(mr, scripts)  # compiled: a busy stream's first batch waited 3-7 ms

    async def run(self, script: Script, context: ScriptContext) -> ScriptResult:
        ahead, self._ahead = self._ahead, None
        if ahead is not None and (data := ahead.take(script, context)) is not None:
            self._ahead = ahead if ahead.left() else None
            return self._adopt(data, script, context)
        mr = await self._isolate()
        # a loop time, not an asyncio.timeout: most scripts end within their blocking start,
        # and only what awaits needs a timer (~15 µs a script spared)
        deadline = asyncio.get_running_loop().time() + self._limit_s()
        try:
            state = await self._start(mr, script, context, deadline)
            if state["state"] != "done":
                async with asyncio.timeout_at(deadline):
                    state["result"] = await self._settle(mr, state, context)
        except _script_failures() as exc:
            return ScriptResult(error=self._failure(exc, script))
        return self._adopt(state["result"], script, context)

    def _adopt(self, data: dict[str, Any], script: Script, context: ScriptContext) -> ScriptResult:
        """A finished run's answer written into ``context``, as its result."""
        assert self._mr is not None
        self._mr.script_done()
        return payload.apply_result(data, script, context)

    async def run_series(
        self,
        scripts: list[Script],
        context: ScriptContext,
        ahead: list[Script],
        ahead_context: ScriptContext,
    ) -> list[ScriptResult]:
        """``scripts`` on ``context`` as ``run`` runs them in turn and, in the same
        evaluation, ``ahead`` on ``ahead_context``: the next item's pre-request scripts, from
        the variables the first ones leave. Their results wait for the ``run`` calls that ask
        for them, unless something else comes first (:class:`Ahead`): one hand-over to V8's
        thread a request instead of two. Returns the results of the first of ``scripts``
        (none where they cannot share an evaluation); the caller runs the rest with ``run``.

        Only scripts that end within their start share an evaluation, and only without a
        per-script time limit (``--timeout-script``), which one evaluation cannot keep."""
        self._ahead = None
        runs = [(script, context) for script in scripts] + [(s, ahead_context) for s in ahead]
        if (
            self.timeout_ms
            or any("setNextRequest" in script.source for script in scripts)  # may go elsewhere
            or not all(self._in_one_go(script.source) for script, _ in runs)
        ):
            return []
        mr = await self._isolate()
        text, defined = self._series_text(runs)
        try:
            answer = mr.start_script(text, self._limit_s())
        except _script_failures() as exc:  # the run it stopped in failed; keep those before
            progress = jsontext.loads(await mr.eval_cancelable("__wirecall_batch()"))
            self._functions.update(defined)
            done = self._series_results(progress["results"] if progress else [], scripts, context)
            if len(done) < len(scripts):
                done.append(ScriptResult(error=self._failure(exc, scripts[len(done)])))
            return done
        if answer == _SYNTAX_ERROR:  # each script runs alone, and reports its own error
            return []
        self._functions.update(defined)
        state: dict[str, Any] = jsontext.loads(answer)
        finished = state["results"]
        done = self._series_results(finished, scripts, context)
        if state["pending"] is not None and len(done) < len(scripts):  # a timer, a host call
            script = scripts[len(done)]
            try:
                async with self._deadline():
                    data = await self._settle(mr, state["pending"], context)
                done.append(self._adopt(data, script, context))
            except _script_failures() as exc:
                done.append(ScriptResult(error=self._failure(exc, script)))
        elif state["pending"] is None and finished[len(scripts) :]:
            self._ahead = Ahead(ahead_context, ahead, finished[len(scripts) :])
        return done

    def _in_one_go(self, source: str) -> bool:
        """Whether the script's text leaves nothing to wait for after its start: no module
        files, promises, timers or host calls (a script may still reach one by a name it
        builds: a series stops there)."""
        uses = self._host.uses(source, self._legacy_names)
        return not (
            self._host.may_require(source, uses)
            or payload.may_leave_work(source)
            or _may_wait(source)
        )

    def _series_text(self, runs: list[tuple[Script, ScriptContext]]) -> tuple[str, dict[str, int]]:
        """``start_script``'s text for a series: a head per script, then a context document
        per script (scopes in the first only), and the new functions it defines."""
        heads, documents, defined = [], [], {}
        for script, context in runs:
            document = self._document(script, context, [])
            if documents:
                document["scopes"] = None
            documents.append(jsontext.dumps(document))
            if script.source in defined:
                heads.append({"id": defined[script.source]})
                continue
            function_id, definition, evicted = self._script_parts(script.source, document["legacy"])
            heads.append(_head(function_id, definition, evicted))
            if definition is not None:
                defined[script.source] = function_id
        return "\n".join([jsontext.dumps(heads), *documents]), defined

    def _series_results(
        self, finished: list[dict[str, Any]], scripts: list[Script], context: ScriptContext
    ) -> list[ScriptResult]:
        """The results of a series' first ``scripts`` among its ``finished`` runs."""
        return [
            self._adopt(data, script, context)
            for data, script in zip(finished, scripts, strict=False)
        ]

    async def run_each(
        self, scripts: list[Script], contexts: list[ScriptContext]
    ) -> list[list[ScriptResult]]:
        """The ``message`` scripts of several received messages: per context (a message, in
        order), each script in order, as ``run`` would. Synchronous scripts run in one
        evaluation per batch of messages: each evaluation costs a hop to V8's thread and
        back (~0.1 ms), more than a small message script itself."""
        self._ahead = None
        mr = await self._isolate()
        if len(contexts) < 2 or not await self._batchable(mr, scripts):
            return await run_in_turn(self.run, scripts, contexts)
        out: list[list[ScriptResult]] = [[] for _ in contexts]
        size = MESSAGE_BATCH if self.timeout_ms else UNTIMED_BATCH
        at = (0, 0)  # the next (message, script) to run
        while at[0] < len(contexts) and not _closed(out, at):
            # resuming inside a message: only its remaining scripts (they may close the stream)
            batch = contexts[at[0] : at[0] + (1 if at[1] else size)]
            answer = None
            try:
                async with self._deadline():
                    answer = await self._run_batch(mr, scripts, batch, at[1])
                    mr.script_done()  # one compiled evaluation, however many runs it held
                    at = self._collect(answer["results"], scripts, contexts, at, out)
                    if answer["pending"] is not None:  # a timer or host call: drive it
                        data = await self._settle(mr, answer["pending"], contexts[at[0]])
                        at = self._collect([data], scripts, contexts, at, out)
            except _script_failures() as exc:  # the run at `at` failed; go on after it
                if answer is None:  # stopped inside the batch: keep the runs it finished
                    progress = jsontext.loads(await mr.eval_cancelable("__wirecall_batch()"))
                    done = progress["results"] if progress else []
                    at = self._collect(done, scripts, contexts, at, out)
                out[at[0]].append(ScriptResult(error=self._failure(exc, scripts[at[1]])))
                at = _after(at, len(scripts))
        return out

    async def _batchable(self, mr: Isolate, scripts: list[Script]) -> bool:
        """Whether the scripts can share an evaluation: synchronous, needing no module files,
        and compiled (a syntax error is each run's own result, as ``run`` gives it)."""
        for script in scripts:
            uses = self._host.uses(script.source, self._legacy_names)
            if uses or "require" in script.source or payload.may_leave_work(script.source):
                return False
            function, new_id = self._script_function(
                script.source, payload.is_legacy(script.source)
            )
            if new_id is not None:
                from py_mini_racer import JSParseException

                try:
                    await mr.eval_cancelable(f"{function}, 0")
                except JSParseException:
                    return False
                self._functions[script.source] = new_id
        return True

    async def _run_batch(
        self, mr: Isolate, scripts: list[Script], contexts: list[ScriptContext], first: int
    ) -> dict[str, Any]:
        """One evaluation of ``__wirecall_runEach`` over the messages of ``contexts``."""
        context = contexts[0]
        document = payload.script_input(scripts[0], context, [], self._host.cookies_for(context))
        self._share_message_request(document, scripts[0], context)
        messages = payload.message_table([c.message for c in contexts])
        entries = []
        for script in scripts:
            fields = payload.script_fields(script, [], runs=len(contexts))
            fields["legacyUsed"] = self._host.legacy_named(script.source, self._legacy_names)
            function, _ = self._script_function(script.source, fields["legacy"])
            entries.append(f"{{fn: {function}, fields: {jsontext.dumps(fields)}}}")
        code = (
            f"__wirecall_runEach({_js_string(jsontext.dumps(document))}, "
            f"{_js_string(jsontext.dumps(messages))}, [{', '.join(entries)}], {first})"
            "\n//# sourceURL=wirecall-script"
        )
        answer: dict[str, Any] = jsontext.loads(await mr.eval_cancelable(code))
        self._message_request = context.request
        return answer

    def _collect(
        self,
        results: list[dict[str, Any]],
        scripts: list[Script],
        contexts: list[ScriptContext],
        at: tuple[int, int],
        out: list[list[ScriptResult]],
    ) -> tuple[int, int]:
        """Apply finished runs from ``at`` on, in order; return the position after them."""
        for data in results:
            context = contexts[at[0]]
            out[at[0]].append(payload.apply_result(data, scripts[at[1]], context))
            at = _after(at, len(scripts))
        return at

    def _limit_s(self) -> float:
        """One script's time limit in seconds (a batch of message scripts shares one)."""
        return (self.timeout_ms or HARD_CAP_MS) / 1000

    def _deadline(self) -> asyncio.Timeout:
        """One script's time limit as a timeout (no task, as wait_for)."""
        return asyncio.timeout(self._limit_s())

    def _failure(self, exc: BaseException, script: Script) -> ScriptError:
        from py_mini_racer import JSOOMException, JSParseException

        if isinstance(exc, TimeoutError):
            limit_ms = self.timeout_ms or HARD_CAP_MS
            return self._limit(script, f"script exceeded the time limit of {limit_ms:g} ms")
        if isinstance(exc, JSOOMException):
            mb = self.memory_limit_bytes / 2**20
            return self._limit(script, f"script exceeded the memory limit of {mb:g} MB")
        if isinstance(exc, JSParseException):
            return _syntax_error(str(exc), script)
        assert isinstance(exc, _Stuck)
        what = "; ".join(dict.fromkeys(exc.waiting))
        return ScriptRuntimeError(f"script can never finish: {what}", script=script.where)

    def _share_message_request(
        self, document: dict[str, Any], script: Script, context: ScriptContext
    ) -> None:
        """A stream's messages share one request (listing every message): sent once."""
        if script.event == "message" and context.request is self._message_request:
            document["request"], document["requestCached"] = None, True  # O(1) per message
        self._message_request = None

    async def _start(
        self, mr: Isolate, script: Script, context: ScriptContext, deadline: float
    ) -> dict[str, Any]:
        """Evaluate the script's synchronous part by the loop time ``deadline``; the answer
        says whether it is done. The loop waits for it, except for a message script: its
        stream goes on reading meanwhile (V8 works on its own thread)."""
        uses = self._host.uses(script.source, self._legacy_names)
        document = self._document(script, context, uses)
        if self._host.may_require(script.source, uses):  # npm files may have to be fetched
            async with asyncio.timeout_at(deadline):
                document["modules"] = await self._host.modules_for(script.source, uses)
        self._share_message_request(document, script, context)
        function_id, definition, evicted = self._script_parts(script.source, document["legacy"])
        if script.event == "message":
            async with asyncio.timeout_at(deadline):
                answer = await mr.eval_cancelable(
                    _script_code(document, function_id, definition, evicted)
                )
        else:
            head = jsontext.dumps(_head(function_id, definition, evicted))
            answer = mr.start_script(f"{head}\n{jsontext.dumps(document)}", _left(deadline))
            if answer == _SYNTAX_ERROR:  # evaluated as code, V8 tells where
                answer = mr.eval_blocking(
                    _script_code(document, function_id, definition, evicted), _left(deadline)
                )
        state: dict[str, Any] = jsontext.loads(answer)
        if definition is not None:  # the isolate has compiled and kept it
            self._functions[script.source] = function_id
        if script.event == "message":
            self._message_request = context.request  # __wirecall_run has kept it
        return state

    def _document(self, script: Script, context: ScriptContext, uses: list[str]) -> dict[str, Any]:
        """The context document a script starts from (no module files yet)."""
        document = payload.script_input(script, context, uses, self._host.cookies_for(context))
        document["modules"] = None
        document["legacyUsed"] = self._host.legacy_named(script.source, self._legacy_names)
        return document

    async def _settle(
        self, mr: Isolate, state: dict[str, Any], context: ScriptContext
    ) -> dict[str, Any]:
        """Drive a started script's timers and host calls until it is done; its result."""
        settled = False  # has a poll run since the last evaluation's promise reactions?
        tasks: dict[asyncio.Task[Any], int] = {}
        try:
            while state["state"] != "done":
                for request in state["requests"]:
                    tasks[asyncio.create_task(self._host.call(request, context))] = request["id"]
                if tasks or state["timer"] is not None:
                    delivered = await self._wait(tasks, state["timer"])
                    await mr.eval_cancelable(
                        f"__wirecall_deliver({_js_string(jsontext.dumps(delivered))})"
                    )
                elif settled:
                    raise _Stuck(state["waiting"])
                state = jsontext.loads(await mr.eval_cancelable("__wirecall_poll()"))
                settled = True
        finally:
            for task in tasks:
                task.cancel()
        result: dict[str, Any] = state["result"]
        return result

    def _script_function(self, source: str, legacy: bool) -> tuple[str, int | None]:
        """The script as a JavaScript expression (see :meth:`_script_parts`) and the new
        id it is kept under, if it is new."""
        function_id, definition, evicted = self._script_parts(source, legacy)
        new_id = None if definition is None else function_id
        return _function_ref(function_id, definition, evicted), new_id

    def _script_parts(self, source: str, legacy: bool) -> tuple[int, str | None, int | None]:
        """The script's function in the isolate: its id, and unless the isolate compiled it
        when the same text last ran (the same scripts run for every request), its
        definition, to be kept under that new id (the caller records it once the evaluation
        worked) in place of the least recently run one (the id returned last)."""
        known = self._functions.get(source)
        if known is not None:
            self._functions.move_to_end(source)
            return known, None, None
        evicted = None
        if len(self._functions) >= KEPT_SCRIPTS:
            evicted = self._functions.popitem(last=False)[1]
        self._next_function += 1
        # the legacy globals the text names (all where it may eval): each parameter costs
        # V8 ~0.3 µs to compile, and a test script naming its request is compiled per request
        named = self._host.legacy_named(source, self._legacy_names) if legacy else []
        params = ", ".join(["pm", *(self._legacy_names if named is None else named)])
        # Newman's sandbox runs `;var arguments = undefined;\n<source>\n;` as a function
        # body; the same text around the source gives the same syntax error texts.
        definition = f"(function ({params}) {{;var arguments = undefined;\n{source}\n;}})"
        return self._next_function, definition, evicted

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

    def _limit(self, script: Script, message: str) -> ScriptLimitError:
        return ScriptLimitError(message, script=script.where, js_name="Error")

    async def aclose(self) -> None:
        await self._host.aclose()
        if self._mr is not None:
            self._mr.close()
            self._mr = None


def _script_failures() -> tuple[type[BaseException], ...]:
    """What ends one script's run with an error of its own (the run goes on)."""
    from py_mini_racer import JSOOMException, JSParseException

    return (TimeoutError, JSOOMException, JSParseException, _Stuck)


_SYNTAX_ERROR = '{"state":"syntax"}'  # __wirecall_call's answer to a definition V8 rejects
# the sandbox's calls that wait for a timer or the host
_WAITING_WORDS = ("setTimeout", "setInterval", "setImmediate", "sendRequest", "jar", "vault")
_WAITING = re.compile(rf"\b(?:{'|'.join(_WAITING_WORDS)})\b")


@functools.lru_cache(maxsize=1024)
def _may_wait(source: str) -> bool:
    """Whether the script's text names a timer or a host call; cached per text, substring
    tests first (the expression alone was ~8 µs for the bench's new test script)."""
    return any(word in source for word in _WAITING_WORDS) and bool(_WAITING.search(source))


def _head(function_id: int, definition: str | None, evicted: int | None) -> dict[str, Any]:
    """A script's head for ``__wirecall_call``: its function's id, and its definition and
    the id it replaces if it is new."""
    head = {"id": function_id, "define": definition, "evict": evicted}
    return {k: v for k, v in head.items() if v is not None}


def _function_ref(function_id: int, definition: str | None, evicted: int | None) -> str:
    """A script's function as an expression: the kept one, or a new one it keeps."""
    if definition is None:
        return f"__wirecall.scripts.get({function_id})"
    drop = "" if evicted is None else f"__wirecall.scripts.delete({evicted}), "
    return f"({drop}__wirecall.keep({function_id}, {definition}))"


def _script_code(
    document: dict[str, Any], function_id: int, definition: str | None, evicted: int | None
) -> str:
    """A script's start as code to evaluate: ``__wirecall_run`` with its context."""
    function = _function_ref(function_id, definition, evicted)
    return (
        f"__wirecall_run({_js_string(jsontext.dumps(document))}, {function})"
        "\n//# sourceURL=wirecall-script"
    )


def _left(deadline: float) -> float:
    """Seconds until the loop time ``deadline``."""
    return deadline - asyncio.get_running_loop().time()


def _closed(out: list[list[ScriptResult]], at: tuple[int, int]) -> bool:
    """Whether the scripts of the message before ``at`` (all run) closed the stream."""
    return at[0] > 0 and at[1] == 0 and any(r.close_stream for r in out[at[0] - 1])


def _after(at: tuple[int, int], scripts: int) -> tuple[int, int]:
    """The (message, script) position after ``at``."""
    message, script = at
    return (message, script + 1) if script + 1 < scripts else (message + 1, 0)


def _js_string(text: str) -> str:
    """JSON text as a JavaScript string literal for evaluated code (JSON escapes line
    breaks; a string literal may hold every other character), quoted with ' so that its
    many " need no escape: json.dumps of the text cost ~5 k
    instructions per message of a batch, and V8's scanner takes the slow path per escape."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


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
