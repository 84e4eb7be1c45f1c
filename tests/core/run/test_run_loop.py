"""The run loop with an in-test protocol: event order, iterations, data, folders, flow control."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from wirecall.core.errors import DataFileError, UnknownProtocolError, UsageError
from wirecall.core.model import Collection
from wirecall.core.run.options import RunOptions
from wirecall.core.run.runner import run_collection
from wirecall.core.run.summary import RunSummary
from wirecall.core.scripts.base import Script

from tests.core.run.doubles import EchoHandler, LineEngine, Recorder, collection, item, make_host


async def run(
    items: list[dict[str, Any]], options: RunOptions | None = None, **extra: Any
) -> tuple[RunSummary, Recorder, LineEngine]:
    engine, recorder = LineEngine(), Recorder()
    summary = await run_collection(
        Collection(collection(items, **extra), "test.json"),
        options or RunOptions(reporters=[]),
        make_host(),
        [recorder],
        engine_factory=lambda options: engine,
    )
    return summary, recorder, engine


def requested(recorder: Recorder) -> list[str]:
    return [e.item.name for e in recorder.events if e.name == "request"]


async def test_events_come_in_newmans_order() -> None:
    summary, recorder, _ = await run([item("a", pre="log hi", tests="test ok")])
    assert recorder.names == [
        "start", "beforeIteration", "beforeItem",
        "beforeScript", "console", "script", "prerequest",
        "beforeRequest", "request",
        "beforeScript", "assertion", "script", "test",
        "item", "iteration", "beforeDone", "done",
    ]  # fmt: skip
    assert not summary.failed
    assert summary.stats["assertions"].total == 1


async def test_variables_resolve_and_scripts_change_the_request() -> None:
    EchoHandler.sent.clear()
    raw = [item("a", pre="set path from-script\nheader added")]
    summary, _, _ = await run(raw, variable=[{"key": "path", "value": "from-collection"}])
    assert EchoHandler.sent[-1]["url"] == "echo://x/from-script"
    assert EchoHandler.sent[-1]["header"] == [{"key": "x", "value": "added"}]
    assert (
        summary.collection.raw["item"][0]["request"].get("header") is None
    )  # collection untouched


async def test_iterations_with_a_data_file_repeat_the_last_row(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("path\none\ntwo\n")
    EchoHandler.sent.clear()
    options = RunOptions(iteration_data=str(data), iteration_count=3)
    summary, _, _ = await run([item("a")], options)
    assert [r["url"] for r in EchoHandler.sent] == ["echo://x/one", "echo://x/two", "echo://x/two"]
    assert summary.stats["iterations"].total == 3


async def test_without_count_one_iteration_per_data_row(tmp_path: Path) -> None:
    data = tmp_path / "rows.json"
    data.write_text(json.dumps([{"path": 1}, {"path": 2}]))
    summary, _, _ = await run([item("a")], RunOptions(iteration_data=str(data)))
    assert summary.stats["iterations"].total == 2


async def test_missing_data_file_fails_before_the_run_starts(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="rows.csv"):
        await run([item("a")], RunOptions(iteration_data=str(tmp_path / "rows.csv")))


async def test_folder_selection_runs_only_that_folder() -> None:
    folder = {"name": "F", "item": [item("in-1"), item("in-2")]}
    _, recorder, _ = await run([item("out"), folder], RunOptions(folders=["F"]))
    assert requested(recorder) == ["in-1", "in-2"]


async def test_unknown_folder_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="nope"):
        await run([item("a")], RunOptions(folders=["nope"]))


async def test_unknown_protocol_fails_before_start_naming_installed_ones() -> None:
    bad = item("a")
    bad["protocol"] = "carrier-pigeon"
    with pytest.raises(UnknownProtocolError, match="echo, loop"):
        await run([bad])


async def test_set_next_request_jumps_and_null_ends_the_iteration() -> None:
    items = [item("a", tests="next c"), item("b"), item("c", tests="next null"), item("d")]
    _, recorder, _ = await run(items, RunOptions(iteration_count=2))
    assert requested(recorder) == ["a", "c", "a", "c"]


async def test_skip_request_skips_sending_and_tests() -> None:
    _, recorder, engine = await run([item("a", pre="skip", tests="test never"), item("b")])
    assert requested(recorder) == ["b"]
    assert [e.skipped for e in recorder.events if e.name == "item"] == [True, False]
    assert ("item 'a'", "test") not in engine.runs


async def test_request_errors_fail_the_item_and_the_run_goes_on() -> None:
    summary, recorder, _ = await run([item("down", url="echo://down", tests="status"), item("up")])
    assert requested(recorder) == ["down", "up"]
    assert [f.at for f in summary.failures] == ["request", "assertion:0 in test-script"]
    assert "ECONNREFUSED" in summary.failures[0].error.message
    assert summary.stats["requests"].failed == 1


async def test_bail_stops_after_the_failing_item() -> None:
    items = [item("a", tests="fail broken|expected 1 to equal 2"), item("b")]
    summary, recorder, _ = await run(items, RunOptions(bail=True, iteration_count=2))
    assert requested(recorder) == ["a"]
    assert recorder.names[-4:] == ["item", "iteration", "beforeDone", "done"]
    assert summary.failures[0].error.message == "expected 1 to equal 2"


async def test_script_errors_and_assertion_failures_become_failures() -> None:
    folder = {"name": "F", "item": [item("a", tests="throw boom\nfail t|nope")]}
    summary, _, _ = await run([folder])
    assertion_failure, script_failure = (
        summary.failures
    )  # assertions come before their script event
    assert script_failure.at == "test-script"
    assert (script_failure.error.line, script_failure.error.column) == (1, 7)
    assert assertion_failure.at == "assertion:0 in test-script"
    assert assertion_failure.parent.name == "F"
    assert summary.stats["testScripts"].failed == 1


async def test_scripts_run_collection_then_folder_then_item() -> None:
    folder = {"name": "F", "item": [item("a", tests="test i")], "event": [
        {"listen": "test", "script": {"exec": ["test f"]}}]}  # fmt: skip
    coll_event = [{"listen": "test", "script": {"exec": ["test c"]}}]
    _, recorder, engine = await run([folder], event=coll_event)
    assert [e.assertion for e in recorder.events if e.name == "assertion"] == ["c", "f", "i"]
    assert engine.closed


async def test_no_engine_is_created_without_scripts() -> None:
    def no_engine(options: RunOptions) -> Any:
        raise AssertionError("engine created")

    summary = await run_collection(
        Collection(collection([item("a")]), "t.json"),
        RunOptions(),
        make_host(),
        engine_factory=no_engine,
    )
    assert summary.stats["requests"].total == 1


async def test_auth_is_signed_and_secret_params_are_masked(tmp_path: Path) -> None:
    EchoHandler.sent.clear()
    auth = {"type": "token", "token": [{"key": "token", "value": "{{secret}}"}]}
    options = RunOptions(
        env_vars={"secret": "s3cr3t-value"}, export_environment=str(tmp_path / "env.json")
    )
    await run([item("a")], options, auth=auth)
    assert EchoHandler.sent[-1]["headers"] == {"Authorization": "Token s3cr3t-value"}
    exported = json.loads((tmp_path / "env.json").read_text())
    assert exported["values"] == [{"key": "secret", "value": "********"}]


async def test_unknown_auth_type_fails_the_item() -> None:
    summary, _, _ = await run([item("a")], auth={"type": "kerberos-ish", "kerberos-ish": []})
    assert "unknown auth type 'kerberos-ish'" in summary.failures[0].error.message


async def test_streams_emit_messages_and_run_message_scripts() -> None:
    stream = item("s", url="loop://", tests="test done")
    stream["protocol"] = "loop"
    stream["request"]["messages"] = [{"data": "one"}, {"data": "two", "delayMs": 100}]
    stream["request"]["until"] = {"idleMs": 200}
    stream["event"].append({"listen": "message", "script": {"exec": ["test got", "close"]}})
    summary, recorder, _ = await run([stream])
    messages = [e.message for e in recorder.events if e.name == "message"]
    assert [(m.direction, m.data) for m in messages] == [("sent", "one"), ("received", "echo:one")]
    got = [e for e in recorder.events if e.name == "assertion" and e.assertion == "got"]
    assert got[0].message_index == 1 and got[0].event == "message"
    received_at = [getattr(e, "message", None) for e in recorder.events].index(messages[1])
    after_received = recorder.names[received_at + 1 :]
    assert after_received[:4] == ["beforeScript", "assertion", "script", "request"]
    assert not summary.failed


async def test_messages_read_after_a_script_closed_the_stream_are_dropped() -> None:
    """Message scripts run behind the stream: what it read after the message whose script
    closed it is dropped (no event, not in the response); what it sent meanwhile stays."""
    stream = item("s", url="loop://", tests="test done")
    stream["protocol"] = "loop"
    stream["request"]["messages"] = [{"data": "one"}, {"data": "two"}, {"data": "three"}]
    stream["request"]["until"] = {"idleMs": 200}
    stream["event"].append({"listen": "message", "script": {"exec": ["test got", "close"]}})
    summary, recorder, _ = await run([stream])
    received = [e.message.data for e in recorder.events if e.name == "message" and e.message.direction == "received"]
    assert received == ["echo:one"]
    assert [e.assertion for e in recorder.events if e.name == "assertion"] == ["got", "done"]
    (request,) = [e for e in recorder.events if e.name == "request"]
    assert [m.data for m in request.response.messages if m.direction == "received"] == ["echo:one"]
    assert not summary.failed


async def test_run_timeout_is_the_runs_error() -> None:
    stream = item("s", url="loop://")
    stream["protocol"] = "loop"
    stream["request"]["until"] = {"idleMs": 5000}
    summary, recorder, _ = await run([stream], RunOptions(timeout_ms=50))
    assert "exceeded --timeout 50 ms" in str(summary.error)
    assert recorder.names[-2:] == ["beforeDone", "done"]


async def test_a_stream_with_message_scripts_starts_after_the_script_engine() -> None:
    """The engine's start (V8's, ~0.1 s cold) is not on the stream's time: it is over before
    the stream sends anything."""
    recorder = Recorder()
    seen_at_start: list[str] = []

    class Engine(LineEngine):
        async def start(self, scripts: list[Script]) -> None:
            seen_at_start.extend(recorder.names)
            await super().start(scripts)

    stream = item("s", url="loop://")
    stream["protocol"] = "loop"
    stream["request"]["messages"] = [{"data": "one"}]
    stream["request"]["until"] = {"messages": 1}
    stream["event"].append({"listen": "message", "script": {"exec": ["test got"]}})
    summary = await run_collection(
        Collection(collection([stream]), "test.json"),
        RunOptions(reporters=[]),
        make_host(),
        [recorder],
        engine_factory=lambda options: Engine(),
    )
    assert not summary.failed
    assert seen_at_start[-1] == "beforeRequest" and "message" in recorder.names
