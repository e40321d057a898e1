"""The logical structure of a PDF, recorded while ReportLab draws it (tagged PDF).

Open-source ReportLab writes untagged PDFs. Here each block's flowables are wrapped
(``Marked``) so that their drawing lands in a marked-content sequence with its own
MCID, tied to a structure node; page furniture and table backgrounds are marked as
artifacts. ``pdf_finish`` then turns the recorded tree into the PDF's structure tree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import Flowable, Table

__all__ = ["StructNode", "Tagger", "Marked", "ListItem", "ArtifactTable", "artifact"]


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

    def node(self, kind: str, parent: StructNode | None = None, **details) -> StructNode:
        """A new structure element, appended to ``parent`` (the document when None)."""
        node = StructNode(kind, **details)
        (parent or self.root).kids.append(node)
        return node

    def mark(self, flowable: Flowable, node: StructNode) -> Marked:
        return Marked(flowable, node, self)

    def next_mcid(self, page: int) -> int:
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        return mcid


class Marked(Flowable):
    """A flowable whose drawing is real content of ``node``: one marked-content sequence per
    page it lands on, and the link annotations it makes become the node's Link kids."""

    def __init__(self, inner: Flowable, node: StructNode, tagger: Tagger):
        super().__init__()
        self.inner, self.node, self.tagger = inner, node, tagger

    def __getattr__(self, name):  # style, keepWithNext, outline_entry… are the inner flowable's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width, available_height):
        self.width, self.height = self.inner.wrapOn(getattr(self, "canv", None), available_width, available_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        parts = self.inner.splitOn(getattr(self, "canv", None), available_width, available_height)
        return [Marked(part, self.node, self.tagger) for part in parts]

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        return self.inner.getKeepWithNext()

    def drawOn(self, canvas, x, y, _sW=0):
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
        parts = self.inner.splitOn(getattr(self, "canv", None), available_width, available_height)
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
        canvas._code.append(f"/Lbl <</MCID {mcid}>> BDC")
        canvas.saveState()
        canvas.setFillColor(self.label_colour)
        canvas.setFont(self.label_font, self.label_size)
        canvas.drawString(x + self.label_x, y + self.height - ascent, self.label)
        canvas.restoreState()
        canvas._code.append("EMC")
        label = next((kid for kid in self.item.kids if isinstance(kid, StructNode) and kid.kind == "Lbl"), None)
        if label is None:
            label = StructNode("Lbl")
            self.item.kids.insert(0, label)
        label.kids.append(("mcid", page, mcid))


def artifact(canvas, kind: str = "Layout"):
    """A context manager marking what is drawn inside as an artifact (not content)."""
    return _Artifact(canvas, kind)


class _Artifact:
    def __init__(self, canvas, kind: str):
        self.canvas, self.kind = canvas, kind

    def __enter__(self):
        self.canvas._code.append(f"/Artifact <</Type /{self.kind}>> BDC")

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
