"""``junit``: JUnit XML as Newman's junit reporter writes it, for CI servers.

One ``<testsuite>`` per executed item (named "Folder / Item"), one ``<testcase>`` per
assertion name, ``<failure>`` with the first failure's message; request and script errors
go to the suite's ``<system-err>`` and ``errors`` count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from wirecall.core.reporters.base import Reporter, ReporterOption, report_stamp
from wirecall.core.reporters.report import error_name, full_name
from wirecall.core.run.artifacts import Artifact
from wirecall.core.run.events import BeforeDoneEvent
from wirecall.core.run.summary import Execution, RunSummary

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET  # imported when a report is made: ~3 ms of start-up


class JunitReporter(Reporter):
    name = "junit"
    options = (ReporterOption("export", "where to write the JUnit XML (a file or a directory)"),)

    _xml: str | None = None

    def on_before_done(self, event: BeforeDoneEvent) -> None:
        self._xml = junit_xml(event.summary)
        self._stamp = report_stamp(event.summary.started)

    def artifacts(self) -> list[Artifact]:
        if self._xml is None:
            return []
        default = f"wirecall-run-report-{self._stamp}.xml"
        return [Artifact("JUnit report", self._xml, self.option("export"), default)]


def junit_xml(summary: RunSummary) -> str:
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name=summary.collection.name)
    root.set("tests", str(summary.stats["tests"].total))
    started = datetime.datetime.fromtimestamp(summary.started / 1000, datetime.UTC)
    stamp = started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    by_item: dict[str, list[Execution]] = defaultdict(list)
    for execution in summary.executions:
        by_item[execution.item.id].append(execution)
    total = 0.0
    for executions in by_item.values():
        total += _suite(root, summary, executions, stamp)
    root.set("time", f"{total:.3f}")
    ET.indent(root, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, summary: RunSummary, executions: list[Execution], stamp: str) -> float:
    """One item's suite; returns the seconds its executions took."""
    import xml.etree.ElementTree as ET

    item = executions[0].item
    suite = ET.SubElement(root, "testsuite", name=full_name(item), id=item.id, timestamp=stamp)
    tests: dict[str, list[Any]] = {}
    errors, failures, system_err = 0, 0, []
    for execution in executions:
        problems = _errors(execution)
        errors += len(problems)
        if problems:
            system_err.append(
                f"Iteration: {execution.cursor.iteration}\n" + "\n---\n".join(problems)
            )
        for assertion in execution.assertions:
            tests.setdefault(assertion.assertion, [])
            if assertion.error is not None:
                failures += 1
                tests[assertion.assertion].append(assertion.error)
    times = [e.response.response_time_ms / 1000 if e.response else 0.0 for e in executions]
    suite.set("tests", str(len(executions[-1].assertions)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("time", f"{sum(times) / len(times):.3f}")
    if system_err:
        ET.SubElement(suite, "system-err").text = "\n".join(system_err)
    for name, errs in tests.items():
        _testcase(suite, summary, item, name, errs, times[-1])
    return sum(times)


def _errors(execution: Execution) -> list[str]:
    found = []
    if execution.request_error is not None:
        found.append(f"RequestError: {execution.request_error.message}")
    for label, scripts in (
        ("testScript", execution.test_script),
        ("prerequestScript", execution.prerequest_script),
    ):
        for script in scripts:
            if script.error is not None:
                found.append(f"{label}Error: {error_name(script.error)}: {script.error.message}")
    return found


def _testcase(
    suite: ET.Element, summary: RunSummary, item: Any, name: str, errors: list[Any], time: float
) -> None:
    import xml.etree.ElementTree as ET

    case = ET.SubElement(
        suite, "testcase", name=name, time=f"{time:.3f}", classname=suite.get("name", "")
    )
    if not errors:
        return
    first = errors[0]
    failure = ET.SubElement(case, "failure", type="AssertionFailure", message=first.message)
    failure.text = (
        f"Failed {len(errors)} times. Collection JSON ID: {summary.collection.id}. "
        f"Collection name: {summary.collection.name}. Request name: {full_name(item)}. "
        f"Test description: {name}. Error message: {first.message}. "
        f"Stacktrace: {error_name(first)}: {first.message}."
    )
