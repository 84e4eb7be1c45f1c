"""Emitter: delivers run events to per-run subscribers without going through pluggy."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wirecall.core.errors import PluginError
from wirecall.core.run.events import EVENTS, Event, ExceptionEvent

_HANDLER_NAMES = {cls: "on_" + re.sub(r"(?<!^)(?=[A-Z])", "_", cls.name).lower() for cls in EVENTS}


class Emitter:
    """Each subscriber's ``on_<event>`` methods are looked up once, at subscribe time.

    A subscriber that raises does not stop the run: the failure goes to the other
    subscribers as an ``exception`` event and is kept in ``failures`` (a reporter's bug
    must not pass unnoticed, so the CLI reports it and exits 3).
    """

    def __init__(self) -> None:
        self.failures: list[PluginError] = []
        self._table: dict[type[Event], list[tuple[object, Callable[[Any], None]]]] = {
            cls: [] for cls in EVENTS
        }

    def subscribe(self, subscriber: object) -> None:
        for cls, method_name in _HANDLER_NAMES.items():
            method = getattr(subscriber, method_name, None)
            if method is not None:
                self._table[cls].append((subscriber, method))

    def wants(self, event_class: type[Event]) -> bool:
        """Whether any subscriber takes ``event_class`` (one emitted per message may be
        skipped when none does)."""
        return bool(self._table[event_class])

    def emit(self, event: Event) -> None:
        for subscriber, method in self._table[type(event)]:
            try:
                method(event)
            except Exception as exc:  # one broken reporter must not stop the run
                if isinstance(event, ExceptionEvent):
                    continue
                error = PluginError(f"{type(subscriber).__name__} failed on {event.name}: {exc!r}")
                self.failures.append(error)
                self.emit(ExceptionEvent(cursor=event.cursor, error=error))


def handler_name(event_class: type[Event]) -> str:
    """The method name a subscriber implements for ``event_class`` (``on_before_item``)."""
    return _HANDLER_NAMES[event_class]
