"""The CLI in-process: exit codes, error messages and output, with an in-test protocol."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from wirecall.cli.env import Environment
from wirecall.cli.main import main
from wirecall.core.hookspecs import hookimpl
from wirecall.core.plugins import PluginHost
from wirecall.core.reporters.base import Reporter

from tests.core.run.doubles import collection, item, make_host


@dataclass
class Result:
    code: int
    out: str
    err: str


def wirecall(*argv: str, tmp_path: Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdout_isatty=False, env={}, host_factory=make_host,
                      config_dir=tmp_path / "config")  # fmt: skip
    code = main(list(argv), env)
    return Result(int(code), out.getvalue(), err.getvalue())


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def write(items: list[dict[str, Any]], name: str = "c.json") -> str:
        path = tmp_path / name
        path.write_text(json.dumps(collection(items)))
        return str(path)

    return write


def test_version_and_help(tmp_path: Path) -> None:
    version = wirecall("--version", tmp_path=tmp_path)
    assert version.code == 0 and version.out.startswith("wirecall, version ")
    help_ = wirecall("--help", tmp_path=tmp_path)
    assert help_.code == 0 and "run" in help_.out and "plugins" in help_.out
    run_help = wirecall("run", "--help", tmp_path=tmp_path)
    assert "--reporter-json-export" in run_help.out and "--iteration-data" in run_help.out


def test_passing_run_exits_0_with_newman_like_output(write: Any, tmp_path: Path) -> None:
    result = wirecall("run", write([item("a")]), tmp_path=tmp_path)
    assert result.code == 0, result.err
    assert "→ a\n  GET echo://x/{{path}} [200 OK," in result.out
    assert "│                requests │                1 │                0 │" in result.out


def test_failing_run_exits_1_unless_suppressed(write: Any, tmp_path: Path) -> None:
    path = write([item("down", url="echo://down")])
    assert wirecall("run", path, tmp_path=tmp_path).code == 1
    assert wirecall("run", path, "-x", tmp_path=tmp_path).code == 0


def test_missing_collection_exits_2_naming_the_path(tmp_path: Path) -> None:
    result = wirecall("run", str(tmp_path / "nope.json"), tmp_path=tmp_path)
    assert result.code == 2
    assert result.err == f"error: {tmp_path / 'nope.json'}: collection file not found\n"


def test_missing_environment_file_exits_2(write: Any, tmp_path: Path) -> None:
    result = wirecall("run", write([item("a")]), "-e", "env.json", tmp_path=tmp_path)
    assert result.code == 2 and "env.json: environment file not found" in result.err


def test_unknown_protocol_exits_2_naming_installed_ones(write: Any, tmp_path: Path) -> None:
    bad = item("a")
    bad["protocol"] = "gopher"
    result = wirecall("run", write([bad]), tmp_path=tmp_path)
    assert result.code == 2
    assert "unknown protocol 'gopher'; installed protocols: echo, loop" in result.err
    assert result.out == ""  # nothing ran


def test_usage_errors_exit_2(write: Any, tmp_path: Path) -> None:
    path = write([item("a")])
    assert wirecall("run", path, "--env-var", "novalue", tmp_path=tmp_path).code == 2
    assert wirecall("run", path, "--no-such-flag", tmp_path=tmp_path).code == 2
    unknown = wirecall("run", path, "-r", "cli,html5", tmp_path=tmp_path)
    assert unknown.code == 2 and "installed reporters: cli, html, json, junit" in unknown.err
    folder = wirecall("run", path, "--folder", "nope", tmp_path=tmp_path)
    assert folder.code == 2 and "--folder 'nope'" in folder.err


def test_internal_errors_exit_3_with_a_traceback(write: Any, tmp_path: Path) -> None:
    result = wirecall("run", write([item("c", url="echo://crash")]), tmp_path=tmp_path)
    assert result.code == 3
    assert "Traceback" in result.err and "please report it" in result.err


def test_reporter_options_and_exports(write: Any, tmp_path: Path) -> None:
    report, env_out = tmp_path / "r.json", tmp_path / "env.json"
    result = wirecall(
        "run", write([item("a")]), "-r", "cli,json", "--reporter-json-export", str(report),
        "--reporter-cli-no-summary", "--env-var", "path=p1", "--export-environment", str(env_out),
        tmp_path=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "executed" not in result.out and "→ a" in result.out
    data = json.loads(report.read_text())
    assert data["run"]["executions"][0]["request"]["url"]["raw"] == "echo://x/p1"
    assert json.loads(env_out.read_text())["values"] == [{"key": "path", "value": "p1"}]


def test_silent_and_color(write: Any, tmp_path: Path) -> None:
    path = write([item("a")])
    assert wirecall("run", path, "--silent", tmp_path=tmp_path).out == ""
    assert "\x1b[" in wirecall("run", path, "--color", "on", tmp_path=tmp_path).out
    assert (
        "\x1b[" not in wirecall("run", path, "--color", "on", "--no-color", tmp_path=tmp_path).out
    )


def test_plugins_lists_what_each_plugin_contributes(tmp_path: Path) -> None:
    result = wirecall("plugins", tmp_path=tmp_path)
    assert result.code == 0
    assert "test-plugin  wirecall " in result.out
    assert "  protocols: echo, loop\n  auth: token\n" in result.out
    assert "  reporters: cli, json, junit, html\n" in result.out


class _BrokenReporter(Reporter):
    name = "broken"

    def on_done(self, event: object) -> None:
        raise RuntimeError("cannot write the report")


class _BrokenReporterPlugin:
    @staticmethod
    @hookimpl
    def wirecall_reporters() -> list[type[Reporter]]:
        return [_BrokenReporter]


def test_a_reporter_that_crashes_is_reported_as_a_bug(write: Any, tmp_path: Path) -> None:
    def host() -> PluginHost:
        made = make_host()
        made.register(_BrokenReporterPlugin(), name="broken-reporter")
        return made

    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdout_isatty=False, env={}, host_factory=host, config_dir=tmp_path)
    code = main(["run", write([item("one")]), "-r", "broken"], env)
    assert code == 3
    assert "error: _BrokenReporter failed on done: RuntimeError('cannot write the report')" in err.getvalue()
