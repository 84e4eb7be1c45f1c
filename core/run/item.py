"""One item's phases, in Newman's event order: pre-request scripts, the exchange, test scripts.

beforeItem
  beforeScript, console*, assertion*, script      (per pre-request script)
  prerequest
  beforeRequest, message* (with message scripts), request
  beforeScript, console*, assertion*, script      (per test script)
  test
item
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wirecall.core.errors import InputError, ItemError, ProtocolError
from wirecall.core.exchange import Exchange
from wirecall.core.record import Record
from wirecall.core.records import Message, Response
from wirecall.core.run import events as ev
from wirecall.core.run.context import RunContext
from wirecall.core.run.message_scripts import MessageScripts
from wirecall.core.run.send import prepare_item, send_prepared, send_request
from wirecall.core.scripts.base import UNSET, Script, ScriptContext, ScriptResult


class AssertionFailure(ItemError):
    """A failed ``pm.test``; ``name`` is the JavaScript error name (``AssertionError``)."""

    def __init__(self, message: str, *, name: str, test: str, index: int) -> None:
        super().__init__(message)
        self.name = name
        self.test = test
        self.index = index


class Flow(Record, frozen=False):
    """Control flow that scripts asked for: setNextRequest (the last call wins), skipRequest."""

    next_request: Any = UNSET
    skip_request: bool = False

    def absorb(self, result: ScriptResult) -> None:
        if result.next_request is not UNSET:
            self.next_request = result.next_request
        self.skip_request = self.skip_request or result.skip_request


async def run_item(run: RunContext, item: Any, cursor: ev.Cursor, after: Any = None) -> Flow:
    """Run one item; its failures go to the events, never out of this function.

    ``after`` is the item that follows unless a script says otherwise: its pre-request
    scripts may run in the evaluation of this item's test scripts (``RunContext.run_series``).
    """
    run.emit(ev.BeforeItemEvent(cursor=cursor, item=item))
    flow = Flow()
    results: list[ScriptResult] = []
    request, scripts = item.request, item.scripts("prerequest")
    if scripts:
        pre = _context(run, item, cursor, "prerequest", request)
        results = await run_scripts(run, item, cursor, pre, flow, scripts)
        request = pre.request  # a new tree if a script changed it: the collection's stays
    run.emit(ev.PrerequestEvent(cursor=cursor, item=item, results=tuple(results)))
    if not flow.skip_request:
        response, sent = await _exchange(run, item, cursor, request, flow)
        results, scripts = [], item.scripts("test")
        if scripts:
            test = _context(run, item, cursor, "test", sent, response=response)
            done = await _run_series(run, cursor, test, scripts, after)
            results = await run_scripts(run, item, cursor, test, flow, scripts, done)
        run.emit(ev.TestEvent(cursor=cursor, item=item, results=tuple(results)))
    run.emit(ev.ItemEvent(cursor=cursor, item=item, skipped=flow.skip_request))
    return flow


async def run_scripts(
    run: RunContext,
    item: Any,
    cursor: ev.Cursor,
    context: ScriptContext,
    flow: Flow,
    scripts: list[Script],
    done: Sequence[ScriptResult] = (),
) -> list[ScriptResult]:
    """Run the item's scripts of one event in order (collection, folders, item); the first
    ones' results may be ``done`` already (run in a series)."""
    results = []
    for at, script in enumerate(scripts):
        run.emit(ev.BeforeScriptEvent(cursor=cursor, item=item, event=context.event, script=script))
        result = done[at] if at < len(done) else await run.run_script(script, context)
        _report(run, item, cursor, script, context, result)
        flow.absorb(result)
        results.append(result)
        if result.skip_request:
            break  # later pre-request scripts do not run either (Newman)
    return results


async def _run_series(
    run: RunContext, cursor: ev.Cursor, test: ScriptContext, scripts: list[Script], after: Any
) -> list[ScriptResult]:
    """The test scripts and the next item's pre-request scripts in one evaluation (their
    results wait for run_item of that item); the test scripts' results, or none."""
    ahead = after.scripts("prerequest") if after is not None else []
    if not ahead:
        return []
    pre = _context(run, after, cursor, "prerequest", after.request)
    return await run.run_series((scripts, test), (ahead, pre))


def _report(
    run: RunContext,
    item: Any,
    cursor: ev.Cursor,
    script: Script,
    ctx: ScriptContext,
    result: ScriptResult,
) -> None:
    emit = run.emitter.emit  # straight to the subscribers: this runs per message with scripts
    at_message = ctx.message.index if ctx.message is not None else None
    for level, messages in result.console:
        emit(ev.ConsoleEvent(cursor=cursor, item=item, level=level, messages=tuple(messages)))
    for exception in result.exceptions:  # thrown in a timer or callback: reported, not a failure
        emit(ev.ExceptionEvent(cursor=cursor, item=item, error=exception))
    for a in result.assertions:
        error = None
        if not a.passed and not a.skipped:
            name = a.error_name or "AssertionError"
            error = AssertionFailure(a.error_message or "", name=name, test=a.name, index=a.index)
        emit(ev.AssertionEvent(
            cursor=cursor, item=item, error=error, assertion=a.name, skipped=a.skipped,
            index=a.index, event=ctx.event, message_index=at_message,
        ))  # fmt: skip
    emit(ev.ScriptEvent(
        cursor=cursor, item=item, error=result.error, event=ctx.event, script=script, result=result
    ))  # fmt: skip


async def _exchange(
    run: RunContext, item: Any, cursor: ev.Cursor, request: dict[str, Any], flow: Flow
) -> tuple[Response | None, dict[str, Any]]:
    """beforeRequest, the exchange (message events and scripts on the way), request.

    Returns the response and the request as sent (resolved, auth applied): what
    ``pm.request`` shows to message and test scripts, as in Newman.

    A request that cannot be resolved (a missing vault secret) fails its item unsent.
    """
    response, error, view, prepared = None, None, request, None
    try:
        resolved = run.variables.resolve_tree(request)
        prepared = await prepare_item(run, item, resolved)
        view = {**resolved, **prepared.view()}  # the item's own keys (auth...) stay visible
    except (ItemError, InputError) as exc:  # unresolvable or unparsable: fails its item only
        error = exc
    run.emit(ev.BeforeRequestEvent(cursor=cursor, item=item, request=view))

    emit = run.emitter.emit  # straight to the subscribers: these run per message
    # no built-in reporter wants beforeScript: not made per message for no one (~2 us)
    before_script = run.emitter.wants(ev.BeforeScriptEvent)

    async def on_message(message: Message, _: Exchange) -> bool:
        emit(ev.MessageEvent(cursor=cursor, item=item, message=message))
        return True

    def report(script: Script, ctx: ScriptContext, result: ScriptResult) -> None:
        if before_script:
            emit(ev.BeforeScriptEvent(cursor=cursor, item=item, event="message", script=script))
        _report(run, item, cursor, script, ctx, result)
        flow.absorb(result)

    message_scripts = item.scripts("message")
    scripts = None
    if message_scripts:
        await run.start_scripts(message_scripts)  # not on the stream's time: V8 may be starting
        stream = _context(run, item, cursor, "message", view)
        scripts = MessageScripts(run, item, cursor, message_scripts, stream.for_message, report)
    if prepared is not None:
        try:
            response = await send_prepared(run, item, prepared, scripts or on_message)
        except (ItemError, InputError) as exc:
            error = exc
        finally:
            if scripts:
                response = await scripts.finish(response)
    if response is not None and not response.ok:
        error = ProtocolError(_failure(response), protocol=response.protocol, status=response.code)
    run.emit(
        ev.RequestEvent(cursor=cursor, item=item, request=view, response=response, error=error)
    )
    return response, view


def _failure(response: Response) -> str:
    """Why the protocol failed the exchange: the plugin's words, or its status."""
    return (
        response.failure
        or f"{response.protocol} exchange failed: {response.code} {response.status}".strip()
    )


def _context(
    run: RunContext,
    item: Any,
    cursor: ev.Cursor,
    event: Any,
    request: dict[str, Any],
    *,
    response: Response | None = None,
    message: Message | None = None,
) -> ScriptContext:
    return ScriptContext(
        event=event,
        variables=run.variables,
        request=request,
        item_name=item.name,
        item_id=item.id,
        iteration=cursor.iteration,
        iteration_count=cursor.cycles,
        location=[run.collection.name, *item.location()],
        protocol=run.protocol_of(item),
        response=response,
        message=message,
        cookies=run.cookies,
        send_request=lambda raw: send_request(run, raw),
        vault=run.variables.vault,
    )
