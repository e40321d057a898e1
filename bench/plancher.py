"""The like-for-like floors reportgen's PDF is compared with, on the same document.

``plancher_reportlab``: bare ReportLab drawing what reportgen draws, on the same pages — the
same blocks with the same styles, the brand's Roboto faces embedded, French hyphenation, the
first page's band with the vector signature, the brand rule on later pages, « Page X de Y »
in every footer, the key figures and contacts as tables with the same padding and rules, the
quote as a tinted panel with its rule, the closing signature; and the same layout rules: a
heading that starts a page unless five lines fit under it, a lead-in kept with what follows, a short list never split, the key figures kept together, the
signature kept with the block before it — but untagged: no structure tree, no bookmarks, no
XMP, no colour profile. What reportgen costs above it is the price of the tagged PDF/UA-1 and
PDF/A-2a file.

``source_typst``: the same text for Typst, with the same page size, margins, Roboto,
hyphenation, a band on the first page, a rule on the others and « Page X de Y ».
"""
from __future__ import annotations

import io
from types import SimpleNamespace

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, NextPageTemplate, PageTemplate, Spacer, Table
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from reportgen.model import (
    KEEP_TOGETHER_UP_TO,
    BulletList,
    Contacts,
    Heading,
    Image,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Signature,
    Text,
    block_texts,
    is_lead_in,
    plain_text,
)
from reportgen.writers import pdf as writer

__all__ = ["plancher_reportlab", "source_typst"]


def plancher_reportlab(document, brand) -> bytes:
    """The document drawn by bare ReportLab, untagged (see the module's docstring)."""
    fonts = writer._register_fonts(brand)
    margins = brand.page.margins_mm
    width = brand.page.size_mm[0] * mm - (margins.left + margins.right) * mm
    ctx = SimpleNamespace(brand=brand, fonts=fonts, width=width, styles=writer._styles(brand, fonts))
    story, previous = [NextPageTemplate("suite")], []
    for block in document.blocks:
        flowables = _block(block, ctx)
        if isinstance(block, Signature) and previous:  # as reportgen: the signature takes its block along
            del story[-len(previous):]
            group = writer._unwrapped(previous + flowables)
            while story and getattr(getattr(story[-1], "style", None), "keepWithNext", 0):
                group.insert(0, story.pop())
            flowables = [KeepTogether(group)]
        story.extend(flowables)
        previous = flowables
    stream = io.BytesIO()
    _template(stream, ctx).build(story, canvasmaker=_numbered_canvas(ctx))
    return stream.getvalue()


def _para(inlines, style: str, ctx) -> RLParagraph:
    return RLParagraph(writer._markup(inlines, ctx), ctx.styles[style])


def _block(block, ctx) -> list:
    after = Spacer(1, ctx.brand.spacing.after_paragraph)
    if isinstance(block, Heading):
        heading = _para(block.inlines, {1: "title", 2: "h2"}.get(block.level, "h3"), ctx)
        return ([CondPageBreak(ctx.brand.sizes.leading * 5)] if block.level > 1 else []) + [heading]
    if isinstance(block, Paragraph):
        style = ctx.styles[block.role if block.role in ctx.styles else "body"]
        if is_lead_in(block):
            style = ParagraphStyle(f"{style.name}-annonce", style, keepWithNext=1)
        return [RLParagraph(writer._markup(block.inlines, ctx), style)]
    if isinstance(block, BulletList):
        return _bullets(block, ctx)
    if isinstance(block, Quote):
        cell = [_para(block.inlines, "quote", ctx)]
        if block.attribution:
            cell.append(_para((Text("— "),) + block.attribution, "attribution", ctx))
        rule = ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(ctx.brand.colours.primary))
        return [writer._panel([[cell]], [ctx.width], ctx, [rule], Table), after]
    if isinstance(block, KeyFigures):
        return [KeepTogether([_figures(block, ctx)]), after]
    if isinstance(block, Contacts):
        rows = [[_para((Text(line.label),), "contact_label", ctx), _para(line.value, "contact", ctx)]
                for line in block.lines]
        return [writer._table(rows, [28 * mm, ctx.width - 28 * mm], ctx, [
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)], Table), after]
    if isinstance(block, Signature):
        return [Spacer(1, ctx.brand.sizes.leading * 1.5), KeepTogether([writer._SignatureMark(ctx)])]
    if isinstance(block, Image):
        picture = RLImage(block.src)
        scale = min(1.0, ctx.width / picture.imageWidth, ctx.width * 0.66 / picture.imageHeight)
        picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
        picture.hAlign = "LEFT"
        return [picture, after]
    if isinstance(block, PageBreak):
        return [RLPageBreak()]
    return []


def _bullets(block, ctx) -> list:
    style = ctx.styles["bullet"]
    items = [RLParagraph(writer._markup(item, ctx), style, bulletText="•") for item in block.items]
    items[-1].style = ParagraphStyle("puce-derniere", style, spaceAfter=ctx.brand.spacing.after_paragraph)
    if len(items) <= KEEP_TOGETHER_UP_TO:
        for item in items[:-1]:
            item.style = ParagraphStyle(f"{style.name}-liee", style, keepWithNext=1)
    return items


def _figures(block, ctx) -> Table:
    rows = [[_para((Text(item.value),), "figure", ctx), _para(item.label, "figure_label", ctx)]
            for item in block.items]
    widest = max(stringWidth(item.value, ctx.fonts.bold, ctx.brand.sizes.figure) for item in block.items)
    number_width = widest + 2 * 12 + 4
    return writer._panel(rows, [number_width, ctx.width - number_width], ctx, [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.6, colors.HexColor(ctx.brand.colours.paper))], Table)


def _template(stream, ctx) -> BaseDocTemplate:
    brand, margins = ctx.brand, ctx.brand.page.margins_mm
    page_size = tuple(v * mm for v in brand.page.size_mm)
    doc = BaseDocTemplate(stream, pagesize=page_size, leftMargin=margins.left * mm, rightMargin=margins.right * mm,
                          topMargin=margins.top * mm, bottomMargin=margins.bottom * mm, invariant=True,
                          initialFontName=ctx.fonts.regular)
    doc.context = ctx
    top = writer._band_height(brand) + 9 * mm
    height = page_size[1] - margins.bottom * mm
    first = Frame(margins.left * mm, margins.bottom * mm, ctx.width, height - top, id="premiere",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(margins.left * mm, margins.bottom * mm, ctx.width, height - margins.top * mm, id="suite",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("premiere", [first], onPage=writer._draw_band),
                          PageTemplate("suite", [later], onPage=writer._draw_top_rule)])
    return doc


def _numbered_canvas(ctx):
    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                writer._draw_page_number(self, ctx, len(self._pages))
                super().showPage()
            super().save()

    return NumberedCanvas


def source_typst(document, brand) -> str:
    """The document's text as Typst source, with the same page and furniture."""
    colours, margins = brand.colours, brand.page.margins_mm
    width, height = brand.page.size_mm
    lines = [
        f'#set page(width: {width}mm, height: {height}mm, margin: (left: {margins.left}mm, right: '
        f'{margins.right}mm, top: {margins.top}mm, bottom: {margins.bottom}mm),',
        f'  background: context {{ if counter(page).get().first() == 1 {{ place(top + left, rect(width: 100%, '
        f'height: {margins.top * 0.8}mm, fill: rgb("{colours.dark}"), inset: (left: {margins.left}mm, top: 6mm))['
        f'#text(fill: white, weight: "bold")[Immigration, Francisation et Intégration #h(1em) Québec]]) }} }},',
        f'  header: context {{ if counter(page).get().first() > 1 {{ line(length: 100%, stroke: 1.5pt + '
        f'rgb("{colours.primary}")) }} }},',
        '  footer: context [#line(length: 100%, stroke: 0.6pt + rgb("' + colours.primary + '")) #align(right)['
        'Page #counter(page).display() de #counter(page).final().first()]])',
        f'#set text(font: "Roboto", lang: "fr", hyphenate: true, size: {brand.sizes.body}pt)',
        f'#show heading: set text(fill: rgb("{colours.primary}"))',
    ]
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append("=" * block.level + " " + _typst_text(plain_text(block.inlines)))
        elif isinstance(block, (BulletList, Contacts)):
            lines.extend("- " + _typst_text(text) for text in block_texts([block]))
        elif isinstance(block, KeyFigures):
            cells = ", ".join(f"[*{_typst_text(item.value)}*], [{_typst_text(plain_text(item.label))}]"
                              for item in block.items)
            lines.append(f'#block(fill: rgb("{colours.accent_background}"), inset: 8pt, grid(columns: 2, '
                         f'gutter: 8pt, {cells}))')
        elif isinstance(block, (Paragraph, Quote)):
            lines.extend(_typst_text(text) + "\n" for text in block_texts([block]))
    return "\n".join(lines) + "\n"


def _typst_text(value: str) -> str:
    return "".join("\\" + c if c in "\\#*_`$@<>[]=-+/~'\"" else c for c in value)
