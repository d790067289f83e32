"""HTML or plain text -> clean readable text for the extractors and the alert emails.

Feed summaries are HTML fragments full of scripts, share buttons and entity soup; the
extractors need sentences and paragraph breaks, nothing else.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag

# Elements whose content is never readable article text.
_NOISE = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "iframe",
        "template",
        "svg",
        "form",
        "button",
        "select",
        "head",
        "object",
        "embed",
    }
)
# Elements that end a line of text when rendered.
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "hr",
        "address",
    }
)
_TEXT_TYPES = (NavigableString, CData)
# Longer fields are cut before parsing: trigger events are told near the start of an item.
MAX_INPUT_CHARS = 200_000
# C0/C1 controls (NUL included) except tab and newlines, lone surrogates, and U+FFFD
# (what parsers put where a NUL or an undecodable byte was).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
_BREAK = "\n"
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\n]+")
_TAGLIKE = re.compile(r"<[A-Za-z!/?]")


def clean_text(value: str | None) -> str:
    """Readable text: tags and noise dropped, one line per paragraph, whitespace collapsed."""
    if not value:
        return ""
    if len(value) > MAX_INPUT_CHARS:
        value = value[:MAX_INPUT_CHARS]  # bounds the tree-building cost of one field
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    # No markup: skip the parser (the cheap, common case) and just decode entities.
    value = _soup_text(value) if _TAGLIKE.search(value) else html.unescape(value)
    value = _CONTROL.sub("", value)  # entities such as &#0; can decode to controls
    return _normalise_space(value)


def _soup_text(markup: str) -> str:
    """One iterative walk over the tree (find_all per tag type is several times slower, and
    recursion would fail on deeply nested markup)."""
    soup = BeautifulSoup(markup, "lxml")
    out: list[str] = []
    stack: list[PageElement | str] = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) in _TEXT_TYPES:  # not a comment, doctype or processing instruction
                out.append(_WHITESPACE.sub(" ", node))  # source line breaks are just spaces
        elif isinstance(node, str):
            out.append(node)  # a line-break marker pushed below
        elif isinstance(node, Tag) and node.name not in _NOISE:
            if node.name == "br":
                out.append(_BREAK)
            elif node.name in _BLOCKS:
                out.append(_BREAK)
                stack.append(_BREAK)
                stack.extend(reversed(node.contents))
            else:
                stack.extend(reversed(node.contents))
    return "".join(out)


def _normalise_space(value: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    return "\n".join(line for line in lines if line)
