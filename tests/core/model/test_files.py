"""Environment, globals and data files."""

import json
from pathlib import Path

import pytest
from wirecall.core.errors import DataFileError, EnvironmentFileError
from wirecall.core.model import load_data_file, load_environment, load_globals

ENV = {
    "id": "e1",
    "name": "Staging",
    "values": [
        {"key": "baseUrl", "value": "http://staging", "type": "default", "enabled": True},
        {"key": "token", "value": "s3cr3t", "type": "secret", "enabled": True},
        {"key": "off", "value": "x", "enabled": False},
    ],
    "_postman_variable_scope": "environment",
    "_postman_exported_using": "Postman/11.2",
}


def test_environment_scope_reads_enabled_values_and_exports_losslessly(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    path.write_text(json.dumps(ENV))
    env = load_environment(path)
    assert env.scope.label == "Staging"
    assert env.scope.to_object() == {"baseUrl": "http://staging", "token": "s3cr3t"}
    assert env.scope.is_secret("token") and env.scope.secrets() == ["s3cr3t"]
    env.scope.set("added", 7)
    exported = env.to_json()
    assert exported["values"][-1] == {"key": "added", "value": 7}
    assert exported["_postman_exported_using"] == "Postman/11.2"
    assert exported["values"][2] == {"key": "off", "value": "x", "enabled": False}


def test_globals_file_and_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"values": [{"key": "a", "value": 1}], "_postman_variable_scope": "globals"}))
    assert load_globals(path).scope.get("a") == 1
    path.write_text(json.dumps({"values": [{"value": 1}]}))
    with pytest.raises(EnvironmentFileError, match=r"g\.json at \$\.values\[0\]: expected \{\"key\""):
        load_globals(path)


def test_missing_environment_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFileError, match=r"missing\.json: environment file not found"):
        load_environment(tmp_path / "missing.json")


def test_csv_numbers_become_numbers_and_booleans_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,name,ok,price\n1,ada,true,2.5\n2,\"grace, h\",false,x\n")
    assert load_data_file(path) == [
        {"id": 1, "name": "ada", "ok": "true", "price": 2.5},
        {"id": 2, "name": "grace, h", "ok": "false", "price": "x"},
    ]


def test_json_data_file_must_be_an_array_of_objects(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"a": 1}, {"a": 2}]')
    assert load_data_file(path) == [{"a": 1}, {"a": 2}]
    path.write_text('{"a": 1}')
    with pytest.raises(DataFileError, match="expected a JSON array of objects"):
        load_data_file(path)
    with pytest.raises(DataFileError, match=r"nope\.csv: iteration data file not found"):
        load_data_file(tmp_path / "nope.csv")
