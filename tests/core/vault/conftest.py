"""Vault fixtures: a throwaway key and no OS keyring unless a test installs one."""

from __future__ import annotations

import base64
import os

import pytest


@pytest.fixture
def raw_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


