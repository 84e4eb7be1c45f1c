"""The ``wirecall`` command: a click group built per invocation around an Environment.

``main(argv, env)`` returns an ExitCode and never calls ``sys.exit``: WirecallError prints
one ``error: ...`` line (exit code from its class), click usage errors exit 2, Ctrl-C 130,
anything else is a bug (traceback, a request to report it, exit 3). Commands contributed
by plugins (``wirecall_commands``) are added at start-up.
"""

from __future__ import annotations

import contextlib
import copy
import sys
import traceback

import click
from wirecall.cli.demo import demo
from wirecall.cli.deps import deps
from wirecall.cli.env import Environment
from wirecall.cli.list_plugins import plugins
from wirecall.cli.run import run_command
from wirecall.cli.vault import vault
from wirecall.core.errors import ExitCode, PluginError, WirecallError

ISSUES_URL = "https://github.com/wirecall/wirecall/issues"


@click.group("wirecall", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirecall", prog_name="wirecall")
def wirecall() -> None:
    """Multi-protocol API client and Postman-compatible collection runner."""


def build_cli(env: Environment) -> click.Group:
    """The group with the built-in commands and every plugin's commands."""
    group = copy.copy(wirecall)
    group.commands = dict(wirecall.commands)
    for command in (run_command(env.host), plugins, vault, demo, deps, *_plugin_commands(env)):
        group.add_command(command)
    return group


def _plugin_commands(env: Environment) -> list[click.Command]:
    try:
        return env.host.commands()
    except Exception as exc:  # a plugin's broken command must not read as a wirecall crash
        raise PluginError(f"a plugin failed to provide its commands: {exc!r}") from exc


def main(argv: list[str] | None = None, env: Environment | None = None) -> ExitCode:
    env = env or Environment()
    try:
        with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
            result = build_cli(env).main(argv, "wirecall", standalone_mode=False, obj=env)
        return ExitCode(result) if isinstance(result, int) else ExitCode.OK
    except WirecallError as exc:
        env.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    except click.ClickException as exc:
        exc.show(file=env.stderr)
        return ExitCode.USAGE
    except (click.Abort, KeyboardInterrupt):
        env.stderr.write("interrupted\n")
        return ExitCode.INTERRUPTED
    except Exception:  # noqa: BLE001 - a bug: show everything
        traceback.print_exc(file=env.stderr)
        env.stderr.write(
            f"wirecall crashed; this is a bug, please report it with the traceback above: {ISSUES_URL}\n"
        )
        return ExitCode.INTERNAL


def run_console() -> None:
    """The ``wirecall`` console script."""
    sys.exit(main(sys.argv[1:]))
