"""The printed table: one line per measurement, each with its goal when the brief set one."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(results: dict[str, Any]) -> str:
    """Flatten the results into `section | measurement | value | goal` rows."""
    rows: list[tuple[str, str, str, str]] = []

    polls = results.get("poll", {})
    for run in polls.get("runs", []):
        feeds = run["feeds"]
        rows.append(("1 poll", f"{feeds} feeds: daemon startup (model, migrate, sync)", _fmt(run["startup_s"]) + " s", ""))
        for p in run["polls"]:
            goal = ""
            if feeds >= 5000 and p["poll"].startswith("steady"):
                goal = "<= 60 s"
            if feeds >= 5000 and p["poll"] == "all-304":
                goal = "<= 15 s"
            wall = _fmt(p["wall_s"]) + " s"
            if "wall_projected_s" in p:
                wall += f" (projected {_fmt(p['wall_projected_s'])} s)"
            rows.append(("1 poll", f"{feeds} feeds {p['poll']}: wall", wall, goal))
            split = (
                f"fetch+parse+store {p['fetch_parse_wall_s']} s wall | extract "
                f"{p['extract_wall_s']} s ({p['extracted_items']} items"
                + (f", {p['extract_items_per_s']}/s, {p['extract_skipped_items']} skipped" if "extract_skipped_items" in p else "")
                + f") | thread-summed fetch {p['fetch_thread_s']} s, parse {p['parse_thread_s']} s,"
                f" store {p['store_s']} s | new {p['new_items']}, 304 {p['not_modified']},"
                f" failed {p['failed']}"
            )
            rows.append(("1 poll", f"{feeds} feeds {p['poll']}: split", split, ""))
    runs = polls.get("runs", [])
    if runs and max(r["feeds"] for r in runs) < 5000:
        big = max(runs, key=lambda r: r["feeds"])
        factor = 5000 / big["feeds"]
        for p in big["polls"][1:]:
            wall = p.get("wall_projected_s", p["wall_s"]) * factor
            goal = "<= 60 s" if p["poll"].startswith("steady") else "<= 15 s"
            rows.append(("1 poll", f"5000 feeds {p['poll']}: linear projection from {big['feeds']}", f"{wall:,.1f} s", goal))
    if "skipped" in polls:
        rows.append(("1 poll", "skipped", polls["skipped"], ""))

    peer = results.get("peer", {})
    if peer.get("skipped"):
        rows.append(("2 rss2email", "skipped", peer["skipped"], ""))
    elif peer:
        rows.append(("2 rss2email", f"{peer['feeds']} feeds first poll, r2e run", _fmt(peer["r2e_s"]) + " s" + (" (" + peer["note"] + ")" if peer.get("note") else ""), ""))
        rows.append(("2 rss2email", f"{peer['feeds']} feeds first poll, trigger-monitor", _fmt(peer["ours_s"]) + " s", ""))
        rows.append(("2 rss2email", f"{peer['feeds']} feeds first poll, trigger-monitor fetch+parse+store only", _fmt(peer["ours_fetch_parse_store_s"]) + " s", ""))
        rows.append(("2 rss2email", "speed-up (whole first poll incl. extraction)", _fmt(peer["speedup"]) + "x", ">= 10x"))
        rows.append(("2 rss2email", "speed-up (fetch+parse+store only)", _fmt(peer["speedup_fetch_only"]) + "x", ">= 10x"))

    ext = results.get("extract", {})
    if ext.get("skipped"):
        rows.append(("3 extract", "skipped", ext["skipped"], ""))
    elif ext:
        rows.append(("3 extract", "model load", _fmt(ext["model_load_s"]) + " s", ""))
        for r in ext["rows"]:
            rows.append(("3 extract", f"{r['accounts']:,} accounts: items/s ({r['items']} items, {r['parsed_share']:.0%} parsed, {r['events']} events, {r['matches']} matches)", _fmt(r["items_per_s"]), ">= 500/core"))
            rows.append(("3 extract", f"{r['accounts']:,} accounts: load_config + matcher build", f"{r['load_config_s']} s + {r['matcher_build_s']} s", ""))
            rows.append(("3 extract", f"{r['accounts']:,} accounts: time vs first row", _fmt(r["vs_first"]) + "x", "<= 1.5x"))

    mem = results.get("memory", {})
    if mem.get("skipped"):
        rows.append(("4 memory", "skipped", mem["skipped"], ""))
    elif mem:
        for s in mem["samples"]:
            extra = f", parse workers {s['workers_rss_mb']} MB" if "workers_rss_mb" in s else ""
            rows.append(("4 memory", f"cycle {s['cycle']} ({s['when']})", f"RSS {s['VmRSS']} MB, peak {s['VmHWM']} MB{extra}", "flat, <= 500 MB"))
        rows.append(("4 memory", f"{mem['cycles']} cycles of {mem['feeds']} feeds: per cycle", _fmt(mem["cycle_ms"]) + " ms", ""))

    alerts = results.get("alerts", {})
    if alerts.get("skipped"):
        rows.append(("5 alerts", "skipped", alerts["skipped"], ""))
    for db, r in (alerts if not alerts.get("skipped") else {}).items():
        if r.get("skipped"):
            rows.append(("5 alerts", db, "skipped: " + r["skipped"], ""))
            continue
        rows.append(("5 alerts", f"{db}: {r['alerts']} alerts compose + deliver", f"{r['compose_s']} s + {r['deliver_s']} s = {r['alerts_per_s']} alerts/s ({r['received']} received)", ""))

    scale = results.get("scaleout", {})
    if scale.get("skipped"):
        rows.append(("6 scale-out", "skipped", scale["skipped"], ""))
    elif scale:
        for r in scale["runs"]:
            rows.append(("6 scale-out", f"{r['daemons']} daemon(s), {scale['feeds']} feeds: all polled once", _fmt(r["all_polled_s"]) + " s", ""))
        rows.append(("6 scale-out", "speed-up 2 vs 1", _fmt(scale["speedup"]) + "x", ""))

    widths = [max(len(r[i]) for r in rows) if rows else 0 for i in range(4)]
    widths[2] = min(widths[2], 90)
    lines = [
        f"{'section':<{widths[0]}}  {'measurement':<{widths[1]}}  {'value':<{widths[2]}}  goal",
        "-" * (sum(widths) + 10),
    ]
    for r in rows:
        lines.append(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}")
    return "\n".join(lines)
