"""``wirecall http [METHOD] URL [REQUEST_ITEM ...]``: one request in httpie's style.

Request items (the first separator wins; ``:=`` beats ``:``, ``==`` beats ``=``)::

    Header:value    a request header          name==value   a query parameter
    field=value     a string data field       field:=json   a raw JSON data field
    field@path      a file upload (multipart)

The items become a Postman request object, sent through the same HttpHandler that runs
collections. Output follows httpie: response headers and body on a terminal, only the body
when piped; JSON pretty-printed and coloured on a terminal.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import click
from wirecall.core.errors import ExitCode, Location, UsageError
from wirecall.core.exchange import Exchange, Settings
from wirecall.plugins.http.output import Printer

SEPARATORS = (":=", "==", "=", "@", ":")  # longest first where they share a first character
METHOD = re.compile(r"^[A-Z]+$")  # upper case: POST, PROPFIND...
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
AT = Location("<command line>")
JSON_OPTIONS = {"raw": {"language": "json"}}


@dataclass
class Items:
    """Request items sorted by kind, in the order given."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)


def split_item(text: str) -> tuple[str, str, str] | None:
    """``(key, separator, value)`` of a request item, or None (no separator, or a URL)."""
    for index, char in enumerate(text):
        if char not in ":=@" or index == 0:
            continue
        sep = next(s for s in (*SEPARATORS, char) if text.startswith(s, index))
        value = text[index + len(sep) :]
        if sep == ":" and value.startswith("//"):
            return None  # scheme://host is a URL, not a header
        return text[:index], sep, value
    return None


def parse_items(texts: list[str]) -> Items:
    items = Items()
    for text in texts:
        parts = split_item(text)
        if parts is None:
            raise UsageError(f"{text!r} is not a request item (Header:value, name==value, "
                             "field=value, field:=json or field@file)")
        key, sep, value = parts
        if sep == ":":
            items.headers.append((key, value))
        elif sep == "==":
            items.query.append((key, value))
        elif sep == "=":
            items.data[key] = value
        elif sep == ":=":
            try:
                items.data[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{text!r}: the value after := is not JSON ({exc})") from None
        else:
            items.files.append((key, value))
    return items


def split_args(args: tuple[str, ...]) -> tuple[str | None, str, list[str]]:
    """``[METHOD] URL [ITEM...]``: a first word in upper case (or a known method in any case)
    is the method, as httpie has it; so ``POST 127.0.0.1:8000/post`` is not read as a header."""
    if len(args) >= 2 and (METHOD.match(args[0]) or args[0].upper() in KNOWN_METHODS):
        return args[0].upper(), args[1], list(args[2:])
    return None, args[0], list(args[1:])


def full_url(url: str, query: list[tuple[str, str]]) -> str:
    """httpie's URL shorthands (``:3000/x`` is localhost, the scheme defaults to http)."""
    if url.startswith(":"):
        url = "http://localhost" + (url if url[1:2].isdigit() else url[1:])
    elif "://" not in url and not url.startswith("unix:"):
        url = "http://" + url
    if query:
        pairs = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
        url += ("&" if "?" in url else "?") + pairs
    return url


def build_request(
    method: str | None, url: str, items: Items, form: bool, raw: str | None
) -> dict[str, Any]:
    """The Postman request object the command line describes."""
    headers = [{"key": k, "value": v} for k, v in items.headers]
    body: dict[str, Any] | None = None
    if items.files:
        fields = [{"key": k, "value": _text(v), "type": "text"} for k, v in items.data.items()]
        files = [{"key": k, "src": os.path.abspath(p), "type": "file"} for k, p in items.files]
        body = {"mode": "formdata", "formdata": fields + files}
    elif raw is not None:
        body = {"mode": "raw", "raw": raw, "options": JSON_OPTIONS}
    elif items.data and form:
        fields = [{"key": k, "value": _text(v)} for k, v in items.data.items()]
        body = {"mode": "urlencoded", "urlencoded": fields}
    elif items.data:
        body = {"mode": "raw", "raw": json.dumps(items.data), "options": JSON_OPTIONS}
        if not any(k.lower() == "accept" for k, _ in items.headers):
            headers.append({"key": "Accept", "value": "application/json, */*;q=0.5"})
    request: dict[str, Any] = {
        "method": method or ("POST" if body else "GET"),
        "url": full_url(url, items.query),
        "header": headers,
        "protocolProfileBehavior": {"disableBodyPruning": True},  # a body given is a body sent
    }
    if body:
        request["body"] = body
    return request


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def settings_for(verify: str, timeout: float | None, follow: bool, max_redirects: int,
                 cert: str | None, cert_key: str | None, cert_key_pass: str | None) -> Settings:
    """``--verify no|yes|CA_PATH`` and friends as the run Settings the handler takes."""
    verify_tls = verify.lower() not in ("no", "false")
    ca_bundle = None if verify.lower() in ("yes", "true", "no", "false") else verify
    return Settings(
        timeout_request_ms=timeout * 1000 if timeout else None,
        verify_tls=verify_tls,
        ca_bundle=ca_bundle,
        client_cert=cert,
        client_key=cert_key,
        client_key_passphrase=cert_key_pass,
        follow_redirects=follow,
        max_redirects=max_redirects,
        working_dir=os.getcwd(),
    )


@click.command("http", short_help="Send one HTTP request (httpie-style request items).")
@click.argument("args", nargs=-1, required=True, metavar="[METHOD] URL [REQUEST_ITEM]...")
@click.option("-j", "--json", "form", flag_value=False, help="Data items as JSON (default).")
@click.option("-f", "--form", "form", flag_value=True, default=False,
              help="Data items as a urlencoded form.")
@click.option("--raw", metavar="TEXT", help="Send TEXT as the body (JSON Content-Type).")
@click.option("-p", "--print", "what", metavar="WHAT",
              help="What to print: H request headers, B request body, h response headers, "
                   "b response body (default: hb on a terminal, b when piped).")
@click.option("-v", "--verbose", is_flag=True, help="Print the request too (like --print HBhb).")
@click.option("-F", "--follow", is_flag=True, help="Follow redirects.")
@click.option("--max-redirects", default=30, show_default=True, help="Limit for --follow.")
@click.option("--timeout", type=float, metavar="SECONDS", help="Give up after SECONDS.")
@click.option("--verify", default="yes", show_default=True, metavar="yes|no|CA_PATH",
              help="Verify TLS certificates; a path adds that CA bundle.")
@click.option("--cert", metavar="PATH", help="Client certificate (PEM).")
@click.option("--cert-key", metavar="PATH", help="Private key of --cert, if separate.")
@click.option("--cert-key-pass", metavar="TEXT", help="Passphrase of --cert-key.")
@click.option("--check-status", is_flag=True, help="Exit 1 on a 4xx or 5xx response.")
@click.option("--offline", is_flag=True, help="Print the request without sending it.")
@click.option("--pretty", type=click.Choice(["all", "colors", "format", "none"]),
              help="Formatting (default: all on a terminal, none when piped).")
@click.option("--no-color", is_flag=True, help="No colours (also: NO_COLOR set).")
@click.pass_obj
def http_command(env: Any, args: tuple[str, ...], **opts: Any) -> ExitCode:
    """Send one HTTP request, e.g. ``wirecall http POST :8000/post name=wire n:=3``."""
    method, url, texts = split_args(args)
    request = build_request(method, url, parse_items(texts), opts["form"], opts["raw"])
    settings = settings_for(
        opts["verify"], opts["timeout"], opts["follow"], opts["max_redirects"],
        opts["cert"], opts["cert_key"], opts["cert_key_pass"],
    )
    printer = Printer.for_terminal(env, opts["what"], opts["verbose"], opts["offline"],
                                   opts["pretty"], opts["no_color"])
    # unix:/path:/request addresses come from whichever plugin provides endpoints (ipc)
    endpoint_for = env.host.endpoint if env is not None else lambda url: None
    exchange = Exchange(settings=settings, endpoint_for=endpoint_for)
    return asyncio.run(_run(request, exchange, printer, opts["offline"], opts["check_status"]))


async def _run(request: dict[str, Any], exchange: Exchange, printer: Printer, offline: bool,
               check_status: bool) -> ExitCode:
    from wirecall.plugins.http.handler import HttpHandler  # httpx only when a request is made

    settings = exchange.settings
    async with HttpHandler(settings) as handler:
        parsed = handler.parse(request, AT)
        if offline:
            view = handler.describe(parsed)
            printer.request(view["method"], view["url"], _pairs(view["header"]),
                            parsed.wire_body.encode(settings.working_dir))
            return ExitCode.OK
        response = await handler.send(parsed, exchange)
    sent = response.extra["sent"]
    printer.request(sent["method"], sent["url"], _pairs(sent["header"]),
                    parsed.wire_body.encode(settings.working_dir))
    printer.response(response)
    if check_status and (response.code or 0) >= 400:
        printer.warn(f"HTTP {response.code} {response.status}")
        return ExitCode.FAILED
    return ExitCode.OK


def _pairs(headers: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(h["key"], h["value"]) for h in headers]
