"""The engine: one isolate per run, results, errors with positions, limits."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from wirecall.core.errors import ScriptLimitError, ScriptRuntimeError, ScriptSyntaxError
from wirecall.core.scripts.base import UNSET

from .conftest import make_context, passed


def test_importing_the_package_does_not_import_mini_racer() -> None:
    code = "import sys, wirecall.core.scripts; print('py_mini_racer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_sync_tests_pass_and_fail_with_chai_messages(run) -> None:
    result = await run(
        "pm.test('status is 200', () => pm.response.to.have.status(200));\n"
        "pm.test('name', () => pm.expect(pm.response.json().name).to.equal('Bob'));\n"
        "pm.test('no fn');\n"
        "pm.test.skip('later', () => { throw new Error('never runs') });"
    )
    assert passed(result) == [
        ("status is 200", True),
        ("name", False),
        ("no fn", True),
        ("later", True),
    ]
    failed = result.assertions[1]
    assert (failed.error_name, failed.error_message) == (
        "AssertionError",
        "expected 'Ada' to equal 'Bob'",
    )
    assert result.assertions[3].skipped and [a.index for a in result.assertions] == [0, 1, 2, 3]
    assert result.error is None and result.next_request is UNSET


async def test_console_is_captured_by_level(run) -> None:
    result = await run(
        "console.log('a', 1, {x: [1]}); console.warn('w'); console.error(new TypeError('t'))"
    )
    assert result.console == [
        ("log", ["a", 1, {"x": [1]}]),
        ("warn", ["w"]),
        ("error", ["TypeError: t"]),
    ]


async def test_thrown_error_is_reported_with_name_message_and_line(run) -> None:
    result = await run(
        "var a = {};\npm.test('before', () => {});\na.b.c = 1;\npm.test('never', () => {});"
    )
    assert passed(result) == [("before", True)]
    error = result.error
    assert isinstance(error, ScriptRuntimeError)
    assert str(error) == "Cannot set properties of undefined (setting 'c')"  # as Newman: no name
    assert (error.script, error.line, error.column, error.js_name) == (
        "item 'Get user'",
        3,
        7,
        "TypeError",
    )


async def test_syntax_error_names_line_and_column(run) -> None:
    result = await run("pm.test('x', () => {});\nvar x = ;\n")
    error = result.error
    assert isinstance(error, ScriptSyntaxError)
    assert (str(error), error.js_name) == ("Unexpected token ';'", "SyntaxError")
    assert (error.line, error.column) == (2, 9)
    assert result.assertions == []


async def test_a_script_that_runs_again_sees_its_new_context_and_reports_the_same_errors(
    run,
) -> None:
    # the isolate keeps each script's compiled function; a rerun must not notice
    source = (
        "pm.test(pm.info.iteration + ':' + pm.variables.get('row'), () => {});\nvar a;\na.b = 1;"
    )
    for iteration, row in ((0, 1), (1, 2), (2, 3)):
        context = make_context(iteration=iteration)
        context.variables.data.set("row", row)
        result = await run(source, context=context)
        assert passed(result) == [(f"{iteration}:{row}", True)]
        assert (result.error.js_name, result.error.line, result.error.column) == ("TypeError", 3, 5)
    for _ in range(2):
        error = (await run("pm.test('x', () => {});\nvar x = ;\n")).error
        assert isinstance(error, ScriptSyntaxError) and (error.line, error.column) == (2, 9)


async def test_scripts_beyond_the_kept_ones_still_run(run, monkeypatch) -> None:
    from wirecall.core.scripts import engine

    monkeypatch.setattr(engine, "KEPT_SCRIPTS", 2)
    sources = [f"pm.test('s{n}', () => {{}});" for n in range(4)]
    for source in sources + sources[::-1] + sources:
        assert passed(await run(source)) == [(source[9:11], True)]


async def test_message_scripts_of_one_stream_each_see_the_request_unchanged(run) -> None:
    # the isolate keeps a stream's request after the first message; each script gets a copy
    from wirecall.core.records import Message

    request = {"url": "ws://127.0.0.1:1/", "messages": [{"data": f"m{i}"} for i in range(3)]}
    source = (
        "pm.test('sees', () => pm.expect([pm.request.url.toString(), pm.request.messages.length])"
        ".to.eql(['ws://127.0.0.1:1/', 3]));\n"
        "pm.request.messages.push({data: 'mine'});"
    )
    for i in range(3):
        message = Message(direction="received", data=f"m{i}", index=i)
        context = make_context("message", request=request, protocol="websocket", message=message)
        context.response = None
        assert passed(await run(source, event="message", context=context)) == [("sees", True)]
    assert len(request["messages"]) == 3


async def test_top_level_await_and_let_over_a_legacy_global_are_syntax_errors(run) -> None:
    assert isinstance((await run("await 1")).error, ScriptSyntaxError)
    clash = (await run("let data = 1")).error
    assert isinstance(clash, ScriptSyntaxError) and "'data' has already been declared" in str(clash)
    assert (await run("var data = 1; var tests = {}; return")).error is None


async def test_scripts_get_a_fresh_scope_and_fresh_globals(run) -> None:
    await run("var mine = 1; leaked = 2; globalThis.other = 3")
    result = await run(
        "pm.test('clean', () => pm.expect([typeof mine, typeof leaked, typeof other]).to.eql(['undefined', 'undefined', 'undefined']))"
    )
    assert passed(result) == [("clean", True)]


async def test_globals_added_any_way_are_gone_for_the_next_script(run) -> None:
    # a hidden (non-enumerable) one, and one added after removing a built-in: the global
    # object then has as many names as before, in another order
    await run(
        "Object.defineProperty(globalThis, 'hidden', {value: 1, configurable: true});\n"
        "delete globalThis.unescape; globalThis.sameCount = 2; this.viaThis = 3"
    )
    result = await run(
        "pm.test('clean', () => pm.expect([typeof hidden, typeof sameCount, typeof viaThis])"
        ".to.eql(['undefined', 'undefined', 'undefined']))"
    )
    assert passed(result) == [("clean", True)]


async def test_endless_loop_hits_the_time_limit_and_the_engine_goes_on(run) -> None:
    result = await run("pm.test('first', () => {}); while (true) {}")
    assert isinstance(result.error, ScriptLimitError)
    assert str(result.error) == "script exceeded the time limit of 3000 ms"
    assert passed(await run("pm.test('after', () => {})")) == [("after", True)]


async def test_endless_loop_in_a_timer_callback_is_stopped_too(run) -> None:
    result = await run("setTimeout(() => { while (true) {} }, 1)")
    assert isinstance(result.error, ScriptLimitError)
    assert passed(await run("pm.test('after', () => {})")) == [("after", True)]


async def test_runaway_allocation_hits_the_memory_limit_and_the_engine_goes_on(run) -> None:
    result = await run("const a = []; while (true) a.push('x'.repeat(1000) + a.length)")
    assert isinstance(result.error, ScriptLimitError)
    assert str(result.error) == "script exceeded the memory limit of 64 MB"
    after = await run(
        "pm.test('after', () => pm.expect(1).to.equal(1)); pm.environment.set('k', 'v')"
    )
    assert passed(after) == [("after", True)]


async def test_no_python_process_or_file_system(run) -> None:
    result = await run(
        "pm.test('no process', () => pm.expect(typeof process).to.equal('undefined'));\n"
        "pm.test('no fs', () => pm.expect(() => require('fs')).to.throw(/Cannot find module 'fs'/));\n"
        "pm.test('no fetch', () => pm.expect(typeof fetch).to.equal('undefined'));"
    )
    assert passed(result) == [("no process", True), ("no fs", True), ("no fetch", True)]


async def test_pm_info_and_location(run) -> None:
    result = await run(
        "pm.test('info', () => pm.expect(pm.info).to.eql({eventName: 'test', iteration: 0,"
        " iterationCount: 2, requestName: 'Get user', requestId: 'item-1'}));\n"
        "pm.test('location', () => { pm.expect(Array.from(pm.execution.location)).to.eql(['Coll', 'Users', 'Get user']);"
        " pm.expect(pm.execution.location.current).to.equal('Get user') });"
    )
    assert passed(result) == [("info", True), ("location", True)]


async def test_set_next_request_and_skip_request(run) -> None:
    assert (
        await run("pm.execution.setNextRequest('Login'); postman.setNextRequest('Other')")
    ).next_request == "Other"
    assert (await run("pm.execution.setNextRequest(null)")).next_request is None
    skipped = await run("pm.execution.skipRequest()", event="prerequest")
    assert skipped.skip_request and skipped.error is None
    in_test = await run("pm.execution.skipRequest()")
    assert str(in_test.error) == "pm.execution.skipRequest is not a function"


async def test_visualizer_is_kept(run) -> None:
    result = await run("pm.visualizer.set('<b>{{name}}</b>', {name: pm.response.json().name})")
    assert result.visualizer == {
        "template": "<b>{{name}}</b>",
        "data": {"name": "Ada"},
        "options": {},
    }
    bad = await run("pm.visualizer.set(42)")
    assert str(bad.error) == "Invalid template. Template must be of type string, found number"


async def test_context_is_not_shared_between_engines() -> None:
    from wirecall.core.scripts import Script, open_engine

    ctx = make_context()
    one, two = open_engine(timeout_ms=None), open_engine(timeout_ms=None)
    try:
        await one.run(Script("pm.globals.set('x', 1)", "test", "collection"), ctx)
        assert ctx.variables.globals.get("x") == 1
        result = await two.run(
            Script(
                "pm.test('t', () => pm.expect(pm.globals.get('x')).to.equal(1))",
                "test",
                "collection",
            ),
            ctx,
        )
        assert passed(result) == [("t", True)]
    finally:
        await one.aclose()
        await two.aclose()


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux's")
async def test_scripts_hold_the_caller_on_v8s_cpu_only_for_a_moment() -> None:
    """A blocking evaluation binds V8's thread and the waiting one to one CPU; the waiting
    one is freed HOLD_S after it (the next scripts reuse the binding meanwhile) or when the
    engine closes. V8's thread keeps its Python thread state until the engine closes."""
    from wirecall.core.scripts import Script, open_engine
    from wirecall.core.scripts.v8_thread import HOLD_S

    allowed = os.sched_getaffinity(0)
    script = Script("pm.test('t', () => {})", "test", "c")
    engine = open_engine(timeout_ms=None)
    try:
        for _ in range(3):
            assert passed(await engine.run(script, make_context())) == [("t", True)]
        isolate = engine._mr
        assert isolate is not None and isolate._v8.adopted and isolate._v8._tid is not None
        held = os.sched_getaffinity(0)
        assert len(held) == 1 and os.sched_getaffinity(isolate._v8._tid) == held
        await asyncio.sleep(HOLD_S * 3)
        assert os.sched_getaffinity(0) == allowed
        assert passed(await engine.run(script, make_context())) == [("t", True)]
    finally:
        await engine.aclose()
    assert os.sched_getaffinity(0) == allowed
    assert not isolate._v8.adopted


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux's")
async def test_where_the_system_refuses_to_bind_the_caller_v8_is_left_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A container may refuse to bind a thread: scripts still run, and neither V8's thread
    nor the caller is left bound to one CPU."""
    from wirecall.core.scripts import Script, open_engine

    allowed = os.sched_getaffinity(0)
    bind = os.sched_setaffinity

    def refusing_the_caller(tid: int, cpus: set[int]) -> None:
        if tid in (0, threading.get_native_id()):
            raise PermissionError("not in this container")
        bind(tid, cpus)

    engine = open_engine(timeout_ms=None)
    try:
        script = Script("pm.test('t', () => {})", "test", "c")
        assert passed(await engine.run(script, make_context())) == [("t", True)]  # V8 known
        monkeypatch.setattr(os, "sched_setaffinity", refusing_the_caller)
        for _ in range(2):
            assert passed(await engine.run(script, make_context())) == [("t", True)]
        isolate = engine._mr
        assert isolate is not None and isolate._v8._tid is not None
        assert os.sched_getaffinity(isolate._v8._tid) == allowed
        assert os.sched_getaffinity(0) == allowed
    finally:
        await engine.aclose()


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux's")
async def test_message_scripts_run_off_the_cpu_of_the_stream_that_waits_for_them() -> None:
    """A batch of message scripts is an asynchronous evaluation: the loop thread goes on
    reading the stream meanwhile, so V8's thread runs on the other CPUs (on the one CPU
    when only one is allowed), and the caller's CPUs stay as they were."""
    from wirecall.core.records import Message
    from wirecall.core.scripts import Script, open_engine

    allowed = os.sched_getaffinity(0)
    engine = open_engine(timeout_ms=None)
    try:
        first = make_context("message", message=Message("received", "m0", index=0))
        contexts = [first, first.for_message(Message("received", "m1", index=1))]
        script = Script("pm.test('seen', () => pm.expect(pm.message.text()).to.match(/^m/))",
                        "message", "c")  # fmt: skip
        out = await engine.run_each([script], contexts)
        assert [passed(results[0]) for results in out] == [[("seen", True)]] * 2
        isolate = engine._mr
        assert isolate is not None and isolate._v8._tid is not None
        v8_cpus = os.sched_getaffinity(isolate._v8._tid)
        assert os.sched_getaffinity(0) == allowed
        assert v8_cpus <= allowed and len(v8_cpus) == max(1, len(allowed) - 1)
    finally:
        await engine.aclose()


async def test_values_orjson_refuses_still_cross_to_scripts_and_back(run) -> None:
    """Integers beyond 64 bits, nesting deeper than 254 levels and lone surrogates take the
    standard library's JSON (core/jsontext.py) both ways."""
    deep: list[Any] = []
    for _ in range(300):
        deep = [deep]
    ctx = make_context()
    ctx.variables.environment.set("big", 2**70)
    ctx.variables.environment.set("deep", deep)
    result = await run(
        "pm.test('big', () => pm.expect(pm.environment.get('big')).to.equal(Math.pow(2, 70)));\n"
        "let depth = 0;\n"
        "for (let d = pm.environment.get('deep'); d.length; d = d[0]) depth++;\n"
        "pm.test('deep', () => pm.expect(depth).to.equal(300));\n"
        "pm.environment.set('lone', 'a\\ud800b');",
        context=ctx,
    )
    assert passed(result) == [("big", True), ("deep", True)]
    assert ctx.variables.environment.get("lone") == "a\ud800b"
