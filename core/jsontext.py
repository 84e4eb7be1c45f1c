"""JSON text on the hot paths: script documents and V8's answers, run reports.

orjson encodes the bench's script documents ~6x and a report's executions ~13x faster than
the standard library's encoder here, and parses V8's answers ~3x faster. What orjson
refuses (integers beyond 64 bits, nesting deeper than 254 levels, lone surrogates) goes to
the standard library instead, so every value json could write or read still is. The text
is compact, and characters beyond ASCII are written as they are.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:  # a TypeError: what orjson cannot write, json may
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # a lone surrogate's escape (JavaScript strings hold them)
        return json.loads(text)
