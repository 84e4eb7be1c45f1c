"""``wirecall grpc list|describe|call|example``: grpcurl's flags, output and error block.

grpcurl takes ``host:port`` then a verb; here the verb comes first (``wirecall grpc call
TARGET METHOD``). ``list``/``describe``/``example`` take the TARGET only when the
descriptors come from reflection. Output: each response message as indented JSON; ``-v``
adds the method, request metadata, response headers and trailers; a non-OK status prints
grpcurl's ``ERROR:`` block on stderr. Exit codes: 0 OK, 1 a non-OK status or a failed
connection (grpcurl uses 64+code), 2 bad usage or input (unknown method, JSON that does not
fit the message). This module imports click and core only; grpc loads inside the commands.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

import click
from wirecall.core.errors import InputError, Location, ProtocolError, UsageError
from wirecall.core.streams import Outgoing, StopCondition, StreamSpec
from wirecall.plugins.grpc.request import Descriptors, GrpcRequest, Tls, Transport, metadata_pair

FAILED, USAGE = 1, 2


def _stdin() -> TextIO:
    env = click.get_current_context().find_root().obj
    return getattr(env, "stdin", None) or sys.stdin


def _read_data(value: str) -> tuple[str, str]:
    """``-d`` text, ``@file`` or ``@``/``@-`` (stdin); returns (text, where it came from)."""
    if value in ("@", "@-"):
        return _stdin().read(), "stdin"
    if value.startswith("@"):
        try:
            with open(value[1:], encoding="utf-8") as handle:
                return handle.read(), value[1:]
        except OSError as exc:
            raise UsageError(f"cannot read -d {value}: {exc.strerror}") from exc
    return value, "-d"


def parse_messages(text: str, origin: str) -> list[Any]:
    """One or more JSON objects, one after another (NDJSON or concatenated, as grpcurl reads)."""
    decoder = json.JSONDecoder()
    messages, pos = [], 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return messages
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            where = Location(
                file=origin, json_path=f"$[{len(messages)}]", line=exc.lineno, column=exc.colno
            )
            raise InputError(f"not valid JSON: {exc.msg}", where) from exc
        messages.append(value)


def _tls_for(target: str, opts: dict[str, Any]) -> Tls | None:
    if opts["plaintext"] or target.startswith(("grpc://", "http://")):
        return None
    return Tls(
        ca=opts["cacert"],
        cert=opts["cert"],
        key=opts["key"],
        insecure=opts["insecure"],
        server_name=opts["servername"],
    )


def build_request(target: str | None, method: str, opts: dict[str, Any]) -> GrpcRequest:
    """The request a collection item would hold, from grpcurl-style flags."""
    at = Location(file="command line")
    if opts["protoset"]:
        source = Descriptors("protoset", protoset=opts["protoset"])
    elif opts["proto"]:
        source = Descriptors("proto", tuple(opts["proto"]), tuple(opts["import_path"]))
    else:
        source = Descriptors()
    if opts["cert"] and not opts["key"] or opts["key"] and not opts["cert"]:
        raise UsageError("--cert and --key go together")
    headers = []
    for header in opts["header"]:
        key, sep, value = header.partition(":")
        if not sep:
            raise UsageError(f"-H {header!r}: expected 'name: value'")
        headers.append(metadata_pair(key, value.strip(), at.child("header")))
    url = target or "grpc://localhost"
    if opts["unix"] and not url.startswith("unix:"):
        url = f"unix:{url}"
    return GrpcRequest(
        url=url,
        method=method,
        metadata=headers,
        descriptors=source,
        deadline_ms=opts["max_time"] * 1000 if opts["max_time"] else None,
        transport=Transport(
            tls=_tls_for(url, opts),
            authority=opts["authority"],
            max_receive_bytes=opts["max_msg_sz"],
            keepalive_ms=(int(opts["keepalive_time"] * 1000) if opts["keepalive_time"] else None),
            compression=opts["compression"],
        ),
        emit_defaults=opts["emit_defaults"],
        at=at,
    )


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The flags every subcommand shares, named as grpcurl names them."""
    options = [
        click.option("--plaintext", is_flag=True, help="Use plain-text HTTP/2 (no TLS)."),
        click.option(
            "--insecure", is_flag=True, help="Skip server certificate and domain verification."
        ),
        click.option(
            "--cacert",
            type=click.Path(dir_okay=False),
            help="CA certificates (PEM) to verify the server with.",
        ),
        click.option(
            "--cert",
            type=click.Path(dir_okay=False),
            help="Client certificate (PEM) for mutual TLS.",
        ),
        click.option(
            "--key",
            type=click.Path(dir_okay=False),
            help="Client private key (PEM) for mutual TLS.",
        ),
        click.option("--servername", help="Server name to verify the TLS certificate against."),
        click.option(
            "--authority", help="Value of the :authority pseudo-header (also the TLS name)."
        ),
        click.option(
            "-H",
            "--header",
            "header",
            multiple=True,
            help="Metadata 'name: value' (repeatable; -bin values in base64).",
        ),
        click.option(
            "--proto", multiple=True, help=".proto source file (repeatable); no reflection."
        ),
        click.option(
            "--import-path", multiple=True, help="Import path for --proto files (repeatable)."
        ),
        click.option("--protoset", help="File holding a FileDescriptorSet; no reflection."),
        click.option("--unix", is_flag=True, help="TARGET is the path of a Unix socket."),
        click.option("--max-time", type=float, help="Deadline of the whole call, in seconds."),
        click.option("--max-msg-sz", type=int, help="Largest response message accepted, in bytes."),
        click.option("--keepalive-time", type=float, help="Seconds between keepalive pings."),
        click.option(
            "--compression",
            type=click.Choice(["gzip", "deflate", "none"]),
            help="Compress requests.",
        ),
        click.option(
            "--emit-defaults", is_flag=True, help="Print fields that have their default value."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run(coro: Any) -> Any:
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")  # no C-core log lines among the output
    return asyncio.run(coro)


def _positional(
    args: tuple[str, ...], opts: dict[str, Any], needs_symbol: bool
) -> tuple[str | None, str | None]:
    """(TARGET, SYMBOL): the target is left out when descriptors come from files."""
    from_files = bool(opts["proto"] or opts["protoset"])
    if len(args) > 2:
        raise UsageError("too many arguments: expected [TARGET] [SYMBOL]")
    if len(args) == 2:
        return args[0], args[1]
    if len(args) == 1:
        return (None, args[0]) if from_files else (args[0], None)
    if not from_files:
        raise UsageError("give a TARGET (host:port) for reflection, or --proto/--protoset")
    if needs_symbol:
        raise UsageError("give the name of the message")
    return None, None


async def _with_source(target: str | None, opts: dict[str, Any], use: Callable[[Any], Any]) -> Any:
    from wirecall.core.exchange import Exchange, Settings
    from wirecall.plugins.grpc.invoke import Session

    session = Session()
    try:
        request = build_request(target, "x.X/X", opts)
        _, source = await session.descriptors(
            request, Exchange(settings=Settings(working_dir=os.getcwd()))
        )
        return await use(source)
    finally:
        await session.aclose()


async def _find(source: Any, name: str) -> Any:
    from wirecall.plugins.grpc.errors import DescriptorError

    symbol = await source.find(name)
    if symbol is None:
        raise DescriptorError(f"symbol {name!r} not found in {source.origin}")
    return symbol


@click.group("grpc")
def grpc_group() -> None:
    """Call gRPC services: list, describe, call, example (grpcurl's flags)."""


@grpc_group.command("list")
@click.argument("args", nargs=-1, metavar="[TARGET] [SERVICE]")
@connection_options
def list_command(args: tuple[str, ...], **opts: Any) -> None:
    """List services, or the methods of SERVICE."""
    target, service = _positional(args, opts, needs_symbol=False)

    async def names(source: Any) -> list[str]:
        if service is None:
            return await source.list_services()
        from google.protobuf import descriptor

        found = await _find(source, service)
        if not isinstance(found, descriptor.ServiceDescriptor):
            raise UsageError(f"{service} is not a service")
        return [m.full_name for m in found.methods]

    for name in _run(_with_source(target, opts, names)):
        click.echo(name)


@grpc_group.command("describe")
@click.argument("args", nargs=-1, metavar="[TARGET] [SYMBOL]")
@connection_options
def describe_command(args: tuple[str, ...], **opts: Any) -> None:
    """Show a service, method, message or enum in .proto syntax (all services without SYMBOL)."""
    target, symbol = _positional(args, opts, needs_symbol=False)

    async def text(source: Any) -> str:
        from wirecall.plugins.grpc.render import kind_of, proto_text

        names = [symbol] if symbol else await source.list_services()
        found = [(name, await _find(source, name)) for name in names]
        return "\n".join(f"{name} is {kind_of(s)}:\n{proto_text(s)}" for name, s in found)

    click.echo(_run(_with_source(target, opts, text)))


@grpc_group.command("example")
@click.argument("args", nargs=-1, metavar="[TARGET] MESSAGE")
@connection_options
def example_command(args: tuple[str, ...], **opts: Any) -> None:
    """Print an example JSON message of type MESSAGE (or a method's request type)."""
    target, name = _positional(args, opts, needs_symbol=True)
    if name is None:
        raise UsageError("give the name of the message (or of a method)")

    async def skeleton(source: Any) -> Any:
        from google.protobuf import descriptor
        from wirecall.plugins.grpc.render import example

        found = await _find(source, name.replace("/", "."))
        if isinstance(found, descriptor.MethodDescriptor):
            found = found.input_type
        if not isinstance(found, descriptor.Descriptor):
            raise UsageError(f"{name} is not a message or a method")
        return example(found)

    click.echo(json.dumps(_run(_with_source(target, opts, skeleton)), indent=2))


@grpc_group.command("call")
@click.argument("target")
@click.argument("method")
@click.option(
    "-d", "--data", help="Request JSON; '@file' or '@' for stdin (several objects for streams)."
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="How to print response messages.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also print the method, metadata, headers and trailers."
)
@connection_options
def call_command(
    target: str, method: str, data: str | None, format_: str, verbose: bool, **opts: Any
) -> None:
    """Invoke METHOD (package.Service/Method) on TARGET (host:port, unix:/path, grpcs://...)."""
    messages: list[Any] = []
    if data is not None:
        text, origin = _read_data(data)
        messages = parse_messages(text, origin)
    request = build_request(target, method, opts)
    code = _run(_call(request, messages, format_, verbose))
    if code:
        click.get_current_context().exit(code)


async def _call(request: GrpcRequest, messages: list[Any], format_: str, verbose: bool) -> int:
    from wirecall.plugins.grpc.invoke import Session
    from wirecall.plugins.grpc.printer import CallPrinter

    session = Session()
    printer = CallPrinter(request, format_, verbose)
    try:
        stream = StreamSpec(
            tuple(Outgoing(m) for m in messages), StopCondition(idle_ms=None, timeout_ms=None)
        )
        try:
            response = await printer.invoke(session, stream)
        except ProtocolError as exc:
            if exc.protocol != "grpc" or exc.status is None:
                raise
            printer.error(exc.status, exc.message.partition(": ")[2] or exc.message, [])
            return FAILED
    finally:
        await session.aclose()
    return 0 if response.ok else FAILED
