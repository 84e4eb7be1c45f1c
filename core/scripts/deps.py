"""Pre-fill the npm module cache with every package the sandbox offers (for offline/CI runs)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from wirecall.core.scripts.modules import PINNED, ModuleStore


async def fetch_all_async(cache_dir: Path | None = None, registry: str | None = None) -> list[str]:
    store = ModuleStore(cache_dir=cache_dir, registry=registry)
    try:
        folders = [await store.ensure(name, version) for name, version in PINNED.values()]
    finally:
        await store.aclose()
    return [folder.name for folder in folders]


def fetch_all(cache_dir: Path | None = None, registry: str | None = None) -> list[str]:
    """Fetch (or find cached) each pinned package with its dependencies; ``name@version`` list.

    Raises ``ModuleError`` naming the package that could not be fetched.
    """
    return asyncio.run(fetch_all_async(cache_dir, registry))
