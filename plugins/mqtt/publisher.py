"""An item's PUBLISHes: handed to paho as core gives them out, recorded in order once settled.

Why not one at a time: waiting for each PUBACK before the next PUBLISH cost a round trip per
message. The writer hands every message to paho at once; a QoS 1/2 message is recorded (as
sent, acknowledged or not) by the recorder when its acknowledgement or timeout comes, and
those after it wait their turn, so the record keeps the order of publishing. A QoS 0 message
is settled as soon as paho has it: the writer records it itself unless earlier messages are
still waiting, so a QoS 0 stream never goes through the queue.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from wirecall.core.errors import Location
from wirecall.core.records import Message
from wirecall.plugins.mqtt.request import Publish, located, to_publish

if TYPE_CHECKING:
    from wirecall.core.exchange import Exchange
    from wirecall.core.streams import Outgoing
    from wirecall.plugins.mqtt.session import Pending, Session

MESSAGES_AT = Location(json_path="$.request.messages")
# messages published but not yet recorded, at most: bounds memory, and keeps paho's 16-bit
# message ids from wrapping onto one still waiting for its acknowledgement
IN_FLIGHT = 1000


class _Published(NamedTuple):
    message: Publish
    published_at: float
    pending: Pending


class Publisher:
    """``write()`` and ``record()`` run as two tasks; ``unacknowledged`` lists the failures."""

    def __init__(self, session: Session, exchange: Exchange) -> None:
        self.session = session
        self.exchange = exchange
        self.unacknowledged: list[dict[str, Any]] = []
        self._waiting: asyncio.Queue[_Published | None] = asyncio.Queue(IN_FLIGHT)
        self._unrecorded = 0  # queued, or taken by the recorder and not recorded yet
        self._recorded = 0
        # with nothing subscribed, the item ends once its own messages are recorded
        self._last = 0 if session.request.subscribe else len(exchange.stream.outgoing)
        request = session.request
        self._checked = request.checked
        self._options = {"v5": request.version == 5, "default_topic": request.topic,
                         "working_dir": exchange.settings.working_dir}  # fmt: skip

    async def write(self) -> None:
        """Publish each message core hands out; the queue's end (None) when it stops."""
        index = 0
        try:
            async for outgoing in self.exchange.outgoing():
                message = self._publish(outgoing, index)
                index += 1
                published = _Published(message, time.time(), self.session.send(message))
                if not self._unrecorded and published.pending.done.done():
                    await self._record(published)
                else:
                    self._unrecorded += 1
                    await self._waiting.put(published)
        except Exception:
            self.exchange.stop("a message could not be published")
            raise
        await self._waiting.put(None)

    def _publish(self, outgoing: Outgoing, index: int) -> Publish:
        """The Publish of the ``index``-th message sent: the item's as checked at parse time
        while it resolves to the same data and fields, else checked and made now."""
        checked = self._checked
        if index < len(checked):
            data, fields, publish = checked[index]
            if publish is not None and outgoing.data == data and outgoing.fields == fields:
                return publish
        publish_it = partial(to_publish, outgoing.data, outgoing.fields, **self._options)
        return located(publish_it, MESSAGES_AT, index)

    async def record(self) -> None:
        """Record the queued messages in publishing order as each one settles."""
        while (published := await self._waiting.get()) is not None:
            await self._record(published)
            self._unrecorded -= 1

    async def _record(self, published: _Published) -> None:
        message = published.message
        outcome = await self.session.outcome(published.pending)
        fields = {
            "topic": message.topic,
            "qos": message.qos,
            "retain": message.retain,
            "properties": message.properties,
            "mid": outcome.mid,
            "acknowledged": outcome.acknowledged,
            "reason": outcome.reason,
        }
        if outcome.acknowledged is False:
            self.unacknowledged.append(
                {
                    "topic": message.topic,
                    "qos": message.qos,
                    "mid": outcome.mid,
                    "reason": outcome.reason,
                }
            )
        data = message.data()
        kind = "text" if isinstance(data, str) else "binary"
        # recorded once settled, stamped with the time it went out
        await self.exchange.sent(
            Message("sent", data, kind, timestamp=published.published_at, fields=fields)
        )
        self._recorded += 1
        if self._recorded == self._last:
            self.exchange.stop("published all messages")  # nothing subscribed: nothing to wait for
