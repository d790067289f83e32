"""ReportData -> one HTML page (jinja2 with autoescape; charts from charts.py)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from monitor.alerts.render import TYPE_LABELS
from monitor.report import charts
from monitor.report.data import MIN_VOTES, ReportData, VoteRow

VOTE_LABELS = {
    "useful": "useful",
    "already_knew": "already knew",
    "wrong_company": "wrong company",
    "not_a_trigger": "not a trigger",
    "talk_track_helped": "talk track helped",
}

_ENV = Environment(
    loader=PackageLoader("monitor.report", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "never"


def _type_label(name: str) -> str:
    return TYPE_LABELS.get(name, name.replace("_", " "))


def _web_link(url: str | None) -> str | None:
    """Only http(s) links become hrefs; anything else (javascript:, data:) stays text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _precision(row: VoteRow) -> str:
    n = row.precision_votes
    if not n:
        return "no verdict votes"
    text = f"{_pct(row.precision)} (n={n})"
    return text if row.precision_reliable else f"{text}, n too small"


_ENV.filters.update(pct=_pct, when=_when, type_label=_type_label, web_link=_web_link)
_ENV.globals.update(
    charts=charts,
    vote_labels=VOTE_LABELS,
    precision=_precision,
    min_votes=MIN_VOTES,
)


def render_html(data: ReportData) -> str:
    layers = [
        (_type_label(row.name), charts.color_for(row.name, i), row.series)
        for i, row in enumerate(data.by_type.rows)
    ]
    return _ENV.get_template("report.html").render(data=data, layers=layers)
