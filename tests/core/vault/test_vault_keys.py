"""Key sources: WIRECALL_VAULT_KEY, a usable OS keyring, a passphrase prompt, or a clear error."""

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from wirecall.core.errors import VaultError
from wirecall.core.vault import Vault
from wirecall.core.vault.keys import KEYRING_SERVICE, from_text, keyring_usable, resolve_key


class MemoryKeyring(KeyringBackend):
    """A real keyring backend (keyring's plugin API) that keeps passwords in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


def test_base64_of_32_bytes_is_a_raw_key_anything_else_a_passphrase(raw_key):
    assert from_text(raw_key, "environment").raw is not None
    assert from_text("short words", "environment").passphrase == "short words"


def test_null_and_fail_backends_are_not_a_keyring():
    assert not keyring_usable()
    keyring.set_keyring(fail.Keyring())
    assert not keyring_usable()
    keyring.set_keyring(MemoryKeyring())
    assert keyring_usable()


def test_the_keyring_holds_a_generated_key_for_a_new_vault(tmp_path):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    path = tmp_path / "vault.bin"
    Vault(path, env={}).set("a", "b")
    ((service, account),) = backend.passwords
    assert service == KEYRING_SERVICE and account == str(path.resolve())
    assert Vault(path, env={}).get("a") == "b"


def test_the_environment_wins_over_the_keyring(tmp_path, raw_key):
    keyring.set_keyring(MemoryKeyring())
    assert (
        resolve_key(tmp_path / "v.bin", creating=True, env={"WIRECALL_VAULT_KEY": raw_key}).source
        == "environment"
    )


def test_without_env_or_keyring_the_prompt_is_asked_and_confirms_for_a_new_vault(tmp_path):
    asked = []

    def prompt(creating: bool) -> str:
        asked.append(creating)
        return "a long passphrase"

    path = tmp_path / "vault.bin"
    Vault(path, env={}, prompt=prompt).set("a", "b")
    assert Vault(path, env={}, prompt=prompt).get("a") == "b"
    assert asked == [True, False]


def test_no_key_source_at_all_is_a_clear_error(tmp_path):
    with pytest.raises(VaultError, match="no key for vault .* \\(set WIRECALL_VAULT_KEY"):
        Vault(tmp_path / "vault.bin", env={}).set("a", "b")
