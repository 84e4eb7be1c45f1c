"""GraphQL demo server (strawberry under uvicorn): queries, mutations, errors, uploads, subscriptions.

    python -m wirecall.plugins.graphql.demo_server

prints ``READY http://127.0.0.1:PORT/graphql`` (with ``--uds PATH``:
``READY http://unix:PATH:/graphql``). Subscriptions speak both graphql-transport-ws
and the legacy graphql-ws protocol on the same path; a WebSocket whose connection_init
payload carries ``{"token": "bad"}`` is refused. strawberry and uvicorn are test
dependencies, imported only in this server's own process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
from collections.abc import AsyncGenerator

import strawberry
import uvicorn
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.file_uploads import Upload
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL


@strawberry.type
class Book:
    id: int
    title: str
    author: str


BOOKS = [Book(id=1, title="Dune", author="Herbert"), Book(id=2, title="Emma", author="Austen")]


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def books(self) -> list[Book]:
        return BOOKS

    @strawberry.field
    def book(self, id: int) -> Book | None:  # noqa: A002 - GraphQL argument name
        return next((b for b in BOOKS if b.id == id), None)

    @strawberry.field
    def boom(self) -> str:
        raise ValueError("boom failed")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def add_book(self, title: str, author: str) -> Book:
        return Book(id=len(BOOKS) + 1, title=title, author=author)

    @strawberry.mutation
    async def upload(self, file: Upload) -> str:
        content = await file.read()  # type: ignore[attr-defined]
        return f"{file.filename}:{len(content)}:{content.decode(errors='replace')}"  # type: ignore[attr-defined]


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int = 3, interval_ms: int = 10) -> AsyncGenerator[int, None]:
        for i in range(to):
            yield i
            await asyncio.sleep(interval_ms / 1000)

    @strawberry.subscription
    async def fail_after(self, n: int = 1) -> AsyncGenerator[int, None]:
        for i in range(n):
            yield i
        raise ValueError("subscription failed")


class DemoGraphQL(GraphQL):
    async def on_ws_connect(self, context):  # type: ignore[no-untyped-def,override]
        if (context.get("connection_params") or {}).get("token") == "bad":
            raise ConnectionRejectionError({"reason": "bad token"})
        return await super().on_ws_connect(context)


schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
app = DemoGraphQL(
    schema,
    subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL],
    multipart_uploads_enabled=True,
)


def bind(uds: str | None) -> tuple[socket.socket, str]:
    """A listening socket on 127.0.0.1 port 0, or on the Unix socket ``uds``, and its URL."""
    if uds:
        if os.path.exists(uds):
            os.unlink(uds)  # left behind by a killed server
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(uds)
        return sock, f"http://unix:{uds}:/graphql"
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/graphql"


async def main(uds: str | None) -> None:
    sock, url = bind(uds)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    print(f"READY {url}", flush=True)
    await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="GraphQL demo server")
    parser.add_argument("--uds", metavar="PATH", help="listen on a Unix socket instead of TCP")
    asyncio.run(main(parser.parse_args().uds))
