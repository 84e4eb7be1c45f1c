"""The websocket demo server on 127.0.0.1 and on a Unix socket, once per session."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from wirecall.core.demo import DemoServer, start
from wirecall.plugins.websocket import wirecall_demo_servers


def _demo() -> DemoServer:
    return next(iter(wirecall_demo_servers()))


@pytest.fixture(scope="session")
def ws_url() -> Iterator[str]:
    with start(_demo()) as server:
        yield server.address


@pytest.fixture(scope="session")
def ws_uds() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="wc-ws-")  # short: AF_UNIX paths are limited to 107 bytes
    path = str(Path(folder) / "ws.sock")
    try:
        with start(_demo(), ["--uds", path]):
            yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
