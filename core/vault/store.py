"""The vault file: AES-256-GCM over a JSON object, written atomically with mode 0600.

Layout (version 1), all of the header authenticated as associated data::

    b"WCVAULT" | version (1 byte) | salt (16) | key check (16) | nonce (12) | ciphertext + tag

The salt feeds scrypt when the key is a passphrase. The key check (an HMAC of a constant
under the key) tells "wrong key" apart from "file modified"; GCM's tag refuses any change.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from wirecall.core.errors import VaultError

MAGIC = b"WCVAULT"
VERSION = 1
SALT_SIZE, CHECK_SIZE, NONCE_SIZE, TAG_SIZE = 16, 16, 12, 16
HEADER_SIZE = len(MAGIC) + 1 + SALT_SIZE + CHECK_SIZE + NONCE_SIZE
Derive = Callable[[bytes], bytes]  # salt -> 32-byte key


def key_check(key: bytes) -> bytes:
    return hmac.new(key, b"wirecall vault key check", hashlib.sha256).digest()[:CHECK_SIZE]


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)


def salt_of(blob: bytes) -> bytes:
    return blob[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_SIZE]


def encrypt(secrets: dict[str, str], derive: Derive, salt: bytes) -> bytes:
    key = derive(salt)
    nonce = os.urandom(NONCE_SIZE)
    header = MAGIC + bytes([VERSION]) + salt + key_check(key) + nonce
    plaintext = json.dumps(secrets, sort_keys=True).encode()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # only when a vault is used

    return header + AESGCM(key).encrypt(nonce, plaintext, header)


def decrypt(blob: bytes, derive: Derive, path: Path | str = "vault") -> dict[str, str]:
    """The secrets in ``blob``; VaultError for a foreign, truncated, modified or wrong-key file."""
    if not blob.startswith(MAGIC):
        raise VaultError(f"{path} is not a wirecall vault file")
    if len(blob) < HEADER_SIZE + TAG_SIZE:
        raise VaultError(f"vault file {path} is truncated", hint="restore it from a backup")
    if blob[len(MAGIC)] != VERSION:
        raise VaultError(
            f"vault file {path} has format version {blob[len(MAGIC)]}, this wirecall reads {VERSION}"
        )
    header, ciphertext = blob[:HEADER_SIZE], blob[HEADER_SIZE:]
    check_start = len(MAGIC) + 1 + SALT_SIZE
    key = derive(salt_of(blob))
    if not hmac.compare_digest(key_check(key), header[check_start : check_start + CHECK_SIZE]):
        raise VaultError(
            f"wrong key for vault {path}", hint="check WIRECALL_VAULT_KEY or the passphrase"
        )
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plaintext = AESGCM(key).decrypt(header[-NONCE_SIZE:], ciphertext, header)
    except InvalidTag:
        raise VaultError(
            f"vault file {path} was modified or truncated; refusing to read it",
            hint="restore it from a backup",
        ) from None
    data = json.loads(plaintext)
    if not isinstance(data, dict):
        raise VaultError(f"vault file {path} does not hold an object of secrets")
    return {str(k): str(v) for k, v in data.items()}


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VaultError(f"cannot read vault {path}: {exc.strerror}") from exc


def write_atomic(path: Path, blob: bytes) -> None:
    """Replace ``path`` with ``blob``: temp file in the same directory, fsync, rename, fsync dir.

    A crash at any point leaves either the old file or the new one, never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates the file with mode 0600
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise VaultError(f"cannot write vault {path}: {exc.strerror or exc}") from exc
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
