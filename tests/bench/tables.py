"""Turn measurements into the printed tables, the target check and the JSON results."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tests.bench.http_bench import Series
from tests.bench.measure import Stats


@dataclass
class Row:
    """One stream/gRPC comparison: wirecall against a raw client doing the same work."""

    name: str
    unit: str  # "msg/s" (higher is better) or "ms/call" (lower is better)
    wirecall: Stats | None = None
    baseline: Stats | None = None
    baseline_name: str = ""
    skipped: str = ""

    def ratio(self) -> float | None:
        if self.wirecall is None or self.baseline is None:
            return None
        return self.wirecall.median / self.baseline.median


def _pick(series: list[Series], tool: str, n: int, scripts: bool) -> Series:
    return next(s for s in series if (s.tool, s.n, s.scripts) == (tool, n, scripts))


def http_table(series: list[Series], floor: Stats, floor_n: int) -> tuple[list[str], dict[str, Any]]:
    sizes = sorted({s.n for s in series})
    small, big = sizes[0], sizes[-1]
    lines = ["", "HTTP collections (wall s and peak RSS MB: min / median / max; ratio of medians)"]
    head = f"{'variant':10} {'N':>5} {'newman wall s':>22} {'wirecall wall s':>22} {'ratio':>6}"
    head += f" {'newman RSS':>17} {'wirecall RSS':>17} {'ratio':>6}"
    lines += [head, "-" * len(head)]
    summary: dict[str, Any] = {"series": [], "floor_ms_per_request": asdict(floor), "floor_n": floor_n}
    for scripts in (True, False):
        variant = "scripts" if scripts else "noscripts"
        for n in sizes:
            nm, wc = _pick(series, "newman", n, scripts), _pick(series, "wirecall", n, scripts)
            lines.append(
                f"{variant:10} {n:>5} {nm.wall().fmt():>22} {wc.wall().fmt():>22} "
                f"{wc.wall().median / nm.wall().median:>6.2f} {nm.rss().fmt(digits=0):>17} "
                f"{wc.rss().fmt(digits=0):>17} {wc.rss().median / nm.rss().median:>6.2f}"
            )
    lines += ["", f"{'per request / cold start (medians)':44} {'newman':>9} {'wirecall':>9} {'ratio':>6}"]
    for scripts in (True, False):
        variant = "scripts" if scripts else "noscripts"
        values = {}
        for tool in ("newman", "wirecall"):
            t_small = _pick(series, tool, small, scripts).wall()
            t_big = _pick(series, tool, big, scripts).wall()
            values[tool] = {
                "overhead_ms": (t_big.median - t_small.median) / (big - small) * 1000,
                "overhead_ms_from_min": (t_big.min - t_small.min) / (big - small) * 1000,
                "cold_start_s": t_small.median,
                "cold_start_s_min": t_small.min,
                "peak_rss_mb_big": _pick(series, tool, big, scripts).rss().median,
                "cpu_overhead_ms": (_pick(series, tool, big, scripts).cpu().median
                                    - _pick(series, tool, small, scripts).cpu().median)
                / (big - small) * 1000,
                "cold_start_cpu_s": _pick(series, tool, small, scripts).cpu().median,
            }  # fmt: skip
        nm, wc = values["newman"], values["wirecall"]
        for key, label, unit in (
            ("overhead_ms", f"overhead/request ({big}-{small})/{big - small}", "ms"),
            ("cpu_overhead_ms", "  CPU user+sys per request", "ms"),
            ("cold_start_s", f"cold start t({small})", "s"),
            ("cold_start_cpu_s", "  CPU user+sys of that run", "s"),
            ("peak_rss_mb_big", f"peak RSS at N={big}", "MB"),
        ):
            lines.append(f"{variant + ' ' + label + ' ' + unit:44} {nm[key]:>9.3f} {wc[key]:>9.3f} "
                         f"{wc[key] / nm[key]:>6.3f}")  # fmt: skip
        summary[variant] = values
    lines.append(f"{'floor: raw httpx keep-alive loop':44} {floor.median * 1000:>9.3f} ms/request "
                 f"(min {floor.min * 1000:.3f}, max {floor.max * 1000:.3f}; {floor_n} requests)")  # fmt: skip
    for s in series:
        summary["series"].append({
            "tool": s.tool, "n": s.n, "scripts": s.scripts,
            "wall_s": [r.wall_s for r in s.runs], "peak_rss_mb": [r.rss_mb for r in s.runs],
            "cpu_s": [r.cpu_s for r in s.runs],
        })  # fmt: skip
    return lines, summary


def stream_table(rows: list[Row]) -> tuple[list[str], list[dict[str, Any]]]:
    lines = ["", "Streams and gRPC (min / median / max; ratio of medians wirecall/baseline)"]
    head = f"{'case':44} {'unit':8} {'wirecall':>26} {'baseline':>26} {'ratio':>6}"
    lines += [head, "-" * len(head)]
    out = []
    for row in rows:
        if row.skipped:
            lines.append(f"{row.name:44} skipped: {row.skipped}")
        else:
            assert row.wirecall and row.baseline
            digits = 0 if row.unit == "msg/s" else 3
            lines.append(f"{row.name:44} {row.unit:8} {row.wirecall.fmt(digits=digits):>26} "
                         f"{row.baseline.fmt(digits=digits):>26} {row.ratio():>6.2f}  "
                         f"vs {row.baseline_name}")  # fmt: skip
        out.append({**asdict(row), "ratio": row.ratio()})
    return lines, out


TARGETS = (  # (name, where in the results, limit, "<=" or ">=")
    ("per-request overhead with scripts", ("http", "scripts", "overhead_ms"), 0.1, "<="),
    ("per-request overhead without scripts", ("http", "noscripts", "overhead_ms"), 0.1, "<="),
    ("cold start, 1-request run with scripts", ("http", "scripts", "cold_start_s"), 0.35, "<="),
    ("peak RSS, 1000 requests, JSON reporter", ("http", "scripts", "peak_rss_mb_big"), 0.5, "<="),
)
STREAM_TARGETS = {"grpc": (1.3, "<="), "script": (0.5, ">=")}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    http = results.get("http")
    for name, (_, variant, key), limit, op in TARGETS:
        if http is None:
            out.append({"target": name, "skipped": results.get("http_error", "http not run")})
            continue
        ratio = http[variant]["wirecall"][key] / http[variant]["newman"][key]
        out.append({"target": name, "ratio": ratio, "limit": limit, "op": op,
                    "ok": ratio <= limit})  # fmt: skip
    for row in results.get("streams", []):
        name = row["name"]
        kind = "grpc" if name.startswith("gRPC") else "script" if name.endswith("message script") else None
        if kind is None:
            continue
        limit, op = STREAM_TARGETS[kind]
        if row["skipped"]:
            out.append({"target": row["name"], "skipped": row["skipped"]})
            continue
        ratio = row["ratio"]
        ok = ratio <= limit if op == "<=" else ratio >= limit
        out.append({"target": row["name"], "ratio": ratio, "limit": limit, "op": op, "ok": ok})
    return out


def target_lines(checks: list[dict[str, Any]]) -> list[str]:
    lines = ["", "Targets (issue 10; ratio wirecall/reference)"]
    for c in checks:
        if "skipped" in c:
            lines.append(f"  {c['target']:52} skipped: {c['skipped']}")
        else:
            verdict = "OK" if c["ok"] else "MISSED"
            lines.append(f"  {c['target']:52} {c['ratio']:6.3f} (target {c['op']} {c['limit']})  {verdict}")
    return lines
