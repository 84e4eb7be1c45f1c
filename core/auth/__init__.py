"""Built-in auth schemes, registered through ``wirecall_auth_schemes``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.hookspecs import hookimpl


@hookimpl
def wirecall_auth_schemes() -> Iterable[type[Any]]:
    return []
