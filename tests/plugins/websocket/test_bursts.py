"""Runs of messages written at once (plugins/websocket/burst.py): delays still separate
them, a close mid-stream ends sending cleanly, and a message that cannot be read leaves the
ones before it sent."""

from __future__ import annotations

from typing import Any

import pytest
from wirecall.core.errors import CollectionError, Location
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.websocket.burst import CHUNK_BYTES
from wirecall.plugins.websocket.handler import WebSocketHandler

AT = Location("collection.json", "$.item[0].request")


async def run(raw: dict[str, Any], seen: list[Message], **exchange: Any) -> Response:
    async def on_message(message: Message) -> bool:
        seen.append(message)
        return True

    handler = WebSocketHandler()
    request = handler.parse(raw, AT)
    stream = StreamSpec.from_request(raw, AT)
    return await handler.send(request, Exchange(stream=stream, on_message=on_message, **exchange))


def sent(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.direction == "sent"]


async def test_a_delay_splits_a_run_and_is_waited_for(ws_url: str) -> None:
    messages = [{"data": "a"}, {"data": "b"}, {"data": "c", "delayMs": 150}, {"data": "d"}]
    seen: list[Message] = []
    response = await run({"url": f"{ws_url}/echo", "messages": messages,
                          "until": {"messages": 4}}, seen)  # fmt: skip
    out = {m.data: m for m in sent(response.messages)}
    assert out["c"].timestamp - out["b"].timestamp >= 0.15
    assert out["a"].index < out["b"].index < out["c"].index < out["d"].index
    at = {(m.direction, m.data): m.index for m in response.messages}
    assert at[("received", "b")] < at[("sent", "c")]  # a and b left before the delay
    assert [m.index for m in seen] == list(range(8))  # each reported once, in order


async def test_large_messages_all_arrive_in_order(ws_url: str) -> None:
    """Runs above the write buffer's limit go in several writes (flow control between)."""
    big = [f"{i:03d}" + "x" * (CHUNK_BYTES // 3) for i in range(12)]
    binary = [{"data": "AAEC", "type": "binary", "encoding": "base64"}]
    raw = {"url": f"{ws_url}/echo", "messages": [*big, *binary], "until": {"messages": 13},
           "maxSize": 2**20}  # fmt: skip
    seen: list[Message] = []
    response = await run(raw, seen)
    received = [m.data for m in response.messages if m.direction == "received"]
    assert received == [*big, b"\x00\x01\x02"]
    assert [m.data for m in sent(seen)] == [*big, b"\x00\x01\x02"]


async def test_a_close_while_sending_ends_the_stream_cleanly(ws_url: str) -> None:
    """The server closes at once: whatever left before is reported, in order; the rest is
    not sent, and the close is the exchange's outcome, not an error. (Fewer messages than
    the server's queue holds: past it the server stops reading and never sees our close
    frame, so the connection ends only at its close timeout.)"""
    messages = [f"m{i}" for i in range(12)] + [{"data": "late", "delayMs": 200}]
    seen: list[Message] = []
    response = await run({"url": f"{ws_url}/close/4001", "messages": messages}, seen)
    assert response.code == 4001 and response.extra["stopReason"] == "closed by server"
    out = [m.data for m in sent(response.messages)]
    assert out == [f"m{i}" for i in range(len(out))]  # a prefix: "late" never left
    assert [m.data for m in sent(seen)] == out


async def test_a_message_that_cannot_be_read_leaves_the_ones_before_it_sent(
    ws_url: str, tmp_path: Any
) -> None:
    messages = ["a", "b", {"file": "missing.bin"}, "c"]
    seen: list[Message] = []
    with pytest.raises(CollectionError, match=r"cannot read message file") as caught:
        await run({"url": f"{ws_url}/echo", "messages": messages}, seen,
                  settings=Settings(working_dir=str(tmp_path)))  # fmt: skip
    assert caught.value.location is not None
    assert caught.value.location.json_path == "$.request.messages[2].file"
    assert [m.data for m in sent(seen)] == ["a", "b"]
