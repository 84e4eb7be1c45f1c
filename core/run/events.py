"""Run events, in Newman's vocabulary plus ``message``: one immutable record class each.

Subscribers (the run summary, reporters) implement ``on_<snake_name>`` for the events they
want; the :class:`~wirecall.core.run.emitter.Emitter` dispatches. Every event carries the
``cursor`` (where in the run) and an ``error`` slot: an event whose ``error`` is set is a
failure in the summary, as in Newman.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, dataclass_transform

if TYPE_CHECKING:
    from wirecall.core.errors import WirecallError
    from wirecall.core.records import Message, Response


@dataclass_transform(frozen_default=True)
class _RecordType(type):
    """Builds immutable records from annotated fields with defaults, as a frozen slotted
    dataclass would, but without generating and compiling methods per class at import: 19
    dataclasses here took ~15 ms of every run's start-up (``python -X importtime``), this
    takes ~0.5 ms. A record class made often compiles its own ``__init__`` (~0.3 ms once;
    then ~1.7x as fast as the generic one: a run makes a dozen events per request).

    A record's fields are its bases' fields, then its own, in order; each becomes a slot
    and an ``__init__`` argument (by position or keyword) with the declared default.
    """

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        own = {
            field: namespace.pop(field)
            for field, annotation in namespace.get("__annotations__", {}).items()
            if not str(annotation).startswith("ClassVar")
        }
        namespace["__slots__"] = tuple(own)
        cls = super().__new__(mcs, name, bases, namespace)
        cls._fields = {**getattr(cls, "_fields", {}), **own}
        return cls


def _compiled_init(cls: type[_Record]) -> Callable[..., None]:
    """``cls.__init__`` as a dataclass would write it (each field a parameter, assigned to
    its slot), now installed on ``cls``. Each slot is set through its own descriptor: about
    half the cost of ``object.__setattr__``, which looks the name up first (a message script
    makes five events per message)."""
    fields = cls._fields
    params = "".join(f", {field}=_defaults[{field!r}]" for field in fields)
    body = "".join(f"\n    _set_{field}(self, {field})" for field in fields) or "\n    pass"
    scope = {f"_set_{field}": getattr(cls, field).__set__ for field in fields}
    scope["_defaults"] = dict(fields)
    exec(f"def __init__(self{params}):{body}", scope)  # noqa: S102
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__name__}.__init__"
    type.__setattr__(cls, "__init__", init)
    return init


_made: dict[type, int] = {}  # instances made through the generic __init__, per class
COMPILE_AFTER = 8  # instances: the start-up's one-off events never pay for compiling


class _Record(metaclass=_RecordType):
    _fields: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        made = _made[cls] = _made.get(cls, 0) + 1
        if made > COMPILE_AFTER:
            _compiled_init(cls)(self, *args, **kwargs)
            return
        fields = self._fields
        if args:
            if len(args) > len(fields):
                raise TypeError(f"{cls.__name__} takes {len(fields)} fields")
            kwargs.update(zip(fields, args, strict=False))
        assign = object.__setattr__
        for field, default in fields.items():
            assign(self, field, kwargs.pop(field, default))
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {', '.join(kwargs)}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field) for field in self._fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        values = ", ".join(f"{field}={getattr(self, field)!r}" for field in self._fields)
        return f"{type(self).__name__}({values})"


class Cursor(_Record):
    """Position of the current item in the run (Newman's cursor)."""

    position: int = 0
    iteration: int = 0
    length: int = 0
    cycles: int = 1
    ref: str = ""


class Event(_Record):
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
