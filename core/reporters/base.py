"""Reporter base: a per-run subscriber with a name, declared options and artifacts.

A reporter implements the ``on_<event>`` methods it needs (see ``wirecall.core.run.events``)
and hands files to write back from ``artifacts()`` after ``beforeDone``; core masks and
writes them. ``options`` declares the ``--reporter-<name>-<option>`` flags the CLI offers.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar, TextIO

from wirecall.core.masking import Masker
from wirecall.core.run.artifacts import Artifact
from wirecall.core.run.options import RunOptions


@dataclass(frozen=True)
class ReporterOption:
    """One ``--reporter-<reporter>-<name>`` flag; ``flag`` options take no value."""

    name: str
    help: str
    flag: bool = False


@dataclass
class ReporterContext:
    """What a reporter gets: its own option values, the run's options and the terminal."""

    options: dict[str, Any] = field(default_factory=dict)
    run: RunOptions = field(default_factory=RunOptions)
    out: TextIO = sys.stdout
    color: bool = False
    tty: bool = False
    masker: Masker = field(default_factory=Masker)


class Reporter:
    name: ClassVar[str]
    options: ClassVar[tuple[ReporterOption, ...]] = ()

    def __init__(self, context: ReporterContext) -> None:
        self.context = context

    def option(self, name: str, default: Any = None) -> Any:
        return self.context.options.get(name, default)

    def artifacts(self) -> list[Artifact]:
        return []


def report_stamp(started_ms: float) -> str:
    """Newman's report-name timestamp: ``2024-05-01-10-20-30-123-0``."""
    moment = datetime.datetime.fromtimestamp(started_ms / 1000, datetime.UTC)
    return moment.strftime("%Y-%m-%d-%H-%M-%S-") + f"{moment.microsecond // 1000:03d}-0"
