"""SocketIOHandler against the real python-socketio server: events, acks, namespaces, auth, transports."""

from __future__ import annotations

from typing import Any

import pytest
from wirecall.core.errors import CollectionError, ConnectError, Location, ProtocolError
from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.socketio.handler import SocketIOHandler

AT = Location("collection.json", "$.item[0].request")
WS = ["websocket"]


async def run(raw: dict[str, Any], **exchange: Any) -> Response:
    handler = SocketIOHandler()
    request = handler.parse(raw, AT)
    return await handler.send(
        request, Exchange(stream=StreamSpec.from_request(raw, AT), **exchange)
    )


def events(response: Response, kind: str = "event") -> list[tuple[str, list[Any]]]:
    return [
        (m.fields["event"], m.fields["args"])
        for m in response.messages
        if m.direction == "received" and m.type == kind
    ]


async def test_emit_with_several_args_and_record_the_ack(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": WS,
            "messages": [
                {"event": "echo", "args": ["a", {"b": 1}, 3], "ack": True},
                {"event": "add", "args": [1, 2, 3.5], "ack": True, "delayMs": 10},
            ],
            "until": {"messages": 3},
        }
    )
    assert ("echo", ["a", {"b": 1}, 3]) in events(response)
    assert events(response, "ack") == [("echo", ["a", {"b": 1}, 3]), ("add", [6.5, "ok"])]
    sent = [m for m in response.messages if m.direction == "sent"]
    assert [(m.fields["event"], m.fields["ack"], m.data) for m in sent] == [
        ("echo", True, '["a", {"b": 1}, 3]'),
        ("add", True, "[1, 2, 3.5]"),
    ]
    assert response.ok and response.code == 101 and response.extra["transport"] == "websocket"


async def test_single_argument_data_and_message_fields(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": WS,
            "messages": [{"event": "echo", "data": "hi"}],
            "until": {"messages": 1},
        }
    )
    message = next(m for m in response.messages if m.direction == "received")
    assert message.data == "hi" and message.type == "event"
    assert message.to_json()["event"] == "echo" and message.to_json()["args"] == ["hi"]
    assert message.to_json()["namespace"] == "/"


async def test_until_event_stops_at_that_event(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": WS,
            "messages": [
                {"event": "ticker", "args": [3, 5]},
                {"event": "echo", "args": ["x"], "delayMs": 50},
            ],
            "until": {"event": "echo"},
        }
    )
    assert [e for e, _ in events(response)] == ["tick", "tick", "tick", "echo"]
    assert response.extra["stopReason"] == "received event 'echo'"


async def test_listen_only_records_the_named_events(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": WS,
            "listen": ["tick"],
            "messages": [
                {"event": "echo", "args": ["ignored"]},
                {"event": "ticker", "args": [2, 1]},
            ],
            "until": {"messages": 2},
        }
    )
    assert events(response) == [("tick", [{"n": 1}]), ("tick", [{"n": 2}])]


async def test_message_script_false_stops(sio_url: str) -> None:
    async def on_message(message: Message) -> bool:
        return not (message.direction == "received" and message.fields["args"] == [{"n": 2}])

    response = await run(
        {"url": sio_url, "transports": WS, "messages": [{"event": "ticker", "args": [50, 5]}]},
        on_message=on_message,
    )
    assert len(events(response)) == 2 and response.extra["stopReason"] == "closed by script"


async def test_namespace_with_auth_and_broadcast(sio_url: str) -> None:
    response = await run(
        {
            "url": f"{sio_url}/chat",
            "auth": {"token": "secret", "user": "ann"},
            "transports": WS,
            "messages": [{"event": "say", "args": ["hello all"]}],
            "until": {"messages": 2},
        }
    )
    assert events(response) == [("welcome", [{"user": "ann"}]), ("said", ["hello all"])]
    assert {m.fields["namespace"] for m in response.messages} == {"/chat"}


async def test_auth_rejection_shows_the_servers_reason(sio_url: str) -> None:
    with pytest.raises(ProtocolError) as info:
        await run(
            {"url": sio_url, "namespace": "/chat", "auth": {"token": "wrong"}, "transports": WS}
        )
    assert "connection to namespace /chat refused: bad token" in str(info.value)
    assert info.value.status == {"message": "bad token"}


async def test_rooms_and_server_disconnect(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": WS,
            "messages": [
                {"event": "join", "args": ["r1"], "ack": True},
                {"event": "shout", "args": ["r1", "to the room"], "delayMs": 20},
                {"event": "bye", "delayMs": 20},
            ],
        }
    )
    assert ("news", ["to the room"]) in events(response)
    assert response.status == "server disconnect" and response.ok
    assert response.extra["stopReason"] == "disconnected: server disconnect"


async def test_handshake_headers_and_query(sio_url: str) -> None:
    handler = SocketIOHandler()
    raw = {
        "url": f"{sio_url}/?tenant=t1",
        "header": [{"key": "X-Trace", "value": "abc"}],
        "transports": WS,
        "messages": [{"event": "headers", "ack": True}],
        "until": {"messages": 1},
    }
    request = handler.parse(raw, AT)
    handler.auth_target(request).set_header("Authorization", "Bearer t0k")
    response = await handler.send(request, Exchange(stream=StreamSpec.from_request(raw, AT)))
    [(_, [seen])] = events(response, "ack")
    assert seen["headers"]["x-trace"] == "abc" and seen["headers"]["authorization"] == "Bearer t0k"
    assert "tenant=t1" in seen["query"]


async def test_polling_transport(sio_url: str) -> None:
    response = await run(
        {
            "url": sio_url,
            "transports": ["polling"],
            "messages": [{"event": "echo", "args": ["over polling"], "ack": True}],
            "until": {"messages": 2},
        }
    )
    assert ("echo", ["over polling"]) in events(response)
    assert response.code == 200 and response.extra["transport"] == "polling"


async def test_refused_connection() -> None:
    with pytest.raises(ConnectError, match="cannot connect"):
        await run({"url": "http://127.0.0.1:9", "transports": WS})


@pytest.mark.parametrize(
    ("raw", "path", "reason"),
    [
        ({"url": "ftp://h"}, ".url", "expected http://"),
        (
            {"url": "http://h", "transports": ["carrier-pigeon"]},
            ".transports",
            "expected a list of transports",
        ),
        ({"url": "http://h", "messages": [{"event": 3}]}, ".messages[0].event", "expected event"),
        (
            {"url": "http://h", "messages": [{"event": "e", "args": "x"}]},
            ".messages[0].args",
            "list of arguments",
        ),
        ({"url": "http://h", "namespace": "chat"}, ".namespace", "starting with /"),
    ],
)
def test_bad_input_names_the_place(raw: dict[str, Any], path: str, reason: str) -> None:
    with pytest.raises(CollectionError) as info:
        SocketIOHandler().parse(raw, AT)
    assert path in str(info.value) and reason in str(info.value)
