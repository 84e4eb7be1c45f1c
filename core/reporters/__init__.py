"""Built-in reporters, registered through ``wirecall_reporters``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.hookspecs import hookimpl


@hookimpl
def wirecall_reporters() -> Iterable[type[Any]]:
    from wirecall.core.reporters.cli import CliReporter
    from wirecall.core.reporters.html import HtmlReporter
    from wirecall.core.reporters.json import JsonReporter
    from wirecall.core.reporters.junit import JunitReporter

    return [CliReporter, JsonReporter, JunitReporter, HtmlReporter]
