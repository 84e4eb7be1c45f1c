"""An item's Postman ``request`` object (v2.0/v2.1, variables resolved) -> :class:`HttpRequest`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wirecall.core.errors import AuthError, CollectionError, Location
from wirecall.core.record import Record, field, replace
from wirecall.plugins.http.body import Body, _form_quote, enabled_entries, parse_body

Query = list[tuple[str, str | None]]  # value None: a key without "=" (``?flag``)


class HttpRequest(Record):
    """A parsed HTTP request.

    The fields never change; ``query``, ``headers`` and ``form`` are lists because auth
    schemes add credentials to them (through :class:`HttpAuthTarget`) between parse and send:
    ``form`` holds fields added to an urlencoded body (oauth1 with addParamsToHeader false),
    and :attr:`wire_body` is the body with them.
    ``behavior`` is a ``protocolProfileBehavior`` given in the request object itself (the
    runner passes the item's through ``Settings.extra``); the send-time keys are
    followRedirects, maxRedirects, strictSSL, disableCookies, disableBodyPruning and
    protocolVersion (auto|http1|http2).
    """

    method: str
    url: str  # scheme://host[:port]/path, without the query
    query: Query = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Body = field(default_factory=Body)
    behavior: Mapping[str, Any] = field(default_factory=dict)
    form: list[tuple[str, str]] = field(default_factory=list)

    @property
    def wire_body(self) -> Body:
        """The item's body plus the form fields auth schemes added."""
        if not self.form:
            return self.body
        added = "&".join(f"{_form_quote(k)}={_form_quote(v)}" for k, v in self.form).encode()
        content = self.body.content + b"&" + added if self.body.content else added
        added_view = [{"key": k, "value": v} for k, v in self.form]
        fields = [*self.body.view.get("urlencoded", []), *added_view]
        return replace(self.body, content=content, view={**self.body.view, "urlencoded": fields})

    @property
    def full_url(self) -> str:
        if not self.query:
            return self.url
        pairs = (key if value is None else f"{key}={value}" for key, value in self.query)
        return f"{self.url}?{'&'.join(pairs)}"

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)


def parse_request(raw: Any, at: Location) -> HttpRequest:
    """Validate and normalise a request object; CollectionError names the JSON path."""
    if isinstance(raw, str):  # Postman allows a bare URL string as the request
        raw = {"url": raw}
    if not isinstance(raw, Mapping):
        raise CollectionError("expected a request object or a URL string", at)
    method = raw.get("method") or "GET"
    if not isinstance(method, str) or not method.strip():
        raise CollectionError("expected the HTTP method as a string", at.child("method"))
    method = method.strip().upper()
    behavior = raw.get("protocolProfileBehavior") or {}
    if not isinstance(behavior, Mapping):
        raise CollectionError("expected an object", at.child("protocolProfileBehavior"))
    url, query = parse_url(raw.get("url"), at.child("url"))
    headers = parse_headers(raw.get("header"), at.child("header"))
    body = parse_body(raw.get("body"), at.child("body"))
    return HttpRequest(method, url, query, headers, body, behavior)


def parse_url(raw: Any, at: Location) -> tuple[str, Query]:
    """A URL string or object -> (URL without query, query pairs), path variables applied."""
    if isinstance(raw, str) and raw.strip():
        return _split(raw.strip())
    if not isinstance(raw, Mapping):
        raise CollectionError("expected the URL as a string or an object with 'raw' or 'host'", at)
    if raw.get("host"):
        url = _from_parts(raw, at)
        query: Query = []
    elif isinstance(raw.get("raw"), str) and raw["raw"].strip():
        url, query = _split(raw["raw"].strip())
    else:
        raise CollectionError("URL has neither 'raw' nor 'host'", at)
    if "query" in raw:
        entries = enabled_entries(raw["query"], at.child("query"))
        query = [(key, _query_value(entry)) for _, key, _, entry in entries]
    return _apply_path_variables(url, raw.get("variable"), at.child("variable")), query


def parse_headers(raw: Any, at: Location) -> list[tuple[str, str]]:
    """A header list ({key, value, disabled}) or the v2.0 "Key: value\\n..." string."""
    if isinstance(raw, str):
        lines = (line.partition(":") for line in raw.splitlines() if line.strip())
        return [(k.strip(), v.strip()) for k, _, v in lines if k.strip()]
    return [(key, value) for _, key, value, _ in enabled_entries(raw, at) if key]


class HttpAuthTarget:
    """Lets auth schemes add headers and query parameters to an :class:`HttpRequest`."""

    protocol = "http"

    def __init__(self, request: HttpRequest, working_dir: str = ".") -> None:
        self.request = request
        self._working_dir = working_dir

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def url(self) -> str:
        return self.request.full_url

    @property
    def body(self) -> bytes | None:
        return self.request.wire_body.encode(self._working_dir)

    def header(self, name: str) -> str | None:
        """The item's header; Content-Type defaults to the one its body mode puts on the wire."""
        value = self.request.header(name)
        if value is None and name.lower() == "content-type":
            return self.request.body.content_type
        return value

    def set_header(self, name: str, value: str) -> None:
        _replace(self.request.headers, name, value, case_sensitive=False)

    def set_query(self, name: str, value: str) -> None:
        _replace(self.request.query, name, value, case_sensitive=True)

    def add_form_field(self, name: str, value: str) -> None:
        """Append a field to an urlencoded body (where oauth1 may put its parameters)."""
        if self.request.body.mode != "urlencoded":
            raise AuthError(
                f"cannot add the form field {name!r}: the request body is "
                f"{self.request.body.mode!r}, not urlencoded"
            )
        self.request.form.append((name, value))

    def set_credentials(self, username: str, password: str) -> None:
        raise AuthError("HTTP takes credentials in headers or query parameters, not as a login")


def _replace(pairs: list[Any], name: str, value: str, case_sensitive: bool) -> None:
    """Set ``name`` in place of its first occurrence (dropping the others), or append it."""
    norm = (lambda k: k) if case_sensitive else str.lower
    matches = [i for i, (k, _) in enumerate(pairs) if norm(k) == norm(name)]
    if not matches:
        pairs.append((name, value))
        return
    pairs[matches[0]] = (name, value)
    for index in reversed(matches[1:]):
        del pairs[index]


def _split(text: str) -> tuple[str, Query]:
    """Split a raw URL into base and query pairs, keeping their text as written."""
    text = text.partition("#")[0]
    if "://" not in text and not text.startswith("unix:"):
        text = "http://" + text  # Newman's default scheme
    base, _, query_text = text.partition("?")
    query: Query = []
    for piece in query_text.split("&") if query_text else []:
        key, eq, value = piece.partition("=")
        query.append((key, value if eq else None))
    return base, query


def _from_parts(raw: Mapping[str, Any], at: Location) -> str:
    host = raw["host"]
    host = ".".join(map(str, host)) if isinstance(host, list) else str(host)
    protocol = str(raw.get("protocol") or "http").removesuffix("://").removesuffix(":")
    url = host if "://" in host else f"{protocol}://{host}"
    if raw.get("port"):
        url += f":{raw['port']}"
    path = raw.get("path") or []
    if isinstance(path, str):
        path = path.lstrip("/").split("/")
    if not isinstance(path, list):
        raise CollectionError("expected the path as a string or a list", at.child("path"))
    segments = [s.get("value", "") if isinstance(s, Mapping) else str(s) for s in path]
    return url.rstrip("/") + ("/" + "/".join(segments) if segments else "")


def _apply_path_variables(url: str, variables: Any, at: Location) -> str:
    """Replace ``:name`` path segments with the values of the URL's ``variable`` list."""
    values = {key: value for _, key, value, _ in enabled_entries(variables, at)}
    if not values:
        return url
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    segments = [
        values.get(seg[1:], seg) if seg.startswith(":") else seg for seg in path.split("/")
    ]
    return f"{scheme}{sep}{authority}{slash}{'/'.join(segments)}"


def _query_value(entry: Mapping[str, Any]) -> str | None:
    value = entry.get("value")
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)
