"""The floor: the benchmark's requests in a raw keep-alive httpx loop, each response checked.

    python -m tests.bench.floor BASE_URL N     prints {"n": N, "seconds": loop time}

Same methods, query, headers and JSON bodies as the collections (variables already resolved),
each response JSON-parsed and its echoed ``i`` compared, so it does what a runner must do at
least, minus the scripts.
"""

from __future__ import annotations

import json
import sys
import time
import uuid

import httpx


def main(base_url: str, n: int) -> None:
    with httpx.Client() as client:
        start = time.perf_counter()
        for k in range(n):
            headers = {"Authorization": "Bearer t0k3n", "X-Request-Id": str(uuid.uuid4())}
            params = {"x": "42", "i": str(k)}
            if k % 2 == 0:
                response = client.get(f"{base_url}/get", params=params, headers=headers)
            else:
                body = {"x": "42", "token": "t0k3n", "k": k, "tags": ["a", "b"]}
                response = client.post(f"{base_url}/post", params=params, headers=headers, json=body)
            if response.status_code != 200 or response.json()["args"]["i"] != str(k):
                raise SystemExit(f"request {k}: unexpected answer {response.text[:200]}")
        seconds = time.perf_counter() - start
    print(json.dumps({"n": n, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
