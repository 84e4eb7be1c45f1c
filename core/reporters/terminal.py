"""Terminal helpers for the cli reporter: colours, sizes and durations as Newman prints them,
and the box-drawn summary table."""

from __future__ import annotations

import re
from collections.abc import Sequence

CODES = {
    "gray": "90",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "bold": "1",
    "underline": "4",
}


class Paint:
    """ANSI colours, or plain text when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def size(n: float) -> str:
    """``256B``, ``1.2kB``, ``3.4MB`` (pretty-bytes, as Newman)."""
    units, step = ("B", "kB", "MB", "GB"), 0
    while n >= 1000 and step < len(units) - 1:
        n, step = n / 1000, step + 1
    return f"{n:.0f}B" if step == 0 else f"{n:.3g}{units[step]}"


def duration(ms: float) -> str:
    """``0µs``, ``12ms``, ``1.2s``, ``1m 3s`` (pretty-ms, as Newman)."""
    if ms < 1:
        return f"{ms * 1000:.0f}µs"
    if ms < 1000:
        return f"{ms:.0f}ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f}s"
    return f"{int(ms // 60_000)}m {(ms % 60_000) / 1000:.0f}s"


def table(
    rows: Sequence[Sequence[str]], footer: Sequence[str], widths: Sequence[int] = (25, 18, 18)
) -> str:
    """The summary table: a header row, right-aligned cells, then full-width footer lines.

    Cell text may carry colour codes, so widths are computed from the text without them.
    """
    inner = max([sum(widths) + len(widths) - 1] + [len(line) + 2 for line in footer])
    widths = [*widths[:-1], widths[-1] + inner - (sum(widths) + len(widths) - 1)]

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * w for w in widths) + right

    lines = [rule("┌", "┬", "┐")]
    for i, row in enumerate(rows):
        cells = [" " * (w - 1 - _visible(c)) + c + " " for c, w in zip(row, widths, strict=True)]
        lines.append("│" + "│".join(cells) + "│")
        lines.append(rule("├", "┼", "┤") if i < len(rows) - 1 else rule("├", "┴", "┤"))
    for i, line in enumerate(footer):
        lines.append("│ " + line + " " * (inner - 1 - len(line)) + "│")
        lines.append("├" + "─" * inner + "┤" if i < len(footer) - 1 else "└" + "─" * inner + "┘")
    return "\n".join(lines)


def _visible(text: str) -> int:
    return len(re.sub(r"\x1b\[[0-9;]*m", "", text))
