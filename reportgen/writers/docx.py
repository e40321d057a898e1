"""The document model -> an editable Word file (python-docx).

Formatting lives in named styles built from the brand tokens (Title, Heading 1/2,
List Bullet, Quote, and the ministry's own styles), so staff can restyle the
document in Word. One function per node type (``_BLOCK_RENDERERS``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

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

__all__ = ["write_docx", "STYLE_NAMES"]

#: Model roles -> Word style names (built-in names stay English: Word translates them).
STYLE_NAMES = {
    "title": "Title", "h2": "Heading 1", "h3": "Heading 2", "body": "Normal",
    "bullet": "List Bullet", "quote": "Quote", "attribution": "Attribution",
    "ministere": "Ministère", "dateline": "Date de publication",
    "figure": "Chiffre clé", "figure_label": "Libellé de chiffre clé",
    "contact": "Coordonnées", "signature": "Signature du Ministère", "wordmark": "Mot-symbole",
    "link": "Hyperlink",
}


# ---------------------------------------------------------------- styles

def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _set_font(style, family: str) -> None:
    """Name the family for every script slot, so Word never substitutes another font."""
    style.font.name = family
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), family)
    # The template's theme fonts (asciiTheme…) would override the family named above.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _paragraph_style(doc, name: str, base: str | None = None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base or "Normal"]
    style.quick_style = True
    return style


def _define_styles(doc, brand: Brand) -> None:
    c, s, sp = brand.colours, brand.sizes, brand.spacing
    normal = doc.styles["Normal"]
    _set_font(normal, brand.fonts.family)
    normal.font.size = Pt(s.body)
    normal.font.color.rgb = _rgb(c.text)
    normal.paragraph_format.space_after = Pt(sp.after_paragraph)
    normal.paragraph_format.line_spacing = Pt(s.leading)
    normal.paragraph_format.widow_control = True

    def configure(role, size=None, colour=None, bold=None, italic=None, before=None, after=None,
                  keep=False, base=None):
        style = _paragraph_style(doc, STYLE_NAMES[role], base)
        _set_font(style, brand.fonts.family)
        style.font.size = Pt(size) if size else None
        style.font.color.rgb = _rgb(colour) if colour else None
        style.font.bold, style.font.italic = bold, italic
        fmt = style.paragraph_format
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        fmt.keep_with_next = keep or None
        if size:
            fmt.line_spacing = Pt(size * 1.25)
        return style

    title = configure("title", s.title, c.dark, bold=False, before=0, after=4, keep=True)
    _remove_children(title.element.get_or_add_pPr(), "w:pBdr")  # the template's rule under the title
    _remove_children(title.element.get_or_add_rPr(), "w:spacing", "w:kern")
    configure("h2", s.section, c.primary, bold=True, before=sp.before_section, after=sp.after_section, keep=True)
    configure("h3", s.subsection, c.dark, bold=True, before=sp.before_section * 0.75,
              after=sp.after_section, keep=True)
    configure("ministere", s.subsection, c.primary, bold=True, after=s.body * 1.6)
    configure("dateline", s.small, c.muted, bold=True, after=s.body)
    bullet = configure("bullet", after=sp.after_paragraph * 0.4)
    bullet.paragraph_format.left_indent = Pt(sp.list_indent)
    bullet.paragraph_format.first_line_indent = Pt(-sp.list_indent * 0.75)
    configure("quote", s.body * 1.1, c.dark, italic=True, after=4)
    configure("attribution", s.small * 1.1, c.muted, italic=False, after=sp.after_paragraph, base="Normal")
    configure("figure", s.figure, c.dark, bold=True, before=4, after=4)
    configure("figure_label", s.body * 0.95, before=4, after=4)
    configure("contact", after=2)
    configure("signature", s.body * 1.05, c.dark, bold=True, before=s.leading * 1.5, after=0, keep=True)
    configure("wordmark", s.body * 2.1, c.dark, bold=True, after=0)
    link = doc.styles.add_style(STYLE_NAMES["link"], WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _rgb(c.primary)
    link.font.underline = True
    _shade_quote_style(doc, brand)


def _remove_children(element, *tags: str) -> None:
    for tag in tags:
        for child in element.findall(qn(tag)):
            element.remove(child)


def _shade_quote_style(doc, brand: Brand) -> None:
    """The quote's tinted background and left bar, as paragraph-style properties."""
    ppr = doc.styles[STYLE_NAMES["quote"]].element.get_or_add_pPr()
    _append_border_and_shade(ppr, brand)
    ppr_attr = doc.styles[STYLE_NAMES["attribution"]].element.get_or_add_pPr()
    _append_border_and_shade(ppr_attr, brand)


def _append_border_and_shade(ppr, brand: Brand) -> None:
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"),
                       ("w:color", brand.colours.primary.lstrip("#"))):
        left.set(qn(key), value)
    borders.append(left)
    ppr.append(borders)
    ppr.append(_shading(brand.colours.accent_background))
    indent = OxmlElement("w:ind")
    indent.set(qn("w:left"), "240")
    indent.set(qn("w:right"), "240")
    ppr.append(indent)


def _shading(hex_colour: str):
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), hex_colour.lstrip("#"))
    return shade


# ---------------------------------------------------------------- inlines

@dataclass
class _Context:
    doc: docx.document.Document
    brand: Brand


def _add_inlines(paragraph: DocxParagraph, inlines: tuple[Inline, ...], ctx: _Context,
                 bold: bool = False, italic: bool = False) -> None:
    for node in inlines:
        if isinstance(node, Text):
            run = paragraph.add_run(node.text)
            if bold:
                run.bold = True
            if italic:
                run.italic = True
        elif isinstance(node, LineBreak):
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif isinstance(node, Emph):
            _add_inlines(paragraph, node.children, ctx, bold, True)
        elif isinstance(node, Strong):
            _add_inlines(paragraph, node.children, ctx, True, italic)
        elif isinstance(node, Link):
            _add_hyperlink(paragraph, node, ctx, bold, italic)


def _add_hyperlink(paragraph: DocxParagraph, node: Link, ctx: _Context, bold: bool, italic: bool) -> None:
    """A real w:hyperlink (python-docx has no API for it) whose runs use the Hyperlink style."""
    rel_id = paragraph.part.relate_to(node.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    link.set(qn("w:history"), "1")
    holder = DocxParagraph(OxmlElement("w:p"), paragraph._parent)
    _add_inlines(holder, node.children, ctx, bold, italic)
    for run in holder.runs:
        run.style = ctx.doc.styles[STYLE_NAMES["link"]]
        link.append(run._r)
    paragraph._p.append(link)


# ---------------------------------------------------------------- blocks

def _para(ctx: _Context, role: str, inlines: tuple[Inline, ...] = ()) -> DocxParagraph:
    paragraph = ctx.doc.add_paragraph(style=ctx.doc.styles[STYLE_NAMES[role]])
    _add_inlines(paragraph, inlines, ctx)
    return paragraph


def _heading(block: Heading, ctx: _Context) -> None:
    _para(ctx, {1: "title", 2: "h2"}.get(block.level, "h3"), block.inlines)


def _paragraph(block: Paragraph, ctx: _Context) -> None:
    paragraph = _para(ctx, block.role if block.role in STYLE_NAMES else "body", block.inlines)
    if is_lead_in(block):
        paragraph.paragraph_format.keep_with_next = True


def _bullet_list(block: BulletList, ctx: _Context) -> None:
    for item in block.items:
        _para(ctx, "bullet", item)


def _quote(block: Quote, ctx: _Context) -> None:
    _para(ctx, "quote", block.inlines)
    if block.attribution:
        _para(ctx, "attribution", (Text("— "),) + block.attribution)


def _key_figures(block: KeyFigures, ctx: _Context) -> None:
    table = ctx.doc.add_table(rows=len(block.items), cols=2)
    table.autofit = False
    section = ctx.doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    number_width = Pt(ctx.brand.sizes.figure * (0.6 * max(len(i.value) for i in block.items) + 1.2))
    for row, item in zip(table.rows, block.items, strict=True):
        for cell, width in zip(row.cells, (number_width, text_width - number_width), strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell._tc.get_or_add_tcPr().append(_shading(ctx.brand.colours.accent_background))
        value, label = row.cells[0].paragraphs[0], row.cells[1].paragraphs[0]
        value.style = ctx.doc.styles[STYLE_NAMES["figure"]]
        label.style = ctx.doc.styles[STYLE_NAMES["figure_label"]]
        _add_inlines(value, (Text(item.value),), ctx)
        _add_inlines(label, item.label, ctx)
    for column, width in zip(table.columns, (number_width, text_width - number_width), strict=True):
        column.width = width
    _para(ctx, "body")


def _contacts(block: Contacts, ctx: _Context) -> None:
    for line in block.lines:
        paragraph = _para(ctx, "contact")
        _add_inlines(paragraph, (Strong((Text(f"{line.label}\u00a0:"),)), Text(" ")) + line.value, ctx)


def _signature(block: Signature, ctx: _Context) -> None:
    official = ctx.brand.official_signature
    if official:
        paragraph = _para(ctx, "signature")
        paragraph.add_run().add_picture(str(official), width=Mm(60))
        return
    paragraph = _para(ctx, "signature")
    for index, line in enumerate(ctx.brand.signature.lines):
        if index:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(line)
    _para(ctx, "wordmark", (Text(ctx.brand.signature.wordmark),))


def _page_break(block: PageBreak, ctx: _Context) -> None:
    ctx.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


_BLOCK_RENDERERS: dict[type, Callable[[Block, _Context], None]] = {
    Heading: _heading, Paragraph: _paragraph, BulletList: _bullet_list, Quote: _quote,
    KeyFigures: _key_figures, Contacts: _contacts, Signature: _signature, PageBreak: _page_break,
}


# ---------------------------------------------------------------- page and properties

def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) showing ``placeholder`` until Word updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _setup_page(ctx: _Context) -> None:
    brand, section = ctx.brand, ctx.doc.sections[0]
    width, height = brand.page.size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    margins = brand.page.margins_mm
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    footer = section.footer.paragraphs[0]
    footer.style = ctx.doc.styles["Footer"]
    footer.alignment = 2  # right
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" de ")
    _field(footer, "NUMPAGES", "1")
    header = section.header.paragraphs[0]
    header.style = ctx.doc.styles["Header"]
    header.add_run(brand.organisation)
    for style_name in ("Header", "Footer"):
        style = ctx.doc.styles[style_name]
        _set_font(style, brand.fonts.family)
        style.font.size = Pt(brand.sizes.small)
        style.font.color.rgb = _rgb(brand.colours.muted)


def _set_properties(ctx: _Context, document: Document) -> None:
    props = ctx.doc.core_properties
    props.title = document.title
    props.subject = document.subject
    props.author = ctx.brand.organisation
    props.last_modified_by = ctx.brand.organisation
    props.keywords = ", ".join(document.keywords)
    props.language = "fr-CA"
    props.comments = f"Produit par reportgen {__version__}"


def _keep_with_next(elements) -> None:
    """The signature never stands alone on a page: the block before it keeps with it."""
    for element in elements:
        if element.tag == qn("w:p"):
            element.get_or_add_pPr().append(OxmlElement("w:keepNext"))


def write_docx(document: Document, brand: Brand, target: Path | BinaryIO) -> None:
    """Render ``document`` with ``brand`` as a Word file into ``target`` (a path or a binary file)."""
    ctx = _Context(docx.Document(), brand)
    _define_styles(ctx.doc, brand)
    _setup_page(ctx)
    _set_properties(ctx, document)
    body = ctx.doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    previous_start = 0
    for block in document.blocks:
        before = len(body) - 1  # the section properties stay last
        if isinstance(block, Signature):
            _keep_with_next(list(body)[previous_start:before])
        previous_start = before
        _BLOCK_RENDERERS[type(block)](block, ctx)
    ctx.doc.save(str(target) if isinstance(target, Path) else target)
