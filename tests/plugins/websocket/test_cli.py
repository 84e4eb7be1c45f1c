"""``wirecall ws`` through the real CLI entry point (piped stdin, --json, exit codes) and the docs."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange
from wirecall.core.streams import StreamSpec
from wirecall.plugins.websocket.handler import WebSocketHandler

from tests.clirun import CliResult, run_cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "protocols" / "websocket.md"
TIME = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ", re.MULTILINE)


def wirecall(*argv: str, stdin: str = "") -> CliResult:
    return run_cli(*argv, stdin=stdin, plugins=("websocket",))


def untimed(text: str) -> str:
    return TIME.sub("12:00:00.000 ", text)


def test_piped_lines_are_sent_and_printed_with_direction(ws_url: str) -> None:
    result = wirecall("ws", f"{ws_url}/echo", stdin="one\ntwo\n")
    assert result.code == 0, result.err
    lines = untimed(result.out).splitlines()
    assert lines[:2] == ["12:00:00.000 > one", "12:00:00.000 > two"]
    assert sorted(lines[2:]) == ["12:00:00.000 < one", "12:00:00.000 < two"]


def test_json_output_with_binary_and_headers(ws_url: str) -> None:
    result = wirecall("ws", f"{ws_url}/echo", "--json", "--binary", "-n", "1", stdin="hi\n")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [(r["direction"], r["type"], r["data"], r["encoding"]) for r in records] == [
        ("sent", "binary", "aGk=", "base64"),
        ("received", "binary", "aGk=", "base64"),
    ]
    assert all(re.match(r"\d{4}-\d\d-\d\dT", r["time"]) for r in records)
    headers = wirecall("ws", f"{ws_url}/headers", "-H", "X-Trace: abc", "-n", "1", "--json")
    assert json.loads(json.loads(headers.out)["data"])["X-Trace"] == "abc"


def test_subprotocol_until_and_timeout(ws_url: str) -> None:
    result = wirecall("ws", f"{ws_url}/ticker?n=100&ms=5", "-s", "chat.v1", "--until", "tick 2$")
    assert untimed(result.out) == "12:00:00.000 < tick 1\n12:00:00.000 < tick 2\n"
    timed = wirecall("ws", f"{ws_url}/echo", "--timeout", "0.2", stdin="")
    assert timed.code == 0 and timed.out == ""


def test_exit_codes(ws_url: str) -> None:
    normal = wirecall("ws", f"{ws_url}/close/1000")
    assert normal.code == 0 and 'Disconnected (code: 1000, reason: "bye")' in normal.err
    abnormal = wirecall("ws", f"{ws_url}/close/4001?reason=gone")
    assert abnormal.code == 1 and 'Disconnected (code: 4001, reason: "gone")' in abnormal.err
    assert "< closing" in abnormal.out
    rejected = wirecall("ws", f"{ws_url}/reject")
    assert (
        rejected.code == 1 and "handshake rejected: HTTP 401 Unauthorized: no token" in rejected.err
    )
    assert wirecall("ws", "http://example.com/").code == 2
    assert wirecall("ws", f"{ws_url}/echo", "--until", "(").code == 2
    assert wirecall("ws", f"{ws_url}/echo", "-H", "no colon").code == 2


def test_documented_console_example(ws_url: str) -> None:
    block = re.search(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert block is not None
    command, *expected = block.group(1).splitlines()
    feed, _, line = command.removeprefix("$ ").partition(" | ")
    stdin = shlex.split(feed)[1].encode().decode("unicode_escape")
    argv = shlex.split(line.replace("$WS", ws_url))[1:]
    result = wirecall(*argv, stdin=stdin)
    assert result.code == 0 and untimed(result.out).splitlines() == expected


async def test_documented_collection_item(ws_url: str) -> None:
    item = json.loads(re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL).group(1))
    raw = json.loads(
        json.dumps(item["request"]).replace("{{ws}}", ws_url).replace("{{trace}}", "t1")
    )
    handler, at = WebSocketHandler(), Location("doc", "$.request")
    response = await handler.send(
        handler.parse(raw, at), Exchange(stream=StreamSpec.from_request(raw, at))
    )
    got = [m.data for m in response.messages if m.direction == "received"]
    assert got == ["hello", '{"op": "subscribe", "topic": "prices"}', b"\x00\x01\x02", b"\xca\xfe"]
    assert response.extra["subprotocol"] == "chat.v2" and response.ok
