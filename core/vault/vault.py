"""Vault: named secrets for ``{{vault:name}}``, ``pm.vault`` and ``wirecall vault``.

The file is opened lazily: a run that never reads a secret never asks for a key. Every value
read is registered with the masker, so it shows as ``********`` in every output.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wirecall.core.errors import VariableError
from wirecall.core.vault import keys, store

VAULT_FILE = "vault.bin"


def default_path(env: Mapping[str, str] | None = None) -> Path:
    """``$WIRECALL_CONFIG_DIR/vault.bin``, else ``wirecall/vault.bin`` in the XDG config dir."""
    env = os.environ if env is None else env
    if env.get("WIRECALL_CONFIG_DIR"):
        return Path(env["WIRECALL_CONFIG_DIR"]) / VAULT_FILE
    config = env.get("XDG_CONFIG_HOME") or Path(env.get("HOME") or Path.home()) / ".config"
    return Path(config) / "wirecall" / VAULT_FILE


class Vault:
    """Sync ``get/set/unset/names`` for the resolver and the CLI; ``aget/aset/aunset`` for pm.vault."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        prompt: keys.Prompt | None = None,
        masker: Any = None,
        key: keys.VaultKey | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_path(env)
        self.masker = masker
        self._env = env
        self._prompt = prompt
        self._key = key
        self._salt: bytes | None = None
        self._secrets: dict[str, str] | None = None

    # -- reading ----------------------------------------------------------------------

    def get(self, name: str) -> str | None:
        value = self._load().get(name)
        if value is not None and self.masker is not None:
            self.masker.register(value)
        return value

    def resolve(self, name: str) -> str:
        """The value for ``{{vault:name}}``; a missing secret fails naming it (never a value)."""
        value = self.get(name)
        if value is None:
            raise VariableError(
                f"vault secret {name!r} is not set", hint=f"add it with: wirecall vault set {name}"
            )
        return value

    def names(self) -> list[str]:
        return sorted(self._load())

    def items(self) -> dict[str, str]:
        """Every secret (for export); all of them are registered with the masker."""
        return {name: self.get(name) or "" for name in self.names()}

    def __contains__(self, name: object) -> bool:
        return name in self._load()

    # -- writing ----------------------------------------------------------------------

    def set(self, name: str, value: str) -> None:
        self.update({name: value})

    def update(self, secrets: Mapping[str, str]) -> None:
        data = dict(self._load(creating=True))  # the cache changes only once the file has
        data.update({str(k): str(v) for k, v in secrets.items()})
        self._save(data)

    def unset(self, name: str) -> bool:
        data = dict(self._load())
        if data.pop(name, None) is None:
            return False
        self._save(data)
        return True

    # -- pm.vault (the script bridge awaits these) ------------------------------------

    async def aget(self, name: str) -> str | None:
        return self.get(name)

    async def aset(self, name: str, value: str) -> None:
        self.set(name, value)

    async def aunset(self, name: str) -> None:
        self.unset(name)

    # -- file -------------------------------------------------------------------------

    def key(self, *, creating: bool = False) -> keys.VaultKey:
        if self._key is None:
            self._key = keys.resolve_key(
                self.path, creating=creating, env=self._env, prompt=self._prompt
            )
        return self._key

    def _load(self, *, creating: bool = False) -> dict[str, str]:
        if self._secrets is None:
            blob = store.read(self.path)
            if blob is None:
                if creating:
                    self.key(creating=True)
                self._secrets, self._salt = {}, store.new_salt()
            else:
                self._secrets = store.decrypt(blob, self.key().derive, self.path)
                self._salt = store.salt_of(blob)
        return self._secrets

    def _save(self, data: dict[str, str]) -> None:
        assert self._salt is not None
        blob = store.encrypt(data, self.key(creating=True).derive, self._salt)
        store.write_atomic(self.path, blob)
        self._secrets = data
