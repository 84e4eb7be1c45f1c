"""``wirecall run --settings``: the HTTP plugin presents the per-host certificate."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import run_cli

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
KEY = {"WIRECALL_VAULT_KEY": "a passphrase for the test vault"}






def wirecall(config: Path, *argv: str) -> tuple[int, str, str]:
    result = run_cli(*argv, config_dir=config, env=KEY, plugins=("http",))
    return result.code, result.out, result.err


def collection(tmp_path: Path, url: str) -> str:
    test = 'pm.test("client", () => pm.expect(pm.response.json().client).to.eql("alice-client"));'
    path = tmp_path / "collection.json"
    path.write_text(json.dumps({
        "info": {"name": "mtls", "schema": SCHEMA},
        "item": [{
            "name": "whoami",
            "request": {"method": "GET", "url": f"{url}/whoami"},
            "event": [{"listen": "test", "script": {"exec": [test]}}],
        }],
    }))  # fmt: skip
    return str(path)


def settings(folder: Path, pki, **entry: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.json"
    path.write_text(
        json.dumps({"certificates": [{"host": "127.0.0.1", "ca": str(pki.server_ca), **entry}]})
    )
    return path


def test_the_settings_file_in_the_config_dir_gives_the_client_certificate(
    tmp_path, mtls_server, pki
):
    config = tmp_path / "config"
    assert wirecall(config, "vault", "set", "client_key", pki.pem_passphrase)[0] == 0
    settings(config, pki, cert=str(pki.client_cert), key=str(pki.client_key),
             passphrase="{{vault:client_key}}")  # fmt: skip
    code, out, err = wirecall(config, "run", collection(tmp_path, mtls_server))
    assert code == 0, out + err
    assert "✓  client" in out


def test_without_the_certificate_the_item_fails(tmp_path, mtls_server, pki):
    path = settings(tmp_path / "elsewhere", pki)  # the CA only
    code, out, _err = wirecall(tmp_path / "config", "run", collection(tmp_path, mtls_server),
                              "--settings", str(path))  # fmt: skip
    assert code == 1
    assert "[errored]" in out  # the server hung up: no client certificate


def test_a_bad_settings_file_stops_before_the_run(tmp_path, mtls_server, pki):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"certificates": [{"host": "127.0.0.1", "crt": "client.pem"}]}))
    code, _out, err = wirecall(
        tmp_path, "run", collection(tmp_path, mtls_server), "--settings", str(path)
    )
    assert code == 2
    assert err == (
        f"error: {path} at $.certificates[0].crt: unknown key; "
        "expected one of host, cert, key, pfx, passphrase, ca\n"
    )
