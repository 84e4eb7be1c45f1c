"""RunSummary: the first subscriber of every run; builds Newman's stats, timings and failures.

Like Newman's ``lib/run/summary.js``, every event whose ``error`` is set becomes one entry
of ``failures`` (``exception`` and ``console`` excepted), executions open at ``beforeItem``
and are recorded when the ``request`` event arrives, and each counter counts one event name.
"""

from __future__ import annotations

import math
import time
from typing import Any

from wirecall.core.errors import ExitCode, WirecallError
from wirecall.core.record import Record, field
from wirecall.core.run import events as ev

STAT_NAMES = (
    "iterations", "items", "scripts", "prerequests", "requests", "tests", "assertions",
    "testScripts", "prerequestScripts",
)  # fmt: skip


class Counter(Record, frozen=False):
    total: int = 0
    pending: int = 0
    failed: int = 0

    def to_json(self) -> dict[str, int]:
        return {"total": self.total, "pending": self.pending, "failed": self.failed}


class Execution(Record, frozen=False):
    """One item run: what was sent, what came back, and what its scripts reported."""

    cursor: ev.Cursor
    item: Any
    request: dict[str, Any] | None = None
    response: Any = None
    request_error: WirecallError | None = None
    assertions: list[ev.AssertionEvent] = field(default_factory=list)
    prerequest_script: list[ev.ScriptEvent] = field(default_factory=list)
    test_script: list[ev.ScriptEvent] = field(default_factory=list)
    messages: list[Any] = field(default_factory=list)


class Failure(Record, frozen=False):
    error: WirecallError
    at: str
    source: Any  # the Item (or None for run-level failures)
    parent: Any  # the item's folder, when it is not directly under the collection
    cursor: ev.Cursor


class RunSummary:
    """Subscribe first: reporters read it at ``beforeDone`` and ``done``.

    The ``before*`` events carry no error (a failure is reported by the event after them):
    the summary takes none but ``beforeItem``, which opens the item's execution.
    """

    def __init__(self, collection: Any, environment: Any = None, globals: Any = None) -> None:
        self.collection = collection
        self.environment = environment
        self.globals = globals
        self.stats = {name: Counter() for name in STAT_NAMES}
        self.started = 0.0
        self.completed = 0.0
        self.response_times: list[float] = []
        self.response_bytes = 0
        self.executions: list[Execution] = []
        self.failures: list[Failure] = []
        self.error: WirecallError | None = None
        self.subscriber_failures: list[WirecallError] = []  # reporters that raised (bugs)
        self._open: dict[str, Execution] = {}

    # -- outcome ---------------------------------------------------------------------------

    @property
    def failed(self) -> bool:
        return bool(self.failures) or self.error is not None

    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.failed else ExitCode.OK

    def timings(self) -> dict[str, float]:
        times = self.response_times
        response = {
            "responseAverage": _mean(times) if times else 0,
            "responseMin": min(times, default=0),
            "responseMax": max(times, default=0),
            "responseSd": _population_sd(times) if times else 0,
        }
        phases = {
            f"{p}{s}": 0 for p in ("dns", "firstByte") for s in ("Average", "Min", "Max", "Sd")
        }
        return {**response, **phases, "started": self.started, "completed": self.completed}

    # -- subscriber ------------------------------------------------------------------------

    def on_start(self, event: ev.StartEvent) -> None:
        self.started = time.time() * 1000

    def on_iteration(self, event: ev.IterationEvent) -> None:
        self._count("iterations", event)

    def on_before_item(self, event: ev.BeforeItemEvent) -> None:
        self._open[event.cursor.ref] = Execution(event.cursor, event.item)

    def on_item(self, event: ev.ItemEvent) -> None:
        self._count("items", event)
        self._open.pop(event.cursor.ref, None)

    def on_script(self, event: ev.ScriptEvent) -> None:
        self._count("scripts", event)
        if event.event in ("prerequest", "test"):
            self._count(f"{event.event}Scripts", event, track=False)
        execution = self._open.get(event.cursor.ref)
        if execution is not None and event.event == "prerequest":
            execution.prerequest_script.append(event)
        elif execution is not None:
            execution.test_script.append(event)

    def on_prerequest(self, event: ev.PrerequestEvent) -> None:
        self._count("prerequests", event)

    def on_message(self, event: ev.MessageEvent) -> None:
        execution = self._open.get(event.cursor.ref)
        if execution is not None and event.message is not None:
            execution.messages.append(event.message)

    def on_request(self, event: ev.RequestEvent) -> None:
        self._count("requests", event)
        execution = self._open.get(event.cursor.ref) or Execution(event.cursor, event.item)
        execution.request, execution.response = event.request, event.response
        execution.request_error = event.error
        self.executions.append(execution)
        if event.response is not None:
            self.response_times.append(event.response.response_time_ms)
            self.response_bytes += event.response.size

    def on_test(self, event: ev.TestEvent) -> None:
        self._count("tests", event)

    def on_assertion(self, event: ev.AssertionEvent) -> None:
        self._count("assertions", event)
        if event.skipped:
            self.stats["assertions"].pending += 1
        execution = self._open.get(event.cursor.ref)
        if execution is not None:
            execution.assertions.append(event)

    def on_before_done(self, event: ev.BeforeDoneEvent) -> None:
        self.completed = time.time() * 1000
        self.error = self.error or event.error

    # -- helpers ---------------------------------------------------------------------------

    def _count(self, stat: str, event: ev.Event, *, track: bool = True) -> None:
        counter = self.stats[stat]
        counter.total += 1
        if event.error is not None:
            counter.failed += 1
        if track:
            self._track(event)

    def _track(self, event: ev.Event) -> None:
        if event.error is None:
            return
        item = getattr(event, "item", None)
        parent = getattr(item, "parent", None)
        if parent is not None and parent.parent is None:
            parent = None  # directly under the collection: Newman reports no parent
        self.failures.append(Failure(event.error, failure_at(event), item, parent, event.cursor))


def failure_at(event: ev.Event) -> str:
    """Newman's ``at``: ``assertion:0 in test-script``, ``test-script``, ``request``...

    Newman's sandbox errors carry no stack frames, so a script error's ``at`` names the
    script only; the line and column stay on the error (the cli reporter shows them).
    """
    if isinstance(event, ev.AssertionEvent):
        return f"assertion:{event.index} in test-script"  # Newman says test-script even for pre-request
    if isinstance(event, ev.ScriptEvent):
        return f"{event.event}-script"
    return event.name


# Newman's response time statistics, without the ``statistics`` module (its fractions and
# decimal imports are ~3.5 ms of every run's start-up).
def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _population_sd(values: list[float]) -> float:
    mean = _mean(values)
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))
