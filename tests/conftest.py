"""Suite-wide settings: loopback traffic never goes through a proxy; gRPC stays quiet."""

import os

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
for proxy_var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(proxy_var, None)

# Server fixtures shared by every test directory (session-scoped, started on first use).
from tests.servers import (  # noqa: E402,F401
    http2_server,
    http_server,
    https_server,
    uds_http_server,
)
