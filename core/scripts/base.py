"""The script engine's interface: what the runner hands to a script and what comes back.

The runner knows only :class:`ScriptEngine`. ``ScriptContext`` is mutated in place by the
engine (variables, the request in pre-request scripts); ``ScriptResult`` carries what
happened (assertions, console lines, an error, control flow asked for by the script).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from wirecall.core.errors import ScriptError
    from wirecall.core.records import Message, Response
    from wirecall.core.variables import Variables

ScriptEvent = Literal["prerequest", "message", "test"]
UNSET: Any = object()  # setNextRequest not called


@dataclass(frozen=True)
class Script:
    """One script: its source, where it lives (``collection``, ``folder 'A'``, ``item 'B'``)."""

    source: str
    event: ScriptEvent
    where: str
    id: str | None = None


@dataclass
class ScriptContext:
    """What a script can read and change. ``request`` is the item's Postman request JSON:
    an engine replaces it to change it, never modifies it (it may be the collection's)."""

    event: ScriptEvent
    variables: Variables
    request: dict[str, Any]
    item_name: str = ""
    item_id: str = ""
    iteration: int = 0
    iteration_count: int = 1
    location: list[str] = field(default_factory=list)
    protocol: str = "http"
    response: Response | None = None
    message: Message | None = None
    cookies: Any = None
    send_request: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None = None
    vault: Any = None

    def for_message(self, message: Message) -> ScriptContext:
        """This context for one received message of its stream: a shallow copy, as a
        stream's messages share all else (made per message: a copied ``__dict__`` costs a
        third of what a new context does, a sixth of ``copy.copy``)."""
        twin = object.__new__(type(self))
        fields = self.__dict__.copy()
        fields["message"] = message
        twin.__dict__ = fields
        return twin


@dataclass(frozen=True)
class AssertionResult:
    name: str
    passed: bool
    skipped: bool = False
    error_name: str | None = None
    error_message: str | None = None
    index: int = 0


@dataclass
class ScriptResult:
    assertions: list[AssertionResult] = field(default_factory=list)
    console: list[tuple[str, list[Any]]] = field(default_factory=list)
    error: ScriptError | None = None
    next_request: Any = UNSET  # a name/id, None to end the iteration, UNSET when not called
    skip_request: bool = False
    close_stream: bool = False
    send_messages: list[Any] = field(default_factory=list)
    visualizer: dict[str, Any] | None = None
    # errors thrown in timer/sendRequest callbacks: Newman's "exception" events, not failures
    exceptions: list[ScriptError] = field(default_factory=list)


class ScriptEngine(Protocol):
    """One per run; ``run`` executes one script to completion (promises and timers settled)."""

    async def run(self, script: Script, context: ScriptContext) -> ScriptResult: ...

    async def start(self, scripts: list[Script]) -> None:
        """Be ready to run ``scripts`` at once (a stream calls it with its message scripts
        before it starts, so that they do not wait for the engine to start, or to compile
        them, on the stream's time)."""
        ...

    async def run_each(
        self, scripts: list[Script], contexts: list[ScriptContext]
    ) -> list[list[ScriptResult]]:
        """A stream's ``message`` scripts for several received messages (``contexts``, in
        order): per message, each script in order. After a message whose scripts closed the
        stream no more run: the later messages' lists are empty."""
        ...

    async def aclose(self) -> None: ...


async def run_in_turn(
    run: Callable[[Script, ScriptContext], Awaitable[ScriptResult]],
    scripts: list[Script],
    contexts: list[ScriptContext],
) -> list[list[ScriptResult]]:
    """``run_each`` with one ``run`` per script and message, for engines with nothing faster."""
    out: list[list[ScriptResult]] = [[] for _ in contexts]
    for results, context in zip(out, contexts, strict=True):
        results.extend([await run(script, context) for script in scripts])
        if any(result.close_stream for result in results):
            break
    return out
