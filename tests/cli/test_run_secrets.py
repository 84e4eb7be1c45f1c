"""``wirecall run`` with secrets from every source: none may show in any output of the run.

The collection runs against the echo server, which sends every header, query parameter and
body back, so each secret also comes back in response bodies. Then stdout, stderr, the JSON
and JUnit reports and the exported environment are searched for each secret (as written,
URL-encoded, JSON-escaped, base64 in a Basic header, and inside the JSON report's byte arrays).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wirecall.core.masking import encoded_forms

from tests.clirun import CliResult, run_cli

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

ENV_SECRET = 'env-secret "quoted"/1+1'  # a Postman "type": "secret" environment variable
VAULT_SECRET = "vault pass/é-42"  # in the vault, used in a query string and a JSON body
SCRIPT_SECRET = "read-by-pm.vault-9"  # in the vault, read only by a script
SET_SECRET = "set-by-a-script-31"  # a script puts it into a secret variable
BASIC_PASSWORD = "basic-pw-0192"
BEARER_TOKEN = "bearer-tok-ABCDEF"
API_KEY = "apikey-val-777"
CLIENT_SECRET = "s3cret"  # the auth test server's OAuth2 client secret, kept in the vault
SECRETS = [
    ENV_SECRET, VAULT_SECRET, SCRIPT_SECRET, SET_SECRET, BASIC_PASSWORD, BEARER_TOKEN, API_KEY,
    CLIENT_SECRET,
]  # fmt: skip


KEY = "correct horse battery staple"


def wirecall(config: Path, *argv: str, key: str = KEY) -> CliResult:
    """``wirecall ARGV`` in-process with core and the HTTP plugin (this is about masking)."""
    return run_cli(*argv, config_dir=config, env={"WIRECALL_VAULT_KEY": key} if key else {}, plugins=("http",))


def info(name: str) -> dict[str, str]:
    return {"name": name, "schema": SCHEMA}


def auth(kind: str, **params: Any) -> dict[str, Any]:
    return {"type": kind, kind: [{"key": k, "value": v} for k, v in params.items()]}


def collection(echo: str, auth_base: str) -> dict[str, Any]:
    pre = [
        'console.log("env", pm.environment.get("envSecret"));',
        'pm.vault.get("script_secret").then((fromVault) => {',
        '  console.log("vault", fromVault, pm.variables.replaceIn("{{vault:vault_secret}}"));',
        "});",
        f'pm.environment.set("setSecret", "{SET_SECRET}");',
        'pm.environment.set("copied", pm.environment.get("envSecret"));',
    ]
    tests = [
        "const echoed = pm.response.json();",
        'console.log(echoed.headers["x-secret"], pm.environment.get("setSecret"));',
        'pm.test("secret header " + echoed.headers["x-secret"], () => {',
        '  pm.expect(echoed.headers["x-secret"]).to.eql("something else");',
        "});",
    ]
    return {
        "info": info("secrets"),
        "item": [
            {
                "name": "secret variable and vault",
                "event": [
                    {"listen": "prerequest", "script": {"exec": pre}},
                    {"listen": "test", "script": {"exec": tests}},
                ],
                "request": {
                    "method": "POST",
                    "url": f"{echo}/anything?v={{{{vault:vault_secret}}}}",
                    "header": [{"key": "X-Secret", "value": "{{envSecret}}"}],
                    "body": {
                        "mode": "raw",
                        "raw": '{"env": "{{envSecret}}", "vault": "{{vault:vault_secret}}"}',
                        "options": {"raw": {"language": "json"}},
                    },
                },
            },
            {
                "name": "basic",
                "request": {
                    "method": "GET",
                    "url": f"{echo}/basic-auth/alice/{{{{basicPassword}}}}",
                    "auth": auth("basic", username="alice", password="{{basicPassword}}"),
                },
            },
            {
                "name": "bearer",
                "request": {
                    "method": "GET",
                    "url": f"{echo}/bearer",
                    "auth": auth("bearer", token=BEARER_TOKEN),
                },
            },
            {
                "name": "apikey",
                "request": {
                    "method": "GET",
                    "url": f"{echo}/anything",
                    "auth": auth("apikey", key="api_key", value=API_KEY, **{"in": "query"}),
                },
            },
            {
                "name": "oauth2",
                "request": {
                    "method": "GET",
                    "url": f"{echo}/anything",
                    "auth": auth(
                        "oauth2",
                        grant_type="client_credentials",
                        accessTokenUrl=f"{auth_base}/oauth2/token",
                        clientId="cli",
                        clientSecret="{{vault:client_secret}}",
                    ),
                },
            },
        ],
    }


def buffers_as_text(value: Any) -> Iterator[str]:
    """Every Node-style byte array in a JSON report, decoded (response bodies live there)."""
    if isinstance(value, dict):
        if value.get("type") == "Buffer" and isinstance(value.get("data"), list):
            yield bytes(value["data"]).decode("utf-8", "replace")
        else:
            for child in value.values():
                yield from buffers_as_text(child)
    elif isinstance(value, list):
        for child in value:
            yield from buffers_as_text(child)


def leaked(outputs: dict[str, str]) -> list[tuple[str, str]]:
    forms = {form: secret for secret in SECRETS for form in encoded_forms(secret)}
    forms[base64.b64encode(f"alice:{BASIC_PASSWORD}".encode()).decode()] = BASIC_PASSWORD
    return [(where, forms[f]) for where, text in outputs.items() for f in forms if f in text]


def test_no_secret_shows_in_any_output_of_a_run(tmp_path, http_server, auth_server):
    config = tmp_path / "config"
    for name, value in (
        ("vault_secret", VAULT_SECRET), ("script_secret", SCRIPT_SECRET),
        ("client_secret", CLIENT_SECRET),
    ):  # fmt: skip
        assert wirecall(config, "vault", "set", name, value).code == 0
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps({"name": "ci", "values": [
        {"key": "envSecret", "value": ENV_SECRET, "type": "secret", "enabled": True},
        {"key": "setSecret", "value": "placeholder", "type": "secret", "enabled": True},
        {"key": "basicPassword", "value": BASIC_PASSWORD, "enabled": True},
    ]}))  # fmt: skip
    coll = tmp_path / "collection.json"
    coll.write_text(json.dumps(collection(http_server, auth_server)))
    out = tmp_path / "out"
    result = wirecall(
        config, "run", str(coll), "-e", str(env_file), "--verbose",
        "-r", "cli,json,junit,html",
        "--reporter-json-export", str(out / "report.json"),
        "--reporter-junit-export", str(out / "report.xml"),
        "--reporter-html-export", str(out / "report.html"),
        "--export-environment", str(out / "env.json"),
    )  # fmt: skip

    report = json.loads((out / "report.json").read_text())
    executions = {e["item"]["name"]: e for e in report["run"]["executions"]}
    codes = {name: e["response"]["code"] for name, e in executions.items()}
    assert codes == dict.fromkeys(executions, 200), result.out  # every secret reached the server
    assert len(report["run"]["failures"]) == 1  # the one deliberately failing assertion
    assert result.code == 1, result.err
    assert "********" in result.out

    outputs = {
        "stdout": result.out,
        "stderr": result.err,
        **{path.name: path.read_text() for path in out.iterdir()},
        "response bodies in report.json": "\n".join(buffers_as_text(report)),
    }
    assert leaked(outputs) == []
    exported = {v["key"]: v["value"] for v in json.loads((out / "env.json").read_text())["values"]}
    assert exported["envSecret"] == exported["copied"] == exported["setSecret"] == "********"
    bearer = re.findall(r"Bearer ([^\s\"'\\,]+)", "\n".join(outputs.values()))
    assert bearer and set(bearer) == {"********"}  # the OAuth2 token fetched during the run


def test_a_missing_vault_secret_fails_its_item_naming_the_secret(tmp_path, http_server):
    config = tmp_path / "config"
    assert wirecall(config, "vault", "set", "present", "here-1234").code == 0
    coll = tmp_path / "collection.json"
    coll.write_text(json.dumps({
        "info": info("missing"),
        "item": [
            {"name": "needs absent", "request": f"{http_server}/anything?k={{{{vault:absent}}}}"},
            {"name": "has present", "request": f"{http_server}/anything?k={{{{vault:present}}}}"},
        ],
    }))  # fmt: skip
    result = wirecall(config, "run", str(coll))
    assert result.code == 1
    assert "[errored]\n     vault secret 'absent' is not set\n" in result.out
    assert "VariableError  vault secret 'absent' is not set" in result.out  # the failure list
    assert "here-1234" not in result.out and "k=******** [200 OK" in result.out


def test_a_run_without_vault_references_never_needs_a_key(tmp_path, http_server):
    coll = tmp_path / "collection.json"
    coll.write_text(json.dumps({"info": info("plain"), "item": [
        {"name": "plain", "request": f"{http_server}/get"},
    ]}))  # fmt: skip
    result = wirecall(tmp_path / "nowhere", "run", str(coll), key="")
    assert result.code == 0, result.out + result.err
    assert not (tmp_path / "nowhere").exists()


def test_a_wrong_vault_key_stops_the_run_with_exit_2(tmp_path, http_server):
    config = tmp_path / "config"
    assert wirecall(config, "vault", "set", "present", "here-1234").code == 0
    before = (config / "vault.bin").read_bytes()
    coll = tmp_path / "collection.json"
    coll.write_text(json.dumps({"info": info("wrong key"), "item": [
        {"name": "uses vault", "request": f"{http_server}/anything?k={{{{vault:present}}}}"},
    ]}))  # fmt: skip
    result = wirecall(config, "run", str(coll), key="not the passphrase")
    assert result.code == 2
    assert "wrong key for vault" in result.err
    assert (config / "vault.bin").read_bytes() == before
    assert os.stat(config / "vault.bin").st_mode & 0o777 == 0o600
