"""Start-up pays only for what a run uses: no protocol library (or V8) behind --help or HTTP."""

import json
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "grpc",
    "zeep",
    "paho",
    "socketio",
    "engineio",
    "gql",
    "websockets",
    "py_mini_racer",
    "google.protobuf",
    "cryptography",  # the vault and client certificates only
)

PROBE = """
import sys, json
from wirecall.cli.main import main
code = main({argv!r})
heavy = sorted({{m.split('.')[0] if not m.startswith('google.protobuf') else 'google.protobuf' for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"code": int(code), "heavy": heavy}}))
"""


def probe(argv: list[str], heavy: tuple[str, ...] = HEAVY) -> dict[str, object]:
    script = PROBE.format(argv=argv, heavy=heavy)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_and_help_load_no_protocol_library_nor_httpx() -> None:
    assert probe(["--help"], (*HEAVY, "httpx")) == {"code": 0, "heavy": []}


def write_collection(tmp_path: Path, url: str, events: list[dict[str, object]]) -> str:
    collection = {
        "info": {
            "name": "one",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {"name": "get", "request": {"method": "GET", "url": f"{url}/get"}, "event": events}
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection))
    return str(path)


def test_an_http_run_without_scripts_loads_no_other_protocol_library(
    tmp_path: Path, http_server: str
) -> None:
    # plain http:// goes through the HTTP plugin's own transport: httpcore (with h11, h2)
    # and the TLS context are made only for https, proxies, sockets and pipes
    path = write_collection(tmp_path, http_server, [])
    argv = ["run", path, "--reporters", "json", "--reporter-json-export", str(tmp_path / "r.json")]
    assert probe(argv, (*HEAVY, "httpcore", "h2")) == {"code": 0, "heavy": []}


def test_a_run_with_scripts_loads_v8_and_only_the_reporters_it_uses(
    tmp_path: Path, http_server: str
) -> None:
    # V8 starts early (on a thread) only because the collection has a script; the junit
    # reporter's XML library is not loaded for a json report.
    test = {
        "listen": "test",
        "script": {"exec": ["pm.test('200', () => pm.response.to.have.status(200));"]},
    }
    path = write_collection(tmp_path, http_server, [test])
    argv = ["run", path, "--reporters", "json", "--reporter-json-export", str(tmp_path / "r.json")]
    assert probe(argv, (*HEAVY, "xml")) == {"code": 0, "heavy": ["py_mini_racer"]}


def test_a_disabled_or_blank_script_does_not_start_v8(tmp_path: Path, http_server: str) -> None:
    disabled = {"listen": "test", "disabled": True, "script": {"exec": ["pm.test('x', () => {});"]}}
    blank = {"listen": "prerequest", "script": {"exec": ["", "  "]}}
    path = write_collection(tmp_path, http_server, [disabled, blank])
    argv = ["run", path, "--reporters", "json", "--reporter-json-export", str(tmp_path / "r.json")]
    assert probe(argv) == {"code": 0, "heavy": []}
