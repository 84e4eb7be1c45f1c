"""A stream's message scripts for many messages at once (``run_each``): one V8 evaluation per
batch, with the same results, in the same order, as running each script on its own."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator

import pytest
from wirecall.core.records import Message
from wirecall.core.scripts import Script, ScriptContext, open_engine
from wirecall.core.scripts.engine import MESSAGE_BATCH, V8Engine

from .conftest import make_context, passed

COUNT = MESSAGE_BATCH + 6  # more than one batch


@pytest.fixture
async def engine() -> AsyncIterator[V8Engine]:
    engine = open_engine(timeout_ms=500, memory_limit_bytes=64 * 2**20)
    assert isinstance(engine, V8Engine)
    yield engine
    await engine.aclose()


def contexts(count: int = COUNT) -> list[ScriptContext]:
    request = {"url": "ws://example.test/feed", "messages": [{"data": "go"}]}
    first = make_context("message", request=request, protocol="websocket", response=None)
    return [
        make_context(
            "message",
            request=request,
            protocol="websocket",
            response=None,
            variables=first.variables,  # one run: the scopes are shared
            message=Message("received", f"m{i}", index=i),
        )
        for i in range(count)
    ]


def script(source: str, where: str = "item 'feed'") -> Script:
    return Script(source, "message", where)


async def test_each_message_sees_the_variables_the_previous_ones_set(engine: V8Engine) -> None:
    ctxs = contexts()
    counting = script(
        "const n = Number(pm.environment.get('seen') || 0);\n"
        "pm.test(`message ${pm.message.index} after ${n}`, () => pm.expect(pm.message.text()).to.equal(`m${n}`));\n"
        "pm.environment.set('seen', n + 1);"
    )
    out = await engine.run_each([counting], ctxs)
    assert [passed(results[0]) for results in out] == [
        [(f"message {i} after {i}", True)] for i in range(COUNT)
    ]
    assert ctxs[0].variables.environment.get("seen") == COUNT


async def test_scripts_of_a_message_run_in_order_and_send(engine: V8Engine) -> None:
    first = script("pm.variables.set('order', 'a');", "collection")
    second = script("pm.stream.send(pm.variables.get('order') + pm.message.text());")
    out = await engine.run_each([first, second], contexts(3))
    sent = [[[m["data"] for m in r.send_messages] for r in results] for results in out]
    assert sent == [[[], ["am0"]], [[], ["am1"]], [[], ["am2"]]]


async def test_a_global_one_message_script_sets_is_gone_for_the_next(engine: V8Engine) -> None:
    leaking = script("pm.test(`clean ${typeof earlier}`, () => {}); earlier = pm.message.index;")
    out = await engine.run_each([leaking], contexts(5))
    assert [passed(results[0]) for results in out] == [[("clean undefined", True)]] * 5


@pytest.mark.parametrize(
    "define",
    [
        "Object.defineProperty(globalThis, 'hidden', {value: 1, configurable: true})",
        "Object.defineProperties(globalThis, {hidden: {value: 1, configurable: true}})",
        "Reflect.defineProperty(globalThis, 'hidden', {value: 1, configurable: true})",
        "const define = Object.defineProperty; define(globalThis, 'hidden', {value: 1, configurable: true})",
    ],
)
async def test_a_global_defined_without_enumeration_is_gone_for_the_next(
    engine: V8Engine, define: str
) -> None:
    hiding = script(f"pm.test(`clean ${{typeof hidden}}`, () => {{}}); {define};")
    out = await engine.run_each([hiding], contexts(4))
    assert [passed(results[0]) for results in out] == [[("clean undefined", True)]] * 4


async def test_the_defining_functions_behave_as_the_native_ones(engine: V8Engine) -> None:
    probe = script(
        "pm.test(Object.defineProperty.name + Object.defineProperty.length, () => {});\n"
        "pm.test(String(Reflect.defineProperty({}, 'a', {value: 1})), () => {});\n"
        "pm.test(Object.defineProperties({}, {b: {value: 2, enumerable: true}}).b, () => {});\n"
        "pm.test('throws', () => Object.defineProperty(1, 'a', {}));"
    )
    out = await engine.run_each([probe], contexts(2))
    for results in out:
        assert [(a.name, a.passed, a.error_message) for a in results[0].assertions] == [
            ("defineProperty3", True, None),
            ("true", True, None),
            ("2", True, None),
            ("throws", False, "Object.defineProperty called on non-object"),
        ]


async def test_no_script_runs_after_the_message_whose_script_closed_the_stream(
    engine: V8Engine,
) -> None:
    ctxs = contexts()
    closing = script(
        "pm.environment.set('ran', (pm.environment.get('ran') || 0) + 1);\n"
        "if (pm.message.text() === 'm2') pm.stream.close();"
    )
    out = await engine.run_each([closing], ctxs)
    assert [len(results) for results in out] == [1, 1, 1] + [0] * (COUNT - 3)
    assert out[2][0].close_stream
    assert ctxs[0].variables.environment.get("ran") == 3


async def test_a_timer_in_one_message_script_is_driven_and_the_batch_goes_on(
    engine: V8Engine,
) -> None:
    later = script(
        "if (pm.message.index === 3) setTimeout(() => pm.test('late', () => {}), 5);\n"
        "pm.test('now', () => {});"
    )
    out = await engine.run_each([later], contexts(8))
    assert [passed(results[0]) for results in out] == [
        [("now", True), ("late", True)] if i == 3 else [("now", True)] for i in range(8)
    ]


async def test_a_script_over_the_time_limit_fails_alone(engine: V8Engine) -> None:
    ctxs = contexts()
    looping = script(
        "if (pm.message.index === 5) { while (true) {} }\npm.environment.set('last', pm.message.index);"
    )
    out = await engine.run_each([looping], ctxs)
    errors = [results[0].error for results in out]
    assert errors[5] is not None and "time limit of 500 ms" in str(errors[5])
    assert all(error is None for i, error in enumerate(errors) if i != 5)
    assert ctxs[0].variables.environment.get("last") == COUNT - 1


async def test_a_stopped_batchs_finished_runs_are_taken_once(engine: V8Engine) -> None:
    """The last message's script loops: the engine keeps the runs before it from the
    stopped batch; a later stop (before a new batch begins) must not find them again."""
    looping = script(f"if (pm.message.index === {COUNT - 1}) {{ while (true) {{}} }}")
    out = await engine.run_each([looping], contexts())
    assert [i for i, results in enumerate(out) if results[0].error] == [COUNT - 1]
    assert engine._mr is not None
    assert await engine._mr.eval_cancelable("__wirecall_batch()") == "null"


async def test_a_syntax_error_is_each_messages_result_and_other_scripts_still_run(
    engine: V8Engine,
) -> None:
    broken = script("pm.test('x', () => {", "collection")
    fine = script("pm.test('fine', () => {});")
    out = await engine.run_each([broken, fine], contexts(3))
    for results in out:
        assert results[0].error is not None and results[0].error.js_name == "SyntaxError"
        assert passed(results[1]) == [("fine", True)]


async def test_each_message_gets_a_pm_of_its_own(engine: V8Engine) -> None:
    # what one message's script adds to pm or changes in its message is gone for the next
    fresh = script(
        "pm.test(`clean ${typeof pm.added} ${pm.message.text()} ${pm.message.toJSON().data}`, () => {});\n"
        "pm.added = 1; pm.message.data = 'changed'; pm.message.toJSON().data = 'changed';\n"
        "pm.test('own keys', () => pm.expect(Object.keys(pm).slice(-3)).to.eql(['message', 'stream', 'added']));"
    )
    out = await engine.run_each([fresh], contexts(4))
    assert [passed(results[0]) for results in out] == [
        [(f"clean undefined m{i} m{i}", True), ("own keys", True)] for i in range(4)
    ]


async def test_pm_in_a_batch_reflects_as_in_a_run_of_its_own(engine: V8Engine) -> None:
    probe = script(
        "const d = Object.getOwnPropertyDescriptor(pm, 'info');\n"
        "console.log(Object.keys(pm), [d.writable, d.enumerable, d.configurable], delete pm.test,\n"
        "  typeof pm.test, 'message' in pm, Object.isFrozen(Object.freeze(pm)));"
    )
    ctxs = contexts(2)
    alone = await engine.run(probe, ctxs[0])
    out = await engine.run_each([probe], ctxs)
    assert alone.error is None and alone.console
    assert [results[0].console for results in out] == [alone.console] * 2


async def test_a_batch_gives_the_results_runs_of_their_own_give(engine: V8Engine) -> None:
    # passed, failed, skipped and legacy tests, and console lines: the same results
    mixed = script(
        "pm.test('passes', () => {});\n"
        "if (pm.message.index % 2) pm.test('fails', () => pm.expect(1).to.equal(2));\n"
        "if (pm.message.index === 2) pm.test.skip('skipped');\n"
        "if (pm.message.index === 3) tests['legacy'] = false;\n"
        "if (pm.message.index === 4) console.log('four');"
    )
    batched = await engine.run_each([mixed], contexts(6))
    alone = [await engine.run(mixed, context) for context in contexts(6)]
    assert [results[0].assertions for results in batched] == [r.assertions for r in alone]
    assert [results[0].console for results in batched] == [r.console for r in alone]
    assert batched[1][0].assertions[1].error_message == "expected 1 to equal 2"


async def test_messages_reach_a_batch_as_they_are(engine: V8Engine) -> None:
    # binary data, protocol fields (one of them named __proto__) and messages of other shapes
    messages = [
        Message("received", "text", index=0, timestamp=1.5),
        Message("received", b"\x00\xff", index=1, timestamp=2.25),
        Message("received", 'it\'s \\ "quoted"\n', type="json", index=2, fields={"topic": "a/b"}),
        Message("received", "x", index=3, fields={"__proto__": {"p": 1}, "qos": 1}),
    ]
    ctxs = contexts(len(messages))
    for context, message in zip(ctxs, messages, strict=True):
        context.message = message
    shown = script(
        "const m = pm.message;\n"
        "console.log(m.text(), m.data, m.timestamp.getTime(), Object.keys(m), Object.getPrototypeOf(m) === null);\n"
        "console.log(JSON.stringify(m.toJSON()));"
    )
    out = await engine.run_each([shown], ctxs)
    alone = [await engine.run(shown, context) for context in ctxs]
    assert [(r[0].console, str(r[0].error)) for r in out] == [
        (r.console, str(r.error)) for r in alone
    ]
    assert [json.loads(r[0].console[1][1][0]) for r in out[:3]] == [
        json.loads(json.dumps(m.to_json())) for m in messages[:3]
    ]


async def test_started_with_its_scripts_the_first_batch_is_one_evaluation(
    engine: V8Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``start`` compiles a stream's message scripts before it connects: its first batch
    is then one evaluation, the runs themselves, with nothing to compile first."""
    probe = script("pm.test('seen', () => pm.expect(pm.message.text()).to.match(/^m/));")
    await engine.start([probe])
    isolate = await engine._isolate()
    evaluated: list[str] = []
    evaluate = isolate.eval_cancelable

    async def counting(code: str) -> object:
        evaluated.append(code)
        return await evaluate(code)

    monkeypatch.setattr(isolate, "eval_cancelable", counting)
    out = await engine.run_each([probe], contexts(3))
    assert [passed(results[0]) for results in out] == [[("seen", True)]] * 3
    assert len(evaluated) == 1 and evaluated[0].startswith("__wirecall_runEach(")


def test_a_context_for_a_message_is_its_streams_with_that_message() -> None:
    stream = contexts(1)[0]
    stream.message = None
    message = Message("received", "m", index=7)
    twin = stream.for_message(message)
    assert isinstance(twin, ScriptContext) and twin.message is message
    assert stream.message is None
    assert dataclasses.replace(twin, message=None) == stream
