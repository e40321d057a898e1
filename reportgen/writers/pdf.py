"""The document model -> a print-ready PDF (ReportLab platypus).

One function per node type turns a block into flowables (``_BLOCK_RENDERERS``),
so a later pass can wrap each block's drawing (tagged PDF). Fonts are the
brand's TrueType files, embedded (subset) in every PDF; nothing falls back to
ReportLab's Helvetica.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from .. import __version__
from ..brand import Brand
from ..model import (
    Block,
    BulletList,
    Contacts,
    Document,
    Emph,
    Heading,
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
)

__all__ = ["write_pdf"]


# ---------------------------------------------------------------- fonts and styles

@dataclass(frozen=True)
class _FontNames:
    regular: str
    italic: str
    bold: str
    bold_italic: str
    headings: str


def _register_fonts(brand: Brand) -> _FontNames:
    """Register the brand's TrueType files once per process; <b>/<i> map to the family."""
    fonts = brand.fonts
    files = tuple(str(brand.asset(getattr(fonts, key)))
                  for key in ("regular", "italic", "bold", "bold_italic", "headings"))
    return _register_font_files(fonts.family.replace(" ", ""), files)


@lru_cache(maxsize=4)
def _register_font_files(family: str, files: tuple[str, ...]) -> _FontNames:
    names = _FontNames(*(f"{family}-{style}" for style in
                         ("Regular", "Italic", "Bold", "BoldItalic", "Headings")))
    for name, path in zip((names.regular, names.italic, names.bold, names.bold_italic, names.headings), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, path))
    for base in (names.regular, names.headings):
        pdfmetrics.registerFontFamily(base, normal=base, bold=names.bold,
                                      italic=names.italic, boldItalic=names.bold_italic)
    return names


def _styles(brand: Brand, fonts: _FontNames) -> dict[str, ParagraphStyle]:
    c, s, sp = brand.colours, brand.sizes, brand.spacing
    body = ParagraphStyle(
        "corps", fontName=fonts.regular, fontSize=s.body, leading=s.leading,
        textColor=colors.HexColor(c.text), spaceAfter=sp.after_paragraph, alignment=TA_LEFT,
        bulletFontName=fonts.regular, allowWidows=0, allowOrphans=0)
    heading = dict(fontName=fonts.headings, textColor=colors.HexColor(c.dark), keepWithNext=1)
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
    return xml_escape(node.text).replace("\u202f", "\u00a0")


def _emph(node: Emph, ctx: _Context) -> str:
    return f"<i>{_markup(node.children, ctx)}</i>"


def _strong(node: Strong, ctx: _Context) -> str:
    return f"<b>{_markup(node.children, ctx)}</b>"


def _link(node: Link, ctx: _Context) -> str:
    href = xml_escape(node.url, {'"': "&quot;"})
    return (f'<a href="{href}" color="{ctx.brand.colours.primary}" underline="1">'
            f"{_markup(node.children, ctx)}</a>")


def _line_break(node: LineBreak, ctx: _Context) -> str:
    return "<br/>"


_INLINE_RENDERERS: dict[type, Callable[..., str]] = {
    Text: _text, Emph: _emph, Strong: _strong, Link: _link, LineBreak: _line_break,
}


# ---------------------------------------------------------------- blocks

@dataclass
class _Context:
    """What every renderer needs: the brand, its styles and fonts, the frame width."""
    brand: Brand
    styles: dict[str, ParagraphStyle]
    fonts: _FontNames
    width: float

    def para(self, inlines: tuple[Inline, ...], style: str, **kwargs) -> RLParagraph:
        return RLParagraph(_markup(inlines, self), self.styles[style], **kwargs)


def _heading(block: Heading, ctx: _Context) -> list[Flowable]:
    style = {1: "title", 2: "h2"}.get(block.level, "h3")
    flowables: list[Flowable] = [CondPageBreak(ctx.brand.sizes.leading * 5)] if block.level > 1 else []
    return flowables + [ctx.para(block.inlines, style)]


def _paragraph(block: Paragraph, ctx: _Context) -> list[Flowable]:
    style = ctx.styles[block.role if block.role in ctx.styles else "body"]
    if is_lead_in(block):
        style = ParagraphStyle(f"{style.name}-annonce", style, keepWithNext=1)
    return [RLParagraph(_markup(block.inlines, ctx), style)]


def _bullet_list(block: BulletList, ctx: _Context) -> list[Flowable]:
    items = [ctx.para(item, "bullet", bulletText="•") for item in block.items]
    items[-1].style = ParagraphStyle("puce-derniere", items[-1].style,
                                     spaceAfter=ctx.brand.spacing.after_paragraph)
    return items


def _quote(block: Quote, ctx: _Context) -> list[Flowable]:
    cell: list[Flowable] = [ctx.para(block.inlines, "quote")]
    if block.attribution:
        cell.append(ctx.para((Text("— "),) + block.attribution, "attribution"))
    rule = ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(ctx.brand.colours.primary))
    return [_panel([[cell]], [ctx.width], ctx, [rule]), Spacer(1, ctx.brand.spacing.after_paragraph)]


def _key_figures(block: KeyFigures, ctx: _Context) -> list[Flowable]:
    rows = [[ctx.para((Text(item.value),), "figure"), ctx.para(item.label, "figure_label")]
            for item in block.items]
    widest = max(pdfmetrics.stringWidth(item.value, ctx.fonts.bold, ctx.brand.sizes.figure)
                 for item in block.items)
    number_width = widest + 2 * 12 + 4
    table = _panel(rows, [number_width, ctx.width - number_width], ctx,
                   [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.6, colors.white)])
    return [KeepTogether([table]), Spacer(1, ctx.brand.spacing.after_paragraph)]


def _contacts(block: Contacts, ctx: _Context) -> list[Flowable]:
    rows = [[ctx.para((Text(line.label),), "contact_label"), ctx.para(line.value, "contact")]
            for line in block.lines]
    table = _table(rows, [28 * mm, ctx.width - 28 * mm], ctx,
                   [("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    return [table, Spacer(1, ctx.brand.spacing.after_paragraph)]


def _signature(block: Signature, ctx: _Context) -> list[Flowable]:
    official = ctx.brand.official_signature
    mark = _official_image(official, 60 * mm) if official else _SignatureMark(ctx)
    return [Spacer(1, ctx.brand.sizes.leading * 1.5), KeepTogether([mark])]


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
    KeyFigures: _key_figures, Contacts: _contacts, Signature: _signature, PageBreak: _page_break,
}


def _table(rows, widths, ctx: _Context, commands: list) -> Table:
    """A table in the brand's font (ReportLab's tables default to an unembedded Helvetica)."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.fonts.regular),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    return table


def _panel(rows, widths, ctx: _Context, commands: list = ()) -> Table:
    """A tinted box (key figures, quote)."""
    return _table(rows, widths, ctx, [
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(ctx.brand.colours.accent_background)),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8), *commands])


def _official_image(path: Path, width: float) -> Image:
    image = Image(str(path))
    image.drawHeight = width * image.imageHeight / image.imageWidth
    image.drawWidth = width
    image.hAlign = "LEFT"
    return image


def _draw_flag(canvas, x: float, y: float, height: float, blue: str, white: str) -> None:
    """A stand-in for the Québec flag pictogram: blue field, white cross, four lilies."""
    width = height * 1.5
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(blue))
    canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.setFillColor(colors.HexColor(white))
    bar = height * 0.18
    canvas.rect(x + (width - bar) / 2, y, bar, height, stroke=0, fill=1)
    canvas.rect(x, y + (height - bar) / 2, width, bar, stroke=0, fill=1)
    for cx in (x + width * 0.23, x + width * 0.77):
        for cy in (y + height * 0.23, y + height * 0.77):
            _draw_lily(canvas, cx, cy, height * 0.22)
    canvas.restoreState()


def _draw_lily(canvas, cx: float, cy: float, size: float) -> None:
    """A simplified fleur-de-lis: a central petal, two side petals, a band."""
    path = canvas.beginPath()
    path.moveTo(cx, cy + size * 0.5)
    path.curveTo(cx + size * 0.18, cy + size * 0.25, cx + size * 0.14, cy, cx, cy - size * 0.1)
    path.curveTo(cx - size * 0.14, cy, cx - size * 0.18, cy + size * 0.25, cx, cy + size * 0.5)
    for side in (-1, 1):
        path.moveTo(cx + side * size * 0.05, cy - size * 0.05)
        path.curveTo(cx + side * size * 0.45, cy + size * 0.05, cx + side * size * 0.5, cy + size * 0.35,
                     cx + side * size * 0.28, cy + size * 0.3)
        path.curveTo(cx + side * size * 0.3, cy + size * 0.1, cx + side * size * 0.15, cy, cx, cy - size * 0.1)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.rect(cx - size * 0.3, cy - size * 0.2, size * 0.6, size * 0.08, stroke=0, fill=1)
    canvas.rect(cx - size * 0.05, cy - size * 0.5, size * 0.1, size * 0.32, stroke=0, fill=1)


class _SignatureMark(Flowable):
    """The ministry's signature drawn in vector: its lines, a rule, the wordmark and the flag."""

    def __init__(self, ctx: _Context):
        super().__init__()
        self.ctx = ctx
        self.size = ctx.brand.sizes.body * 1.05
        self.height = max(len(ctx.brand.signature.lines), 2) * self.size * 1.2 + 4

    def wrap(self, available_width, available_height):
        return self.ctx.width, self.height

    def draw(self):
        brand, fonts, canvas = self.ctx.brand, self.ctx.fonts, self.canv
        canvas.setFillColor(colors.HexColor(brand.colours.dark))
        canvas.setFont(fonts.bold, self.size)
        y = self.height - self.size
        for line in brand.signature.lines:
            canvas.drawString(0, y, line)
            y -= self.size * 1.2
        text_width = max(pdfmetrics.stringWidth(line, fonts.bold, self.size) for line in brand.signature.lines)
        rule_x = text_width + 10
        canvas.setStrokeColor(colors.HexColor(brand.colours.dark))
        canvas.setLineWidth(0.8)
        canvas.line(rule_x, 2, rule_x, self.height - 2)
        word_size = self.size * 2
        canvas.setFont(fonts.bold, word_size)
        canvas.drawString(rule_x + 10, self.height / 2 - word_size * 0.35, brand.signature.wordmark)
        flag_x = rule_x + 14 + pdfmetrics.stringWidth(brand.signature.wordmark, fonts.bold, word_size)
        _draw_flag(canvas, flag_x, self.height / 2 - word_size * 0.35, word_size * 0.7,
                   brand.colours.dark, brand.colours.on_dark)


# ---------------------------------------------------------------- pages

def _make_canvas(ctx: _Context, document: Document):
    """A canvas class that knows the page count when it saves: "Page X de Y"."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("initialFontName", ctx.fonts.regular)
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _draw_footer(self, ctx, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_footer(canvas, ctx: _Context, total: int) -> None:
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
    """The first page's band: dark blue, with the Québec wordmark and flag on the right."""
    ctx: _Context = doc.rg_context
    brand = ctx.brand
    page_width, page_height = doc.pagesize
    band = brand.page.margins_mm.top * mm * 0.8
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(brand.colours.dark))
    canvas.rect(0, page_height - band, page_width, band, stroke=0, fill=1)
    size = band * 0.32
    right = page_width - brand.page.margins_mm.right * mm
    flag_height = size * 0.75
    flag_x = right - flag_height * 1.5
    baseline = page_height - band / 2 - size * 0.35
    canvas.setFillColor(colors.HexColor(brand.colours.on_dark))
    canvas.setFont(ctx.fonts.bold, size)
    canvas.drawRightString(flag_x - size * 0.25, baseline, brand.signature.wordmark)
    _draw_flag(canvas, flag_x, baseline, flag_height, brand.colours.on_dark, brand.colours.dark)
    canvas.restoreState()


def _draw_later_page(canvas, doc) -> None:
    """Later pages: a thin brand rule at the top."""
    ctx: _Context = doc.rg_context
    brand = ctx.brand
    left = brand.page.margins_mm.left * mm
    y = doc.pagesize[1] - brand.page.margins_mm.top * mm * 0.6
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor(brand.colours.primary))
    canvas.setLineWidth(1.5)
    canvas.line(left, y, left + ctx.width, y)
    canvas.restoreState()


def _doc_template(target, document: Document, ctx: _Context) -> BaseDocTemplate:
    brand = ctx.brand
    margins = brand.page.margins_mm
    page_size = tuple(v * mm for v in brand.page.size_mm)
    doc = BaseDocTemplate(
        target, pagesize=page_size, leftMargin=margins.left * mm, rightMargin=margins.right * mm,
        topMargin=margins.top * mm, bottomMargin=margins.bottom * mm,
        title=document.title, author=brand.organisation, subject=document.subject,
        keywords=", ".join(document.keywords), creator=f"reportgen {__version__}",
        producer=f"reportgen {__version__}", lang="fr-CA", displayDocTitle=True,
        initialFontName=ctx.fonts.regular, invariant=True)
    first_top = margins.top * mm * 0.8 + 10 * mm
    frame_height = page_size[1] - margins.bottom * mm
    first = Frame(margins.left * mm, margins.bottom * mm, ctx.width, frame_height - first_top,
                  id="premiere", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(margins.left * mm, margins.bottom * mm, ctx.width, frame_height - margins.top * mm,
                  id="suite", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("premiere", [first], onPage=_draw_first_page),
                          PageTemplate("suite", [later], onPage=_draw_later_page)])
    doc.rg_context = ctx
    return doc


# ---------------------------------------------------------------- entry point

def write_pdf(document: Document, brand: Brand, target: Path | BinaryIO) -> None:
    """Render ``document`` with ``brand`` as a PDF into ``target`` (a path or a binary file)."""
    fonts = _register_fonts(brand)
    margins = brand.page.margins_mm
    width = brand.page.size_mm[0] * mm - (margins.left + margins.right) * mm
    ctx = _Context(brand, _styles(brand, fonts), fonts, width)
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
    doc = _doc_template(str(target) if isinstance(target, Path) else target, document, ctx)
    doc.build(story, canvasmaker=_make_canvas(ctx, document))
