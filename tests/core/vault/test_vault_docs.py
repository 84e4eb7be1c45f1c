"""docs/vault.md's console session, command by command, with the documented output."""

import re
import shlex
from pathlib import Path

from click.testing import CliRunner
from wirecall.cli.vault import vault

DOC = Path(__file__).resolve().parents[3] / "docs" / "vault.md"


def test_the_documented_session(tmp_path, raw_key):
    session = re.search(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL).group(1)
    steps: list[tuple[list[str], list[str]]] = []
    for line in session.splitlines():
        if line.startswith("$ "):
            steps.append((shlex.split(line[2:]), []))
        else:
            steps[-1][1].append(line)
    runner = CliRunner()
    env = {"WIRECALL_CONFIG_DIR": str(tmp_path), "WIRECALL_VAULT_KEY": raw_key}
    for argv, expected in steps:
        assert argv[:2] == ["wirecall", "vault"]
        result = runner.invoke(vault, argv[2:], env=env)
        assert result.exit_code == 0, (argv, result.output)
        assert result.stdout.splitlines() == expected, argv
