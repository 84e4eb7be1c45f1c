"""A fast stream through a `message` script: its scripts run behind the stream in batches,
yet each message's script sees what the previous one set, reports in arrival order, and a
close in a later batch drops exactly the messages read after it."""

import json
from pathlib import Path

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
