"""``html``: one self-contained HTML page of the run, for people (CI artifacts, e-mail).

Built from the same data as the JSON report, so it shows what that shows: the summary
table, then every execution with its request line, response status, stream message
count and assertions, failures highlighted. Secrets are masked like every artifact.
"""

from __future__ import annotations

from typing import Any

from wirecall.core.reporters.base import Reporter, ReporterOption, report_stamp
from wirecall.core.reporters.report import report
from wirecall.core.run.artifacts import Artifact
from wirecall.core.run.events import BeforeDoneEvent

STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}
th:first-child,td:first-child{text-align:left}.fail{color:#b00020}.pass{color:#1b7f3b}
.skip{color:#777}section{margin:1.2em 0;padding:.6em 1em;border-left:4px solid #1b7f3b}
section.failed{border-color:#b00020}code{background:#f4f4f4;padding:0 .3em}"""


class HtmlReporter(Reporter):
    name = "html"
    options = (ReporterOption("export", "where to write the HTML report (a file or a directory)"),)

    _page: str | None = None

    def on_before_done(self, event: BeforeDoneEvent) -> None:
        self._page = html_page(report(event.summary))
        self._stamp = report_stamp(event.summary.started)

    def artifacts(self) -> list[Artifact]:
        if self._page is None:
            return []
        default = f"wirecall-run-report-{self._stamp}.html"
        return [Artifact("HTML report", self._page, self.option("export"), default)]


def escape(text: str) -> str:
    """HTML-escaped text (the html module is imported when a page is made: ~1.5 ms)."""
    import html

    return html.escape(text)


def html_page(data: dict[str, Any]) -> str:
    run = data["run"]
    title = escape(str(data["collection"].get("info", {}).get("name", "wirecall run")))
    parts = [f"<!doctype html><meta charset=utf-8><title>{title}</title><style>{STYLE}</style>",
             f"<h1>{title}</h1>", _stats(run["stats"])]  # fmt: skip
    if run["failures"]:
        parts.append(f"<p class=fail>{len(run['failures'])} failure(s)</p>")
    parts += [_execution(e) for e in run["executions"]]
    return "\n".join(parts) + "\n"


def _stats(stats: dict[str, dict[str, int]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{c['total']}</td><td class={'fail' if c['failed'] else 'pass'}>{c['failed']}</td></tr>"
        for name, c in stats.items()
    )
    return f"<table><tr><th></th><th>executed</th><th>failed</th></tr>{rows}</table>"


def _execution(execution: dict[str, Any]) -> str:
    request, response = execution.get("request") or {}, execution.get("response")
    url = request.get("url", {})
    line = f"{request.get('method', '')} {url.get('raw', '') if isinstance(url, dict) else url}".strip()
    status = f"{response['code']} {response['status']}" if response else "no response"
    messages = (
        f", {len(response['messages'])} messages" if response and response.get("messages") else ""
    )
    assertions = "".join(_assertion(a) for a in execution.get("assertions", []))
    failed = (
        any(a.get("error") for a in execution.get("assertions", [])) or "requestError" in execution
    )
    error = execution.get("requestError")
    problem = f"<p class=fail>{escape(error['message'])}</p>" if error else ""
    name = escape(execution["item"]["name"])
    return (f"<section class={'failed' if failed else 'passed'}><h3>{name}</h3>"
            f"<p><code>{escape(line)}</code> → {escape(status)}{messages}</p>{problem}<ul>{assertions}</ul></section>")  # fmt: skip


def _assertion(assertion: dict[str, Any]) -> str:
    name = escape(assertion["assertion"])
    if assertion.get("skipped"):
        return f"<li class=skip>skipped: {name}</li>"
    error = assertion.get("error")
    if error:
        return f"<li class=fail>✗ {name}: {escape(error['message'])}</li>"
    return f"<li class=pass>✓ {name}</li>"
