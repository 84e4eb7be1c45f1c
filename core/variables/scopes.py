"""Variable scopes with Postman's semantics, and the precedence chain over them."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
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

    def _active(self) -> Iterator[dict[str, Any]]:
        return (e for e in reversed(self.entries) if "key" in e and self._enabled(e))

    def has(self, key: str) -> bool:
        return any(e["key"] == key for e in self._active())

    def get(self, key: str, default: Any = None) -> Any:
        return next((e.get("value") for e in self._active() if e["key"] == key), default)

    def set(self, key: str, value: Any, type_: str | None = None) -> None:
        entry = next((e for e in self._active() if e["key"] == key), None)
        if entry is None:
            entry = {"key": key}
            self.entries.append(entry)
        entry["value"] = value
        if type_:
            entry["type"] = type_

    def unset(self, key: str) -> None:
        self.entries[:] = [e for e in self.entries if not (e.get("key") == key and self._enabled(e))]

    def clear(self) -> None:
        self.entries.clear()

    def is_secret(self, key: str) -> bool:
        return any(e["key"] == key and e.get("type") == "secret" for e in self._active())

    def secrets(self) -> list[Any]:
        return [e.get("value") for e in self._active() if e.get("type") == "secret"]

    def to_object(self) -> dict[str, Any]:
        return {e["key"]: e.get("value") for e in self.entries if "key" in e and self._enabled(e)}

    def __repr__(self) -> str:
        return f"VariableScope({self.name!r}, {len(self.entries)} entries)"
