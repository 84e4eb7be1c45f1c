"""The host side of the sandbox's asynchronous calls: pm.sendRequest, the cookie jar, the
vault, and the files of ``require``d modules (shipped to the isolate once per run).
"""

from __future__ import annotations

import functools
import inspect
import re
from typing import TYPE_CHECKING, Any

from wirecall.core.records import Response
from wirecall.core.scripts import cookies as jar
from wirecall.core.scripts.payload import response_json

if TYPE_CHECKING:
    from pathlib import Path

    from wirecall.core.scripts.base import ScriptContext
    from wirecall.core.scripts.modules import ModuleStore

# Legacy globals that are libraries: loaded only when a script names them.
LAZY_GLOBALS = ("xml2Json", "_", "CryptoJS", "tv4", "cheerio", "moment")


@functools.lru_cache(maxsize=64)
def _identifiers(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``names`` as an identifier, not a property (``pm.environment``): each name
    first, then a look back at what precedes it, so the engine skips ahead to where a name
    can start instead of trying a look-behind at every position (~10x faster)."""
    words = "|".join(f"{re.escape(name)}(?<![\\w$.]{re.escape(name)})" for name in names)
    return re.compile(rf"({words})(?![\w$])")


@functools.lru_cache(maxsize=1024)
def _names_in(source: str, names: tuple[str, ...]) -> frozenset[str]:
    """Which of ``names`` the script's text names; cached per script text (the same scripts
    run for every request; a test script naming its request's index is new every time).
    Only the names the text contains at all are looked for (3-5x faster)."""
    present = tuple(name for name in names if name in source)
    return frozenset(_identifiers(present).findall(source)) if present else frozenset()


class Host:
    def __init__(self, *, module_cache: Path | None = None, registry: str | None = None) -> None:
        self._module_cache, self._registry = module_cache, registry
        self._modules: ModuleStore | None = None
        self._shipped: set[str] = set()

    @property
    def modules(self) -> ModuleStore:
        """The npm module store, made when a script first requires something (its module
        and tarfile import are ~4 ms of a run's start-up that most runs never need)."""
        if self._modules is None:
            from wirecall.core.scripts.modules import ModuleStore

            self._modules = ModuleStore(cache_dir=self._module_cache, registry=self._registry)
        return self._modules

    def reset(self) -> None:
        """A new isolate knows no module files yet."""
        self._shipped.clear()

    def uses(self, source: str, legacy_names: list[str]) -> list[str]:
        """The library globals the script names: loaded for it."""
        named = _names_in(source, (*legacy_names, "eval"))
        return [name for name in LAZY_GLOBALS if name in legacy_names and name in named]

    def legacy_named(self, source: str, legacy_names: list[str]) -> list[str] | None:
        """The legacy globals the script names (None: all, as a direct eval can name any):
        the sandbox builds only those (responseBody, request, ... cost a few µs each)."""
        named = _names_in(source, (*legacy_names, "eval"))
        return None if "eval" in named else [name for name in legacy_names if name in named]

    @staticmethod
    def may_require(source: str, uses: list[str]) -> bool:
        """Whether the script may need npm module files (most scripts: no)."""
        return bool(uses) or "require" in source

    async def modules_for(self, source: str, uses: list[str]) -> dict[str, Any] | None:
        """Files of the packages the script requires that this isolate has not seen yet
        (None when it can require nothing: most scripts, 15 µs saved per script)."""
        if not self.may_require(source, uses):
            return None
        bundle = await self.modules.bundle_for(source, uses, skip=self._shipped)
        self._shipped.update(bundle["files"])
        return bundle

    def cookies_for(self, context: ScriptContext) -> list[dict[str, Any]]:
        url = jar.request_url(context.request)
        return jar.cookies_for(context.cookies, url) if context.cookies is not None and url else []

    async def call(self, request: dict[str, Any], context: ScriptContext) -> dict[str, Any]:
        """Do one host call; the answer is ``{"ok": true, "value": ...}`` or an error text."""
        try:
            value = await self._dispatch(request["kind"], request["payload"], context)
        except Exception as exc:  # noqa: BLE001  # any failure is the script's rejected promise
            return {"ok": False, "error": str(exc) or type(exc).__name__}
        return {"ok": True, "value": value}

    async def _dispatch(self, kind: str, payload: Any, context: ScriptContext) -> Any:
        if kind == "send":
            if context.send_request is None:
                raise RuntimeError("pm.sendRequest is not available here")
            return _response_shape(await context.send_request(payload))
        if kind == "cookies":
            if context.cookies is None:
                raise RuntimeError("no cookie jar in this run")
            return jar.operate(context.cookies, payload["op"], payload["args"])
        if kind == "vault":
            return await _vault(context.vault, payload["op"], payload["args"])
        raise RuntimeError(f"unknown host call {kind!r}")

    async def aclose(self) -> None:
        if self._modules is not None:
            await self._modules.aclose()


def _response_shape(response: Response | dict[str, Any]) -> dict[str, Any]:
    """What sendRequest callbacks get, from a Response record or a dict of the same fields."""
    shaped = dict(response_json(response))
    shaped["headers"] = [
        [h["key"], h["value"]] if isinstance(h, dict) else list(h)
        for h in shaped.get("headers", [])
    ]
    shaped.setdefault("body", "")
    shaped.setdefault("responseSize", len(shaped["body"].encode()))
    shaped.setdefault("responseTime", 0)
    return shaped


async def _vault(vault: Any, op: str, args: list[str]) -> Any:
    if vault is None:
        raise RuntimeError("pm.vault is not available: no vault configured")
    method = getattr(vault, {"get": "get", "set": "set", "unset": "unset"}[op])
    value = method(*args)
    if inspect.isawaitable(value):
        value = await value
    return value if op == "get" else None
