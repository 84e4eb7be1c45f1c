"""`wirecall mqtt sub|pub` against mosquitto: output, exit codes, stdin."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from wirecall.plugins.mqtt.cli import mqtt


def pub(*args: str, input: str | None = None):
    return CliRunner().invoke(mqtt, ["pub", *args], input=input)


def start_sub(*args: str) -> subprocess.Popen[str]:
    """`sub -d` in a subprocess; returns once the broker acknowledged the subscription."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wirecall.plugins.mqtt.cli", "sub", *args, "-d"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    while not (line := process.stderr.readline()).startswith("Received SUBACK"):
        assert line, f"sub exited before subscribing: {process.communicate()}"
    return process


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, _ = process.communicate(timeout=20)
    return process.returncode, out


def test_sub_prints_count_messages_while_pub_sends(broker, topic):
    sub = start_sub(broker.url, "-t", f"{topic}/#", "-C", "2", "-v", "-q", "1")
    for payload in ("first", "second"):
        result = pub(broker.url, "-t", f"{topic}/x", "-m", payload, "-q", "1")
        assert result.exit_code == 0, result.output
    assert finish(sub) == (0, f"{topic}/x first\n{topic}/x second\n")


def test_sub_json_records(broker, topic):
    sub = start_sub(broker.url, "-t", topic, "-C", "2", "--json")
    pub(broker.url, "-t", topic, "-m", "hello", "-q", "2", "-r", "--property", "content-type=text/plain",
        "--user-property", "k=v")
    pub(broker.url, "-t", topic, "-m", "ff00", "-e", "hex")
    code, out = finish(sub)
    first, second = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert {k: first[k] for k in ("topic", "qos", "retain", "payload", "encoding", "properties")} == {
        "topic": topic, "qos": 0, "retain": False, "payload": "hello", "encoding": "utf-8",
        "properties": {"contentType": "text/plain", "userProperties": {"k": "v"}},
    }
    assert first["time"].endswith("+00:00")
    assert (second["payload"], second["encoding"]) == ("/wA=", "base64")
    pub(broker.url, "-t", topic, "-n", "-r")  # clear the retained message


def test_pub_lines_from_stdin(broker, topic):
    sub = start_sub(broker.url, "-t", topic, "-C", "2", "-q", "1")
    result = pub(broker.url, "-t", topic, "-l", "-q", "1", input="one\n\ntwo\n")  # blank lines are skipped
    assert result.exit_code == 0, result.output
    assert finish(sub) == (0, "one\ntwo\n")


def test_sub_timeout_ends_quietly(broker, topic):
    result = CliRunner().invoke(mqtt, ["sub", broker.url, "-t", topic, "-W", "0.2", "-V", "311"])
    assert (result.exit_code, result.output) == (0, "")


def test_refused_connection_exits_1_with_the_reason(broker, topic):
    result = pub(broker.auth, "-t", topic, "-m", "x", "-u", "demo", "-P", "wrong")
    assert result.exit_code == 1
    assert "connection refused by the broker: Not authorized (135)" in result.output
    ok = pub(broker.auth, "-t", topic, "-m", "x", "-u", broker.user, "-P", broker.password, "-q", "1")
    assert ok.exit_code == 0, ok.output


def test_tls_flags(broker, topic):
    result = pub(broker.mtls, "-t", topic, "-m", "x", "-q", "1", "--cafile", broker.ca,
                 "--cert", broker.cert, "--key", broker.key)
    assert result.exit_code == 0, result.output
    refused = pub(broker.tls, "-t", topic, "-m", "x")
    assert refused.exit_code == 1 and "certificate verify failed" in refused.output


def test_usage_errors_exit_2(broker):
    assert pub(broker.url, "-t", "a/#", "-m", "x").exit_code == 2
    assert pub(broker.url, "-t", "a").exit_code == 2  # no payload source
    assert pub(broker.url, "-t", "a", "-m", "x", "-q", "3").exit_code == 2
    assert pub(broker.url, "-t", "a", "-m", "zz", "-e", "hex").exit_code == 2
    bad_filter = CliRunner().invoke(mqtt, ["sub", broker.url, "-t", "a/#/b"])
    assert bad_filter.exit_code == 2 and "# must be the whole last level" in bad_filter.output
