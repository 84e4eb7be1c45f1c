"""``wirecall vault``: manage the encrypted secrets that ``{{vault:name}}`` and pm.vault read."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

import click
from wirecall.core.errors import VaultError
from wirecall.core.masking import MASK
from wirecall.core.vault import Vault, store
from wirecall.core.vault.vault import VAULT_FILE

F = TypeVar("F", bound=Callable[..., Any])


def open_vault(environment: Any = None, masker: Any = None, path: Path | None = None) -> Vault:
    """The user's vault as the CLI opens it (also for ``wirecall run``: pass the run's masker).

    ``environment`` is the CLI's injectable Environment (``env``, ``config_dir``); without it
    the process environment and the default path are used.
    """
    env = getattr(environment, "env", None)
    config_dir = getattr(environment, "config_dir", None)
    if path is None and config_dir is not None:
        path = Path(config_dir) / VAULT_FILE
    return Vault(path, env=env if env is not None else os.environ, prompt=_prompt, masker=masker)


def _prompt(creating: bool) -> str:
    if not sys.stdin.isatty():
        raise VaultError(
            "the vault needs a passphrase and stdin is not a terminal",
            hint="set WIRECALL_VAULT_KEY for non-interactive use",
        )
    return click.prompt(
        "New vault passphrase" if creating else "Vault passphrase",
        hide_input=True,
        confirmation_prompt=creating,
        err=True,
    )


def _fail(message: str, code: int) -> NoReturn:
    """One ``error: ...`` line on stderr (as ``wirecall`` prints every error) and the exit code."""
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(code)


def _vault_errors(command: F) -> F:
    """Wrong key, corrupt file, bad import file: exit 2, and nothing was changed."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except VaultError as exc:
            _fail(str(exc), VaultError.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group("vault")
@click.option(
    "--vault",
    "vault_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Vault file (default: vault.bin in $WIRECALL_CONFIG_DIR or ~/.config/wirecall).",
)
@click.pass_context
def vault(ctx: click.Context, vault_path: Path | None) -> None:
    """Encrypted secrets, used in requests as {{vault:NAME}} and in scripts as pm.vault."""
    ctx.meta["wirecall.vault"] = open_vault(ctx.find_root().obj, path=vault_path)


def _open(ctx: click.Context) -> Vault:
    return ctx.meta["wirecall.vault"]


def _stdin(ctx: click.Context) -> TextIO:
    return getattr(ctx.find_root().obj, "stdin", None) or sys.stdin


@vault.command("set")
@click.argument("name")
@click.argument("value", required=False)
@click.pass_context
@_vault_errors
def set_(ctx: click.Context, name: str, value: str | None) -> None:
    """Store NAME. Without VALUE the value is read from stdin (hidden at a terminal)."""
    if value is None:
        stdin = _stdin(ctx)
        if stdin.isatty():
            value = click.prompt(f"Value for {name}", hide_input=True, err=True)
        else:
            value = stdin.read().removesuffix("\n")
    _open(ctx).set(name, value)
    click.echo(f"stored {name}", err=True)


@vault.command("get")
@click.argument("name")
@click.option("--reveal", is_flag=True, help="Print the value itself instead of ********.")
@click.pass_context
@_vault_errors
def get(ctx: click.Context, name: str, reveal: bool) -> None:
    """Show whether NAME is set (masked) or, with --reveal, its value."""
    value = _open(ctx).get(name)
    if value is None:
        _fail(f"vault secret {name!r} is not set", 1)
    click.echo(value if reveal else MASK)


@vault.command("list")
@click.pass_context
@_vault_errors
def list_(ctx: click.Context) -> None:
    """Names of the stored secrets, one per line (never the values)."""
    for name in _open(ctx).names():
        click.echo(name)


@vault.command("rm")
@click.argument("name")
@click.pass_context
@_vault_errors
def rm(ctx: click.Context, name: str) -> None:
    """Delete NAME."""
    if not _open(ctx).unset(name):
        _fail(f"vault secret {name!r} is not set", 1)
    click.echo(f"removed {name}", err=True)


@vault.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@_vault_errors
def import_(ctx: click.Context, file: Path) -> None:
    """Add the secrets in FILE: a Postman environment, a JSON object NAME -> VALUE, or an export."""
    target = _open(ctx)
    secrets = read_secrets(file, target)
    target.update(secrets)
    click.echo(f"imported {len(secrets)} secret(s) from {file}", err=True)


@vault.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plaintext", is_flag=True, help="Write a JSON object NAME -> VALUE, unencrypted.")
@click.pass_context
@_vault_errors
def export(ctx: click.Context, file: Path, plaintext: bool) -> None:
    """Write every secret to FILE: encrypted with the vault's key, or as JSON with --plaintext."""
    source = _open(ctx)
    secrets = source.items()
    if plaintext:
        blob = (json.dumps(secrets, indent=2, sort_keys=True) + "\n").encode()
    else:
        blob = store.encrypt(secrets, source.key().derive, store.new_salt())
    store.write_atomic(file, blob)
    kind = "plaintext JSON" if plaintext else "encrypted"
    click.echo(f"exported {len(secrets)} secret(s) to {file} ({kind})", err=True)


def read_secrets(file: Path, vault_: Vault) -> dict[str, str]:
    """Secrets from an encrypted export (same key), a Postman environment or a flat JSON object."""
    blob = file.read_bytes()
    if blob.startswith(store.MAGIC):
        return store.decrypt(blob, vault_.key().derive, file)
    try:
        data = json.loads(blob)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VaultError(f"{file}: not JSON and not a wirecall vault export ({exc})") from exc
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        return {
            str(v["key"]): _text(v.get("value"))
            for v in data["values"]
            if isinstance(v, dict) and "key" in v and v.get("enabled", True)
        }
    if isinstance(data, dict) and all(not isinstance(v, dict | list) for v in data.values()):
        return {str(k): _text(v) for k, v in data.items()}
    raise VaultError(
        f'{file}: expected a Postman environment ({{"values": [...]}}) '
        "or a JSON object of NAME -> VALUE"
    )


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)
