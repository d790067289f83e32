"""Charts as inline SVG strings, drawn here so the report needs no script or library.

Every label goes through markupsafe.escape: names come from config files and feeds.
Each bar carries a <title>, which browsers show as a tooltip with the exact count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

TYPE_COLORS = {
    "funding": "#2f6f4f",
    "acquisition": "#8a4f9e",
    "leadership_change": "#c26a1b",
    "expansion": "#2a6fb0",
    "ipo": "#b23b3b",
    "layoff": "#6b6b6b",
    "partnership": "#1f9a9a",
    "product_launch": "#b8962e",
}
FALLBACK_COLORS = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b")
BAR = "#2a6fb0"
OTHERS = "#9aa5b1"


def color_for(name: str, index: int = 0) -> str:
    return TYPE_COLORS.get(name, FALLBACK_COLORS[index % len(FALLBACK_COLORS)])


def _nice_max(value: int) -> int:
    """The axis top: the smallest 1/2/5 x 10^k at or above value (at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def bucket_label(day: date, bucket: str) -> str:
    if bucket == "month":
        return f"{day:%b %Y}"
    return f"{day:%b} {day.day}"


def stacked_bars(
    buckets: Sequence[date],
    bucket: str,
    layers: Sequence[tuple[str, str, Sequence[int]]],
    *,
    width: int = 760,
    height: int = 220,
) -> Markup:
    """One bar per time bucket, stacked by layer (label, color, counts per bucket)."""
    left, right, top, bottom = 34, 8, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(buckets), 1)
    totals = [sum(layer[2][i] for layer in layers) for i in range(len(buckets))]
    axis_max = _nice_max(max(totals, default=0))
    slot = plot_w / n
    bar_w = max(slot * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="alerts per {escape(bucket)}, stacked by type">'
    ]
    for tick in range(5):
        value = axis_max * tick / 4
        if tick and value != int(value):
            continue
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{int(value)}</text>"
        )
    every = max(1, -(-len(buckets) // 12))
    for i, day in enumerate(buckets):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(top + plot_h)
        label = bucket_label(day, bucket)
        for name, color, counts in layers:
            count = counts[i]
            if not count:
                continue
            h = plot_h * count / axis_max
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{escape(color)}"><title>{escape(label)}: {escape(name)} {count}</title>'
                "</rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'class="axis"/></svg>'
    )
    return Markup("".join(parts))


def hbar(value: float, maximum: float, *, color: str = BAR, width: int = 160) -> Markup:
    """A single horizontal bar, its length proportional to value / maximum."""
    share = value / maximum if maximum > 0 else 0.0
    w = max(width * min(share, 1.0), 1.0 if value > 0 else 0.0)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hbar" width="{width}" height="12" '
        f'viewBox="0 0 {width} 12" role="img" aria-label="{escape(str(value))}">'
        f'<rect class="bar" x="0" y="1" width="{w:.1f}" height="10" fill="{escape(color)}">'
        f"<title>{escape(str(value))}</title></rect></svg>"
    )


def spark(
    series: Sequence[int],
    buckets: Sequence[date],
    bucket: str,
    *,
    color: str = BAR,
    width: int = 180,
    height: int = 22,
) -> Markup:
    """Small columns, one per time bucket: how a row's alerts spread over the window."""
    n = max(len(series), 1)
    top = max(series, default=0) or 1
    slot = width / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="alerts per {escape(bucket)}">'
    ]
    for i, count in enumerate(series):
        if not count:
            continue
        h = max((height - 2) * count / top, 1.5)
        label = bucket_label(buckets[i], bucket) if i < len(buckets) else str(i)
        parts.append(
            f'<rect class="bar" x="{i * slot:.1f}" y="{height - h:.1f}" '
            f'width="{max(slot * 0.8, 0.8):.1f}" height="{h:.1f}" fill="{escape(color)}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
    parts.append(f'<line x1="0" x2="{width}" y1="{height}" y2="{height}" class="axis"/></svg>')
    return Markup("".join(parts))
