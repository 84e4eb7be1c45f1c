"""Run events, in Newman's vocabulary plus ``message``: one immutable record class each.

Subscribers (the run summary, reporters) implement ``on_<snake_name>`` for the events they
want; the :class:`~wirecall.core.run.emitter.Emitter` dispatches. Every event carries the
``cursor`` (where in the run) and an ``error`` slot: an event whose ``error`` is set is a
failure in the summary, as in Newman.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from wirecall.core.record import Record

if TYPE_CHECKING:
    from wirecall.core.errors import WirecallError
    from wirecall.core.records import Message, Response


class Cursor(Record):
    """Position of the current item in the run (Newman's cursor)."""

    position: int = 0
    iteration: int = 0
    length: int = 0
    cycles: int = 1
    ref: str = ""


class Event(Record):
    name: ClassVar[str] = ""
    cursor: Cursor = Cursor()
    error: WirecallError | None = None


class StartEvent(Event):
    """``summary`` is the run's RunSummary, filled in as the run goes (failure numbering)."""

    name: ClassVar[str] = "start"
    collection: Any = None
    summary: Any = None


class BeforeIterationEvent(Event):
    name: ClassVar[str] = "beforeIteration"


class IterationEvent(Event):
    name: ClassVar[str] = "iteration"


class BeforeItemEvent(Event):
    name: ClassVar[str] = "beforeItem"
    item: Any = None


class ItemEvent(Event):
    name: ClassVar[str] = "item"
    item: Any = None
    skipped: bool = False


class BeforeScriptEvent(Event):
    """Before one script runs; ``event`` is prerequest, message or test."""

    name: ClassVar[str] = "beforeScript"
    item: Any = None
    event: str = ""
    script: Any = None


class ScriptEvent(Event):
    """After one script ran; ``error`` holds its ScriptError, if it failed."""

    name: ClassVar[str] = "script"
    item: Any = None
    event: str = ""
    script: Any = None
    result: Any = None


class PrerequestEvent(Event):
    name: ClassVar[str] = "prerequest"
    item: Any = None
    results: tuple[Any, ...] = ()


class TestEvent(Event):
    name: ClassVar[str] = "test"
    item: Any = None
    results: tuple[Any, ...] = ()


class BeforeRequestEvent(Event):
    name: ClassVar[str] = "beforeRequest"
    item: Any = None
    request: Mapping[str, Any] = MappingProxyType({})


class RequestEvent(Event):
    """An exchange finished: ``response`` is None when it failed before any answer."""

    name: ClassVar[str] = "request"
    item: Any = None
    request: Mapping[str, Any] = MappingProxyType({})
    response: Response | None = None


class MessageEvent(Event):
    name: ClassVar[str] = "message"
    item: Any = None
    message: Message | None = None


class AssertionEvent(Event):
    """One ``pm.test`` result; ``error`` is set when it failed."""

    name: ClassVar[str] = "assertion"
    item: Any = None
    assertion: str = ""
    skipped: bool = False
    index: int = 0
    event: str = "test"
    message_index: int | None = None


class ConsoleEvent(Event):
    name: ClassVar[str] = "console"
    item: Any = None
    level: str = "log"
    messages: tuple[Any, ...] = ()


class ExceptionEvent(Event):
    name: ClassVar[str] = "exception"
    item: Any = None


class BeforeDoneEvent(Event):
    name: ClassVar[str] = "beforeDone"
    summary: Any = None


class DoneEvent(Event):
    name: ClassVar[str] = "done"
    summary: Any = None


EVENTS: tuple[type[Event], ...] = (
    StartEvent, BeforeIterationEvent, BeforeItemEvent, BeforeScriptEvent, ConsoleEvent,
    AssertionEvent, ScriptEvent, PrerequestEvent, BeforeRequestEvent, MessageEvent,
    RequestEvent, TestEvent, ExceptionEvent, ItemEvent, IterationEvent, BeforeDoneEvent,
    DoneEvent,
)  # fmt: skip
