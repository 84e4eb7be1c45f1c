"""Vault fixtures: a throwaway key and no OS keyring unless a test installs one."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import null


@pytest.fixture
def raw_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """The developer's real keyring is never touched: tests see keyring's null backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
