"""The settings file's client certificate for the broker's host, against mosquitto's mTLS listener."""

from __future__ import annotations

from urllib.parse import urlsplit

from wirecall.core.exchange import Settings
from wirecall.core.transport_settings import HostPattern, HostTLS, TransportSettings

from .test_handler import received, send


async def test_client_certificate_for_the_host_from_the_settings_file(broker, topic):
    host = urlsplit(broker.mtls).netloc
    entry = HostTLS(HostPattern.parse(host), cert=broker.cert, key=broker.key, ca=broker.ca)
    settings = Settings(transport=TransportSettings((entry,)))
    raw = {"url": broker.mtls, "subscribe": [topic], "until": {"messages": 1},
           "messages": [{"topic": topic, "data": "cert from settings", "qos": 1}]}  # fmt: skip
    response = await send(raw, settings=settings)
    assert [m.data for m in received(response)] == ["cert from settings"]
