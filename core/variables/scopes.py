"""Variable scopes with Postman's semantics, and the precedence chain over them."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

SCOPE_ORDER = ("local", "data", "environment", "collection", "globals")  # highest first


class VariableScope:
    """One scope (globals, collection, environment, data or local).

    Entries keep their Postman form (``{"key", "value", "type", "enabled"|"disabled"}``) so a
    scope loaded from a file is written back with every field it had. ``get`` sees only
    enabled entries; when a key repeats, the last enabled one wins (Postman's rule).
    """

    def __init__(
        self,
        name: str,
        values: Mapping[str, Any] | None = None,
        *,
        label: str | None = None,
        entries: list[dict[str, Any]] | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.entries: list[dict[str, Any]] = entries if entries is not None else []
        self.version = 0  # bumped on every change: lets callers reuse what they derived
        self._by_key: dict[str, dict[str, Any]] | None = None  # key -> its active entry
        self._values: dict[str, Any] | None = None
        self._secrets: list[Any] | None = None
        for key, value in (values or {}).items():
            self.set(key, value)

    @classmethod
    def from_postman(
        cls, name: str, entries: list[dict[str, Any]], *, label: str | None = None
    ) -> VariableScope:
        """A scope over Postman ``values``/``variable`` entries (kept, not copied)."""
        return cls(name, label=label, entries=entries)

    def to_postman(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.entries)

    @staticmethod
    def _enabled(entry: Mapping[str, Any]) -> bool:
        return entry.get("enabled", True) is not False and not entry.get("disabled", False)

    def _active(self) -> dict[str, dict[str, Any]]:
        """Each key's active entry (the last enabled one), built once per change: every
        ``{{name}}`` of every request and every script's input reads scopes."""
        if self._by_key is None:
            self._by_key = {e["key"]: e for e in self.entries if "key" in e and self._enabled(e)}
        return self._by_key

    def _changed(self, *, keys: bool) -> None:
        self.version += 1
        self._values = None
        self._secrets = None
        if keys:
            self._by_key = None

    def has(self, key: str) -> bool:
        return key in self._active()

    def get(self, key: str, default: Any = None) -> Any:
        entry = self._active().get(key)
        return default if entry is None else entry.get("value")

    def set(self, key: str, value: Any, type_: str | None = None) -> None:
        entry = self._active().get(key)
        new = entry is None
        if entry is None:
            entry = {"key": key}
            self.entries.append(entry)
        entry["value"] = value
        if type_:
            entry["type"] = type_
        self._changed(keys=new)

    def unset(self, key: str) -> None:
        self.entries[:] = [
            e for e in self.entries if not (e.get("key") == key and self._enabled(e))
        ]
        self._changed(keys=True)

    def clear(self) -> None:
        self.entries.clear()
        self._changed(keys=True)

    def is_secret(self, key: str) -> bool:
        entry = self._active().get(key)
        return entry is not None and entry.get("type") == "secret"

    def secrets(self) -> list[Any]:
        """Values of ``secret`` entries (shared until the next change: do not modify it);
        asked after every script, to mask what it may have made secret."""
        if self._secrets is None:
            active = self._active().values()
            self._secrets = [e.get("value") for e in active if e.get("type") == "secret"]
        return self._secrets

    def to_object(self) -> dict[str, Any]:
        """The active values by key (shared until the next change: do not modify it)."""
        if self._values is None:
            self._values = {key: e.get("value") for key, e in self._active().items()}
        return self._values

    def __repr__(self) -> str:
        return f"VariableScope({self.name!r}, {len(self.entries)} entries)"
