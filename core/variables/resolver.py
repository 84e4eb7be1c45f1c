"""``{{name}}`` substitution over the scope chain, as postman-collection's Substitutor does."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wirecall.core.errors import VariableError
from wirecall.core.variables import dynamic
from wirecall.core.variables.scopes import VariableScope

TOKEN = re.compile(r"{{([^{}]*?)}}")
MAX_PASSES = 19  # Postman's cap on nested resolution
VAULT_PREFIX = "vault:"


def _text(value: Any) -> str:
    """How Postman turns a variable's value into text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "[object Object]" if isinstance(value, dict) else ",".join(_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Variables:
    """The five scopes, highest precedence first: local > data > environment > collection > globals.

    ``vault`` is any object with ``get(name) -> str | None`` (the encrypted vault); values read
    through ``{{vault:name}}`` are handed to ``on_secret`` so outputs can mask them. With a
    vault, a reference to a secret it does not hold raises VariableError (the item fails
    naming the secret); without one, ``{{vault:name}}`` stays as written like any unknown name.
    """

    def __init__(
        self,
        *,
        globals: VariableScope | None = None,
        collection: VariableScope | None = None,
        environment: VariableScope | None = None,
        data: VariableScope | None = None,
        local: VariableScope | None = None,
        vault: Any = None,
        on_secret: Callable[[str], None] = lambda secret: None,
    ) -> None:
        self.globals = globals or VariableScope("globals")
        self.collection = collection or VariableScope("collection")
        self.environment = environment or VariableScope("environment")
        self.data = data or VariableScope("data")
        self.local = local or VariableScope("local")
        self.vault = vault
        self.on_secret = on_secret
        self.warnings: list[str] = []

    def scopes(self) -> list[VariableScope]:
        """Highest precedence first (SCOPE_ORDER)."""
        return [self.local, self.data, self.environment, self.collection, self.globals]

    def get(self, key: str, default: Any = None) -> Any:
        for scope in self.scopes():
            values = scope.to_object()
            if key in values:
                return values[key]
        return default

    def has(self, key: str) -> bool:
        return any(scope.has(key) for scope in self.scopes())

    def to_object(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for scope in reversed(self.scopes()):
            merged.update(scope.to_object())
        return merged

    def secrets(self) -> list[Any]:
        return [s for scope in self.scopes() for s in scope.secrets()]

    def resolve(self, text: str) -> str:
        """Substitute ``{{name}}`` tokens, nested up to Postman's 19 passes.

        Unknown names stay as written and are remembered in ``warnings``; a missing vault
        secret raises VariableError.
        """
        if "{{" not in text:
            return text
        unresolved: set[str] = set()
        for _ in range(MAX_PASSES):
            replaced = TOKEN.sub(lambda m: self._lookup(m, unresolved), text)
            if replaced == text:
                break
            text = replaced
            if "{{" not in text:
                break  # nothing left to substitute: spare the pass that would find so
        for name in sorted(unresolved):
            if name not in self.warnings:
                self.warnings.append(name)
        return text

    def resolve_tree(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string resolved (keys included).

        Every request is resolved whole before it is sent, so the walk tests exact types
        first (JSON trees hold plain ones) and skips strings without a token.
        """
        kind = type(value)
        if kind is str:
            return self.resolve(value) if "{{" in value else value
        if kind is dict or isinstance(value, dict):
            return {
                (self.resolve(k) if "{{" in k else k): self.resolve_tree(v)
                for k, v in value.items()
            }
        if kind is list or isinstance(value, list):
            return [self.resolve_tree(v) for v in value]
        if isinstance(value, str):
            return self.resolve(value)
        return value

    def _lookup(self, match: re.Match[str], unresolved: set[str]) -> str:
        name = match.group(1)
        for scope in self.scopes():
            values = scope.to_object()
            if name in values:
                return _text(values[name])
        if name.startswith(VAULT_PREFIX) and self.vault is not None:
            return self._vault_secret(name[len(VAULT_PREFIX) :])
        generated = dynamic.generate(name)
        if generated is not None:
            return generated
        unresolved.add(name)
        return match.group(0)

    def _vault_secret(self, name: str) -> str:
        secret = self.vault.get(name)
        if secret is None:
            raise VariableError(
                f"vault secret {name!r} is not set", hint=f"add it with: wirecall vault set {name}"
            )
        self.on_secret(secret)
        return str(secret)
