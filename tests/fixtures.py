"""Helpers for server fixtures: start a plugin's demo server and read the address it printed.

Demo servers print ``READY <url> [key=value ...]`` (see ``wirecall.core.demo``); the extra
tokens carry what a client needs besides the URL, such as ``ca=/path/ca.pem``.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from wirecall.core.demo import DemoServer, start
from wirecall.core.plugins import PluginHost


@dataclass(frozen=True)
class ServerAddress:
    """What a demo server printed after READY: its URL and ``key=value`` extras."""

    url: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def ca(self) -> str:
        """The CA file a client must trust (servers started with ``--tls``)."""
        return self.options["ca"]

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        url, *extras = text.split()
        return cls(url, dict(extra.partition("=")[::2] for extra in extras))


def demo_server(name: str) -> DemoServer:
    """The demo server a plugin registers under ``name`` (through ``wirecall_demo_servers``)."""
    servers = {server.name: server for server in PluginHost().demo_servers()}
    if name not in servers:
        raise LookupError(f"no demo server {name!r}; registered: {', '.join(sorted(servers))}")
    return servers[name]


@contextlib.contextmanager
def running(name: str, *args: str) -> Iterator[ServerAddress]:
    """Run demo server ``name`` with ``args`` for the duration of the block."""
    with start(demo_server(name), args) as server:
        yield ServerAddress.parse(server.address)


@contextlib.contextmanager
def socket_dir(prefix: str = "wc-") -> Iterator[str]:
    """A short temporary directory for Unix sockets (AF_UNIX paths are limited to 107 bytes)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
