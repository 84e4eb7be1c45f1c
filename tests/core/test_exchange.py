"""Exchange.bursts(): the runs of messages a handler may write at once, and outgoing() on top."""

from __future__ import annotations

import asyncio

from wirecall.core.exchange import SEND_BURST, Exchange
from wirecall.core.records import Message
from wirecall.core.streams import Outgoing, StreamSpec


def exchange(*messages: Outgoing) -> Exchange:
    return Exchange(stream=StreamSpec(outgoing=messages))


async def runs(ex: Exchange) -> list[list[object]]:
    got = []
    async for burst in ex.bursts():
        got.append([m.data for m in burst])
        if ex.stream.outgoing and sum(map(len, got)) == len(ex.stream.outgoing):
            ex.stop("done")  # else it waits for scripts' messages
    return got


async def test_runs_end_at_delays_and_every_send_burst_messages() -> None:
    plain = [Outgoing(i) for i in range(SEND_BURST + 3)]
    ex = exchange(*plain[:5], Outgoing("late", delay_ms=1), *plain[5:])
    got = await runs(ex)
    flat = [d for burst in got for d in burst]
    assert flat == [0, 1, 2, 3, 4, "late", *range(5, SEND_BURST + 3)]
    assert got[0] == [0, 1, 2, 3, 4]  # the delay starts a new run
    assert all(len(burst) < SEND_BURST for burst in got)


async def test_a_stop_ends_the_runs_and_outgoing() -> None:
    ex = exchange(Outgoing("a"), Outgoing("b", delay_ms=10_000))
    seen = []
    async for message in ex.outgoing():
        seen.append(message.data)
        asyncio.get_running_loop().call_later(0.01, ex.stop, "stopped")
    assert seen == ["a"] and ex.stop_reason == "stopped"


async def test_messages_scripts_queued_leave_together() -> None:
    ex = exchange()
    for data in ("x", "y", "z"):
        ex.queue(Outgoing(data))
    bursts = ex.bursts()
    assert [m.data for m in await anext(bursts)] == ["x", "y", "z"]
    ex.stop("done")
    assert [b async for b in bursts] == []


async def test_sent_all_reports_every_message_even_when_cancelled() -> None:
    """A run already on the wire is reported whole, even if the sender is cancelled while
    one of its messages waits for its turn."""
    gate, reported = asyncio.Event(), []

    async def on_message(message: Message) -> bool:
        reported.append(message.data)
        if message.data == "a":
            await gate.wait()
        return True

    ex = Exchange(on_message=on_message)
    task = asyncio.create_task(ex.sent_all([Message("sent", d) for d in ("a", "b", "c")]))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0)
    gate.set()
    try:
        await task
    except asyncio.CancelledError:
        pass
    assert reported == ["a", "b", "c"] and task.cancelled()
    assert [m.index for m in ex.messages] == [0, 1, 2]
