"""Environment, globals and iteration-data files (Postman's formats, CSV and JSON)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from wirecall.core.errors import DataFileError, EnvironmentFileError, Location
from wirecall.core.model.jsonfile import read_json
from wirecall.core.variables import VariableScope


class VariablesFile:
    """An environment or globals file: the scope plus the rest of the JSON, for lossless export."""

    def __init__(self, raw: dict[str, Any], scope: VariableScope, path: str | None) -> None:
        self.raw = raw
        self.scope = scope
        self.path = path

    def to_json(self) -> dict[str, Any]:
        return self.raw


def load_environment(path: str | Path) -> VariablesFile:
    return _load_variables_file(path, "environment")


def load_globals(path: str | Path) -> VariablesFile:
    return _load_variables_file(path, "globals")


def _load_variables_file(path: str | Path, scope_name: str) -> VariablesFile:
    raw = read_json(path, EnvironmentFileError, scope_name)
    at = Location(str(path))
    if isinstance(raw, dict) and "environment" in raw and "values" not in raw:
        raw = raw["environment"]  # the Postman API's export wraps the environment
    if not isinstance(raw, dict) or not isinstance(raw.get("values", []), list):
        raise EnvironmentFileError(f'expected a Postman {scope_name} object with a "values" list', at)
    values = raw.setdefault("values", [])
    for i, entry in enumerate(values):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise EnvironmentFileError('expected {"key": ..., "value": ...}', at.child("values").child(i))
    label = raw.get("name") if isinstance(raw.get("name"), str) else None
    return VariablesFile(raw, VariableScope.from_postman(scope_name, values, label=label), str(path))


def new_variables_file(scope_name: str) -> VariablesFile:
    """An empty environment or globals file, for runs without ``-e`` / ``-g``."""
    raw: dict[str, Any] = {"values": [], "_postman_variable_scope": scope_name}
    return VariablesFile(raw, VariableScope.from_postman(scope_name, raw["values"]), None)


def load_data_file(path: str | Path) -> list[dict[str, Any]]:
    """Iteration data rows from a JSON array of objects or a CSV file with a header row."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        rows = read_json(path, DataFileError, "iteration data")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise DataFileError("expected a JSON array of objects", Location(str(path)))
        return rows
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [{k: _csv_value(v) for k, v in row.items()} for row in csv.DictReader(handle)]
    except FileNotFoundError:
        raise DataFileError("iteration data file not found", Location(str(path))) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(f"cannot read CSV: {exc}", Location(str(path))) from exc


def _csv_value(text: str | None) -> Any:
    """Postman turns numeric CSV cells into numbers; everything else stays a string."""
    if text is None:
        return ""
    try:
        number = json.loads(text)
    except ValueError:
        return text
    return number if isinstance(number, int | float) and not isinstance(number, bool) else text
