"""Raw client loops for the stream benchmarks, each in its own process.

    python -m tests.bench.stream_client websocket WS_URL N
    python -m tests.bench.stream_client mqtt MQTT_URL N TOPIC

Each sends N messages (``m0`` .. ``m{N-1}``) to a peer that sends them back (the WebSocket
echo path; an MQTT topic the client also subscribes to), receives all N, checks each, and
prints ``{"n": N, "seconds": ...}``, the same send-everything-then-listen pattern wirecall's
stream model uses. The time covers what wirecall's ``responseTime`` covers for the item:
from opening the connection (WebSocket handshake; MQTT CONNECT and SUBSCRIBE) to closing it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from urllib.parse import urlsplit


async def websocket_loop(url: str, n: int) -> float:
    from websockets.asyncio.client import connect

    start = time.perf_counter()
    async with connect(f"{url}/echo") as ws:  # permessage-deflate on, as wirecall's default
        for i in range(n):
            await ws.send(f"m{i}")
        for i in range(n):
            if await ws.recv() != f"m{i}":
                raise SystemExit(f"message {i} came back changed")
    return time.perf_counter() - start


def mqtt_loop(url: str, n: int, topic: str) -> float:
    import paho.mqtt.client as mqtt

    parts = urlsplit(url)
    done, subscribed, received = threading.Event(), threading.Event(), []
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)

    def on_message(client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        received.append(message.payload.decode())
        if len(received) == n:
            done.set()

    client.on_message = on_message
    client.on_subscribe = lambda *args: subscribed.set()
    start = time.perf_counter()
    client.connect(parts.hostname or "127.0.0.1", parts.port or 1883)
    client.loop_start()
    client.subscribe(topic, qos=0)
    if not subscribed.wait(10):
        raise SystemExit("no SUBACK from the broker")
    for i in range(n):
        client.publish(topic, f"m{i}", qos=0)
    if not done.wait(60):
        raise SystemExit(f"received {len(received)} of {n} messages")
    client.disconnect()
    client.loop_stop()
    seconds = time.perf_counter() - start
    if sorted(received) != sorted(f"m{i}" for i in range(n)):
        raise SystemExit("messages came back changed")
    return seconds


def main(argv: list[str]) -> None:
    kind, url, n = argv[0], argv[1], int(argv[2])
    seconds = (
        asyncio.run(websocket_loop(url, n)) if kind == "websocket" else mqtt_loop(url, n, argv[3])
    )
    print(json.dumps({"n": n, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1:])
