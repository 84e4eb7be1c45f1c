"""WebSocketHandler against the real demo server: messages, stop conditions, close codes, errors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from wirecall.core.errors import CollectionError, ConnectError, Location, ProtocolError
from wirecall.core.exchange import Exchange
from wirecall.core.protocol import Endpoint
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.websocket.handler import WebSocketHandler

AT = Location("collection.json", "$.item[0].request")


async def run(raw: dict[str, Any], **exchange: Any) -> Response:
    handler = WebSocketHandler()
    request = handler.parse(raw, AT)
    return await handler.send(
        request, Exchange(stream=StreamSpec.from_request(raw, AT), **exchange)
    )


def received(response: Response) -> list[str | bytes]:
    return [m.data for m in response.messages if m.direction == "received"]


async def test_a_burst_arrives_whole_and_its_last_frame_is_not_held_over_a_pause(
    ws_url: str,
) -> None:
    """The writer corks the socket for a run of frames (plugins/websocket/burst.py): every
    frame still arrives, in order, and nothing waits for the next message to be sent."""
    messages = [{"data": f"m{i}"} for i in range(100)] + [{"data": "late", "delayMs": 100}]
    raw = {"url": f"{ws_url}/echo", "messages": messages, "until": {"messages": 101}}
    response = await run(raw)
    assert received(response) == [*(f"m{i}" for i in range(100)), "late"]
    at = {(m.direction, m.data): m.index for m in response.messages}
    assert at[("received", "m99")] < at[("sent", "late")]


async def test_text_json_and_binary_round_trip_in_order(ws_url: str, tmp_path: Any) -> None:
    (tmp_path / "frame.bin").write_bytes(b"\x00\xff\x10")
    from wirecall.core.exchange import Settings

    response = await run(
        {
            "url": f"{ws_url}/echo",
            "messages": [
                {"data": "hello"},
                {"data": {"a": [1, 2]}, "type": "json", "delayMs": 20},
                {"data": "AAEC", "type": "binary", "encoding": "base64"},
                {"data": "cafe", "type": "binary", "encoding": "hex", "delayMs": 10},
                {"file": "frame.bin"},
            ],
            "until": {"messages": 5},
        },
        settings=Settings(working_dir=str(tmp_path)),
    )
    assert received(response) == [
        "hello",
        '{"a": [1, 2]}',
        b"\x00\x01\x02",
        b"\xca\xfe",
        b"\x00\xff\x10",
    ]
    assert [(m.direction, m.type) for m in response.messages[:2]] == [
        ("sent", "text"),
        ("received", "text"),
    ]
    assert [m.index for m in response.messages] == list(range(10))
    binary = [m for m in response.messages if m.data == b"\x00\x01\x02"]
    assert [(m.direction, m.type, m.size) for m in binary] == [
        ("sent", "binary", 3),
        ("received", "binary", 3),
    ]
    assert response.code == 1000 and response.ok
    assert response.extra["closedBy"] == "client"
    assert response.extra["stopReason"] == "received 5 message(s)"
    assert response.header("upgrade").lower() == "websocket"


async def test_match_stops_at_the_matching_message(ws_url: str) -> None:
    response = await run({"url": f"{ws_url}/ticker?n=50&ms=5", "until": {"match": r"tick 3$"}})
    assert received(response) == ["tick 1", "tick 2", "tick 3"]
    assert response.extra["stopReason"] == "message matched 'tick 3$'"


async def test_idle_and_total_timeouts(ws_url: str) -> None:
    idle = await run({"url": f"{ws_url}/ticker?n=2&ms=1", "until": {"idleMs": 200}})
    assert received(idle) == ["tick 1", "tick 2"]
    assert idle.extra["stopReason"] == "idle for 200 ms" and idle.ok
    total = await run({"url": f"{ws_url}/ticker?n=100000&ms=20", "until": {"timeoutMs": 150}})
    assert total.extra["stopReason"] == "timeout after 150 ms"
    assert 0 < len(received(total)) < 100000


async def test_message_script_returning_false_stops_the_stream(ws_url: str) -> None:
    seen: list[Message] = []

    async def on_message(message: Message) -> bool:
        seen.append(message)
        return message.data != "tick 2"

    response = await run({"url": f"{ws_url}/ticker?n=50&ms=5"}, on_message=on_message)
    assert received(response) == ["tick 1", "tick 2"]
    assert response.extra["stopReason"] == "closed by script" and response.ok
    assert [m.data for m in seen] == ["tick 1", "tick 2"]


async def test_server_close_code_and_reason_are_recorded(ws_url: str) -> None:
    response = await run({"url": f"{ws_url}/close/4001?reason=go+away", "messages": ["x"]})
    assert response.code == 4001 and response.status == "go away"
    assert not response.ok and response.extra["closedBy"] == "server"
    assert "closing" in received(response)  # what arrived before the close is kept
    normal = await run({"url": f"{ws_url}/close/1000"})
    assert normal.ok and normal.code == 1000 and normal.extra["stopReason"] == "closed by server"


async def test_client_close_code_and_reason(ws_url: str) -> None:
    response = await run(
        {
            "url": f"{ws_url}/echo",
            "messages": ["a"],
            "until": {"messages": 1},
            "close": {"code": 4321, "reason": "done"},
        }
    )
    assert response.code == 4321 and response.status == "done" and response.ok


async def test_rejected_handshake_carries_status_and_body(ws_url: str) -> None:
    with pytest.raises(ProtocolError) as info:
        await run({"url": f"{ws_url}/reject"})
    assert info.value.status == 401
    assert "HTTP 401 Unauthorized: no token" in str(info.value)


async def test_auth_target_sets_the_handshake_header(ws_url: str) -> None:
    handler = WebSocketHandler()
    raw = {"url": f"{ws_url}/auth", "messages": ["hi"], "until": {"messages": 1}}
    request = handler.parse(raw, AT)
    handler.auth_target(request).set_header("Authorization", "Bearer secret")
    response = await handler.send(request, Exchange(stream=StreamSpec.from_request(raw, AT)))
    assert received(response) == ["hi"]


async def test_handshake_headers_and_query_reach_the_server(ws_url: str) -> None:
    handler = WebSocketHandler()
    raw = {
        "url": f"{ws_url}/headers",
        "header": [
            {"key": "X-Trace", "value": "abc"},
            {"key": "X-Off", "value": "1", "disabled": True},
        ],
        "until": {"messages": 1},
    }
    request = handler.parse(raw, AT)
    handler.auth_target(request).set_query("token", "t 1")
    assert request.url.endswith("/headers?token=t+1")
    response = await handler.send(request, Exchange(stream=StreamSpec.from_request(raw, AT)))
    headers = json.loads(received(response)[0])
    assert headers["X-Trace"] == "abc" and "X-Off" not in headers
    assert headers["User-Agent"] == "wirecall"


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [(["chat.v1", "chat.v2"], "chat.v1"), (["chat.v2", "chat.v1"], "chat.v2"), ([], None)],
)
async def test_subprotocol_negotiation_in_client_order(
    ws_url: str, offered: list[str], chosen: str | None
) -> None:
    response = await run({"url": f"{ws_url}/echo", "subprotocols": offered, "until": {"idleMs": 0}})
    assert response.extra["subprotocol"] == chosen
    assert response.header("sec-websocket-protocol") == chosen


async def test_max_size_closes_with_1009(ws_url: str) -> None:
    response = await run({"url": f"{ws_url}/echo", "maxSize": 10, "messages": ["x" * 100]})
    assert response.code == 1009 and not response.ok


async def test_unix_socket_through_an_endpoint(ws_uds: str) -> None:
    def endpoint_for(url: str) -> Endpoint | None:
        return Endpoint("unix", ws_uds, "ws://localhost/echo") if url.startswith("unix:") else None

    response = await run(
        {"url": f"unix:{ws_uds}:/echo", "messages": ["over uds"], "until": {"messages": 1}},
        endpoint_for=endpoint_for,
    )
    assert received(response) == ["over uds"] and response.ok


async def test_refused_connection_is_a_connect_error() -> None:
    with pytest.raises(ConnectError, match="cannot connect"):
        await run({"url": "ws://127.0.0.1:9/echo"})


@pytest.mark.parametrize(
    ("raw", "path", "reason"),
    [
        ({"url": "http://x/"}, "$.item[0].request.url", "expected ws:// or wss://"),
        (
            {"url": "ws://h/", "messages": [{"data": "{", "type": "json"}]},
            ".messages[0].data",
            "invalid JSON",
        ),
        (
            {"url": "ws://h/", "messages": [{"data": "!!", "type": "binary"}]},
            ".messages[0].data",
            "not valid base64",
        ),
        (
            {"url": "ws://h/", "messages": [{"data": "zz", "encoding": "hex"}]},
            ".messages[0].data",
            "not valid hex",
        ),
        ({"url": "ws://h/", "close": {"code": 1006}}, ".close.code", "expected a close code"),
    ],
)
def test_bad_input_names_the_place(raw: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(CollectionError) as info:
        WebSocketHandler().parse(raw, AT)
    assert path in str(info.value) and reason in str(info.value)
    assert info.value.exit_code == 2


def test_binary_messages_show_as_base64_for_scripts() -> None:
    assert (
        Message("received", b"\x00\x01", "binary").to_json()["data"]
        == base64.b64encode(b"\x00\x01").decode()
    )
