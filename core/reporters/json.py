"""``json``: Newman's JSON report, written to ``--reporter-json-export`` (or ``wirecall/``)."""

from __future__ import annotations

from typing import Any

from wirecall.core.reporters.base import Reporter, ReporterOption, report_stamp
from wirecall.core.reporters.report import report
from wirecall.core.run.artifacts import Artifact
from wirecall.core.run.events import BeforeDoneEvent


class JsonReporter(Reporter):
    name = "json"
    options = (ReporterOption("export", "where to write the JSON report (a file or a directory)"),)

    _report: dict[str, Any] | None = None

    def on_before_done(self, event: BeforeDoneEvent) -> None:
        self._report = report(event.summary)
        self._stamp = report_stamp(event.summary.started)

    def artifacts(self) -> list[Artifact]:
        if self._report is None:
            return []
        default = f"wirecall-run-report-{self._stamp}.json"
        return [Artifact("JSON report", self._report, self.option("export"), default)]
