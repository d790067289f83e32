"""Untrusted text: no bytes break the feed parser, no text breaks extraction, and no feed text
injects markup into an alert's HTML or a line into any email header (health email included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_string, policy
from functools import cache
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.config import load_config
from monitor.health import SourceHealth, build_health_message
from sources.feeds import parse_feed
from tests.helpers import BUNDLED
from tests.test_render import render, view

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "</td></tr></table><iframe src=//evil>",
    "<a href='javascript:alert(1)'>x</a>",
    "{{ 7*7 }}{% raw %}",
    "\r\nBcc: victim@example.com\r\n",
    "=?utf-8?q?=0d=0aBcc:_x@y?=",
    "\x00\u2028\u2029\x85",
    "<![CDATA[ ]]><!-- -->",
]
hostile_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=20)), max_size=6).map("".join),
)
XML_TEMPLATE = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{0}</title>'
    "<link>http://example.com/</link><description>d</description><item><title>{0}</title>"
    "<link>{0}</link><guid>{0}</guid><description>{0}</description>"
    "<pubDate>{0}</pubDate></item></channel></rss>"
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_parse_feed_never_raises_on_bytes(body: bytes) -> None:
    parsed = parse_feed(body, source="fuzz", base_url="http://example.com/", content_type=None)
    assert isinstance(parsed.items, list)


@settings(max_examples=300, deadline=None)
@given(hostile_text, st.sampled_from([None, "application/rss+xml", "text/html", "image/png"]))
def test_parse_feed_never_raises_on_text_inside_a_feed(text: str, content_type: str | None) -> None:
    body = XML_TEMPLATE.format(text).encode("utf-8", "surrogatepass")
    parsed = parse_feed(
        body, source="fuzz", base_url="http://example.com/", content_type=content_type
    )
    for item in parsed.items:
        assert isinstance(item.title, str) and isinstance(item.text, str)


@dataclass
class Text:
    id: int
    title: str
    text: str
    url: str | None = None


@cache
def _extractor():
    from extractors.nlp import load_pipeline

    config = load_config(BUNDLED)
    assert config.triggers is not None
    return load_pipeline(config.nlp_model, config.triggers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=4))
def test_extraction_never_raises_on_any_text(pairs: list[tuple[str, str]]) -> None:
    items = [
        Text(n, title, f"{text} Acme Corp raised $5M in Series A funding led by {title}.")
        for n, (title, text) in enumerate(pairs)
    ]
    results = _extractor().extract(items)
    assert len(results) == len(items)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


BENIGN = _tags(render([view()]).get_body(("html",)).get_content())
TEMPLATE_TAGS = {tag for tag, _ in BENIGN}


@settings(max_examples=200, deadline=None)
@given(hostile_text, hostile_text, hostile_text)
def test_no_feed_text_injects_html(company: str, evidence: str, title: str) -> None:
    msg = render(
        [
            view(
                company=company,
                evidence=evidence,
                title=title,
                source=title,
                url=f"https://example.com/{evidence}",
                attributes={"amount": 5, "currency": "USD", "investors": [title, company]},
            )
        ]
    )
    html = msg.get_body(("html",)).get_content()
    for tag, attrs in _tags(html):
        assert tag in TEMPLATE_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            if name in ("href", "src"):
                assert (value or "").startswith(("http://", "https://")), (value, html)
    assert len(_tags(html)) == len(BENIGN)  # no element added or lost
    assert msg["To"] == "alice@example.com" and "Bcc" not in msg


@settings(max_examples=100, deadline=None)
@given(hostile_text, hostile_text)
def test_health_email_headers_and_body_hold_whatever_a_source_says(name: str, error: str) -> None:
    flagged = [
        SourceHealth(
            name=name or "x",
            enabled=True,
            url=f"http://example.com/{error}",
            last_error_kind="http_5xx",
            last_error=error,
            flags=[f"failing for 30h (http_5xx: {error})"],
        )
    ]
    msg = build_health_message(
        "monitor@example.com",
        "admin@example.com",
        "<health-1@test>",
        flagged,
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    parsed = message_from_string(msg.as_string(), policy=policy.default)
    assert parsed["To"] == "admin@example.com" and parsed["Message-ID"] == "<health-1@test>"
    assert "Bcc" not in parsed and parsed.get_content_type() == "text/plain"
    assert "\n" not in str(parsed["Subject"])


def test_encoded_word_in_feed_text_cannot_start_a_header() -> None:
    """Found by the property test above: the email package decoded "=??Q?=0A" from an
    investor name in the Subject into a raw newline, and "BCC:" became a header."""
    evil = "=??Q?=00=0ABCC: victim@example.com"
    msg = render([view(attributes={"amount": 5, "currency": "USD", "investors": [evil]})])
    assert "Bcc" not in msg and list(msg.keys()).count("Subject") == 1
    assert "\n" not in str(msg["Subject"]) and "victim@example.com" in str(msg["Subject"])
