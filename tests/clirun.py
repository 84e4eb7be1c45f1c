"""Running the real CLI in-process, as a user would from a shell (all installed plugins)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from wirecall.cli.env import Environment
from wirecall.cli.main import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*argv: str, config_dir: Path | None = None, stdin: str = "", env: dict[str, str] | None = None) -> CliResult:
    """``wirecall ARGV...`` with captured output; stdin and stdout are not TTYs."""
    out, err = io.StringIO(), io.StringIO()
    environment = Environment(
        stdin=io.StringIO(stdin), stdout=out, stderr=err, stdout_isatty=False, env=env or {},
        **({"config_dir": config_dir} if config_dir else {}),
    )  # fmt: skip
    code = main(list(argv), environment)
    return CliResult(int(code), out.getvalue(), err.getvalue())
