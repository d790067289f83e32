"""`trigger-monitor report`: one self-contained HTML page for the people who tune the monitor.

data.py asks the database for aggregates only (counts grouped in SQL, on SQLite and
PostgreSQL alike) and returns plain dataclasses; charts.py draws them as inline SVG;
render.py fills the jinja2 template. The page loads nothing from anywhere: inline CSS,
inline SVG, no scripts, fonts or images, and every stored or configured text is escaped.
"""

from __future__ import annotations

from monitor.report.data import ReportData, Window, build_report, parse_since
from monitor.report.render import render_html

__all__ = ["ReportData", "Window", "build_report", "parse_since", "render_html"]
