"""`trigger-monitor` subcommands. User-fixable errors print one line and exit non-zero."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from monitor.config import ConfigError, check_config, load_config, resolve_config_dir
from monitor.logfmt import kv, setup_logging

log = logging.getLogger("monitor")


class UserError(Exception):
    """Something the user can fix; printed as one line without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trigger-monitor",
        description="Watch news and filing feeds for trigger events and email account owners.",
    )
    parser.add_argument(
        "--config",
        metavar="DIR",
        help="configuration folder (default: $TRIGGER_MONITOR_CONFIG, else the bundled config/)",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the daemon")
    run.add_argument("--once", action="store_true", help="poll every source once, send, exit")
    sub.add_parser("check-config", help="validate the configuration folder")
    extract = sub.add_parser("extract", help="extract events from JSON lines (FILE or stdin)")
    extract.add_argument("file", nargs="?", help='JSON lines {"id","title","text","url"?}')
    alerts = sub.add_parser("alerts", help="list alerts, or `alerts retry ID`")
    alerts.add_argument("--status", choices=["pending", "sent", "failed"])
    alerts.add_argument("--limit", type=int, default=50)
    alerts.add_argument("action", nargs="?", choices=["retry"], help="re-queue a failed alert")
    alerts.add_argument("alert_id", nargs="?", type=int)
    sub.add_parser("sources", help="show each source's fetch state")
    explain = sub.add_parser(
        "explain", help="show step by step why an item would (not) make an alert"
    )
    what = explain.add_mutually_exclusive_group(required=True)
    what.add_argument("url", nargs="?", help="a feed or page URL (or local file)")
    what.add_argument("--item", type=int, metavar="ID", help="a stored item's id")
    what.add_argument("--text", metavar="TEXT", help="a headline or sentence")
    feedback = sub.add_parser(
        "feedback",
        help="record a rep's vote on an alert, list votes, or write a link-signing secret",
    )
    feedback.add_argument("alert_id", nargs="?", type=int, help="the alert voted on")
    feedback.add_argument(
        "vote",
        nargs="?",
        help="useful, wrong-company, not-a-trigger, already-knew or talk-track-helped",
    )
    feedback.add_argument("--rep", metavar="EMAIL", help="who votes (default: the alert's rep)")
    feedback.add_argument("--list", action="store_true", help="print the votes recorded")
    feedback.add_argument(
        "--since", default="30d", help="with --list: 30d, 12h, 2w or all (default 30d)"
    )
    feedback.add_argument(
        "--new-secret", metavar="FILE", help="write a new random signing secret (mode 0600)"
    )
    report = sub.add_parser("report", help="write a self-contained HTML report for marketing")
    report.add_argument(
        "--since", default="30d", help="period back from now (30d, 12h, 2w) or an ISO date"
    )
    report.add_argument("--out", metavar="FILE", default="report.html", help="default: %(default)s")
    report.add_argument("--top", type=int, default=10, help="rows before 'others' (default 10)")
    replay = sub.add_parser(
        "replay",
        help="re-run extraction and matching over stored items and compare with the alerts",
    )
    replay.add_argument(
        "--since",
        default="30d",
        help="items fetched since: 30d, 12h, 2w or an ISO date (default: 30d)",
    )
    replay.add_argument(
        "--config",
        dest="candidate",
        metavar="NEWDIR",
        help="a candidate configuration folder to replay with (default: the current one); "
        "the database is always the current configuration's",
    )
    replay.add_argument("--format", choices=["text", "json"], default="text")
    replay.add_argument(
        "--examples", type=int, default=5, metavar="N", help="examples per change (default 5)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.log_level)
    config_dir = resolve_config_dir(args.config)
    try:
        handler = {
            "run": cmd_run,
            "check-config": cmd_check_config,
            "extract": cmd_extract,
            "alerts": cmd_alerts,
            "sources": cmd_sources,
            "explain": cmd_explain,
            "feedback": cmd_feedback,
            "report": cmd_report,
            "replay": cmd_replay,
        }[args.command]
        return handler(config_dir, args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(
            f"error: configuration in {config_dir} is not usable "
            f"({len(exc.problems)} problem(s)); run `trigger-monitor check-config`",
            file=sys.stderr,
        )
        return 1
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_run(config_dir: Path, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError

    from monitor.daemon import Daemon, DatabaseWaitStopped
    from monitor.feedback.server import FeedbackServerError

    try:
        # The daemon waits for a database that is down; a one-off run says so and exits.
        daemon = Daemon(config_dir, wait_for_database=not args.once)
    except DatabaseWaitStopped:
        log.info("stopped while waiting for the database")
        return 0
    except (OperationalError, InterfaceError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise UserError(f"database unreachable: {reason[0] if reason else exc}") from None
    if args.once:
        try:
            daemon.run_once()
        finally:
            daemon.close()
        return 0
    try:
        daemon.run_forever()
    except FeedbackServerError as exc:
        raise UserError(str(exc)) from None
    return 0


def cmd_check_config(config_dir: Path, _args: argparse.Namespace) -> int:
    from monitor.config_lint import config_warnings

    problems = check_config(config_dir)
    for problem in problems:
        print(problem)
    # Warnings never change the exit code: the configuration works, it may just cost alerts.
    for warning in config_warnings(config_dir):
        print(f"{warning.file}:{warning.line}: warning: {warning.message}")
    if problems:
        print(f"{len(problems)} problem(s) in {config_dir}", file=sys.stderr)
        return 1
    print(f"ok: {config_dir}")
    return 0


def _read_jsonl(handle: TextIO, name: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{name}:{number}: not valid JSON: {exc.msg}") from exc
        if not isinstance(record, dict) or "id" not in record:
            raise UserError(f'{name}:{number}: each line needs an object with "id"')
        yield record


def cmd_extract(config_dir: Path, args: argparse.Namespace) -> int:
    from extractors.accounts import AccountMatcher
    from extractors.nlp import load_pipeline
    from monitor.extract import ItemText, extract_records

    config = load_config(config_dir)
    assert config.triggers is not None
    extractor = load_pipeline(config.nlp_model, config.triggers)
    matcher = AccountMatcher(config.accounts)
    if args.file:
        try:
            handle: TextIO = open(args.file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise UserError(f"cannot read {args.file}: {exc.strerror}") from exc
        name = args.file
    else:
        handle, name = sys.stdin, "<stdin>"
    with handle:
        records = (ItemText.from_record(r) for r in _read_jsonl(handle, name))
        for out in extract_records(records, extractor, matcher):
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def cmd_alerts(config_dir: Path, args: argparse.Namespace) -> int:
    from monitor.alerts import queue
    from monitor.clock import utcnow
    from monitor.store.db import Database
    from monitor.store.models import Alert, Email, EventRow

    config = load_config(config_dir)
    db = Database(config.database_url)
    db.migrate()
    if args.action == "retry":
        if args.alert_id is None:
            raise UserError("usage: trigger-monitor alerts retry ID")
        if not queue.retry_now(db, args.alert_id, utcnow()):
            raise UserError(f"alert {args.alert_id} does not exist or has not failed")
        print(f"alert {args.alert_id} re-queued")
        return 0
    with db.session() as s:
        query = (
            select(Alert, EventRow, Email)
            .join(EventRow, EventRow.id == Alert.event_id)
            .outerjoin(Email, Email.id == Alert.email_id)
            .order_by(Alert.id.desc())
            .limit(args.limit)
        )
        if args.status == "pending":
            query = query.where((Alert.email_id.is_(None)) | (Email.status == "pending"))
        elif args.status:
            query = query.where(Email.status == args.status)
        rows = s.execute(query).all()
        print(f"{'id':>5}  {'status':8} {'type':18} {'account':24} {'recipient':28} detail")
        for alert, event, email in rows:
            status = email.status if email else "pending"
            detail = (email.last_error or "") if email else "waiting for digest/compose"
            if email and email.status == "sent" and email.sent_at:
                detail = f"sent {email.sent_at:%Y-%m-%d %H:%M} {email.message_id}"
            print(
                f"{alert.id:>5}  {status:8} {event.type:18} {alert.account[:24]:24} "
                f"{alert.recipient[:28]:28} {detail}"
            )
    return 0


def cmd_sources(config_dir: Path, _args: argparse.Namespace) -> int:
    from monitor import health
    from monitor.clock import utcnow
    from monitor.store.db import Database

    config = load_config(config_dir)
    db = Database(config.database_url)
    db.migrate()

    def when(value: object) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else "-"  # type: ignore[attr-defined]

    print(
        f"{'source':28} {'on':3} {'last success':16} {'streak':>6} {'24h':>4} {'usual/d':>7} "
        f"{'status':8} detail"
    )
    for h in health.report(db, config, utcnow()):
        on = "no" if not h.enabled else ("off" if h.disabled_reason else "yes")
        usual = f"{h.usual_per_day:.1f}" if h.usual_per_day is not None else "-"
        status = "FLAGGED" if h.flags else ("failing" if h.error_streak else "ok")
        if not h.enabled:
            status = "-"
        if h.flags:
            detail = "; ".join(h.flags)
        elif h.last_error_kind:
            detail = f"{h.last_error_kind}: {h.last_error}"
        else:
            detail = ""
        print(
            f"{h.name[:28]:28} {on:3} {when(h.last_success_at):16} {h.error_streak:>6} "
            f"{h.items_last_day:>4} {usual:>7} {status:8} {detail[:100]}"
        )
    db.dispose()
    return 0


def cmd_explain(config_dir: Path, args: argparse.Namespace) -> int:
    from monitor.clock import utcnow
    from monitor.explain import ExplainError, run_explain

    config = load_config(config_dir)
    try:
        run_explain(
            config, sys.stdout, url=args.url, item_id=args.item, text=args.text, now=utcnow()
        )
    except ExplainError as exc:
        raise UserError(str(exc)) from exc
    return 0


def cmd_feedback(config_dir: Path, args: argparse.Namespace) -> int:
    if args.new_secret:
        if args.alert_id is not None or args.list:
            raise UserError("--new-secret FILE takes no alert or vote")
        return _new_secret(Path(args.new_secret))
    if args.list:
        if args.alert_id is not None:
            raise UserError("--list takes no alert or vote")
        return _list_votes(config_dir, args.since)
    if args.alert_id is None or args.vote is None:
        raise UserError(
            "usage: trigger-monitor feedback ALERT_ID VOTE [--rep EMAIL] "
            "| feedback --list [--since 30d] | feedback --new-secret FILE"
        )
    from monitor.clock import utcnow
    from monitor.config import EMAIL_RE
    from monitor.feedback.links import VoteError, normalise_vote
    from monitor.feedback.votes import record_cli_vote
    from monitor.store.db import Database

    try:
        vote = normalise_vote(args.vote)
    except VoteError as exc:
        raise UserError(str(exc)) from None
    if args.rep is not None and not EMAIL_RE.match(args.rep.strip()):
        raise UserError(f"--rep {args.rep!r} is not an email address")
    config = load_config(config_dir)
    db = Database(config.database_url)
    try:
        db.migrate()
        outcome = record_cli_vote(db, args.alert_id, vote, args.rep, utcnow())
    finally:
        db.dispose()
    if not outcome.ok:
        raise UserError(f"alert {args.alert_id} does not exist (see `trigger-monitor alerts`)")
    print(
        f"recorded: alert {outcome.alert_id} ({outcome.account}) "
        f"{vote.replace('_', '-')} by {outcome.recipient}"
    )
    return 0


def _new_secret(path: Path) -> int:
    """A random secret only its owner can read; an existing file is never replaced,
    because every link already mailed stops verifying when the secret changes."""
    import os
    import secrets

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UserError(
            f"{path} exists; remove it first if you mean to replace it "
            "(links already mailed stop working with a new secret)"
        ) from None
    except OSError as exc:
        raise UserError(f"cannot create {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    os.chmod(path, 0o600)  # whatever the umask did
    print(f'wrote a new feedback secret to {path} (mode 0600); use secret_file = "{path}"')
    return 0


def _list_votes(config_dir: Path, since_text: str) -> int:
    from monitor.clock import utcnow
    from monitor.feedback.votes import list_votes
    from monitor.since import SinceError, parse_since
    from monitor.store.db import Database

    if since_text.strip().lower() == "all":
        since = None
    else:
        try:
            since = parse_since(since_text, utcnow())
        except SinceError as exc:
            raise UserError(str(exc)) from None
    config = load_config(config_dir)
    db = Database(config.database_url)
    try:
        db.migrate()
        rows = list_votes(db, since)
    finally:
        db.dispose()
    print(
        f"{'id':>5}  {'when (UTC)':16}  {'alert':>5}  {'vote':17}  {'rep':24}  {'via':4}  "
        "account / type / talk track"
    )
    for row in rows:
        what = f"{row.account} / {row.type}" + (f" / {row.talk_track}" if row.talk_track else "")
        print(
            f"{row.id:>5}  {row.created_at:%Y-%m-%d %H:%M}  {row.alert_id:>5}  "
            f"{row.vote.replace('_', '-'):17}  {row.recipient[:24]:24}  {row.channel:4}  {what}"
        )
    print(f"{len(rows)} vote(s)" + (f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""))
    return 0


def cmd_report(config_dir: Path, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError

    from monitor.clock import utcnow
    from monitor.report import build_report, parse_since, render_html
    from monitor.store.db import Database

    try:
        window = parse_since(args.since, utcnow())
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.top < 1:
        raise UserError("--top must be at least 1")
    config = load_config(config_dir)
    out = Path(args.out)
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; name a file such as {out / 'report.html'}")
    db = Database(config.database_url)
    try:
        db.migrate()
        data = build_report(db, config, window, top=args.top)
    except (OperationalError, InterfaceError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise UserError(f"database unreachable: {reason[0] if reason else exc}") from None
    finally:
        db.dispose()
    html = render_html(data)
    # Written whole then renamed, so a browser never opens half a report.
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from None
    log.info(kv("report written", path=str(out.resolve()), alerts=data.totals.alerts))
    print(out.resolve())
    return 0


def cmd_replay(config_dir: Path, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

    from extractors.nlp import load_pipeline
    from monitor.clock import utcnow
    from monitor.replay import Replayer, ReplayError, parse_since, render_text
    from monitor.store.db import Database

    if args.examples < 0:
        raise UserError("--examples must be 0 or more")
    try:
        since = parse_since(args.since, utcnow())
    except ReplayError as exc:
        raise UserError(str(exc)) from exc
    current = load_config(config_dir)  # the database is always the running daemon's
    candidate = current
    if args.candidate:
        candidate_dir = Path(args.candidate).expanduser().resolve()
        try:
            candidate = load_config(candidate_dir)
        except ConfigError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            print(
                f"error: candidate configuration in {candidate_dir} is not usable "
                f"({len(exc.problems)} problem(s)); run "
                f"`trigger-monitor --config {candidate_dir} check-config`",
                file=sys.stderr,
            )
            return 1
    assert candidate.triggers is not None
    db = Database(current.database_url)  # never migrated here: replay writes nothing
    try:
        extractor = load_pipeline(candidate.nlp_model, candidate.triggers)
        replayer = Replayer(db, candidate, extractor, examples=args.examples)
        try:
            total = replayer.count_items(since)
        except (OperationalError, ProgrammingError, InterfaceError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            raise UserError(
                f"cannot read the database {db.describe()}: {reason[0] if reason else exc} "
                "(has the daemon run on it yet?)"
            ) from None
        with _progress_bar(total) as bar:
            replayer.progress = bar.update if bar is not None else None
            result = replayer.run(since)
    finally:
        db.dispose()
    if args.format == "json":
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        render_text(result, sys.stdout)
    return 0


@contextmanager
def _progress_bar(total: int) -> Iterator[Any]:
    """A tqdm bar on stderr when a person watches (log lines print above it); none in
    pipes, logs and tests."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    with (
        tqdm(total=total, unit="item", file=sys.stderr, dynamic_ncols=True) as bar,
        logging_redirect_tqdm(),
    ):
        yield bar


if __name__ == "__main__":
    sys.exit(main())
