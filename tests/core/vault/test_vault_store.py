"""The encrypted store: round trips, refusal of tampered/truncated files, atomic writes, mode."""

import os
import stat
import subprocess
import sys
import textwrap

import pytest
from wirecall.core.errors import VariableError, VaultError
from wirecall.core.masking import Masker
from wirecall.core.variables import Variables
from wirecall.core.vault import Vault, default_path, store


def make(path, key, **kw) -> Vault:
    return Vault(path, env={"WIRECALL_VAULT_KEY": key}, **kw)


def test_round_trip_across_instances_with_a_raw_key_and_a_passphrase(tmp_path, raw_key):
    for key in (raw_key, "correct horse battery staple"):
        path = tmp_path / f"{len(key)}.bin"
        make(path, key).set("api_token", "t0ps3cret")
        make(path, key).set("other", "x y z")
        reopened = make(path, key)
        assert reopened.names() == ["api_token", "other"]
        assert reopened.get("api_token") == "t0ps3cret"
        assert reopened.unset("other") is True and reopened.unset("missing") is False
        assert make(path, key).names() == ["api_token"]
        assert b"t0ps3cret" not in path.read_bytes()


def test_file_is_private_and_starts_with_the_format_header(tmp_path, raw_key):
    path = tmp_path / "cfg" / "vault.bin"
    make(path, raw_key).set("a", "b")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(store.MAGIC + bytes([store.VERSION]))


def test_wrong_key_is_refused_and_the_file_left_untouched(tmp_path, raw_key):
    path = tmp_path / "vault.bin"
    make(path, raw_key).set("a", "secret-a")
    before = path.read_bytes()
    with pytest.raises(VaultError, match=r"wrong key for vault .*vault.bin"):
        make(path, "not the passphrase").set("b", "c")
    assert path.read_bytes() == before


@pytest.mark.parametrize("offset", [-1, -20, store.HEADER_SIZE, store.HEADER_SIZE - 1])
def test_a_tampered_byte_is_refused(tmp_path, raw_key, offset):
    path = tmp_path / "vault.bin"
    make(path, raw_key).set("a", "secret-a")
    blob = bytearray(path.read_bytes())
    blob[offset] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(VaultError, match="modified or truncated"):
        make(path, raw_key).get("a")


def test_a_truncated_file_is_never_half_read(tmp_path, raw_key):
    path = tmp_path / "vault.bin"
    make(path, raw_key).set("a", "secret-a" * 50)
    full = path.read_bytes()
    for size in (0, 5, store.HEADER_SIZE, store.HEADER_SIZE + 10, len(full) - 1):
        path.write_bytes(full[:size])
        with pytest.raises(VaultError):
            make(path, raw_key).names()


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, raw_key, monkeypatch):
    path = tmp_path / "vault.bin"
    make(path, raw_key).set("a", "old")

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(VaultError, match="cannot write vault .*No space left on device"):
        make(path, raw_key).set("a", "new")
    monkeypatch.undo()
    assert make(path, raw_key).get("a") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.bin"]


WRITER = textwrap.dedent("""
    import sys
    from wirecall.core.vault import Vault
    vault = Vault(sys.argv[1])
    i = 0
    while True:
        i += 1
        vault.set("big", f"{i}:" + "x" * 200_000)
        print("wrote", i, flush=True)
""")


def test_killing_the_writer_mid_write_leaves_old_or_new_content(tmp_path, raw_key):
    path = tmp_path / "vault.bin"
    env = {**os.environ, "WIRECALL_VAULT_KEY": raw_key}
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    ) as writer:
        assert writer.stdout is not None
        for line in writer.stdout:
            if line.strip() == "wrote 3":
                break
        writer.kill()  # SIGKILL: no cleanup runs; it is busy writing version 4 or later
        writer.wait()
        writer.stdout.close()
    version, _, payload = (make(path, raw_key).get("big") or "").partition(":")
    assert int(version) >= 3 and payload == "x" * 200_000


def test_every_value_read_is_masked(tmp_path, raw_key):
    masker = Masker()
    path = tmp_path / "vault.bin"
    make(path, raw_key).set("db_password", "hunter2-hunter2")
    vault = make(path, raw_key, masker=masker)
    variables = Variables(vault=vault)
    line = variables.resolve("postgres://app:{{vault:db_password}}@db/app")
    assert line == "postgres://app:hunter2-hunter2@db/app"
    assert masker.mask(line) == "postgres://app:********@db/app"


def test_a_missing_secret_is_named_not_valued(tmp_path, raw_key):
    vault = make(tmp_path / "vault.bin", raw_key)
    with pytest.raises(VariableError, match="vault secret 'nope' is not set"):
        vault.resolve("nope")


def test_no_vault_file_needs_no_key(tmp_path):
    vault = Vault(tmp_path / "absent.bin", env={})
    assert vault.get("x") is None and vault.names() == []


async def test_pm_vault_async_methods(tmp_path, raw_key):
    vault = make(tmp_path / "vault.bin", raw_key)
    await vault.aset("k", "v1")
    assert await vault.aget("k") == "v1"
    await vault.aunset("k")
    assert await vault.aget("k") is None


def test_default_path_follows_the_config_dir(tmp_path):
    assert default_path({"WIRECALL_CONFIG_DIR": str(tmp_path)}) == tmp_path / "vault.bin"
    assert default_path({"HOME": "/home/u"}).as_posix() == "/home/u/.config/wirecall/vault.bin"
    assert default_path({"XDG_CONFIG_HOME": "/x"}).as_posix() == "/x/wirecall/vault.bin"
