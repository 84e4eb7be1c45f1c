"""Connecting to Unix sockets and Windows named pipes, with errors that name the path."""

from __future__ import annotations

import asyncio
import os
import stat
import sys

from wirecall.core.errors import ConnectError
from wirecall.core.protocol import Endpoint


class UnixEndpoint(Endpoint):
    def check(self) -> None:
        """Fail early with the reason a user can act on: missing, not a socket, no permission."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            raise ConnectError(f"unix socket {self.path} does not exist", protocol="ipc") from None
        except PermissionError:
            raise ConnectError(f"permission denied for unix socket {self.path}", protocol="ipc") from None
        if not stat.S_ISSOCK(mode):
            raise ConnectError(f"{self.path} is not a unix socket", protocol="ipc")

    async def open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.check()
        try:
            return await asyncio.open_unix_connection(self.path)
        except PermissionError:
            raise ConnectError(f"permission denied for unix socket {self.path}", protocol="ipc") from None
        except ConnectionRefusedError:
            raise ConnectError(f"connection refused by unix socket {self.path} (no server listening)", protocol="ipc") from None


class PipeEndpoint(Endpoint):
    def check(self) -> None:
        if sys.platform != "win32":
            raise ConnectError(
                f"named pipe {self.path}: named pipes are Windows-only; on this OS use a unix socket",
                protocol="ipc",
            )

    async def open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.check()
        return await _open_pipe(self.path)


async def _open_pipe(path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:  # pragma: no cover - Windows
    """Open a client end of a named pipe on the proactor loop (Windows' default loop).

    asyncio itself retries while every instance of the pipe is busy (ERROR_PIPE_BUSY), so a
    busy server makes this wait; callers bound the wait with their connect timeout.
    """
    loop = asyncio.get_running_loop()
    create = getattr(loop, "create_pipe_connection", None)
    if create is None:
        raise ConnectError("named pipes need asyncio's ProactorEventLoop (Windows default)", protocol="ipc")
    reader = asyncio.StreamReader(loop=loop)
    try:
        transport, protocol = await create(lambda: asyncio.StreamReaderProtocol(reader, loop=loop), path)
    except FileNotFoundError:
        raise ConnectError(f"named pipe {path} does not exist", protocol="ipc") from None
    except PermissionError:
        raise ConnectError(f"permission denied for named pipe {path}", protocol="ipc") from None
    except OSError as exc:
        raise ConnectError(f"named pipe {path}: {exc}", protocol="ipc") from exc
    return reader, asyncio.StreamWriter(transport, protocol, reader, loop)
