"""A stream's ``message`` scripts, run behind the stream in batches.

Running a message's scripts as the message arrives would hold the stream's reader for one V8
evaluation per message (a hop to V8's thread and back, ~0.1 ms, more than a small script
itself). Instead each message is queued and the reader goes on; a worker takes everything
queued so far, runs the scripts of all its received messages in one engine call
(``run_each``: one evaluation for a batch), then reports in arrival order: each message's
event, then its scripts' events, exactly as when they ran one by one.

A script that closes the stream stops the exchange; messages read after the one whose
scripts closed it are dropped, as if never read (no event, not in the response). Messages
the stream *sent* meanwhile did go out, so their events stay.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

from wirecall.core.exchange import Exchange
from wirecall.core.records import Message, Response
from wirecall.core.run import events as ev
from wirecall.core.run.context import RunContext
from wirecall.core.scripts.base import Script, ScriptContext, ScriptResult
from wirecall.core.streams import Outgoing

Report = Callable[[Script, ScriptContext, ScriptResult], None]
# a batch of queued messages, its received ones' contexts, the task running their scripts
_Batch = tuple[
    list[tuple[Message, Exchange]],
    list[ScriptContext],
    "asyncio.Future[list[list[ScriptResult]]] | None",
]
BACKLOG = 1000  # queued messages at which the stream waits for its scripts (memory bound)
# received messages per batch at most: a fast stream queues hundreds while one batch runs,
# and V8 runs a batch while the one before it is reported, so batches are kept to one V8
# evaluation at most (the engine's UNTIMED_BATCH) for the two to take turns
BATCH = 256


class MessageScripts:
    """The ``on_message`` of an exchange whose item has ``message`` scripts."""

    def __init__(
        self,
        run: RunContext,
        item: Any,
        cursor: ev.Cursor,
        scripts: list[Script],
        context_for: Callable[[Message], ScriptContext],
        report: Report,
    ) -> None:
        self._run, self._item, self._cursor = run, item, cursor
        self._scripts, self._context_for, self._report = scripts, context_for, report
        self._queue: list[tuple[Message, Exchange]] = []
        self._worker: asyncio.Task[None] | None = None
        self._closed = False
        self._dropped: list[Message] = []
        self._room = asyncio.Event()  # set whenever the worker takes the queue

    async def __call__(self, message: Message, exchange: Exchange) -> bool:
        """Queue the message (the stream reads on); False once a script closed the stream."""
        if self._closed and message.direction == "received":
            self._dropped.append(message)
            return False
        self._queue.append((message, exchange))
        if self._worker is None:
            self._worker = asyncio.create_task(self._work())
        elif len(self._queue) >= BACKLOG:
            self._room.clear()
            with exchange.held():  # the scripts are behind, the stream is not idle
                await self._room.wait()
        return not self._closed

    async def finish(self, response: Response | None) -> Response | None:
        """Wait until every queued message is handled; the response without dropped
        messages, its time including that wait (the exchange ends with its last message)."""
        started = time.perf_counter()
        try:
            while self._worker is not None:
                await asyncio.shield(self._worker)
        finally:
            if self._worker is not None:
                self._worker.cancel()
        if response is None:
            return None
        dropped = {id(m) for m in self._dropped}
        return dataclasses.replace(
            response,
            messages=[m for m in response.messages if id(m) not in dropped],
            response_time_ms=response.response_time_ms + (time.perf_counter() - started) * 1000,
        )

    async def _work(self) -> None:
        """Batches in turn, each one's scripts started in V8 before the previous batch is
        reported: V8 works on its own thread while this one emits the events."""
        running: _Batch | None = None
        try:
            while self._queue or running is not None:
                if running is None:
                    running = self._start(self._take())
                batch, contexts, outcome = running
                results = await outcome if outcome is not None else []
                running = None
                closes = any(r.close_stream for each in results for r in each)
                if self._queue and not closes:
                    running = self._start(self._take())
                    await asyncio.sleep(0)  # its task's first step hands the batch to V8
                self._report_batch(batch, contexts, results)
        finally:
            if running is not None and running[2] is not None:
                running[2].cancel()
            self._worker = None

    def _take(self) -> list[tuple[Message, Exchange]]:
        """The queued messages up to the ``BATCH``-th received one (the stream may queue
        more meanwhile)."""
        queue, end, received = self._queue, len(self._queue), 0
        for at, (message, _) in enumerate(queue):
            if message.direction == "received":
                received += 1
                if received == BATCH:
                    end = at + 1
                    break
        batch, self._queue = queue[:end], queue[end:]
        self._room.set()
        return batch

    def _start(self, batch: list[tuple[Message, Exchange]]) -> _Batch:
        """The batch with its received messages' contexts and the task running their
        scripts (None without any)."""
        received = [m for m, _ in batch if m.direction == "received" and not self._closed]
        contexts = [self._context_for(m) for m in received]
        outcome = None
        if contexts:
            outcome = asyncio.ensure_future(self._run.run_message_scripts(self._scripts, contexts))
        return batch, contexts, outcome

    def _report_batch(
        self,
        batch: list[tuple[Message, Exchange]],
        contexts: list[ScriptContext],
        results: list[list[ScriptResult]],
    ) -> None:
        """Each message's event, then its scripts' events, in arrival order."""
        outcomes = iter(results)
        contexts_in_order = iter(contexts)
        for message, exchange in batch:
            if message.direction != "received":
                self._emit(message)
                continue
            if self._closed:  # read after the message whose scripts closed the stream
                self._dropped.append(message)
                continue
            self._emit(message)
            context = next(contexts_in_order)
            outcome = next(outcomes)
            closes = False
            for script, result in zip(self._scripts, outcome, strict=True):
                self._report(script, context, result)
                for data in result.send_messages:
                    exchange.queue(_outgoing(data))
                closes = closes or result.close_stream
            if closes:
                self._closed = True
                exchange.stop("closed by script")

    def _emit(self, message: Message) -> None:
        self._run.emitter.emit(
            ev.MessageEvent(cursor=self._cursor, item=self._item, message=message)
        )


def _outgoing(data: Any) -> Outgoing:
    """A message a script sent: ``{"data": ..., fields...}`` or the bare payload."""
    if isinstance(data, Mapping) and "data" in data:
        return Outgoing(data=data["data"], fields={k: v for k, v in data.items() if k != "data"})
    return Outgoing(data=data)
