"""The printed table: one row per measurement, with the brief's goal where it set one."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]


def _num(value: float) -> str:
    return f"{value:,.2f}"


def _poll_rows(polls: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for run in polls.get("runs", []):
        feeds = run["feeds"]
        rows.append(("1 poll", f"{feeds} feeds: daemon startup", f"{run['startup_s']} s", ""))
        for p in run["polls"]:
            name = f"{feeds} feeds {p['poll']}"
            goal = ""
            if feeds >= 5000:
                goal = {"all-304": "<= 15 s"}.get(
                    p["poll"], "<= 60 s" if "steady" in p["poll"] else ""
                )
            wall = f"{_num(p['wall_s'])} s"
            if "wall_projected_s" in p:
                wall += f" (with all extraction: {_num(p['wall_projected_s'])} s)"
            rows.append(("1 poll", f"{name}: wall", wall, goal))
            extract = f"extract {p['extract_wall_s']} s for {p['extracted_items']} items"
            if "extract_skipped_items" in p:
                extract += (
                    f" at {p['extract_items_per_s']}/s, {p['extract_skipped_items']} left"
                    f" (projected {p['extract_projected_s']} s)"
                )
            rows.append(
                (
                    "1 poll",
                    f"{name}: split",
                    f"fetch+parse+store {p['fetch_parse_wall_s']} s wall; {extract}",
                    "",
                )
            )
            if "parse_cpu_s" in p:
                per = p.get("cpu_ms_per_source", 0.0)
                rows.append(
                    (
                        "1 poll",
                        f"{name}: CPU",
                        f"fetch+store {p['fetch_store_cpu_s']} s, parse {p['parse_cpu_s']} s, "
                        f"extract {p['extract_cpu_s']} s; {per} ms per source fetched+stored",
                        "< 1 ms per 304" if p["poll"] == "all-304" else "",
                    )
                )
            rows.append(
                (
                    "1 poll",
                    f"{name}: thread-summed",
                    f"fetch {p['fetch_thread_s']} s, parse (incl. wait) {p['parse_thread_s']} s, "
                    f"store {p['store_s']} s; new {p['new_items']}, 304 {p['not_modified']}, "
                    f"failed {p['failed']}",
                    "",
                )
            )
        for a in run.get("adaptive", []):
            ttl = f" + <ttl>{a['ttl_min']:g}</ttl>" if a["ttl_min"] else ""
            low, high = a["bounds_min"]
            rows.append(
                (
                    "1 poll",
                    f"adaptive: publishes every {a['publishes_every_min']:g} min{ttl}",
                    f"next poll in {a['chosen_min']:g} min ({a['feeds']} feeds)",
                    f"rate/ttl within [{low:g}, {high:g}] min",
                )
            )
    runs = polls.get("runs", [])
    if runs and max(r["feeds"] for r in runs) < 5000:
        big = max(runs, key=lambda r: r["feeds"])
        factor = 5000 / big["feeds"]
        for p in big["polls"][1:]:
            wall = p.get("wall_projected_s", p["wall_s"]) * factor
            goal = "<= 60 s" if "steady" in p["poll"] else "<= 15 s"
            rows.append(
                (
                    "1 poll",
                    f"5000 feeds {p['poll']}: linear from {big['feeds']}",
                    f"{wall:,.1f} s",
                    goal,
                )
            )
    return rows


def _peer_rows(peer: dict[str, Any]) -> list[Row]:
    feeds = peer["feeds"]
    r2e = f"{_num(peer['r2e_s'])} s" + (f" ({peer['note']})" if peer.get("note") else "")
    rows: list[Row] = [
        ("2 rss2email", f"{feeds} feeds first poll: r2e run", r2e, ""),
        ("2 rss2email", f"{feeds} feeds first poll: ours, whole", f"{_num(peer['ours_s'])} s", ""),
        (
            "2 rss2email",
            f"{feeds} feeds first poll: ours, fetch+parse+store",
            f"{_num(peer['ours_fetch_parse_store_s'])} s",
            "",
        ),
        ("2 rss2email", "speed-up, whole first poll", f"{_num(peer['speedup'])}x", ">= 10x"),
        (
            "2 rss2email",
            "speed-up, fetch+parse+store",
            f"{_num(peer['speedup_fetch_only'])}x",
            ">= 10x",
        ),
    ]
    if "speedup_steady" in peer:
        rows += [
            (
                "2 rss2email",
                f"{feeds} feeds steady poll (1-3 new/feed): r2e vs ours",
                f"{_num(peer['r2e_steady_s'])} s vs {_num(peer['ours_steady_s'])} s",
                "",
            ),
            ("2 rss2email", "speed-up, steady poll", f"{_num(peer['speedup_steady'])}x", ">= 10x"),
        ]
    return rows


def _extract_rows(ext: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [("3 extract", "model load", f"{ext['model_load_s']} s", "")]
    for r in ext["rows"]:
        n = f"{r['accounts']:,} accounts" + ("" if r.get("first_pass", True) else " NO first pass")
        rows.append(
            (
                "3 extract",
                f"{n}: items/s",
                f"{_num(r['items_per_s'])} ({r['items']} items, {r['parsed_share']:.0%} to spaCy, "
                f"{r['events']} events, {r['matches']} matches)",
                ">= 500/core",
            )
        )
        rows.append(
            (
                "3 extract",
                f"{n}: load_config + matcher",
                f"{r['load_config_s']} s + {r['matcher_build_s']} s",
                "",
            )
        )
        if r.get("first_pass_us_per_item") is not None:
            rows.append(
                (
                    "3 extract",
                    f"{n}: first pass alone",
                    f"{r['first_pass_us_per_item']} us per item (cue sentences + account names)",
                    "flat in accounts",
                )
            )
        if "vs_first" in r:
            rows.append(
                ("3 extract", f"{n}: time vs first row", f"{_num(r['vs_first'])}x", "<= 1.5x")
            )
    dev = ext.get("dev_recall")
    if dev:
        rows.append(
            (
                "3 extract",
                "dev-set recall lost by the first pass",
                f"{dev['lost']:.3f} (recall {dev['with_first_pass']} with, "
                f"{dev['without_first_pass']} without; {dev['support']} labels)",
                "0",
            )
        )
    return rows


def _memory_rows(mem: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for s in mem["samples"]:
        extra = f", parse pool {s['workers_rss_mb']} MB" if "workers_rss_mb" in s else ""
        rows.append(
            (
                "4 memory",
                f"cycle {s['cycle']} ({s['when']})",
                f"RSS {s['VmRSS']} MB, peak {s['VmHWM']} MB{extra}",
                "flat, <= 500 MB",
            )
        )
    rows.append(
        (
            "4 memory",
            f"{mem['cycles']} cycles of {mem['feeds']} feeds",
            f"{mem['cycle_ms']} ms/cycle",
            "",
        )
    )
    return rows


def _alert_rows(alerts: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for db, r in alerts.items():
        if r.get("skipped"):
            rows.append(("5 alerts", db, f"skipped: {r['skipped']}", ""))
            continue
        rows.append(
            (
                "5 alerts",
                f"{db}: {r['alerts']} alerts compose + deliver",
                f"{r['compose_s']} s + {r['deliver_s']} s = {r['alerts_per_s']} alerts/s "
                f"({r['received']} received)",
                "",
            )
        )
    return rows


def _scale_rows(scale: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [
        (
            "6 scale-out",
            f"{r['daemons']} daemon(s), {scale['feeds']} feeds: all polled once",
            f"{_num(r['all_polled_s'])} s (per daemon {r['sources_polled_per_daemon']} sources)",
            "",
        )
        for r in scale["runs"]
    ]
    rows.append(("6 scale-out", "speed-up 2 vs 1", f"{_num(scale['speedup'])}x", ""))
    return rows


def _replay_rows(r: dict[str, Any]) -> list[Row]:
    t = r["totals"]
    return [
        (
            "7 replay",
            f"{r['items']:,} items, {r['accounts']} accounts: replay --since 3650d",
            f"{_num(r['replay_s'])} s = {r['items_per_s']:,.0f} items/s "
            f"(process {_num(r['replay_wall_s'])} s, {r['cpu_s']} s CPU; "
            f"{r['parsed']:,} parsed)",
            "minutes, not hours",
        ),
        (
            "7 replay",
            "diff against the seeded alerts",
            f"kept {t['kept']}, added {t['added']}, removed {t['removed']} "
            f"({r['alerts_seeded']} alerts seeded)",
            "",
        ),
    ]


SECTIONS = {
    "poll": ("1 poll", _poll_rows),
    "peer": ("2 rss2email", _peer_rows),
    "extract": ("3 extract", _extract_rows),
    "memory": ("4 memory", _memory_rows),
    "alerts": ("5 alerts", _alert_rows),
    "scaleout": ("6 scale-out", _scale_rows),
    "replay": ("7 replay", _replay_rows),
}


def table(results: dict[str, Any]) -> str:
    """Rows `section | measurement | value | goal` for every section that ran."""
    rows: list[Row] = []
    for key, (label, build) in SECTIONS.items():
        data = results.get(key)
        if not data:
            continue
        if data.get("skipped"):
            rows.append((label, "skipped", str(data["skipped"]), ""))
            continue
        rows.extend(build(data))
    if not rows:
        return "(no section ran)"
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    head = f"{'section':<{widths[0]}}  {'measurement':<{widths[1]}}  {'value':<{widths[2]}}  goal"
    lines = [head, "-" * len(head)]
    lines += [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in rows]
    return "\n".join(lines)
