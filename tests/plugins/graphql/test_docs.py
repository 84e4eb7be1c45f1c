"""docs/protocols/graphql.md's collection item, run for real."""

import json
from pathlib import Path

from tests.clirun import run_cli
from tests.docs_examples import documented_item, write_collection


def test_documented_item_runs(graphql_server: str, tmp_path: Path) -> None:
    collection = write_collection(tmp_path, documented_item("protocols/graphql.md"))
    report = tmp_path / "r.json"
    result = run_cli("run", str(collection), "--env-var", f"graphqlUrl={graphql_server}", "--env-var", "name=Ada",
                     "-r", "json", "--reporter-json-export", str(report))  # fmt: skip
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [] and run["stats"]["assertions"]["total"] == 1, result.out
    assert result.code == 0
