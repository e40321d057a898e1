"""The logical structure of a PDF, recorded while ReportLab draws it (tagged PDF).

Open-source ReportLab writes untagged PDFs. Here each block's flowables are wrapped
(``Marked``) so that their drawing lands in a marked-content sequence with its own
MCID, tied to a structure node; page furniture and table backgrounds are marked as
artifacts. ``pdf_finish`` then turns the recorded tree into the PDF's structure tree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph, Table

# ReportLab's classes for the pieces of a broken line: which ones end at a space, and which
# ones are the head of a hyphenated word. Private names, pinned by the tests that read the text.
from reportlab.platypus.paragraph import (
    _FK_BREAK,
    _HSFrag,
    _InjectedFrag,
    _SHYStr,
    _SplitFragH,
    _SplitFragHY,
    _SplitFragLL,
    _SplitWord,
    _SplitWordEnd,
    _SplitWordHY,
    _SplitWordLL,
)

__all__ = ["StructNode", "Tagger", "Marked", "ListItem", "ArtifactTable", "TaggedParagraph", "artifact"]


@dataclass(eq=False)
class StructNode:
    """A structure element: its standard type (P, H1, L, LI, LBody, Table, TR, TH, TD,
    Figure, BlockQuote, Document), its kids in reading order, and for a Figure its
    alternative text. A kid is a StructNode, ``("mcid", page, mcid)`` or ``("annot", page, index)``."""
    kind: str
    kids: list = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None


class Tagger:
    """The tree being recorded, and the next marked-content id of each page."""

    def __init__(self):
        self.root = StructNode("Document")
        self._next_mcid: dict[int, int] = {}
        self._links: dict[tuple[int, object], StructNode] = {}

    def node(self, kind: str, parent: StructNode | None = None, **details) -> StructNode:
        """A new structure element, appended to ``parent`` (the document when None)."""
        node = StructNode(kind, **details)
        (parent or self.root).kids.append(node)
        return node

    def mark(self, flowable: Flowable, node: StructNode) -> Flowable:
        """``flowable`` drawn as the content of ``node``: a paragraph tags its own text; any
        other flowable is wrapped (``Marked``)."""
        if isinstance(flowable, TaggedParagraph) and flowable.node is None:
            flowable.node, flowable.tagger = node, self
            return flowable
        return Marked(flowable, node, self)

    def next_mcid(self, page: int) -> int:
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        return mcid

    def link(self, parent: StructNode, key) -> StructNode:
        """The Link element of link ``key`` in ``parent``: one per link, even when its text
        wraps to another line or page. Made (in reading order) on first use."""
        found = self._links.get((id(parent), key))
        if found is None:
            found = self._links[(id(parent), key)] = StructNode("Link")
            parent.kids.append(found)
        return found


class Marked(Flowable):
    """A flowable whose drawing is real content of ``node``: one marked-content sequence per
    page it lands on, and the link annotations it makes become the node's Link kids."""

    def __init__(self, inner: Flowable, node: StructNode, tagger: Tagger):
        super().__init__()
        self.inner, self.node, self.tagger = inner, node, tagger
        # Read (with a default) for every flowable placed: held here, or each read would be a
        # failed lookup sent on to the inner flowable by ``__getattr__`` (a third of a millisecond
        # a report).
        self._SPACETRANSFER = getattr(inner, "_SPACETRANSFER", False)
        self._ZEROSIZE = getattr(inner, "_ZEROSIZE", False)
        self.locChanger = getattr(inner, "locChanger", False)
        self.outline_entry = getattr(inner, "outline_entry", None)

    @property
    def style(self):
        return self.inner.style

    def __getattr__(self, name):  # keepWithNext, hAlign… are the inner flowable's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width, available_height):
        self.width, self.height = self.inner.wrapOn(getattr(self, "canv", None), available_width, available_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        parts = _continued(self.inner.splitOn(getattr(self, "canv", None), available_width, available_height))
        return [Marked(part, self.node, self.tagger) for part in parts]

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        return self.inner.getKeepWithNext()

    def drawOn(self, canvas, x, y, _sW=0):
        self.drawn_at = (x, y + self.height)  # where its top landed: a bookmark opens there
        if isinstance(self.inner, TaggedParagraph):
            self._draw_tagged_text(canvas, x, y, _sW)
            return
        page = canvas.getPageNumber() - 1
        mcid = self.tagger.next_mcid(page)
        links_before = len(canvas._annotationrefs)
        canvas._code.append(f"/{self.node.kind} <</MCID {mcid}>> BDC")
        self.inner.drawOn(canvas, x, y, _sW)
        canvas._code.append("EMC")
        self.node.kids.append(("mcid", page, mcid))
        for index in range(links_before, len(canvas._annotationrefs)):
            link = StructNode("Link")
            link.kids.append(("annot", page, index))
            self.node.kids.append(link)


    def _draw_tagged_text(self, canvas, x, y, _sW) -> None:
        """A paragraph tags its own text (see ``TaggedParagraph``)."""
        _draw_tagged(self.inner, self.tagger, self.node, canvas, x, y, _sW)


def _draw_tagged(paragraph: TaggedParagraph, tagger: Tagger, node: StructNode, canvas, x, y, _sW) -> None:
    tags = _TextTags(tagger, node, canvas)
    paragraph.tagging = tags
    try:
        Paragraph.drawOn(paragraph, canvas, x, y, _sW)
    finally:
        paragraph.tagging = None
    tags.finish()


def _continued(parts: list) -> list:
    """Every part but the last of a split paragraph goes on in the next one."""
    for part in parts[:-1]:
        if isinstance(part, TaggedParagraph):
            part.continues = True
    return parts


class TaggedParagraph(Paragraph):
    """A paragraph that tags its own text, inside its text object: its element's marked content,
    interrupted by a Link element's wherever a link's text is drawn (so a screen reader reads the
    link in its place, and a link that wraps stays one Link holding its text and all its
    annotations). Line ends get what readers that go through the tags need to rebuild the
    words: a space where the line broke at a space, and a soft hyphen (U+00AD, the same glyph)
    in place of a hyphen added by hyphenation. Underlines are drawn as artifacts."""

    tagging: _TextTags | None = None
    #: True when the element's text goes on after this paragraph's: every part but the last of a
    #: split paragraph, or a paragraph followed by another in the same element.
    continues = False
    #: The structure element whose content it is, and the tree's recorder (``Tagger.mark``); None
    #: when a wrapper tags it (a list item's body).
    node: StructNode | None = None
    tagger: Tagger | None = None

    def split(self, available_width, available_height):
        """The parts stay the content of the same element; all but the last go on in the next."""
        parts = super().split(available_width, available_height)
        if len(parts) > 1:
            for part in parts:
                part.node, part.tagger = self.node, self.tagger
            parts[-1].continues = self.continues
            _continued(parts)
        return parts

    def drawOn(self, canvas, x, y, _sW=0):
        if self.node is None:
            return super().drawOn(canvas, x, y, _sW)
        self.drawn_at = (x, y + self.height)  # where its top landed: a bookmark opens there
        _draw_tagged(self, self.tagger, self.node, canvas, x, y, _sW)

    def breakLines(self, width):
        """ReportLab's line breaking, done once per width: keep-together groups and page
        splits wrap the same paragraph at the same width several times."""
        key = tuple(width) if isinstance(width, (list, tuple)) else (width,)
        memo = self.__dict__.get("_broken")
        if memo is not None and memo[0] == key:
            self._width_max = memo[2]
            return memo[1]
        lines = super().breakLines(width)
        self._broken = (key, lines, self._width_max)
        return lines

    def draw(self):
        if self.tagging is None:
            return super().draw()
        self._endings = line_endings(self)
        restore = _soft_hyphens_in_frags(self.blPara, self._endings)
        try:
            super().draw()
        finally:
            for frag, text in restore:
                frag.text = text

    def beginText(self, x, y):
        if self.tagging is None:
            return super().beginText(x, y)
        whole_link = self.blPara.link[0] if self.blPara.kind == 0 and getattr(self.blPara, "link", None) else None
        return _TaggedText(_TextCanvas(self.canv, self.tagging), x, y, self.tagging, self._endings, whole_link)


def _soft_hyphens_in_frags(para, endings: list[str]) -> list[tuple[object, str]]:
    """In a many-frag paragraph, a hyphenated line's hyphen is in its last frag with text (an
    empty break frag ends the line): drawn as a soft hyphen, same width. Returns what to restore."""
    restore = []
    if para.kind == 1:
        for line, ending in zip(para.lines, endings):
            last = next((frag for frag in reversed(line.words) if getattr(frag, "text", "")), None)
            if ending == "\xad" and last is not None and last.text.endswith("-"):
                restore.append((last, last.text))
                last.text = last.text[:-1] + "\xad"
    return restore


def line_endings(paragraph: Paragraph) -> list[str]:
    """What each drawn line of a broken ``paragraph`` needs after it for its text to read right:
    a space (it broke at a space), a soft hyphen U+00AD (its final hyphen was added by
    hyphenation: drawn in the hyphen's place) or nothing (a word cut without a hyphen goes on,
    or the paragraph ends)."""
    para = paragraph.blPara
    if para.kind == 0:
        endings = [_word_ending(words[-1]) if words else "" for _, words in para.lines]
    else:
        endings = [_frag_line_ending(paragraph.frags, para.lines, index) for index in range(len(para.lines))]
    if endings and not getattr(paragraph, "continues", False):
        endings[-1] = ""
    return endings


def _word_ending(word: str) -> str:
    if isinstance(word, (_SplitWordHY, _SplitWordLL)) or (isinstance(word, _SHYStr) and word.endswith("-")):
        return "\xad"
    if isinstance(word, _SplitWord) and not isinstance(word, _SplitWordEnd):
        return ""  # a long word or an address cut without a hyphen
    return " "


def _is_break(word) -> bool:
    return len(word) > 1 and getattr(word[1][0], "_fkind", None) == _FK_BREAK


def _frag_line_ending(words: list, lines: list, index: int) -> str:
    if index + 1 < len(lines):
        start = lines[index + 1].sFW
        if start < len(words) and _is_break(words[start]) and not isinstance(words[start], _InjectedFrag):
            return " "  # a <br/>
        last = start - 1
    else:
        last = len(words) - 1
    while last >= 0 and (isinstance(words[last], _InjectedFrag) or _is_break(words[last])):
        last -= 1
    if last < 0:
        return ""
    word = words[last]
    if isinstance(word, (_SplitFragHY, _SplitFragLL)):
        return "\xad"
    if isinstance(word, _SplitFragH):
        return ""
    return " " if isinstance(word, _HSFrag) else ""


_SHOWS_TEXT = re.compile(r"T[jJ](?:\s|$)")


class _TextTags:
    """The tagging of one paragraph's drawing on one page: the element, its Link elements,
    and the link annotations made while it was drawn."""

    def __init__(self, tagger: Tagger, node: StructNode, canvas):
        self.tagger, self.node, self.canvas = tagger, node, canvas
        self.page = canvas.getPageNumber() - 1
        self.started: list = []     # links in the order their pieces were drawn
        self.known: list = []
        self.annotations: list[tuple[str, int]] = []
        self.opened = 0

    def open(self, link) -> str:
        """The operator opening a new marked-content sequence of the element or of ``link``."""
        mcid = self.tagger.next_mcid(self.page)
        owner = self.node if link is None else self.tagger.link(self.node, link)
        owner.kids.append(("mcid", self.page, mcid))
        self.opened += 1
        return f"/{owner.kind} <</MCID {mcid}>> BDC"

    def start(self, link) -> None:
        self.started.append(link)
        if link not in self.known:
            self.known.append(link)

    def annotation(self, uri: str) -> None:
        self.annotations.append((uri, len(self.canvas._annotationrefs) - 1))

    def finish(self) -> None:
        """Each annotation made becomes a kid of its link's element (matched by address, in
        order); an element with no text keeps an empty sequence, as any drawn element does."""
        if not self.opened:
            self.canvas._code.append(self.open(None) + " EMC")
        for uri, index in self.annotations:
            link = next((key for key in self.started if key[1] == uri), None)
            if link is not None:
                self.started.remove(link)
            else:
                link = next((key for key in self.known if key[1] == uri), (None, uri))
            self.tagger.link(self.node, link).kids.append(("annot", self.page, index))


class _TaggedText(PDFTextObject):
    """A paragraph's text object whose code is cut into marked-content sequences at getCode:
    ReportLab reports where each link's text starts and ends (``_linkRecord``)."""

    def __init__(self, canvas, x, y, tags: _TextTags, endings: list[str], whole_link):
        super().__init__(canvas, x, y)
        self._tags, self._endings, self._line = tags, endings, 0
        self._switches: dict[int, object] = {}
        self._initial = whole_link
        if whole_link is not None:
            tags.known.append(whole_link)

    def _linkRecord(self, link, event) -> None:
        if event == "start":  # called just after the link's first piece on the line was written
            self._switches[len(self._code) - 1] = link
            self._tags.start(link)
        else:
            self._switches[len(self._code)] = None

    def _textOut(self, text, TStar=0):
        if TStar and self._line < len(self._endings):
            text = _with_ending(text, self._endings[self._line])
            self._line += 1
        super()._textOut(text, TStar)

    def getCode(self):
        if not self._switches:
            self._one_sequence()
            return super().getCode()
        code, current, wanted = [], _CLOSED, self._initial
        for index, item in enumerate(self._code):
            wanted = self._switches.get(index, wanted)
            if (current is _CLOSED or wanted != current) and _SHOWS_TEXT.search(item):
                if current is not _CLOSED:
                    code.append("EMC")
                code.append(self._tags.open(wanted))
                current = wanted
            code.append(item)
        if current is not _CLOSED:
            code.append("EMC")
        self._code = code
        return super().getCode()

    def _one_sequence(self) -> None:
        """No link starts or ends in this text: one sequence, from the first operator that
        shows text to the end (what the general case in ``getCode`` makes of it)."""
        first = next((index for index, item in enumerate(self._code) if _SHOWS_TEXT.search(item)), None)
        if first is not None:
            self._code.insert(first, self._tags.open(self._initial))
            self._code.append("EMC")


_CLOSED = object()


def _with_ending(text: str, ending: str) -> str:
    if ending == "\xad":
        return text[:-1] + "\xad" if text.endswith("-") else text
    return text + ending


_READ_FOR_EVERY_PIECE = ("_doc", "_escape", "stringWidth", "_colorsUsed", "_enforceColorSpace", "bottomup")


class _TextCanvas:
    """The canvas as a tagged paragraph's text object sees it: the lines and boxes it draws
    around its text (underlines, backgrounds) are artifacts, and its link annotations are
    recorded for their Link elements."""

    def __init__(self, canvas, tags: _TextTags):
        self._canvas, self._tags = canvas, tags
        # What the text object reads for every piece of text, the same objects all through a
        # paragraph: copied once, not looked up through ``__getattr__`` each time.
        for name in _READ_FOR_EVERY_PIECE:
            setattr(self, name, getattr(canvas, name))

    def __getattr__(self, name):
        return getattr(self._canvas, name)

    def line(self, *args, **kwargs):
        with artifact(self._canvas):
            self._canvas.line(*args, **kwargs)

    def rect(self, *args, **kwargs):
        with artifact(self._canvas):
            self._canvas.rect(*args, **kwargs)

    def linkURL(self, url, *args, **kwargs):
        self._canvas.linkURL(url, *args, **kwargs)
        self._tags.annotation(url)

    def linkRect(self, contents, destination, *args, **kwargs):
        self._canvas.linkRect(contents, destination, *args, **kwargs)
        self._tags.annotation("#" + destination)


class ListItem(Marked):
    """A list item: its paragraph as the LBody of ``item`` (an LI), and its label (the bullet,
    drawn here at the first line's baseline) as the item's Lbl."""

    def __init__(self, paragraph, item: StructNode, tagger: Tagger, label: str, label_font: str,
                 label_size: float, label_colour, label_x: float, with_label: bool = True):
        body = next((kid for kid in item.kids if isinstance(kid, StructNode) and kid.kind == "LBody"), None)
        super().__init__(paragraph, body or tagger.node("LBody", item), tagger)
        self.item, self.label, self.label_font, self.label_size = item, label, label_font, label_size
        self.label_colour, self.label_x, self.with_label = label_colour, label_x, with_label

    def split(self, available_width, available_height):
        parts = _continued(self.inner.splitOn(getattr(self, "canv", None), available_width, available_height))
        return [ListItem(part, self.item, self.tagger, self.label, self.label_font, self.label_size,
                         self.label_colour, self.label_x, self.with_label and index == 0)
                for index, part in enumerate(parts)]

    def drawOn(self, canvas, x, y, _sW=0):
        if self.with_label:
            self._draw_label(canvas, x, y)
        super().drawOn(canvas, x, y, _sW)

    def _draw_label(self, canvas, x, y) -> None:
        page = canvas.getPageNumber() - 1
        style = self.inner.style
        ascent = getAscentDescent(style.fontName, style.fontSize)[0]
        mcid = self.tagger.next_mcid(page)
        canvas._code.extend((f"/Lbl <</MCID {mcid}>> BDC", "q", _fill_colour(self.label_colour),
                             _shown_string(canvas, self.label_font, self.label_size, x + self.label_x,
                                           y + self.height - ascent, self.label),
                             "Q", "EMC"))
        label = next((kid for kid in self.item.kids if isinstance(kid, StructNode) and kid.kind == "Lbl"), None)
        if label is None:
            label = StructNode("Lbl")
            self.item.kids.insert(0, label)
        label.kids.append(("mcid", page, mcid))


def _fill_colour(colour) -> str:
    """The operator setting an RGB fill colour, as ``canvas.setFillColor`` writes it."""
    return f"{fp_str(colour.red, colour.green, colour.blue)} rg"


def _shown_string(canvas, font_name: str, size: float, x: float, y: float, text: str) -> str:
    """The text object ``canvas.drawString`` writes for ``text`` in a TrueType font, made without
    a text object nor the canvas's state (a label is drawn between q and Q): every bullet of a
    report used to cost as much as a short paragraph."""
    font, doc = getFont(font_name), canvas._doc
    size_and_leading = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
    shown = " ".join(f"{font.getSubsetInternalName(subset, doc)} {size_and_leading} ({canvas._escape(chunk)}) Tj"
                     for subset, chunk in font.splitString(text, doc))
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} T* ET"


def artifact(canvas, kind: str = "Layout", subtype: str | None = None):
    """A context manager marking what is drawn inside as an artifact (not content), of a
    ``kind`` (Layout, Pagination…) and optionally a ``subtype`` (Watermark…)."""
    return _Artifact(canvas, kind, subtype)


class _Artifact:
    def __init__(self, canvas, kind: str, subtype: str | None):
        self.canvas, self.kind, self.subtype = canvas, kind, subtype

    def __enter__(self):
        subtype = f" /Subtype /{self.subtype}" if self.subtype else ""
        self.canvas._code.append(f"/Artifact <</Type /{self.kind}{subtype}>> BDC")

    def __exit__(self, *exc):
        self.canvas._code.append("EMC")


class ArtifactTable(Table):
    """A table whose backgrounds and rules are artifacts; its cells carry tagged content."""

    def _drawBkgrnd(self):
        with artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        with artifact(self.canv):
            super()._drawLines()
