"""A tiny npm registry for tests: serves ``<root>/<name>.json`` packuments and tarballs.

Run as ``python -m tests.core.scripts.npm_registry ROOT``; prints ``READY <url>``.
"""

from __future__ import annotations

import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        path = path.split("?")[0].replace("%2F", "%2f").replace("%2f", "+")
        return super().translate_path(path if path.startswith("/tarballs/") else path + ".json")

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(root: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=root))
    print(f"READY http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv[1])
