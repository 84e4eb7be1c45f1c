"""What the cli, json and junit reporters produce for a run (content a user or CI reads)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from wirecall.core.masking import Masker
from wirecall.core.model import Collection
from wirecall.core.reporters.base import ReporterContext
from wirecall.core.reporters.cli import CliReporter
from wirecall.core.reporters.html import HtmlReporter
from wirecall.core.reporters.json import JsonReporter
from wirecall.core.reporters.junit import JunitReporter
from wirecall.core.run.options import RunOptions
from wirecall.core.run.runner import run_collection
from wirecall.core.run.summary import RunSummary

from tests.core.run.doubles import LineEngine, collection, item, make_host

ITEMS = [
    item("ok", tests="test status ok\nlog hello"),
    {
        "name": "F",
        "item": [
            item(
                "bad",
                url="echo://x/{{token}}",
                tests="test fine\nfail broken|expected 1 to equal 2",
            )
        ],
    },
    item("down", url="echo://down"),
]


async def run_with(reporter_cls: type[Any], tmp_path: Path, options: dict[str, Any] | None = None,
                   run: RunOptions | None = None) -> tuple[RunSummary, str]:  # fmt: skip
    out, masker = io.StringIO(), Masker()
    run = run or RunOptions(env_vars={"token": "tok-secret"})
    masker.register("tok-secret")
    reporter = reporter_cls(
        ReporterContext(options or {}, run, out, color=run.color, masker=masker)
    )
    raw = collection(ITEMS)
    summary = await run_collection(Collection(raw, "c.json"), run, make_host(), [reporter],
                                   engine_factory=lambda o: LineEngine(), masker=masker)  # fmt: skip
    return summary, out.getvalue()


async def test_json_report_has_newmans_shape(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    await run_with(JsonReporter, tmp_path, {"export": str(path)})
    data = json.loads(path.read_text())
    assert set(data) == {"collection", "environment", "globals", "run"}
    run = data["run"]
    assert set(run) == {"stats", "timings", "executions", "transfers", "failures", "error"}
    assert run["stats"]["requests"] == {"total": 3, "pending": 0, "failed": 1}
    assert run["stats"]["assertions"] == {"total": 3, "pending": 0, "failed": 1}
    ok = run["executions"][0]
    assert ok["item"]["name"] == "ok" and ok["id"] == "id-ok"
    assert ok["cursor"]["position"] == 0 and ok["cursor"]["bof"] is True
    assert ok["response"]["code"] == 200 and ok["response"]["stream"]["type"] == "Buffer"
    assert bytes(ok["response"]["stream"]["data"]).startswith(b'{"method": "GET"')
    assert ok["request"]["url"]["host"] == ["x"]
    assert ok["assertions"] == [{"assertion": "status ok", "skipped": False}]
    bad = run["executions"][1]
    assert bad["assertions"][1]["error"]["message"] == "expected 1 to equal 2"
    assert bad["assertions"][1]["error"]["name"] == "AssertionError"
    assert "tok-secret" not in path.read_text()  # masked before writing
    assert bad["request"]["url"]["raw"] == "echo://x/********"
    failure = run["failures"][0]
    assert failure["at"] == "assertion:1 in test-script"
    assert failure["source"]["name"] == "bad" and failure["parent"]["name"] == "F"
    assert run["failures"][1]["at"] == "request"
    assert run["executions"][2]["requestError"]["name"] == "ConnectError"
    assert run["timings"]["started"] <= run["timings"]["completed"]


async def test_json_report_defaults_to_the_wirecall_folder(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    await run_with(JsonReporter, tmp_path)
    (written,) = (tmp_path / "wirecall").iterdir()
    assert written.name.startswith("wirecall-run-report-") and written.suffix == ".json"


async def test_junit_has_one_suite_per_item_and_a_case_per_assertion(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.mkdir()
    await run_with(JunitReporter, tmp_path, {"export": str(path)})
    (written,) = path.iterdir()
    root = ET.parse(written).getroot()
    assert root.tag == "testsuites" and root.get("name") == "Test run"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["ok", "F / bad", "down"]
    bad = suites["F / bad"]
    assert (bad.get("tests"), bad.get("failures"), bad.get("errors")) == ("2", "1", "0")
    failure = bad.find("testcase[@name='broken']/failure")
    assert failure is not None and failure.get("message") == "expected 1 to equal 2"
    assert bad.find("testcase[@name='fine']/failure") is None
    assert suites["down"].get("errors") == "1"
    assert "ECONNREFUSED" in (suites["down"].findtext("system-err") or "")


async def test_html_page_shows_stats_items_and_failures(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    await run_with(HtmlReporter, tmp_path, {"export": str(path)})
    page = path.read_text()
    assert page.startswith("<!doctype html>") and "<h1>Test run</h1>" in page
    assert "<td>assertions</td>" in page
    assert "<h3>bad</h3>" in page and "✗ broken: expected 1 to equal 2" in page and "✓ fine" in page
    assert "<section class=failed><h3>down</h3>" in page and "ECONNREFUSED" in page


async def test_cli_output_reads_like_newman(tmp_path: Path) -> None:
    _, text = await run_with(CliReporter, tmp_path)
    assert text.startswith("wirecall\n\nTest run\n")
    assert "→ ok\n  GET echo://x/{{path}} [200 OK, " in text
    assert "  ✓  status ok\n" in text
    assert "  ┌\n  │ hello\n  └\n" in text
    assert "❏ F\n↳ bad\n  GET echo://x/********" in text
    assert "  1. broken\n" in text
    assert "  GET echo://down [errored]\n     connect ECONNREFUSED echo://down\n" in text
    assert "│              assertions │                3 │                1 │" in text
    assert "total run duration:" in text and "average response time:" in text
    assert " #  failure         detail" in text
    assert " 1.  AssertionError  broken\n                     expected 1 to equal 2\n" in text
    assert '                    inside "F / bad"' in text
    assert " 2.  ConnectError    connect ECONNREFUSED echo://down\n" in text
    assert "\x1b[" not in text  # no colour unless asked for
    assert "tok-secret" not in text


async def test_cli_options_and_colour(tmp_path: Path) -> None:
    options = {"no-summary": True, "no-success-assertions": True, "no-banner": True}
    run = RunOptions(env_vars={"token": "t"}, color=True)
    _, text = await run_with(CliReporter, tmp_path, options, run)
    assert not text.startswith("wirecall") and "executed" not in text
    assert "status ok" not in text
    assert "\x1b[31;1m  1. broken\x1b[0m" in text


async def test_cli_silent_prints_nothing(tmp_path: Path) -> None:
    _, text = await run_with(CliReporter, tmp_path, {"silent": True})
    assert text == ""
