"""npm packages for ``require`` and ``pm.require``: a local cache filled from the registry.

A package is fetched once (packument, tarball, ``dist.integrity`` check, unpacked into
``<cache>/<name>@<version>/``) with the versions its dependencies resolved to recorded
beside it, so later runs work offline. For a script, the store statically follows the
``require('...')`` calls from each package's entry file and hands the sandbox the needed
files with every specifier already resolved; the JavaScript loader only looks them up.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from wirecall.core.scripts import semver

DEFAULT_REGISTRY = "https://registry.npmjs.org"
# What Postman's sandbox bundles in Newman 6.2 (postman-sandbox 4.7.1); `lodash@3` is the
# legacy global `_`.
PINNED: dict[str, tuple[str, str]] = {
    "lodash": ("lodash", "4.17.21"),
    "lodash@3": ("lodash", "3.10.1"),
    "moment": ("moment", "2.30.1"),
    "crypto-js": ("crypto-js", "3.3.0"),
    "tv4": ("tv4", "1.3.0"),
    "ajv": ("ajv", "6.12.5"),
    "xml2js": ("xml2js", "0.4.23"),
    "cheerio": ("cheerio", "0.22.0"),
    "chai": ("chai", "4.4.1"),
    "csv-parse": ("csv-parse", "1.2.4"),
}
# Served by the sandbox's own shims (js/builtins.js); never looked up on npm.
BUILTINS = {
    "buffer",
    "url",
    "querystring",
    "util",
    "path",
    "events",
    "assert",
    "timers",
    "string_decoder",
    "atob",
    "btoa",
    "uuid",
    "stream",
    "crypto",
}
NODE_CORE = BUILTINS | {
    "fs",
    "os",
    "stream",
    "crypto",
    "http",
    "https",
    "net",
    "zlib",
    "child_process",
}
_REQUIRE = re.compile(r"""(?<![\w$.])require\s*\(\s*(['"])([^'"\n]+)\1\s*\)""")
_PM_REQUIRE = re.compile(r"""\bpm\.require\s*\(\s*(['"])([^'"\n]+)\1\s*\)""")
_NPM_SPEC = re.compile(r"^npm:((?:@[^/@]+/)?[^/@]+)(?:@([^/]+))?(/.*)?$")


class ModuleError(Exception):
    """A package that cannot be made available (not cached and not fetchable)."""


def default_cache_dir() -> Path:
    env = os.environ.get("WIRECALL_NPM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "wirecall" / "npm"


def split_specifier(spec: str) -> tuple[str, str | None, str]:
    """``require``/``pm.require`` text -> (package name, version range or None, subpath)."""
    if spec.startswith("npm:"):
        m = _NPM_SPEC.match(spec)
        if not m:
            raise ModuleError(f"Cannot find package '{spec}': expected npm:name@version")
        return m[1], m[2] or "latest", (m[3] or "").lstrip("/")
    if spec in PINNED:
        name, version = PINNED[spec]
        return name, version, ""
    parts = spec.split("/")
    cut = 2 if spec.startswith("@") else 1
    name, sub = "/".join(parts[:cut]), "/".join(parts[cut:])
    if name not in PINNED:
        raise ModuleError(
            f"Cannot find module '{spec}': the sandbox offers {', '.join(sorted(PINNED))} and "
            f"the built-ins {', '.join(sorted(BUILTINS))}; use pm.require('npm:{name}@<version>') "
            "for other npm packages"
        )
    return name, PINNED[name][1], sub


class ModuleStore:
    def __init__(self, *, cache_dir: Path | None = None, registry: str | None = None) -> None:
        self.cache_dir = Path(os.path.abspath(cache_dir or default_cache_dir()))
        self.registry = (
            registry or os.environ.get("WIRECALL_NPM_REGISTRY") or DEFAULT_REGISTRY
        ).rstrip("/")
        self._client: Any = None
        self._packuments: dict[str, dict[str, Any]] = {}

    # -- the cache -------------------------------------------------------------------------
    def _dir(self, name: str, version: str) -> Path:
        return self.cache_dir / f"{name.replace('/', '+')}@{version}"

    def _cached_versions(self, name: str) -> list[str]:
        prefix = name.replace("/", "+") + "@"
        if not self.cache_dir.is_dir():
            return []
        return [
            p.name[len(prefix) :]
            for p in self.cache_dir.iterdir()
            if p.name.startswith(prefix) and (p / ".wirecall-deps.json").is_file()
        ]

    async def ensure(self, name: str, rng: str) -> Path:
        """The cache folder of the package version ``rng`` picks, fetching it (and its
        dependencies) when missing."""
        cached = semver.max_satisfying(self._cached_versions(name), rng)
        if cached and (rng != "latest" or semver.parse(rng) is not None):
            return self._dir(name, cached)
        try:
            packument = await self._packument(name)
        except ModuleError:
            if cached:
                return self._dir(name, cached)
            raise
        version = packument.get("dist-tags", {}).get(rng) or semver.max_satisfying(
            list(packument.get("versions", {})), rng
        )
        if version is None:
            raise ModuleError(
                f"Cannot find package '{name}@{rng}': no such version on {self.registry}"
            )
        folder = self._dir(name, version)
        if not (folder / ".wirecall-deps.json").is_file():
            await self._install(name, version, packument["versions"][version], folder)
        return folder

    async def _install(self, name: str, version: str, meta: dict[str, Any], folder: Path) -> None:
        dist = meta.get("dist", {})
        data = await self._get(dist["tarball"], f"{name}@{version}")
        _check_integrity(data, dist, f"{name}@{version}")
        _unpack(data, folder)
        resolved = {}
        for dep, rng in (meta.get("dependencies") or {}).items():
            resolved[dep] = (await self.ensure(dep, rng)).name
        (folder / ".wirecall-deps.json").write_text(json.dumps(resolved))

    async def _packument(self, name: str) -> dict[str, Any]:
        if name not in self._packuments:
            url = f"{self.registry}/{quote(name, safe='@')}"
            self._packuments[name] = json.loads(await self._get(url, name))
        return self._packuments[name]

    async def _get(self, url: str, what: str) -> bytes:
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(timeout=30, follow_redirects=True)
        try:
            response = await self._client.get(url)
        except httpx.HTTPError as exc:
            raise ModuleError(
                f"Cannot fetch '{what}' from {self.registry} ({exc.__class__.__name__}): "
                "run `wirecall deps fetch` while online, or check the name"
            ) from exc
        if response.status_code == 404:
            raise ModuleError(f"Cannot find package '{what}' on {self.registry}")
        if response.status_code != 200:
            raise ModuleError(
                f"Cannot fetch '{what}': {self.registry} answered {response.status_code}"
            )
        return response.content

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- what a script needs ----------------------------------------------------------------
    async def bundle_for(self, source: str, uses: list[str], skip: set[str]) -> dict[str, Any]:
        """Entries (specifier -> file), files the isolate lacks, and errors for the rest."""
        from wirecall.core.scripts.host import LAZY_GLOBALS

        specs = {m[2] for m in _REQUIRE.finditer(source)} | {
            m[2] for m in _PM_REQUIRE.finditer(source)
        }
        lazy = {
            "_": "lodash@3",
            "CryptoJS": "crypto-js",
            "tv4": "tv4",
            "cheerio": "cheerio",
            "moment": "moment",
            "xml2Json": "xml2js",
        }
        specs |= {lazy[name] for name in uses if name in LAZY_GLOBALS}
        bundle: dict[str, Any] = {"files": {}, "entries": {}, "errors": {}}
        for spec in sorted(specs):
            if spec.removeprefix("node:") in BUILTINS:
                continue
            try:
                name, rng, sub = split_specifier(spec)
                folder = await self.ensure(name, rng or "latest")
                entry = self._resolve_in(folder, sub)
                if entry is None:
                    raise ModuleError(f"Cannot find module '{spec}'")
            except ModuleError as exc:
                bundle["errors"][spec] = str(exc)
                continue
            bundle["entries"][spec] = entry
            self._collect(entry, bundle["files"], skip)
        return bundle

    def _resolve_in(self, folder: Path, sub: str) -> str | None:
        """``sub`` inside ``folder`` by Node's rules: the file (+.js/.json), then the
        folder's package.json ``main``, then its index.js."""
        base = folder / sub if sub else folder
        if sub:
            for candidate in (
                base,
                base.with_name(base.name + ".js"),
                base.with_name(base.name + ".json"),
            ):
                if candidate.is_file():
                    return self._relative(candidate)
        if not base.is_dir():
            return None
        pkg = base / "package.json"
        main = json.loads(pkg.read_text("utf-8")).get("main") if pkg.is_file() else None
        if main and main.strip("./"):
            found = self._resolve_in(base, main)
            if found:
                return found
        index = base / "index.js"
        return self._relative(index) if index.is_file() else None

    def _relative(self, path: Path) -> str:
        return Path(os.path.normpath(path)).relative_to(self.cache_dir).as_posix()

    def _collect(self, entry: str, files: dict[str, Any], skip: set[str]) -> None:
        """Add ``entry`` and everything it statically requires to ``files``."""
        todo = [entry]
        while todo:
            path = todo.pop()
            if path in files or path in skip:
                continue
            full = self.cache_dir / path
            source = full.read_text("utf-8", errors="replace")
            deps: dict[str, str] = {}
            files[path] = {"source": source, "deps": deps}
            if path.endswith(".json"):
                continue
            package = self.cache_dir / PurePosixPath(path).parts[0]
            for m in _REQUIRE.finditer(source):
                target = self._resolve_from(full, package, m[2])
                if target:
                    deps[m[2]] = target
                    todo.append(target)

    def _resolve_from(self, file: Path, package: Path, spec: str) -> str | None:
        if spec.startswith(("./", "../")) or spec in (".", ".."):
            return self._resolve_in(file.parent, spec)
        if spec.removeprefix("node:") in NODE_CORE:
            return None  # the sandbox's shim, or a runtime error if it has none
        parts = spec.split("/")
        cut = 2 if spec.startswith("@") else 1
        name, sub = "/".join(parts[:cut]), "/".join(parts[cut:])
        deps_file = package / ".wirecall-deps.json"
        deps = json.loads(deps_file.read_text()) if deps_file.is_file() else {}
        if name not in deps:
            return None
        return self._resolve_in(self.cache_dir / deps[name], sub)


def _check_integrity(data: bytes, dist: dict[str, Any], what: str) -> None:
    integrity = dist.get("integrity", "")
    for entry in integrity.split():
        algo, _, digest = entry.partition("-")
        if algo in ("sha512", "sha384", "sha256"):
            if base64.b64encode(hashlib.new(algo, data).digest()).decode() != digest:
                raise ModuleError(
                    f"integrity check failed for {what}: the tarball does not match {algo}"
                )
            return
    shasum = dist.get("shasum")
    if shasum and hashlib.sha1(data).hexdigest() != shasum:
        raise ModuleError(
            f"integrity check failed for {what}: the tarball does not match its shasum"
        )
    if not shasum:
        raise ModuleError(f"{what} has no dist.integrity to check")


def _unpack(data: bytes, folder: Path) -> None:
    """Unpack an npm tarball (one top folder, usually ``package/``) into ``folder``."""
    tmp = folder.with_name(folder.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = PurePosixPath(member.name).parts[1:]
            if not member.isfile() or not parts or ".." in parts or member.name.startswith("/"):
                continue
            target = tmp.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted = tar.extractfile(member)
            if extracted is not None:
                target.write_bytes(extracted.read())
    tmp.replace(folder) if not folder.exists() else None
