"""Labelled sets of our own: the audit's weighted scores count (item, type) pairs as
shared/eval/score.py does, and the dev set's articles are rebuilt from its sentences."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.evaluate import DEV_ARTICLES, articles
from monitor.label_audit import field, score


def row(item: str, truth: list[str], guess: list[str], weight: float = 1.0) -> dict:
    return {"id": item, "weight": weight, "labels": truth, "silver": guess}


def test_unweighted_counts_match_the_scorer() -> None:
    rows = [
        row("a", ["funding"], ["funding"]),
        row("b", ["funding", "expansion"], ["funding"]),
        row("c", [], ["acquisition"]),
        row("d", ["ipo"], []),  # a type outside the six the dev set labels is not scored
    ]
    got = score(rows, field("labels"), field("silver"))
    assert (got.precision, got.recall) == (round(2 / 3, 3), round(2 / 3, 3))


def test_weights_stand_for_the_stratum_each_row_was_drawn_from() -> None:
    rows = [row("a", ["funding"], ["funding"], 1.0), row("b", [], ["funding"], 9.0)]
    got = score(rows, field("labels"), field("silver"))
    assert got.precision == 0.1 and got.recall == 1.0
    assert score(rows, field("labels"), field("silver"), weighted=False).precision == 0.5


def test_dev_sentences_become_whole_articles(tmp_path: Path) -> None:
    """`make eval`'s article set: sentences in their order, the first one the headline."""
    dev = tmp_path / "dev.jsonl"
    dev.write_text(
        "".join(
            json.dumps({"id": f"sv-acme0-{n}", "text": text, "labels": []}) + "\n"
            for n, text in [(10, "Last."), (0, "Acme Opens Plant"), (2, "More."), (1, "It did.")]
        )
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"id": "sv-acme0", "labels": ["expansion"]}) + "\n")
    (row,) = map(json.loads, articles(dev, labels, tmp_path / "out.jsonl").read_text().splitlines())
    assert row == {
        "id": "sv-acme0",
        "labels": ["expansion"],
        "title": "Acme Opens Plant",
        "text": "It did. More. Last.",
    }


def test_every_dev_article_is_labelled() -> None:
    rows = [json.loads(line) for line in DEV_ARTICLES.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len({r["id"] for r in rows}) == 181
    for r in rows:
        assert set(r["labels"]) <= set(r["mentions"]) and set(r["companies"]) == set(r["labels"])
