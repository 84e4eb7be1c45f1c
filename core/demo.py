"""Demo servers: the local servers behind ``wirecall demo`` and the test suite.

A plugin's ``wirecall_demo_servers`` returns :class:`DemoServer` records. Each names a module
run as ``python -m MODULE [ARGS]`` that listens on 127.0.0.1 port 0 (or a Unix socket given
with ``--uds PATH``) and prints one line ``READY <address>`` once it accepts connections.
:func:`start` runs it as a subprocess, so its event loop never mixes with the caller's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Sequence

from wirecall.core.record import Record, field

READY_TIMEOUT_S = 30.0


class DemoServer(Record):
    name: str
    module: str
    description: str = ""
    args: tuple[str, ...] = ()


class RunningServer(Record, frozen=False):
    """A started demo server; ``address`` is what it printed after READY."""

    server: DemoServer
    process: subprocess.Popen[str]
    address: str
    output: list[str] = field(default_factory=list)
    _reader: threading.Thread | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._reader is not None:
            self._reader.join(5)
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(server: DemoServer, extra_args: Sequence[str] = (), env: dict[str, str] | None = None) -> RunningServer:
    """Start ``server`` and wait for its READY line; raise RuntimeError with its output if it dies."""
    cmd = [sys.executable, "-m", server.module, *server.args, *extra_args]
    proc_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=proc_env
    )
    output: list[str] = []
    ready = threading.Event()
    address: list[str] = []

    def read() -> None:  # drain the pipe for the server's whole life (a full pipe blocks it)
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip("\n"))
            if not ready.is_set() and line.startswith("READY "):
                address.append(line.split(" ", 1)[1].strip())
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    running = RunningServer(server, process, "", output, reader)
    if not ready.wait(READY_TIMEOUT_S) or not address:
        running.stop()
        raise RuntimeError(f"demo server {server.name!r} did not start:\n" + "\n".join(output))
    running.address = address[0]
    return running
