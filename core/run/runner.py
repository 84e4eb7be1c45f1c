"""The run loop, top to bottom in Newman's event order.

    start
    per iteration:  beforeIteration, per item (see item.py), iteration
    beforeDone      reporters hand over artifacts, which are masked and written
    done

``setNextRequest`` and ``skipRequest`` come back from scripts as data and move the cursor;
``--bail`` stops after the item that recorded the run's first failure; ``--timeout`` bounds
the whole run and is recorded as the run's error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from wirecall.core.auth.context import auth_run
from wirecall.core.errors import WirecallError
from wirecall.core.masking import Masker
from wirecall.core.model import Collection, Item
from wirecall.core.plugins import PluginHost
from wirecall.core.run import events as ev
from wirecall.core.run.artifacts import Artifact, collect, write_artifacts
from wirecall.core.run.context import EngineFactory, RunContext, default_engine
from wirecall.core.run.item import run_item
from wirecall.core.run.options import RunOptions
from wirecall.core.run.summary import RunSummary
from wirecall.core.scripts.base import UNSET


async def run_collection(
    collection: Collection,
    options: RunOptions,
    host: PluginHost,
    subscribers: Iterable[object] = (),
    *,
    engine_factory: EngineFactory = default_engine,
    masker: Masker | None = None,
    vault: Any = None,
) -> RunSummary:
    """Run ``collection``; input errors raise before ``start``, item failures go to the summary.

    Pass the ``masker`` that terminal reporters also use, so secrets found during the run
    (auth parameters, secret variables, vault values) are hidden everywhere. ``vault`` (a
    :class:`~wirecall.core.vault.Vault`, opened lazily) backs ``{{vault:name}}``, pm.vault
    and the OAuth2 token cache.
    """
    run = RunContext(
        collection, options, host, engine_factory=engine_factory, masker=masker, vault=vault
    )
    run.check_protocols()
    subscribers = list(subscribers)
    summary = RunSummary(collection, run.environment, run.globals)
    for subscriber in (summary, *subscribers):
        run.emitter.subscribe(subscriber)

    run.emit(ev.StartEvent(collection=collection, summary=summary))
    with auth_run(vault=vault, masker=run.masker):
        summary.error = await _iterations_within_timeout(run, summary)
    run.emit(ev.BeforeDoneEvent(summary=summary, error=summary.error))
    try:
        write_artifacts([*collect(subscribers), *_exports(run)], run.masker)
    except WirecallError as exc:
        summary.error = summary.error or exc
    run.emit(ev.DoneEvent(summary=summary, error=summary.error))
    summary.subscriber_failures = run.emitter.failures
    return summary


async def _iterations_within_timeout(run: RunContext, summary: RunSummary) -> WirecallError | None:
    """Run every iteration; the run's own error (``--timeout``) is returned, not raised."""
    limit = run.options.timeout_ms / 1000 if run.options.timeout_ms else None
    try:
        async with run, asyncio.timeout(limit):
            await _iterations(run, summary)
    except TimeoutError:
        return WirecallError(f"the run exceeded --timeout {run.options.timeout_ms:g} ms")
    return None


async def _iterations(run: RunContext, summary: RunSummary) -> None:
    for iteration in range(run.cycles):
        run.start_iteration(iteration)
        cursor = run.cursor(0, iteration)
        run.emit(ev.BeforeIterationEvent(cursor=cursor))
        bailed = await _items(run, summary, iteration)
        run.emit(ev.IterationEvent(cursor=cursor))
        if bailed:
            return


async def _items(run: RunContext, summary: RunSummary, iteration: int) -> bool:
    """One iteration's items; True when ``--bail`` stopped the run."""
    position = 0
    while position < len(run.items):
        failures_before = len(summary.failures)
        await run.delay()
        # the next item's pre-request scripts may run ahead, with this one's test scripts,
        # where nothing comes between them: a delay would (and an iteration's end does)
        after = position + 1 < len(run.items) and not run.options.delay_request_ms
        flow = await run_item(
            run,
            run.items[position],
            run.cursor(position, iteration),
            run.items[position + 1] if after else None,
        )
        if run.options.bail and len(summary.failures) > failures_before:
            return True
        position = next_position(run.items, position, flow.next_request)
    return False


def next_position(items: list[Item], position: int, next_request: Any) -> int:
    """Where setNextRequest goes: by id first, then by name (the last of equal names).

    ``None`` or an unknown name ends the iteration, as postman-runtime does.
    """
    if next_request is UNSET:
        return position + 1
    if next_request is None:
        return len(items)
    wanted = str(next_request)
    by_id = [i for i, item in enumerate(items) if item.id == wanted]
    by_name = [i for i, item in enumerate(items) if item.name == wanted]
    matches = by_id[:1] or by_name[-1:]
    return matches[0] if matches else len(items)


def _exports(run: RunContext) -> list[Artifact]:
    """--export-environment, --export-globals and --export-collection: the final state."""
    options, exports = run.options, []
    if options.export_environment:
        exports.append(
            Artifact("environment", run.environment.to_json(), options.export_environment)
        )
    if options.export_globals:
        exports.append(Artifact("globals", run.globals.to_json(), options.export_globals))
    if options.export_collection:
        exports.append(Artifact("collection", run.collection.to_json(), options.export_collection))
    return exports
