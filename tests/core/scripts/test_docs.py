"""The examples in docs/scripting.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

from wirecall.core.records import Message, Response

from .conftest import make_context, passed

DOC = (Path(__file__).parents[3] / "docs" / "scripting.md").read_text()
EXAMPLES = re.findall(r"```js\n(.*?)```", DOC, re.DOTALL)


async def test_first_example_passes_and_sets_the_environment(run) -> None:
    ctx = make_context(
        response=Response(protocol="http", code=200, status="OK", body=b'{"id": 7, "name": "Ada"}')
    )
    result = await run(EXAMPLES[0], context=ctx)
    assert passed(result) == [("status is 200", True), ("has a name", True)]
    assert ctx.variables.environment.get("userId") == 7


async def test_message_example_acknowledges_and_closes(run) -> None:
    message = Message("received", '{"n": 10}', type="json", fields={"event": "tick"})
    result = await run(
        EXAMPLES[1],
        event="message",
        context=make_context("message", protocol="socketio", message=message, response=None),
    )
    assert passed(result) == [("tick has a number", True)]
    assert result.send_messages == [{"data": '{"op":"ack","n":10}', "type": "json", "event": "ack"}]
    assert result.close_stream
