"""The run's V8 isolate: made once, the sandbox's JavaScript loaded into it, kept healthy.

Kept apart from the engine (which only evaluates scripts in it) because how the isolate
starts and how it uses memory are their own concerns: start-up time and peak RSS.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py_mini_racer import MiniRacer

# Load order matters: runtime first (it defines the shared namespace), pm and legacy last.
SOURCES = (
    "runtime.js",
    "console.js",
    "timers.js",
    "builtins.js",
    "json.js",
    "expect.js",
    "modules.js",
    "variables.js",
    "sdk.js",
    "pm.js",
    "legacy.js",
)


def sandbox_sources() -> list[tuple[str, str]]:
    """The sandbox's JavaScript files, in load order (missing optional ones skipped)."""
    folder = resources.files("wirecall.core.scripts") / "js"
    return [
        (name, (folder / name).read_text("utf-8")) for name in SOURCES if (folder / name).is_file()
    ]


GC_EVERY_SCRIPTS = 500
_since_gc = 0


async def open_isolate(memory_limit_bytes: int) -> tuple[MiniRacer, list[str]]:
    """A new isolate with the sandbox loaded, bound to the running loop (direct, cheap
    evaluations), and the legacy global names a script may use."""
    from py_mini_racer import MiniRacer

    mr = MiniRacer()
    mr.set_hard_memory_limit(memory_limit_bytes)
    for name, source in sandbox_sources():
        await mr.eval_cancelable(f"{source}\n//# sourceURL=wirecall/{name}")
    await mr.eval_cancelable("__wirecall.sealGlobals(); 0")
    legacy_names = json.loads(await mr.eval_cancelable("JSON.stringify(__wirecall_legacyNames)"))
    return mr, legacy_names


def after_script(mr: MiniRacer) -> None:
    """Every script's source is compiled anew; without a nudge V8 lets that garbage pile
    up for thousands of scripts (a long stream's message scripts) before collecting it."""
    global _since_gc
    _since_gc += 1
    if _since_gc >= GC_EVERY_SCRIPTS:
        _since_gc = 0
        mr.low_memory_notification()
