"""Reading JSON input files with errors that name the file, line and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wirecall.core.errors import InputError, Location


def read_json(path: str | Path, error: type[InputError], what: str) -> Any:
    """Parse ``path`` as JSON; raise ``error`` with the file (and line:col) on any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{what} file not found", Location(str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what} file: {exc}", Location(str(path))) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = Location(str(path), line=exc.lineno, column=exc.colno)
        raise error(f"not valid JSON: {exc.msg}", at) from None
