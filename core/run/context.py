"""RunContext: what every phase of one run shares (options, variables, handlers, engine, events).

Input files are read when the context is built, so a bad environment, globals or data file
fails the run before the first event (exit 2). Protocol handlers and the script engine are
created on first use and closed when the run ends: an HTTP-only run without scripts never
imports V8.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import http.cookiejar
import inspect
from collections.abc import Callable
from typing import Any, Self

from wirecall.core.errors import ScriptError
from wirecall.core.exchange import Settings
from wirecall.core.ids import new_uuid
from wirecall.core.masking import Masker
from wirecall.core.model import (
    Collection,
    Item,
    VariablesFile,
    load_data_file,
    load_environment,
    load_globals,
    new_variables_file,
)
from wirecall.core.plugins import PluginHost
from wirecall.core.run.emitter import Emitter
from wirecall.core.run.events import Cursor, Event
from wirecall.core.run.options import RunOptions
from wirecall.core.scripts.base import Script, ScriptContext, ScriptEngine, ScriptResult
from wirecall.core.variables import Variables, VariableScope

EngineFactory = Callable[[RunOptions], Any]


def default_engine(options: RunOptions) -> Any:
    """The V8 engine, imported only when a run actually has a script."""
    from wirecall.core.scripts import open_engine

    return open_engine(timeout_ms=options.timeout_script_ms or None)


class RunContext:
    def __init__(
        self,
        collection: Collection,
        options: RunOptions,
        host: PluginHost,
        *,
        engine_factory: EngineFactory = default_engine,
        masker: Masker | None = None,
        vault: Any = None,
    ) -> None:
        self.collection = collection
        self.options = options
        self.host = host
        self.emitter = Emitter()
        self.masker = masker if masker is not None else Masker()
        self.cookies = http.cookiejar.CookieJar()
        self.environment = _variables_file(options.environment, load_environment, "environment")
        self.globals = _variables_file(options.globals, load_globals, "globals")
        for key, value in options.env_vars.items():
            self.environment.scope.set(key, value)
        for key, value in options.global_vars.items():
            self.globals.scope.set(key, value)
        self.data_rows = load_data_file(options.iteration_data) if options.iteration_data else []
        self.items = collection.items_in_order(options.folders)
        self.cycles = options.cycles(len(self.data_rows))
        self.variables = Variables(
            globals=self.globals.scope,
            collection=collection.variables,
            environment=self.environment.scope,
            vault=vault,
            on_secret=self.masker.register,
        )
        for secret in self.variables.secrets():
            self.masker.register(secret)
        self.settings = options.settings()
        self._engine_factory = engine_factory
        self._engine: ScriptEngine | None = None
        self._handlers: dict[str, Any] = {}
        self._protocols: dict[int, tuple[Any, str]] = {}  # id(item.raw) -> (item.raw, protocol)
        self._stack = contextlib.AsyncExitStack()
        self._sent_any = False

    def check_protocols(self) -> None:
        """Fail before the run starts when an item names a protocol nobody provides."""
        for item in self.items:
            self.host.handler_class(self.protocol_of(item))

    def protocol_of(self, item: Item) -> str:
        """The item's protocol, asked of the plugins once per item (a pluggy call each time
        costs ~10 µs, and every item needs it three times)."""
        known = self._protocols.get(id(item.raw))
        if known is None or known[0] is not item.raw:
            known = self._protocols[id(item.raw)] = (item.raw, self.host.protocol_for(item.raw))
        return known[1]

    def emit(self, event: Event) -> None:
        self.emitter.emit(event)

    def cursor(self, position: int, iteration: int) -> Cursor:
        return Cursor(position, iteration, len(self.items), self.cycles, new_uuid())

    def start_iteration(self, iteration: int) -> None:
        """Load the iteration's data row; past the last row, the last one repeats (Newman)."""
        row = self.data_rows[min(iteration, len(self.data_rows) - 1)] if self.data_rows else {}
        self.variables.data = VariableScope("data", row)

    async def delay(self) -> None:
        """--delay-request waits between items, not before the first one."""
        if self._sent_any and self.options.delay_request_ms:
            await asyncio.sleep(self.options.delay_request_ms / 1000)
        self._sent_any = True

    def settings_for(self, item: Item, url: str | None = None) -> Settings:
        """The run's transport settings with the item's protocolProfileBehavior applied.

        ``url`` (the resolved request's) selects the settings file's certificate and proxy.
        """
        behavior = item.protocol_profile_behavior()
        changes: dict[str, Any] = {
            "extra": {**self.settings.extra, "protocolProfileBehavior": behavior},
            "target_url": url,
        }
        if "followRedirects" in behavior and not self.options.ignore_redirects:
            changes["follow_redirects"] = bool(behavior["followRedirects"])
        if isinstance(behavior.get("maxRedirects"), int):
            changes["max_redirects"] = behavior["maxRedirects"]
        if behavior.get("strictSSL") is False:
            changes["verify_tls"] = False
        return dataclasses.replace(self.settings, **changes)

    async def handler(self, protocol: str) -> Any:
        """The run's one handler instance for ``protocol``, entered on first use."""
        if protocol not in self._handlers:
            handler = self.host.handler_class(protocol)()
            self._handlers[protocol] = await self._stack.enter_async_context(handler)
        return self._handlers[protocol]

    async def run_script(self, script: Script, context: ScriptContext) -> ScriptResult:
        """Run one script; a ScriptError becomes the result's error (the run goes on).

        Values a script gave to ``secret`` variables are masked from then on.
        """
        engine = await self._script_engine()
        try:
            return await engine.run(script, context)
        except ScriptError as exc:
            return ScriptResult(error=exc)
        finally:
            self._mask_secrets()

    async def run_series(
        self, now: tuple[list[Script], ScriptContext], ahead: tuple[list[Script], ScriptContext]
    ) -> list[ScriptResult]:
        """An item's scripts (``now``) and, in the same evaluation, the next item's
        pre-request scripts (``ahead``), whose results wait for their ``run_script`` calls;
        the results of the first of ``now``'s scripts (the engine's ``run_series``: none from
        an engine without it), for the caller to run the rest."""
        engine = await self._script_engine()
        series = getattr(engine, "run_series", None)
        if series is None:
            return []
        try:
            results: list[ScriptResult] = await series(*now, *ahead)
            return results
        finally:
            self._mask_secrets()

    async def start_scripts(self, scripts: list[Script]) -> None:
        """The script engine ready to run a stream's message ``scripts`` before it starts."""
        engine = await self._script_engine()
        await engine.start(scripts)

    async def run_message_scripts(
        self, scripts: list[Script], contexts: list[ScriptContext]
    ) -> list[list[ScriptResult]]:
        """A stream's ``message`` scripts for several received messages (``run_each``)."""
        engine = await self._script_engine()
        try:
            return await engine.run_each(scripts, contexts)
        finally:
            self._mask_secrets()

    def _mask_secrets(self) -> None:
        """Values scripts gave to ``secret`` variables, masked from now on."""
        for secret in self.variables.secrets():
            self.masker.register(secret)

    async def _script_engine(self) -> ScriptEngine:
        if self._engine is None:
            engine = self._engine_factory(self.options)
            if inspect.isawaitable(engine):
                engine = await engine
            if hasattr(engine, "__aenter__"):
                engine = await self._stack.enter_async_context(engine)
            else:
                self._stack.push_async_callback(engine.aclose)
            self._engine = engine
        return self._engine

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()


def _variables_file(
    path: str | None, load: Callable[[str], VariablesFile], scope: str
) -> VariablesFile:
    return load(path) if path else new_variables_file(scope)
