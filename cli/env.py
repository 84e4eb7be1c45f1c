"""Environment: everything the CLI reads from the outside world, injectable for tests.

httpie's habit: commands never touch ``sys.stdout`` or ``os.environ`` directly, so a test
runs ``main(argv, FakeEnvironment)`` in-process and reads what was printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from wirecall.core.plugins import PluginHost
from wirecall.core.record import Record, field


def _default_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(os.environ.get("WIRECALL_CONFIG_DIR") or os.path.join(base, "wirecall"))


class Environment(Record, frozen=False):
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool | None = None  # None: ask stdout
    config_dir: Path = field(default_factory=_default_config_dir)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)  # environment variables
    host_factory: Callable[[], PluginHost] = PluginHost
    _host: PluginHost | None = None

    @property
    def isatty(self) -> bool:
        if self.stdout_isatty is None:
            isatty = getattr(self.stdout, "isatty", None)
            self.stdout_isatty = bool(isatty and isatty())
        return self.stdout_isatty

    def color(self, choice: str = "auto") -> bool:
        """``--color on|off|auto``: auto means a TTY and no ``NO_COLOR`` (no-color.org)."""
        if choice in ("on", "off"):
            return choice == "on"
        return self.isatty and not self.env.get("NO_COLOR") and self.env.get("TERM") != "dumb"

    @property
    def host(self) -> PluginHost:
        """The process's plugin host, built once."""
        if self._host is None:
            self._host = self.host_factory()
        return self._host
