"""Terminal sessions for streaming commands (``wirecall ws``, ``wirecall sio``, ...).

Protocol-neutral: a command gives a ``send(exchange)`` coroutine (its handler's ``send``), a
way to turn a typed or piped line into an Outgoing message and a way to show a message. The
session prints every message as it happens (``HH:MM:SS.mmm < data`` or NDJSON with
``--json``), sends stdin lines, and ends the stream:

* on a TTY, at end of input (Ctrl-D) or when a stop condition is met;
* otherwise, when a stop condition is met or, if none was given, once stdin is at its end,
  everything read from it was sent and the connection was quiet for ``linger_ms``.

The command-line helpers below (``stream_options`` and friends) import click lazily, so core
itself never needs it.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from wirecall.core.errors import UsageError, WirecallError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.protocol import Endpoint
from wirecall.core.records import Message, Response
from wirecall.core.streams import DEFAULT_IDLE_MS, Outgoing, StopCondition, StreamSpec

ParseLine = Callable[[str, int], Outgoing]  # (line without newline, 1-based line number)


def default_body(message: Message) -> str:
    if isinstance(message.data, bytes):
        return f"(binary, {message.size} bytes) {message.to_json()['data']}"
    return message.data


def format_message(
    message: Message, as_json: bool, body: Callable[[Message], str] = default_body
) -> str:
    """One output line: ``12:00:01.250 < hello`` (wscat's arrows) or an NDJSON record."""
    when = datetime.datetime.fromtimestamp(message.timestamp).astimezone()
    if as_json:
        record = {"direction": message.direction, "time": when.isoformat(timespec="milliseconds")}
        record.update(message.to_json())
        return json.dumps(record, ensure_ascii=False)
    arrow = "<" if message.direction == "received" else ">"
    return f"{when.strftime('%H:%M:%S.%f')[:-3]} {arrow} {body(message)}"


@dataclass
class ConsoleSession:
    stdout: TextIO
    stdin: TextIO | None
    interactive: bool  # stdin is a terminal
    parse_line: ParseLine
    as_json: bool = False
    until: StopCondition = field(
        default_factory=lambda: StopCondition(idle_ms=None, timeout_ms=None)
    )
    outgoing: tuple[Outgoing, ...] = ()
    body: Callable[[Message], str] = default_body
    linger_ms: float = DEFAULT_IDLE_MS
    settings: Settings | None = None
    endpoint_for: Callable[[str], Endpoint | None] = lambda url: None
    _sent: int = 0
    _queued: int = 0
    _error: WirecallError | None = None

    async def run(self, send: Callable[[Exchange], Awaitable[Response]]) -> Response:
        """Run ``send`` on a new exchange while feeding stdin; re-raise a bad input line."""
        self._queued = len(self.outgoing)
        exchange = Exchange(
            settings=self.settings,
            stream=StreamSpec(self.outgoing, self.until),
            on_message=self._show,
            endpoint_for=self.endpoint_for,
        )
        input_done = asyncio.Event()
        if self.stdin is not None:
            self._start_reader(exchange, input_done)
        else:
            input_done.set()
        linger = asyncio.create_task(self._linger(exchange, input_done))
        try:
            response = await send(exchange)
        finally:
            linger.cancel()
        if self._error is not None:
            raise self._error
        return response

    async def _show(self, message: Message) -> bool:
        if message.direction == "sent":
            self._sent += 1
        self.stdout.write(format_message(message, self.as_json, self.body) + "\n")
        self.stdout.flush()
        return True

    def _start_reader(self, exchange: Exchange, input_done: asyncio.Event) -> None:
        """Read stdin in a daemon thread (a blocked terminal read must not hold the loop)."""
        loop = asyncio.get_running_loop()
        stdin = self.stdin
        assert stdin is not None

        def deliver(number: int, line: str) -> None:
            if exchange.stopped.is_set():
                return
            try:
                exchange.queue(self.parse_line(line, number))
                self._queued += 1
            except WirecallError as exc:
                self._error = exc
                exchange.stop("bad input")

        def read() -> None:
            try:
                for number, line in enumerate(stdin, 1):
                    if line.strip():
                        loop.call_soon_threadsafe(deliver, number, line.rstrip("\r\n"))
                loop.call_soon_threadsafe(input_done.set)
            except RuntimeError:  # the session is over and its loop closed
                pass

        threading.Thread(target=read, name="wirecall-stdin", daemon=True).start()

    async def _linger(self, exchange: Exchange, input_done: asyncio.Event) -> None:
        await input_done.wait()
        if self.interactive:
            exchange.stop("end of input")
            return
        explicit = self.until.messages or self.until.match or self.until.event
        if explicit or self.until.idle_ms is not None or self.until.timeout_ms is not None:
            return  # the user said when to stop
        while not exchange.stopped.is_set():
            if self._sent >= self._queued and exchange.idle_ms() >= self.linger_ms:
                exchange.stop("end of input")
                return
            await asyncio.sleep(0.02)


def stream_options(function: Any) -> Any:
    """click options that end a session and shape its output, shared by streaming commands."""
    import click

    options = [
        click.option(
            "--json", "as_json", is_flag=True, help="Print one NDJSON record per message."
        ),
        click.option(
            "--timeout", type=click.FloatRange(min=0), help="End the session after S seconds."
        ),
        click.option(
            "--idle", type=click.FloatRange(min=0), help="End after S seconds without messages."
        ),
        click.option(
            "--until", "until", metavar="REGEX", help="End after a received message matching REGEX."
        ),
        click.option(
            "-n", "--count", type=click.IntRange(min=1), help="End after N received messages."
        ),
        click.option(
            "-H", "--header", "headers", multiple=True, metavar="'K: V'", help="Handshake header."
        ),
        click.option(
            "-k", "--insecure", is_flag=True, help="Do not verify the server's TLS certificate."
        ),
        click.option(
            "--connect-timeout",
            type=click.FloatRange(min=0),
            default=10.0,
            show_default=True,
            help="Seconds to wait for the handshake.",
        ),
    ]
    for option in options:
        function = option(function)
    return function


def until_from(
    count: int | None,
    until: str | None,
    idle: float | None,
    timeout: float | None,
    event: str | None = None,
) -> StopCondition:
    try:
        match = re.compile(until) if until else None
    except re.error as exc:
        raise UsageError(f"--until: invalid regular expression: {exc}") from exc
    return StopCondition(
        messages=count,
        idle_ms=idle * 1000 if idle is not None else None,
        timeout_ms=timeout * 1000 if timeout is not None else None,
        match=match,
        event=event,
    )


def header_list(headers: tuple[str, ...]) -> list[dict[str, str]]:
    result = []
    for header in headers:
        name, sep, value = header.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"-H {header!r}: expected 'Name: value'")
        result.append({"key": name.strip(), "value": value.strip()})
    return result


def console_io() -> tuple[TextIO, TextIO, TextIO, Callable[[str], Endpoint | None]]:
    """stdin, stdout, stderr and the endpoint lookup of the running ``wirecall`` command."""
    import click

    env = click.get_current_context().find_root().obj
    host = getattr(env, "host", None)

    def endpoint_for(url: str) -> Endpoint | None:
        return host.endpoint(url) if host is not None else None

    return (
        getattr(env, "stdin", None) or sys.stdin,
        getattr(env, "stdout", None) or sys.stdout,
        getattr(env, "stderr", None) or sys.stderr,
        endpoint_for,
    )


def is_tty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
