"""Reading a PDF's pages as a text extractor does, for ``reportgen verifier``: the text of each
marked-content sequence (through the fonts' ToUnicode maps), where lines change, and the
baseline each sequence starts on. An independent walk: it shares nothing with the writer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

__all__ = ["read_pages", "bookmark_targets", "DocumentText"]

_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass
class _Sequence:
    """One marked-content sequence: its text ("\\n" where the line changes) and first baseline."""
    text: str = ""
    baseline: float | None = None


@dataclass
class PageText:
    """The marked-content sequences of a page, by MCID."""
    sequences: dict[int, _Sequence] = field(default_factory=dict)


def _to_unicode(font) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.read_bytes()
    start = data.find(b"endcodespacerange")
    return {int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be", "replace")
            for code, value in _PAIR.findall(data[start if start >= 0 else 0:]) if len(value) % 4 == 0}


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _State:
    """Graphics and text state as far as positions go."""

    def __init__(self, fonts):
        self.fonts, self.font = fonts, {}
        self.ctm, self.saved = _IDENTITY, []
        self.line = self.matrix = _IDENTITY
        self.leading = 0.0
        self.new_line = True

    def move(self, tx: float, ty: float) -> None:
        self.line = self.matrix = _multiply((1, 0, 0, 1, tx, ty), self.line)
        self.new_line = self.new_line or ty != 0


def read_pages(pdf: pikepdf.Pdf) -> DocumentText:
    """The text of every marked-content sequence of every page."""
    return DocumentText([_read_page(page) for page in pdf.pages], _pages_by_object(pdf))


def _read_page(page) -> PageText:
    fonts = {str(name): _to_unicode(font) for name, font in page.obj.get("/Resources", {}).get("/Font", {}).items()}
    state, marks, found = _State(fonts), [], PageText()
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            properties = operands[1] if name == "BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            marks.append(None if mcid is None else int(mcid))
        elif name == "EMC" and marks:
            marks.pop()
        else:
            _operate(state, name, operands, marks, found)
    return found


def _operate(state: _State, name: str, operands, marks, found: PageText) -> None:
    if name == "q":
        state.saved.append(state.ctm)
    elif name == "Q" and state.saved:
        state.ctm = state.saved.pop()
    elif name == "cm":
        state.ctm = _multiply(tuple(float(v) for v in operands), state.ctm)
    elif name == "BT":
        state.line = state.matrix = _IDENTITY
        state.new_line = True
    elif name == "Tm":
        state.line = state.matrix = tuple(float(v) for v in operands)
        state.new_line = True
    elif name in ("Td", "TD"):
        if name == "TD":
            state.leading = -float(operands[1])
        state.move(float(operands[0]), float(operands[1]))
    elif name == "TL":
        state.leading = float(operands[0])
    elif name == "T*":
        state.move(0, -state.leading)
    elif name == "Tf":
        state.font = state.fonts.get(str(operands[0]), {})
    elif name in ("Tj", "TJ", "'", '"'):
        if name in ("'", '"'):
            state.move(0, -state.leading)
        _show(state, operands[-1], marks, found)


def _show(state: _State, shown, marks, found: PageText) -> None:
    parts = shown if isinstance(shown, pikepdf.Array) else [shown]
    text = "".join(state.font.get(byte, "") for part in parts if isinstance(part, pikepdf.String)
                   for byte in bytes(part))
    mcid = next((mark for mark in reversed(marks) if mark is not None), None)
    if mcid is None:
        return
    sequence = found.sequences.setdefault(mcid, _Sequence())
    if sequence.baseline is None:
        sequence.baseline = _multiply(state.matrix, state.ctm)[5]
    sequence.text += ("\n" if state.new_line else "") + text
    state.new_line = False


def _pages_by_object(pdf: pikepdf.Pdf) -> dict:
    return {page.obj.objgen: index for index, page in enumerate(pdf.pages)}


def _content_items(element, pages_by_object: dict, page=None):
    """(page index, MCID) of an element's content, its inline kids' included, in order."""
    page = element.get("/Pg", page)
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int) and page is not None:
            yield pages_by_object[page.objgen], int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages_by_object[kid.get("/Pg", page).objgen], int(kid.MCID)
        elif isinstance(kid, pikepdf.Dictionary) and str(kid.get("/S", "")) in ("/Link", "/Span"):
            yield from _content_items(kid, pages_by_object, page)


@dataclass
class DocumentText:
    """Every page's sequences, and which page each page object is."""
    pages: list[PageText]
    by_object: dict

    def element_text(self, element) -> str:
        """An element's text as a reader going through the tags gets it ("\\n" where lines change)."""
        return "".join(self.pages[page].sequences.get(mcid, _Sequence()).text
                       for page, mcid in _content_items(element, self.by_object))

    def first_baseline(self, element) -> tuple[int, float] | None:
        """(page index, baseline height) of an element's first text, or None."""
        for page, mcid in _content_items(element, self.by_object):
            sequence = self.pages[page].sequences.get(mcid)
            if sequence is not None and sequence.baseline is not None:
                return page, sequence.baseline
        return None


def bookmark_targets(pdf: pikepdf.Pdf) -> list[tuple[str, int | None, float | None]]:
    """(title, page index, height opened at) of every outline entry, in order."""
    by_object = _pages_by_object(pdf)
    names = pikepdf.NameTree(pdf.Root.Names.Dests) if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names else {}
    targets = []

    def walk(item):
        child = item.get("/First")
        while child is not None:
            destination = child.get("/Dest")
            if destination is None and "/A" in child:
                destination = child.A.get("/D")
            if isinstance(destination, (pikepdf.String, pikepdf.Name)):
                destination = names.get(str(destination)) if names else None
                if isinstance(destination, pikepdf.Dictionary):
                    destination = destination.get("/D")
            page = top = None
            if isinstance(destination, pikepdf.Array) and len(destination):
                page = by_object.get(destination[0].objgen)
                if str(destination[1]) == "/XYZ" and len(destination) > 3 and destination[3] is not None:
                    top = float(destination[3])
            targets.append((str(child.get("/Title", "")), page, top))
            walk(child)
            child = child.get("/Next")

    if "/Outlines" in pdf.Root:
        walk(pdf.Root.Outlines)
    return targets
