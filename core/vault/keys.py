"""Where the vault key comes from, in order: WIRECALL_VAULT_KEY, the OS keyring, a passphrase.

``WIRECALL_VAULT_KEY`` holds either 32 random bytes in base64 (``wirecall vault`` never needs
scrypt then) or a passphrase. Passphrases are stretched with scrypt and the file's salt.
The keyring stores a random 32-byte key per vault path; backends that cannot store anything
(keyring's ``fail`` and ``null``) count as no keyring.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from wirecall.core.errors import VaultError
from wirecall.core.record import Record, field

ENV_KEY = "WIRECALL_VAULT_KEY"
KEYRING_SERVICE = "wirecall-vault"
KEY_SIZE = 32
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~32 MiB, a fraction of a second
Prompt = Callable[[bool], str]  # confirm (new vault) -> passphrase


class VaultKey(Record, frozen=False):
    """A raw key or a passphrase; ``derive(salt)`` gives the AES-256 key for one file."""

    source: str  # "environment", "keyring" or "passphrase": shown in errors
    raw: bytes | None = None
    passphrase: str | None = None
    _derived: dict[bytes, bytes] = field(default_factory=dict, repr=False)

    def derive(self, salt: bytes) -> bytes:
        if self.raw is not None:
            return self.raw
        if salt not in self._derived:
            from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # only when a vault opens

            kdf = Scrypt(salt=salt, length=KEY_SIZE, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
            self._derived[salt] = kdf.derive((self.passphrase or "").encode())
        return self._derived[salt]


def from_text(value: str, source: str) -> VaultKey:
    """Base64 of exactly 32 bytes is a raw key; anything else is a passphrase."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) == KEY_SIZE:
        return VaultKey(source, raw=raw)
    return VaultKey(source, passphrase=value)


def keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return False
    backend = keyring.get_keyring()
    inner = getattr(backend, "backends", None)  # the chainer: usable if any backend is
    candidates = inner if inner is not None else [backend]
    return any(not isinstance(b, fail.Keyring | null.Keyring) for b in candidates)


def resolve_key(
    path: Path,
    *,
    creating: bool,
    env: Mapping[str, str] | None = None,
    prompt: Prompt | None = None,
) -> VaultKey:
    """The key for the vault at ``path``; ``creating`` allows storing a new key in the keyring."""
    env = os.environ if env is None else env
    if env.get(ENV_KEY):
        return from_text(env[ENV_KEY], "environment")
    if keyring_usable():
        key = _keyring_key(path, creating)
        if key is not None:
            return key
    if prompt is not None:
        passphrase = prompt(creating)
        if not passphrase:
            raise VaultError("an empty passphrase cannot protect the vault")
        return VaultKey("passphrase", passphrase=passphrase)
    raise VaultError(
        f"no key for vault {path}",
        hint=f"set {ENV_KEY}, use a desktop keyring, or run interactively to enter a passphrase",
    )


def _keyring_key(path: Path, creating: bool) -> VaultKey | None:
    import keyring
    from keyring.errors import KeyringError

    account = str(path.resolve())
    try:
        stored = keyring.get_password(KEYRING_SERVICE, account)
        if stored is None and creating:
            stored = base64.b64encode(os.urandom(KEY_SIZE)).decode()
            keyring.set_password(KEYRING_SERVICE, account, stored)
    except KeyringError:
        return None  # a locked or broken keyring: fall back to the passphrase
    return from_text(stored, "keyring") if stored else None
