"""``wirecall plugins``: what is installed, from which distribution, contributing what."""

from __future__ import annotations

import importlib.metadata

import click
from wirecall.cli.env import Environment


@click.command("plugins")
@click.pass_obj
def plugins(env: Environment) -> None:
    """List plugins with their distribution, version and what each contributes."""
    for info in env.host.infos():
        if info.distribution:
            origin = f"{info.distribution} {info.version}"
        else:
            origin = f"wirecall {importlib.metadata.version('wirecall')} (core)"
        env.stdout.write(f"{info.name}  {origin}\n")
        for kind, names in info.contributes.items():
            env.stdout.write(f"  {kind}: {', '.join(names)}\n")
