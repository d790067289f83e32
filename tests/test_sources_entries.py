"""Entries already stored skip feedparser: the split is exact, and what is parsed of a cut
document equals what a whole parse gives for the same entries, over real feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.entries import split_entries, without
from sources.feeds import parse_feed
from tests.sources_helpers import FIXTURES, SHARED_FEEDS

TECHCRUNCH = (FIXTURES / "TechCrunch.xml").read_bytes()
ATOM = (FIXTURES / "google_alerts_atom.xml").read_bytes()


def rss(items: str, *, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>t</title><ttl>30</ttl>{items}</channel></rss>"
    ).encode()


def item(n: int, title: str | None = None) -> str:
    return f"<item><guid>g{n}</guid><title>{title or f'Item {n}'}</title></item>"


def test_split_finds_each_top_level_entry_by_its_exact_bytes() -> None:
    entries = split_entries(TECHCRUNCH)
    assert entries is not None and len(entries) == 20
    for entry in entries:
        raw = TECHCRUNCH[entry.start : entry.end]
        assert raw.startswith(b"<item") and raw.endswith(b"</item>")
    atom = split_entries(ATOM)
    assert atom is not None and len(atom) == len(parse_feed(ATOM, source="a").items) > 0
    assert all(ATOM[e.start : e.end].endswith(b"</entry>") for e in atom)
    # An entry nested in another (Atom content holding XHTML with an <entry>) is part of it.
    nested = b"<feed><entry><content><div><entry>x</entry></div></content></entry></feed>"
    assert [(e.start, e.end) for e in split_entries(nested) or []] == [(6, len(nested) - 7)]


@pytest.mark.parametrize(
    "body",
    [
        b"<rss><channel><item><title>unclosed</channel></rss>",  # not well-formed
        rss("<item/>" + item(1)),  # an empty element: its end is not found by bytes
        rss(item(1)).decode().encode("utf-16"),  # bytes of ">" are not a character here
        rss(item(1), encoding="no-such-charset"),
        b"",
    ],
)
def test_unusual_documents_are_not_split(body: bytes) -> None:
    assert split_entries(body) is None


def test_entries_in_an_8_bit_encoding_are_split() -> None:
    body = rss(item(1, "Caf\u00e9") + item(2)).replace(b"utf-8", b"windows-1252")
    body = body.replace("\u00e9".encode(), "\u00e9".encode("cp1252"))
    assert len(split_entries(body) or []) == 2
    assert [i.title for i in parse_feed(body, source="s").items] == ["Caf\u00e9", "Item 2"]


def test_known_entries_are_cut_out_and_the_rest_parsed_as_before() -> None:
    whole = parse_feed(TECHCRUNCH, source="tc")
    assert len(whole.digests) == 20 and whole.skipped == []
    digests = list(whole.digests)
    known = set(digests[2:])  # a steady poll: two new entries on top
    cut = parse_feed(TECHCRUNCH, source="tc", known=known)
    assert cut.items == whole.items[:2]
    assert set(cut.skipped) == known and list(cut.digests) == digests[:2]
    assert (cut.title, cut.ttl_minutes, cut.problem) == (whole.title, None, whole.problem)
    assert cut.digests == {
        d: i.published for d, i in zip(digests[:2], whole.items[:2], strict=True)
    }


def test_an_edited_entry_is_parsed_again() -> None:
    first = parse_feed(rss(item(1) + item(2)), source="s")
    edited = parse_feed(
        rss(item(1, "Item 1, corrected") + item(2)), source="s", known=first.digests
    )
    assert [i.title for i in edited.items] == ["Item 1, corrected"] and len(edited.skipped) == 1


def test_a_feed_of_only_known_entries_is_still_a_feed() -> None:
    first = parse_feed(rss(item(1) + item(2)), source="s")
    again = parse_feed(rss(item(1) + item(2)), source="s", known=first.digests)
    assert again.is_feed and again.items == [] and again.problem is None
    assert set(again.skipped) == set(first.digests) and again.ttl_minutes == 30


def test_without_keeps_everything_else_byte_for_byte() -> None:
    body = rss(item(1) + item(2) + item(3))
    entries = split_entries(body)
    assert entries is not None
    assert without(body, [entries[1]]) == rss(item(1) + item(3))
    assert without(body, []) == body


REAL_WORLD = SHARED_FEEDS / "real-world"


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason=f"{REAL_WORLD} absent (shared/ folder)")
def test_cut_documents_parse_like_whole_ones_over_real_feeds() -> None:
    """Every real feed: with every other entry known, the parsed items are exactly the whole
    parse's items of the other entries; feeds that cannot be split are parsed whole."""
    split = 0
    for path in sorted(p for p in REAL_WORLD.iterdir() if not p.name.startswith("LICENSE")):
        body = path.read_bytes()
        whole = parse_feed(body, source=path.name, base_url="https://x.test/")
        entries = split_entries(body)
        if not whole.digests or entries is None or len(whole.items) != len(entries):
            assert not parse_feed(body, source=path.name, known={b"x"}).skipped
            continue
        split += 1
        known = {e.digest for e in entries[::2]}
        cut = parse_feed(body, source=path.name, base_url="https://x.test/", known=known)
        expected = [i for e, i in zip(entries, whole.items, strict=True) if e.digest not in known]
        assert cut.items == expected, path.name
        assert (cut.title, cut.ttl_minutes) == (whole.title, whole.ttl_minutes), path.name
        assert set(cut.skipped) == known, path.name
    assert split >= 45  # 47 of the 50 captured feeds split (measured)


def test_corpus_path_constant_is_a_path() -> None:
    assert isinstance(SHARED_FEEDS, Path)
