"""The MQTT handler against a real mosquitto: delivery, sessions, properties, auth, TLS, stops."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil

import pytest
from wirecall.core.errors import (
    AuthError,
    CollectionError,
    ConnectError,
    Location,
    RequestTimeout,
    StatusError,
    TLSError,
)
from wirecall.core.exchange import Settings
from wirecall.plugins.mqtt.handler import MqttHandler

from tests.plugins.mqtt.helpers import Subscribed, received, send, silent_broker

VERSIONS = ["5", "3.1.1"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("qos", [0, 1, 2])
async def test_publish_and_receive_at_each_qos(broker, topic, version, qos):
    response = await send(
        {
            "url": broker.url,
            "version": version,
            "subscribe": [{"topic": f"{topic}/#", "qos": 2}],
            "messages": [{"topic": f"{topic}/x", "data": "hello", "qos": qos}],
            "until": {"messages": 1, "timeoutMs": 5000},
        }
    )
    # a QoS 1/2 publish is recorded once acknowledged: its echo may be listed first
    (sent,) = [m for m in response.messages if m.direction == "sent"]
    (got,) = received(response)
    assert (response.code, response.status, response.ok) == (0, "Success", True)
    assert sent.direction == "sent" and sent.fields["acknowledged"] is (None if qos == 0 else True)
    assert (got.direction, got.data, got.type) == ("received", "hello", "text")
    assert got.fields["topic"] == f"{topic}/x" and got.fields["qos"] == qos
    assert response.extra["unacknowledged"] == []


async def test_subscription_qos_downgrades_delivery(broker, topic):
    response = await send(
        {
            "url": broker.url,
            "subscribe": [{"topic": topic, "qos": 1}],
            "messages": [{"topic": topic, "data": "q2", "qos": 2}],
            "until": {"messages": 1},
        }
    )
    assert response.extra["subscriptions"] == [
        {"topic": topic, "qos": 1, "reason": "Granted QoS 1"}
    ]
    assert received(response)[0].fields["qos"] == 1


@pytest.mark.parametrize("version", VERSIONS)
async def test_retained_message_reaches_a_later_subscriber(broker, topic, version):
    await send(
        {
            "url": broker.url,
            "version": version,
            "messages": [{"topic": topic, "data": "kept", "qos": 1, "retain": True}],
        }
    )
    later = await send(
        {"url": broker.url, "version": version, "subscribe": [topic], "until": {"messages": 1}}
    )
    assert [(m.data, m.fields["retain"]) for m in received(later)] == [("kept", True)]
    await send(
        {"url": broker.url, "messages": [{"topic": topic, "data": "", "retain": True, "qos": 1}]}
    )
    cleared = await send({"url": broker.url, "subscribe": [topic], "until": {"idleMs": 300}})
    assert received(cleared) == []


async def test_v5_publish_properties_arrive(broker, topic):
    properties = {
        "contentType": "application/json",
        "payloadFormat": 1,
        "messageExpiry": 60,
        "responseTopic": f"{topic}/reply",
        "correlationData": "req-42",
        "userProperties": {"trace": "abc", "tenant": "t1"},
    }
    response = await send(
        {
            "url": broker.url,
            "subscribe": [topic],
            "messages": [
                {"topic": topic, "data": {"n": 1}, "encoding": "json", "properties": properties}
            ],
            "until": {"messages": 1},
        }
    )
    got = received(response)[0]
    assert got.data == '{"n":1}'
    arrived = got.fields["properties"]
    assert arrived.pop("messageExpiry") in (59, 60)  # the broker counts down the time it held it
    assert arrived == {k: v for k, v in properties.items() if k != "messageExpiry"}


async def test_wildcard_filters(broker, topic):
    response = await send(
        {
            "url": broker.url,
            "subscribe": [f"{topic}/+/temp", f"{topic}/alarm/#"],
            "messages": [
                {"topic": f"{topic}/{t}", "data": t, "qos": 1}
                for t in (
                    "kitchen/temp",
                    "kitchen/humidity",
                    "alarm",
                    "alarm/door/open",
                    "a/b/temp",
                )
            ],
            "until": {"messages": 3},
        }
    )
    assert [m.fields["topic"] for m in received(response)] == [
        f"{topic}/kitchen/temp",
        f"{topic}/alarm",
        f"{topic}/alarm/door/open",
    ]


async def test_shared_subscription_splits_messages_between_members(broker, topic):
    flags = [Subscribed(), Subscribed()]
    members = [
        asyncio.create_task(
            send(
                {
                    "url": broker.url,
                    "subscribe": [{"topic": f"$share/g/{topic}", "qos": 1}],
                    "until": {"idleMs": 700},
                },
                trace=flag,
            )
        )
        for flag in flags
    ]
    for flag in flags:
        await flag.wait()
    await send(
        {
            "url": broker.url,
            "messages": [{"topic": topic, "data": str(i), "qos": 1} for i in range(10)],
        }
    )
    first, second = [received(r) for r in await asyncio.gather(*members)]
    assert first and second, "both members of the group get a share"
    assert sorted(int(m.data) for m in first + second) == list(range(10))


async def test_last_will_published_when_the_broker_drops_a_session(broker, topic):
    """A second connection with the same client id takes the session over: the first one's
    will is published, and its response records how the broker ended it."""
    watcher_ready, holder_ready = Subscribed(), Subscribed()
    watcher = asyncio.create_task(
        send(
            {
                "url": broker.url,
                "subscribe": [f"{topic}/will"],
                "until": {"messages": 1, "timeoutMs": 10000},
            },
            trace=watcher_ready,
        )
    )
    await watcher_ready.wait()
    holder = asyncio.create_task(
        send(
            {
                "url": broker.url,
                "clientId": f"{topic}-holder".replace("/", "-"),
                "will": {
                    "topic": f"{topic}/will",
                    "data": "holder gone",
                    "qos": 1,
                    "properties": {"userProperties": {"why": "takeover"}},
                },
                "subscribe": [f"{topic}/x"],
                "until": {"timeoutMs": 10000, "idleMs": None},
            },
            trace=holder_ready,
        )
    )
    await holder_ready.wait()
    await send({"url": broker.url, "clientId": f"{topic}-holder".replace("/", "-")})
    dropped, will = await holder, await watcher
    # mosquitto 2.0.11 closes the socket without a DISCONNECT packet: paho reports 128
    code, reason = dropped.extra["disconnect"]["code"], dropped.extra["disconnect"]["reason"]
    assert dropped.ok is False and code >= 0x80
    assert dropped.extra["stopReason"] == f"disconnected by the broker: {reason} ({code})"
    message = received(will)[0]
    assert message.data == "holder gone" and message.fields["properties"] == {
        "userProperties": {"why": "takeover"}
    }


async def test_persistent_session_keeps_messages_for_a_311_client(broker, topic):
    client = {
        "url": broker.url,
        "version": "3.1.1",
        "clientId": topic.replace("/", "-"),
        "cleanStart": False,
    }
    first = await send(
        {**client, "subscribe": [{"topic": topic, "qos": 1}], "until": {"idleMs": 100}}
    )
    assert first.extra["sessionPresent"] is False
    await send({"url": broker.url, "messages": [{"topic": topic, "data": "while away", "qos": 1}]})
    back = await send({**client, "until": {"messages": 1}})
    assert back.extra["sessionPresent"] is True
    assert [m.data for m in received(back)] == ["while away"]
    clean = await send({**client, "cleanStart": True, "until": {"idleMs": 200}})
    assert clean.extra["sessionPresent"] is False and received(clean) == []


async def test_username_and_password_through_the_auth_target(broker, topic):
    response = await send(
        {"url": broker.auth, "messages": [{"topic": topic, "data": "in", "qos": 1}]},
        sign=lambda target: target.set_credentials(broker.user, broker.password),
    )
    assert response.ok and response.messages[0].fields["acknowledged"] is True


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("credentials", [{}, {"username": "demo", "password": "wrong"}])
async def test_refused_credentials_show_the_connack_reason(broker, version, credentials):
    with pytest.raises(StatusError) as caught:
        await send({"url": broker.auth, "version": version, **credentials})
    assert caught.value.status == 135
    assert "connection refused by the broker: Not authorized (135)" in str(caught.value)


async def test_header_auth_needs_mqtt5(broker):
    handler = MqttHandler()
    v5 = handler.parse({"url": broker.url}, Location())
    handler.auth_target(v5).set_header("Authorization", "Bearer t")
    assert v5.user_properties == [("Authorization", "Bearer t")]
    v311 = handler.parse({"url": broker.url, "version": "3.1.1"}, Location())
    with pytest.raises(AuthError, match="not supported"):
        handler.auth_target(v311).set_header("Authorization", "Bearer t")


async def test_tls_listener_with_the_ca(broker, topic):
    response = await send(
        {
            "url": broker.tls,
            "tls": {"ca": broker.ca},
            "subscribe": [topic],
            "messages": [{"topic": topic, "data": "secret", "qos": 1}],
            "until": {"messages": 1},
        }
    )
    assert [m.data for m in received(response)] == ["secret"]


async def test_tls_without_the_ca_is_a_tls_error(broker):
    with pytest.raises(TLSError, match="certificate verify failed"):
        await send({"url": broker.tls})


async def test_ca_bundle_from_run_settings(broker):
    response = await send(
        {"url": broker.tls, "until": {"idleMs": 50}}, settings=Settings(ca_bundle=broker.ca)
    )
    assert response.code == 0


async def test_mutual_tls(broker, topic):
    tls = {"ca": broker.ca, "cert": broker.cert, "key": broker.key}
    response = await send(
        {
            "url": broker.mtls,
            "tls": tls,
            "subscribe": [topic],
            "messages": [{"topic": topic, "data": "mtls", "qos": 2}],
            "until": {"messages": 1},
        }
    )
    assert [m.data for m in received(response)] == ["mtls"]
    with pytest.raises(TLSError, match="client certificate"):
        await send({"url": broker.mtls, "tls": {"ca": broker.ca}})


async def test_unix_socket_listener(broker, topic):
    response = await send(
        {
            "url": "mqtt://localhost",
            "unix": broker.unix,
            "subscribe": [topic],
            "messages": [{"topic": topic, "data": "uds", "qos": 1}],
            "until": {"messages": 1},
        }
    )
    assert [m.data for m in received(response)] == ["uds"]


@pytest.mark.parametrize("version", VERSIONS)
async def test_mqtt_over_websocket(broker, ws_url, topic, version):
    response = await send(
        {
            "url": ws_url,
            "version": version,
            "subscribe": [{"topic": topic, "qos": 2}],
            "messages": [{"topic": topic, "data": "over ws", "qos": 2, "retain": True}],
            "until": {"messages": 1},
        }
    )
    got = received(response)[0]
    assert (got.data, got.fields["qos"]) == ("over ws", 2)
    await send({"url": broker.url, "messages": [{"topic": topic, "data": "", "retain": True}]})


async def test_connection_refused(broker):
    with pytest.raises(ConnectError, match="connection refused"):
        await send({"url": "mqtt://127.0.0.1:1"})


async def test_an_idle_session_is_kept_alive_by_pings(broker, topic):
    lines: list[str] = []
    response = await send(
        {"url": broker.url, "keepAlive": 1, "subscribe": [topic], "until": {"idleMs": 2600}},
        trace=lines.append,
    )
    assert response.ok and response.extra["stopReason"] == "idle for 2600 ms"
    assert "Received PINGRESP" in lines and response.extra["disconnect"] is None


async def test_no_connack_times_out_and_hangs_up():
    async with silent_broker(connack=False) as url:  # leaving it waits for the client's close
        with pytest.raises(RequestTimeout, match="timed out waiting for the broker"):
            await send({"url": url, "version": "3.1.1"}, settings=Settings(timeout_request_ms=300))


@pytest.mark.parametrize(
    ("until", "reason"),
    [
        ({"messages": 2}, "received 2 message(s)"),
        ({"match": "^stop"}, "message matched '^stop'"),
        ({"topic": "+/+/done"}, "matches '+/+/done'"),
    ],
)
async def test_stop_conditions_on_messages(broker, topic, until, reason):
    messages = [
        {"topic": f"{topic}/{t}", "data": d, "qos": 1}
        for t, d in (
            ("a", "one"),
            ("b", "two"),
            ("c", "stop here"),
            ("done", "four"),
            ("e", "five"),
        )
    ]
    response = await send(
        {
            "url": broker.url,
            "subscribe": [f"{topic}/#"],
            "messages": messages,
            "until": {**until, "timeoutMs": 5000},
        }
    )
    assert reason in response.extra["stopReason"]
    expected = {"messages": 2, "match": 3, "topic": 4}[next(iter(until))]
    assert len(received(response)) == expected


@pytest.mark.parametrize(
    ("until", "reason"),
    [
        ({"idleMs": 200}, "idle for 200 ms"),
        ({"idleMs": None, "timeoutMs": 300}, "timeout after 300 ms"),
    ],
)
async def test_stop_conditions_on_time(broker, topic, until, reason):
    response = await send({"url": broker.url, "subscribe": [topic], "until": until})
    assert response.extra["stopReason"] == reason and response.ok


async def test_message_script_returning_false_stops_the_stream(broker, topic):
    response = await send(
        {
            "url": broker.url,
            "subscribe": [topic],
            "messages": [{"topic": topic, "data": str(i), "qos": 1} for i in range(5)],
            "until": {"idleMs": 2000},
        },
        on_message=lambda m: not (m.direction == "received" and m.data == "1"),
    )
    assert response.extra["stopReason"] == "closed by script"
    assert [m.data for m in received(response)] == ["0", "1"]


async def test_payload_encodings(broker, topic, tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\xff\x01file")
    messages = [
        {"topic": topic, "data": "00ff10", "encoding": "hex"},
        {"topic": topic, "data": base64.b64encode(b"\xfe\xfd").decode(), "encoding": "base64"},
        {"topic": topic, "data": {"a": [1, 2]}, "encoding": "json"},
        {"topic": topic, "payload": "plain text"},
        {"topic": topic, "file": "blob.bin"},
    ]
    response = await send(
        {"url": broker.url, "subscribe": [topic], "messages": messages, "until": {"messages": 5}},
        settings=Settings(working_dir=str(tmp_path)),
    )
    got = received(response)
    assert [m.data for m in got] == [
        b"\x00\xff\x10",
        b"\xfe\xfd",
        '{"a":[1,2]}',
        "plain text",
        b"\xff\x01file",
    ]
    assert [m.type for m in got] == ["binary", "binary", "text", "text", "binary"]
    assert json.loads(got[2].data) == {"a": [1, 2]}


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ({"subscribe": ["a/#/b"]}, "$.subscribe[0].topic", "# must be the whole last level"),
        ({"subscribe": ["a/b+"]}, "$.subscribe[0].topic", "+ must fill a whole level"),
        ({"subscribe": ["$share/g"]}, "$.subscribe[0].topic", "expected $share/GROUP/FILTER"),
        ({"messages": [{"topic": "a/+", "data": "x"}]}, "$.messages[0].topic", "wildcards"),
        (
            {"messages": [{"topic": "a", "data": "zz", "encoding": "hex"}]},
            "$.messages[0].data",
            "not valid hex",
        ),
        (
            {"messages": [{"topic": "a", "data": "{nope", "encoding": "json"}]},
            "$.messages[0].data",
            "not valid JSON",
        ),
        (
            {"messages": [{"topic": "a", "data": "x", "qos": 3}]},
            "$.messages[0].qos",
            "expected qos 0, 1 or 2",
        ),
        (
            {"version": "3.1.1", "messages": [{"topic": "a", "properties": {"contentType": "x"}}]},
            "$.messages[0].properties",
            "properties need MQTT 5",
        ),
        ({"version": "4"}, "$.version", 'expected version "5" or "3.1.1"'),
        ({"url": "http://x"}, "$.url", "expected a mqtt://"),
    ],
)
def test_bad_items_fail_before_connecting(raw, path, message):
    with pytest.raises(CollectionError) as caught:
        MqttHandler().parse({"url": "mqtt://127.0.0.1:1", **raw}, Location("c.json"))
    assert caught.value.location.json_path == path and message in caught.value.reason


async def test_mosquitto_clients_interoperate(broker, topic):
    if shutil.which("mosquitto_sub") is None:
        pytest.skip("mosquitto_sub/mosquitto_pub are not installed (package mosquitto-clients)")
    # wirecall -> mosquitto_sub: retained, so it does not matter when mosquitto_sub subscribes
    await send(
        {
            "url": broker.url,
            "messages": [
                {
                    "topic": f"{topic}/a",
                    "data": "hi mosquitto",
                    "qos": 1,
                    "retain": True,
                    "properties": {"userProperties": {"k": "v"}},
                }
            ],
        }
    )
    sub = await asyncio.create_subprocess_exec(
        "mosquitto_sub",
        "-L",
        f"{broker.url}/{topic}/a",
        "-C",
        "1",
        "-V",
        "5",
        "-F",
        "%t %p %P",
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await sub.communicate()
    assert output.decode().strip() == f"{topic}/a hi mosquitto k:v"
    # mosquitto_pub -> wirecall
    ready = Subscribed()
    ours = asyncio.create_task(
        send(
            {
                "url": broker.url,
                "subscribe": [f"{topic}/b"],
                "until": {"messages": 1, "timeoutMs": 10000},
            },
            trace=ready,
        )
    )
    await ready.wait()
    pub = await asyncio.create_subprocess_exec(
        "mosquitto_pub", "-L", f"{broker.url}/{topic}/b", "-m", "hi wirecall", "-q", "2"
    )
    assert await pub.wait() == 0
    got = received(await ours)
    assert [(m.data, m.fields["qos"]) for m in got] == [("hi wirecall", 0)]
