"""Countries, regions and US states (data/places.txt): a government or a place, never a
company; also what a market entry names ("expands its service to Canada"). Plain data, so
the first pass (rules.py) and the name helpers (names.py) share it."""

from __future__ import annotations

from pathlib import Path

_PLACES_FILE = Path(__file__).with_name("data") / "places.txt"
PLACES = frozenset(
    line.strip().lower()
    for line in _PLACES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
