"""Writing reports and exported files: the one place a run touches disk, after masking secrets.

Reporters hand back :class:`Artifact` objects at ``beforeDone`` (Newman's ``exports``);
``--export-environment`` and friends are artifacts too. Without a path an artifact goes to
``wirecall/<default_name>`` (Newman uses ``newman/``); a path naming a directory gets the
default name inside it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TextIO, TypeVar

from wirecall.core import jsontext
from wirecall.core.errors import WirecallError
from wirecall.core.masking import Masker
from wirecall.core.record import Record

DEFAULT_DIR = "wirecall"
T = TypeVar("T")


class Artifact(Record):
    """``content`` is text, or a JSON value that is masked and then serialised."""

    name: str
    content: Any
    path: str | None = None
    default_name: str = ""

    def target(self) -> Path:
        if not self.path:
            return Path(DEFAULT_DIR) / self.default_name
        path = Path(self.path)
        return path / self.default_name if path.is_dir() and self.default_name else path

    def write_masked(self, out: TextIO, masker: Masker) -> None:
        """Write the masked content; JSON is streamed (a 1000-request report as one string
        doubled the run's peak RSS: +60 MB for a 12 MB file, tests/bench)."""
        if isinstance(self.content, str):
            out.write(masker.mask(self.content))
            return
        write_json(self.content, out, masker)
        out.write("\n")


class LazyArray(Generic[T]):
    """A JSON array whose items are made one at a time as it is written: ``make`` applied to
    each source. A run report's executions then never exist all at once as JSON trees
    (+7.7 MB of Python objects for the bench's 1000 requests when they did)."""

    def __init__(self, make: Callable[[T], Any], sources: Sequence[T]) -> None:
        self._make = make
        self._sources = sources

    def __iter__(self) -> Iterator[Any]:
        return map(self._make, self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def write_json(value: Any, out: TextIO, masker: Masker, depth: int = 0) -> None:
    """JSON text of ``value`` with its secrets masked, streamed piece by piece for the outer
    levels and for every :class:`LazyArray`.

    ``json.dump`` streams but always uses the pure-Python encoder (0.74 s for a 1000-request
    report); one ``dumps`` builds the whole text at once. Dumping each execution (and other
    inner values) on its own (core/jsontext.py) gets both: speed and a small peak. Each
    piece is masked just before it is encoded, so no masked copy of the whole tree is made.
    """
    if depth < 2 and isinstance(value, dict):
        out.write("{")
        for index, (key, item) in enumerate(value.items()):
            out.write(("," if index else "") + json.dumps(key, ensure_ascii=False) + ":")
            write_json(item, out, masker, depth + 1)
        out.write("}")
    elif isinstance(value, LazyArray) or (depth < 3 and isinstance(value, list)):
        out.write("[")
        for index, item in enumerate(value):
            out.write(("," if index else "") + _dumps(item, masker))
        out.write("]")
    else:
        out.write(_dumps(value, masker))


def _dumps(value: Any, masker: Masker) -> str:
    return jsontext.dumps(masker.mask_tree(value))


def write_artifacts(artifacts: Iterable[Artifact], masker: Masker) -> list[Path]:
    """Write every artifact; the first one that cannot be written raises, naming its path."""
    written = []
    for artifact in artifacts:
        target = artifact.target()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8") as out:
                artifact.write_masked(out, masker)
        except OSError as exc:
            raise WirecallError(
                f"cannot write the {artifact.name} to {target}: {exc.strerror}"
            ) from exc
        written.append(target)
    return written


def collect(subscribers: Iterable[object]) -> list[Artifact]:
    """What each subscriber with an ``artifacts()`` method hands over, in subscription order."""
    found: list[Artifact] = []
    for subscriber in subscribers:
        method = getattr(subscriber, "artifacts", None)
        if method is not None:
            found.extend(method())
    return found
