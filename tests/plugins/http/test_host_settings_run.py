"""``wirecall run --settings``: two hosts with their own client certificates, and oauth1 in
the form body checked by the auth test server, in one run."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from tests.clirun import run_cli

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"




def wirecall(config: Path, *argv: str) -> tuple[int, str, str]:
    result = run_cli(*argv, config_dir=config, env={}, plugins=("http",))
    return result.code, result.out, result.err


def whoami(url: str, name: str) -> dict:
    test = f'pm.test("{name}", () => pm.expect(pm.response.json().client).to.eql("{name}"));'
    return {
        "name": f"whoami {name}",
        "request": {"method": "GET", "url": f"{url}/whoami"},
        "event": [{"listen": "test", "script": {"exec": [test]}}],
    }


OAUTH1 = {
    "type": "oauth1",
    "oauth1": [
        {"key": k, "value": v}
        for k, v in {"consumerKey": "ck", "consumerSecret": "cs", "token": "tk",
                     "tokenSecret": "ts", "addParamsToHeader": False}.items()
    ],
}  # fmt: skip


def oauth1_in_the_body(url: str) -> dict:
    test = 'pm.test("signed", () => pm.response.to.have.status(200));'
    fields = [{"key": "note", "value": "a b!"}]
    return {
        "name": "oauth1 form",
        "request": {
            "method": "POST",
            "url": f"{url}/oauth1",
            "auth": OAUTH1,
            "body": {"mode": "urlencoded", "urlencoded": fields},
        },
        "event": [{"listen": "test", "script": {"exec": [test]}}],
    }


def test_one_run_two_client_certificates_and_oauth1_in_the_body(
    tmp_path: Path, two_mtls_hosts, auth_server: str
) -> None:
    ca, hosts = two_mtls_hosts
    certificates = [
        {"host": urlsplit(url).netloc, "cert": str(who.cert), "key": str(who.key), "ca": str(ca)}
        for url, who in hosts
    ]
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"certificates": certificates}))
    items = [whoami(url, who.name) for url, who in [*hosts, *hosts]]
    items.append(oauth1_in_the_body(auth_server))
    collection = tmp_path / "collection.json"
    collection.write_text(json.dumps({"info": {"name": "hosts", "schema": SCHEMA}, "item": items}))
    code, out, err = wirecall(tmp_path, "run", str(collection), "--settings", str(settings))
    assert code == 0, out + err
    assert out.count("✓  alice") == 2 and out.count("✓  bob") == 2
    assert "✓  signed" in out
