"""``wirecall sio URL``: a terminal Socket.IO client (events in, events out, acks shown).

``--emit EVENT 'JSON args'`` emits once connected (a JSON array is the argument list, any
other JSON value the single argument); ``--ack`` asks for acknowledgements. stdin lines are
emitted too: ``{"event": "e", "args": [...], "ack": true}``, ``["e", arg1, arg2]`` or plain
text (emitted as ``message``, like ``socket.send``). Received events print as
``12:00:01.250 < [event] data``, acks as ``[ack event]``. Exit codes: 0 normal end, 1 refused or
lost connection, 2 bad usage or input. socketio loads in the handler only.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click
from wirecall.core.errors import InputError, Location, UsageError
from wirecall.core.records import Message
from wirecall.core.stream_console import (
    ConsoleSession,
    console_io,
    default_body,
    header_list,
    is_tty,
    stream_options,
    until_from,
)
from wirecall.core.streams import Outgoing
from wirecall.plugins.socketio.handler import TRANSPORTS, SocketIOHandler

AT = Location(file="command line")


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{what}: not valid JSON: {exc}") from exc


def emission(event: str, args: Any, ack: bool) -> Outgoing:
    return Outgoing(
        None,
        fields={"event": event, "args": args if isinstance(args, list) else [args], "ack": ack},
    )


def parse_line(line: str, number: int) -> Outgoing:
    """An NDJSON object or array, or plain text for the ``message`` event."""
    where = Location(file="stdin", json_path="$", line=number)
    if not line.lstrip().startswith(("{", "[")):
        return emission("message", [line], False)
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", where) from exc
    if isinstance(value, list) and value and isinstance(value[0], str):
        return emission(value[0], value[1:], False)
    if isinstance(value, dict) and isinstance(value.get("event"), str):
        return emission(value["event"], value.get("args", []), bool(value.get("ack", False)))
    raise InputError('expected {"event": name, "args": [...]} or ["event", args...]', where)


def body(message: Message) -> str:
    if message.type not in ("event", "ack"):
        return default_body(message)
    label = message.fields["event"] if message.type == "event" else f"ack {message.fields['event']}"
    return f"[{label}] {message.data}"


@click.command("sio")
@click.argument("url")
@click.option(
    "--path", default="/socket.io", show_default=True, help="The server's Socket.IO path."
)
@click.option("--namespace", help="Namespace to connect (default: the URL's path, else /).")
@click.option("--auth", "auth_json", metavar="JSON", help="Handshake auth payload.")
@click.option(
    "--transport",
    "transports",
    multiple=True,
    type=click.Choice(TRANSPORTS),
    help="Allowed transport (repeatable; default: polling upgraded to websocket).",
)
@click.option("--listen", metavar="EV1,EV2", help="Record only these events (default: all).")
@click.option(
    "--emit",
    "emits",
    nargs=2,
    multiple=True,
    metavar="EVENT JSON",
    help="Emit EVENT with JSON arguments once connected (repeatable).",
)
@click.option("--ack", is_flag=True, help="Ask for an acknowledgement of each --emit.")
@click.option("--until-event", metavar="EVENT", help="End after receiving EVENT (or its ack).")
@stream_options
def sio(
    url: str,
    path: str,
    namespace: str | None,
    auth_json: str | None,
    transports: tuple[str, ...],
    listen: str | None,
    emits: tuple[tuple[str, str], ...],
    ack: bool,
    until_event: str | None,
    as_json: bool,
    timeout: float | None,
    idle: float | None,
    until: str | None,
    count: int | None,
    headers: tuple[str, ...],
    insecure: bool,
    connect_timeout: float,
) -> int:
    """Connect to a Socket.IO server at URL, emit events, print events as they arrive."""
    stdin, stdout, stderr, endpoint_for = console_io()
    raw: dict[str, Any] = {
        "url": url,
        "path": path,
        "header": header_list(headers),
        "auth": parse_json(auth_json, "--auth") if auth_json else None,
        "transports": list(transports) or None,
        "listen": [e.strip() for e in listen.split(",") if e.strip()] if listen else None,
        "connectTimeoutMs": connect_timeout * 1000,
        "tls": {"verify": False} if insecure else None,
    }
    if namespace:
        raw["namespace"] = namespace
    handler = SocketIOHandler()
    request = handler.parse(raw, AT)
    outgoing = tuple(
        emission(event, parse_json(args, f"--emit {event}"), ack) for event, args in emits
    )
    session = ConsoleSession(
        stdout=stdout,
        stdin=stdin,
        interactive=is_tty(stdin),
        parse_line=parse_line,
        as_json=as_json,
        until=until_from(count, until, idle, timeout, until_event),
        outgoing=outgoing,
        body=body,
        endpoint_for=endpoint_for,
    )
    response = asyncio.run(session.run(lambda exchange: handler.send(request, exchange)))
    if response.status != "client disconnect":
        stderr.write(f"Disconnected ({response.status})\n")
    return 0 if response.ok else 1
