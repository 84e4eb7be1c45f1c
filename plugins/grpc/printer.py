"""What ``wirecall grpc call`` prints, in grpcurl's words and order.

Response messages are printed as they arrive (the exchange's message callback), so a long
server stream shows progress; headers, trailers and the summary follow with ``-v``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import click
import grpc
from google.protobuf import json_format, message_factory, text_format
from wirecall.core.exchange import Exchange, Settings
from wirecall.core.records import Message, Response
from wirecall.core.streams import StreamSpec
from wirecall.plugins.grpc.errors import go_code_name
from wirecall.plugins.grpc.invoke import Session
from wirecall.plugins.grpc.render import method_line
from wirecall.plugins.grpc.request import GrpcRequest, metadata_text


def _metadata_block(title: str, pairs: list[tuple[str, str]]) -> str:
    lines = [f"{k}: {v}" for k, v in pairs] or ["(empty)"]
    return "\n".join(["", f"{title}:", *lines])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class CallPrinter:
    def __init__(self, request: GrpcRequest, format_: str, verbose: bool) -> None:
        self.request = request
        self.format = format_
        self.verbose = verbose
        self._received = 0
        self._sent = 0
        self._headers_shown = False
        self._source: Any = None
        self._output: Any = None

    async def invoke(self, session: Session, stream: StreamSpec) -> Response:
        exchange = Exchange(
            settings=Settings(working_dir=os.getcwd()), stream=stream, on_message=self.on_message
        )
        method = await session.method(self.request, exchange)
        self._source = method.source
        self._output = message_factory.GetMessageClass(method.descriptor.output_type)
        if self.verbose:
            click.echo(f"\nResolved method descriptor:\n{method_line(method.descriptor)}")
            click.echo(
                _metadata_block("Request metadata to send", metadata_text(self.request.metadata))
            )
        response = await session.send(self.request, exchange)
        if self.verbose:
            self._show_headers(response.headers)
            click.echo(
                _metadata_block(
                    "Response trailers received",
                    [(k, v) for k, v in response.trailers if k != "grpc-status-details-bin"],
                )
            )
            click.echo(
                f"Sent {_plural(self._sent, 'request')} and received "
                f"{_plural(self._received, 'response')}"
            )
        if not response.ok:
            self.error(
                response.status,
                response.extra.get("statusMessage", ""),
                response.extra.get("details") or [],
            )
        return response

    def _show_headers(self, headers: list[tuple[str, str]]) -> None:
        if not self._headers_shown:
            self._headers_shown = True
            click.echo(_metadata_block("Response headers received", headers))

    async def on_message(self, message: Message) -> bool:
        if message.direction == "sent":
            self._sent += 1
            return True
        if self.verbose and not self._received:
            self._show_headers([(m["key"], m["value"]) for m in message.fields.get("metadata", [])])
            click.echo("\nResponse contents:")
        elif self._received and self.format == "json":
            click.echo()  # grpcurl separates JSON messages with a blank line
        self._received += 1
        click.echo(self._format(message.text()))
        return True

    def _format(self, data: str) -> str:
        if self.format == "text":
            parsed = json_format.Parse(data, self._output(), descriptor_pool=self._source.pool)
            return text_format.MessageToString(parsed, descriptor_pool=self._source.pool).rstrip()
        return json.dumps(json.loads(data), indent=2)

    def error(self, status: str, text: str, details: list[Any]) -> None:
        lines = ["ERROR:", f"  Code: {go_code_name(grpc.StatusCode[status])}", f"  Message: {text}"]
        if details:
            lines.append("  Details:")
            for index, detail in enumerate(details, 1):
                body = json.dumps(detail, indent=2).replace("\n", "\n  ")
                lines.append(f"  {index})\t{body}")
        click.echo("\n".join(lines), err=True)
