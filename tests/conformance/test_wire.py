"""Newman and wirecall put the same requests on the wire for a 22-request collection.

Every body mode, folders, variables from every scope (globals file, collection, environment
file, CSV data, local) and two iterations; the echo server reports what it received, and
the two tools' echoes must agree request by request.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import NEWMAN

WIRE = Path(__file__).parent / "wire"
# Headers each tool adds of its own (user agent, Newman's Postman-Token...) are not compared.
COMPARED_HEADERS = ("content-type", "x-g", "x-e", "x-l", "x-c", "x-on", "x-off")


def run_tool(command: list[str], base_url: str, report: Path) -> None:
    args = [str(WIRE / "wire.postman_collection.json"), "-e", str(WIRE / "wire.postman_environment.json"),
            "-g", str(WIRE / "wire.postman_globals.json"), "-d", str(WIRE / "users.csv"),
            "--env-var", f"baseUrl={base_url}", "--working-dir", str(WIRE),
            "-r", "json", "--reporter-json-export", str(report)]  # fmt: skip
    done = subprocess.run(
        [*command, "run", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert report.exists(), done.stdout + done.stderr


def echoes(report: Path) -> dict[tuple[int, str], dict[str, Any]]:
    run = json.loads(report.read_text())["run"]
    found = {}
    for execution in run["executions"]:
        echo = json.loads(bytes(execution["response"]["stream"]["data"]))
        headers = {k: v for k, v in echo["headers"].items() if k in COMPARED_HEADERS}
        if headers.get("content-type", "").startswith("multipart/form-data"):
            headers["content-type"] = "multipart/form-data"  # the boundary is random
            echo["data"] = ""
        key = (execution["cursor"]["iteration"], execution["item"]["name"])
        found[key] = {"method": echo["method"], "path": echo["path"], "args": echo["args"], "headers": headers,
                      "data": echo["data"], "json": echo["json"], "form": echo["form"], "files": echo["files"]}  # fmt: skip
    return found


@pytest.mark.skipif(not NEWMAN.exists(), reason="newman is installed by `make test` into .tools/")
def test_same_requests_on_the_wire_as_newman(http_server: str, tmp_path: Path) -> None:
    run_tool([str(NEWMAN)], http_server, tmp_path / "newman.json")
    run_tool(
        [sys.executable, "-c", "from wirecall.cli.main import run_console; run_console()"],
        http_server,
        tmp_path / "wirecall.json",
    )
    newman, wirecall = echoes(tmp_path / "newman.json"), echoes(tmp_path / "wirecall.json")
    assert len(newman) == 44  # 22 requests x 2 data rows
    assert sorted(wirecall) == sorted(newman)
    differing = {
        key: (newman[key], wirecall[key]) for key in newman if wirecall[key] != newman[key]
    }
    assert differing == {}
