"""Ids a run makes (cursors, report ids, {{$guid}}) are random version-4 UUIDs."""

from __future__ import annotations

import uuid

from wirecall.core.ids import new_uuid
from wirecall.core.variables import dynamic


def test_new_ids_are_distinct_version_4_uuids_in_canonical_form() -> None:
    ids = [new_uuid() for _ in range(2000)] + [dynamic.generate("$guid") for _ in range(10)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert str(parsed) == text  # lower-case hex, dashes where uuid puts them
