"""The document model -> a print-ready PDF (ReportLab platypus).

One function per node type turns a block into flowables (``_BLOCK_RENDERERS``),
so a later pass can wrap each block's drawing (tagged PDF). Fonts are the
brand's TrueType files, embedded (subset) in every PDF; nothing falls back to
ReportLab's Helvetica.
"""
from __future__ import annotations

import calendar
import datetime as dt
import html  # not xml.sax.saxutils, whose module loads urllib.request and ssl (11 ms)
import io
import itertools
import re
import time
from dataclasses import astuple, dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable
from weakref import WeakKeyDictionary

import pyphen
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from .. import __version__
from ..brand import FONT_FACES, Brand, font_face
from ..model import (
    DRAFT_MARK,
    KEEP_TOGETHER_UP_TO,
    Block,
    BulletList,
    Contacts,
    Document,
    Emph,
    Heading,
    Image,
    Inline,
    KeyFigures,
    LineBreak,
    Link,
    PageBreak,
    Paragraph,
    Quote,
    Signature,
    Strong,
    Text,
    is_lead_in,
    is_proper_noun,
    plain_text,
)
from ..signature import INK, Box, Polygon, SignatureDrawing, draw_signature
from .pdf_finish import Finishing, TaggedDocument
from .pdf_structure import ArtifactTable, ListItem, StructNode, TaggedParagraph, Tagger, artifact

__all__ = ["write_pdf", "prepare"]

_LANGUAGE = "fr-CA"

# Binary streams: ReportLab's default ASCII85 layer makes files a quarter bigger and
# costs time; every PDF reader takes binary.
rl_config.useA85 = 0


# ---------------------------------------------------------------- fonts and styles

@dataclass(frozen=True)
class _FontNames:
    regular: str
    italic: str
    bold: str
    bold_italic: str
    headings: str


def _register_fonts(brand: Brand) -> _FontNames:
    """Register the brand's TrueType faces once per process (again when a file changes: a
    long-running atelier sees a new font); <b>/<i> map to the family."""
    fonts = brand.fonts
    faces = tuple(font_face(brand.asset(getattr(fonts, face))) for face in FONT_FACES)
    return _register_faces(fonts.family.replace(" ", ""), faces)


@lru_cache(maxsize=4)
def _register_faces(family: str, faces: tuple) -> _FontNames:
    names = _free_names(family)
    for name, face in zip(astuple(names), faces, strict=True):
        _remember_subsets(face)
        pdfmetrics.registerFont(_ParsedTTFont(name, face))
    for base in (names.regular, names.headings):
        pdfmetrics.registerFontFamily(base, normal=base, bold=names.bold,
                                      italic=names.italic, boldItalic=names.bold_italic)
    return names


def _free_names(family: str) -> _FontNames:
    """Names for the family's five faces that no earlier registration holds: ReportLab never
    replaces a registered font, so faces read again (a font file changed under a long-running
    atelier) take new names. The names stay inside ReportLab; the PDF names the faces."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for version in itertools.count(1):
        prefix = family if version == 1 else f"{family}-v{version}"
        names = _FontNames(*(f"{prefix}-{style}" for style in ("Regular", "Italic", "Bold", "BoldItalic", "Headings")))
        if registered.isdisjoint(astuple(names)):
            return names


class _ParsedTTFont(TTFont):
    """ReportLab's TTFont over a face the brand already parsed (``TTFont.__init__`` parses
    the file again); the other attributes are set as that constructor sets them."""

    def __init__(self, name: str, face):
        self.fontName, self.face = name, face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


def _remember_subsets(face, keep: int = 64) -> None:
    """Subsetting a face is the same work for the same characters: done once per process (the
    atelier's preview and repeated builds draw the same characters again and again)."""
    if getattr(face, "_subsets_remembered", False):
        return
    make = face.makeSubset
    remembered = lru_cache(maxsize=keep)(lambda subset: make(list(subset)))  # thread-safe
    face.makeSubset = lambda subset: remembered(tuple(subset))
    face._subsets_remembered = True


@lru_cache(maxsize=1)
def _french_hyphenator():
    """French hyphenation (pyphen's patterns): at least two letters before a break and
    three after it, in words of seven letters or more (set on the style). A proper noun
    is never broken; a compound common word may break after its own hyphen."""
    patterns = pyphen.Pyphen(lang="fr", left=2, right=3).iterate

    def hyphenate(word: str):
        if is_proper_noun(word):
            return ()
        if "-" in word:
            return [(word[:i + 1], word[i + 1:]) for i in reversed(range(len(word))) if word[i] == "-"]
        return patterns(word)
    return hyphenate


def _styles(brand: Brand, fonts: _FontNames) -> dict[str, ParagraphStyle]:
    c, s, sp = brand.colours, brand.sizes, brand.spacing
    body = ParagraphStyle(
        "corps", fontName=fonts.regular, fontSize=s.body, leading=s.leading,
        textColor=colors.HexColor(c.text), spaceAfter=sp.after_paragraph, alignment=TA_LEFT,
        bulletFontName=fonts.regular, allowWidows=0, allowOrphans=0,
        hyphenationLang=_french_hyphenator(), embeddedHyphenation=0, hyphenationMinWordLength=7,
        uriWasteReduce=0.3)
    heading = dict(fontName=fonts.headings, textColor=colors.HexColor(c.dark), keepWithNext=1,
                   hyphenationLang="")
    return {
        "body": body,
        "title": ParagraphStyle("titre", body, fontSize=s.title, leading=s.title * 1.2,
                                spaceAfter=4, **heading),
        "h2": ParagraphStyle("section", body, fontSize=s.section, leading=s.section * 1.3,
                             spaceBefore=sp.before_section, spaceAfter=sp.after_section,
                             **{**heading, "textColor": colors.HexColor(c.primary)}),
        "h3": ParagraphStyle("sous-section", body, fontSize=s.subsection, leading=s.subsection * 1.3,
                             spaceBefore=sp.before_section * 0.75, spaceAfter=sp.after_section, **heading),
        "ministere": ParagraphStyle("ministere", body, fontName=fonts.headings, fontSize=s.subsection,
                                    leading=s.subsection * 1.35, textColor=colors.HexColor(c.primary),
                                    spaceAfter=s.body * 1.6),
        "dateline": ParagraphStyle("dateline", body, fontName=fonts.bold, fontSize=s.small,
                                   textColor=colors.HexColor(c.muted), spaceAfter=s.body),
        "bullet": ParagraphStyle("puce", body, leftIndent=sp.list_indent, bulletIndent=sp.list_indent * 0.25,
                                 bulletColor=colors.HexColor(c.primary), bulletFontSize=s.body * 1.25,
                                 spaceAfter=sp.after_paragraph * 0.4),
        "quote": ParagraphStyle("citation", body, fontName=fonts.italic, fontSize=s.body * 1.1,
                                leading=s.leading * 1.1, textColor=colors.HexColor(c.dark), spaceAfter=4),
        "attribution": ParagraphStyle("attribution", body, fontSize=s.small * 1.1,
                                      textColor=colors.HexColor(c.muted), spaceAfter=0),
        "figure": ParagraphStyle("chiffre", body, fontName=fonts.bold, fontSize=s.figure,
                                 leading=s.figure * 1.1, textColor=colors.HexColor(c.dark), spaceAfter=2),
        "figure_label": ParagraphStyle("chiffre-libelle", body, fontSize=s.body * 0.95,
                                       leading=s.leading * 0.95, spaceAfter=0),
        "contact_label": ParagraphStyle("coordonnees-libelle", body, fontName=fonts.bold, spaceAfter=0),
        "contact": ParagraphStyle("coordonnees", body, spaceAfter=0),
    }


# ---------------------------------------------------------------- inlines

def _markup(inlines: tuple[Inline, ...], ctx: _Context) -> str:
    """Inlines as ReportLab paragraph markup; all text is XML-escaped."""
    return "".join(_INLINE_RENDERERS[type(node)](node, ctx) for node in inlines)


def _text(node: Text, ctx: _Context) -> str:
    # ReportLab breaks lines at U+202F but never at U+00A0, so the narrow space is drawn
    # as a plain no-break space (a fraction wider, and it keeps "mot ;" together).
    return html.escape(node.text, quote=False).replace("\u202f", "\u00a0")


def _emph(node: Emph, ctx: _Context) -> str:
    return f"<i>{_markup(node.children, ctx)}</i>"


def _strong(node: Strong, ctx: _Context) -> str:
    return f"<b>{_markup(node.children, ctx)}</b>"


_FIRST_WORD = re.compile(r"^([^<\s]+)(?=\s)")


def _link(node: Link, ctx: _Context) -> str:
    href = html.escape(node.url, quote=False).replace('"', "&quot;")
    # A paragraph of one single fragment takes ReportLab's simple path, which underlines its
    # later lines without the left indent (a list item that is all link): its first word as a
    # fragment of its own keeps the underline under the text on every line. (A link of one
    # word has no later line.)
    text = _FIRST_WORD.sub(r"<span>\1</span>", _markup(node.children, ctx), count=1)
    return f'<a href="{href}" color="{ctx.brand.colours.primary}" underline="1">{text}</a>'


def _line_break(node: LineBreak, ctx: _Context) -> str:
    return "<br/>"


_INLINE_RENDERERS: dict[type, Callable[..., str]] = {
    Text: _text, Emph: _emph, Strong: _strong, Link: _link, LineBreak: _line_break,
}


# ---------------------------------------------------------------- blocks

@dataclass
class _Context:
    """What every renderer needs: the brand, its styles and fonts, the frame width, and the
    structure being recorded (each renderer says what its flowables are, for the tagged PDF)."""
    brand: Brand
    styles: dict[str, ParagraphStyle]
    fonts: _FontNames
    width: float
    tagger: Tagger

    def para(self, inlines: tuple[Inline, ...], style: str, **kwargs) -> RLParagraph:
        return TaggedParagraph(_markup(inlines, self), self.styles[style], **kwargs)

    def tagged(self, kind: str, flowable: Flowable, parent: StructNode | None = None, **details) -> Flowable:
        """``flowable`` as the content of a new structure element of type ``kind``."""
        return self.tagger.mark(flowable, self.tagger.node(kind, parent, **details))


def _heading(block: Heading, ctx: _Context) -> list[Flowable]:
    style = {1: "title", 2: "h2"}.get(block.level, "h3")
    heading = ctx.para(block.inlines, style)
    heading.outline_entry = (block.level, plain_text(block.inlines))
    # A heading needs room for itself and a few lines of what follows, or it starts a page.
    return ([CondPageBreak(ctx.brand.sizes.leading * 5)] if block.level > 1 else []) + \
        [ctx.tagged(f"H{min(block.level, 6)}", heading)]


def _paragraph(block: Paragraph, ctx: _Context) -> list[Flowable]:
    style = ctx.styles[block.role if block.role in ctx.styles else "body"]
    if is_lead_in(block):
        style = ParagraphStyle(f"{style.name}-annonce", style, keepWithNext=1)
    return [ctx.tagged("P", TaggedParagraph(_markup(block.inlines, ctx), style))]


def _bullet_list(block: BulletList, ctx: _Context) -> list[Flowable]:
    items = [ctx.para(item, "bullet") for item in block.items]
    items[-1].style = ParagraphStyle("puce-derniere", items[-1].style,
                                     spaceAfter=ctx.brand.spacing.after_paragraph)
    listing = ctx.tagger.node("L")
    style = ctx.styles["bullet"]
    if len(items) <= KEEP_TOGETHER_UP_TO:
        # A short list is read at a glance: never split across two pages. Each item keeps with
        # the next (not a KeepTogether, which a lead-in's keepWithNext could not join).
        for item in items[:-1]:
            item.style = ParagraphStyle(f"{item.style.name}-liee", item.style, keepWithNext=1)
    return [ListItem(item, ctx.tagger.node("LI", listing), ctx.tagger, "•", style.bulletFontName,
                     style.bulletFontSize, style.bulletColor, style.bulletIndent) for item in items]


def _quote(block: Quote, ctx: _Context) -> list[Flowable]:
    quote = ctx.tagger.node("BlockQuote")
    cell: list[Flowable] = [ctx.tagged("P", ctx.para(block.inlines, "quote"), quote)]
    if block.attribution:
        cell.append(ctx.tagged("P", ctx.para((Text("— "),) + block.attribution, "attribution"), quote))
    rule = ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(ctx.brand.colours.primary))
    return [_panel([[cell]], [ctx.width], ctx, [rule]), Spacer(1, ctx.brand.spacing.after_paragraph)]


def _key_figures(block: KeyFigures, ctx: _Context) -> list[Flowable]:
    # Drawn as a panel, read as what it is: a list of figures, each "207 employeurs…".
    listing = ctx.tagger.node("L")
    rows = []
    for item in block.items:
        body = ctx.tagger.node("LBody", ctx.tagger.node("LI", listing))
        value = ctx.para((Text(item.value),), "figure")
        value.continues = True  # its label follows in the same item: « 207 employeurs », not « 207employeurs »
        rows.append([ctx.tagger.mark(value, body),
                     ctx.tagger.mark(ctx.para(item.label, "figure_label"), body)])
    widest = max(pdfmetrics.stringWidth(item.value, ctx.fonts.bold, ctx.brand.sizes.figure)
                 for item in block.items)
    number_width = widest + 2 * 12 + 4
    table = _panel(rows, [number_width, ctx.width - number_width], ctx,
                   [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.6, colors.HexColor(ctx.brand.colours.paper))])
    return [KeepTogether([table]), Spacer(1, ctx.brand.spacing.after_paragraph)]


def _contacts(block: Contacts, ctx: _Context) -> list[Flowable]:
    table = ctx.tagger.node("Table")
    rows = []
    for line in block.lines:
        row = ctx.tagger.node("TR", table)
        rows.append([ctx.tagged("TH", ctx.para((Text(line.label),), "contact_label"), row, scope="Row"),
                     ctx.tagged("TD", ctx.para(line.value, "contact"), row)])
    table = _table(rows, [28 * mm, ctx.width - 28 * mm], ctx,
                   [("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    return [table, Spacer(1, ctx.brand.spacing.after_paragraph)]


def _signature(block: Signature, ctx: _Context) -> list[Flowable]:
    official = ctx.brand.official_signature
    mark = _official_image(official, 60 * mm) if official else _SignatureMark(ctx)
    figure = ctx.tagged("Figure", mark, alt=ctx.brand.signature.description)
    return [Spacer(1, ctx.brand.sizes.leading * 1.5), KeepTogether([figure])]


def _image(block: Image, ctx: _Context) -> list[Flowable]:
    """A picture at its natural size (72 dpi), shrunk to fit the column and a third of the page."""
    picture = RLImage(block.src)
    scale = min(1.0, ctx.width / picture.imageWidth, ctx.width * 0.66 / picture.imageHeight)
    picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
    picture.hAlign = "LEFT"
    return [ctx.tagged("Figure", picture, alt=block.alt), Spacer(1, ctx.brand.spacing.after_paragraph)]


def _unwrapped(flowables: list[Flowable]) -> list[Flowable]:
    """KeepTogether contents spliced in place: ReportLab splits nested groups badly."""
    flat: list[Flowable] = []
    for flowable in flowables:
        flat.extend(_unwrapped(flowable._content) if isinstance(flowable, KeepTogether) else [flowable])
    return flat


def _page_break(block: PageBreak, ctx: _Context) -> list[Flowable]:
    return [RLPageBreak()]


_BLOCK_RENDERERS: dict[type, Callable[[Block, _Context], list[Flowable]]] = {
    Heading: _heading, Paragraph: _paragraph, BulletList: _bullet_list, Quote: _quote,
    KeyFigures: _key_figures, Contacts: _contacts, Signature: _signature, Image: _image,
    PageBreak: _page_break,
}


def _table(rows, widths, ctx: _Context, commands: list, kind: type[Table] = ArtifactTable) -> Table:
    """A table in the brand's font (ReportLab's tables default to an unembedded Helvetica),
    whose backgrounds and rules are artifacts (``kind``: the bench's untagged floor draws a
    plain Table)."""
    table = kind(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.fonts.regular),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    return table


def _panel(rows, widths, ctx: _Context, commands: list = (), kind: type[Table] = ArtifactTable) -> Table:
    """A tinted box (key figures, quote)."""
    return _table(rows, widths, ctx, [
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(ctx.brand.colours.accent_background)),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8), *commands], kind)


def _official_image(path: Path, width: float) -> RLImage:
    image = RLImage(str(path))
    image.drawHeight = width * image.imageHeight / image.imageWidth
    image.drawWidth = width
    image.hAlign = "LEFT"
    return image


def _draw(canvas, drawing: SignatureDrawing, x: float, y: float, ink: str, paper: str,
          fonts: _FontNames) -> None:
    """Draw the signature's primitives with their lower-left corner at (x, y)."""
    canvas.saveState()
    for item in drawing.primitives:
        canvas.setFillColor(colors.HexColor(ink if item.role == INK else paper))
        if isinstance(item, Box):
            canvas.rect(x + item.x, y + item.y, item.width, item.height, stroke=0, fill=1)
        elif isinstance(item, Polygon):
            path = canvas.beginPath()
            path.moveTo(x + item.start[0], y + item.start[1])
            for segment in item.segments:
                moved = [coordinate for px, py in segment for coordinate in (x + px, y + py)]
                (path.lineTo if len(segment) == 1 else path.curveTo)(*moved)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
        else:
            canvas.setFont(fonts.bold, item.size)
            canvas.drawString(x + item.x, y + item.y, item.text)
    canvas.restoreState()


def _signature_drawing(ctx: _Context, size: float) -> SignatureDrawing:
    return draw_signature(ctx.brand.signature.lines, ctx.brand.signature.wordmark, size,
                          lambda text, points: pdfmetrics.stringWidth(text, ctx.fonts.bold, points))


class _SignatureMark(Flowable):
    """The closing signature, in colour, drawn in vector."""

    def __init__(self, ctx: _Context):
        super().__init__()
        self.ctx = ctx
        self.drawing = _signature_drawing(ctx, ctx.brand.sizes.body)

    def wrap(self, available_width, available_height):
        return self.drawing.width, self.drawing.height

    def draw(self):
        colours = self.ctx.brand.colours
        _draw(self.canv, self.drawing, 0, 0, colours.dark, colours.paper, self.ctx.fonts)


# ---------------------------------------------------------------- pages

def _make_canvas(ctx: _Context, stamp: TimeStamp, finishing: Finishing):
    """A canvas class that knows the page count when it saves ("Page X de Y"), dates the
    file with ``stamp`` and finishes it as a tagged PDF in the same save (``finishing``)."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("initialFontName", ctx.fonts.regular)
            super().__init__(*args, **kwargs)
            self._pages = []
            self._doc._timeStamp = stamp
            self._doc.__class__ = TaggedDocument
            self._doc.finishing = finishing

            self._page_bookmarks = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()
            self._page_bookmarks = []

        def bookmarkPage(self, key, **where):
            # Pages are only written at save: a destination made now would point to page 1.
            self._page_bookmarks.append((key, where))

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for key, where in self._page_bookmarks:
                    super().bookmarkPage(key, **where)
                _draw_footer(self, ctx, total)
                finishing.annotations.append(list(self._annotationrefs))
                super().showPage()
            super().save()

    return NumberedCanvas


def _timestamp(day: dt.date | None) -> TimeStamp:
    """The PDF's creation and modification dates: the document's date at noon UTC, or
    ReportLab's fixed invariant date when the document has none (never the clock)."""
    stamp = TimeStamp(invariant=True)
    if day is None:
        return stamp
    stamp.t = calendar.timegm((day.year, day.month, day.day, 12, 0, 0))
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _draw_footer(canvas, ctx: _Context, total: int) -> None:
    with artifact(canvas, "Pagination"):
        _draw_page_number(canvas, ctx, total)


def _draw_page_number(canvas, ctx: _Context, total: int) -> None:
    brand = ctx.brand
    left = brand.page.margins_mm.left * mm
    y = brand.page.margins_mm.bottom * mm * 0.5
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor(brand.colours.primary))
    canvas.setLineWidth(0.6)
    canvas.line(left, y + 10, left + ctx.width, y + 10)
    canvas.setFont(ctx.fonts.regular, brand.sizes.small)
    canvas.setFillColor(colors.HexColor(brand.colours.muted))
    canvas.drawRightString(left + ctx.width, y, f"Page {canvas.getPageNumber()} de {total}")
    canvas.restoreState()


def _draw_first_page(canvas, doc) -> None:
    with artifact(canvas, "Pagination"):
        _draw_band(canvas, doc)
    _draw_draft_mark(canvas, doc)


def _draw_draft_mark(canvas, doc) -> None:
    """A draft's « BROUILLON » across the page, behind the text: a watermark artifact, so it
    is neither read aloud nor extracted with the text."""
    if not getattr(doc, "draft", False):
        return
    ctx: _Context = doc.context
    page_width, page_height = doc.pagesize
    with artifact(canvas, "Pagination", "Watermark"):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#F4CCCC"))  # pale red: the text stays legible over it
        canvas.translate(page_width / 2, page_height / 2)
        canvas.rotate(50)
        canvas.setFont(ctx.fonts.bold, 96)
        canvas.drawCentredString(0, -34, DRAFT_MARK)
        canvas.restoreState()


def _draw_band(canvas, doc) -> None:
    """The first page's band: dark blue across the page, the signature reversed in white."""
    ctx: _Context = doc.context
    brand = ctx.brand
    page_width, page_height = doc.pagesize
    band = _band_height(brand)
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(brand.colours.dark))
    canvas.rect(0, page_height - band, page_width, band, stroke=0, fill=1)
    canvas.restoreState()
    drawing = _signature_drawing(ctx, brand.sizes.small * 1.1)
    _draw(canvas, drawing, brand.page.margins_mm.left * mm, page_height - band / 2 - drawing.height / 2,
          brand.colours.on_dark, brand.colours.dark, ctx.fonts)


def _band_height(brand: Brand) -> float:
    return brand.page.margins_mm.top * mm * 1.1


def _draw_later_page(canvas, doc) -> None:
    with artifact(canvas, "Pagination"):
        _draw_top_rule(canvas, doc)
    _draw_draft_mark(canvas, doc)


def _draw_top_rule(canvas, doc) -> None:
    """Later pages: a thin brand rule at the top."""
    ctx: _Context = doc.context
    brand = ctx.brand
    left = brand.page.margins_mm.left * mm
    y = doc.pagesize[1] - brand.page.margins_mm.top * mm * 0.6
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor(brand.colours.primary))
    canvas.setLineWidth(1.5)
    canvas.line(left, y, left + ctx.width, y)
    canvas.restoreState()


_ROOM_ABOVE = 6  # points above a heading when its bookmark is followed


class _ReportTemplate(BaseDocTemplate):
    """Pages of a report; headings become the PDF outline (bookmarks) as they are placed."""

    def __init__(self, target, ctx: _Context, **kwargs):
        super().__init__(target, **kwargs)
        self.context = ctx
        self._bookmarks = 0
        self._outline_level = -1

    def afterFlowable(self, flowable):
        entry = getattr(flowable, "outline_entry", None)
        if entry:
            level, title = entry
            # An outline cannot skip a level (a section with no title above it becomes top-level).
            self._outline_level = min(level - 1, self._outline_level + 1)
            self._bookmarks += 1
            key = f"titre-{self._bookmarks}"
            # The reader opens the heading's page with the heading at the top of the window,
            # a little room above it, at the reader's own zoom.
            left, top = getattr(flowable, "drawn_at", (None, None))
            self.canv.bookmarkPage(key, fit="XYZ", left=left, top=None if top is None else top + _ROOM_ABOVE,
                                   zoom=None)
            self.canv.addOutlineEntry(title, key, level=self._outline_level, closed=False)
            self.canv.showOutline()  # the viewer opens with the bookmarks panel


def _doc_template(target, info: dict[str, str], ctx: _Context) -> BaseDocTemplate:
    brand = ctx.brand
    margins = brand.page.margins_mm
    page_size = tuple(v * mm for v in brand.page.size_mm)
    doc = _ReportTemplate(
        target, ctx, pagesize=page_size, leftMargin=margins.left * mm, rightMargin=margins.right * mm,
        topMargin=margins.top * mm, bottomMargin=margins.bottom * mm,
        **info, lang=_LANGUAGE, displayDocTitle=True,
        initialFontName=ctx.fonts.regular, invariant=True)
    first_top = _band_height(brand) + 9 * mm
    frame_height = page_size[1] - margins.bottom * mm
    first = Frame(margins.left * mm, margins.bottom * mm, ctx.width, frame_height - first_top,
                  id="premiere", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(margins.left * mm, margins.bottom * mm, ctx.width, frame_height - margins.top * mm,
                  id="suite", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("premiere", [first], onPage=_draw_first_page),
                          PageTemplate("suite", [later], onPage=_draw_later_page)])
    return doc


# ---------------------------------------------------------------- entry point

def write_pdf(document: Document, brand: Brand, target: Path | BinaryIO) -> None:
    """Render ``document`` with ``brand`` as a tagged PDF/UA-1 and PDF/A-2a file into
    ``target`` (a path or a binary file). The same document and brand give the same bytes."""
    fonts = _register_fonts(brand)
    margins = brand.page.margins_mm
    width = brand.page.size_mm[0] * mm - (margins.left + margins.right) * mm
    ctx = _Context(brand, _styles(brand, fonts), fonts, width, Tagger())
    story: list[Flowable] = [NextPageTemplate("suite")]
    previous: list[Flowable] = []
    for block in document.blocks:
        flowables = _BLOCK_RENDERERS[type(block)](block, ctx)
        if isinstance(block, Signature) and previous:
            # The signature never stands alone on a page: it takes the block before it along.
            del story[-len(previous):]
            group = _unwrapped(previous + flowables)
            while story and getattr(getattr(story[-1], "style", None), "keepWithNext", 0):
                group.insert(0, story.pop())  # a lead-in or heading goes with the group
            flowables = [KeepTogether(group)]
        story.extend(flowables)
        previous = flowables
    # One set of properties for ReportLab's document information and for the XMP that must agree.
    info = {"title": document.title, "author": brand.organisation, "subject": document.subject,
            "keywords": ", ".join(document.keywords), "creator": f"reportgen {__version__}",
            "producer": f"reportgen {__version__}"}
    stamp = _timestamp(document.date)
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp.t))
    finishing = Finishing(ctx.tagger.root, {**info, "date": date}, brand.asset(brand.page.icc_profile), _LANGUAGE)
    raw = io.BytesIO()
    template = _doc_template(raw, info, ctx)
    template.draft = document.draft
    template.build(story, canvasmaker=_make_canvas(ctx, stamp, finishing))
    data = raw.getvalue()
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


def prepare(brand: Brand) -> None:
    """Do now what the first PDF of ``brand`` in this process would do first: register its
    fonts and load French hyphenation (for a process that waits for a document still being
    made; see ``reportgen.writer_process``)."""
    _styles(brand, _register_fonts(brand))
