"""``wirecall mqtt sub|pub``: mosquitto_sub / mosquitto_pub's flags and output habits.

``sub`` prints each payload on its own line (``-v`` puts the topic first, ``--json`` prints
NDJSON records) and stops after ``-C`` messages or ``-W`` seconds, through core's stop
conditions. ``pub`` sends ``-m``, ``-f``, stdin (``-s``), each stdin line (``-l``) or an empty
message (``-n``) and, for QoS 1/2, waits for the broker's acknowledgement of each one.
Exit codes: 0 done, 1 connection refused or a publish not acknowledged, 2 bad usage.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from wirecall.core.errors import InputError, Location, WirecallError
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Message
from wirecall.core.streams import StopCondition, StreamSpec
from wirecall.plugins.mqtt.request import (
    ENCODINGS,
    PUBLISH_PROPERTIES,
    MqttRequest,
    Publish,
    check_topic_name,
    encode_payload,
    parse_properties,
    parse_request,
)

AT = Location(file="command line")
# mosquitto's -D property names, next to the item's own names
PROPERTY_ALIASES = {
    "content-type": "contentType",
    "payload-format-indicator": "payloadFormat",
    "message-expiry-interval": "messageExpiry",
    "response-topic": "responseTopic",
    "correlation-data": "correlationData",
    "topic-alias": "topicAlias",
}
VERSION_CHOICES = ("5", "311", "3.1.1", "mqttv5", "mqttv311")


def _reported(command: Callable[..., Any]) -> Callable[..., Any]:
    """wirecall errors -> click's error output and exit codes (bad input 2, failures 1)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            raise click.UsageError(exc.reason) from exc
        except WirecallError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = int(exc.exit_code)
            raise error from exc

    return wrapper


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """URL and the CONNECT options both commands share (mosquitto's letters)."""
    options = [
        click.argument("url"),
        click.option("-i", "--id", "client_id", help="Client id (generated when absent)."),
        click.option("-u", "--username"),
        click.option("-P", "--pw", "password"),
        click.option("-V", "--protocol-version", "version", type=click.Choice(VERSION_CHOICES), default="5", show_default=True),
        click.option("-k", "--keepalive", type=click.IntRange(0, 65535), default=60, show_default=True),
        click.option("-c", "--disable-clean-session", "persistent", is_flag=True, help="Keep the session (clean start off)."),
        click.option("-x", "--session-expiry", type=click.IntRange(0), help="MQTT 5 session expiry, seconds."),
        click.option("--unix", "unix", metavar="PATH", help="Connect through a Unix socket."),
        click.option("--cafile", metavar="FILE", help="CA certificates to verify the broker (turns TLS on)."),
        click.option("--cert", metavar="FILE", help="Client certificate (mTLS)."),
        click.option("--key", metavar="FILE", help="Client private key (mTLS)."),
        click.option("--insecure", is_flag=True, help="Do not verify the broker's certificate."),
        click.option("--will-topic"),
        click.option("--will-payload"),
        click.option("--will-qos", type=click.IntRange(0, 2), default=0),
        click.option("--will-retain", is_flag=True),
        click.option("-d", "--debug", is_flag=True, help="Print the MQTT packets sent and received to stderr."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(help="Publish and subscribe over MQTT 3.1.1 and 5.0 (mosquitto_pub / mosquitto_sub flags).")
def mqtt() -> None:
    pass


@mqtt.command(help="Subscribe and print messages as they arrive (like mosquitto_sub).")
@connection_options
@click.option("-t", "--topic", "topics", multiple=True, required=True, help="Topic filter (repeatable).")
@click.option("-q", "--qos", type=click.IntRange(0, 2), default=0, show_default=True)
@click.option("-C", "--count", type=click.IntRange(1), help="Stop after this many messages.")
@click.option("-W", "--timeout", "timeout_s", type=click.FloatRange(0, min_open=True), help="Stop after this many seconds.")
@click.option("-v", "--verbose", is_flag=True, help="Print the topic before each payload.")
@click.option("--json", "as_json", is_flag=True, help="One JSON record per message (NDJSON).")
@click.option("--no-local", is_flag=True, help="MQTT 5: not my own messages.")
@click.option("--retain-as-published", is_flag=True, help="MQTT 5: keep the publisher's retain flag.")
@click.option("--retain-handling", type=click.IntRange(0, 2), default=0, help="MQTT 5: 0 send retained, 1 if new, 2 never.")
@_reported
def sub(topics: tuple[str, ...], qos: int, count: int | None, timeout_s: float | None, verbose: bool,
        as_json: bool, no_local: bool, retain_as_published: bool, retain_handling: int, **connect: Any) -> None:
    from wirecall.plugins.mqtt.handler import MqttHandler

    options = {"noLocal": no_local, "retainAsPublished": retain_as_published, "retainHandling": retain_handling}
    v5_options = {k: v for k, v in options.items() if v}
    subscribe = [{"topic": t, "qos": qos, **v5_options} for t in topics]
    request = _request(connect, subscribe=subscribe)
    until = StopCondition(messages=count, idle_ms=None, timeout_ms=timeout_s * 1000 if timeout_s else None)
    printer = _json_line if as_json else functools.partial(_plain_line, verbose=verbose)

    async def on_message(message: Message) -> bool:
        if message.direction == "received":
            printer(message)
        return True

    async def run() -> bool:
        exchange = Exchange(settings=_settings(), stream=StreamSpec(until=until), on_message=on_message)
        response = await MqttHandler(trace=_tracer(connect["debug"])).send(request, exchange)
        disconnect = response.extra["disconnect"]
        if disconnect:
            click.echo(f"Error: disconnected by the broker: {disconnect['reason']} ({disconnect['code']})", err=True)
        return response.ok

    if not asyncio.run(run()):
        sys.exit(1)


@mqtt.command(help="Publish messages (like mosquitto_pub); QoS 1/2 wait for the broker's acknowledgement.")
@connection_options
@click.option("-t", "--topic", required=True)
@click.option("-m", "--message", help="The payload.")
@click.option("-f", "--file", "path", type=click.Path(dir_okay=False), help="Send a file's bytes as the payload.")
@click.option("-l", "--stdin-line", "lines", is_flag=True, help="Send each line of stdin as a message.")
@click.option("-s", "--stdin-file", "whole_stdin", is_flag=True, help="Send all of stdin as one message.")
@click.option("-n", "--null-message", "empty", is_flag=True, help="Send an empty message.")
@click.option("-q", "--qos", type=click.IntRange(0, 2), default=0, show_default=True)
@click.option("-r", "--retain", is_flag=True)
@click.option("-e", "--encoding", type=click.Choice(ENCODINGS), default="text", show_default=True, help="How -m, -l and -s payloads are written.")
@click.option("--property", "properties", multiple=True, metavar="NAME=VALUE", help="MQTT 5 PUBLISH property (content-type, response-topic, correlation-data, message-expiry-interval, payload-format-indicator, topic-alias).")
@click.option("--user-property", "user_properties", multiple=True, metavar="KEY=VALUE", help="MQTT 5 user property (repeatable).")
@_reported
def pub(topic: str, message: str | None, path: str | None, lines: bool, whole_stdin: bool, empty: bool,
        qos: int, retain: bool, encoding: str, properties: tuple[str, ...], user_properties: tuple[str, ...],
        **connect: Any) -> None:
    from wirecall.plugins.mqtt.session import Session

    sources = [name for name, given in (("-m", message is not None), ("-f", path), ("-l", lines), ("-s", whole_stdin), ("-n", empty)) if given]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of -m, -f, -l, -s or -n" + (f" (got {' '.join(sources)})" if sources else ""))
    request = _request(connect)
    check_topic_name(topic, AT.child("topic"))
    props = parse_properties(_properties(properties, user_properties), AT.child("property"), request.version == 5, PUBLISH_PROPERTIES)
    payloads = _payloads(message, path, lines, whole_stdin, encoding)

    async def run() -> bool:
        all_acknowledged = True
        async with Session(request, _settings(), trace=_tracer(connect["debug"])) as session:
            async for payload in payloads:
                outcome = await session.publish(Publish(topic, payload, qos, retain, props))
                if outcome.acknowledged is False:
                    all_acknowledged = False
                    click.echo(f"Error: message {outcome.mid} on {topic!r} not acknowledged: {outcome.reason}", err=True)
        return all_acknowledged

    if not asyncio.run(run()):
        sys.exit(1)


def _request(connect: dict[str, Any], subscribe: list[dict[str, Any]] | None = None) -> MqttRequest:
    """The item-shaped request of the shared flags, validated like an item's."""
    url = connect["url"]
    if (connect["cafile"] or connect["cert"] or connect["insecure"]) and url.startswith(("mqtt:", "ws:")):
        url = url.replace("mqtt:", "mqtts:", 1).replace("ws:", "wss:", 1)  # mosquitto: --cafile means TLS
    tls = {"ca": connect["cafile"], "cert": connect["cert"], "key": connect["key"]}
    raw: dict[str, Any] = {
        "url": url,
        "version": connect["version"],
        "clientId": connect["client_id"],
        "cleanStart": not connect["persistent"],
        "sessionExpiry": connect["session_expiry"],
        "keepAlive": connect["keepalive"],
        "username": connect["username"],
        "password": connect["password"],
        "unix": connect["unix"],
        "subscribe": subscribe,
        "tls": {k: v for k, v in tls.items() if v} | ({"verify": False} if connect["insecure"] else {}),
    }
    if connect["will_topic"]:
        raw["will"] = {"topic": connect["will_topic"], "data": connect["will_payload"],
                       "qos": connect["will_qos"], "retain": connect["will_retain"]}
    return parse_request(raw, AT)


def _settings() -> Settings:
    return Settings(working_dir=os.getcwd())


def _tracer(debug: bool) -> Callable[[str], None] | None:
    return (lambda line: click.echo(line, err=True)) if debug else None


def _properties(pairs: tuple[str, ...], user_pairs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, value = _split(pair, "--property")
        key = PROPERTY_ALIASES.get(name, name)
        kind = PUBLISH_PROPERTIES.get(key, (None, str))[1]
        out[key] = _int(value, name) if kind is int else value
    if user_pairs:
        out["userProperties"] = dict(_split(pair, "--user-property") for pair in user_pairs)
    return out


def _split(pair: str, option: str) -> tuple[str, str]:
    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint=option)
    return name, value


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter(f"{name} must be an integer, got {value!r}", param_hint="--property") from None


async def _payloads(message: str | None, path: str | None, lines: bool, whole_stdin: bool, encoding: str) -> AsyncIterator[bytes]:
    """The payloads to send, reading stdin line by line for -l (so `tail -f |` works)."""
    at = AT.child("message")
    if message is not None:
        yield encode_payload(message, encoding, at)
    elif path is not None:
        try:
            yield await asyncio.to_thread(Path(path).read_bytes)
        except OSError as exc:
            raise click.BadParameter(f"cannot read {path!r}: {exc.strerror or exc}", param_hint="-f") from exc
    elif whole_stdin:
        yield _decode(await asyncio.to_thread(sys.stdin.buffer.read), encoding, at)
    elif lines:
        stdin = sys.stdin.buffer
        while line := await asyncio.to_thread(stdin.readline):
            line = line.rstrip(b"\r\n")
            if line:
                yield _decode(line, encoding, at)
    else:
        yield b""


def _decode(raw: bytes, encoding: str, at: Location) -> bytes:
    return raw if encoding == "text" else encode_payload(raw.decode("utf-8", "replace"), encoding, at)


def _plain_line(message: Message, verbose: bool) -> None:
    payload = message.data if isinstance(message.data, bytes) else message.data.encode()
    prefix = f"{message.fields['topic']} ".encode() if verbose else b""
    out = sys.stdout.buffer
    out.write(prefix + payload + b"\n")
    out.flush()


def _json_line(message: Message) -> None:
    binary = isinstance(message.data, bytes)
    record = {
        "time": datetime.fromtimestamp(message.timestamp, UTC).isoformat(timespec="milliseconds"),
        "topic": message.fields["topic"],
        "qos": message.fields["qos"],
        "retain": message.fields["retain"],
        "payload": message.to_json()["data"],
        "encoding": "base64" if binary else "utf-8",
        "properties": message.fields["properties"],
    }
    click.echo(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    mqtt()
