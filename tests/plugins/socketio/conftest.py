"""The Socket.IO demo server (uvicorn + python-socketio), once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from wirecall.core.demo import start
from wirecall.plugins.socketio import wirecall_demo_servers


@pytest.fixture(scope="session")
def sio_url() -> Iterator[str]:
    with start(next(iter(wirecall_demo_servers()))) as server:
        yield server.address
