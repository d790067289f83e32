"""Helpers for tests: writing config folders and running the real CLI in a process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from extractors.nlp import ItemParts
from monitor.store.db import Database
from monitor.store.models import Alert, EventRow, Item, Source

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "config"


class NoEvents:
    """A stand-in for extractors.nlp.Extractor that finds no event in anything, for tests of
    polling and storing. Its first pass sends every item on, so no item is stored already
    extracted and extraction sees them all."""

    text_chars = 2000

    def to_parse(self, item: Any, matcher: Any = None) -> list[tuple[str, str]]:
        return [("title", item.title)]

    def prepare(self, item: Any, matcher: Any = None) -> ItemParts:
        return ItemParts(tuple(self.to_parse(item, matcher)), title=item.title or "")

    def extract(self, items: Sequence[Any], matcher: Any = None) -> list[list[Any]]:
        return self.extract_prepared([self.prepare(i, matcher) for i in items])

    def extract_prepared(self, items: Sequence[ItemParts]) -> list[list[Any]]:
        return [[] for _ in items]


def write_config(
    directory: Path,
    *,
    sources: list[dict[str, object]] | None = None,
    accounts: str = "name,aliases,domains,owner\n",
    reps: str = "email,name,delivery,timezone\n",
    database_url: str = "",
    smtp_port: int | None = None,
    outbox: str = "outbox",
    max_age_days: int = 0,
    extra_settings: str = "",
    fetch_settings: str = "",
    default_recipient: str = "ops@example.com",
    quiet_hours: str = "none",
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUNDLED / "triggers.toml", directory / "triggers.toml")
    mail = (
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nstarttls = false\n'
        if smtp_port
        else f'outbox_dir = "{outbox}"\n'
    )
    (directory / "settings.toml").write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        f'[mail]\n{mail}from = "monitor@example.com"\ntimeout_s = 5\n'
        f'default_recipient = "{default_recipient}"\n\n'
        f"[fetch]\ntimeout_s = 3\nallow_private_addresses = true\n{fetch_settings}\n"
        f"[alerts]\nmax_age_days = {max_age_days}\nretry_base_s = 1\nretry_max_s = 2\n"
        f'quiet_hours = "{quiet_hours}"\n'
        f"{extra_settings}\n",
        encoding="utf-8",
    )
    lines = []
    for src in sources or []:
        lines.append("[[source]]")
        for key, value in src.items():
            if isinstance(value, bool):
                rendered = "true" if value else "false"
            elif isinstance(value, int | float):
                rendered = str(value)
            elif isinstance(value, list):
                rendered = "[" + ", ".join(f'"{v}"' for v in value) + "]"
            else:
                rendered = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"{key} = {rendered}")
        lines.append("")
    (directory / "sources.toml").write_text("\n".join(lines), encoding="utf-8")
    (directory / "accounts.csv").write_text(accounts, encoding="utf-8")
    (directory / "reps.csv").write_text(reps, encoding="utf-8")
    return directory


def run_cli(
    *args: str, config: Path | None = None, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m monitor ...` as a real process, the way operators do."""
    command = [sys.executable, "-m", "monitor"]
    if config is not None:
        command += ["--config", str(config)]
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRIGGER_MONITOR_CONFIG", None)
    # cwd is the config folder: without this the venv's editable install (maybe another
    # checkout) would be imported instead of the code under test.
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), full_env.get("PYTHONPATH")]))
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=config or REPO,
        env=full_env,
    )


def seed_alert(
    db: Database,
    recipient: str,
    account: str = "Agari",
    *,
    delivery: str = "instant",
    created: datetime,
    key: str | None = None,
) -> int:
    """A stored funding alert with its source, item and event, as the cycle would write it."""
    with db.session() as s:
        source = s.scalar(select(Source).where(Source.name == "feed"))
        if source is None:
            source = Source(name="feed", url="http://x", error_streak=0, polls=0, items_seen=0)
            s.add(source)
            s.flush()
        item = Item(
            source_id=source.id,
            item_key=key or f"k{created.timestamp()}{account}{recipient}{delivery}",
            title=f"{account} raises $2.5M",
            text="",
            url="https://example.com/a",
            published_at=created,
            fetched_at=created,
            extracted=True,
        )
        s.add(item)
        s.flush()
        facts = {"amount": 2500000, "currency": "USD"}
        event = EventRow(
            item_id=item.id,
            type="funding",
            company=account,
            attributes=facts,
            evidence=f"{account} raises $2.5M",
            confidence=0.9,
            status="announced",
            created_at=created,
        )
        s.add(event)
        s.flush()
        alert = Alert(
            event_id=event.id,
            account=account,
            type="funding",
            role="company",
            reason="test",
            recipient=recipient,
            delivery=delivery,
            dedupe_key={},
            facts=facts,
            created_at=created,
        )
        s.add(alert)
        s.flush()
        return alert.id
