"""Measure extraction quality on a labelled JSONL set with the shared scorer's definitions.

usage: python -m monitor.evaluate [GOLD.jsonl] [--model NAME] [--triggers PATH] [--no-first-pass]
       python -m monitor.evaluate [DEV.jsonl] --articles   (the dev set as whole articles)
       python -m monitor.evaluate --speed FEEDS_DIR

Item-level P/R/F1 per type and micro average, computed by ../shared/eval/score.py itself when
it is present (so the numbers here are the numbers the project is judged by).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import logging
import re
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from extractors.nlp import load_pipeline
from extractors.rules import DEFAULT_TRIGGERS, load_triggers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "dev_sentences.jsonl"
LABELLED_TYPES = (
    "funding",
    "leadership_change",
    "expansion",
    "acquisition",
    "partnership",
    "product_launch",
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldItem:
    id: str
    title: str
    text: str


def load_scorer(gold: Path) -> ModuleType | None:
    """The shared score.py next to the gold file (or in ../shared/eval), if there is one."""
    for path in (gold.parent / "score.py", DEFAULT_GOLD.parent / "score.py"):
        if path.is_file():
            spec = importlib.util.spec_from_file_location("trigger_score", path)
            if spec and spec.loader:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return module
    return None


DEV_ARTICLES = ROOT / "tests" / "fixtures" / "eval" / "dev_articles.jsonl"


def articles(dev: Path, labels: Path, out: Path) -> Path:
    """The dev set's sentences put back together as whole articles (the first sentence is the
    headline), with the article-level labels in `labels`: a gold file for score.py."""
    sentences: dict[str, list[tuple[int, str]]] = {}
    for d in map(json.loads, dev.read_text(encoding="utf-8").splitlines()):
        article, n = d["id"].rsplit("-", 1)
        sentences.setdefault(article, []).append((int(n), d["text"]))
    with out.open("w", encoding="utf-8") as f:
        for row in map(json.loads, labels.read_text(encoding="utf-8").splitlines()):
            title, *rest = [text for _, text in sorted(sentences[row["id"]])]
            f.write(json.dumps({**row, "title": title, "text": " ".join(rest)}) + "\n")
    return out


def predict(gold: Path, model: str, triggers: Path, first_pass: bool = True) -> list[dict]:
    """One prediction line per event, as `trigger-monitor extract` writes them."""
    rules = load_triggers(triggers)
    if not first_pass:
        rules = replace(rules, first_pass=False)
    extractor = load_pipeline(model, rules)
    items = [
        GoldItem(d["id"], d.get("title", ""), d.get("text", ""))
        for d in map(json.loads, gold.read_text(encoding="utf-8").splitlines())
    ]
    start = time.perf_counter()
    results = extractor.extract(items)
    took = time.perf_counter() - start
    log.info("evaluate items=%d seconds=%.1f rate=%.0f/s", len(items), took, len(items) / took)
    return [
        {"item_id": it.id, "type": ev.type, "company": ev.company, "confidence": ev.confidence}
        for it, evs in zip(items, results, strict=True)
        for ev in evs
    ]


_TAG = re.compile(r"<[^>]+>")


def feed_items(folder: Path) -> list[GoldItem]:
    """Entries of every feed file in `folder`, parsed with feedparser, HTML crudely stripped."""
    import feedparser

    items: list[GoldItem] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        parsed = feedparser.parse(path.read_bytes())
        for n, entry in enumerate(parsed.entries):
            text = entry.get("summary") or ""
            if entry.get("content"):
                text = entry["content"][0].get("value") or text
            items.append(
                GoldItem(
                    f"{path.name}#{n}",
                    html.unescape(_TAG.sub(" ", entry.get("title") or "")),
                    html.unescape(_TAG.sub(" ", text)),
                )
            )
    return items


def speed(folder: Path, model: str, triggers: Path) -> None:
    """Items per second on real feed entries, with and without the cheap first pass."""
    items = feed_items(folder)
    rules = load_triggers(triggers)
    for first_pass in (True, False):
        extractor = load_pipeline(model, replace(rules, first_pass=first_pass))
        extractor.extract(items[:50])  # warm-up
        start = time.perf_counter()
        results = extractor.extract(items)
        took = time.perf_counter() - start
        parsed = sum(any(True for _ in extractor.parts(i)) for i in items)
        print(
            f"first_pass={first_pass!s:5} items={len(items)} parsed={parsed}"
            f" seconds={took:.2f} items_per_s={len(items) / took:.0f}"
            f" events={sum(map(len, results))}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.evaluate")
    ap.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--triggers", type=Path, default=DEFAULT_TRIGGERS)
    ap.add_argument("--no-first-pass", action="store_true")
    ap.add_argument("--all-types", action="store_true", help="score ipo and layoff too")
    ap.add_argument("--predictions", type=Path, help="also write the predictions here")
    ap.add_argument(
        "--where", metavar="FIELD=VALUE", help="score only gold items with this field value"
    )
    ap.add_argument("--speed", type=Path, metavar="FEEDS_DIR", help="measure items/s instead")
    ap.add_argument(
        "--articles",
        action="store_true",
        help=f"score the dev set as whole articles, labelled in {DEV_ARTICLES.name} (8 types)",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    if args.speed:
        speed(args.speed, args.model, args.triggers)
        return 0
    if not args.gold.is_file():
        print(f"error: gold file not found: {args.gold}", file=sys.stderr)
        return 2
    scorer = load_scorer(args.gold)
    if scorer is None:
        print(
            "error: score.py not found next to the gold file or in ../shared/eval", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        if args.articles:
            args.gold = articles(args.gold, DEV_ARTICLES, Path(tmp) / "articles.jsonl")
            args.all_types = True
        preds = predict(args.gold, args.model, args.triggers, not args.no_first_pass)
        pred_path = args.predictions or Path(tmp) / "events.jsonl"
        pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
        score_argv = ["score.py", str(args.gold), str(pred_path)]
        if not args.all_types:
            score_argv += ["--types", ",".join(LABELLED_TYPES)]
        if args.where:
            score_argv += ["--where", args.where]
        scorer.main(score_argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
