"""The document model: the one tree that both writers render.

Blocks and inlines are small frozen dataclasses. A layout produces markup, the
markup parser produces this tree, and each writer walks it with one function per
node type. Nothing here knows about YAML, Jinja, ReportLab or Word.

``as_tuples`` turns a tree into nested tuples, the compact form used in tests:
``[("heading", 1, [("text", "Bilan")])]``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Union

__all__ = [
    "Text", "Emph", "Strong", "Link", "LineBreak", "Inline",
    "Heading", "Paragraph", "BulletList", "Quote", "KeyFigure", "KeyFigures",
    "ContactLine", "Contacts", "Signature", "Image", "PageBreak", "Block", "DRAFT_MARK",
    "Document", "plain_text", "block_texts", "is_lead_in", "as_tuples", "is_proper_noun",
    "proper_noun_spans", "KEEP_TOGETHER_UP_TO",
]


# ---------------------------------------------------------------- inlines

@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text, already typeset (French spaces, apostrophes)."""
    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasis (italic): titles of works, foreign words."""
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong importance (bold)."""
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``url`` is https, http, mailto or tel."""
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A forced line break inside a block."""


Inline = Union[Text, Emph, Strong, Link, LineBreak]


# ---------------------------------------------------------------- blocks

@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is the document title, 2 a section, 3 a subsection."""
    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph. ``role`` names a branded variant ("lead", "dateline"…), "" for body text."""
    inlines: tuple[Inline, ...]
    role: str = ""


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is a sequence of inlines (lists do not nest in reports)."""
    items: tuple[tuple[Inline, ...], ...]
    role: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation and who said it (``attribution`` may be empty)."""
    inlines: tuple[Inline, ...]
    attribution: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One key figure: the number as displayed ("207") and what it counts."""
    value: str
    label: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """A panel of key figures, with an optional heading-like caption."""
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One line of a contact block: a label ("Courriel") and its value."""
    label: str
    value: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Contacts:
    """How to reach the regional office: labelled lines (email, phone…)."""
    lines: tuple[ContactLine, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """The ministry's closing signature; its lines and wordmark come from the brand."""


@dataclass(frozen=True, slots=True)
class Image:
    """A picture from the assets folder: ``src`` is its checked absolute path, ``alt`` what it shows."""
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Union[Heading, Paragraph, BulletList, Quote, KeyFigures, Contacts, Signature, Image, PageBreak]


#: The word both writers (and the atelier's preview) put on every page of a draft.
DRAFT_MARK = "BROUILLON"


@dataclass(frozen=True, slots=True)
class Document:
    """A whole report: its metadata and its blocks in reading order.

    ``date`` is the document's own date (written into both files' properties);
    None leaves the writers' fixed default, so output never depends on the clock.
    ``draft`` asks the writers for a « BROUILLON » mark on every page.
    """
    title: str
    blocks: tuple[Block, ...]
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())
    date: dt.date | None = None
    draft: bool = False


# ---------------------------------------------------------------- helpers

def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of some inlines, without formatting (line breaks become spaces)."""
    parts = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def block_texts(blocks) -> list[str]:
    """The plain text of every block, figure, contact line and quote, in reading order."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            texts.append(plain_text(block.inlines))
        elif isinstance(block, BulletList):
            texts.extend(plain_text(item) for item in block.items)
        elif isinstance(block, Quote):
            texts.extend((plain_text(block.inlines), plain_text(block.attribution)))
        elif isinstance(block, KeyFigures):
            texts.extend(f"{item.value} {plain_text(item.label)}" for item in block.items)
        elif isinstance(block, Contacts):
            texts.extend(f"{line.label} {plain_text(line.value)}" for line in block.lines)
        elif isinstance(block, Image):
            texts.append(block.alt)
    return texts


#: A list this short is never split across pages (both writers keep its items together).
KEEP_TOGETHER_UP_TO = 3

#: A word as the line breaker sees it: letters, digits, apostrophes and hyphens.
_WORD = re.compile(r"[\w’'\u2011-]+(?:\u2013[\w’'\u2011-]+)*")


_ELIDED_ARTICLE = re.compile(r"^[ldjnstcLDJNSTC][’']")
_HYPHENS = re.compile(r"[-\u2011\u2013]")


def is_proper_noun(word: str) -> bool:
    """Whether a word is (or holds) a proper noun — a region, town, organisation or
    programme: one of its hyphenated parts starts with a capital, after an elided
    article (« l’Estrie », « Abitibi-Témiscamingue », « Carleton-sur-Mer »). Both writers
    keep such words whole: no hyphenation, no line break at their own hyphens."""
    if word.islower():  # most words: no capital at all (both writers ask for every word)
        return False
    word = _ELIDED_ARTICLE.sub("", word)
    return any(part[:1].isupper() for part in _HYPHENS.split(word))


def proper_noun_spans(text: str) -> list[tuple[int, int]]:
    """Where the proper nouns of ``text`` are, as (start, end) offsets. A capitalized word
    that opens a sentence is taken for a common word unless it is hyphenated (« Sept-Îles »)."""
    spans = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if is_proper_noun(word) and (_HYPHENS.search(word) or not _opens_sentence(text, match.start())):
            spans.append(match.span())
    return spans


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \u00a0\u202f«")
    return not before or before[-1] in ".!?:"


def is_lead_in(block: Block) -> bool:
    """A paragraph that announces what follows ("Les bureaux sont situés :"): both
    writers keep it on the same page as the next block."""
    return isinstance(block, Paragraph) and plain_text(block.inlines).rstrip().endswith(":")


_TAGS = {
    Text: "text", Emph: "emph", Strong: "strong", Link: "link", LineBreak: "br",
    Heading: "heading", Paragraph: "paragraph", BulletList: "list", Quote: "quote",
    KeyFigure: "figure", KeyFigures: "figures", ContactLine: "contact",
    Contacts: "contacts", Signature: "signature", Image: "image", PageBreak: "pagebreak",
}


def as_tuples(node):
    """A node (or a sequence of nodes) as nested tuples, for compact test assertions.

    Empty default fields (``role=""``, ``attribution=()``) are left out.
    """
    if isinstance(node, (list, tuple)):
        return [as_tuples(child) for child in node]
    if isinstance(node, str):
        return node
    values = []
    for f in fields(node):
        value = getattr(node, f.name)
        if value == f.default and f.default in ("", ()):
            continue
        values.append(as_tuples(value) if isinstance(value, (list, tuple)) else value)
    return (_TAGS[type(node)], *values)
