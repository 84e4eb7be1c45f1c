"""`wirecall deps fetch`: fill the npm module cache that script `require()` reads from."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("deps")
def deps() -> None:
    """Manage the npm packages scripts can require()."""


@deps.command("fetch")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Cache folder (default: $WIRECALL_NPM_CACHE or ~/.cache/wirecall/npm).",
)
@click.option(
    "--registry",
    default=None,
    metavar="URL",
    help="npm registry (default: $WIRECALL_NPM_REGISTRY or https://registry.npmjs.org).",
)
def fetch(cache_dir: Path | None, registry: str | None) -> None:
    """Download the packages Postman's sandbox offers (lodash, moment, crypto-js, ...)."""
    from wirecall.core.scripts.deps import fetch_all
    from wirecall.core.scripts.modules import ModuleError, default_cache_dir

    try:
        fetched = fetch_all(cache_dir, registry)
    except ModuleError as exc:
        raise click.ClickException(str(exc)) from exc
    for name in fetched:
        click.echo(name)
    click.echo(f"{len(fetched)} packages in {cache_dir or default_cache_dir()}")


