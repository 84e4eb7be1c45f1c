"""``wirecall sio`` through the real CLI entry point, and the documented examples."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from wirecall.core.errors import Location
from wirecall.core.exchange import Exchange
from wirecall.core.streams import StreamSpec
from wirecall.plugins.socketio.handler import SocketIOHandler

from tests.clirun import CliResult, run_cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "protocols" / "socketio.md"
TIME = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ", re.MULTILINE)
WS = ("--transport", "websocket")


def wirecall(*argv: str, stdin: str = "") -> CliResult:
    return run_cli(*argv, stdin=stdin, plugins=("socketio",))


def untimed(text: str) -> str:
    return TIME.sub("12:00:00.000 ", text)


def test_listen_and_stdin_ndjson(sio_url: str) -> None:
    result = wirecall(
        "sio",
        sio_url,
        *WS,
        "--listen",
        "tick",
        "--count",
        "2",
        "--json",
        stdin='["ticker", 2, 5]\n{"event": "echo", "args": ["not listened"]}\n',
    )
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    received = [(r["event"], r["args"]) for r in records if r["direction"] == "received"]
    assert received == [("tick", [{"n": 1}]), ("tick", [{"n": 2}])]
    assert records[0]["direction"] == "sent" and records[0]["args"] == [2, 5]


def test_namespace_auth_and_until_event(sio_url: str) -> None:
    result = wirecall(
        "sio",
        f"{sio_url}/chat",
        *WS,
        "--auth",
        '{"token": "secret", "user": "bo"}',
        "--emit",
        "say",
        '"hey"',
        "--until-event",
        "said",
    )
    assert result.code == 0, result.err
    lines = set(untimed(result.out).splitlines())
    assert lines == {
        '12:00:00.000 < [welcome] {"user": "bo"}',
        "12:00:00.000 > [say] hey",
        "12:00:00.000 < [said] hey",
    }


def test_refused_auth_shows_the_reason_and_exits_1(sio_url: str) -> None:
    result = wirecall("sio", sio_url, *WS, "--namespace", "/chat", "--auth", '{"token": "nope"}')
    assert result.code == 1
    assert "connection to namespace /chat refused: bad token" in result.err


def test_server_disconnect_and_polling(sio_url: str) -> None:
    result = wirecall("sio", sio_url, "--transport", "polling", "--emit", "bye", "[]")
    assert result.code == 0 and "Disconnected (server disconnect)" in result.err


def test_usage_errors_exit_2(sio_url: str) -> None:
    assert wirecall("sio", sio_url, "--auth", "{nope").code == 2
    assert wirecall("sio", sio_url, "--transport", "pigeon").code == 2
    bad_line = wirecall("sio", sio_url, *WS, stdin="{broken\n")
    assert bad_line.code == 2 and "stdin:1" in bad_line.err


def test_documented_console_example(sio_url: str) -> None:
    block = re.search(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert block is not None
    command, *expected = block.group(1).splitlines()
    argv = shlex.split(command.removeprefix("$ ").replace("$SIO", sio_url))[1:]
    result = wirecall(*argv)
    assert result.code == 0, result.err
    assert sorted(untimed(result.out).splitlines()) == sorted(expected)


async def test_documented_collection_item(sio_url: str) -> None:
    item = json.loads(re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL).group(1))
    raw = json.loads(json.dumps(item["request"]).replace("{{sio}}", sio_url))
    handler, at = SocketIOHandler(), Location("doc", "$.request")
    response = await handler.send(
        handler.parse(raw, at), Exchange(stream=StreamSpec.from_request(raw, at))
    )
    events = [m.fields["event"] for m in response.messages if m.direction == "received"]
    assert events == ["welcome", "said"] and response.extra["stopReason"] == "received event 'said'"
