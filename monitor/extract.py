"""The `extract` command's core: JSON-line items in, one output record per event."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from extractors.accounts import AccountMatcher
from extractors.nlp import Extractor

BATCH = 256


@dataclass(frozen=True)
class ItemText:
    id: str
    title: str
    text: str
    url: str | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ItemText:
        return cls(
            id=str(record["id"]),
            title=str(record.get("title") or ""),
            text=str(record.get("text") or ""),
            url=record.get("url") if isinstance(record.get("url"), str) else None,
        )


def extract_records(
    items: Iterable[ItemText], extractor: Extractor, matcher: AccountMatcher
) -> Iterator[dict[str, Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        for item, events in zip(batch, extractor.extract(batch), strict=True):
            for event in events:
                matches = matcher.match(event, item.url)
                yield {
                    "item_id": item.id,
                    "type": event.type,
                    "company": event.company,
                    "account": matches[0].account.name if matches else None,
                    "confidence": round(event.confidence, 3),
                    "evidence": event.evidence,
                    "attributes": event.attributes,
                    "status": event.status,
                    "rule": event.rule,
                }
