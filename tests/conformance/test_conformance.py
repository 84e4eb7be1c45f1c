"""Every conformance collection gives the same results in wirecall as in Newman.

Per execution: item, iteration, each assertion's name, skipped/passed and error name and
message, and each script error. Newman is the one ``make test`` installs into .tools/.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import NEWMAN, collection_names, compare, run_both

# Differences known today, each owned by another part (pm.js / engine), keyed by
# (collection, item, assertion name or script event). They are listed so that the
# suite catches any *new* difference; remove an entry once its cause is fixed.
JSON_TEXT = "Response.json() error text is V8's, not liquid-json's (sdk.js)"
PREFIX = "script error message has a 'Name: ' prefix (engine)"
KNOWN: dict[tuple[str, str, str], str] = {
    ("chai_vocabulary", "echo", "fail()"): "pm.expect is a wrapper without expect.fail (pm.js)",
    ("json_bodies", "xml body", "json fails"): JSON_TEXT,
    ("json_bodies", "xml body", "jsonBody fails"): JSON_TEXT,
    ("script_errors", "throws after a test", "testScript"): PREFIX,
    ("script_errors", "reference error", "testScript"): PREFIX,
    ("script_errors", "pre-request throws", "prerequestScript"): PREFIX,
    ("script_errors", "syntax error", "testScript"): "syntax error text differs (engine)",
    ("script_errors", "errors inside tests", "thrown string"): (
        "a thrown non-Error fails the test as AssertionError named after the test (pm.js)"
    ),
    ("script_errors", "errors inside tests", "JSON.parse error"): (
        "the sandbox's JSON.parse is liquid-json's, throwing JSONError (runtime)"
    ),
    ("async_and_flow", "send request callback", "side request ok (fails)"): (
        "Newman's sendRequest response has no .to; mark it with {to: false} (pm.js)"
    ),
    ("named_statuses", "created", "response property (fails)"): (
        "Newman prints PostmanResponse{ …(10) }: class name and own properties differ (sdk.js)"
    ),
}


def _known(collection: str, line: str) -> bool:
    return any(
        c == collection and f"{item!r}#" in line and f"'{name}'" in line
        for (c, item, name) in KNOWN
    )


@pytest.mark.parametrize("name", collection_names())
def test_collection_matches_newman(name: str, http_server: str) -> None:
    if not NEWMAN.exists():
        pytest.skip(f"newman is not installed at {NEWMAN} (`make newman` installs it)")
    newman, wirecall = run_both(name, http_server)
    assert newman, "Newman ran nothing"
    result = compare(newman, wirecall)
    unexpected = [m for m in result.mismatches if not _known(name, m)]
    assert not unexpected, f"{result.matched}/{result.total} matched\n" + "\n".join(unexpected)
