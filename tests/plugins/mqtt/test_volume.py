"""10,000 QoS 1 messages from mosquitto_pub, all received and counted by a `message` script."""

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.clirun import CliResult, run_cli

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
COUNT = 10_000


def test_ten_thousand_qos1_messages_are_all_counted(broker, topic: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("mosquitto_pub") is None:
        pytest.skip("mosquitto_pub is not installed (package mosquitto-clients)")
    item = {
        "name": "count",
        "protocol": "mqtt",
        "request": {
            "url": broker.url, "subscribe": [{"topic": f"{topic}/data", "qos": 1}],
            # retained, so the test sees it whenever it looks: the subscription is in place
            "messages": [{"topic": f"{topic}/ready", "data": "subscribed", "qos": 1, "retain": True}],
            "until": {"messages": COUNT, "timeoutMs": 120000, "idleMs": 30000},
        },
        "event": [
            {"listen": "message", "script": {"exec": ["pm.collectionVariables.set('seen', (pm.collectionVariables.get('seen') || 0) + 1);"]}},
            {"listen": "test", "script": {"exec": [
                f"pm.test('all counted', () => pm.expect(pm.collectionVariables.get('seen')).to.equal({COUNT}));",
                f"pm.test('none lost or repeated', () => pm.expect(new Set(pm.response.messages.filter(m => m.direction === 'received').map(m => m.data)).size).to.equal({COUNT}));",
            ]}},
        ],
    }  # fmt: skip
    collection, report = tmp_path / "c.json", tmp_path / "r.json"
    collection.write_text(json.dumps({"info": {"name": "mqtt volume", "schema": SCHEMA}, "item": [item]}))
    results: list[CliResult] = []
    run = threading.Thread(target=lambda: results.append(run_cli("run", str(collection), "-r", "json", "--reporter-json-export", str(report))))
    run.start()
    subprocess.run(["mosquitto_sub", "-L", f"{broker.url}/{topic}/ready", "-C", "1"], capture_output=True, check=True, timeout=60)
    lines = "".join(f"message {i}\n" for i in range(COUNT))
    subprocess.run(["mosquitto_pub", "-L", f"{broker.url}/{topic}/data", "-q", "1", "-l"], input=lines, text=True, check=True, timeout=120)
    run.join(180)
    summary = json.loads(report.read_text())["run"]
    assert summary["failures"] == [], results[0].out
    assert summary["stats"]["assertions"] == {"total": 2, "pending": 0, "failed": 0}
