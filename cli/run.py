"""``wirecall run COLLECTION``: Newman's ``run`` options -> RunOptions -> the runner.

Reporter options are declared by each reporter class (``ReporterOption``) and offered as
``--reporter-<reporter>-<option>``, so third-party reporters get flags too.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import click
from wirecall.cli.env import Environment
from wirecall.cli.vault import open_vault
from wirecall.core.errors import ExitCode, Location, UsageError, VariableError
from wirecall.core.masking import Masker
from wirecall.core.plugins import PluginHost
from wirecall.core.transport_settings import (
    SETTINGS_FILE,
    SettingsFileError,
    TransportSettings,
    load_settings,
)
from wirecall.core.variables import Variables

MS = click.IntRange(min=0)


def _pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """``--env-var key=value`` (repeatable) as a dict; the value may itself contain ``=``."""
    pairs = {}
    for text in values:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {text!r}", ctx, param)
        pairs[key] = value
    return pairs


@click.command("run", short_help="Run a Postman collection (Newman's options).")
@click.argument("collection", metavar="COLLECTION")
@click.option("-e", "--environment", metavar="PATH", help="Postman environment file.")
@click.option("-g", "--globals", "globals_", metavar="PATH", help="Postman globals file.")
@click.option(
    "-d", "--iteration-data", metavar="PATH", help="Data file, CSV or JSON: one iteration per row."
)
@click.option("-n", "--iteration-count", type=click.IntRange(min=1), help="Number of iterations.")
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="NAME",
    help="Run only this folder or item (repeatable).",
)
@click.option(
    "--env-var",
    "env_vars",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_pairs,
    help="Set an environment variable (repeatable).",
)
@click.option(
    "--global-var",
    "global_vars",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_pairs,
    help="Set a global variable (repeatable).",
)
@click.option("--export-environment", metavar="PATH", help="Write the final environment here.")
@click.option("--export-globals", metavar="PATH", help="Write the final globals here.")
@click.option(
    "--export-collection", metavar="PATH", help="Write the collection (with its variables) here."
)
@click.option(
    "-r",
    "--reporters",
    default="cli",
    show_default=True,
    metavar="LIST",
    help="Comma-separated reporters (cli, json, junit, or a plugin's).",
)
@click.option("--delay-request", default=0, type=MS, metavar="MS", help="Wait between items.")
@click.option(
    "--timeout", default=0, type=MS, metavar="MS", help="Limit for the whole run (0: none)."
)
@click.option(
    "--timeout-request", default=0, type=MS, metavar="MS", help="Limit per request (0: none)."
)
@click.option(
    "--timeout-script", default=0, type=MS, metavar="MS", help="Limit per script (0: none)."
)
@click.option(
    "--bail",
    is_flag=False,
    flag_value="failure",
    default=None,
    metavar="[folder,failure]",
    help="Stop the run after the first failing item.",
)
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--ignore-redirects", is_flag=True, help="Do not follow redirects.")
@click.option("--ssl-client-cert", metavar="PEM", help="Client certificate.")
@click.option("--ssl-client-key", metavar="PEM", help="Client certificate's private key.")
@click.option("--ssl-client-passphrase", metavar="TEXT", help="Passphrase of the client key.")
@click.option("--ssl-extra-ca-certs", metavar="PEM", help="Extra trusted CA certificates.")
@click.option(
    "--settings",
    "settings_file",
    metavar="PATH",
    help="Per-host certificates and proxies (default: settings.json in the config dir).",
)
@click.option(
    "--working-dir", default=".", metavar="DIR", help="Base for relative file paths in bodies."
)
@click.option("--verbose", is_flag=True, help="Show stream messages as they pass.")
@click.option(
    "--color",
    type=click.Choice(["on", "off", "auto"]),
    default="auto",
    show_default=True,
    help="Colour the output.",
)
@click.option("--no-color", is_flag=True, help="Same as --color off.")
@click.option("-x", "--suppress-exit-code", is_flag=True, help="Exit 0 even when something failed.")
@click.option("--silent", is_flag=True, help="Print nothing.")
@click.pass_obj
def run(env: Environment, collection: str, **kw: Any) -> ExitCode:
    """Run COLLECTION (a Postman v2.0/v2.1 file) as Newman does; exit 1 if anything failed."""
    from wirecall.core.model import load_collection
    from wirecall.core.run.runner import run_collection

    host = env.host
    options = _run_options(env, kw, host)
    masker = Masker()
    vault = open_vault(env, masker)  # the file is read only when a secret is first used
    options.transport = _transport_settings(env, kw["settings_file"], vault, masker)
    reporters = _reporters(env, options, masker, host)
    loaded = load_collection(collection)
    if loaded.has_scripts(options.folders):  # V8 starts on a thread while the run is prepared
        from wirecall.core.scripts import isolate

        isolate.prestart()
    summary = asyncio.run(
        run_collection(loaded, options, host, reporters, masker=masker, vault=vault)
    )
    for failure in summary.subscriber_failures:
        env.stderr.write(f"error: {failure} (a bug: please report it)\n")
    if summary.subscriber_failures:
        return ExitCode.INTERNAL
    return ExitCode.OK if options.suppress_exit_code else summary.exit_code()


def run_command(host: PluginHost) -> click.Command:
    """``run`` with a ``--reporter-<name>-<option>`` flag for every installed reporter's options."""
    command = copy.copy(run)
    command.params = [*run.params, *(_reporter_param(n, o) for n, o in _reporter_options(host))]
    return command


def _reporter_options(host: PluginHost) -> list[tuple[str, Any]]:
    return [
        (name, option)
        for name, cls in host.reporters.items()
        for option in getattr(cls, "options", ())
    ]


def _param_name(reporter: str, option: str) -> str:
    return f"reporter_{reporter}_{option}".replace("-", "_")


def _reporter_param(reporter: str, option: Any) -> click.Option:
    flag = f"--reporter-{reporter}-{option.name}"
    if option.flag:
        return click.Option(
            [flag, _param_name(reporter, option.name)], is_flag=True, help=option.help
        )
    return click.Option(
        [flag, _param_name(reporter, option.name)], metavar="VALUE", help=option.help
    )


def _run_options(env: Environment, kw: dict[str, Any], host: PluginHost) -> Any:
    from wirecall.core.run.options import RunOptions

    bail = kw["bail"] is not None and "failure" in kw["bail"].split(",")
    reporter_options: dict[str, dict[str, Any]] = {}
    for name, option in _reporter_options(host):
        value = kw.pop(_param_name(name, option.name))
        if value not in (None, False):
            reporter_options.setdefault(name, {})[option.name] = value
    return RunOptions(
        environment=kw["environment"], globals=kw["globals_"], iteration_data=kw["iteration_data"],
        iteration_count=kw["iteration_count"], folders=list(kw["folders"]), env_vars=kw["env_vars"],
        global_vars=kw["global_vars"], delay_request_ms=kw["delay_request"], timeout_ms=kw["timeout"],
        timeout_request_ms=kw["timeout_request"], timeout_script_ms=kw["timeout_script"], bail=bail,
        insecure=kw["insecure"], ignore_redirects=kw["ignore_redirects"],
        ssl_client_cert=kw["ssl_client_cert"], ssl_client_key=kw["ssl_client_key"],
        ssl_client_passphrase=kw["ssl_client_passphrase"], ssl_extra_ca_certs=kw["ssl_extra_ca_certs"],
        working_dir=kw["working_dir"], export_environment=kw["export_environment"],
        export_globals=kw["export_globals"], export_collection=kw["export_collection"],
        reporters=[r.strip() for r in kw["reporters"].split(",") if r.strip()],
        reporter_options=reporter_options, verbose=kw["verbose"],
        color=env.color("off" if kw["no_color"] else kw["color"]), silent=kw["silent"],
        suppress_exit_code=kw["suppress_exit_code"],
    )  # fmt: skip


def _transport_settings(
    env: Environment, path: str | None, vault: Any, masker: Masker
) -> TransportSettings | None:
    """``--settings PATH``, else ``settings.json`` in the config dir when there is one.

    Passphrases and proxy URLs may use ``{{vault:name}}``; their values are masked.
    """
    if path is None:
        default = Path(env.config_dir) / SETTINGS_FILE
        if not default.is_file():
            return None
        path = str(default)
    variables = Variables(vault=vault)

    def resolve(text: str) -> str:
        try:
            return variables.resolve(text)
        except VariableError as exc:
            raise SettingsFileError(exc.message, Location(file=path), hint=exc.hint) from exc

    settings = load_settings(path, resolve)
    for secret in settings.secrets():
        masker.register(secret)
    return settings


def _reporters(env: Environment, options: Any, masker: Masker, host: PluginHost) -> list[Any]:
    from wirecall.core.reporters.base import ReporterContext

    reporters = []
    for name in options.reporters:
        cls = host.reporters.get(name)
        if cls is None:
            installed = ", ".join(sorted(host.reporters))
            raise UsageError(f"unknown reporter {name!r}; installed reporters: {installed}")
        context = ReporterContext(
            options=options.reporter_options.get(name, {}), run=options, out=env.stdout,
            color=options.color, tty=env.isatty, masker=masker,
        )  # fmt: skip
        reporters.append(cls(context))
    return reporters
