"""``wirecall demo``: start the local demo servers, and run a collection against them.

Each server a plugin offers (``wirecall_demo_servers``) becomes the variable
``<name>Url`` (``httpUrl``, ``graphqlUrl``, ...), and the HTTP echo server also
``baseUrl``; what a server prints besides its URL (``ca=PATH``) becomes ``<name><Key>``. With a collection, only the servers it refers to are started; without one,
the servers are started and their addresses printed until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import Any

import click
from wirecall.cli.env import Environment
from wirecall.core.demo import RunningServer, start
from wirecall.core.errors import ExitCode, UsageError

ALIASES = {"baseUrl": "http"}  # Postman's conventional name for the main HTTP server


def _variable(name: str) -> str:
    return f"{name}Url"


@click.command(
    "demo",
    short_help="Start the local demo servers; run a collection against them.",
    context_settings={"ignore_unknown_options": True},
)
@click.argument("collection", required=False, metavar="[COLLECTION]")
@click.argument("run_args", nargs=-1, type=click.UNPROCESSED, metavar="[RUN OPTIONS]...")
@click.option("--server", "servers", multiple=True, metavar="NAME", help="Start this server (repeatable; default: what the collection uses, or all).")
@click.option("--list", "list_only", is_flag=True, help="List the demo servers and exit.")
@click.pass_context
def demo(
    ctx: click.Context, collection: str | None, run_args: tuple[str, ...], servers: tuple[str, ...], list_only: bool
) -> ExitCode:
    """Start demo servers; with COLLECTION, run it with their addresses as variables.

    Options after COLLECTION go to `wirecall run` (for example `-r cli,json`)."""
    env: Environment = ctx.obj
    known = {server.name: server for server in env.host.demo_servers()}
    if list_only:
        for server in known.values():
            env.stdout.write(f"{server.name:10} {{{{{_variable(server.name)}}}}}  {server.description}\n")
        return ExitCode.OK
    wanted = list(servers) or (_referenced(Path(collection), known) if collection else list(known))
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise UsageError(f"unknown demo server {', '.join(unknown)}; available: {', '.join(sorted(known))}")
    with contextlib.ExitStack() as stack:
        running = {name: stack.enter_context(_start(known[name], env)) for name in wanted}
        variables = {k: v for name, server in running.items() for k, v in _variables(name, server.address)}
        variables.update({alias: variables[_variable(n)] for alias, n in ALIASES.items() if n in running})
        if collection is None:
            return _serve(env, variables)
        run = ctx.parent.command.get_command(ctx.parent, "run")  # type: ignore[union-attr]
        env_vars = [arg for key, value in variables.items() for arg in ("--env-var", f"{key}={value}")]
        with run.make_context("run", [collection, *env_vars, *run_args], parent=ctx) as run_ctx:
            return run.invoke(run_ctx)  # type: ignore[no-any-return]


def _variables(name: str, address: str) -> list[tuple[str, str]]:
    """``READY url key=value ...`` -> ``<name>Url`` and ``<name><Key>`` (``mqttTls``, ``grpcCa``)."""
    url, *extras = address.split()
    pairs = [(_variable(name), url)]
    for extra in extras:
        key, _, value = extra.partition("=")
        pairs.append((name + key[:1].upper() + key[1:], value))
    return pairs


def _referenced(collection: Path, known: dict[str, Any]) -> list[str]:
    """Servers whose variable the collection mentions (``{{graphqlUrl}}``, ``{{baseUrl}}``)."""
    try:
        text = collection.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{collection}: {exc.strerror}") from exc
    names = set(re.findall(r"{{(\w+)}}", text))
    found = [name for name in known if _variable(name) in names]
    found += [server for alias, server in ALIASES.items() if alias in names and server in known and server not in found]
    return found


def _start(server: Any, env: Environment) -> RunningServer:
    env.stderr.write(f"starting the {server.name} demo server...\n")
    try:
        return start(server)
    except RuntimeError as exc:
        raise UsageError(str(exc).splitlines()[0], hint="see `wirecall demo --list`") from exc


def _serve(env: Environment, variables: dict[str, str]) -> ExitCode:
    for name, value in variables.items():
        env.stdout.write(f"{name}={value}\n")
    env.stdout.write("serving; press Ctrl-C to stop\n")
    env.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return ExitCode.OK
