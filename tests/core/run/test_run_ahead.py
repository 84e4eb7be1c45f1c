"""Pre-request scripts run ahead: in the V8 evaluation of the previous item's test scripts,
their results taken when their item runs, and dropped when the run goes elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from wirecall.core.model import Collection
from wirecall.core.run.options import RunOptions
from wirecall.core.run.runner import run_collection
from wirecall.core.scripts.isolate import Isolate

from tests.core.run.doubles import EchoHandler, Recorder, collection, item, make_host


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The blocking evaluations of pre-request and test scripts, as they happen."""
    seen: list[str] = []
    start_script = Isolate.start_script

    def counting(self: Isolate, text: str, timeout_s: float) -> Any:
        seen.append(text)
        return start_script(self, text, timeout_s)

    monkeypatch.setattr(Isolate, "start_script", counting)
    return seen


async def run(items: list[dict[str, Any]], options: RunOptions | None = None) -> Recorder:
    recorder = Recorder()
    EchoHandler.sent.clear()
    await run_collection(
        Collection(collection(items), "test.json"),
        options or RunOptions(reporters=[]),
        make_host(),
        [recorder],
    )
    return recorder


def console(recorder: Recorder) -> list[str]:
    return [" ".join(map(str, e.messages)) for e in recorder.events if e.name == "console"]


def assertions(recorder: Recorder) -> list[tuple[str, str, bool]]:
    return [(e.item.name, e.assertion, e.error is None)
            for e in recorder.events if e.name == "assertion"]  # fmt: skip


CHAIN = [
    item("a", pre="pm.environment.set('step', 'a');",
         tests="pm.test('a sent', () => pm.expect(pm.response.code).to.equal(200));\n"
               "pm.environment.set('step', 'a tested');"),
    item("b", pre="console.log('b pre sees ' + pm.environment.get('step'));\n"
                  "pm.environment.set('step', 'b');",
         tests="pm.test('b after its pre', () => pm.expect(pm.environment.get('step')).to.equal('b'));"),
    item("c", pre="console.log('c pre sees ' + pm.environment.get('step'));",
         tests="pm.test('c sent', () => pm.expect(pm.response.code).to.equal(200));"),
]  # fmt: skip


async def test_each_request_takes_one_evaluation_and_sees_what_came_before(
    evaluations: list[str],
) -> None:
    recorder = await run(CHAIN)
    assert console(recorder) == ["b pre sees a tested", "c pre sees b"]
    assert assertions(recorder) == [
        ("a", "a sent", True), ("b", "b after its pre", True), ("c", "c sent", True),
    ]  # fmt: skip
    assert recorder.names[2:11] == [
        "beforeItem", "beforeScript", "script", "prerequest", "beforeRequest", "request",
        "beforeScript", "assertion", "script",
    ]  # fmt: skip
    assert len(evaluations) == 4  # a's pre; a's test with b's pre; b's with c's; c's test


async def test_a_jump_elsewhere_leaves_the_skipped_items_pre_request_script_unseen(
    evaluations: list[str],
) -> None:
    """The test script's text does not name setNextRequest (it builds the name), so b's
    pre-request script runs ahead; the run goes to c, and b's result is never used."""
    jumps = "pm.execution['setNext' + 'Request']('c');"
    items = [item("a", tests=jumps), *CHAIN[1:]]
    recorder = await run(items)
    assert len(EchoHandler.sent) == 2
    assert console(recorder) == ["c pre sees undefined"]
    assert [e.item.name for e in recorder.events if e.name == "beforeItem"] == ["a", "c"]
    assert len(evaluations) == 3  # a's test with b's pre; c's pre anew; c's test


async def test_with_a_delay_between_requests_nothing_runs_ahead(evaluations: list[str]) -> None:
    recorder = await run(CHAIN, RunOptions(reporters=[], delay_request_ms=1))
    assert console(recorder) == ["b pre sees a tested", "c pre sees b"]
    assert len(evaluations) == 6
