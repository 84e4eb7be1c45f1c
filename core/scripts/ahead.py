"""Results of pre-request scripts run ahead of their item (``V8Engine.run_series``).

The engine runs an item's test scripts and the next item's pre-request scripts in one
evaluation: one hand-over to V8's thread per request instead of two. The latter results wait
here for the ``run`` calls that ask for them. They are given out only as those scripts would
have run then: on a context for the same item with the same request, and with the variables
as the run ahead left them (every scope the same object, changed as often as then).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wirecall.core.scripts.base import Script, ScriptContext


class Ahead:
    """The results of one item's pre-request scripts, in their order (:meth:`take`)."""

    def __init__(
        self, context: ScriptContext, scripts: list[Script], results: list[dict[str, Any]]
    ) -> None:
        self.context, self.scripts, self.results = context, scripts, results
        self.marks = _marks(context)
        self.taker: ScriptContext | None = None  # the context of the first result taken
        self.taken = 0

    def take(self, script: Script, context: ScriptContext) -> dict[str, Any] | None:
        """The next result if it is ``script``'s on ``context``; None: not this one."""
        if self.taken == 0:
            if _start_of(context) != _start_of(self.context) or not _same(
                _marks(context), self.marks
            ):
                return None
            self.taker = context
        elif context is not self.taker:
            return None
        if self.scripts[self.taken] != script:
            return None
        self.taken += 1
        return self.results[self.taken - 1]

    def left(self) -> bool:
        return self.taken < len(self.results)


def _start_of(context: ScriptContext) -> tuple[Any, ...]:
    """What a script starts from, but the variables' values (see :func:`_marks`); compared
    as a tuple, the same objects are equal at once."""
    c = context
    return (c.event, c.item_name, c.item_id, c.iteration, c.iteration_count, c.location,
            c.protocol, c.request, c.response, c.message, c.cookies, c.vault, c.variables)  # fmt: skip


def _marks(context: ScriptContext) -> list[tuple[Any, int]]:
    """The variables' scopes and how often each changed."""
    return [(scope, scope.version) for scope in context.variables.scopes()]


def _same(marks: list[tuple[Any, int]], others: list[tuple[Any, int]]) -> bool:
    return all(a is b and m == n for (a, m), (b, n) in zip(marks, others, strict=True))
