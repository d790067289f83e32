"""check-config warnings: things that are valid but will cost alerts or flood reps.

Unlike the problems in monitor/config.py, a warning never makes check-config fail and never
stops the daemon; `check-config` prints each as `file:line: warning: message`.

- account names that are common English words ("Square", "Target", "Gap") with no domain
  and no alias that is not a common word: such a name counts only where its capital says
  "name" (extractors.accounts: "Square said", "Square, Inc.", not "Times Square", "On
  Monday" or "Note: ..."), so some news about the account is missed and a capitalised word
  mid-sentence can still match. The word list is spaCy's English stop words
  (spacy.lang.en.stop_words) plus the small bundled list extractors/data/common_words.txt
  (common English words that are also company names); both are offline, no model needed
  (extractors.accounts.is_common, which the matcher uses too). "Shopify" is not a word, so
  it passes.
- accounts that normalise to the same name ("Acme Inc" and "ACME, Inc."): only one matches;
- aliases (or names) shared by two accounts: the event goes to one of them only;
- sources that are the same feed (scheme and host case, http/https, default port,
  trailing slash and tracking parameters such as utm_* do not make URLs differ);
- trigger rules that can never match: an enabled type with no cue and no pattern, a cue that
  is also a negative cue (it vetoes its own sentence) or one of the type's `exclude` words.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extractors.accounts import Account, is_common, normalise
from extractors.rules import TriggerRules, cue_forms, word_tokens
from monitor.config import Config, Problem, _read, _read_csv, _Toml

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_hs[a-z]+|ref|ref_src|"
    r"cmpid|icid|igshid|yclid)$",
    re.IGNORECASE,
)


def config_warnings(directory: Path) -> list[Problem]:
    """Warnings for a configuration folder (empty when it cannot be read at all)."""
    config = _read(directory, [])
    if config is None:
        return []
    warnings: list[Problem] = []
    warnings += account_warnings(config)
    warnings += source_warnings(config)
    warnings += trigger_warnings(config)
    return warnings


# --------------------------------------------------------------------------- accounts


def _account_lines(config: Config) -> dict[str, int]:
    rows = _read_csv(config.directory / "accounts.csv", ("name",), [])
    return {row["name"]: line for line, row in rows if row.get("name")}


def account_warnings(config: Config) -> list[Problem]:
    path = str(config.directory / "accounts.csv")
    lines = _account_lines(config)
    out: list[Problem] = []
    by_name: dict[str, Account] = {}
    labels: dict[str, tuple[Account, str]] = {}
    for acc in config.accounts:
        line = lines.get(acc.name, 0)
        if is_common(acc.name) and not acc.domains and all(is_common(a) for a in acc.aliases):
            out.append(
                Problem(
                    path,
                    line,
                    f"account {acc.name!r} is a common English word and has no domain or "
                    "distinctive alias: it matches only where its capital marks a name "
                    "(mid-sentence, leading a sentence, or with its legal suffix), so news "
                    "that uses it otherwise is missed and a capitalised use of the word can "
                    "still match (add its domain or an alias that is not a common word)",
                )
            )
        key = normalise(acc.name)
        first = by_name.get(key)
        if first is not None:
            out.append(
                Problem(
                    path,
                    line,
                    f"account {acc.name!r} is the same name as {first.name!r} "
                    f"(line {lines.get(first.name, 0)}) once case, punctuation and legal "
                    f"suffixes are dropped ({key!r}): only one of them can match",
                )
            )
        else:
            by_name[key] = acc
        for label in (acc.name, *acc.aliases):
            lkey = normalise(label)
            if not lkey:
                continue
            owner = labels.get(lkey)
            if owner is None:
                labels[lkey] = (acc, label)
            elif owner[0] is not acc:
                if label == acc.name and owner[1] == owner[0].name:
                    continue  # two accounts with one name: reported above
                out.append(
                    Problem(
                        path,
                        line,
                        f"{'alias' if label != acc.name else 'name'} {label!r} of account "
                        f"{acc.name!r} is also {owner[1]!r} of account {owner[0].name!r} "
                        f"(line {lines.get(owner[0].name, 0)}): events will go to one of them",
                    )
                )
    return out


# --------------------------------------------------------------------------- sources


def normalise_url(url: str) -> str:
    """Comparable form of a feed URL (local paths are compared as given)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def source_warnings(config: Config) -> list[Problem]:
    doc = _Toml(config.directory / "sources.toml", [])
    names = [t.get("name") for t in doc.data.get("source", [])] if doc.ok else []
    out: list[Problem] = []
    seen: dict[str, str] = {}
    for src in config.sources:
        key = normalise_url(src.url)
        index = names.index(src.name) if src.name in names else None
        line = doc.line_of("url", "source", index) if index is not None else 0
        if key in seen:
            out.append(
                Problem(
                    doc.name,
                    line,
                    f"source {src.name!r} is the same feed as {seen[key]!r} ({key}): "
                    "its items are fetched twice",
                )
            )
        else:
            seen[key] = src.name
    return out


# --------------------------------------------------------------------------- triggers


def _cue_line(doc: _Toml, table: str, cue: str) -> int:
    start = doc.line_of("", table)
    for i in range(start, len(doc.lines)):
        if i > start and re.match(r"^\s*\[", doc.lines[i]):
            break
        if f'"{cue}"' in doc.lines[i] or f"'{cue}'" in doc.lines[i]:
            return i + 1
    return start


def trigger_warnings(config: Config) -> list[Problem]:
    rules: TriggerRules | None = config.triggers
    if rules is None:
        return []
    doc = _Toml(config.directory / "triggers.toml", [])
    out: list[Problem] = []
    enabled = rules.enabled()
    if not enabled:
        out.append(Problem(doc.name, 0, "every event type is disabled: nothing can ever alert"))
    negative = {" ".join(word_tokens(f)) for n in rules.negative_cues for f in cue_forms(n)}
    for t in enabled:
        if not t.cues and not t.patterns:
            out.append(
                Problem(
                    doc.name,
                    doc.line_of("", t.name),
                    f"[{t.name}] is enabled but has no cues and no patterns: it can never match",
                )
            )
            continue
        if not t.cues and "cues" in (doc.data.get(t.name) or {}):
            # the file empties the cue list on purpose or by mistake: only the bundled
            # patterns (orders won, licences for partnership) can still match
            out.append(
                Problem(
                    doc.name,
                    doc.line_of("", t.name),
                    f"[{t.name}] is enabled but has no cues: only its {len(t.patterns)}"
                    " patterns can match",
                )
            )
            continue
        excluded = {" ".join(word_tokens(f)) for e in t.exclude for f in cue_forms(e)}
        for cue in t.cues:
            forms = {" ".join(word_tokens(f)) for f in cue_forms(cue)}
            if forms & negative:
                out.append(
                    Problem(
                        doc.name,
                        _cue_line(doc, t.name, cue),
                        f"[{t.name}] cue {cue!r} is also a [negative] cue: every sentence it "
                        "finds is vetoed, so it can never match",
                    )
                )
            elif " ".join(word_tokens(cue)) in excluded:
                out.append(
                    Problem(
                        doc.name,
                        _cue_line(doc, t.name, cue),
                        f"[{t.name}] cue {cue!r} is also in its exclude list: it vetoes itself "
                        "and can never match",
                    )
                )
    return out
