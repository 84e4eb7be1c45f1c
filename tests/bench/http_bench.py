"""HTTP collections: Newman and ``wirecall run`` on the same collections, alternating.

Both tools run with the JSON reporter exported to a file (``-r json --reporter-json-export``),
every repetition: the report is how each run is verified (N requests, 3·N assertions, none
failed, exit 0), so a broken run cannot look fast. The anchors show Newman's JSON reporter
costs no measurable time per request over ``--silent``, and it is the configuration the RSS
target names.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench import measure
from tests.bench.collections import ASSERTIONS_PER_REQUEST, write

SIZES = (1, 100, 1000)
REPS = {1: 7, 100: 3, 1000: 5}  # the per-request ratio comes from the 1000-request medians
TOOLS = ("newman", "wirecall")


@dataclass
class Series:
    tool: str
    n: int
    scripts: bool
    runs: list[measure.Run] = field(default_factory=list)

    def wall(self) -> measure.Stats:
        return measure.Stats.of([r.wall_s for r in self.runs])

    def rss(self) -> measure.Stats:
        return measure.Stats.of([r.rss_mb for r in self.runs])

    def cpu(self) -> measure.Stats:
        return measure.Stats.of([r.cpu_s for r in self.runs])


def command(tool: str, root: Path, collection: Path, env: Path, report: Path) -> list[str]:
    exe = {
        "newman": root / ".tools/node_modules/.bin/newman",
        "wirecall": Path(sys.executable).parent / "wirecall",
    }[tool]
    return [str(exe), "run", str(collection), "-e", str(env),
            "-r", "json", "--reporter-json-export", str(report)]  # fmt: skip


def verify(tool: str, result: measure.Run, report: Path, n: int, scripts: bool) -> None:
    """Refuse a run that did not do the work: exit code, request and assertion counts."""
    problem = None
    if result.code != 0:
        problem = f"exit code {result.code}"
    else:
        stats = json.loads(report.read_text())["run"]["stats"]
        want = ASSERTIONS_PER_REQUEST * n if scripts else 0
        got = (stats["requests"]["total"], stats["requests"]["failed"],
               stats["assertions"]["total"], stats["assertions"]["failed"])  # fmt: skip
        if got != (n, 0, want, 0):
            problem = f"requests total/failed, assertions total/failed = {got}, wanted {(n, 0, want, 0)}"
    if problem:
        raise measure.BenchFailure(f"{tool} run of {n} requests (scripts={scripts}) failed: {problem}",
                                   result.output + measure.failures(report))  # fmt: skip


def run_all(root: Path, work: Path, base_url: str, progress: Any) -> list[Series]:
    paths = write(work, base_url, SIZES)
    env_file = work / "env.json"
    series = {(t, n, s): Series(t, n, s) for t in TOOLS for n in SIZES for s in (True, False)}
    child_env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    for n in SIZES:
        for scripts in (True, False):
            for rep in range(REPS[n]):
                order = TOOLS if rep % 2 == 0 else TOOLS[::-1]
                for tool in order:
                    report = work / f"report-{tool}.json"
                    report.unlink(missing_ok=True)
                    cmd = command(tool, root, paths[n, scripts], env_file, report)
                    result = measure.run(cmd, work / f"{tool}.log", child_env)
                    verify(tool, result, report, n, scripts)
                    series[tool, n, scripts].runs.append(result)
                    progress(f"{tool:8} n={n:<5} scripts={scripts!s:5} rep {rep + 1}: "
                             f"{result.wall_s:7.3f} s  {result.rss_mb:6.1f} MB")  # fmt: skip
    return list(series.values())


def floor(base_url: str, n: int, reps: int, work: Path) -> measure.Stats:
    """Seconds per request of the raw httpx loop (the loop only, not interpreter start)."""
    per_request = []
    for _ in range(reps):
        cmd = [sys.executable, "-m", "tests.bench.floor", base_url, str(n)]
        result = measure.run(cmd, work / "floor.log")
        if result.code != 0:
            raise measure.BenchFailure("the httpx floor loop failed", result.output)
        per_request.append(json.loads(result.output.strip().splitlines()[-1])["seconds"] / n)
    return measure.Stats.of(per_request)
