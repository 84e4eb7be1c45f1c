"""``python -m tests.bench [--quick] [--only http,websocket,mqtt,grpc] [--server fast|demo]``.

Starts the servers on 127.0.0.1, runs every benchmark, prints the tables and the issue's
targets, and writes everything measured to ``bench-results.json``. A run that fails its
verification fails its section (reported, exit status 1) instead of producing a number.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wirecall.core.demo import DemoServer, start

from tests.bench import http_bench, streams, tables
from tests.bench.grpc_bench import grpc_rows
from tests.bench.measure import BenchFailure
from tests.bench.tables import Row

ROOT = Path(__file__).resolve().parents[2]
ECHO_SERVERS = {
    "fast": DemoServer("bench-echo", "tests.bench.echo_server"),
    "demo": DemoServer("http", "wirecall.plugins.http.demo_server"),
}
STREAM_SECTIONS: dict[str, tuple[str, Callable[[Path, Any], list[Row]]]] = {
    "websocket": ("WebSocket echo, message script", streams.websocket_rows),
    "mqtt": ("MQTT publish/subscribe, message script", streams.mqtt_rows),
    "grpc": ("gRPC unary, dynamic handler", grpc_rows),
}


def progress(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def failed(section: str, exc: BenchFailure) -> str:
    print(f"\n{section} FAILED: {exc}\n{exc.output[-3000:]}", file=sys.stderr, flush=True)
    return f"failed: {exc}"


def http_section(work: Path, server: DemoServer) -> tuple[list[str], dict[str, Any]]:
    with start(server) as running:
        progress(f"echo server ({server.module}) at {running.address}")
        series = http_bench.run_all(ROOT, work, running.address, progress)
        floor_n = max(http_bench.SIZES)
        floor = http_bench.floor(running.address, floor_n, 3, work)
    return tables.http_table(series, floor, floor_n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, at most 100 requests")
    parser.add_argument("--only", default=",".join(["http", *STREAM_SECTIONS]),
                        help="comma-separated sections (default: all)")  # fmt: skip
    parser.add_argument("--server", choices=tuple(ECHO_SERVERS), default="fast",
                        help="HTTP echo: tests/bench/echo_server.py, or the HTTP plugin's demo server")  # fmt: skip
    parser.add_argument("--out", default="bench-results.json", help="where to write the results")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if args.quick:
        http_bench.SIZES, http_bench.REPS = (1, 100), {1: 1, 100: 1}
        streams.MESSAGES, streams.REPS = 200, 1
    newman = ROOT / ".tools/node_modules/.bin/newman"
    if "http" in only and not newman.exists():
        print(f"{newman} is missing: run `make newman` (or `make bench`)", file=sys.stderr)
        return 2
    started, ok = time.time(), True
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": args.quick}
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wirecall-bench-") as tmp:
        work = Path(tmp)
        if "http" in only:
            results["http_server"] = ECHO_SERVERS[args.server].module
            try:
                http_lines, results["http"] = http_section(work, ECHO_SERVERS[args.server])
                lines += http_lines
            except BenchFailure as exc:
                results["http_error"], ok = failed("HTTP", exc), False
                lines += ["", f"HTTP collections {results['http_error']}"]
        rows: list[Row] = []
        for section, (label, bench) in STREAM_SECTIONS.items():
            if section in only:
                try:
                    rows += bench(work, progress)
                except BenchFailure as exc:
                    rows.append(Row(label, "", skipped=failed(label, exc)))
                    ok = False
        if rows:
            stream_lines, results["streams"] = tables.stream_table(rows)
            lines += stream_lines
    results["targets"] = tables.targets(results)
    lines += tables.target_lines(results["targets"])
    results["seconds"] = round(time.time() - started, 1)
    print("\n".join(lines))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.out} ({results['seconds']} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
