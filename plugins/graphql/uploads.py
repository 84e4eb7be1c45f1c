"""File uploads per the GraphQL multipart request spec (operations + map + files)."""

from __future__ import annotations

import copy
import json
import mimetypes
import os
from typing import Any

from wirecall.core.errors import CollectionError, Location


def multipart(payload: dict[str, Any], files: dict[str, str], working_dir: str) -> dict[str, Any]:
    """httpx ``data``/``files`` arguments: each ``files`` key is a path in the operation,
    such as ``variables.file`` or ``variables.files.0``, whose value is sent as a file part."""
    operations = copy.deepcopy(payload)
    mapping: dict[str, list[str]] = {}
    parts: list[tuple[str, tuple[str, bytes, str]]] = []
    for index, (path, source) in enumerate(files.items()):
        _set_null(operations, path)
        full = os.path.join(working_dir, source)
        try:
            with open(full, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CollectionError(f"cannot read upload {full}: {exc.strerror}", Location("<request>", f"$.files.{path}")) from exc
        mapping[str(index)] = [path]
        content_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
        parts.append((str(index), (os.path.basename(full), content, content_type)))
    return {"data": {"operations": json.dumps(operations), "map": json.dumps(mapping)}, "files": parts}


def _set_null(operations: dict[str, Any], path: str) -> None:
    """Put the spec's ``null`` placeholder at ``path`` (dotted, list indexes as numbers)."""
    *parents, last = path.split(".")
    node: Any = operations
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if isinstance(node, list):
        node[int(last)] = None
    else:
        node[last] = None
