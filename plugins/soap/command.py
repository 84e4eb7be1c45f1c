"""``wirecall soap describe|example|call``: WSDL-driven SOAP from the terminal."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click
from wirecall.core.errors import FormatError, StatusError, UsageError
from wirecall.core.exchange import Exchange, Settings

_tls_options = [
    click.option("-k", "--insecure", is_flag=True, help="Do not verify the server's TLS certificate."),
    click.option("--cacert", type=click.Path(dir_okay=False), help="CA bundle to verify the server with."),
]


def _with_tls(func: Any) -> Any:
    for option in reversed(_tls_options):
        func = option(func)
    return func


def _settings(insecure: bool, cacert: str | None, timeout: float | None = None) -> Settings:
    return Settings(verify_tls=not insecure, ca_bundle=cacert, timeout_request_ms=timeout * 1000 if timeout else None)


def _client(wsdl: str, settings: Settings) -> Any:
    from wirecall.plugins.soap.handler import SoapHandler
    from wirecall.plugins.soap.request import SoapCall
    from wirecall.plugins.soap.wsdl import WsdlError

    try:
        return SoapHandler().client(SoapCall(wsdl, "-"), settings)
    except WsdlError as exc:
        raise FormatError(exc.message) from exc


@click.group("soap")
def soap() -> None:
    """Describe WSDLs and call SOAP operations (SOAP 1.1 and 1.2)."""


@soap.command("describe")
@click.argument("wsdl")
@_with_tls
def describe(wsdl: str, insecure: bool, cacert: str | None) -> None:
    """List services, ports and operations with their input and output types."""
    from wirecall.plugins.soap.wsdl import describe as describe_client

    click.echo(describe_client(_client(wsdl, _settings(insecure, cacert))))


@soap.command("example")
@click.argument("wsdl")
@click.argument("operation")
@_with_tls
def example(wsdl: str, operation: str, insecure: bool, cacert: str | None) -> None:
    """Print an example input of OPERATION as JSON (a starting point for -d)."""
    from wirecall.plugins.soap.wsdl import example_input, find_operation

    op = find_operation(_client(wsdl, _settings(insecure, cacert)), operation, None, None)
    click.echo(json.dumps(example_input(op), indent=2))


@soap.command("call")
@click.argument("wsdl")
@click.argument("operation")
@click.option("-d", "--data", default="{}", help="Arguments as a JSON object, or @FILE.")
@click.option("--service", help="Service to use when the WSDL has several.")
@click.option("--port", help="Port (binding) to use, e.g. the SOAP 1.2 one.")
@click.option("--endpoint", help="Send to this address instead of the WSDL's.")
@click.option("-H", "--header", "headers", multiple=True, help="HTTP header 'Name: value' (repeatable).")
@click.option("--wsse-user", help="WS-Security UsernameToken user.")
@click.option("--wsse-password", help="WS-Security UsernameToken password.")
@click.option("--wsse-digest", is_flag=True, help="Send the password as a digest (PasswordDigest).")
@click.option("--raw", is_flag=True, help="Print the response envelope as received.")
@click.option("--timeout", type=float, help="Seconds to wait for the response.")
@_with_tls
def call(wsdl: str, operation: str, data: str, service: str | None, port: str | None, endpoint: str | None,
         headers: tuple[str, ...], wsse_user: str | None, wsse_password: str | None, wsse_digest: bool,
         raw: bool, timeout: float | None, insecure: bool, cacert: str | None) -> None:  # fmt: skip
    """Call OPERATION with JSON arguments; print the result (or the Fault) as JSON."""
    from wirecall.core.errors import Location
    from wirecall.plugins.soap.handler import SoapHandler

    request: dict[str, Any] = {
        "wsdl": wsdl, "operation": operation, "args": _json_arg(data), "service": service, "port": port,
        "endpoint": endpoint, "header": [_header(h) for h in headers],
    }  # fmt: skip
    if wsse_user:
        request["wsse"] = {"username": wsse_user, "password": wsse_password or "", "digest": wsse_digest}

    async def run() -> Any:
        async with SoapHandler() as handler:
            parsed = handler.parse(request, Location("<command line>"))
            return await handler.send(parsed, Exchange(settings=_settings(insecure, cacert, timeout)))

    response = asyncio.run(run())
    if raw:
        click.echo(response.text())
    else:
        click.echo(json.dumps(response.extra.get("fault") or response.extra.get("result"), indent=2))
    if not response.ok:
        fault = response.extra["fault"]
        raise StatusError(f"SOAP Fault {fault['code']}: {fault['message']}", protocol="soap", status=response.code)


def _json_arg(text: str) -> Any:
    if text.startswith("@"):
        try:
            with open(text[1:], encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise UsageError(f"-d {text}: {exc.strerror}") from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"-d: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    if not isinstance(value, dict):
        raise UsageError("-d: expected a JSON object of argument names and values")
    return value


def _header(text: str) -> dict[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"-H {text!r}: expected 'Name: value'")
    return {"key": name.strip(), "value": value.strip()}
