"""One gRPC client loop in its own process: N sequential unary SayHello calls, timed.

    python -m tests.bench.grpc_client stub URL N STUB_DIR     generated stubs over grpc.aio
    python -m tests.bench.grpc_client dynamic URL N           wirecall's GrpcHandler (reflection)

Both use grpc.aio on one channel and check every reply; the first call (channel set-up and,
for wirecall, the reflection lookup) is a warm-up outside the timing. Prints
``{"n": N, "seconds": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

REQUEST = {"name": "bench"}
WANT = "Hello, bench"


async def stub_loop(url: str, n: int, stub_dir: str) -> float:
    import grpc

    sys.path.insert(0, stub_dir)
    import greeter_pb2
    import greeter_pb2_grpc

    async with grpc.aio.insecure_channel(url.removeprefix("grpc://")) as channel:
        stub = greeter_pb2_grpc.GreeterStub(channel)
        await stub.SayHello(greeter_pb2.HelloRequest(**REQUEST))
        start = time.perf_counter()
        for _ in range(n):
            reply = await stub.SayHello(greeter_pb2.HelloRequest(**REQUEST))
            if not reply.message.startswith(WANT):
                raise SystemExit(f"unexpected reply {reply!r}")
        return time.perf_counter() - start


async def dynamic_loop(url: str, n: int) -> float:
    from wirecall.core.errors import Location
    from wirecall.core.exchange import Exchange
    from wirecall.core.streams import StreamSpec
    from wirecall.plugins.grpc.handler import GrpcHandler

    raw = {"url": url, "method": "greeter.v1.Greeter/SayHello", "messages": [{"data": REQUEST}]}
    at = Location("bench")
    async with GrpcHandler() as handler:

        async def call() -> None:
            parsed = handler.parse(raw, at)
            response = await handler.send(parsed, Exchange(stream=StreamSpec.from_request(raw, at)))
            if WANT not in response.text():
                raise SystemExit(f"unexpected reply {response.text()!r}")

        await call()
        start = time.perf_counter()
        for _ in range(n):
            await call()
        return time.perf_counter() - start


def main(argv: list[str]) -> None:
    mode, url, n = argv[0], argv[1], int(argv[2])
    if mode == "stub":
        seconds = asyncio.run(stub_loop(url, n, argv[3]))
    else:
        seconds = asyncio.run(dynamic_loop(url, n))
    print(json.dumps({"n": n, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1:])
