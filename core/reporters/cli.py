"""``cli``: Newman's terminal output, line for line where Newman has one.

Per item ``→ name`` (``↳`` inside a folder, after a ``❏ Folder`` line), the request line
``GET url [200 OK, 12B, 3ms]``, ``✓  passed`` and `` 1. failed`` assertions numbered by the
run's failure count; then the summary table and the ``#  failure  detail`` list. On a TTY
the request line is shown as soon as the request starts (progress); colours only when the
CLI says so. Everything printed goes through the run's Masker.
"""

from __future__ import annotations

from typing import Any

from wirecall.core.reporters.base import Reporter, ReporterOption
from wirecall.core.reporters.report import error_name, full_name
from wirecall.core.reporters.terminal import Paint, duration, size, table
from wirecall.core.run import events as ev
from wirecall.core.run.summary import Failure, RunSummary

STAT_ROWS = (
    ("iterations", "iterations"), ("requests", "requests"), ("testScripts", "test-scripts"),
    ("prerequestScripts", "prerequest-scripts"), ("assertions", "assertions"),
)  # fmt: skip


class CliReporter(Reporter):
    name = "cli"
    options = (
        ReporterOption("silent", "print nothing", flag=True),
        ReporterOption("no-summary", "leave out the summary table", flag=True),
        ReporterOption("no-failures", "leave out the failure list", flag=True),
        ReporterOption("no-assertions", "leave out assertion lines", flag=True),
        ReporterOption("no-success-assertions", "leave out passed assertions", flag=True),
        ReporterOption("no-console", "leave out console output of scripts", flag=True),
        ReporterOption("no-banner", "leave out the wirecall banner", flag=True),
    )

    summary: RunSummary | None = None
    _group: Any = None
    _pending = ""  # the request line, completed when the response arrives

    @property
    def paint(self) -> Paint:
        return Paint(self.context.color)

    def write(self, text: str) -> None:
        if self.option("silent") or self.context.run.silent:
            return
        self.context.out.write(self.context.masker.mask(text))
        if self.context.tty:
            self.context.out.flush()

    def on_start(self, event: ev.StartEvent) -> None:
        self.summary = event.summary
        banner = "" if self.option("no-banner") else "wirecall\n\n"
        self.write(f"{banner}{event.collection.name}\n")

    def on_before_iteration(self, event: ev.BeforeIterationEvent) -> None:
        if event.cursor.cycles > 1:
            label = f"Iteration {event.cursor.iteration + 1}/{event.cursor.cycles}"
            self.write("\n" + self.paint(label, "gray", "underline") + "\n")

    def on_before_item(self, event: ev.BeforeItemEvent) -> None:
        folder = event.item.parent
        in_folder = folder is not None and folder.parent is not None
        if in_folder and folder is not self._group:
            path = [node.name for node in folder.ancestors()[1:]] + [folder.name]
            self.write(f"\n❏ {' / '.join(path)}")
        self._group = folder
        self.write(f"\n{'↳' if in_folder else '→'} {event.item.name}\n")

    def on_before_request(self, event: ev.BeforeRequestEvent) -> None:
        self._pending = self.paint(f"  {request_line(event.request)} ", "gray")
        if self.context.tty:
            self.write(self._pending)
            self._pending = ""

    def on_message(self, event: ev.MessageEvent) -> None:
        if self.context.run.verbose and event.message is not None:
            arrow = "↑" if event.message.direction == "sent" else "↓"
            self._flush_pending()
            self.write(self.paint(f"  {arrow} {event.message.text()}", "gray") + "\n")

    def on_request(self, event: ev.RequestEvent) -> None:
        if event.error is not None or event.response is None:
            detail = event.error.message if event.error else "no response"
            self.write(self._pending + self.paint("[errored]", "red") + "\n")
            self.write(self.paint(f"     {detail}", "red") + "\n")
        else:
            r = event.response
            status = " ".join(str(p) for p in (r.code, r.status) if p not in (None, ""))
            stats = f"[{status}, {size(r.size)}, {duration(r.response_time_ms)}]"
            self.write(self._pending + self.paint(stats, "gray") + "\n")
        self._pending = ""

    def on_script(self, event: ev.ScriptEvent) -> None:
        if event.error is not None:
            line = f"{self._failure_number()}. {error_name(event.error)} in {event.event}-script"
            self._flush_pending()
            self.write(self.paint(line, "red", "bold") + "\n")

    def on_assertion(self, event: ev.AssertionEvent) -> None:
        if self.option("no-assertions"):
            return
        self._flush_pending()
        if event.skipped:
            self.write(self.paint(f"  -  {event.assertion}", "cyan") + "\n")
        elif event.error is None and not self.option("no-success-assertions"):
            self.write(
                self.paint("  ✓ ", "green") + " " + self.paint(event.assertion, "gray") + "\n"
            )
        elif event.error is not None:
            self.write(
                self.paint(f"{self._failure_number()}. {event.assertion}", "red", "bold") + "\n"
            )

    def on_console(self, event: ev.ConsoleEvent) -> None:
        if self.option("no-console"):
            return
        self._flush_pending()
        text = " ".join(m if isinstance(m, str) else repr(m) for m in event.messages)
        body = "".join(f"  │ {line}\n" for line in text.splitlines() or [""])
        self.write(self.paint("  ┌\n", "gray") + body + self.paint("  └\n", "gray"))

    def on_done(self, event: ev.DoneEvent) -> None:
        summary: RunSummary = event.summary
        if not self.option("no-summary"):
            self.write("\n" + summary_table(summary, self.paint) + "\n")
        if summary.failures and not self.option("no-failures"):
            self.write("\n" + failure_list(summary.failures, self.paint) + "\n")
        if summary.error is not None:
            self.write("\n" + self.paint(f"error: {summary.error}", "red") + "\n")

    def _failure_number(self) -> str:
        count = len(self.summary.failures) if self.summary is not None else 0
        return f"{count:>3}"

    def _flush_pending(self) -> None:
        if self._pending:
            self.write(self._pending + "\n")
            self._pending = ""


def request_line(request: dict[str, Any]) -> str:
    """``GET http://host/path``: the method (if the protocol has one) and the raw URL."""
    url = request.get("url", "")
    if isinstance(url, dict):
        url = url.get("raw", "")
    method = request.get("method")
    return f"{method} {url}" if method else str(url)


def summary_table(summary: RunSummary, paint: Paint) -> str:
    rows = [["", "executed", "failed"]]
    for key, label in STAT_ROWS:
        stat = summary.stats[key]
        colour = "red" if stat.failed else "green"
        failed = paint(str(stat.failed), "red") if stat.failed else str(stat.failed)
        rows.append([paint(label, colour), str(stat.total), failed])
    timings = summary.timings()
    footer = [
        f"total run duration: {duration(summary.completed - summary.started)}",
        f"total data received: {size(summary.response_bytes)} (approx)",
    ]
    if summary.response_times:
        footer.append(
            f"average response time: {duration(timings['responseAverage'])} "
            f"[min: {duration(timings['responseMin'])}, max: {duration(timings['responseMax'])}, "
            f"s.d.: {duration(timings['responseSd'])}]"
        )
    return table(rows, footer)


def _position(failure: Failure) -> str:
    """``:line:column`` of a script error (Newman's ``at`` has none; it helps to find it)."""
    line = getattr(failure.error, "line", None)
    return f":{line}:{getattr(failure.error, 'column', None) or 0}" if line is not None else ""


def failure_list(failures: list[Failure], paint: Paint) -> str:
    """Newman's ``#  failure  detail`` list; continuation lines align under the detail."""
    entries = []
    for n, failure in enumerate(failures, 1):
        name = [error_name(failure.error)]
        if failure.cursor.cycles > 1:
            name.append(f"iteration: {failure.cursor.iteration + 1}")
        test = [failure.error.test] if getattr(failure.error, "test", None) else []
        detail = [
            *test,
            *failure.error.message.splitlines(),
            f"at {failure.at}{_position(failure)}",
        ]
        if failure.source is not None:
            detail.append(f'inside "{full_name(failure.source)}"')
        entries.append((f"{n}.", name, detail))
    num_w = max(len(e[0]) for e in entries)
    name_w = max(len("failure"), *(len(line) for e in entries for line in e[1]))
    head = paint("#".rjust(num_w), "red", "underline") + "  " + paint("failure", "red", "underline")
    lines = [" " + head + " " * (name_w - 7) + "  " + paint("detail", "red", "underline"), ""]
    for number, name, detail in entries:
        for i in range(max(len(name), len(detail))):
            left = number.rjust(num_w) if i == 0 else " " * num_w
            label = name[i] if i < len(name) else ""
            text = detail[i] if i < len(detail) else ""
            lines.append(f" {left}  {label.ljust(name_w)}  {text}".rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n")
