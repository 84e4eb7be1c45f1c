"""``wirecall demo``: the bundled servers and the example collections in docs/examples."""

import json
from pathlib import Path

import pytest

from tests.clirun import run_cli

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


@pytest.mark.parametrize(("collection", "assertions"), [("demo.postman_collection.json", 35), ("multi-protocol.postman_collection.json", 19)])
def test_example_collections_pass_against_the_demo_servers(collection: str, assertions: int, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run_cli("demo", str(EXAMPLES / collection), "-r", "cli,json", "--reporter-json-export", str(report))
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [], result.out
    assert run["stats"]["assertions"] == {"total": assertions, "pending": 0, "failed": 0}
    assert result.code == 0 and "assertions" in result.out


def test_list_names_every_server_and_its_variable() -> None:
    listing = run_cli("demo", "--list").out
    for name in ("http", "graphql", "grpc", "websocket", "socketio", "mqtt", "soap"):
        assert f"{{{{{name}Url}}}}" in listing


def test_unknown_server_is_a_usage_error() -> None:
    result = run_cli("demo", "--server", "telnet")
    assert result.code == 2 and "unknown demo server telnet; available:" in result.err
