"""The examples in docs/protocols/http.md and docs/examples/ do what they say."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from wirecall.cli.env import Environment
from wirecall.cli.main import main

from tests.clirun import only
from tests.plugins.http.test_command import wirecall

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "protocols" / "http.md").read_text()
DEMO = ROOT / "docs" / "examples" / "demo.postman_collection.json"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.S)


def test_offline_console_example_prints_what_the_doc_shows() -> None:
    block = next(b for b in blocks("console") if b.startswith("$ wirecall http --offline"))
    command, _, expected = block.partition("\n")
    argv = shlex.split(command.removeprefix("$ wirecall "))
    result = wirecall(*argv[1:])
    assert (result.code, result.out) == (0, expected)


async def test_collection_item_example_arrives_as_documented(echo: Any, http_server: str) -> None:
    item = json.loads(blocks("json")[0])
    text = json.dumps(item["request"]).replace("{{baseUrl}}", http_server)
    got = await echo(json.loads(text.replace("{{$guid}}", "trace-1")))
    assert (got["method"], got["path"]) == ("POST", "/anything/users/42")
    assert got["args"] == {"verbose": "1"}
    assert got["headers"]["x-trace"] == "trace-1"
    assert got["json"] == {"name": "wire"}


def test_demo_collection_passes_against_the_echo_server(http_server: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    argv = ["run", str(DEMO), "--env-var", f"baseUrl={http_server}", "-r", "json",
            "--reporter-json-export", str(report)]
    environment = Environment(stdout_isatty=False, env={}, host_factory=only("http"))
    assert main(argv, environment) == 0
    stats = json.loads(report.read_text())["run"]["stats"]
    assert stats["requests"] == {"total": 12, "pending": 0, "failed": 0}
    assert stats["assertions"]["failed"] == 0 and stats["assertions"]["total"] >= 30
