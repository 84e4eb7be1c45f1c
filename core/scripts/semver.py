"""Just enough of npm's semver ranges to pick dependency versions from a packument."""

from __future__ import annotations

import re

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_PARTIAL = re.compile(r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?$")
Version = tuple[int, int, int]


def parse(text: str) -> Version | None:
    """A release version (pre-releases are never picked), or None."""
    m = _VERSION.match(text.strip())
    return None if not m or m.group(4) else (int(m[1]), int(m[2]), int(m[3]))


def _partial(text: str) -> list[int]:
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"not a version: {text!r}")
    out = []
    for part in m.groups():
        if part is None or part in "xX*":
            break
        out.append(int(part))
    return out


def _bump(parts: list[int]) -> Version:
    """The first version above everything matching the partial ``parts`` (1.2 -> 1.3.0)."""
    if not parts:
        return (10**9, 0, 0)
    bumped = parts[:-1] + [parts[-1] + 1]
    return tuple(bumped + [0] * (3 - len(bumped)))  # type: ignore[return-value]


def _floor(parts: list[int]) -> Version:
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def _comparators(rng: str) -> list[tuple[str, Version]]:
    """One ``||`` alternative as (operator, version) pairs that must all hold."""
    rng = rng.strip()
    hyphen = re.match(r"^(\S+)\s+-\s+(\S+)$", rng)
    if hyphen:
        low, high = _partial(hyphen[1]), _partial(hyphen[2])
        return [(">=", _floor(low)), ("<=", _floor(high)) if len(high) == 3 else ("<", _bump(high))]
    out: list[tuple[str, Version]] = []
    for token in re.sub(r"([<>=~^]+)\s+", r"\1", rng).split():
        op, ver = re.match(r"^([<>]=?|=|~>?|\^)?(.*)$", token).groups()  # type: ignore[union-attr]
        parts = _partial(ver)
        if op == "^":
            nonzero = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
            out += [(">=", _floor(parts)), ("<", _bump(parts[: max(nonzero, 0) + 1] or [0]))]
        elif op in ("~", "~>"):
            out += [(">=", _floor(parts)), ("<", _bump(parts[:2] if len(parts) > 1 else parts))]
        elif op in (None, "="):
            out += (
                [(">=", _floor(parts)), ("<", _bump(parts))]
                if len(parts) < 3
                else [("=", _floor(parts))]
            )
        elif op == ">":
            out.append((">=", _bump(parts)) if len(parts) < 3 else (">", _floor(parts)))
        elif op == "<=":
            out.append(("<", _bump(parts)) if len(parts) < 3 else ("<=", _floor(parts)))
        else:
            out.append((op, _floor(parts)))
    return out


def _holds(version: Version, op: str, bound: Version) -> bool:
    return {
        "=": version == bound,
        ">": version > bound,
        ">=": version >= bound,
        "<": version < bound,
        "<=": version <= bound,
    }[op]


def satisfies(version: str, rng: str) -> bool:
    v = parse(version)
    if v is None:
        return False
    alternatives = rng.split("||") if rng.strip() not in ("", "*", "latest") else ["*"]
    return any(all(_holds(v, op, b) for op, b in _comparators(alt)) for alt in alternatives)


def max_satisfying(versions: list[str], rng: str) -> str | None:
    candidates = [(parse(v), v) for v in versions if satisfies(v, rng)]
    return max(candidates)[1] if candidates else None
