"""Run one collection through Newman and through wirecall, and compare what they report.

Both tools run as subprocesses against the same echo server (``{{baseUrl}}``) with the
JSON reporter. From each report we keep, per execution (item run), the item name, the
iteration, every assertion (name, skipped, passed, error message) and every script
error (event, error name, message); that is what must match.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = Path(__file__).resolve().parent / "collections"
NEWMAN = ROOT / ".tools" / "node_modules" / ".bin" / "newman"

# Extra run options per collection (the same for both tools).
OPTIONS: dict[str, list[str]] = {
    "iterations": ["-d", str(COLLECTIONS / "iterations.data.json")],
}


def collection_names() -> list[str]:
    return sorted(p.name.split(".")[0] for p in COLLECTIONS.glob("*.postman_collection.json"))


@dataclass
class Execution:
    item: str
    iteration: int
    records: list[tuple[Any, ...]] = field(default_factory=list)


def _executions(report: dict[str, Any]) -> list[Execution]:
    out = []
    previous_ref = None
    for e in report["run"]["executions"]:
        # Newman pushes an item's one execution object again for each pm.sendRequest it
        # makes (same cursor.ref, same assertions): keep the first copy.
        ref = e["cursor"].get("ref")
        if ref is not None and ref == previous_ref:
            continue
        previous_ref = ref
        ex = Execution(e["item"]["name"], e["cursor"].get("iteration", 0))
        for a in e.get("assertions", []):
            err = a.get("error")
            ex.records.append(
                (
                    "assertion",
                    a["assertion"],
                    bool(a.get("skipped")),
                    err is None,
                    err and err.get("name"),
                    err and err.get("message"),
                )
            )
        for event in ("prerequestScript", "testScript"):
            for script in e.get(event, []):
                err = script.get("error")
                if err:
                    ex.records.append(("script error", event, err.get("name"), err.get("message")))
        out.append(ex)
    return out


def _run(argv: list[str], report: Path, base_url: str, env: dict[str, str]) -> list[Execution]:
    subprocess.run(
        [
            *argv,
            "--env-var",
            f"baseUrl={base_url}",
            "-r",
            "json",
            "--reporter-json-export",
            str(report),
        ],
        capture_output=True,
        check=False,
        timeout=120,
        env=env,
    )
    if not report.exists():
        raise RuntimeError(f"{argv[0]} wrote no report for {argv}")
    return _executions(json.loads(report.read_text(encoding="utf-8")))


def run_both(name: str, base_url: str) -> tuple[list[Execution], list[Execution]]:
    """(Newman's executions, wirecall's executions) for collection ``name``."""
    collection = str(COLLECTIONS / f"{name}.postman_collection.json")
    options = OPTIONS.get(name, [])
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    with tempfile.TemporaryDirectory() as tmp:
        newman = _run(
            [str(NEWMAN), "run", collection, *options], Path(tmp) / "n.json", base_url, env
        )
        wirecall = _run(
            [str(Path(sys.executable).parent / "wirecall"), "run", collection, *options],
            Path(tmp) / "w.json",
            base_url,
            env,
        )
    return newman, wirecall


@dataclass
class Comparison:
    matched: int
    total: int
    mismatches: list[str]


def compare(newman: list[Execution], wirecall: list[Execution]) -> Comparison:
    """Count Newman's records that wirecall reproduces at the same place; list the rest."""
    matched = total = 0
    mismatches = []
    for i in range(max(len(newman), len(wirecall))):
        want = newman[i] if i < len(newman) else None
        got = wirecall[i] if i < len(wirecall) else None
        where = f"execution {i}"
        if want is None:
            mismatches.append(f"{where}: extra in wirecall: {got}")
            continue
        total += len(want.records)
        if got is None or (got.item, got.iteration) != (want.item, want.iteration):
            mismatches.append(
                f"{where}: newman ran {want.item!r}#{want.iteration}, wirecall {got and (got.item, got.iteration)}"
            )
            continue
        for j in range(max(len(want.records), len(got.records))):
            w = want.records[j] if j < len(want.records) else None
            g = got.records[j] if j < len(got.records) else None
            if w == g:
                matched += 1
            else:
                mismatches.append(
                    f"{where} {want.item!r}#{want.iteration} record {j}:\n  newman:   {w}\n  wirecall: {g}"
                )
    return Comparison(matched, total, mismatches)


# Differences known today, keyed by (collection, item, assertion name or script event),
# each with its reason. None is left: every collection matches Newman. Should one have
# to be tolerated for a while, list it here, so the suite still catches any *new* one.
KNOWN: dict[tuple[str, str, str], str] = {}


def known_reason(collection: str, mismatch: str) -> str | None:
    """Why a mismatch line from compare() is expected today, or None if it is new."""
    for (c, item, name), reason in KNOWN.items():
        if c == collection and f"{item!r}#" in mismatch and f"'{name}'" in mismatch:
            return reason
    return None
