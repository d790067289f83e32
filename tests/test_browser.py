"""Alert and digest HTML rendered by a real headless browser (Debian's chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_render import render, view

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_part(kind: str, alerts: list) -> str:  # type: ignore[type-arg]
    return render(alerts, kind).get_body(("html",)).get_content()


def browse(tmp_path: Path, name: str, html: str) -> tuple[_Text, bytes]:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    profile = tmp_path / f"profile-{name}"
    assert CHROMIUM is not None
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot = tmp_path / f"{name}.png"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=800,1200",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    parsed = _Text()
    parsed.feed(dom.stdout)
    return parsed, shot.read_bytes()


def test_instant_alert_renders_in_a_browser(tmp_path: Path) -> None:
    hostile = view(evidence='Agari raised <script>document.title="pwned"</script> $2.5M')
    dom, png = browse(tmp_path, "alert", html_part("instant", [hostile]))
    text = " ".join(" ".join(dom.text).split())
    assert "Agari raised $2.5M from Alloy, Battery" in text
    assert '<script>document.title="pwned"</script>' in text  # shown as text, not run
    assert "script" not in dom.tags and "img" not in dom.tags
    assert dom.hrefs == ["https://techcrunch.com/agari"]
    assert png.startswith(b"\x89PNG") and len(png) > 5_000


def test_digest_renders_every_entry_grouped_by_account(tmp_path: Path) -> None:
    alerts = [
        view(),
        view(
            alert_id=2,
            account="Gilt Groupe",
            type="acquisition",
            company="Gilt City",
            attributes={"target": "BuyWithMe"},
            url="https://techcrunch.com/gilt",
        ),
        view(
            alert_id=3,
            account="Agari",
            type="leadership_change",
            company="Agari",
            attributes={"person": "Jane Roe", "title": "CEO", "direction": "joined"},
            url="https://techcrunch.com/roe",
        ),
    ]
    dom, png = browse(tmp_path, "digest", html_part("digest", alerts))
    text = " ".join(" ".join(dom.text).split())
    assert text.index("Agari raised $2.5M") < text.index("Gilt City acquires BuyWithMe")
    assert "Agari appoints Jane Roe as CEO" in text
    assert dom.tags.count("h2") == 2  # one heading per account
    assert len(dom.hrefs) == 3 and all(re.match(r"^https://", h) for h in dom.hrefs)
    assert png.startswith(b"\x89PNG") and len(png) > 5_000
