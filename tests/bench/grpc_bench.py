"""gRPC unary: wirecall's dynamic handler against a call through generated stubs.

Stubs are generated at bench time with grpc_tools.protoc from proto_examples/ into the
temporary folder (never committed). Each side runs in its own process (tests.bench.grpc_client)
against the project's gRPC demo server, alternating, and reports seconds per call.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from wirecall.core.demo import DemoServer, start

from tests.bench import measure
from tests.bench.tables import Row

CALLS = 2000
REPS = 7  # alternating; one rep is ~1.5 s and this VM drifts by +-20 % between reps
ROOT = Path(__file__).resolve().parents[2]


def generate_stubs(out: Path) -> None:
    from grpc_tools import protoc

    out.mkdir(exist_ok=True)
    protos = ROOT / "proto_examples"
    args = ["protoc", f"-I{protos}", f"--python_out={out}", f"--grpc_python_out={out}",
            str(protos / "greeter.proto")]  # fmt: skip
    if protoc.main(args) != 0:
        raise measure.BenchFailure("grpc_tools.protoc could not generate the Greeter stubs")


def grpc_rows(work: Path, progress: Any) -> list[Row]:
    if not (ROOT / "plugins/grpc/handler.py").exists():
        return [Row("gRPC unary, dynamic handler", "ms/call", skipped="the gRPC plugin is missing")]
    stubs = work / "stubs"
    generate_stubs(stubs)
    per_call: dict[str, list[float]] = {"dynamic": [], "stub": []}
    server = DemoServer("grpc", "wirecall.plugins.grpc.demo_server")
    with start(server) as running:
        url = running.address.split()[0]
        for rep in range(REPS):
            for mode in ("dynamic", "stub") if rep % 2 == 0 else ("stub", "dynamic"):
                cmd = [sys.executable, "-m", "tests.bench.grpc_client", mode, url, str(CALLS)]
                result = measure.run([*cmd, str(stubs)], work / "grpc.log")
                if result.code != 0:
                    raise measure.BenchFailure(f"gRPC {mode} loop failed", result.output)
                seconds = json.loads(result.output.strip().splitlines()[-1])["seconds"]
                per_call[mode].append(seconds / CALLS * 1000)
                progress(f"grpc {mode:8} rep {rep + 1}: {per_call[mode][-1]:.3f} ms/call")
    return [Row("gRPC unary, dynamic handler", "ms/call", measure.Stats.of(per_call["dynamic"]),
                measure.Stats.of(per_call["stub"]), "generated stub (grpc.aio)")]  # fmt: skip
