"""``python -m tests.bench [--quick] [--only http,websocket,mqtt,grpc] [--out FILE]``.

Starts the project's demo servers on 127.0.0.1, runs every benchmark, prints the tables and
the issue's targets, and writes everything measured to ``bench-results.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from wirecall.core.demo import DemoServer, start

from tests.bench import http_bench, streams, tables
from tests.bench.grpc_bench import grpc_rows

ROOT = Path(__file__).resolve().parents[2]
ECHO_SERVERS = {
    "fast": DemoServer("bench-echo", "tests.bench.echo_server"),
    "demo": DemoServer("http", "wirecall.plugins.http.demo_server"),
}
SECTIONS = ("http", "websocket", "mqtt", "grpc")


def progress(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, at most 100 requests")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--server", choices=("fast", "demo"), default="fast",
                        help="HTTP echo: tests/bench/echo_server.py (default) or the plugin's demo server")
    parser.add_argument("--out", default="bench-results.json", help="where to write the results")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if args.quick:
        http_bench.SIZES, http_bench.REPS = (1, 100), {1: 1, 100: 1}
        streams.MESSAGES = 200
    newman = ROOT / ".tools/node_modules/.bin/newman"
    if "http" in only and not newman.exists():
        print(f"{newman} is missing: run `make newman` (or `make bench`)", file=sys.stderr)
        return 2
    started = time.time()
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": args.quick}
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wirecall-bench-") as tmp:
        work = Path(tmp)
        if "http" in only:
            echo = ECHO_SERVERS[args.server]
            results["http_server"] = echo.module
            with start(echo) as server:
                progress(f"echo server at {server.address}")
                series = http_bench.run_all(ROOT, work, server.address, progress)
                floor_n = max(http_bench.SIZES)
                floor = http_bench.floor(server.address, floor_n, 3, work)
            http_lines, results["http"] = tables.http_table(series, floor, floor_n)
            lines += http_lines
        stream_rows = []
        for section, bench in (("websocket", streams.websocket_rows), ("mqtt", streams.mqtt_rows),
                               ("grpc", grpc_rows)):  # fmt: skip
            if section in only:
                stream_rows += bench(work, progress)
        if stream_rows:
            stream_lines, results["streams"] = tables.stream_table(stream_rows)
            lines += stream_lines
    results["targets"] = tables.targets(results)
    lines += tables.target_lines(results["targets"])
    results["seconds"] = round(time.time() - started, 1)
    print("\n".join(lines))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.out} ({results['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
