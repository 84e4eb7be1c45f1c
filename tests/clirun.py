"""Running the real CLI in-process, as a user would from a shell."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirecall.cli.env import Environment
from wirecall.cli.main import main
from wirecall.core.plugins import PluginHost


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def only(*names: str) -> Any:
    """A plugin-host factory with just these built-in plugins (``"http"``, ``"grpc"``...)."""

    def host() -> PluginHost:
        import importlib

        made = PluginHost(load_entry_points=False)
        for name in names:
            made.register(
                importlib.import_module(f"wirecall.plugins.{name}"), name=name, dist="wirecall"
            )
        return made

    return host


def run_cli(
    *argv: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    config_dir: Path | None = None,
    tty: bool = False,
    plugins: tuple[str, ...] | None = None,
) -> CliResult:
    """``wirecall ARGV...`` with captured output; ``plugins`` limits the installed plugins."""
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, Any] = {"config_dir": config_dir} if config_dir else {}
    if plugins is not None:
        options["host_factory"] = only(*plugins)
    environment = Environment(
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=err,
        stdout_isatty=tty,
        env=env or {},
        **options,
    )
    code = main(list(argv), environment)
    return CliResult(int(code), out.getvalue(), err.getvalue())
