"""Built-in reporters, registered through ``wirecall_reporters``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.hookspecs import hookimpl


@hookimpl
def wirecall_reporters() -> Iterable[type[Any]]:
    return []
