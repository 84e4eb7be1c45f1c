"""Checking an operation's JSON arguments against its XSD input types before sending."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import CollectionError

_INTEGER = {"int", "integer", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"}  # fmt: skip
_DECIMAL = {"float", "double", "decimal"}
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def check_args(op_name: str, signature: str, elements: list[tuple[str, Any]], args: Mapping[str, Any]) -> None:
    """Refuse unknown argument names and values that cannot be their XSD type, naming both."""
    known = dict(elements)
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise CollectionError(
            f"{op_name} has no argument {', '.join(map(repr, unknown))}; expected: {signature or 'no arguments'}"
        )
    for name, value in args.items():
        _check(known[name], value, name)


def _check(element: Any, value: Any, at: str) -> None:
    if value is None:
        return
    if getattr(element, "max_occurs", 1) not in (1, None) and isinstance(value, list):
        for i, item in enumerate(value):
            _check_one(element, item, f"{at}[{i}]")
        return
    _check_one(element, value, at)


def _check_one(element: Any, value: Any, at: str) -> None:
    xsd_type = element.type
    children = getattr(xsd_type, "elements", None)
    if children:
        if not isinstance(value, Mapping):
            raise CollectionError(f"argument {at}: expected an object of type {xsd_type.name}")
        for name, child in children:
            if name in value:
                _check(child, value[name], f"{at}.{name}")
        return
    type_name = getattr(xsd_type, "name", "") or ""
    if not _fits(type_name, value):
        raise CollectionError(f"argument {at}: expected a value of type xsd:{type_name}, got {value!r}")


def _fits(type_name: str, value: Any) -> bool:
    if type_name in _INTEGER:
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and bool(_INTEGER_TEXT.match(value)))
    if type_name in _DECIMAL:
        return (isinstance(value, int | float) and not isinstance(value, bool)) or (isinstance(value, str) and bool(_DECIMAL_TEXT.match(value)))
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false", "1", "0")
    return not isinstance(value, Mapping | list)
