"""Run events are immutable records: keyword or positional fields, defaults, equality.

A record class made often compiles its own ``__init__``; records made either way must be
indistinguishable, and a wrong field must fail the same way before and after."""

from __future__ import annotations

import pytest
from wirecall.core.record import COMPILE_AFTER
from wirecall.core.run import events as ev


@pytest.mark.parametrize("made", [1, COMPILE_AFTER + 5])
def test_records_behave_alike_however_their_class_builds_them(made: int) -> None:
    class Probe(ev.Event):  # a class of its own: counts start at zero
        name = "probe"
        item: object = None
        index: int = 0

    records = [Probe(ev.Cursor(3), None, "x", index=i) for i in range(made)]
    last = records[-1]
    assert (last.cursor.position, last.error, last.item, last.index) == (3, None, "x", made - 1)
    assert Probe() == Probe(cursor=ev.Cursor(), error=None, item=None, index=0)
    assert repr(Probe(index=2)) == (
        "Probe(cursor=Cursor(position=0, iteration=0, length=0, cycles=1, ref=''), "
        "error=None, item=None, index=2)"
    )
    with pytest.raises(AttributeError, match="index"):
        last.index = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="nope"):
        Probe(nope=1)  # type: ignore[call-arg]
