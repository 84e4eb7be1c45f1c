"""DESIGN.md's dependency rules, checked on the source: cli -> plugins -> core, never back."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PROTOCOL_LIBRARIES = ("grpc", "google.protobuf", "websockets", "paho", "zeep", "gql", "socketio", "engineio")


def imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("core"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_no_plugin_cli_or_protocol_library(path: Path) -> None:
    bad = [n for n in imports(path) if n.startswith(("wirecall.plugins", "wirecall.cli")) or n.split(".")[0] in PROTOCOL_LIBRARIES or n.startswith("google.protobuf")]
    assert bad == []


@pytest.mark.parametrize("path", sources("plugins"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_plugin_imports_no_other_plugin_and_no_cli(path: Path) -> None:
    own = path.relative_to(ROOT / "plugins").parts[0]
    bad = [n for n in imports(path) if n.startswith("wirecall.cli")
           or (n.startswith("wirecall.plugins.") and n.split(".")[2] != own)]  # fmt: skip
    assert bad == []


def test_every_package_folder_is_installed() -> None:
    """setup.py derives the package list from the folders; this proves the mapping holds."""
    import importlib

    for folder in ("core", "plugins", "cli"):
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            module = importlib.import_module("wirecall." + ".".join(parts))
            assert Path(module.__file__).resolve() == init.resolve()
