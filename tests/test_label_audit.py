"""The audit's weighted scores count (item, type) pairs as shared/eval/score.py does."""

from __future__ import annotations

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
