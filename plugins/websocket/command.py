"""``wirecall ws URL``: a wscat/websocat-like terminal client.

On a TTY each typed line is sent and every message is printed with its time and direction
(``<`` received, ``>`` sent); piped stdin lines are sent one message each. ``--count``,
``--until``, ``--idle`` and ``--timeout`` end the session; without them piped input ends it
once everything was sent and the connection was quiet for a second. Exit codes: 0 normal
close (1000/1001, or wirecall closed it), 1 abnormal close code or failed connection, 2 bad
usage or input. This module imports click and core only; websockets loads in the handler.
"""

from __future__ import annotations

import asyncio
from typing import Any

import click
from wirecall.core.errors import Location
from wirecall.core.records import Response
from wirecall.core.stream_console import (
    ConsoleSession,
    console_io,
    header_list,
    is_tty,
    stream_options,
    until_from,
)
from wirecall.core.streams import Outgoing
from wirecall.plugins.websocket.handler import WebSocketHandler

AT = Location(file="command line")


@click.command("ws")
@click.argument("url")
@click.option(
    "-s",
    "--subprotocol",
    "subprotocols",
    multiple=True,
    help="Offer this subprotocol (repeatable).",
)
@click.option("-b", "--binary", is_flag=True, help="Send each input line as a binary message.")
@click.option(
    "--ping-interval",
    type=click.FloatRange(min=0),
    default=20.0,
    show_default=True,
    help="Seconds between keep-alive pings (0: off).",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=0),
    default=2**20,
    show_default=True,
    help="Largest message accepted, in bytes (0: no limit).",
)
@click.option("--no-compression", is_flag=True, help="Do not offer permessage-deflate.")
@click.option(
    "--close-code", type=int, default=1000, show_default=True, help="Close code wirecall sends."
)
@stream_options
def ws(
    url: str,
    subprotocols: tuple[str, ...],
    binary: bool,
    ping_interval: float,
    max_size: int,
    no_compression: bool,
    close_code: int,
    as_json: bool,
    timeout: float | None,
    idle: float | None,
    until: str | None,
    count: int | None,
    headers: tuple[str, ...],
    insecure: bool,
    connect_timeout: float,
) -> int:
    """Open a WebSocket to URL, send stdin lines, print messages as they arrive."""
    stdin, stdout, stderr, endpoint_for = console_io()
    raw = {
        "url": url,
        "header": header_list(headers),
        "subprotocols": list(subprotocols),
        "pingIntervalMs": ping_interval * 1000,
        "connectTimeoutMs": connect_timeout * 1000,
        "maxSize": max_size,
        "compression": not no_compression,
        "close": {"code": close_code},
        "tls": {"verify": False} if insecure else None,
    }
    handler = WebSocketHandler()
    request = handler.parse(raw, AT)

    def parse_line(line: str, number: int) -> Outgoing:
        if binary:
            return Outgoing(line.encode().hex(), fields={"type": "binary", "encoding": "hex"})
        return Outgoing(line)

    session = ConsoleSession(
        stdout=stdout,
        stdin=stdin,
        interactive=is_tty(stdin),
        parse_line=parse_line,
        as_json=as_json,
        until=until_from(count, until, idle, timeout),
        endpoint_for=endpoint_for,
    )
    response = asyncio.run(session.run(lambda exchange: handler.send(request, exchange)))
    return report_close(response, stderr, as_json)


def report_close(response: Response, stderr: Any, as_json: bool) -> int:
    """wscat's ``Disconnected (code: ..., reason: ...)``; exit 1 on an abnormal close."""
    if response.extra.get("closedBy") == "server" or not response.ok:
        stderr.write(
            f'Disconnected (code: {response.code}, reason: "{response.extra.get("closeReason", "")}")\n'
        )
    return 0 if response.ok else 1
