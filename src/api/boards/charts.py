"""Server-drawn figures for the boards: inline SVG, no script, no chart library.

`trend(points)` draws a health score history (0..100) as a small line chart with its
points; `percent` turns a ratio into the 0..100 a progress bar shows; `lag_class` says how
far a contract's delivery lags the share of its term already gone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 320, 90, 6
BAND_COLOURS = {"green": "#2e7d32", "yellow": "#b8860b", "red": "#c62828"}


def percent(ratio: Any) -> int | None:
    """0..1 → 0..100 (rounded); None stays None."""
    if ratio is None:
        return None
    return max(0, min(100, round(Decimal(str(ratio)) * 100)))


def term_share(start: date, end: date, today: date) -> Decimal:
    """The share of the term [start, end] gone by `today`, 0..1."""
    days = (end - start).days
    if days <= 0:
        return Decimal(1)
    return max(Decimal(0), min(Decimal(1), Decimal((today - start).days) / days))


def lag_class(contract: dict[str, Any], today: date) -> str:
    """`lag-ok`, `lag-behind` (delivery trails the term by 10+ points) or `lag-far` (25+);
    `lag-none` without a project or for a contract no longer in force (renewed, ended)."""
    progress = contract.get("progress")
    if progress is None or contract.get("status", "active") not in ("active", "signed"):
        return "lag-none"
    lag = term_share(contract["start_date"], contract["end_date"], today) - Decimal(str(progress))
    if lag >= Decimal("0.25"):
        return "lag-far"
    if lag >= Decimal("0.10"):
        return "lag-behind"
    return "lag-ok"


def trend(points: list[dict[str, Any]], label: str = "") -> Markup:
    """A line of the scores (oldest first; each `{period_start, score, band}`)."""
    if not points:
        return Markup("")
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def y(score: Any) -> float:
        return round(HEIGHT - PAD - float(score) / 100 * (HEIGHT - 2 * PAD), 1)

    coords = [(round(PAD + i * step, 1), y(p["score"])) for i, p in enumerate(points)]
    line = " ".join(f"{x},{yy}" for x, yy in coords)
    dots = "".join(
        f'<circle cx="{x}" cy="{yy}" r="3" fill="{BAND_COLOURS.get(p.get("band", ""), "#555")}">'
        f'<title>{escape(str(p["period_start"]))}: {escape(str(p["score"]))}</title></circle>'
        for (x, yy), p in zip(coords, points, strict=True))
    grid = "".join(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(v)}" y2="{y(v)}" class="grid"/>'
                   for v in (40, 70))
    return Markup(
        f'<svg class="trend" role="img" aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}">{grid}'
        f'<polyline points="{line}" fill="none" stroke="#1565c0" stroke-width="2"/>{dots}</svg>')
