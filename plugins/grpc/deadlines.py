"""One event-loop timer for the waits of a whole run, instead of one per call.

A unary call waits about a millisecond for its reply, under a timeout of seconds (the
exchange's until.timeoutMs, 30 s in a run). An asyncio timer armed and cancelled for every
call costs more than the rest of the call's bookkeeping, and the cancelled timers pile up in
the loop's heap until they reach its top. Here a wait registers its deadline; one timer,
armed for the earliest deadline, expires the waits that are due and re-arms itself for the
next (a wait that ends before its deadline only leaves the registry).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType


class Deadlines:
    """The deadlines of a run's waits, and the one timer for the earliest."""

    def __init__(self) -> None:
        self._due: dict[Watch, float] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._armed_for = 0.0  # the timer's loop time

    def watch(self, when: float | None, expire: Callable[[], None]) -> Watch:
        """A context in which ``expire`` is called at loop time ``when`` (None: never)."""
        return Watch(self, when, expire)

    def close(self) -> None:
        self._due.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _add(self, watch: Watch, when: float) -> None:
        self._due[watch] = when
        if self._timer is None or when < self._armed_for:
            self._arm(when)

    def _remove(self, watch: Watch) -> None:
        self._due.pop(watch, None)

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_at(when, self._fire)
        self._armed_for = when

    def _fire(self) -> None:
        self._timer = None
        now = asyncio.get_running_loop().time()
        for watch in [watch for watch, when in self._due.items() if when <= now]:
            del self._due[watch]
            watch.ran_out()
        if self._due:
            self._arm(min(self._due.values()))


class Watch:
    """One registered wait (the registry's key); ``expired`` tells whether its deadline came
    first."""

    __slots__ = ("_deadlines", "_when", "_expire", "expired")

    def __init__(
        self, deadlines: Deadlines, when: float | None, expire: Callable[[], None]
    ) -> None:
        self._deadlines = deadlines
        self._when = when
        self._expire = expire
        self.expired = False

    def __enter__(self) -> Watch:
        if self._when is not None:
            self._deadlines._add(self, self._when)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._when is not None:
            self._deadlines._remove(self)

    def ran_out(self) -> None:
        self.expired = True
        self._expire()
