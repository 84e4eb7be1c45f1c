"""MQTT 3.1.1 and 5.0 over paho-mqtt: items with ``"protocol": "mqtt"``, ``wirecall mqtt``, a demo broker.

Hook implementations only; the handler, the commands and paho load when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("mqtt", "wirecall.plugins.mqtt.handler:MqttHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.mqtt.cli import mqtt

    return [mqtt]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [
        DemoServer(
            "mqtt",
            "wirecall.plugins.mqtt.demo_server",
            "mosquitto: anonymous, password (demo/demo), TLS and mTLS listeners and a Unix socket",
        )
    ]
