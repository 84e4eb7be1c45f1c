"""WebSocket and MQTT: messages per second through wirecall against a raw client loop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.bench.tables import Row

MESSAGES = 2000


def websocket_rows(work: Path, progress: Any) -> list[Row]:
    return [Row("WebSocket echo, message script", "msg/s", skipped="not written yet")]


def mqtt_rows(work: Path, progress: Any) -> list[Row]:
    return [Row("MQTT, message script", "msg/s", skipped="not written yet")]
