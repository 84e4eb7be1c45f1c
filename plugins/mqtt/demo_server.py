"""A local mosquitto broker for ``wirecall demo`` and the tests: ``python -m wirecall.plugins.mqtt.demo_server``.

mosquitto (the Debian/Ubuntu package ``mosquitto``) runs as a child process with a generated
configuration in a temporary directory, every listener on 127.0.0.1 only:

    anonymous   mqtt://127.0.0.1:PORT
    auth        password file, user ``demo`` password ``demo`` (mosquitto_passwd)
    tls         server certificate from a generated CA (trustme)
    mtls        the same, and a client certificate signed by that CA is required
    unix        a Unix socket (anonymous)

Once every listener accepts connections it prints one line, the anonymous URL first::

    READY mqtt://127.0.0.1:P1 auth=mqtt://127.0.0.1:P2 tls=mqtts://127.0.0.1:P3
          mtls=mqtts://127.0.0.1:P4 unix=DIR/mqtt.sock ca=DIR/ca.pem cert=DIR/client.pem
          key=DIR/client.key user=demo password=demo

mosquitto binds the ports itself, so they are picked free just before it starts; a port
taken in between makes the start fail and it is retried with new ports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

USER, PASSWORD = "demo", "demo"
HOST = "127.0.0.1"
START_ATTEMPTS = 3
READY_TIMEOUT_S = 10.0
INSTALL_HINT = (
    "mosquitto is not installed: install the broker with "
    "`apt-get install mosquitto` (Debian/Ubuntu), `brew install mosquitto` (macOS), "
    "or see https://mosquitto.org/download/"
)


def find_mosquitto() -> str | None:
    """The broker binary: on PATH, or in the sbin folders a non-root PATH often lacks."""
    return shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if os.access(p, os.X_OK)), None
    )


def make_files(folder: Path) -> dict[str, str]:
    """Password file and (when trustme is there) CA, server and client certificates."""
    passwd = folder / "passwd"
    passwd_tool = shutil.which("mosquitto_passwd") or str(Path(find_mosquitto() or "").with_name("mosquitto_passwd"))
    subprocess.run([passwd_tool, "-b", "-c", str(passwd), USER, PASSWORD], check=True, capture_output=True)
    files = {"passwd": str(passwd)}
    try:
        import trustme
    except ImportError:
        print("note: trustme is not installed; TLS listeners are skipped", flush=True)
        return files
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    server = ca.issue_cert(HOST, "localhost")
    server.cert_chain_pems[0].write_to_path(str(folder / "server.pem"))
    server.private_key_pem.write_to_path(str(folder / "server.key"))
    client = ca.issue_cert("wirecall-client")
    client.cert_chain_pems[0].write_to_path(str(folder / "client.pem"))
    client.private_key_pem.write_to_path(str(folder / "client.key"))
    return {**files, **{name: str(folder / f) for name, f in (
        ("ca", "ca.pem"), ("server_cert", "server.pem"), ("server_key", "server.key"),
        ("cert", "client.pem"), ("key", "client.key"))}}


def make_config(folder: Path, files: dict[str, str], ports: dict[str, int]) -> Path:
    """mosquitto.conf: one block per listener (``per_listener_settings``), logs to stderr."""
    lines = [
        "per_listener_settings true",
        "persistence false",
        "user root",  # ignored unless started as root; then the files in our 0700 dir stay readable
        "log_dest stderr",
        "log_type error",
        "log_type warning",
        "set_tcp_nodelay true",
        # mosquitto drops QoS 1/2 messages for a subscriber more than 1000 behind by default;
        # a client running a script per message is slower than a burst from mosquitto_pub
        "max_queued_messages 0",
        f"listener {ports['anonymous']} {HOST}",
        "allow_anonymous true",
        f"listener {ports['auth']} {HOST}",
        "allow_anonymous false",
        f"password_file {files['passwd']}",
        f"listener 0 {folder / 'mqtt.sock'}",
        "allow_anonymous true",
    ]
    if "ca" in files:
        tls = [f"cafile {files['ca']}", f"certfile {files['server_cert']}", f"keyfile {files['server_key']}"]
        lines += [f"listener {ports['tls']} {HOST}", "allow_anonymous true", *tls]
        lines += [f"listener {ports['mtls']} {HOST}", "allow_anonymous true", *tls, "require_certificate true"]
    config = folder / "mosquitto.conf"
    config.write_text("\n".join(lines) + "\n")
    return config


def free_ports(names: list[str]) -> dict[str, int]:
    sockets = [socket.socket() for _ in names]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return {name: sock.getsockname()[1] for name, sock in zip(names, sockets, strict=True)}
    finally:
        for sock in sockets:
            sock.close()


def wait_ready(process: subprocess.Popen[bytes], ports: dict[str, int], unix_path: Path) -> bool:
    """True once every listener accepts a connection; False if mosquitto exited first."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = set(ports.values())
    while time.monotonic() < deadline and process.poll() is None:
        for port in list(pending):
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
                pending.discard(port)
        if not pending and unix_path.exists():
            return True
        time.sleep(0.01)
    return False


@contextlib.contextmanager
def running_broker(folder: Path) -> Iterator[str]:
    """Start mosquitto (retrying on port races); yield the READY address line."""
    binary = find_mosquitto()
    if binary is None:
        raise SystemExit(INSTALL_HINT)
    files = make_files(folder)
    names = ["anonymous", "auth"] + (["tls", "mtls"] if "ca" in files else [])
    for _ in range(START_ATTEMPTS):
        ports = free_ports(names)
        config = make_config(folder, files, ports)
        process = subprocess.Popen([binary, "-c", str(config)], stdin=subprocess.DEVNULL)
        try:
            if wait_ready(process, ports, folder / "mqtt.sock"):
                yield _address(folder, files, ports)
                return
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    raise SystemExit(f"mosquitto did not start after {START_ATTEMPTS} attempts (see its log above)")


def _address(folder: Path, files: dict[str, str], ports: dict[str, int]) -> str:
    words = [f"mqtt://{HOST}:{ports['anonymous']}", f"auth=mqtt://{HOST}:{ports['auth']}"]
    if "ca" in files:
        words += [f"tls=mqtts://{HOST}:{ports['tls']}", f"mtls=mqtts://{HOST}:{ports['mtls']}"]
    words.append(f"unix={folder / 'mqtt.sock'}")
    if "ca" in files:
        words += [f"ca={files['ca']}", f"cert={files['cert']}", f"key={files['key']}"]
    return " ".join([*words, f"user={USER}", f"password={PASSWORD}"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m wirecall.plugins.mqtt.demo_server", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    stop = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with tempfile.TemporaryDirectory(prefix="wirecall-mqtt-") as tmp, running_broker(Path(tmp)) as address:
        # one write: mosquitto logs to the same pipe, and print() writes the text and its
        # newline apart when Python runs unbuffered (PYTHONUNBUFFERED), so a log line of the
        # readiness probes could land inside the READY line
        sys.stdout.write(f"READY {address}\n")
        sys.stdout.flush()
        while not stop:
            time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
