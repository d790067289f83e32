"""Build small RSS documents for tests."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> bytes:
    """items: (guid, title, description); published now so no age filter hides them."""
    now = format_datetime(datetime.now(UTC))
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(head)}</title>"
        f"<link>https://news.example.com/{escape(guid)}</link>"
        f"<description>{escape(body)}</description><pubDate>{now}</pubDate></item>"
        for guid, head, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example.com/</link>"
        f"<description>test</description>{entries}</channel></rss>"
    ).encode()
