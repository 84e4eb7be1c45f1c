"""``wirecall run`` as a process: V8 starts on a thread while the run is prepared, and the
process ends cleanly however the isolate was used (tests/bench measures how fast)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
CONSOLE_SCRIPT = "from wirecall.cli.main import run_console; run_console()"


def script(listen: str, *lines: str) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": list(lines)}}


def run(tmp_path: Path, collection: dict[str, Any], base: str) -> tuple[int, dict[str, Any]]:
    """Run ``collection`` in a new process, as the console script does; the JSON report."""
    path, report = tmp_path / "c.json", tmp_path / "r.json"
    path.write_text(json.dumps(collection))
    argv = ["run", str(path), "--env-var", f"base={base}", "-r", "json",
            "--reporter-json-export", str(report)]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", CONSOLE_SCRIPT, *argv], capture_output=True, text=True, timeout=60
    )
    assert not done.stderr, done.stderr
    return done.returncode, json.loads(report.read_text())["run"]


def test_a_folder_script_runs_and_the_process_exits_cleanly(
    tmp_path: Path, http_server: str
) -> None:
    # The isolate is made on a start-up thread and freed by the run; a script that makes V8
    # collect garbage first is the case where freeing it on another thread could crash.
    collection = {
        "info": {"name": "startup", "schema": SCHEMA},
        "item": [
            {
                "name": "folder",
                "event": [
                    script(
                        "test",
                        "const kept = [];",
                        "for (let i = 0; i < 200000; i++) kept.push({ i, text: 'x' + i });",
                        "pm.test('garbage made', () => pm.expect(kept.length).to.equal(200000));",
                        "pm.test('status', () => pm.response.to.have.status(200));",
                    )
                ],
                "item": [
                    {"name": "one", "request": {"method": "GET", "url": "{{base}}/get?n=1"}},
                    {"name": "two", "request": {"method": "GET", "url": "{{base}}/get?n=2"}},
                ],
            }
        ],
    }
    code, report = run(tmp_path, collection, http_server)
    assert code == 0
    assert report["stats"]["assertions"] == {"total": 4, "pending": 0, "failed": 0}


def test_a_collection_level_prerequest_script_runs(tmp_path: Path, http_server: str) -> None:
    collection = {
        "info": {"name": "startup", "schema": SCHEMA},
        "event": [script("prerequest", "pm.variables.set('n', 7);")],
        "item": [
            {
                "name": "one",
                "request": {"method": "GET", "url": "{{base}}/get?n={{n}}"},
                "event": [
                    script(
                        "test",
                        "pm.test('n', () => pm.expect(pm.response.json().args.n).to.eql('7'));",
                    )
                ],
            }
        ],
    }
    code, report = run(tmp_path, collection, http_server)
    assert (code, report["stats"]["assertions"]["failed"]) == (0, 0)


def test_ctrl_c_stops_an_endless_script_at_once(tmp_path: Path, http_server: str) -> None:
    # Synchronous scripts are evaluated while the loop waits; Ctrl-C must still stop one
    # that never ends (no --timeout-script: the hard cap is two minutes).
    collection = {
        "info": {"name": "endless", "schema": SCHEMA},
        "item": [
            {
                "name": "spins",
                "event": [script("prerequest", "console.log('spinning'); while (true) {}")],
                "request": {"method": "GET", "url": "{{base}}/get"},
            }
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection))
    argv = ["run", str(path), "--env-var", f"base={http_server}"]
    process = subprocess.Popen(
        [sys.executable, "-c", CONSOLE_SCRIPT, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the script has started once the run shows the request
        if "spins" in line:
            break
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 130
    assert stderr.strip().endswith("interrupted")
