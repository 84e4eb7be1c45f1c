"""A fast stream through a `message` script: its scripts run behind the stream in batches,
yet each message's script sees what the previous one set, reports in arrival order, and a
close in a later batch drops exactly the messages read after it."""

import json
from pathlib import Path

import pytest
from wirecall.core.run import message_scripts

from tests.clirun import run_cli

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SENT, CLOSE_AT = 2000, 1500  # far more than one batch (64) before the close


def test_a_close_many_batches_in_keeps_order_variables_and_the_drop_rule(
    ws_url: str, tmp_path: Path
) -> None:
    message_script = [
        "const n = (pm.collectionVariables.get('seen') || 0) + 1;",
        "pm.collectionVariables.set('seen', n);",
        "pm.test(`${pm.message.text()} is message ${n}`, () => pm.expect(pm.message.text()).to.equal(`tick ${n}`));",
        f"if (n === {CLOSE_AT}) pm.stream.close();",
    ]
    item = {
        "name": "ticker",
        "protocol": "websocket",
        "request": {"url": f"{ws_url}/ticker?n={SENT}&ms=0", "until": {"messages": SENT, "timeoutMs": 60000}},
        "event": [
            {"listen": "message", "script": {"exec": message_script}},
            {"listen": "test", "script": {"exec": [
                f"pm.test('seen', () => pm.expect(pm.collectionVariables.get('seen')).to.equal({CLOSE_AT}));",
                f"pm.test('kept', () => pm.expect(pm.response.messages.count()).to.equal({CLOSE_AT}));",
            ]}},
        ],
    }  # fmt: skip
    collection = tmp_path / "c.json"
    collection.write_text(
        json.dumps({"info": {"name": "batches", "schema": SCHEMA}, "item": [item]})
    )
    report = tmp_path / "r.json"
    result = run_cli("run", str(collection), "-r", "json", "--reporter-json-export", str(report))
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [], result.out
    execution = run["executions"][0]
    names = [a["assertion"] for a in execution["assertions"]]
    expected = [f"tick {n} is message {n}" for n in range(1, CLOSE_AT + 1)]
    assert names == [*expected, "seen", "kept"]
    messages = execution["response"]["messages"]
    assert [m["data"] for m in messages] == [f"tick {n}" for n in range(1, CLOSE_AT + 1)]


def test_slow_message_scripts_holding_the_stream_do_not_make_it_idle(
    ws_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its scripts BACKLOG messages behind, the stream waits for them, not for the
    server: that wait is not idleness (it once ended the stream with "idle for ...")."""
    monkeypatch.setattr(message_scripts, "BACKLOG", 4)
    sent = 12
    item = {
        "name": "ticker",
        "protocol": "websocket",
        "request": {"url": f"{ws_url}/ticker?n={sent}&ms=0",
                    "until": {"messages": sent, "idleMs": 250, "timeoutMs": 60000}},
        "event": [{"listen": "message", "script": {"exec": [
            "const end = Date.now() + 120; while (Date.now() < end) {}",  # a slow script
            "pm.test(pm.message.text(), () => {});",
        ]}}],
    }  # fmt: skip
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps({"info": {"name": "slow", "schema": SCHEMA}, "item": [item]}))
    report = tmp_path / "r.json"
    result = run_cli("run", str(collection), "-r", "json", "--reporter-json-export", str(report))
    execution = json.loads(report.read_text())["run"]["executions"][0]
    assert [a["assertion"] for a in execution["assertions"]] == [
        f"tick {n}" for n in range(1, sent + 1)
    ], result.out
