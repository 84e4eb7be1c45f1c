"""The item documented in docs/protocols/mqtt.md runs as described."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.plugins.mqtt.helpers import received, send

DOC = Path(__file__).parents[3] / "docs" / "protocols" / "mqtt.md"


async def test_documented_collection_item(broker, topic):
    block = re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert block is not None
    item = json.loads(block.group(1))
    assert item["protocol"] == "mqtt"
    raw = json.loads(json.dumps(item["request"]).replace("{{mqtt}}", broker.url).replace("demo/{{run}}", topic))
    response = await send(raw)
    got = received(response)
    assert response.ok and response.extra["stopReason"] == "received 2 message(s)"
    assert sorted((m.fields["topic"], m.data) for m in got) == [
        (f"{topic}/raw", b"\xca\xfe"), (f"{topic}/temp", '{"celsius":21.5}')]
    temp = next(m for m in got if m.fields["topic"].endswith("temp"))
    assert temp.fields["properties"] == {"contentType": "application/json", "userProperties": {"unit": "C"}}
