"""Run events, in Newman's vocabulary plus ``message``: one frozen dataclass each.

Subscribers (the run summary, reporters) implement ``on_<snake_name>`` for the events they
want; the :class:`~wirecall.core.run.emitter.Emitter` dispatches. Every event carries the
``cursor`` (where in the run) and an ``error`` slot: an event whose ``error`` is set is a
failure in the summary, as in Newman.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from wirecall.core.errors import WirecallError
    from wirecall.core.records import Message, Response


@dataclass(frozen=True, slots=True)
class Cursor:
    """Position of the current item in the run (Newman's cursor)."""

    position: int = 0
    iteration: int = 0
    length: int = 0
    cycles: int = 1
    ref: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    name: ClassVar[str] = ""
    cursor: Cursor = field(default_factory=Cursor)
    error: WirecallError | None = None


@dataclass(frozen=True, slots=True)
class StartEvent(Event):
    """``summary`` is the run's RunSummary, filled in as the run goes (failure numbering)."""

    name: ClassVar[str] = "start"
    collection: Any = None
    summary: Any = None


@dataclass(frozen=True, slots=True)
class BeforeIterationEvent(Event):
    name: ClassVar[str] = "beforeIteration"


@dataclass(frozen=True, slots=True)
class IterationEvent(Event):
    name: ClassVar[str] = "iteration"


@dataclass(frozen=True, slots=True)
class BeforeItemEvent(Event):
    name: ClassVar[str] = "beforeItem"
    item: Any = None


@dataclass(frozen=True, slots=True)
class ItemEvent(Event):
    name: ClassVar[str] = "item"
    item: Any = None
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class BeforeScriptEvent(Event):
    """Before one script runs; ``event`` is prerequest, message or test."""

    name: ClassVar[str] = "beforeScript"
    item: Any = None
    event: str = ""
    script: Any = None


@dataclass(frozen=True, slots=True)
class ScriptEvent(Event):
    """After one script ran; ``error`` holds its ScriptError, if it failed."""

    name: ClassVar[str] = "script"
    item: Any = None
    event: str = ""
    script: Any = None
    result: Any = None


@dataclass(frozen=True, slots=True)
class PrerequestEvent(Event):
    name: ClassVar[str] = "prerequest"
    item: Any = None
    results: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class TestEvent(Event):
    name: ClassVar[str] = "test"
    item: Any = None
    results: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class BeforeRequestEvent(Event):
    name: ClassVar[str] = "beforeRequest"
    item: Any = None
    request: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RequestEvent(Event):
    """An exchange finished: ``response`` is None when it failed before any answer."""

    name: ClassVar[str] = "request"
    item: Any = None
    request: dict[str, Any] = field(default_factory=dict)
    response: Response | None = None


@dataclass(frozen=True, slots=True)
class MessageEvent(Event):
    name: ClassVar[str] = "message"
    item: Any = None
    message: Message | None = None


@dataclass(frozen=True, slots=True)
class AssertionEvent(Event):
    """One ``pm.test`` result; ``error`` is set when it failed."""

    name: ClassVar[str] = "assertion"
    item: Any = None
    assertion: str = ""
    skipped: bool = False
    index: int = 0
    event: str = "test"
    message_index: int | None = None


@dataclass(frozen=True, slots=True)
class ConsoleEvent(Event):
    name: ClassVar[str] = "console"
    item: Any = None
    level: str = "log"
    messages: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class ExceptionEvent(Event):
    name: ClassVar[str] = "exception"
    item: Any = None


@dataclass(frozen=True, slots=True)
class BeforeDoneEvent(Event):
    name: ClassVar[str] = "beforeDone"
    summary: Any = None


@dataclass(frozen=True, slots=True)
class DoneEvent(Event):
    name: ClassVar[str] = "done"
    summary: Any = None


EVENTS: tuple[type[Event], ...] = (
    StartEvent, BeforeIterationEvent, BeforeItemEvent, BeforeScriptEvent, ConsoleEvent,
    AssertionEvent, ScriptEvent, PrerequestEvent, BeforeRequestEvent, MessageEvent,
    RequestEvent, TestEvent, ExceptionEvent, ItemEvent, IterationEvent, BeforeDoneEvent,
    DoneEvent,
)  # fmt: skip
