"""What ``wirecall http`` prints, in httpie's layout: heads, bodies, pretty JSON, colours.

``what`` picks the parts as httpie's ``--print`` does: H request headers, B request body,
h response headers, b response body. Piped, unformatted bodies are written byte for byte.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

import click
from wirecall.core.errors import UsageError
from wirecall.core.records import Response

BINARY_NOTE = (
    "+-----------------------------------------+\n"
    "| NOTE: binary data not shown in terminal |\n"
    "+-----------------------------------------+\n"
)
JSON_TOKEN = re.compile(
    r'(?P<string>"(?:\\.|[^"\\])*")(?P<colon>\s*:)?'
    r"|(?P<literal>\b(?:true|false|null)\b)"
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
)
STATUS_COLORS = {2: "green", 3: "yellow", 4: "red", 5: "red"}


@dataclass
class Printer:
    out: TextIO
    err: TextIO
    what: str = "b"
    format: bool = False
    colors: bool = False
    tty: bool = False

    @classmethod
    def for_terminal(
        cls,
        env: Any,
        what: str | None,
        verbose: bool,
        offline: bool,
        pretty: str | None,
        no_color: bool,
    ) -> Printer:
        """Defaults as httpie's: heads and body on a TTY, body only when piped.

        ``env`` is the CLI's Environment (stdout, stderr, isatty, env) or None.
        """
        out = env.stdout if env is not None else click.get_text_stream("stdout")
        err = env.stderr if env is not None else click.get_text_stream("stderr")
        tty = bool(env.isatty) if env is not None else out.isatty()
        variables: Mapping[str, str] = env.env if env is not None else os.environ
        if what is None:
            what = "HBhb" if verbose else "HB" if offline else "hb" if tty else "b"
        if not what or set(what) - set("HBhb"):
            raise UsageError(f"--print {what!r}: use the letters H, B, h and b")
        pretty = pretty or ("all" if tty else "none")
        colors = pretty in ("all", "colors") and not no_color and not variables.get("NO_COLOR")
        return cls(out, err, what, pretty in ("all", "format"), colors, tty)

    def request(
        self, method: str, url: str, headers: list[tuple[str, str]], body: bytes | None
    ) -> None:
        parts = urlsplit(url)
        if "H" in self.what:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if not any(k.lower() == "host" for k, _ in headers):
                headers = [("Host", parts.netloc), *headers]
            self._head(f"{method} {target} HTTP/1.1", headers, None)
        if "B" in self.what and body:
            self._body(body, _content_type(headers))
            self.out.write("\n\n")

    def response(self, response: Response) -> None:
        if "h" in self.what:
            line = f"{response.http_version} {response.code} {response.status}"
            self._head(line, response.headers, response.code)
        if "b" in self.what and response.body:
            self._body(response.body, _content_type(response.headers))

    def warn(self, message: str) -> None:
        self.err.write(f"wirecall http: warning: {message}\n")

    def _head(self, first: str, headers: list[tuple[str, str]], code: int | None) -> None:
        if self.colors:
            first = click.style(first, fg=STATUS_COLORS.get((code or 0) // 100), bold=True)
            headers = [(click.style(k, fg="cyan"), v) for k, v in headers]
        lines = [first, *(f"{k}: {v}" for k, v in headers)]
        self.out.write("\n".join(lines) + "\n\n")

    def _body(self, body: bytes, content_type: str) -> None:
        if not self.format and not self.colors and not self.tty:
            self._write_bytes(body)
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None or "\0" in text:
            self.out.write(BINARY_NOTE if self.tty else body.decode("utf-8", "replace"))
            return
        if "json" in content_type or _looks_like_json(text):
            text = self._json(text)
        self.out.write(text if text.endswith("\n") else text + "\n")

    def _json(self, text: str) -> str:
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if self.format:
            text = json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False)
        return colorize_json(text) if self.colors else text

    def _write_bytes(self, body: bytes) -> None:
        buffer = getattr(self.out, "buffer", None)
        if buffer is None:
            self.out.write(body.decode("utf-8", "replace"))
            return
        self.out.flush()
        buffer.write(body)
        buffer.flush()


def colorize_json(text: str) -> str:
    """ANSI colours for JSON text: keys, strings, numbers, literals."""

    def paint(match: re.Match[str]) -> str:
        if match["string"] is not None:
            if match["colon"] is not None:
                return click.style(match["string"], fg="blue", bold=True) + match["colon"]
            return click.style(match["string"], fg="green")
        if match["literal"] is not None:
            return click.style(match["literal"], fg="magenta")
        return click.style(match["number"], fg="yellow")

    return JSON_TOKEN.sub(paint, text)


def _content_type(headers: list[tuple[str, str]]) -> str:
    return next((v.lower() for k, v in headers if k.lower() == "content-type"), "")


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")
