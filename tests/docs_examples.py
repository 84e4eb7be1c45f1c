"""Pulling the examples out of docs/ so that tests run exactly what the docs show."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DOCS = Path(__file__).parents[1] / "docs"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def json_blocks(page: str) -> list[Any]:
    """Every ```json block of ``docs/<page>``, parsed."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]


def documented_item(page: str) -> dict[str, Any]:
    """The first JSON block of the page that is a collection item (has a "request")."""
    return next(block for block in json_blocks(page) if isinstance(block, dict) and "request" in block)


def write_collection(folder: Path, *items: dict[str, Any]) -> Path:
    path = folder / "collection.json"
    path.write_text(json.dumps({"info": {"name": "docs", "schema": SCHEMA}, "item": list(items)}))
    return path
