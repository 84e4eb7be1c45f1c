"""The ``wirecall`` command: a click group built per invocation around an Environment.

``main(argv, env)`` returns an ExitCode and never calls ``sys.exit``: WirecallError prints
one ``error: ...`` line (exit code from its class), click usage errors exit 2, Ctrl-C 130,
anything else is a bug (traceback, a request to report it, exit 3). Commands contributed
by plugins (``wirecall_commands``) are added when a name is not a built-in command (or for
``--help``): importing every plugin's command module costs ``wirecall run`` ~75 ms of its
cold start (tests/bench).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import sys
import traceback
from collections.abc import Callable

import click
from wirecall.cli.demo import demo
from wirecall.cli.deps import deps
from wirecall.cli.env import Environment
from wirecall.cli.list_plugins import plugins
from wirecall.cli.run import run_command
from wirecall.cli.vault import vault
from wirecall.core.errors import ExitCode, PluginError, WirecallError

ISSUES_URL = "https://github.com/wirecall/wirecall/issues"


class _Group(click.Group):
    """A group whose plugin commands are loaded on the first lookup the built-ins cannot answer."""

    load_plugin_commands: Callable[[], list[click.Command]] | None = None

    def _load_plugins(self) -> None:
        load, self.load_plugin_commands = self.load_plugin_commands, None
        for command in load() if load else ():
            self.add_command(command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._load_plugins()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugins()
        return super().list_commands(ctx)


@click.group("wirecall", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirecall", prog_name="wirecall")
def wirecall() -> None:
    """Multi-protocol API client and Postman-compatible collection runner."""


def build_cli(env: Environment) -> click.Group:
    """The group with the built-in commands; every plugin's commands come on first need."""
    group = copy.copy(wirecall)
    group.commands = dict(wirecall.commands)
    for command in (run_command(env.host), plugins, vault, demo, deps):
        group.add_command(command)
    group.load_plugin_commands = lambda: _plugin_commands(env)
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


# The cyclic garbage collector's first generation is collected after this many container
# allocations instead of 700 (as mypy does): a run allocates ~150 per request, nearly all
# freed by reference counting, and each collection walks the survivors again (tests/bench).
GC_THRESHOLD = (10_000, 10, 10)


def run_console() -> None:
    """The ``wirecall`` console script.

    The objects of the modules loaded before the command starts live as long as the process:
    they are moved out of the garbage collector's reach at once, or every collection of the
    run walks them again (1000 requests: 65 -> 35 ms of collections, tests/bench). Before
    exiting, every object is: the interpreter's shutdown would otherwise traverse them all,
    several times, only to free memory the OS reclaims anyway (40-60 ms of a one-request run).
    Here, not in ``main``: a process that embeds wirecall keeps its own collector.
    """
    gc.set_threshold(*GC_THRESHOLD)
    gc.freeze()
    code = main(sys.argv[1:])
    gc.freeze()
    sys.exit(code)
