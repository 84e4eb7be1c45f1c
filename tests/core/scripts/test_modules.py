"""require(): built-in shims, npm packages from a local registry, and the cache."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from wirecall.cli.deps import deps
from wirecall.core.scripts import Script, open_engine

from .conftest import make_context, passed


def _tarball(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _publish(
    root: Path,
    base: str,
    name: str,
    version: str,
    files: dict[str, str],
    dependencies: dict[str, str] | None = None,
    corrupt: bool = False,
) -> None:
    meta = {
        "name": name,
        "version": version,
        "main": "index.js",
        "dependencies": dependencies or {},
    }
    data = _tarball({"package.json": json.dumps(meta), **files})
    digest = base64.b64encode(hashlib.sha512(b"x" if corrupt else data).digest()).decode()
    tar_name = f"{name}-{version}.tgz"
    (root / "tarballs").mkdir(exist_ok=True)
    (root / "tarballs" / tar_name).write_bytes(data)
    packument_file = root / f"{name}.json"
    packument = (
        json.loads(packument_file.read_text())
        if packument_file.exists()
        else {"name": name, "versions": {}}
    )
    packument["versions"][version] = {
        **meta,
        "dist": {"tarball": f"{base}/tarballs/{tar_name}", "integrity": f"sha512-{digest}"},
    }
    packument["dist-tags"] = {"latest": version}
    packument_file.write_text(json.dumps(packument))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("registry")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.core.scripts.npm_registry", str(root)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[1]
    _publish(root, url, "greet-dep", "1.0.0", {"index.js": "module.exports = (n) => 'hello ' + n;"})
    _publish(root, url, "greet-dep", "1.4.2", {"index.js": "module.exports = (n) => 'hi ' + n;"})
    _publish(root, url, "greet-dep", "2.0.0", {"index.js": "module.exports = () => 'wrong major';"})
    _publish(
        root,
        url,
        "greeter",
        "3.1.0",
        {
            "index.js": "const dep = require('greet-dep'); const { shout } = require('./lib/util');\n"
            "const { EventEmitter } = require('events');\n"
            "module.exports = { greet: (n) => shout(dep(n)), emitter: typeof EventEmitter, data: require('./data.json') };",
            "lib/util.js": "exports.shout = (s) => s.toUpperCase();",
            "data.json": '{"ok": true}',
        },
        {"greet-dep": "^1.0.0"},
    )
    _publish(root, url, "tampered", "1.0.0", {"index.js": "module.exports = 1"}, corrupt=True)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait()
        proc.stdout.close()


async def _run(source: str, cache: Path, registry: str | None = None):
    engine = open_engine(timeout_ms=10_000, module_cache=cache, registry=registry)
    try:
        return await engine.run(Script(source, "test", "item 'x'"), make_context())
    finally:
        await engine.aclose()


async def test_builtin_shims(tmp_path: Path) -> None:
    result = await _run(
        "pm.test('buffer', () => pm.expect(Buffer.from('héllo').toString('base64')).to.equal('aMOpbGxv'));\n"
        "pm.test('atob', () => pm.expect(atob(btoa('a:b'))).to.equal('a:b'));\n"
        "pm.test('url', () => { const u = new URL('https://h.test:8443/a/../b?x=1#f'); pm.expect([u.host, u.pathname, u.searchParams.get('x')]).to.eql(['h.test:8443', '/b', '1']) });\n"
        "pm.test('querystring', () => pm.expect(require('querystring').stringify({a: [1, 2], b: 'x y'})).to.equal('a=1&a=2&b=x%20y'));\n"
        "pm.test('util', () => pm.expect(require('util').format('%s=%d', 'n', 5)).to.equal('n=5'));\n"
        "pm.test('path', () => pm.expect(require('path').join('/a/b', '../c')).to.equal('/a/c'));\n"
        "pm.test('events', () => { const E = require('events'); const e = new E(); let got; e.on('x', (v) => { got = v }); e.emit('x', 3); pm.expect(got).to.equal(3) });\n"
        "pm.test('assert', () => pm.expect(() => require('assert').strictEqual(1, 2)).to.throw('Expected values to be strictly equal'));\n"
        "pm.test('timers', () => pm.expect(typeof require('timers').setTimeout).to.equal('function'));\n"
        "pm.test('uuid', () => pm.expect(require('uuid').v4()).to.match(/^[0-9a-f-]{36}$/));",
        tmp_path,
    )
    assert all(ok for _, ok in passed(result)) and len(result.assertions) == 10, result.assertions


async def test_npm_package_with_dependencies_from_the_registry(
    registry: str, tmp_path: Path
) -> None:
    result = await _run(
        "const g = pm.require('npm:greeter@3.1.0');\n"
        "pm.test('greet', () => pm.expect(g.greet('ada')).to.equal('HI ADA'));\n"
        "pm.test('builtins and json', () => pm.expect([g.emitter, g.data]).to.eql(['function', {ok: true}]));\n"
        "pm.test('same instance', () => pm.expect(pm.require('npm:greeter@3.1.0')).to.equal(g));",
        tmp_path,
        registry,
    )
    assert all(ok for _, ok in passed(result)), result.assertions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["greet-dep@1.4.2", "greeter@3.1.0"]
    offline = await _run(
        "pm.test('cached', () => pm.expect(pm.require('npm:greeter@3.1.0').greet('x')).to.equal('HI X'))",
        tmp_path,
        "http://127.0.0.1:9",
    )
    assert passed(offline) == [("cached", True)]


async def test_unknown_or_unfetchable_modules_name_the_module_and_the_fix(
    registry: str, tmp_path: Path
) -> None:
    missing = await _run("pm.require('npm:no-such-pkg@1.0.0')", tmp_path, registry)
    assert str(missing.error) == f"Cannot find package 'no-such-pkg' on {registry}"
    offline = await _run("require('lodash')", tmp_path, "http://127.0.0.1:9")
    assert "Cannot fetch 'lodash'" in str(offline.error) and "wirecall deps fetch" in str(
        offline.error
    )
    unknown = await _run("require('leftpad')", tmp_path, registry)
    assert "Cannot find module 'leftpad'" in str(
        unknown.error
    ) and "pm.require('npm:leftpad@<version>')" in str(unknown.error)


async def test_tampered_tarball_is_refused(registry: str, tmp_path: Path) -> None:
    result = await _run("pm.require('npm:tampered@1.0.0')", tmp_path, registry)
    assert "integrity check failed for tampered@1.0.0" in str(result.error)
    assert not (tmp_path / "tampered@1.0.0").exists()


def test_deps_fetch_reports_an_unreachable_registry(tmp_path: Path) -> None:
    out = CliRunner().invoke(
        deps, ["fetch", "--cache-dir", str(tmp_path), "--registry", "http://127.0.0.1:9"]
    )
    assert out.exit_code == 1 and "Cannot fetch 'lodash'" in out.output


async def test_real_lodash_from_npmjs(tmp_path: Path) -> None:
    import httpx

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.head("https://registry.npmjs.org/lodash")
    except httpx.HTTPError:
        pytest.skip("registry.npmjs.org is unreachable")
    result = await _run(
        "pm.test('lodash', () => pm.expect(require('lodash').VERSION).to.equal('4.17.21'))",
        tmp_path,
    )
    assert passed(result) == [("lodash", True)]
