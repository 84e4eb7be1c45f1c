"""Every conformance collection gives the same results in wirecall as in Newman.

Per execution: item, iteration, each assertion's name, skipped/passed and error name and
message, and each script error. Newman is the one ``make test`` installs into .tools/.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import NEWMAN, collection_names, compare, known_reason, run_both


@pytest.mark.parametrize("name", collection_names())
def test_collection_matches_newman(name: str, http_server: str) -> None:
    if not NEWMAN.exists():
        pytest.skip(f"newman is not installed at {NEWMAN} (`make newman` installs it)")
    newman, wirecall = run_both(name, http_server)
    assert newman, "Newman ran nothing"
    result = compare(newman, wirecall)
    unexpected = [m for m in result.mismatches if known_reason(name, m) is None]
    assert not unexpected, f"{result.matched}/{result.total} matched\n" + "\n".join(unexpected)
