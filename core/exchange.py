"""Exchange: everything a protocol handler gets from core for one request.

Request/response handlers use ``settings``, ``endpoint_for`` and ``cookies``. Streaming
handlers also send what ``outgoing()`` yields, report each message they actually sent with
``sent()``, hand each incoming one to ``receive()`` and stop when it returns False:

    async with exchange.streaming():
        writer = asyncio.create_task(send_all(exchange.outgoing()))
        async for raw in exchange.until_stopped(connection):
            if not await exchange.receive(to_message(raw)):
                break

``streaming()`` enforces the idle and total timeouts by setting ``stopped``. A handler that
can put several messages on the wire in one write takes them from ``bursts()`` instead (the
same messages, in runs that are due together) and reports each run with ``sent_all()``.

Costs per message are kept to a few attribute updates: a stream of thousands of messages a
second spends its time in the protocol library and in ``message`` scripts, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from wirecall.core.records import Message
from wirecall.core.streams import Outgoing, StopCondition, StreamSpec, monotonic_ms

if TYPE_CHECKING:
    from wirecall.core.protocol import Endpoint
    from wirecall.core.transport_settings import TransportSettings

T = TypeVar("T")
SEND_BURST = 32  # messages handed out before the sender lets other tasks run
OnMessage = Callable[[Message], Awaitable[bool]]


@dataclass(frozen=True)
class Settings:
    """Transport settings of a run, with Newman's meanings (times in milliseconds).

    ``transport`` holds the settings file's per-host certificates and proxies, and
    ``target_url`` the URL of the item being sent: ``core.tls.client_context`` and
    ``core.transport_settings.proxy_for`` use them to pick what applies to a connection.
    """

    timeout_request_ms: float | None = None
    verify_tls: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    client_key_passphrase: str | None = None
    client_pfx: str | None = None  # PKCS#12 file instead of client_cert + client_key
    follow_redirects: bool = True
    max_redirects: int = 10
    trust_env: bool = True
    working_dir: str = "."
    extra: dict[str, Any] = field(default_factory=dict)
    transport: TransportSettings | None = None
    target_url: str | None = None


DEFAULT_SETTINGS = Settings()
DEFAULT_STREAM = StreamSpec()


async def _accept(_: Message) -> bool:
    return True


class Exchange:
    def __init__(
        self,
        *,
        settings: Settings | None = None,
        stream: StreamSpec | None = None,
        cookies: http.cookiejar.CookieJar | None = None,
        endpoint_for: Callable[[str], Endpoint | None] = lambda url: None,
        on_message: OnMessage = _accept,
        resolve: Callable[[Any], Any] = lambda value: value,
    ) -> None:
        self.settings = settings or DEFAULT_SETTINGS
        self.stream = stream or DEFAULT_STREAM
        self._cookies = cookies
        self.endpoint_for = endpoint_for
        self.messages: list[Message] = []
        self.stopped = asyncio.Event()
        self.stop_reason: str | None = None
        self._on_message = on_message
        self._resolve = resolve
        self._received = 0
        self._last_activity = monotonic_ms()
        self._held = 0  # held() blocks running: the stream waits for us, it is not idle
        # the task waiting inside until_stopped's source, and whether stop() cancelled it
        self._reader: asyncio.Task[Any] | None = None
        self._reader_interrupted = False
        self._script_outgoing: asyncio.Queue[Outgoing] | None = None  # made when a script sends

    @property
    def cookies(self) -> http.cookiejar.CookieJar:
        """The run's cookie jar, or one of this exchange's own (made on first use: an
        exchange is made per item and per gRPC call, most never touch cookies)."""
        if self._cookies is None:
            self._cookies = http.cookiejar.CookieJar()
        return self._cookies

    @property
    def until(self) -> StopCondition:
        return self.stream.until

    def stop(self, reason: str) -> None:
        if self.stopped.is_set():
            return
        self.stop_reason = reason
        self.stopped.set()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            self._reader_interrupted = True  # until_stopped takes this cancellation back
            reader.cancel()

    def idle_ms(self) -> float:
        """Milliseconds since the last message in either direction (or since streaming began)."""
        return monotonic_ms() - self._last_activity

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """While the stream waits for its own consumer (message scripts behind on a fast
        stream), not for the other side: that time does not count towards ``idleMs``."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            self._last_activity = monotonic_ms()

    def queue(self, message: Outgoing) -> None:
        """Queue a message to send (used when a script sends on the stream)."""
        self._scripts_queue().put_nowait(message)

    async def outgoing(self) -> AsyncIterator[Outgoing]:
        """The item's messages after their delays, then any queued by scripts, until stopped."""
        async for burst in self.bursts():
            for message in burst:
                if self.stopped.is_set():
                    return
                yield message

    async def bursts(self) -> AsyncIterator[list[Outgoing]]:
        """``outgoing()`` in runs of messages that are due together, for handlers that write
        a run at once: a delay starts a new run, and a long run of messages without delays
        is cut every ``SEND_BURST`` messages, where the sender lets other tasks run (the
        reader, the watchdog, the library's own writes).
        """
        burst: list[Outgoing] = []
        for count, message in enumerate(self.stream.outgoing, 1):
            if message.delay_ms or count % SEND_BURST == 0:
                if burst:
                    yield burst
                    burst = []
                if message.delay_ms:
                    if await self._sleep_or_stop(message.delay_ms / 1000):
                        return
                else:
                    await asyncio.sleep(0)
            if self.stopped.is_set():
                return
            burst.append(self._resolved(message))
        if burst and not self.stopped.is_set():
            yield burst
        queued = self._scripts_queue()
        while not self.stopped.is_set():
            if not queued.empty():  # scripts' messages already waiting: no tasks to race
                yield [queued.get_nowait() for _ in range(queued.qsize())]
                continue
            getter = asyncio.ensure_future(queued.get())
            stopper = asyncio.ensure_future(self.stopped.wait())
            try:
                done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:  # also when the sender is cancelled while waiting
                for task in (getter, stopper):
                    if not task.done():
                        task.cancel()
            if getter not in done:
                return
            yield [getter.result()]

    def _resolved(self, message: Outgoing) -> Outgoing:
        """``message`` with its variables resolved as it is sent (itself when none)."""
        data = self._resolve(message.data)
        if not message.fields:
            if data is message.data and not message.delay_ms:
                return message
            return Outgoing(data)
        return Outgoing(data, 0.0, self._resolve(dict(message.fields)))

    async def sent(self, message: Message) -> None:
        """Record a message the handler has put on the wire."""
        self._record_sent(message)
        await self._on_message(message)

    async def sent_all(self, messages: list[Message]) -> None:
        """Record messages the handler put on the wire together: all of them, even when
        the sender is cancelled while one waits for its turn (the rest left all the same)."""
        cancelled: asyncio.CancelledError | None = None
        on_message = self._on_message
        for message in messages:
            self._record_sent(message)
            try:
                await on_message(message)
            except asyncio.CancelledError as exc:
                cancelled = exc
        if cancelled is not None:
            raise cancelled

    def _record_sent(self, message: Message) -> None:
        message.direction = "sent"
        message.index = len(self.messages)
        self.messages.append(message)
        self._last_activity = monotonic_ms()

    async def receive(self, message: Message) -> bool:
        """Record an incoming message, run ``message`` scripts; False means stop reading."""
        messages = self.messages
        message.direction = "received"
        message.index = len(messages)
        messages.append(message)
        self._received = received = self._received + 1
        self._last_activity = monotonic_ms()
        if not await self._on_message(message):
            self.stop("closed by script")
        reason = self.stream.until.reached(received, message)
        if reason:
            self.stop(reason)
        return not self.stopped.is_set()

    @contextlib.asynccontextmanager
    async def streaming(self) -> AsyncIterator[Exchange]:
        """Watch the idle and total timeouts while the handler streams."""
        self._last_activity = monotonic_ms()
        watchdog = asyncio.create_task(self._watch())
        try:
            yield self
        finally:
            self.stop(self.stop_reason or "stream ended")
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    async def until_stopped(self, source: AsyncIterable[T]) -> AsyncIterator[T]:
        """Items of ``source`` until it ends or the exchange is stopped.

        A read that is waiting when the exchange stops is cancelled by ``stop()``, and only
        then: no task or ``asyncio.wait`` per item, which cost more than the rest of a
        message's way through core. Sources must survive a cancelled read (asyncio queues,
        ``websockets``, grpc.aio and async generators do).
        """
        iterator = source.__aiter__()
        task = asyncio.current_task()
        assert task is not None
        while not self.stopped.is_set():
            self._reader = task
            try:
                item = await iterator.__anext__()
            except StopAsyncIteration:
                return
            except asyncio.CancelledError:
                if self._take_back_interruption(task):
                    return
                raise
            finally:
                self._reader = None
            if self._take_back_interruption(task):
                return  # the source swallowed the cancellation: stopped all the same
            yield item

    def _take_back_interruption(self, task: asyncio.Task[Any]) -> bool:
        """True when ``stop()`` cancelled ``task``'s read and nobody else cancelled it."""
        if not self._reader_interrupted:
            return False
        self._reader_interrupted = False
        return task.uncancel() == 0

    def _scripts_queue(self) -> asyncio.Queue[Outgoing]:
        if self._script_outgoing is None:
            self._script_outgoing = asyncio.Queue()
        return self._script_outgoing

    async def _sleep_or_stop(self, seconds: float) -> bool:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.stopped.wait(), seconds)
        return self.stopped.is_set()

    async def _watch(self) -> None:
        """Sleep until the next moment a timeout could expire, so a busy stream wakes it rarely."""
        until = self.until
        deadline = None if until.timeout_ms is None else monotonic_ms() + until.timeout_ms
        while not self.stopped.is_set():
            now = monotonic_ms()
            if deadline is not None and now >= deadline:
                self.stop(f"timeout after {until.timeout_ms:g} ms")
                return
            last = now if self._held else self._last_activity
            idle_end = None if until.idle_ms is None else last + until.idle_ms
            if idle_end is not None and now >= idle_end:
                self.stop(f"idle for {until.idle_ms:g} ms")
                return
            wake = min((t for t in (deadline, idle_end) if t is not None), default=None)
            if wake is None:
                await self.stopped.wait()
            else:
                await asyncio.sleep((wake - now) / 1000)
