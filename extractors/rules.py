"""Trigger rules: the cue words and token patterns marketing tunes in config/triggers.toml.

The file is validated here, once, so that a bad edit is reported with the line to fix
instead of surfacing as a strange extraction result at 3 a.m.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.events import EVENT_TYPES
from extractors.places import PLACES

if TYPE_CHECKING:
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).parent / "patterns"
DEFAULT_TRIGGERS = Path(__file__).resolve().parent.parent / "config" / "triggers.toml"

_TYPE_KEYS = {"enabled": bool, "cues": list, "requires": list, "exclude": list, "patterns": list}
_GLOBAL_TABLES = ("negative", "settings")
_SETTINGS_KEYS = {"min_confidence": (int, float), "first_pass": bool}

# Verbs whose past tense or participle is not regular; inflect() covers the rest.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "buy": ("bought",),
    "sell": ("sold",),
    "lead": ("led",),
    "take": ("took", "taken"),
    "make": ("made",),
    "strike": ("struck",),
    "bring": ("brought",),
    "leave": ("left",),
    "go": ("went", "gone", "goes"),
    "win": ("won",),
    "lay": ("laid",),
    "set": ("set",),
    "cut": ("cut",),
    "put": ("put",),
    "become": ("became",),
    "tie": ("tying", "tied"),
    "quit": ("quit", "quitting"),
    "begin": ("began", "begun"),
    "hold": ("held",),
    "break": ("broke", "broken"),
    "shut": ("shut", "shutting"),
    "get": ("got", "gotten"),
    "choose": ("chose", "chosen"),
}


class RulesError(Exception):
    """An invalid triggers file; `line` is 1-based in that file (None when unknown)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class TypeRules:
    """Rules of one event type. `requires`: a cue counts only if one of these words is also in
    the sentence (keeps ambiguous verbs like "raise" honest); `exclude`: words that veto it."""

    name: str
    enabled: bool = True
    cues: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()


@dataclass(frozen=True)
class TriggerRules:
    """All rules: per-type rules plus cues that veto a whole sentence (round-ups, sports...)."""

    types: dict[str, TypeRules] = field(default_factory=dict)
    negative_cues: tuple[str, ...] = ()
    min_confidence: float = 0.5
    first_pass: bool = True

    def enabled(self) -> list[TypeRules]:
        return [t for t in self.types.values() if t.enabled]

    def to_config(self) -> dict[str, Any]:
        """A JSON-able form, because spaCy component configs must be serialisable."""
        return {
            "types": {
                n: {
                    "enabled": t.enabled,
                    "cues": list(t.cues),
                    "requires": list(t.requires),
                    "exclude": list(t.exclude),
                    "patterns": [list(p) for p in t.patterns],
                }
                for n, t in self.types.items()
            },
            "negative_cues": list(self.negative_cues),
            "min_confidence": self.min_confidence,
        }

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> TriggerRules:
        types = {
            n: TypeRules(
                name=n,
                enabled=bool(t.get("enabled", True)),
                cues=tuple(t.get("cues", ())),
                requires=tuple(t.get("requires", ())),
                exclude=tuple(t.get("exclude", ())),
                patterns=tuple(tuple(p) for p in t.get("patterns", ())),
            )
            for n, t in cfg.get("types", {}).items()
        }
        return cls(
            types=types,
            negative_cues=tuple(cfg.get("negative_cues", ())),
            min_confidence=float(cfg.get("min_confidence", 0.5)),
        )

    def cue_index(self) -> CueIndex | None:
        """The cheap first pass's view of these rules; None when a pattern has no literal word,
        because then no keyword test can be sure it loses nothing."""
        words: dict[str, set[str]] = {}
        phrases: dict[tuple[str, ...], set[str]] = {}
        requires: dict[str, frozenset[str]] = {}
        symbols: dict[str, tuple[str, ...]] = {}
        guarded: dict[str, list[tuple[frozenset[str], tuple[frozenset[str], ...]]]] = {}
        for t in self.enabled():
            for cue in t.cues:
                for form in cue_forms(cue):
                    toks = tuple(word_tokens(form))
                    if len(toks) == 1:
                        words.setdefault(toks[0], set()).add(t.name)
                    elif toks:
                        phrases.setdefault(toks, set()).add(t.name)
            for pattern in t.patterns:
                if lead := _literal_phrase(pattern):
                    phrases.setdefault(lead, set()).add(t.name)  # ("working", "on")
                    continue
                lits = _pattern_literals(pattern)
                if not lits:
                    return None
                needs = _pattern_needs(pattern) if _pattern_key(pattern) in _bundled()[1] else ()
                for w in lits:
                    if needs:  # "sold ... business to": also needs "business" and "to"
                        guarded.setdefault(w, []).append((frozenset((t.name,)), needs))
                    else:
                        words.setdefault(w, set()).add(t.name)
            if t.requires:
                req = {w for r in t.requires for f in cue_forms(r) for w in word_tokens(f)}
                if t.name == "expansion":
                    # "enters the Indian market", "expands its service to Canada": a market
                    # entered, which the parse confirms (roles.market_entry)
                    req |= {"market", "markets"} | {p for p in PLACES if " " not in p}
                    # "begin nonstop service between ...", "adds Cleveland-Denver flights": a
                    # route pattern holds its own site (EventBuilder._context_ok)
                    req |= ROUTE_SITE_WORDS
                requires[t.name] = frozenset(req)
                symbols[t.name] = tuple(r for r in t.requires if not word_tokens(r))
        # "expands to Germany": a market entered needs none of the requires words; the place
        # is for the parse to see (roles.market_entry)
        free = (
            {
                tuple(word_tokens(form)): frozenset(("expansion",))
                for phrase in (*ENTRY_PHRASES, *SITE_PHRASES)
                for form in cue_forms(phrase)
            }
            if any(t.name == "expansion" for t in self.enabled())
            else {}
        )
        every = [*phrases, *free]
        return CueIndex(
            words={w: frozenset(ts) for w, ts in words.items()},
            phrases={p: frozenset(ts) for p, ts in phrases.items()},
            requires=requires,
            symbols=symbols,
            max_phrase=max((len(p) for p in every), default=1),
            phrase_starts=frozenset(p[0] for p in every),
            free_phrases=free,
            guarded={w: tuple(g) for w, g in guarded.items()},
        )


@dataclass(frozen=True)
class CueIndex:
    """Hash lookups that tell, without spaCy, whether a sentence could give any event: a cue of
    some type is present and, if that type has `requires` words, one of them too."""

    words: dict[str, frozenset[str]]
    phrases: dict[tuple[str, ...], frozenset[str]]
    requires: dict[str, frozenset[str]]
    symbols: dict[str, tuple[str, ...]]
    max_phrase: int
    phrase_starts: frozenset[str] = frozenset()  # first words of the phrases
    free_phrases: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    # a pattern's first word, with the words its later tokens need (one of each set)
    guarded: dict[str, tuple[tuple[frozenset[str], tuple[frozenset[str], ...]], ...]] = field(
        default_factory=dict
    )
    cue_words: frozenset[str] = field(init=False, repr=False, compare=False)
    any_cue_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Set intersections run in C: most words of a sentence are no cue, and a Python loop
        # over every token was most of the first pass's cost.
        object.__setattr__(self, "cue_words", frozenset(self.words))
        object.__setattr__(
            self, "any_cue_words", self.cue_words | self.phrase_starts | frozenset(self.guarded)
        )

    def mentions_cue(self, text: str) -> bool:
        """Could any sentence of `text` be a candidate? False when no cue word or cue
        phrase's first word occurs in it at all, which is most texts."""
        return not self.any_cue_words.isdisjoint(word_tokens(text))

    def candidate(self, text: str) -> bool:
        toks = word_tokens(text)
        present = set(toks)
        types: set[str] = set()
        for tok in present.intersection(self.cue_words):
            types |= self.words[tok]
        for tok in present.intersection(self.guarded):
            for ts, needs in self.guarded[tok]:
                if all(not n.isdisjoint(present) for n in needs):
                    types |= ts
        if any(t not in self.requires for t in types):
            return True  # a one-word cue of a type that needs nothing else
        starts = present.intersection(self.phrase_starts)
        if starts:
            n = len(toks)
            for i, tok in enumerate(toks):
                if tok not in starts:
                    continue  # most words start no phrase: one set lookup
                for size in range(2, min(self.max_phrase, n - i) + 1):
                    phrase = tuple(toks[i : i + size])
                    if phrase in self.free_phrases:
                        return True  # a phrase that needs no requires word
                    hit = self.phrases.get(phrase)
                    if hit:
                        types |= hit
        if not types:
            return False
        for t in types:
            req = self.requires.get(t)
            if req is None:
                return True
            if not req.isdisjoint(present) or any(sym in text for sym in self.symbols.get(t, ())):
                return True
        return False


_WORD_RE = re.compile(r"[a-z0-9]+")


def word_tokens(text: str) -> list[str]:
    """Lower-case alphanumeric words: the one tokenisation the first pass and cue forms share."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def inflect(word: str) -> set[str]:
    """All plausible inflections of an English lemma; over-generating is harmless for matching."""
    w = word.lower()
    forms = {w, *(_IRREGULAR.get(w, ()))}
    if not w.isalpha() or len(w) < 2:
        return forms
    if w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {w + "es", w + "ed", w + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", w):
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


def cue_forms(cue: str) -> set[str]:
    """Surface forms of a cue: first and last words inflected ("lay off" -> "laid off")."""
    words = cue.lower().replace("’", "'").split()
    if not words:
        return set()
    if len(words) == 1:
        return inflect(words[0])
    firsts = inflect(words[0])
    lasts = inflect(words[-1])
    mid = words[1:-1]
    return {" ".join([f, *mid, last]) for f in firsts for last in lasts}


# Phrases of a company going into a market ("expands to Germany", "its expansion into
# Canada"), which the first pass lets through without a requires word.
ENTRY_PHRASES = ("expand to", "expand into", "expansion to", "expansion into")
# Expansion cues that name a site being built or opened by themselves: "Baptist Health breaks
# ground on $310M tower" needs no "plant" or "store" word.
SITE_PHRASES = ("break ground", "cut the ribbon", "cut ribbon", "ribbon cutting", "grand opening")


def _literal_phrase(pattern: Iterable[dict[str, Any]]) -> tuple[str, ...] | None:
    """A pattern that starts with two or more exact words ([{LOWER: "working"}, {LOWER:
    "on"}]) is found by that phrase, which is rarer than its first word alone."""
    words: list[str] = []
    for tok in pattern:
        val = tok.get("LOWER")
        if tok.get("OP") or not isinstance(val, str) or len(tok) != 1:
            break
        split = word_tokens(val)
        if len(split) != 1:
            break
        words.append(split[0])
    return tuple(words) if len(words) >= 2 else None


def _pattern_needs(pattern: Iterable[dict[str, Any]]) -> tuple[frozenset[str], ...]:
    """The literal words each later required token of a pattern needs (one word of each
    set): for a guarded pattern, the first pass passes a sentence for its first word only
    when these are there too, which never loses a sentence the pattern could match."""
    literal = [vals for tok in pattern if _required(tok) and (vals := _literal_values(tok))]
    return tuple(frozenset(_first_words(vals)) for vals in literal[1:])


def _pattern_literals(pattern: Iterable[dict[str, Any]]) -> set[str]:
    """Literal words a pattern needs (from non-optional LOWER/ORTH/TEXT/LEMMA tokens)."""
    for tok in pattern:
        if _required(tok) and (vals := _literal_values(tok)):
            return _first_words(vals)
    return set()


# The words a route pattern names its route by, which stand in for the site words an
# expansion otherwise requires (here for the first pass, in components for the parse).
ROUTE_SITE_WORDS = frozenset(
    ("flights", "flight", "service", "services", "route", "routes", "sailings", "nonstops")
)


def _required(tok: dict[str, Any]) -> bool:
    op = tok.get("OP")
    return op not in ("?", "*", "!") and not (isinstance(op, str) and op.startswith("{0"))


def _literal_values(tok: dict[str, Any]) -> list[Any]:
    for key in ("LOWER", "ORTH", "TEXT", "LEMMA", "NORM"):
        val = tok.get(key)
        vals = (
            [val]
            if isinstance(val, str)
            else (val or {}).get("IN", [])
            if isinstance(val, dict)
            else []
        )
        if vals:
            return vals
    return []


def _first_words(vals: list[Any]) -> set[str]:
    """A literal the first pass splits ("line-up") is found by its first word; indexing
    every piece would make "up" a cue word."""
    return {ws[0] for v in vals for f in inflect(str(v)) if (ws := word_tokens(f))}


def _line_of(lines: list[str], table: str | None, key: str | None = None) -> int | None:
    """1-based line of `[table]` (or of `key =` inside it); tomllib keeps no positions."""
    start = 0
    if table is not None:
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
        for i, line in enumerate(lines):
            if header.match(line):
                start = i
                break
        else:
            return None
        if key is None:
            return start + 1
    keyre = re.compile(rf"^\s*{re.escape(key or '')}\s*=")
    for i in range(start + (1 if table else 0), len(lines)):
        if table is not None and re.match(r"^\s*\[", lines[i]):
            break
        if keyre.match(lines[i]):
            return i + 1
    return start + 1 if table else None


def _nth_pattern_line(lines: list[str], key_line: int, index: int) -> int:
    """Line where the `index`-th pattern of a `patterns = [...]` array opens (best effort)."""
    depth = 0
    count = -1
    for i in range(key_line - 1, len(lines)):
        text = lines[i].split("#", 1)[0] if '"' not in lines[i] else lines[i]
        started = i == key_line - 1
        for ch in text[text.index("=") + 1 :] if started else text:
            if ch == "[":
                depth += 1
                if depth == 2:
                    count += 1
                    if count == index:
                        return i + 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    return key_line
    return key_line


def _check_strings(value: Any, what: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{what} must be a list of non-empty strings", line)
    return tuple(v.strip() for v in value)


@functools.cache
def _validation_vocab() -> Vocab:
    """One blank English vocab for checking patterns: building one per pattern cost about
    50 ms each, which every process start paid for every bundled pattern."""
    from spacy.lang.en import English

    return English().vocab


def _check_pattern(pattern: Any, where: str, line: int) -> tuple[dict[str, Any], ...]:
    """Validate one Matcher pattern with spaCy's own schema so errors name the real problem."""
    from spacy.matcher import Matcher

    if (
        not isinstance(pattern, list)
        or not pattern
        or not all(isinstance(t, dict) for t in pattern)
    ):
        raise RulesError(f"{where}: a pattern must be a non-empty list of token tables", line)
    matcher = Matcher(_validation_vocab(), validate=True)
    try:
        matcher.add("check", [pattern])
    except Exception as exc:  # spaCy raises MatchPatternError/ValueError with a long text
        first = " ".join(str(exc).split())[:300]
        raise RulesError(f"{where}: invalid token pattern: {first}", line) from exc
    return tuple(pattern)


@functools.cache
def _bundled() -> tuple[dict[str, tuple[tuple[dict[str, Any], ...], ...]], frozenset[str]]:
    """Bundled patterns from extractors/patterns/<type>.jsonl (lines {"pattern": [...]}), and
    the keys of those marked {"first_pass": "all_words"}: the first pass passes a sentence
    for them only when the words of all their literal tokens are there ("sold ... business
    to"), not their first word alone. Read and validated once per process: they ship with
    the code, and every load_triggers() and the components' import asked for them again.
    Callers copy, never change them."""
    out: dict[str, list[tuple[dict[str, Any], ...]]] = {}
    guarded: set[str] = set()
    for path in sorted(PATTERNS_DIR.glob("*.jsonl")):
        etype = path.stem
        if etype not in EVENT_TYPES:
            raise RulesError(f"{path}: unknown event type {etype!r}")
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("//"):
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise RulesError(f"{path}: {exc.msg}", n) from exc
            pat = obj.get("pattern") if isinstance(obj, dict) else None
            checked = _check_pattern(pat, str(path), n)
            out.setdefault(etype, []).append(checked)
            if obj.get("first_pass") == "all_words":
                guarded.add(_pattern_key(checked))
    return {etype: tuple(pats) for etype, pats in out.items()}, frozenset(guarded)


def _default_patterns() -> dict[str, tuple[tuple[dict[str, Any], ...], ...]]:
    return _bundled()[0]


def _pattern_key(pattern: Iterable[dict[str, Any]]) -> str:
    return json.dumps(list(pattern), sort_keys=True)


def bundled_lead_words(etype: str) -> frozenset[str]:
    """The words the bundled patterns of `etype` start with ("cut", "eliminate" for layoff)."""
    return frozenset(
        w for pattern in _default_patterns().get(etype, ()) for w in _pattern_literals(pattern)
    )


def load_triggers(path: Path | None = None) -> TriggerRules:
    """Read and validate a triggers file; bundled default patterns are added to each type."""
    path = Path(path) if path is not None else DEFAULT_TRIGGERS
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read {path}: {exc.strerror}") from exc
    lines = raw.splitlines()
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+)", str(exc))
        raise RulesError(f"not valid TOML: {exc}", int(m.group(1)) if m else None) from exc

    defaults = _default_patterns()
    types: dict[str, TypeRules] = {}
    negative: tuple[str, ...] = ()
    settings: dict[str, Any] = {}
    for name, table in data.items():
        line = _line_of(lines, name) or _line_of(lines, None, name)
        if not isinstance(table, dict):
            raise RulesError(f"{name!r} must be a table like [{name}]", line)
        if name == "negative":
            for key in table:
                if key != "cues":
                    raise RulesError(
                        f"unknown key {key!r} in [negative]", _line_of(lines, name, key)
                    )
            negative = _check_strings(
                table.get("cues", []), "negative.cues", _line_of(lines, name, "cues")
            )
            continue
        if name == "settings":
            for key, value in table.items():
                kline = _line_of(lines, name, key)
                want = _SETTINGS_KEYS.get(key)
                if want is None:
                    raise RulesError(f"unknown key {key!r} in [settings]", kline)
                if not isinstance(value, want) or isinstance(value, bool) is not (want is bool):
                    raise RulesError(f"settings.{key} has the wrong type", kline)
                settings[key] = value
            continue
        if name not in EVENT_TYPES:
            known = ", ".join((*EVENT_TYPES, *_GLOBAL_TABLES))
            raise RulesError(f"unknown event type {name!r} (known: {known})", line)
        for key, value in table.items():
            want = _TYPE_KEYS.get(key)
            kline = _line_of(lines, name, key)
            if want is None:
                raise RulesError(f"unknown key {key!r} in [{name}]", kline)
            if not isinstance(value, want):
                raise RulesError(f"{name}.{key} must be a {want.__name__}", kline)
        lists = {
            k: _check_strings(table.get(k, []), f"{name}.{k}", _line_of(lines, name, k))
            for k in ("cues", "requires", "exclude")
        }
        pats = list(defaults.get(name, []))
        pline = _line_of(lines, name, "patterns") or line or 1
        for i, pat in enumerate(table.get("patterns", [])):
            pats.append(
                _check_pattern(pat, f"{name}.patterns[{i}]", _nth_pattern_line(lines, pline, i))
            )
        types[name] = TypeRules(
            name=name,
            enabled=table.get("enabled", True),
            cues=lists["cues"],
            requires=lists["requires"],
            exclude=lists["exclude"],
            patterns=tuple(pats),
        )
    for etype, pats in defaults.items():
        types.setdefault(etype, TypeRules(name=etype, patterns=tuple(pats)))
    rules = TriggerRules(
        types=types,
        negative_cues=negative,
        min_confidence=float(settings.get("min_confidence", 0.5)),
        first_pass=bool(settings.get("first_pass", True)),
    )
    log.info(
        "triggers loaded path=%s types=%d enabled=%d",
        path,
        len(types),
        len(rules.enabled()),
    )
    return rules
