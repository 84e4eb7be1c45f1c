"""JavaScript scripts with Postman's ``pm`` API, run in embedded V8 (mini-racer).

Importing this package is cheap: ``py_mini_racer`` is imported only when an engine opens.
"""

from __future__ import annotations

from pathlib import Path

from wirecall.core.scripts.base import (
    AssertionResult,
    Script,
    ScriptContext,
    ScriptEngine,
    ScriptResult,
)

DEFAULT_MEMORY_LIMIT = 256 * 2**20  # bytes of V8 heap for the whole run

__all__ = [
    "AssertionResult",
    "Script",
    "ScriptContext",
    "ScriptEngine",
    "ScriptResult",
    "open_engine",
]


def open_engine(
    *,
    timeout_ms: float | None,
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
    module_cache: Path | None = None,
    registry: str | None = None,
) -> ScriptEngine:
    """The engine for one run. ``timeout_ms`` is Newman's --timeout-script (None or 0: no
    limit of its own, but the engine's hard cap still applies); call it inside the run's loop.
    """
    from wirecall.core.scripts.engine import V8Engine

    return V8Engine(
        timeout_ms=timeout_ms,
        memory_limit_bytes=memory_limit_bytes,
        module_cache=module_cache,
        registry=registry,
    )
