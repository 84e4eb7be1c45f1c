"""WebSocket and MQTT: messages per second through ``wirecall run`` against a raw client loop.

wirecall runs a one-item collection that sends N messages and listens until N came back
(``until.messages``), with and without a ``message`` script holding one ``pm.test`` (so N
assertions). Its rate is N / the item's ``responseTime`` from the JSON report (the exchange:
handshake, sending, receiving, message events and scripts, closing; not process or V8
start). The raw loop (tests.bench.stream_client) times the same span of its own connection. Each wirecall run is
verified from its JSON report (1 request, N assertions with the script, none failed).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from wirecall.core.demo import DemoServer, start

from tests.bench import measure
from tests.bench.collections import SCHEMA
from tests.bench.measure import BenchFailure, failures
from tests.bench.tables import Row

MESSAGES = 1000
REPS = 5  # alternating; the raw WebSocket loop runs at either ~19k or ~33k msg/s on this VM
TOPIC = "bench/stream"
MESSAGE_SCRIPT = [
    "pm.test('message came back', function () {",
    "  pm.expect(pm.message.text()).to.match(/^m[0-9]+$/);",
    "});",
]


def stream_request(protocol: str, url: str, n: int) -> dict[str, Any]:
    if protocol == "websocket":
        messages = [{"data": f"m{i}"} for i in range(n)]
        return {
            "url": f"{url}/echo",
            "messages": messages,
            "until": {"messages": n, "timeoutMs": 120000},
        }
    messages = [{"topic": TOPIC, "data": f"m{i}"} for i in range(n)]
    return {"url": url, "subscribe": [{"topic": TOPIC, "qos": 0}], "messages": messages,
            "until": {"messages": n, "timeoutMs": 120000}}  # fmt: skip


def stream_collection(protocol: str, url: str, n: int, script: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"name": f"{protocol} x{n}", "protocol": protocol,
                            "request": stream_request(protocol, url, n)}  # fmt: skip
    if script:
        item["event"] = [
            {"listen": "message", "script": {"type": "text/javascript", "exec": MESSAGE_SCRIPT}}
        ]
    return {"info": {"name": f"bench {protocol}", "schema": SCHEMA}, "item": [item]}


def _wirecall_rate(work: Path, protocol: str, url: str, n: int, script: bool) -> float:
    path, report = work / f"{protocol}-{n}-{script}.json", work / "stream-report.json"
    path.write_text(json.dumps(stream_collection(protocol, url, n, script)))
    report.unlink(missing_ok=True)
    exe = str(Path(sys.executable).parent / "wirecall")
    cmd = [exe, "run", str(path), "-r", "json", "--reporter-json-export", str(report)]
    result = measure.run(cmd, work / "stream.log", {**os.environ, "NO_PROXY": "127.0.0.1"})
    problem = f"exit code {result.code}" if result.code else None
    if not problem:
        stats = json.loads(report.read_text())["run"]["stats"]
        got = (stats["requests"]["total"], stats["requests"]["failed"],
               stats["assertions"]["total"], stats["assertions"]["failed"])  # fmt: skip
        want = (1, 0, n if script else 0, 0)
        problem = None if got == want else f"requests/assertions {got}, wanted {want}"
    if problem:
        raise BenchFailure(f"wirecall {protocol} run ({n} messages, script={script}) failed: "
                           f"{problem}", result.output + failures(report))  # fmt: skip
    execution = json.loads(report.read_text())["run"]["executions"][0]
    return n / (execution["response"]["responseTime"] / 1000)


def _raw_rate(work: Path, protocol: str, url: str) -> float:
    cmd = [sys.executable, "-m", "tests.bench.stream_client", protocol, url, str(MESSAGES), TOPIC]
    result = measure.run(cmd, work / "stream-raw.log")
    if result.code != 0:
        raise BenchFailure(f"raw {protocol} loop failed", result.output)
    return MESSAGES / json.loads(result.output.strip().splitlines()[-1])["seconds"]


def _rows(work: Path, protocol: str, url: str, progress: Any) -> list[Row]:
    rates: dict[str, list[float]] = {"raw": [], "plain": [], "script": []}
    for rep in range(REPS):
        rates["raw"].append(_raw_rate(work, protocol, url))
        for variant in ("plain", "script"):
            rates[variant].append(
                _wirecall_rate(work, protocol, url, MESSAGES, variant == "script")
            )
        progress(f"{protocol} rep {rep + 1}: raw {rates['raw'][-1]:.0f}, wirecall "
                 f"{rates['plain'][-1]:.0f}, with message script {rates['script'][-1]:.0f} msg/s")  # fmt: skip
    raw = measure.Stats.of(rates["raw"])
    name = {"websocket": "WebSocket echo", "mqtt": "MQTT publish/subscribe"}[protocol]
    baseline = {"websocket": "raw websockets loop", "mqtt": "raw paho loop"}[protocol]
    return [
        Row(f"{name}, no script", "msg/s", measure.Stats.of(rates["plain"]), raw, baseline),
        Row(f"{name}, message script", "msg/s", measure.Stats.of(rates["script"]), raw, baseline),
    ]


def _plugin_ready(protocol: str) -> str:
    """Why a stream benchmark cannot run, or "" when it can."""
    from wirecall.core.plugins import PluginHost

    if protocol not in PluginHost().protocols:
        return f"no {protocol!r} protocol plugin is installed"
    return ""


def websocket_rows(work: Path, progress: Any) -> list[Row]:
    if why := _plugin_ready("websocket"):
        return [Row("WebSocket echo, message script", "msg/s", skipped=why)]
    with start(DemoServer("websocket", "wirecall.plugins.websocket.demo_server")) as server:
        return _rows(work, "websocket", server.address, progress)


def mqtt_rows(work: Path, progress: Any) -> list[Row]:
    if why := _plugin_ready("mqtt"):
        return [Row("MQTT publish/subscribe, message script", "msg/s", skipped=why)]
    try:
        server = start(DemoServer("mqtt", "wirecall.plugins.mqtt.demo_server"))
    except RuntimeError as exc:  # mosquitto missing: `make test` installs it
        return [
            Row("MQTT publish/subscribe, message script", "msg/s", skipped=str(exc).splitlines()[0])
        ]
    with server:
        return _rows(work, "mqtt", server.address.split()[0], progress)
