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
import itertools
from collections.abc import Callable
from types import TracebackType


class Deadlines:
    """The deadlines of a run's waits, and the one timer for the earliest."""

    def __init__(self) -> None:
        self._due: dict[int, tuple[float, Callable[[], None]]] = {}
        self._keys = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    def watch(self, when: float | None, expire: Callable[[], None]) -> Watch:
        """A context in which ``expire`` is called at loop time ``when`` (None: never)."""
        return Watch(self, when, expire)

    def add(self, when: float, expire: Callable[[], None]) -> int:
        """Call ``expire`` at loop time ``when``; the key that ``remove`` takes."""
        key = next(self._keys)
        self._due[key] = (when, expire)
        if self._timer is None or when < self._timer.when():
            self._arm(when)
        return key

    def remove(self, key: int) -> None:
        self._due.pop(key, None)

    def close(self) -> None:
        self._due.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_at(when, self._fire)

    def _fire(self) -> None:
        self._timer = None
        now = asyncio.get_running_loop().time()
        for key in [key for key, (when, _) in self._due.items() if when <= now]:
            self._due.pop(key)[1]()
        if self._due:
            self._arm(min(when for when, _ in self._due.values()))


class Watch:
    """One registered wait; ``expired`` tells whether its deadline came first."""

    def __init__(
        self, deadlines: Deadlines, when: float | None, expire: Callable[[], None]
    ) -> None:
        self._deadlines = deadlines
        self._when = when
        self._expire = expire
        self._key: int | None = None
        self.expired = False

    def __enter__(self) -> Watch:
        if self._when is not None:
            self._key = self._deadlines.add(self._when, self._ran_out)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._key is not None:
            self._deadlines.remove(self._key)

    def _ran_out(self) -> None:
        self.expired = True
        self._expire()
