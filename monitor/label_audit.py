"""Extraction judged by careful labels of dev sentences, and what the dev labels allow at best.

The dev set (SENTiVENT, ../shared/eval) labels every *mention* of an event, history and
references back included, by one annotator each. tests/fixtures/eval/dev_audit.jsonl holds
300 of its sentences (150 it labels positive, 150 negative) labelled again by two annotators
with a written guide: `mentions` (any specific event of the type) and `labels` (the news a
rep wants). Scores here use score.py's definitions (item-level per type, micro average over
the six labelled types), weighted by each row's stratum weight so that they stand for the
whole dev set. "Dev labels vs careful" scores the careful labels as if they were predictions
against the dev labels: what a perfect extractor of that kind would get in `make eval`.

usage: python -m monitor.label_audit [AUDIT.jsonl] [--model NAME] [--triggers PATH]
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from extractors.rules import DEFAULT_TRIGGERS
from monitor.evaluate import LABELLED_TYPES, ROOT, predict

DEFAULT_AUDIT = ROOT / "tests" / "fixtures" / "eval" / "dev_audit.jsonl"

Labels = Callable[[dict], set[str]]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"{self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f}"


def score(rows: Iterable[dict], truth: Labels, guess: Labels, weighted: bool = True) -> Score:
    """Micro P/R/F1 over (item, type) pairs, as score.py counts them, each row weighted."""
    tp = fp = fn = 0.0
    for row in rows:
        weight = row["weight"] if weighted else 1.0
        t, g = truth(row) & set(LABELLED_TYPES), guess(row) & set(LABELLED_TYPES)
        tp += weight * len(t & g)
        fp += weight * len(g - t)
        fn += weight * len(t - g)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0)


def field(name: str, second: bool = False) -> Labels:
    return lambda row: set((row["second"] if second else row)[name])


def report(rows: list[dict], predicted: dict[str, set[str]]) -> str:
    def ours(row: dict) -> set[str]:
        return predicted.get(row["id"], set())

    population = sum(row["weight"] for row in rows)
    lines = [
        f"dev-set audit: {len(rows)} sentences, weighted to the dev set's {population:,.0f}",
        f"{'':44s} {'P':>6s} {'R':>6s} {'F1':>6s}",
        f"{'extractor vs careful labels (news)':44s} {score(rows, field('labels'), ours)}",
        f"{'extractor vs careful mentions':44s} {score(rows, field('mentions'), ours)}",
        f"{'extractor vs dev labels (this sample)':44s} {score(rows, field('silver'), ours)}",
        f"{'careful labels (news) vs dev labels':44s} "
        f"{score(rows, field('silver'), field('labels'))}",
        f"{'careful mentions vs dev labels':44s} {score(rows, field('silver'), field('mentions'))}",
        "second annotator vs first (unweighted): news F1 "
        f"{score(rows, field('labels'), field('labels', True), False).f1:.3f}, mentions F1 "
        f"{score(rows, field('mentions'), field('mentions', True), False).f1:.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.label_audit")
    ap.add_argument("audit", nargs="?", type=Path, default=DEFAULT_AUDIT)
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--triggers", type=Path, default=DEFAULT_TRIGGERS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    rows = [json.loads(line) for line in args.audit.read_text(encoding="utf-8").splitlines()]
    predicted: dict[str, set[str]] = defaultdict(set)
    for event in predict(args.audit, args.model, args.triggers):
        predicted[event["item_id"]].add(event["type"])
    print(report(rows, predicted))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
