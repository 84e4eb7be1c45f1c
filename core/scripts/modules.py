"""npm packages for ``require``: a local cache filled from the registry (stub, grows next)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ModuleStore:
    def __init__(self, *, cache_dir: Path | None = None, registry: str | None = None) -> None:
        self.cache_dir = cache_dir
        self.registry = registry

    async def bundle_for(self, source: str, uses: list[str], skip: set[str]) -> dict[str, Any]:
        return {"files": {}, "entries": {}, "errors": {}}

    async def aclose(self) -> None:
        return None
