"""A third-party protocol plugin, built and installed like any package, runs a collection."""

import json
import os
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "example_plugin"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


class _Upper(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        for line in self.rfile:
            self.wfile.write(line.upper())


@pytest.fixture(scope="module")
def line_server() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Upper)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example plugin installed with pip into its own folder, put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(target), str(EXAMPLE)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return {**os.environ, "PYTHONPATH": str(target)}


def wirecall(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from wirecall.cli.main import run_console; sys.argv[0] = 'wirecall'; run_console()"
    return subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=60)


def test_plugins_lists_the_third_party_protocol(installed: dict[str, str]) -> None:
    listing = wirecall(installed, "plugins")
    assert listing.returncode == 0, listing.stderr
    line = next(line for line in listing.stdout.splitlines() if "tcpline" in line)
    assert "wirecall-tcpline" in line and "1.0.0" in line


def test_a_collection_runs_through_the_third_party_protocol(installed: dict[str, str], line_server: int, tmp_path: Path) -> None:
    item = {
        "name": "shout",
        "protocol": "tcpline",
        "request": {"url": f"tcpline://127.0.0.1:{line_server}", "messages": [{"data": "hello"}, {"data": "{{word}}"}],
                    "until": {"messages": 2, "timeoutMs": 5000}},
        "event": [
            {"listen": "message", "script": {"exec": ["pm.test('upper', () => pm.expect(pm.message.text()).to.equal(pm.message.text().toUpperCase()));"]}},
            {"listen": "test", "script": {"exec": ["pm.test('two answers', () => pm.expect(pm.response.messages.filter(m => m.direction === 'received').length).to.equal(2));"]}},
        ],
    }  # fmt: skip
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps({"info": {"name": "tcp", "schema": SCHEMA}, "item": [item], "variable": [{"key": "word", "value": "bye"}]}))
    report = tmp_path / "report.json"
    done = wirecall(installed, "run", str(collection), "-r", "json", "--reporter-json-export", str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads(report.read_text())["run"]
    assertions = [a["assertion"] for e in run["executions"] for a in e["assertions"]]
    assert assertions.count("upper") == 2 and "two answers" in assertions
    assert run["failures"] == []
