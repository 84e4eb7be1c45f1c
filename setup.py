"""Package discovery for the core/, plugins/ and cli/ folders mapped under ``wirecall.``.

setuptools cannot discover packages through a ``package-dir`` mapping, so the list is
derived here from the folders themselves: a new subpackage needs no edit anywhere.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {"wirecall.core": "core", "wirecall.plugins": "plugins", "wirecall.cli": "cli"}


def mapped_packages() -> list[str]:
    found = []
    for prefix, root in ROOTS.items():
        for init in sorted(Path(root).rglob("__init__.py")):
            parts = init.parent.relative_to(root).parts
            found.append(".".join((prefix, *parts)))
    return found


setup(packages=mapped_packages())
