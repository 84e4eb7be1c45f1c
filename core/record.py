"""``Record``: value classes declared like dataclasses, made without compiling code at import.

``@dataclass`` writes and compiles ``__init__``, ``__repr__``, ``__eq__`` (and for a frozen
one ``__hash__``, ``__setattr__``, ``__delattr__``) for every class when its module is
imported: ~1 ms a class on this machine kind, ~25 ms of every run's start-up for the classes
on its import path (tests/bench). A ``Record`` class is made from its annotated fields by
plain class creation; its methods are shared and generic. A class whose instances are made
often (more than ``COMPILE_AFTER``) compiles its own ``__init__`` once, as a dataclass
would write it, since the generic one is ~1.7x slower.

    class Location(Record):                 # frozen, as @dataclass(frozen=True)
        file: str | None = None
        json_path: str = "$"

    class Options(Record, frozen=False):    # mutable, as @dataclass
        folders: list[str] = field(default_factory=list)

Fields are the bases' fields, then the class's own, in order, each an ``__init__`` argument
(by position or keyword) with its default: a value, ``field(default=...)``,
``field(default_factory=...)`` (``field(repr=False)`` hides it from ``repr``), or none (a
required argument). :func:`replace` is ``dataclasses.replace`` for records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import FrozenInstanceError, field
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["COMPILE_AFTER", "Record", "field", "replace"]

R = TypeVar("R", bound="Record")
COMPILE_AFTER = 8  # instances: the start-up's one-off records never pay for compiling
_REQUIRED: Any = dataclasses.MISSING


class _Default:
    """How a field gets its value when ``__init__`` is not given one."""

    __slots__ = ("value", "factory", "repr")

    def __init__(self, declared: Any) -> None:
        self.repr = True
        self.factory: Callable[[], Any] | None = None
        self.value = declared
        if isinstance(declared, dataclasses.Field):
            self.repr = declared.repr
            self.value = declared.default
            if declared.default_factory is not dataclasses.MISSING:
                self.factory = declared.default_factory

    def make(self, name: str, owner: str) -> Any:
        if self.factory is not None:
            return self.factory()
        if self.value is _REQUIRED:
            raise TypeError(f"{owner}() missing required argument: {name!r}")
        return self.value


_made: dict[type, int] = {}  # instances made through the generic __init__, per class


def _init(self: Record, *args: Any, **kwargs: Any) -> None:
    """The generic ``__init__`` every record class starts with (its own, not a base's: a
    base's may be compiled for the base's fields)."""
    cls = type(self)
    made = _made[cls] = _made.get(cls, 0) + 1
    if made > COMPILE_AFTER:
        _compiled_init(cls)(self, *args, **kwargs)
        return
    fields = self._fields
    if args:
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments")
        given = dict(zip(fields, args, strict=False))
        if given.keys() & kwargs.keys():
            raise TypeError(f"{cls.__name__}() got multiple values for an argument")
        kwargs.update(given)
    assign = object.__setattr__
    for key, default in fields.items():
        assign(self, key, kwargs.pop(key) if key in kwargs else default.make(key, cls.__name__))
    if kwargs:
        raise TypeError(f"{cls.__name__}() has no field {', '.join(kwargs)}")


def _compiled_init(cls: type[Record]) -> Callable[..., None]:
    """``cls.__init__`` as a dataclass would write it (each field a parameter), now installed
    on ``cls``. Each slot is set through its own descriptor: about half the cost of
    ``object.__setattr__``, which looks the name up first."""
    params, body = [], []
    scope: dict[str, Any] = {"_missing": _REQUIRED}
    for key, default in cls._fields.items():
        scope[f"_d_{key}"], scope[f"_set_{key}"] = default, getattr(cls, key).__set__
        if default.factory is None and default.value is not _REQUIRED:
            params.append(f", {key}=_d_{key}.value")
        else:  # made when not given (or a required field's TypeError)
            params.append(f", {key}=_missing")
            body.append(
                f"\n    if {key} is _missing: {key} = _d_{key}.make({key!r}, {cls.__name__!r})"
            )
        body.append(f"\n    _set_{key}(self, {key})")
    code = "".join(body) or "\n    pass"
    exec(f"def __init__(self{''.join(params)}):{code}", scope)  # noqa: S102
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__name__}.__init__"
    type.__setattr__(cls, "__init__", init)
    return init


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
class _RecordType(type):
    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        frozen: bool | None = None,
    ) -> type:
        own = {
            key: _Default(namespace.pop(key, _REQUIRED))
            for key, annotation in namespace.get("__annotations__", {}).items()
            if not str(annotation).startswith("ClassVar")
        }
        namespace.setdefault("__slots__", tuple(own))
        namespace["__init__"] = _init
        cls = super().__new__(mcs, name, bases, namespace)
        cls._fields = {**getattr(cls, "_fields", {}), **own}
        if frozen is not None:
            cls._frozen = frozen
        if not cls._frozen:  # as a mutable dataclass: plain attributes, unhashable
            cls.__setattr__ = object.__setattr__  # type: ignore[method-assign,assignment]
            cls.__delattr__ = object.__delattr__  # type: ignore[method-assign,assignment]
            cls.__hash__ = None  # type: ignore[assignment]
        return cls


class Record(metaclass=_RecordType):
    """Base of value classes; see the module's docstring."""

    __slots__ = ()
    _fields: ClassVar[dict[str, _Default]] = {}
    _frozen: ClassVar[bool] = True

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, key) for key in self._fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self._values()  # copy and pickle make it again through __init__

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{key}={getattr(self, key)!r}" for key, default in self._fields.items() if default.repr
        )
        return f"{type(self).__name__}({shown})"


def replace(record: R, /, **changes: Any) -> R:
    """A copy of ``record`` with ``changes``, as ``dataclasses.replace``."""
    values = {key: getattr(record, key) for key in record._fields}
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    return type(record)(**{**values, **changes})
