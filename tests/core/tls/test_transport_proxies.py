"""Proxy choice per URL: custom proxies, bypass lists and the system's proxy variables."""

from __future__ import annotations

import pytest
from wirecall.core.exchange import Settings
from wirecall.core.transport_settings import (
    HostPattern,
    ProxySettings,
    TransportSettings,
    bypassed,
    host_and_port,
    proxy_for,
)

PROXY = "http://alice:pw@proxy.corp:3128"


@pytest.mark.parametrize(
    ("host", "port", "rules", "expected"),
    [
        ("anything.example", 443, ["*"], True),
        ("localhost", 80, ["localhost"], True),
        ("LOCALHOST", 80, ["localhost"], True),
        ("example.com", 443, ["example.com"], True),
        ("api.example.com", 443, ["example.com"], True),  # curl: the domain and its subdomains
        ("notexample.com", 443, ["example.com"], False),
        ("api.example.com", 443, [".example.com"], True),
        ("example.com", 443, [".example.com"], True),
        ("api.example.com", 443, ["*.example.com"], True),
        ("a.b.example.com", 443, ["*.example.com"], True),
        ("example.com", 443, ["*.example.com"], False),  # a wildcard needs a subdomain
        ("internal-7.corp", 80, ["internal-*.corp"], True),
        ("api.example.com", 8443, ["api.example.com:8443"], True),
        ("api.example.com", 443, ["api.example.com:8443"], False),
        ("10.1.2.3", 80, ["10.0.0.0/8"], True),
        ("11.1.2.3", 80, ["10.0.0.0/8"], False),
        ("::1", 80, ["::1/128"], True),
        ("[::1]", 80, ["[::1]"], True),
        ("host.example", 80, [" ", "", "other.example"], False),
        ("x.example", 80, [], False),
    ],
)
def test_bypass_rules(host, port, rules, expected):
    assert bypassed(host, port, rules) is expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://Api.Example.com/v1", ("api.example.com", 443)),
        ("http://h:8080/x", ("h", 8080)),
        ("wss://h/socket", ("h", 443)),
        ("mqtt://broker", ("broker", 1883)),
        ("grpc.example:50051", ("grpc.example", 50051)),
        ("h", ("h", None)),
        ("[::1]:9000", ("::1", 9000)),
        ("https://[::1]/", ("::1", 443)),
    ],
)
def test_host_and_port_of_urls_and_authorities(target, expected):
    assert host_and_port(target) == expected


def test_host_patterns_match_host_and_optional_port():
    assert HostPattern.parse("*.corp.example").matches("db.corp.example", 5432)
    assert not HostPattern.parse("*.corp.example").matches("corp.example", 5432)
    assert HostPattern.parse("api.example:8443").matches("api.example", 8443)
    assert not HostPattern.parse("api.example:8443").matches("api.example", 443)
    assert HostPattern.parse("API.example").matches("api.example", None)


def settings(proxy: ProxySettings, **fields) -> Settings:
    return Settings(transport=TransportSettings(proxy=proxy), **fields)


def test_the_custom_proxy_applies_unless_the_host_is_bypassed():
    s = settings(ProxySettings(http=PROXY, https=PROXY, bypass=("*.internal", "localhost")))
    assert proxy_for(s, "https://api.example.com/") == PROXY
    assert proxy_for(s, "ws://api.example.com/") == PROXY
    assert proxy_for(s, "https://db.internal/") is None
    assert proxy_for(s, "http://localhost:8080/") is None


def test_a_proxy_for_one_scheme_only():
    s = settings(ProxySettings(https=PROXY, use_system_proxy=False))
    assert proxy_for(s, "https://api.example.com/") == PROXY
    assert proxy_for(s, "wss://api.example.com/") == PROXY
    assert proxy_for(s, "http://api.example.com/") is None


def test_the_system_proxy_comes_from_the_environment_with_no_proxy():
    env = {
        "HTTPS_PROXY": "http://sys:3128",
        "http_proxy": "http://plain:3128",
        "NO_PROXY": "localhost,.corp",
    }
    s = Settings()
    assert proxy_for(s, "https://api.example.com/", env) == "http://sys:3128"
    assert proxy_for(s, "http://api.example.com/", env) == "http://plain:3128"
    assert proxy_for(s, "https://git.corp/", env) is None
    assert (
        proxy_for(s, "https://api.example.com/", {"ALL_PROXY": "socks5://s:1080"})
        == "socks5://s:1080"
    )
    assert proxy_for(s, "https://api.example.com/", {}) is None


def test_the_system_proxy_is_off_when_the_settings_or_the_run_say_so():
    env = {"HTTPS_PROXY": "http://sys:3128"}
    assert proxy_for(settings(ProxySettings(use_system_proxy=False)), "https://a/", env) is None
    assert proxy_for(Settings(trust_env=False), "https://a/", env) is None


def test_the_items_url_is_the_default():
    s = settings(ProxySettings(http=PROXY), target_url="http://api.example.com/x")
    assert proxy_for(s) == PROXY
    assert proxy_for(Settings()) is None
