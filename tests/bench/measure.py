"""Run one command and measure it: wall time and the peak RSS of exactly that process.

Peak RSS comes from ``os.wait4`` on the child's pid: the kernel's ``ru_maxrss`` for that one
process (and any children it reaped), so concurrent work on the machine does not leak into
it and no polling can miss a short peak. ``newman`` execs node directly, and the wirecall
console script is the Python process itself, so the pid is the process doing the work.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    wall_s: float
    rss_mb: float
    cpu_s: float
    code: int
    output: str


def run(cmd: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` with stdout+stderr into ``log``; wall from spawn to reap."""
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Run(
        wall_s=wall,
        rss_mb=usage.ru_maxrss / 1024,
        cpu_s=usage.ru_utime + usage.ru_stime,
        code=process.returncode,
        output=log.read_text(errors="replace"),
    )


@dataclass
class Stats:
    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        return cls(min(values), statistics.median(values), max(values))

    def fmt(self, scale: float = 1.0, digits: int = 3) -> str:
        return " / ".join(f"{v * scale:.{digits}f}" for v in (self.min, self.median, self.max))


class BenchFailure(Exception):
    """A run that did not do its work: the section fails instead of reporting a number."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


def failures(report: Path) -> str:
    """The failures a Newman-shaped JSON report lists, one per line (or "" without a report)."""
    if not report.is_file():
        return ""
    run = json.loads(report.read_text()).get("run", {})
    lines = [f"{f.get('source', {}).get('name', '?')}: {f.get('error', {}).get('message', '?')}"
             for f in run.get("failures", [])]  # fmt: skip
    if run.get("error"):
        lines.append(f"run error: {run['error']}")
    return "\n" + "\n".join(lines)
