"""The sandbox's JSON errors are liquid-json's, which Newman reports word for word.

core/scripts/js/json.js re-creates liquid-json's error texts (message, line:column, the
line and a caret); this runs both on the same inputs in Node (with the liquid-json that
Newman's installation brings) and expects no difference.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conformance.harness import ROOT

LIQUID = ROOT / ".tools" / "node_modules" / "liquid-json"
JSON_JS = ROOT / "core" / "scripts" / "js" / "json.js"
SCRIPT = ROOT / "tests" / "conformance" / "json_errors.js"


def test_json_errors_match_liquid_json() -> None:
    node = shutil.which("node")
    if node is None or not LIQUID.exists():
        pytest.skip("needs node and Newman's installation (`make newman`)")
    out = subprocess.run(
        [node, str(SCRIPT), str(JSON_JS), str(LIQUID)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout == "", out.stdout[:2000]
