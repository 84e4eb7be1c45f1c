"""run_series: an item's test scripts and the next item's pre-request scripts in one
evaluation, the latter's results waiting for the ``run`` calls that ask for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from wirecall.core.scripts import Script, ScriptContext, open_engine

from .conftest import make_context, passed


class Counted:
    """A real engine, counting its isolate's blocking evaluations."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.evaluations = 0

    async def open(self) -> None:
        await self.engine.start([])
        isolate = self.engine._mr
        start_script = isolate.start_script

        def counting(text: str, timeout_s: float) -> Any:
            self.evaluations += 1
            return start_script(text, timeout_s)

        isolate.start_script = counting


@pytest.fixture
async def engine() -> AsyncIterator[Counted]:
    counted = Counted(open_engine(timeout_ms=None))
    await counted.open()
    yield counted
    await counted.engine.aclose()


def pre_context(test: ScriptContext, **overrides: Any) -> ScriptContext:
    """The next item's pre-request context, on the same variables as ``test``."""
    fields = {"variables": test.variables, "item_name": "Next", "item_id": "item-2", **overrides}
    return make_context("prerequest", **fields)


def same_start(context: ScriptContext) -> ScriptContext:
    """The context its item's run makes anew: the same fields, another object."""
    return make_context("prerequest", variables=context.variables, request=context.request,
                        item_name=context.item_name, item_id=context.item_id)  # fmt: skip


TEST = Script("pm.test('ok', () => pm.expect(pm.response.code).to.equal(200));\n"
              "pm.environment.set('token', 'from-test');", "test", "item 'Get user'")  # fmt: skip
PRE = Script("pm.variables.set('seen', pm.environment.get('token'));\n"
             "console.log('pre ran');", "prerequest", "item 'Next'")  # fmt: skip


async def test_a_result_run_ahead_is_taken_without_another_evaluation(engine: Counted) -> None:
    test = make_context("test")
    ahead = pre_context(test)
    done = await engine.engine.run_series([TEST], test, [PRE], ahead)
    assert [passed(r) for r in done] == [[("ok", True)]]
    assert test.variables.environment.get("token") == "from-test"
    assert test.variables.local.get("seen") is None  # not applied before it is asked for
    assert engine.evaluations == 1

    result = await engine.engine.run(PRE, same_start(ahead))
    assert engine.evaluations == 1
    assert result.console == [("log", ["pre ran"])]
    assert test.variables.local.get("seen") == "from-test"  # from the test script's change


async def test_a_variable_changed_in_between_runs_the_script_anew(engine: Counted) -> None:
    test = make_context("test")
    ahead = pre_context(test)
    await engine.engine.run_series([TEST], test, [PRE], ahead)
    test.variables.environment.set("token", "changed-since")
    await engine.engine.run(PRE, same_start(ahead))
    assert engine.evaluations == 2
    assert test.variables.local.get("seen") == "changed-since"


async def test_another_script_first_drops_the_results_run_ahead(engine: Counted) -> None:
    """setNextRequest sent the run elsewhere: the item run ahead for comes later, if at all,
    and its scripts run then."""
    test = make_context("test")
    ahead = pre_context(test)
    await engine.engine.run_series([TEST], test, [PRE], ahead)
    elsewhere = pre_context(test, item_name="Other", item_id="item-3")
    other = Script("pm.variables.set('other', 1);", "prerequest", "item 'Other'")
    await engine.engine.run(other, elsewhere)
    result = await engine.engine.run(PRE, same_start(ahead))
    assert engine.evaluations == 3
    assert result.console == [("log", ["pre ran"])]


async def test_the_same_script_for_another_item_runs_anew(engine: Counted) -> None:
    """A collection-level pre-request script is every item's: run ahead for one item, its
    result is not another's (where setNextRequest went instead)."""
    test = make_context("test")
    ahead = pre_context(test)
    await engine.engine.run_series([TEST], test, [PRE], ahead)
    other = pre_context(test, item_name="Other", item_id="item-3")
    result = await engine.engine.run(PRE, other)
    assert engine.evaluations == 2
    assert result.console == [("log", ["pre ran"])]


async def test_pre_request_scripts_run_ahead_hand_the_request_on(engine: Counted) -> None:
    """The collection's pre-request script changes the request; the item's sees the change,
    as when each runs in turn."""
    test = make_context("test")
    ahead = pre_context(test)
    adds = Script("pm.request.headers.add({key: 'X-Step', value: 'one'});", "prerequest", "c")
    reads = Script("pm.variables.set('step', pm.request.headers.get('X-Step'));",
                   "prerequest", "item 'Next'")  # fmt: skip
    await engine.engine.run_series([TEST], test, [adds, reads], ahead)
    context = same_start(ahead)
    for script in (adds, reads):
        assert not (await engine.engine.run(script, context)).error
    assert engine.evaluations == 1
    assert test.variables.local.get("step") == "one"
    assert {"key": "X-Step", "value": "one"} in context.request["header"]


async def test_a_request_skipped_ahead_is_skipped_without_later_changes(engine: Counted) -> None:
    test = make_context("test")
    ahead = pre_context(test)
    skips = Script("pm.execution.skipRequest();", "prerequest", "c")
    await engine.engine.run_series([TEST], test, [skips, PRE], ahead)
    context = same_start(ahead)
    assert (await engine.engine.run(skips, context)).skip_request
    assert engine.evaluations == 1
    assert test.variables.local.get("seen") is None


async def test_a_syntax_error_ahead_leaves_each_script_to_run_alone(engine: Counted) -> None:
    test = make_context("test")
    ahead = pre_context(test)
    broken = Script("pm.variables.set('x', 1);\nlet = ;", "prerequest", "item 'Next'")
    assert await engine.engine.run_series([TEST], test, [broken], ahead) == []
    result = await engine.engine.run(broken, same_start(ahead))
    assert result.error is not None and result.error.line == 2
    assert test.variables.local.get("x") is None


async def test_a_timer_reached_by_a_built_name_is_still_waited_for(engine: Counted) -> None:
    """A script whose text names no timer can still start one: the series stops there, the
    engine settles it, and the scripts after it run in turn."""
    test = make_context("test")
    ahead = pre_context(test)
    later = Script("const start = 'setTime' + 'out';\n"
                   "globalThis[start](() => pm.test('later', () => {}), 1);", "test", "c")  # fmt: skip
    done = await engine.engine.run_series([later], test, [PRE], ahead)
    assert [passed(r) for r in done] == [[("later", True)]]
    result = await engine.engine.run(PRE, same_start(ahead))
    assert result.console == [("log", ["pre ran"])]
    assert engine.evaluations == 2  # run anew: nothing was waiting for it


async def test_no_series_with_a_time_limit_per_script() -> None:
    limited = open_engine(timeout_ms=5000)
    try:
        test = make_context("test")
        assert await limited.run_series([TEST], test, [PRE], pre_context(test)) == []
    finally:
        await limited.aclose()
