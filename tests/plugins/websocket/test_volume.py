"""10,000 messages through a `message` script: every one recorded and counted, memory measured."""

import json
import resource
from pathlib import Path

from tests.clirun import run_cli

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
COUNT = 10_000


def test_ten_thousand_messages_are_all_recorded_and_counted(ws_url: str, tmp_path: Path) -> None:
    item = {
        "name": "ticker",
        "protocol": "websocket",
        "request": {"url": f"{ws_url}/ticker?n={COUNT}&ms=0", "until": {"messages": COUNT, "timeoutMs": 120000}},
        "event": [
            {"listen": "message", "script": {"exec": ["pm.collectionVariables.set('seen', (pm.collectionVariables.get('seen') || 0) + 1);"]}},
            {"listen": "test", "script": {"exec": [
                f"pm.test('every message seen by the message script', () => pm.expect(pm.collectionVariables.get('seen')).to.equal({COUNT}));",
                f"pm.test('every message recorded', () => pm.expect(pm.response.messages.count()).to.equal({COUNT}));",
                f"pm.test('in order', () => pm.expect(pm.response.messages.idx({COUNT - 1}).data).to.equal('tick {COUNT}'));",
            ]}},
        ],
    }  # fmt: skip
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps({"info": {"name": "volume", "schema": SCHEMA}, "item": [item]}))
    report = tmp_path / "r.json"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run_cli("run", str(collection), "-r", "json", "--reporter-json-export", str(report))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [] and run["stats"]["assertions"]["total"] == 3, result.out
    assert len(run["executions"][0]["response"]["messages"]) == COUNT
    print(f"\n10,000 WebSocket messages through a message script: peak RSS grew {grown_mb:.1f} MB")
