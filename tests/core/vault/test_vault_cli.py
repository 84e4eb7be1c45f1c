"""``wirecall vault``: set/get/list/rm/import/export, masking by default, exit 2 on a bad vault."""

import json
import stat

import pytest
from click.testing import CliRunner
from wirecall.cli.vault import vault


@pytest.fixture
def cli(tmp_path, raw_key):
    runner = CliRunner()
    env = {"WIRECALL_CONFIG_DIR": str(tmp_path / "cfg"), "WIRECALL_VAULT_KEY": raw_key}

    def run(*args: str, input: str | None = None, key: str | None = None):
        return runner.invoke(
            vault,
            list(args),
            input=input,
            env={**env, **({"WIRECALL_VAULT_KEY": key} if key else {})},
        )

    run.path = tmp_path / "cfg" / "vault.bin"
    return run


def test_set_get_list_rm(cli):
    assert cli("set", "api_key", "k-123456").exit_code == 0
    assert cli("set", "db_password", input="from-stdin-pw\n").exit_code == 0
    got = cli("get", "db_password")
    assert got.exit_code == 0 and got.output == "********\n"
    assert cli("get", "db_password", "--reveal").output == "from-stdin-pw\n"
    assert cli("list").output == "api_key\ndb_password\n"
    assert cli("rm", "api_key").exit_code == 0
    assert cli("list").output == "db_password\n"
    missing = cli("get", "api_key")
    assert missing.exit_code == 1 and "vault secret 'api_key' is not set" in missing.output


def test_a_value_from_stdin_is_never_echoed(cli):
    result = cli("set", "token", input="sup3r-s3cret\n")
    assert "sup3r-s3cret" not in result.output


def test_wrong_key_exits_2_and_leaves_the_vault_alone(cli):
    cli("set", "a", "value-a")
    before = cli.path.read_bytes()
    result = cli("set", "b", "value-b", key="wrong passphrase")
    assert result.exit_code == 2
    assert "wrong key for vault" in result.output
    assert cli.path.read_bytes() == before


def test_corrupt_file_exits_2(cli):
    cli("set", "a", "value-a")
    cli.path.write_bytes(cli.path.read_bytes()[:-3])
    result = cli("list")
    assert result.exit_code == 2 and "was modified or truncated" in result.output


def test_import_postman_environment_and_flat_object(cli, tmp_path):
    env_file = tmp_path / "dev.postman_environment.json"
    env_file.write_text(
        json.dumps(
            {
                "name": "dev",
                "values": [
                    {"key": "token", "value": "t-1", "type": "secret", "enabled": True},
                    {"key": "off", "value": "x", "enabled": False},
                ],
            }
        )
    )
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({"port": 5432, "user": "app"}))
    assert cli("import", str(env_file)).exit_code == 0
    assert cli("import", str(flat)).exit_code == 0
    assert cli("list").output.split() == ["port", "token", "user"]
    assert cli("get", "port", "--reveal").output == "5432\n"


def test_import_rejects_other_json(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nested": {"a": 1}}')
    result = cli("import", str(bad))
    assert result.exit_code == 2 and "expected a Postman environment" in result.output


def test_export_is_encrypted_unless_plaintext_is_asked(cli, tmp_path):
    cli("set", "token", "t-export-1")
    encrypted, plain = tmp_path / "backup.bin", tmp_path / "plain.json"
    assert cli("export", str(encrypted)).exit_code == 0
    assert b"t-export-1" not in encrypted.read_bytes()
    assert cli("export", str(plain), "--plaintext").exit_code == 0
    assert json.loads(plain.read_text()) == {"token": "t-export-1"}
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
    cli("rm", "token")
    assert cli("import", str(encrypted)).exit_code == 0
    assert cli("get", "token", "--reveal").output == "t-export-1\n"


def test_through_wirecall_main_with_an_injected_environment(tmp_path, raw_key):
    import io

    from wirecall.cli.env import Environment
    from wirecall.cli.main import main
    from wirecall.core.plugins import PluginHost

    def run(*argv: str, key: str = raw_key, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
            stdout_isatty=False,
            config_dir=tmp_path,
            env={"WIRECALL_VAULT_KEY": key},
            host_factory=lambda: PluginHost(load_entry_points=False),  # core only: no plugin needed
        )
        return main(list(argv), env), out.getvalue(), err.getvalue()

    assert run("vault", "set", "token", stdin="from-injected-stdin\n")[0] == 0
    assert (tmp_path / "vault.bin").exists()
    assert run("vault", "get", "token", "--reveal")[1] == "from-injected-stdin\n"
    code, _, err = run("vault", "get", "nope")
    assert (code, err) == (1, "error: vault secret 'nope' is not set\n")
    code, _, err = run("vault", "list", key="a wrong passphrase")
    assert code == 2 and err.startswith("error: wrong key for vault")
