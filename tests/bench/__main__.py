"""Entry point: `python -m tests.bench [--quick] [--out PATH] [--only 1,3,...]`.

Runs every section in one process, one after the other (they would distort each other on
a 2-core machine), prints the table and writes all numbers as JSON. The `__main__` guard
matters: the daemon's parse pool starts workers with forkserver, which re-imports this.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.common import Skip
from tests.bench.feeds import REPO, load_corpus


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run (about 2 minutes)")
    parser.add_argument("--out", type=Path, default=REPO / "state" / "bench.json")
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="sections to run, e.g. 1,3")
    parser.add_argument("--feeds", help="poll section feed counts, e.g. 1000,5000 (the default)")
    parser.add_argument("--cycles", type=int, help="memory section cycles")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s %(message)s")
    quick = args.quick
    only = {int(x) for x in args.only.split(",") if x.strip()}
    plan = {
        "poll_feeds": [int(x) for x in args.feeds.split(",")]
        if args.feeds
        else ([50] if quick else [1000, 5000]),
        "latency_s": 0.05,
        "extract_budget_s": 10.0 if quick else 20.0,
        "peer_feeds": 50 if quick else 1000,
        "peer_budget_s": 60.0 if quick else 240.0,
        "extract_items": 200 if quick else 800,
        "extract_accounts": [500, 10_000] if quick else [500, 10_000, 100_000],
        "memory_cycles": args.cycles or (30 if quick else 10_000),
        "alerts": 50 if quick else 500,
        "scaleout_feeds": 100 if quick else 300,
        "replay_items": 5_000 if quick else 100_000,
    }
    corpus = load_corpus()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_at_start": os.getloadavg(),
        },
        "plan": plan,
        "corpus_items": len(corpus),
    }
    print(f"bench plan: {json.dumps(plan)}", flush=True)

    def no_corpus() -> None:
        if not corpus:
            raise Skip("no real-world feeds in /work/shared/feeds/real-world")

    def poll() -> dict[str, Any]:
        from tests.bench.polling import run_polls

        no_corpus()
        return {
            "runs": [
                run_polls(
                    corpus,
                    n,
                    latency_s=plan["latency_s"],
                    extract_budget_s=plan["extract_budget_s"],
                )
                for n in plan["poll_feeds"]
            ]
        }

    def peer() -> dict[str, Any]:
        from tests.bench.peer import run_peer

        no_corpus()
        same = [
            r for r in results.get("poll", {}).get("runs", []) if r["feeds"] == plan["peer_feeds"]
        ]
        return run_peer(
            corpus,
            plan["peer_feeds"],
            latency_s=plan["latency_s"],
            budget_s=plan["peer_budget_s"],
            ours=same[0] if same else None,
            extract_budget_s=plan["extract_budget_s"],
        )

    def extract() -> dict[str, Any]:
        from tests.bench.extraction import run_extraction

        no_corpus()
        return run_extraction(corpus, plan["extract_accounts"], plan["extract_items"])

    def memory() -> dict[str, Any]:
        from tests.bench.memory import run_memory_isolated

        no_corpus()
        return run_memory_isolated(plan["memory_cycles"])

    def alerts() -> dict[str, Any]:
        from tests.bench.alerts import run_alerts

        return run_alerts(plan["alerts"])

    def scaleout() -> dict[str, Any]:
        from tests.bench.scaleout import run_scaleout

        no_corpus()
        return run_scaleout(corpus, plan["scaleout_feeds"], latency_s=plan["latency_s"])

    def replay() -> dict[str, Any]:
        from tests.bench.replay import run_replay_bench

        no_corpus()
        return run_replay_bench(corpus, plan["replay_items"])

    sections: list[tuple[int, str, Callable[[], dict[str, Any]]]] = [
        (1, "poll", poll),
        (2, "peer", peer),
        (3, "extract", extract),
        (4, "memory", memory),
        (5, "alerts", alerts),
        (6, "scaleout", scaleout),
        (7, "replay", replay),
    ]
    for number, name, run in sections:
        if number not in only:
            continue
        started = time.perf_counter()
        print(f"== section {number} ({name}) ...", flush=True)
        try:
            results[name] = run()
        except Skip as exc:
            results[name] = {"skipped": str(exc)}
            print(f"   skipped: {exc}", flush=True)
        except Exception as exc:  # one broken section must not lose the others' numbers
            traceback.print_exc()
            results[name] = {"skipped": f"failed: {type(exc).__name__}: {exc}"}
        results.setdefault("section_s", {})[name] = round(time.perf_counter() - started, 1)
        print(f"   done in {results['section_s'][name]} s", flush=True)
        _write(args.out, results)

    from tests.bench.report import table

    results["loadavg_at_end"] = os.getloadavg()
    print()
    print(table(results))
    _write(args.out, results)
    print(f"\nJSON written to {args.out}")
    return 0


def _write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
