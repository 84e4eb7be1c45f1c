"""pm.cookies and pm.cookies.jar() over the run's ``http.cookiejar.CookieJar``."""

from __future__ import annotations

import http.cookiejar
import time
from typing import Any
from urllib.parse import urlsplit


def request_url(request: dict[str, Any]) -> str:
    url = request.get("url", "")
    return url.get("raw", "") if isinstance(url, dict) else str(url)


def _matches(cookie: http.cookiejar.Cookie, url: str) -> bool:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    domain = cookie.domain.lower().lstrip(".")
    if not (host == domain or (cookie.domain.startswith(".") and host.endswith("." + domain))):
        return False
    if cookie.secure and parts.scheme not in ("https", "wss"):
        return False
    path = parts.path or "/"
    return path.startswith(cookie.path or "/") and not cookie.is_expired()


def _as_dict(cookie: http.cookiejar.Cookie) -> dict[str, Any]:
    return {
        "name": cookie.name,
        "value": cookie.value,
        "domain": cookie.domain,
        "path": cookie.path,
        "expires": cookie.expires,
        "secure": cookie.secure,
        "httpOnly": cookie.has_nonstandard_attr("HttpOnly"),
        "hostOnly": not cookie.domain_specified,
        "session": cookie.discard,
    }


def cookies_for(cookie_jar: http.cookiejar.CookieJar, url: str) -> list[dict[str, Any]]:
    """The cookies the jar would send to ``url`` (what ``pm.cookies`` lists)."""
    return [_as_dict(c) for c in cookie_jar if _matches(c, url)]


def _parse_set_cookie(text: str) -> dict[str, Any]:
    first, *attributes = [part.strip() for part in text.split(";")]
    name, _, value = first.partition("=")
    cookie: dict[str, Any] = {"name": name.strip(), "value": value.strip()}
    for attribute in attributes:
        key, _, val = attribute.partition("=")
        key = key.strip().lower()
        if key in ("domain", "path"):
            cookie[key] = val.strip()
        elif key == "max-age" and val.strip().lstrip("-").isdigit():
            cookie["expires"] = time.time() + int(val)
        elif key in ("secure", "httponly"):
            cookie["secure" if key == "secure" else "httpOnly"] = True
    return cookie


def _make(url: str, spec: dict[str, Any]) -> http.cookiejar.Cookie:
    host = urlsplit(url).hostname or ""
    domain = spec.get("domain") or host
    expires = spec.get("expires")
    if isinstance(expires, str):
        from email.utils import parsedate_to_datetime

        expires = parsedate_to_datetime(expires).timestamp()
    return http.cookiejar.Cookie(
        version=0,
        name=str(spec["name"]),
        value=str(spec.get("value", "")),
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified="domain" in spec,
        domain_initial_dot=domain.startswith("."),
        path=spec.get("path") or "/",
        path_specified="path" in spec,
        secure=bool(spec.get("secure")),
        expires=int(expires) if expires else None,
        discard=not expires,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": ""} if spec.get("httpOnly") else {},
    )


def operate(cookie_jar: http.cookiejar.CookieJar, op: str, args: list[Any]) -> Any:
    """One ``pm.cookies.jar()`` call: get, getAll, set, unset or clear."""
    url = args[0]
    if not urlsplit(url if "://" in url else f"http://{url}").hostname:
        raise ValueError(f"CookieJar.{op}() requires a valid url")
    if "://" not in url:
        url = f"http://{url}"
    here = [c for c in cookie_jar if _matches(c, url)]
    if op == "get":
        return next((c.value for c in reversed(here) if c.name == args[1]), None)
    if op == "getAll":
        return [_as_dict(c) for c in here]
    if op == "set":
        spec = _parse_set_cookie(args[1]) if isinstance(args[1], str) else args[1]
        cookie = _make(url, spec)
        cookie_jar.set_cookie(cookie)
        return _as_dict(cookie)
    if op in ("unset", "clear"):
        for c in here:
            if op == "clear" or c.name == args[1]:
                cookie_jar.clear(c.domain, c.path, c.name)
        return None
    raise ValueError(f"unknown cookie jar operation {op!r}")
