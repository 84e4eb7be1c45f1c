"""``make conformance``: run every conformance collection through Newman and wirecall.

Prints ``name matched/total`` per collection (records: assertions and script errors),
then the mismatches; exits 1 unless everything matches.
"""

from __future__ import annotations

import sys

from tests.conformance.harness import NEWMAN, collection_names, compare, known_reason, run_both
from tests.fixtures import running


def main() -> int:
    if not NEWMAN.exists():
        print(f"newman is not installed at {NEWMAN} (run `make newman`)", file=sys.stderr)
        return 2
    failed = []
    with running("http") as server:
        for name in collection_names():
            result = compare(*run_both(name, server.url))
            print(f"{name:28} {result.matched}/{result.total}", flush=True)
            if result.mismatches:
                failed.append((name, result.mismatches))
    for name, mismatches in failed:
        print(f"\n== {name}")
        for line in mismatches:
            reason = known_reason(name, line)
            print(line + (f"\n  (known: {reason})" if reason else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
