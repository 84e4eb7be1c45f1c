"""The credential-checking auth test server, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from wirecall.core.demo import DemoServer, start

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def auth_server() -> Iterator[str]:
    server = DemoServer("auth", "tests.auth_server", "credential-checking test server")
    with start(server, env={"PYTHONPATH": str(ROOT)}) as running:
        yield running.address
