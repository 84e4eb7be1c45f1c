"""Postman Collection v2.0/v2.1: a thin tree over the original JSON, saved back losslessly.

Nodes wrap the JSON objects they were read from and never copy them, so unknown keys,
key order and formatting choices survive a load/save round trip. What the runner needs
(scripts in order, inherited auth, folder selection) is computed from the tree on demand.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from wirecall.core.errors import CollectionError, Location, UsageError
from wirecall.core.ids import new_uuid
from wirecall.core.model.jsonfile import read_json
from wirecall.core.scripts.base import Script, ScriptEvent
from wirecall.core.variables import VariableScope

_SCRIPT_EVENTS = get_args(ScriptEvent)  # the events a run asks for
SCHEMA_VERSIONS = {
    "v2.0.0": "2.0",
    "v2.1.0": "2.1",
}


class Node:
    """A collection, folder or item: its JSON object, its parent and its place in the file."""

    kind = "node"

    def __init__(self, raw: dict[str, Any], parent: Folder | None, at: Location) -> None:
        self.raw = raw
        self.parent = parent
        self.at = at
        self.id: str = str(raw.get("id") or raw.get("_postman_id") or new_uuid())
        self.variables = VariableScope.from_postman("collection", _list(raw, "variable", at))
        self._own_scripts: dict[str, list[Script]] | None = None  # by event, once asked

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    def ancestors(self) -> list[Node]:
        """This node's ancestors, outermost (the collection) first."""
        chain: list[Node] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def own_scripts(self, event: ScriptEvent) -> list[Script]:
        """The node's own scripts of ``event``. Found once for all events (a collection's
        or folder's are every item's; each item is asked for three events); do not modify."""
        if self._own_scripts is None:
            self._own_scripts = {}
            for i, ev in enumerate(_list(self.raw, "event", self.at)):
                listen = ev.get("listen") if isinstance(ev, dict) else None
                if listen not in _SCRIPT_EVENTS or ev.get("disabled"):
                    continue  # an event no run asks for (or no event at all) is left as it is
                script = ev.get("script") or {}
                exec_ = script.get("exec", "") if isinstance(script, dict) else script
                source = "\n".join(exec_) if isinstance(exec_, list) else str(exec_ or "")
                if source.strip():
                    found = Script(source, listen, self.where(), ev.get("id") or f"{self.id}:{i}")
                    self._own_scripts.setdefault(listen, []).append(found)
        return self._own_scripts.get(event, [])

    def where(self) -> str:
        return f"{self.kind} {self.name!r}" if self.kind != "collection" else "collection"


class Folder(Node):
    kind = "folder"

    def __init__(self, raw: dict[str, Any], parent: Folder | None, at: Location) -> None:
        super().__init__(raw, parent, at)
        self.children: list[Node] = []
        for i, child in enumerate(_list(raw, "item", at)):
            child_at = at.child("item").child(i)
            if not isinstance(child, dict):
                raise CollectionError("expected an item or folder object", child_at)
            if "item" in child:
                self.children.append(Folder(child, self, child_at))
            elif "request" in child:
                self.children.append(Item(child, self, child_at))
            else:
                raise CollectionError('expected "request" (an item) or "item" (a folder)', child_at)

    def walk(self) -> Iterator[Item]:
        """Items depth-first in array order, as Newman runs them."""
        for child in self.children:
            if isinstance(child, Folder):
                yield from child.walk()
            elif isinstance(child, Item):
                yield child

    def folders(self) -> Iterator[Folder]:
        for child in self.children:
            if isinstance(child, Folder):
                yield child
                yield from child.folders()


class Item(Node):
    kind = "item"

    def __init__(self, raw: dict[str, Any], parent: Folder | None, at: Location) -> None:
        super().__init__(raw, parent, at)
        if not isinstance(raw["request"], str | dict):
            raise CollectionError(
                "expected the request to be an object or a URL string", at.child("request")
            )
        self._scripts: dict[str, list[Script]] = {}
        self._location: list[str] | None = None

    @property
    def request(self) -> dict[str, Any]:
        """The request object (a bare-URL request is presented as ``{"url": ..., "method": "GET"}``)."""
        request = self.raw["request"]
        return {"url": request, "method": "GET"} if isinstance(request, str) else request

    @property
    def protocol(self) -> str:
        return str(self.raw.get("protocol", "http"))

    def scripts(self, event: ScriptEvent) -> list[Script]:
        """Scripts of ``event`` in run order: collection, folders (outermost first), item.
        Found once per item and event (every iteration asks again); do not modify."""
        found = self._scripts.get(event)
        if found is None:
            nodes = (*self.ancestors(), self)
            found = self._scripts[event] = [s for node in nodes for s in node.own_scripts(event)]
        return found

    def auth_chain(self) -> list[dict[str, Any] | None]:
        """Auth blocks from the closest (the request's) out to the collection's; None where absent.

        ``wirecall.core.auth.inherit.effective_auth`` applies Postman's inherit/noauth rules to it.
        """
        request = self.raw["request"]
        chain = [request.get("auth") if isinstance(request, dict) else None]
        return chain + [node.raw.get("auth") for node in reversed(self.ancestors())]

    def protocol_profile_behavior(self) -> dict[str, Any]:
        """protocolProfileBehavior merged down the tree; the closest setting wins."""
        merged: dict[str, Any] = {}
        for node in (*self.ancestors(), self):
            merged.update(node.raw.get("protocolProfileBehavior") or {})
        return merged

    def location(self) -> list[str]:
        """Folder names from the outermost, then the item's name (pm.execution.location).
        Found once (every script of the item asks, a message script per message)."""
        if self._location is None:
            self._location = [node.name for node in self.ancestors()[1:]] + [self.name]
        return list(self._location)

    def request_at(self) -> Location:
        return self.at.child("request")


class Collection(Folder):
    kind = "collection"

    def __init__(self, raw: dict[str, Any], source: str | None = None) -> None:
        root = Location(source)
        info = raw.get("info")
        if not isinstance(info, dict):
            raise CollectionError(
                'expected an "info" object with "name" and "schema"', root.child("info")
            )
        self.schema_version = _schema_version(
            info.get("schema"), root.child("info").child("schema")
        )
        if not isinstance(raw.get("item"), list):
            raise CollectionError(
                'expected "item" to be a list of items and folders', root.child("item")
            )
        self.source = source
        super().__init__(raw, None, root)

    @property
    def name(self) -> str:
        return str(self.raw["info"].get("name", ""))

    def items_in_order(self, folders: list[str]) -> list[Item]:
        """Items to run: all, or those under the named folders (or named items), in order."""
        if not folders:
            return list(self.walk())
        chosen: list[Item] = []
        for wanted in folders:
            match = next((f for f in self.folders() if wanted in (f.name, f.id)), None)
            if match is not None:
                chosen.extend(match.walk())
                continue
            item = self.find_item(wanted)
            if item is None:
                raise UsageError(
                    f"--folder {wanted!r}: no folder or item of that name in the collection"
                )
            chosen.append(item)
        return chosen

    def has_scripts(self, folders: list[str] | None = None) -> bool:
        """Whether a run of the items under ``folders`` (all: none named) has a script to run:
        its own or an ancestor's (the run then needs V8). An unknown folder has none: the run
        reports it."""
        if folders:
            try:
                items = self.items_in_order(folders)
            except UsageError:
                return False
            return any(item.scripts(event) for item in items for event in get_args(ScriptEvent))
        nodes = itertools.chain((self,), self.folders(), self.walk())
        return any(
            node.own_scripts(event)
            for node in nodes
            if node.raw.get("event")
            for event in get_args(ScriptEvent)
        )

    def find_item(self, name_or_id: str) -> Item | None:
        """The item for setNextRequest: id first, then name (Postman's order)."""
        items = list(self.walk())
        return next((i for i in items if i.id == name_or_id), None) or next(
            (i for i in items if i.name == name_or_id), None
        )

    def to_json(self) -> dict[str, Any]:
        return self.raw


def load_collection(path: str | Path) -> Collection:
    raw = read_json(path, CollectionError, "collection")
    if not isinstance(raw, dict):
        raise CollectionError("expected a Postman collection object", Location(str(path)))
    if "collection" in raw and isinstance(raw["collection"], dict) and "info" not in raw:
        raw = raw["collection"]  # the Postman API's export wraps the collection
    return Collection(raw, str(path))


def _schema_version(schema: Any, at: Location) -> str:
    if not isinstance(schema, str):
        raise CollectionError("expected the schema URL of Collection v2.0.0 or v2.1.0", at)
    for marker, version in SCHEMA_VERSIONS.items():
        if f"/{marker}/" in schema:
            return version
    raise CollectionError(
        f"unsupported collection schema {schema!r}; expected Collection v2.0.0 or v2.1.0", at
    )


def _list(raw: dict[str, Any], key: str, at: Location) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise CollectionError(f'expected "{key}" to be a list', at.child(key))
    return value
