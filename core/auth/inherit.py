"""Which auth applies to an item, and its parameters as a dict (Postman's rules).

A missing ``auth`` or ``{"type": "inherit"}`` means "ask the parent"; ``{"type": "noauth"}``
stops the search and sends no credentials.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wirecall.core.errors import AuthError


def effective_auth(chain: Iterable[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """The closest auth block in ``chain`` (request first, collection last), or None for none.

    Returns None when nothing applies or the closest block is ``noauth``.
    """
    for block in chain:
        if not block:
            continue
        kind = block.get("type")
        if kind in (None, "", "inherit"):
            continue
        return None if kind == "noauth" else dict(block)
    return None


def auth_params(block: Mapping[str, Any]) -> dict[str, Any]:
    """``block[type]`` as a dict: v2.1 ``[{key, value, type}]`` lists or v2.0 objects."""
    kind = block.get("type")
    raw = block.get(kind) if isinstance(kind, str) else None
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    if isinstance(raw, list):
        params: dict[str, Any] = {}
        for index, entry in enumerate(raw):
            if not isinstance(entry, Mapping) or "key" not in entry:
                raise AuthError(f"{kind} auth: parameter #{index} must be an object with a 'key'")
            params[str(entry["key"])] = entry.get("value")
        return params
    raise AuthError(f"{kind} auth: parameters must be a list of {{key, value}} or an object")
