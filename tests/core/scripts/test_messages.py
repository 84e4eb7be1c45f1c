"""Stream protocols: pm.message in message scripts, pm.response.messages, pm.stream."""

from __future__ import annotations

from wirecall.core.records import Message, Response

from .conftest import make_context, passed


def _messages() -> list[Message]:
    return [
        Message("sent", '{"op": "sub"}', type="json", index=0, timestamp=1700000000.0),
        Message(
            "received",
            '{"kind": "tick", "n": 1}',
            type="json",
            index=1,
            timestamp=1700000000.5,
            fields={"event": "tick", "args": [1]},
        ),
        Message(
            "received",
            "plain",
            index=2,
            timestamp=1700000001.0,
            fields={"topic": "a/b", "qos": 1, "retain": False},
        ),
        Message("received", b"\x00\xff", type="binary", index=3),
    ]


async def test_message_script_sees_pm_message_and_can_close_and_send(run) -> None:
    ctx = make_context("message", protocol="socketio", message=_messages()[1], response=None)
    result = await run(
        "pm.test('data', () => pm.expect(pm.message.data).to.eql({kind: 'tick', n: 1}));\n"
        "pm.test('json', () => pm.expect(pm.message.json().n).to.equal(1));\n"
        'pm.test(\'text\', () => pm.expect(pm.message.text()).to.equal(\'{"kind": "tick", "n": 1}\'));\n'
        "pm.test('fields', () => pm.expect([pm.message.event, pm.message.args, pm.message.direction, pm.message.index]).to.eql(['tick', [1], 'received', 1]));\n"
        "pm.test('timestamp', () => pm.expect(pm.message.timestamp.getTime()).to.equal(1700000000500));\n"
        "pm.stream.send({op: 'ack', n: pm.message.data.n}, {event: 'ack'}); pm.stream.send('bye'); pm.stream.close();",
        context=ctx,
        event="message",
    )
    assert all(ok for _, ok in passed(result)), result.assertions
    assert result.close_stream
    assert result.send_messages == [
        {"data": '{"op":"ack","n":1}', "type": "json", "event": "ack"},
        {"data": "bye", "type": "text"},
    ]


async def test_binary_and_mqtt_messages(run) -> None:
    ctx = make_context("message", protocol="mqtt", message=_messages()[3], response=None)
    result = await run(
        "pm.test('bytes', () => pm.expect(Array.from(pm.message.data)).to.eql([0, 255]))",
        context=ctx,
        event="message",
    )
    assert passed(result) == [("bytes", True)]
    ctx = make_context("message", protocol="mqtt", message=_messages()[2], response=None)
    result = await run(
        "pm.test('topic', () => pm.expect([pm.message.topic, pm.message.qos, pm.message.retain, pm.message.data]).to.eql(['a/b', 1, false, 'plain']))",
        context=ctx,
        event="message",
    )
    assert passed(result) == [("topic", True)]


async def test_response_messages_list_api(run) -> None:
    response = Response(
        protocol="websocket", code=1000, status="Normal Closure", messages=_messages()
    )
    result = await run(
        "const m = pm.response.messages;\n"
        "pm.test('count', () => pm.expect([m.count(), m.length, m.all().length]).to.eql([4, 4, 4]));\n"
        "pm.test('idx', () => pm.expect(m.idx(1).data.kind).to.equal('tick'));\n"
        "pm.test('filter', () => pm.expect(m.filter((x) => x.direction === 'received').length).to.equal(3));\n"
        "pm.test('filter object', () => pm.expect(m.filter({data: {kind: 'tick'}}).length).to.equal(1));\n"
        "pm.test('find', () => pm.expect(m.find((x) => x.topic === 'a/b').index).to.equal(2));\n"
        "let n = 0; m.each(() => n++); pm.test('each', () => pm.expect(n).to.equal(4));\n"
        "pm.test('no pm.message in tests', () => pm.expect(pm.message).to.equal(undefined));",
        context=make_context(protocol="websocket", response=response),
    )
    assert all(ok for _, ok in passed(result)), result.assertions
