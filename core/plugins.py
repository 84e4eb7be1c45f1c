"""PluginHost: one pluggy manager per run, and the typed facade every caller goes through."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import pluggy
from wirecall.core import hookspecs
from wirecall.core.errors import PluginError, UnknownProtocolError
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol
from wirecall.core.record import Record, field

ENTRY_POINT_GROUP = "wirecall.plugins"
# Core's own contributions, registered like any plugin (pytest's and datasette's habit).
CORE_PLUGINS = ("wirecall.core.reporters", "wirecall.core.auth")


class _CoreDefaults:
    """Last-resort answers, so that other plugins may claim items first."""

    @staticmethod
    @hookimpl(trylast=True)
    def wirecall_protocol_for(item: Mapping[str, Any]) -> str | None:
        protocol = item.get("protocol", "http")
        return protocol if isinstance(protocol, str) else None


class PluginInfo(Record, frozen=False):
    """What ``wirecall plugins`` lists for one registered plugin."""

    name: str
    distribution: str | None
    version: str | None
    contributes: dict[str, list[str]] = field(default_factory=dict)


class PluginHost:
    """Registers core built-ins and the ``wirecall.plugins`` entry points; caches hook results."""

    def __init__(self, *, load_entry_points: bool = True, blocked: Iterable[str] = ()) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        # plugin name -> its distribution: a name, or the entry point's Distribution, read
        # only by infos() (reading a distribution's metadata costs ~1 ms; every run has 8+)
        self._dists: dict[str, str | importlib.metadata.Distribution | None] = {}
        for name in blocked:
            self.pm.set_blocked(name)
        self.pm.register(_CoreDefaults(), name="core-defaults")
        for module_name in CORE_PLUGINS:
            self.register(importlib.import_module(module_name), name=module_name)
        if load_entry_points:
            self._load_entry_points()
        if os.environ.get("WIRECALL_TRACE_PLUGINS"):
            self.pm.trace.root.setwriter(sys.stderr.write)
            self.pm.enable_tracing()

    def register(
        self,
        plugin: object,
        name: str | None = None,
        dist: str | importlib.metadata.Distribution | None = None,
    ) -> None:
        if name and self.pm.is_blocked(name):
            return
        try:
            self.pm.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"cannot register plugin {name or plugin!r}: {exc}") from exc
        self._dists[name or repr(plugin)] = dist

    def _load_entry_points(self) -> None:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self.pm.is_blocked(ep.name) or self.pm.get_plugin(ep.name) is not None:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken third-party plugin must not hide the others
                raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
            self.register(plugin, name=ep.name, dist=ep.dist)

    # -- typed facade -------------------------------------------------------------------

    @cached_property
    def protocols(self) -> dict[str, type[Any]]:
        return self._named(self.pm.hook.wirecall_protocols(), "protocol")

    def protocol_for(self, item: Mapping[str, Any]) -> str:
        name = self.pm.hook.wirecall_protocol_for(item=item)
        return name or "http"

    def handler_class(self, protocol: str) -> type[Any]:
        """The handler class for ``protocol``, imported now if its plugin registered it lazily."""
        try:
            found = self.protocols[protocol]
        except KeyError:
            raise UnknownProtocolError(protocol, list(self.protocols)) from None
        return found.load() if isinstance(found, LazyProtocol) else found

    @cached_property
    def auth_schemes(self) -> dict[str, type[Any]]:
        return self._named(self.pm.hook.wirecall_auth_schemes(), "auth scheme")

    @cached_property
    def reporters(self) -> dict[str, type[Any]]:
        return self._named(self.pm.hook.wirecall_reporters(), "reporter")

    def endpoint(self, url: str) -> Any:
        return self.pm.hook.wirecall_endpoints(url=url)

    def commands(self) -> list[Any]:
        return [c for group in self.pm.hook.wirecall_commands() for c in group]

    def importers(self) -> list[Any]:
        return [i for group in self.pm.hook.wirecall_importers() for i in group]

    def exporters(self) -> list[Any]:
        return [e for group in self.pm.hook.wirecall_exporters() for e in group]

    def demo_servers(self) -> list[Any]:
        return [s for group in self.pm.hook.wirecall_demo_servers() for s in group]

    def infos(self) -> list[PluginInfo]:
        """Every registered plugin with what it contributes (for ``wirecall plugins``)."""
        infos = []
        for name, plugin in self.pm.list_name_plugin():
            if name == "core-defaults":
                continue
            dist, version = _name_and_version(self._dists.get(name))
            infos.append(PluginInfo(name, dist, version, _contributions(self.pm, plugin)))
        return infos

    @staticmethod
    def _named(groups: Iterable[Iterable[Any]], kind: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for group in groups:
            for obj in group:
                if obj.name in found and found[obj.name] is not obj:
                    raise PluginError(f"two plugins provide the {kind} {obj.name!r}")
                found[obj.name] = obj
        return found


def _name_and_version(
    dist: str | importlib.metadata.Distribution | None,
) -> tuple[str | None, str | None]:
    if dist is None:
        return None, None
    if isinstance(dist, str):
        return dist, importlib.metadata.version(dist)
    return dist.name, dist.version


def _contributions(pm: pluggy.PluginManager, plugin: object) -> dict[str, list[str]]:
    kinds = {
        "protocols": "wirecall_protocols",
        "auth": "wirecall_auth_schemes",
        "reporters": "wirecall_reporters",
        "commands": "wirecall_commands",
    }
    out: dict[str, list[str]] = {}
    for label, hook in kinds.items():
        impl = getattr(plugin, hook, None)
        if impl is not None:
            out[label] = [getattr(o, "name", str(o)) for o in impl()]
    return {k: v for k, v in out.items() if v}
