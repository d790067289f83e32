"""Quality gate: item-level precision/recall on a committed labelled sample must not regress.

Same definitions as shared/eval/score.py: an item is predicted positive for a type when any
event of that type is extracted from it. Floors sit just under the figures measured when they
were set; raise them when the rules improve.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.nlp import Extractor
from monitor import label_audit

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
SAMPLE = FIXTURES / "dev_sample.jsonl"
# Whole feed items from blogs and general news, labelled for this project (README there).
FEED_ITEMS = FIXTURES / "feed_items.jsonl"
TYPES = (
    "funding",
    "leadership_change",
    "expansion",
    "acquisition",
    "partnership",
    "product_launch",
)
ALL_TYPES = (*TYPES, "ipo", "layoff")
MICRO_PRECISION_FLOOR = 0.94
# 0.345 and 0.86 until 792dbae: the sample labels "GE could raise $13 billion by selling
# assets" a funding round, which by our schema it is not (an asset sale). 0.335 until
# 2fd55af: it labels "Chevron later acquired Texaco", history by issue item 5 (0.325 until
# e38a00b; measured 0.345 there).
MICRO_RECALL_FLOOR = 0.335
TYPE_PRECISION_FLOOR = 0.85
# 0.64 and 0.66 until e38a00b; 0.66 until e38e884 (measured 0.721 and 0.690 there)
FEED_PRECISION_FLOOR = 0.70
FEED_RECALL_FLOOR = 0.67
# Wire news, press releases, headlines and whole articles written for this project by blind
# annotators, in other industries and years than the dev set (README there). Measured at
# 31e45d3: P 0.927, R 0.843 on all 730 (0.930 and 0.841 on the first 570 at 5acb87b).
WRITTEN_ITEMS = FIXTURES / "written_items.jsonl"
WRITTEN_PRECISION_FLOOR = 0.91
# 0.82 until f146e2d (measured 0.926 and 0.864 there)
WRITTEN_RECALL_FLOOR = 0.85
# A second round of 760: feed entries, whole releases and articles, look-alikes, never-read
# items (README there). Measured at the end of session 11: P 0.866, R 0.826.
WRITTEN_ITEMS_2 = FIXTURES / "written_items_2.jsonl"
WRITTEN_2_PRECISION_FLOOR = 0.85
WRITTEN_2_RECALL_FLOOR = 0.81
# A third round of 840 (session 12): a week's mixed stream, wire and newsroom releases,
# regional and non-US news, sector trade press, never-read items. Measured: P 0.893, R 0.860.
WRITTEN_ITEMS_3 = FIXTURES / "written_items_3.jsonl"
WRITTEN_3_PRECISION_FLOOR = 0.88
WRITTEN_3_RECALL_FLOOR = 0.845
# A fourth round of 800 (session 12): a busy week's mixed stream, exchange filings and
# announcements, startup news and company blogs, local business news, never-read items.
# Measured: P 0.865, R 0.758.
WRITTEN_ITEMS_4 = FIXTURES / "written_items_4.jsonl"
WRITTEN_4_PRECISION_FLOOR = 0.85
WRITTEN_4_RECALL_FLOOR = 0.74
# A fifth round of 760 (session 13): feed entries as feeds send them, whole articles, news of
# 1988-2014, deals and layoffs told many ways, never-read items. Measured: P 0.922, R 0.890.
WRITTEN_ITEMS_5 = FIXTURES / "written_items_5.jsonl"
WRITTEN_5_PRECISION_FLOOR = 0.90
WRITTEN_5_RECALL_FLOOR = 0.87
# 300 dev sentences labelled again with care (monitor/label_audit.py), weighted to the set
AUDIT = FIXTURES / "dev_audit.jsonl"
# 0.58 and 0.44 until e38a00b; 0.62 until e38e884 (measured 0.643 and 0.548 there)
AUDIT_PRECISION_FLOOR = 0.63
AUDIT_RECALL_FLOOR = 0.53


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    labels: tuple[str, ...]


def score(
    extractor: Extractor, sample: Path = SAMPLE, types: tuple[str, ...] = TYPES
) -> dict[str, tuple[int, int, int]]:
    items = [
        Item(d["id"], d["title"], d["text"], tuple(d["labels"]))
        for d in map(json.loads, sample.read_text(encoding="utf-8").splitlines())
    ]
    results = extractor.extract(items)
    counts: dict[str, tuple[int, int, int]] = {}
    for t in types:
        tp = fp = fn = 0
        for item, events in zip(items, results, strict=True):
            gold, pred = t in item.labels, any(e.type == t for e in events)
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
        counts[t] = (tp, fp, fn)
    return counts


def micro(counts: dict[str, tuple[int, int, int]]) -> tuple[float, float]:
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    return tp / (tp + fp), tp / (tp + fn)


def test_quality_floors(extractor: Extractor) -> None:
    counts = score(extractor)
    report = {t: (tp / (tp + fp) if tp + fp else 1.0) for t, (tp, fp, _) in counts.items()}
    precision, recall = micro(counts)
    print(f"micro P={precision:.3f} R={recall:.3f}; per-type P={report}")
    assert precision >= MICRO_PRECISION_FLOOR
    assert recall >= MICRO_RECALL_FLOOR
    for t, p in report.items():
        assert p >= TYPE_PRECISION_FLOOR, f"{t} precision {p:.3f} {counts[t]}"


# (labelled items, precision floor, recall floor) for items of every type, whole
LABELLED_SETS = [
    # Blogs and general news name nobody a rep sells to far more often than business news
    # does: this is where false alerts come from.
    pytest.param(FEED_ITEMS, FEED_PRECISION_FLOOR, FEED_RECALL_FLOOR, id="feed-items"),
    # Press releases, wire headlines and whole articles from industries and years the dev
    # set lacks: what the rules must carry over to.
    pytest.param(WRITTEN_ITEMS, WRITTEN_PRECISION_FLOOR, WRITTEN_RECALL_FLOOR, id="written-items"),
    # Feed entries as aggregators and trade press send them, whole releases and articles,
    # launch, takeover and funding look-alikes.
    pytest.param(
        WRITTEN_ITEMS_2, WRITTEN_2_PRECISION_FLOOR, WRITTEN_2_RECALL_FLOOR, id="written-items-2"
    ),
    # A week's stream from many sources, newsroom releases, regional and sector news.
    pytest.param(
        WRITTEN_ITEMS_3, WRITTEN_3_PRECISION_FLOOR, WRITTEN_3_RECALL_FLOOR, id="written-items-3"
    ),
    # Exchange filings, startup blogs in the first person, local business news.
    pytest.param(
        WRITTEN_ITEMS_4, WRITTEN_4_PRECISION_FLOOR, WRITTEN_4_RECALL_FLOOR, id="written-items-4"
    ),
    # Feed entries as feeds send them, whole articles, older news, deals told many ways.
    pytest.param(
        WRITTEN_ITEMS_5, WRITTEN_5_PRECISION_FLOOR, WRITTEN_5_RECALL_FLOOR, id="written-items-5"
    ),
]


@pytest.mark.parametrize(("labelled", "precision_floor", "recall_floor"), LABELLED_SETS)
def test_labelled_item_quality_floors(
    extractor: Extractor, labelled: Path, precision_floor: float, recall_floor: float
) -> None:
    counts = score(extractor, labelled, ALL_TYPES)
    precision, recall = micro(counts)
    print(f"{labelled.name} micro P={precision:.3f} R={recall:.3f}; {counts}")
    assert precision >= precision_floor
    assert recall >= recall_floor


def test_careful_label_quality_floors(extractor: Extractor) -> None:
    """The news a rep wants, by careful labels of dev sentences, weighted to the whole set."""
    rows = [json.loads(line) for line in AUDIT.read_text(encoding="utf-8").splitlines()]
    items = [Item(r["id"], "", r["text"], ()) for r in rows]
    predicted = {
        item.id: {e.type for e in events}
        for item, events in zip(items, extractor.extract(items), strict=True)
    }
    got = label_audit.score(rows, label_audit.field("labels"), lambda r: predicted[r["id"]])
    print(f"careful labels: {got}")
    assert got.precision >= AUDIT_PRECISION_FLOOR
    assert got.recall >= AUDIT_RECALL_FLOOR


def test_the_audit_sample_stands_for_the_dev_set() -> None:
    rows = [json.loads(line) for line in AUDIT.read_text(encoding="utf-8").splitlines()]
    assert round(sum(r["weight"] for r in rows)) == 4486  # dev_sentences.jsonl's size
    for r in rows:
        assert set(r["labels"]) <= set(r["mentions"]), r["id"]
        assert (r["stratum"] == "silver_positive") == bool(r["silver"]), r["id"]
