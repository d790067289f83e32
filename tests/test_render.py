"""Email rendering: escaping, header safety, multipart structure."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_string, policy

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.alerts.render import AlertView, build_message, clean_header, describe, money


def view(**overrides: object) -> AlertView:
    base: dict[str, object] = {
        "alert_id": 1,
        "account": "Agari",
        "role": "company",
        "reason": "event company 'Agari' is account 'Agari'",
        "type": "funding",
        "company": "Agari",
        "attributes": {"amount": 2500000, "currency": "USD", "investors": ["Alloy", "Battery"]},
        "evidence": "Email Security Startup Agari Raises $2.5M From Alloy, Battery",
        "confidence": 0.9,
        "status": "announced",
        "title": "Agari Raises $2.5M",
        "url": "https://techcrunch.com/agari",
        "source": "TechCrunch",
        "published": datetime(2011, 11, 1, tzinfo=UTC),
    }
    base.update(overrides)
    return AlertView(**base)  # type: ignore[arg-type]


def render(alerts: list[AlertView], kind: str = "instant"):
    msg = build_message(
        kind=kind,
        alerts=alerts,
        sender="monitor@example.com",
        recipient="alice@example.com",
        recipient_name="Alice",
        message_id="<alert-1@test>",
        when=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return message_from_string(msg.as_string(), policy=policy.default)


def test_subject_and_parts() -> None:
    msg = render([view()])
    assert msg["Subject"] == "[Funding] Agari raised $2.5M from Alloy, Battery"
    assert msg["Message-ID"] == "<alert-1@test>"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Agari raised $2.5M" in text and "https://techcrunch.com/agari" in text
    assert "event company 'Agari'" in text
    assert "Agari raised $2.5M" in html and 'href="https://techcrunch.com/agari"' in html


def test_feed_html_is_escaped_and_bad_links_dropped() -> None:
    msg = render(
        [
            view(
                evidence='<script>alert(1)</script><img src="http://evil/x.png">',
                company="<b>Evil</b>",
                url="javascript:alert(1)",
            )
        ]
    )
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "<b>Evil" not in html
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html


def test_digest_groups_by_account() -> None:
    msg = render(
        [
            view(),
            view(
                alert_id=2,
                account="Gilt Groupe",
                type="acquisition",
                company="Gilt City",
                attributes={"target": "BuyWithMe"},
            ),
        ],
        kind="digest",
    )
    assert msg["Subject"].startswith("Trigger digest: 2 alerts for Agari, Gilt Groupe")
    text = msg.get_body(("plain",)).get_content()
    assert text.index("== Agari ==") < text.index("== Gilt Groupe ==")
    assert "Gilt City acquires BuyWithMe" in text


def test_money_and_describe() -> None:
    assert money(2_500_000, "USD") == "$2.5M"
    assert money(1_200_000_000, "EUR") == "€1.2B"
    assert money(5000, "CHF") == "5K CHF"
    assert describe("acquisition", "Gilt City", {"target": "BuyWithMe"}) == (
        "Gilt City acquires BuyWithMe"
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_no_feed_text_breaks_headers(title: str) -> None:
    cleaned = clean_header(title)
    assert "\n" not in cleaned and "\r" not in cleaned
    msg = render([view(company=title, evidence=title, title=title)])
    # every header is one logical line and the parse finds exactly our headers
    assert msg["Message-ID"] == "<alert-1@test>"
    assert "\n" not in str(msg["Subject"]) and "\r" not in str(msg["Subject"])
    assert msg["To"] == "alice@example.com"
    assert set(msg.keys()) >= {"Subject", "From", "To", "Date", "Message-ID"}
    assert len([k for k in msg if k.lower() == "to"]) == 1
