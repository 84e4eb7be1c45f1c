"""A real mosquitto broker (and a WebSocket relay in front of it), started once per session.

The broker is the plugin's own demo server: every listener on 127.0.0.1 or a Unix socket.
Tests skip only when mosquitto is not installed (`make test` installs it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from wirecall.core.demo import DemoServer, start
from wirecall.plugins.mqtt import wirecall_demo_servers
from wirecall.plugins.mqtt.demo_server import INSTALL_HINT, find_mosquitto


@dataclass(frozen=True)
class Broker:
    url: str
    auth: str
    tls: str
    mtls: str
    unix: str
    ca: str
    cert: str
    key: str
    user: str
    password: str

    @classmethod
    def from_address(cls, address: str) -> Broker:
        first, *rest = address.split()
        words = dict(word.split("=", 1) for word in rest)
        return cls(url=first, **words)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 1883


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    if find_mosquitto() is None:
        pytest.skip(INSTALL_HINT)
    with start(next(iter(wirecall_demo_servers()))) as server:
        yield Broker.from_address(server.address)


@pytest.fixture(scope="session")
def ws_url(broker: Broker) -> Iterator[str]:
    relay = DemoServer("mqtt-ws-relay", "tests.plugins.mqtt.ws_relay", args=(f"127.0.0.1:{broker.port}",))
    with start(relay) as server:
        yield server.address


@pytest.fixture
def topic() -> str:
    """A topic prefix of this test's own: tests share one broker and its retained messages."""
    return f"test/{uuid.uuid4().hex[:10]}"
