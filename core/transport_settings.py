"""Per-host client certificates, CA bundles and proxies: wirecall's settings file.

Postman keeps these in its app settings (Certificates, Proxy); wirecall reads them from
``$WIRECALL_CONFIG_DIR/settings.json`` or ``wirecall run --settings PATH``
(docs/tls-and-proxies.md). Core applies them for every plugin: ``core.tls.client_context``
picks the certificate for the host, :func:`proxy_for` says which proxy a URL goes through.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from wirecall.core.errors import InputError, Location
from wirecall.core.record import Record

if TYPE_CHECKING:
    from wirecall.core.exchange import Settings

SETTINGS_FILE = "settings.json"
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443, "mqtt": 1883, "mqtts": 8883}
SECURE_SCHEMES = {"https", "wss", "mqtts", "grpcs"}
CERT_KEYS = ("host", "cert", "key", "pfx", "passphrase", "ca")
PROXY_KEYS = ("url", "http", "https", "bypass", "useSystemProxy")


class SettingsFileError(InputError):
    """A settings file that cannot be used (exit 2, naming the file and the JSON path)."""


class HostPattern(Record):
    """``host[:port]``; ``*`` in the host matches any characters (``*.example.com``)."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> HostPattern:
        host, port = split_authority(text.strip())
        return cls(host, port)

    def matches(self, host: str, port: int | None) -> bool:
        if self.port is not None and self.port != port:
            return False
        return fnmatch.fnmatchcase(host.lower(), self.host)


def split_authority(text: str) -> tuple[str, int | None]:
    """``"Example.com:8443"`` -> ``("example.com", 8443)``; IPv6 in brackets; no port -> None."""
    host, port = text, None
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
    elif text.count(":") == 1:
        host, port = text.split(":")
    try:
        return host.lower(), int(port) if port else None
    except ValueError:
        raise ValueError(f"bad port in {text!r}") from None


def host_and_port(target: str) -> tuple[str, int | None]:
    """The host and port a URL (``wss://h/x``) or an authority (``h:50051``) connects to."""
    if "://" not in target:
        return split_authority(target.split("/", 1)[0])
    parts = urlsplit(target)
    return (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(parts.scheme.lower())


class HostTLS(Record):
    """TLS material for the hosts matching ``pattern`` (paths are absolute)."""

    pattern: HostPattern
    cert: str | None = None
    key: str | None = None
    pfx: str | None = None
    passphrase: str | None = None
    ca: str | None = None


class ProxySettings(Record):
    """A custom proxy per target scheme, hosts that bypass it, and whether to use the system's."""

    http: str | None = None
    https: str | None = None
    bypass: tuple[str, ...] = ()
    use_system_proxy: bool = True


class TransportSettings(Record):
    certificates: tuple[HostTLS, ...] = ()
    proxy: ProxySettings = ProxySettings()

    def tls_for(self, host: str, port: int | None) -> HostTLS | None:
        """The first certificate entry whose pattern matches (the file's order decides)."""
        return next((c for c in self.certificates if c.pattern.matches(host, port)), None)

    def secrets(self) -> list[str]:
        """Passphrases and proxy passwords, for the run's masker."""
        found = [c.passphrase for c in self.certificates if c.passphrase]
        for url in (self.proxy.http, self.proxy.https):
            password = urlsplit(url).password if url else None
            if password:
                found.append(unquote(password))
        return list(dict.fromkeys(found))


def bypassed(host: str, port: int | None, rules: Iterable[str]) -> bool:
    """Whether a proxy bypass list (curl's NO_PROXY rules, plus wildcards and CIDRs) covers host.

    ``*`` covers everything; ``example.com`` and ``.example.com`` cover the domain and its
    subdomains; ``*.example.com`` covers subdomains only; ``10.0.0.0/8`` covers addresses
    in the network; ``host:port`` also requires the port.
    """
    host = host.lower().strip("[]")
    for rule in (r.strip().lower() for r in rules):
        if not rule:
            continue
        if rule == "*":
            return True
        if "/" in rule:
            if _in_network(host, rule):
                return True
            continue
        pattern = HostPattern.parse(rule)
        if pattern.port is not None and pattern.port != port:
            continue
        name = pattern.host.lstrip(".") if pattern.host.startswith(".") else pattern.host
        if "*" in name:
            if fnmatch.fnmatchcase(host, name):
                return True
        elif host == name or host.endswith("." + name):
            return True
    return False


def _in_network(host: str, rule: str) -> bool:
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(rule, strict=False)
    except ValueError:
        return False


def proxy_for(
    settings: Settings, url: str | None = None, env: Mapping[str, str] | None = None
) -> str | None:
    """The proxy URL for a connection to ``url`` (default: the item's), or None to go direct.

    A custom proxy from the settings file wins unless the host is in its bypass list; without
    one for the URL's scheme, the system proxy (``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``
    and ``NO_PROXY``, upper or lower case) applies when ``useSystemProxy`` and the run trust
    the environment.
    """
    url = url or settings.target_url
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    secure = scheme in SECURE_SCHEMES
    host, port = host_and_port(url)
    proxy = settings.transport.proxy if settings.transport is not None else ProxySettings()
    custom = proxy.https if secure else proxy.http
    if custom:
        return None if bypassed(host, port, proxy.bypass) else custom
    if not (proxy.use_system_proxy and settings.trust_env):
        return None
    env = os.environ if env is None else env
    names = ("https_proxy", "all_proxy") if secure else ("http_proxy", "all_proxy")
    system = next((v for n in names for v in (env.get(n), env.get(n.upper())) if v), None)
    no_proxy = env.get("no_proxy") or env.get("NO_PROXY") or ""
    if system is None or bypassed(host, port, no_proxy.split(",")):
        return None
    return system


def load_settings(
    path: str | Path, resolve: Callable[[str], str] = lambda text: text
) -> TransportSettings:
    """Read a settings file; relative paths are taken from the file's directory.

    ``resolve`` is applied to passphrases and proxy URLs (``{{vault:name}}`` references).
    """
    path = Path(path)
    at = Location(file=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsFileError(f"cannot read the settings file: {exc.strerror}", at) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SettingsFileError(f"not valid JSON: {exc}", at) from exc
    _expect(data, dict, "an object with certificates and proxy", at)
    base = path.resolve().parent
    entries = data.get("certificates", [])
    _expect(entries, list, "a list of certificate objects", at.child("certificates"))
    certificates = tuple(
        _certificate(entry, base, resolve, at.child("certificates").child(i))
        for i, entry in enumerate(entries)
    )
    proxy = _proxy(data.get("proxy", {}), resolve, at.child("proxy"))
    return TransportSettings(certificates, proxy)


def _certificate(raw: Any, base: Path, resolve: Callable[[str], str], at: Location) -> HostTLS:
    _expect(raw, dict, "an object with host and cert/key, pfx or ca", at)
    _known(raw, CERT_KEYS, at)
    for key, value in raw.items():
        _expect(value, str, "a string", at.child(key))
    if "host" not in raw:
        raise SettingsFileError("missing 'host' (a host name, with an optional :port)", at)
    if not any(k in raw for k in ("cert", "pfx", "ca")):
        raise SettingsFileError("expected 'cert' (with 'key'), 'pfx' or 'ca'", at)
    if "pfx" in raw and "cert" in raw:
        raise SettingsFileError("give either 'cert' and 'key' or 'pfx', not both", at)
    try:
        pattern = HostPattern.parse(raw["host"])
    except ValueError as exc:
        raise SettingsFileError(str(exc), at.child("host")) from exc

    def file(key: str) -> str | None:
        if key not in raw:
            return None
        full = base / raw[key]
        if not full.is_file():
            raise SettingsFileError(f"no such file: {full}", at.child(key))
        return str(full)

    passphrase = resolve(raw["passphrase"]) if "passphrase" in raw else None
    return HostTLS(pattern, file("cert"), file("key"), file("pfx"), passphrase, file("ca"))


def _proxy(raw: Any, resolve: Callable[[str], str], at: Location) -> ProxySettings:
    _expect(raw, dict, "an object with url (or http/https), bypass and useSystemProxy", at)
    _known(raw, PROXY_KEYS, at)
    urls = {}
    for key in ("url", "http", "https"):
        if key in raw:
            _expect(
                raw[key], str, "a proxy URL such as http://user:password@proxy:3128", at.child(key)
            )
            urls[key] = resolve(raw[key])
            scheme = urlsplit(urls[key]).scheme
            if scheme not in ("http", "https", "socks4", "socks5", "socks5h"):
                raise SettingsFileError(
                    "expected an http://, https:// or socks5:// proxy URL", at.child(key)
                )
    bypass = raw.get("bypass", [])
    if isinstance(bypass, str):
        bypass = bypass.split(",")
    _expect(
        bypass, list, "a list of host patterns (or one comma-separated string)", at.child("bypass")
    )
    system = raw.get("useSystemProxy", True)
    _expect(system, bool, "true or false", at.child("useSystemProxy"))
    return ProxySettings(
        http=urls.get("http", urls.get("url")),
        https=urls.get("https", urls.get("url")),
        bypass=tuple(str(rule).strip() for rule in bypass if str(rule).strip()),
        use_system_proxy=system,
    )


def _expect(value: Any, kind: type, what: str, at: Location) -> None:
    if not isinstance(value, kind):
        raise SettingsFileError(f"expected {what}", at)


def _known(raw: Mapping[str, Any], keys: tuple[str, ...], at: Location) -> None:
    for key in raw:
        if key not in keys:
            raise SettingsFileError(
                f"unknown key; expected one of {', '.join(keys)}", at.child(key)
            )
