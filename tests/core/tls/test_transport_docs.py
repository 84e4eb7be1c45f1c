"""docs/tls-and-proxies.md: the example settings file loads and means what the text says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from wirecall.core.errors import TLSError
from wirecall.core.exchange import Settings
from wirecall.core.tls import client_context, host_tls
from wirecall.core.transport_settings import SettingsFileError, load_settings, proxy_for
from wirecall.core.variables import Variables

DOC = Path(__file__).resolve().parents[3] / "docs" / "tls-and-proxies.md"
VAULT = {
    "partner_key_passphrase": "pk-pass",
    "corp_pfx_passphrase": "pfx-pass",
    "proxy_password": "pr0xy",
}


class FakeVault:
    def get(self, name: str) -> str | None:
        return VAULT.get(name)


def documented(tmp_path: Path) -> Path:
    text = re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL).group(1)
    data = json.loads(text)
    for entry in data["certificates"]:
        for key in ("cert", "key", "pfx", "ca"):
            if key in entry:
                (tmp_path / entry[key]).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / entry[key]).write_text("not really a certificate")
    path = tmp_path / "settings.json"
    path.write_text(text)
    return path


def test_the_documented_example(tmp_path):
    transport = load_settings(documented(tmp_path), Variables(vault=FakeVault()).resolve)
    settings = Settings(transport=transport)
    partner = host_tls(settings, "https://api.partner.example:8443/v1")
    assert partner.cert == str(tmp_path / "certs/partner-client.pem")
    assert partner.passphrase == "pk-pass"
    assert host_tls(settings, "https://api.partner.example/v1") is None  # other port
    corp = host_tls(settings, "wss://git.corp.example/socket")
    assert (corp.pfx, corp.passphrase) == (str(tmp_path / "certs/corp-identity.p12"), "pfx-pass")
    assert host_tls(settings, "corp.example:443") is None
    assert host_tls(settings, "https://staging.example/").ca == str(
        tmp_path / "certs/staging-ca.pem"
    )
    proxy = "http://build-bot:pr0xy@proxy.corp.example:3128"
    assert proxy_for(settings, "https://api.partner.example:8443/v1") == proxy
    assert proxy_for(settings, "https://git.corp.example/") is None
    assert proxy_for(settings, "https://staging.example/") == proxy
    assert proxy_for(settings, "http://10.2.3.4/", {"HTTP_PROXY": "http://sys:1"}) is None
    assert sorted(transport.secrets()) == ["pfx-pass", "pk-pass", "pr0xy"]
    with pytest.raises(TLSError, match="cannot load TLS files"):
        client_context(settings, host="https://api.partner.example:8443/")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "settings.json: expected an object with certificates and proxy"),
        ('{"certificates": [{"cert": "a.pem"}]}', "at $.certificates[0]: missing 'host'"),
        (
            '{"certificates": [{"host": "h"}]}',
            "at $.certificates[0]: expected 'cert' (with 'key'), 'pfx' or 'ca'",
        ),
        (
            '{"certificates": [{"host": "h", "ca": "missing.pem"}]}',
            "at $.certificates[0].ca: no such file: ",
        ),
        (
            '{"certificates": [{"host": "h:x", "ca": "settings.json"}]}',
            "at $.certificates[0].host: bad port in 'h:x'",
        ),
        (
            '{"proxy": {"url": "ftp://p"}}',
            "at $.proxy.url: expected an http://, https:// or socks5:// proxy URL",
        ),
        ('{"proxy": {"bypass": 3}}', "at $.proxy.bypass: expected a list of host patterns"),
        (
            '{"proxy": {"useSystemProxy": "no"}}',
            "at $.proxy.useSystemProxy: expected true or false",
        ),
        (
            '{"proxy": {"server": "p"}}',
            "at $.proxy.server: unknown key; expected one of url, http, https, bypass, useSystemProxy",
        ),
        ("{", "not valid JSON"),
    ],
)
def test_bad_settings_files_name_the_place(tmp_path, content, message):
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsFileError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
