"""A stream's message scripts for many messages at once (``run_each``): one V8 evaluation per
batch, with the same results, in the same order, as running each script on its own."""

from __future__ import annotations

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


async def test_a_syntax_error_is_each_messages_result_and_other_scripts_still_run(
    engine: V8Engine,
) -> None:
    broken = script("pm.test('x', () => {", "collection")
    fine = script("pm.test('fine', () => {});")
    out = await engine.run_each([broken, fine], contexts(3))
    for results in out:
        assert results[0].error is not None and results[0].error.js_name == "SyntaxError"
        assert passed(results[1]) == [("fine", True)]
