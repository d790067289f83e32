"""HTML and plain text -> clean readable text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sources.text
from sources.text import MAX_INPUT_CHARS, clean_text


def test_noise_elements_are_dropped_and_paragraphs_kept() -> None:
    html = (
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        "<script>var tracking = 1;</script><style>p { color: red }</style>"
        "<h1>Acme raises $10M</h1><p>Acme Corp   raised\n$10 million.</p>"
        "<!-- share buttons --><p>Led by <b>Big</b> <i>Ventures</i>.<br>More soon.</p>"
        "<ul><li>one</li><li>two</li></ul>"
    )
    assert clean_text(html) == (
        "Acme raises $10M\nAcme Corp raised $10 million.\nLed by Big Ventures.\nMore soon.\n"
        "one\ntwo"
    )


def test_entities_are_unescaped_in_html_and_plain_text() -> None:
    assert clean_text("<p>AT&amp;T &ndash; Bell&#39;s &#x263A;</p>") == "AT&T – Bell's ☺"
    assert clean_text("AT&amp;T&nbsp;buys   Time&nbsp;Warner") == "AT&T buys Time Warner"


def test_control_characters_and_nuls_are_stripped() -> None:
    assert clean_text("Ac\x00me\x07 Corp\x1b\x9b") == "Acme Corp"
    assert clean_text("<p>Ac\x00me</p><p>x&#0;y&#x7;z</p>") == "Acme\nxyz"
    assert clean_text("line one\r\nline two\rline three") == "line one\nline two\nline three"


def test_plain_text_skips_the_html_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_soup(*args: object, **kwargs: object) -> None:
        raise AssertionError("BeautifulSoup used for plain text")

    monkeypatch.setattr(sources.text, "BeautifulSoup", no_soup)
    assert clean_text("Revenue grew 5% < 10% > 2%  in Q3") == "Revenue grew 5% < 10% > 2% in Q3"
    with pytest.raises(AssertionError):
        clean_text("<p>html</p>")


@pytest.mark.parametrize("value", [None, "", "   ", "<script>x()</script>", "<p> </p>"])
def test_empty_results(value: str | None) -> None:
    assert clean_text(value) == ""


def test_deep_nesting_does_not_recurse() -> None:
    deep = "<div>" * 20_000 + "deep text" + "</div>" * 20_000
    assert clean_text(deep).startswith("deep text")  # libxml2 gives up nesting at 256


def test_huge_fields_are_cut_before_parsing() -> None:
    text = clean_text("<p>" + "word " * (MAX_INPUT_CHARS // 2) + "</p>")
    assert text.startswith("word word") and len(text) <= MAX_INPUT_CHARS


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_output_is_always_clean(value: str) -> None:
    out = clean_text(value)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert "\n\n" not in out and out == out.strip()
    assert not re.search(r"[ \t]{2,}", out)
