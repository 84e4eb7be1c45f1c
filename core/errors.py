"""The one error tree of wirecall, and the exit codes the CLI maps it to.

    WirecallError                 one line for the user, optional hint; exit_code per class
    ├── UsageError                bad flags or conflicting options                  -> 2
    ├── InputError                .location: file, JSON path or line:col            -> 2
    │   ├── CollectionError       not JSON, not a collection, bad item shape
    │   ├── EnvironmentFileError
    │   ├── DataFileError
    │   └── FormatError           an importer or exporter failed
    ├── PluginError               load failure, duplicate name                      -> 2
    │   └── UnknownProtocolError  lists the installed protocols
    ├── VaultError                locked store, wrong key, corrupt file             -> 2
    └── ItemError                 recorded on the item; the run goes on             -> 1
        ├── VariableError
        ├── ScriptError           .script, .line, .column
        │   ├── ScriptSyntaxError
        │   ├── ScriptRuntimeError
        │   └── ScriptLimitError  time or memory limit
        ├── AuthError
        └── ProtocolError         .protocol, .status (the protocol's own)
            ├── ConnectError
            ├── TLSError
            ├── RequestTimeout
            ├── RemoteProtocolError
            └── StatusError

Library exceptions never pass a plugin boundary: each plugin maps them to the most
specific class here and chains the original with ``raise ... from``.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from wirecall.core.record import Record


class ExitCode(enum.IntEnum):
    OK = 0  # every request and assertion passed
    FAILED = 1  # a request, script or assertion failed
    USAGE = 2  # bad usage or bad input: nothing was run
    INTERNAL = 3  # a bug in wirecall or a plugin: traceback printed
    INTERRUPTED = 130  # Ctrl-C


class Location(Record):
    """Where in an input file something is wrong: file, JSON path and, if known, line:col."""

    file: str | None = None
    json_path: str = "$"
    line: int | None = None
    column: int | None = None

    def child(self, key: str | int) -> Location:
        step = f"[{key}]" if isinstance(key, int) else f".{key}"
        return Location(self.file, self.json_path + step, self.line, self.column)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 0}"
        return where if self.json_path == "$" else f"{where} at {self.json_path}"


class WirecallError(Exception):
    """Root of every error wirecall reports to a user."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(WirecallError):
    exit_code = ExitCode.USAGE


class InputError(WirecallError):
    exit_code = ExitCode.USAGE

    def __init__(self, message: str, location: Location | None = None, *, hint: str | None = None):
        text = f"{location}: {message}" if location else message
        super().__init__(text, hint=hint)
        self.location = location
        self.reason = message


class CollectionError(InputError):
    pass


class EnvironmentFileError(InputError):
    pass


class DataFileError(InputError):
    pass


class FormatError(InputError):
    pass


class PluginError(WirecallError):
    exit_code = ExitCode.USAGE


class UnknownProtocolError(PluginError):
    def __init__(self, name: str, installed: list[str]) -> None:
        super().__init__(
            f"unknown protocol {name!r}; installed protocols: {', '.join(sorted(installed))}",
            hint="install a plugin that provides it, or fix the item's \"protocol\" key",
        )
        self.name = name
        self.installed = installed


class VaultError(WirecallError):
    exit_code = ExitCode.USAGE


class ItemError(WirecallError):
    """An error that fails one item; the run records it and goes on (as Newman does)."""

    exit_code = ExitCode.FAILED


class VariableError(ItemError):
    pass


class ScriptError(ItemError):
    def __init__(
        self,
        message: str,
        *,
        script: str = "",
        line: int | None = None,
        column: int | None = None,
        js_name: str = "Error",
    ) -> None:
        super().__init__(message)
        self.script = script
        self.line = line
        self.column = column
        self.js_name = js_name


class ScriptSyntaxError(ScriptError):
    pass


class ScriptRuntimeError(ScriptError):
    pass


class ScriptLimitError(ScriptError):
    pass


class AuthError(ItemError):
    pass


class ProtocolError(ItemError):
    def __init__(self, message: str, *, protocol: str = "", status: Any = None) -> None:
        super().__init__(message)
        self.protocol = protocol
        self.status = status


class ConnectError(ProtocolError):
    pass


class TLSError(ProtocolError):
    pass


class RequestTimeout(ProtocolError):
    pass


class RemoteProtocolError(ProtocolError):
    pass


class StatusError(ProtocolError):
    pass
