"""RunOptions: everything a run is configured with, under Newman's option names and defaults.

The CLI fills this from ``wirecall run`` flags; library users build it directly. Times are in
milliseconds and ``0`` means "no limit", as in Newman.
"""

from __future__ import annotations

from typing import Any

from wirecall.core.exchange import Settings
from wirecall.core.record import Record, field
from wirecall.core.transport_settings import TransportSettings


class RunOptions(Record, frozen=False):
    environment: str | None = None  # -e
    globals: str | None = None  # -g
    iteration_data: str | None = None  # -d
    iteration_count: int | None = None  # -n; default: the data rows, or 1
    folders: list[str] = field(default_factory=list)  # --folder (repeatable)
    env_vars: dict[str, str] = field(default_factory=dict)  # --env-var k=v
    global_vars: dict[str, str] = field(default_factory=dict)  # --global-var k=v
    delay_request_ms: float = 0  # --delay-request
    timeout_ms: float = 0  # --timeout (the whole run)
    timeout_request_ms: float = 0  # --timeout-request
    timeout_script_ms: float = 0  # --timeout-script
    bail: bool = False  # --bail: stop after the item with the first failure
    insecure: bool = False  # -k
    ignore_redirects: bool = False  # --ignore-redirects
    ssl_client_cert: str | None = None
    ssl_client_key: str | None = None
    ssl_client_passphrase: str | None = None
    ssl_extra_ca_certs: str | None = None
    transport: TransportSettings | None = None  # --settings: per-host certificates, proxies
    working_dir: str = "."
    export_environment: str | None = None
    export_globals: str | None = None
    export_collection: str | None = None
    reporters: list[str] = field(default_factory=lambda: ["cli"])  # -r
    reporter_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # --reporter-<n>-<o>
    verbose: bool = False
    color: bool = False  # resolved from --color on|off|auto by the CLI
    silent: bool = False
    suppress_exit_code: bool = False  # -x

    def settings(self) -> Settings:
        """The transport settings every protocol handler receives."""
        return Settings(
            timeout_request_ms=self.timeout_request_ms or None,
            verify_tls=not self.insecure,
            ca_bundle=self.ssl_extra_ca_certs,
            client_cert=self.ssl_client_cert,
            client_key=self.ssl_client_key,
            client_key_passphrase=self.ssl_client_passphrase,
            follow_redirects=not self.ignore_redirects,
            working_dir=self.working_dir,
            transport=self.transport,
        )

    def cycles(self, data_rows: int) -> int:
        """Newman's iteration count: -n if given, else one per data row, else 1."""
        if self.iteration_count is not None:
            return self.iteration_count
        return data_rows or 1
