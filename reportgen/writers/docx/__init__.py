"""The document model -> an editable Word file (python-docx).

Formatting lives in named styles built from the brand tokens (``styles``), so
staff can restyle the document in Word. One function per node type
(``_BLOCK_RENDERERS``). What every report of a brand shares — styles, page, band,
embedded fonts, settings — is a template built with python-docx once (``_template``);
a report builds only its body's XML, over a copy of the template's few bytes of
``document.xml``, and its own parts (``parts``: links, pictures, properties); ``zipper``
puts them before the template's entries, copied as they are.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import BinaryIO, Callable

import docx
from docx.blkcntnr import BlockItemContainer
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.document import CT_Body
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.section import Section
from docx.shape import InlineShape
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import SubElement

from ...brand import Brand
from ...model import (
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
    proper_noun_spans,
)
from . import template_cache
from .package import embed_fonts, finish_template, set_core_properties
from .parts import CORE, DOCUMENT, DOCUMENT_RELS, OwnParts, Pristine, read_pristine
from .styles import (
    _PPR_ORDER,
    STYLE_NAMES,
    define_styles,
    insert_paragraph_property,
    paragraph_border,
)
from .zipper import (
    FIRST_ENTRIES,
    CompressedEntry,
    LaidOut,
    assemble,
    compress,
    compress_recurring,
    compressed_entries,
    lay_out,
    package_entries,
    zip_entries,
)

__all__ = ["write_docx", "STYLE_NAMES"]



@dataclass
class _Context:
    """The template being built: python-docx's document, the brand and the style ids."""
    doc: docx.document.Document
    brand: Brand
    style_ids: dict[str, str]

    def set_style(self, paragraph: DocxParagraph, role: str) -> None:
        """Name the paragraph's style by id (python-docx's lookup by name rescans every style)."""
        if role == "body":
            return
        if paragraph._p.pPr is not None:
            paragraph._p.pPr.style = self.style_ids[role]
            return
        _add_style(paragraph._p, self.style_ids[role])


@dataclass
class _Report:
    """One report being written: its body (``w:body`` without its section properties while
    blocks are added), the brand, its template, and its own links and pictures."""
    body: CT_Body
    brand: Brand
    template: Template
    parts: OwnParts

    @property
    def style_ids(self) -> dict[str, str]:
        return self.template.style_ids

    def paragraph(self, role: str) -> CT_P:
        """A new ``w:p`` of style ``role`` at the end of the body."""
        paragraph = SubElement(self.body, _P)
        if role != "body":
            _add_style(paragraph, self.style_ids[role])
        return paragraph


def _add_style(paragraph: CT_P, style_id: str) -> None:
    """Properties naming the style of a new paragraph, built directly (python-docx's
    schema-ordered insertion searches every possible sibling)."""
    properties = paragraph.makeelement(_PPR, {})
    SubElement(properties, _PSTYLE, {_VAL: style_id})
    paragraph.insert(0, properties)


# ---------------------------------------------------------------- inlines

#: Inside a name in a title, Word may not break the line at the hyphen.
NON_BREAKING_HYPHEN = "\u2011"
#: Nor after the en dash that joins two names: Word and LibreOffice break no line at U+2060.
WORD_JOINER = "\u2060"
_JOINED_BY_EN_DASH = re.compile("(?<=\\w)\u2013(?=\\w)")

#: Clark names of what the body is made of (``qn`` parses the prefix on every call).
_P, _PPR, _PSTYLE, _R, _RPR, _T, _BR, _VAL = (qn(tag) for tag in (
    "w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:t", "w:br", "w:val"))
_RSTYLE, _BOLD, _ITALIC, _NO_PROOF, _HYPERLINK = (qn(tag) for tag in (
    "w:rStyle", "w:b", "w:i", "w:noProof", "w:hyperlink"))
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"

#: Proper-noun spans by text: a batch writes the layout's same sentences for every report.
_spans = lru_cache(maxsize=4096)(proper_noun_spans)


def _add_text(parent, text: str, bold: bool = False, italic: bool = False, style_id: str = "") -> None:
    """Runs for ``text``: its proper nouns in runs of their own that Word does not hyphenate
    (``w:noProof``, which Word and LibreOffice also leave unhyphenated)."""
    start = 0
    for begin, end in _spans(text):
        if begin > start:
            _add_run(parent, text[start:begin], bold, italic, style_id)
        _add_run(parent, text[begin:end], bold, italic, style_id, whole=True)
        start = end
    if start < len(text) or not text:
        _add_run(parent, text[start:], bold, italic, style_id)


def _add_run(parent, text: str, bold: bool = False, italic: bool = False, style_id: str = "",
             whole: bool = False) -> None:
    """A ``w:r`` with its text, built directly: python-docx's ``Run.text`` setter walks the text
    character by character looking for tabs and line breaks, which our text never holds here.
    ``whole``: a proper noun, never hyphenated."""
    run = SubElement(parent, _R)
    if bold or italic or style_id or whole:
        properties = SubElement(run, _RPR)
        if style_id:
            SubElement(properties, _RSTYLE, {_VAL: style_id})
        for wanted, tag in ((bold, _BOLD), (italic, _ITALIC), (whole, _NO_PROOF)):
            if wanted:
                SubElement(properties, tag)
    content = SubElement(run, _T)
    content.text = text
    if text != text.strip():
        content.set(_PRESERVE, "preserve")


def _add_inlines(paragraph: CT_P, inlines: tuple[Inline, ...], ctx: _Report,
                 bold: bool = False, italic: bool = False) -> None:
    for node in inlines:
        if isinstance(node, Text):
            _add_text(paragraph, node.text, bold, italic)
        elif isinstance(node, LineBreak):
            SubElement(SubElement(paragraph, _R), _BR)
        elif isinstance(node, Emph):
            _add_inlines(paragraph, node.children, ctx, bold, True)
        elif isinstance(node, Strong):
            _add_inlines(paragraph, node.children, ctx, True, italic)
        elif isinstance(node, Link):
            _add_hyperlink(paragraph, node, ctx, bold, italic)


def _add_hyperlink(paragraph: CT_P, node: Link, ctx: _Report, bold: bool, italic: bool) -> None:
    """A real w:hyperlink (python-docx has no API for it) whose runs use the Hyperlink style."""
    link = SubElement(paragraph, _HYPERLINK, {qn("r:id"): ctx.parts.hyperlink(node.url), qn("w:history"): "1"})
    for child in node.children:
        if isinstance(child, Text):
            _add_text(link, child.text, bold, italic, ctx.style_ids["link"])
        else:  # emphasis inside a link: rare, built the general way then restyled
            holder = OxmlElement("w:p")
            _add_inlines(holder, (child,), ctx, bold, italic)
            for run in holder.r_lst:
                run.get_or_add_rPr().style = ctx.style_ids["link"]
                link.append(run)


# ---------------------------------------------------------------- blocks

def _para(ctx: _Report, role: str, inlines: tuple[Inline, ...] = ()) -> CT_P:
    paragraph = ctx.paragraph(role)
    _add_inlines(paragraph, inlines, ctx)
    return paragraph


def _heading(block: Heading, ctx: _Report) -> None:
    heading = _para(ctx, {1: "title", 2: "h2"}.get(block.level, "h3"), block.inlines)
    _names_unbroken(heading)


def _names_unbroken(paragraph: CT_P) -> None:
    """A title is never broken inside a name: the hyphens of its proper nouns (the runs
    marked ``w:noProof``) become non-breaking (U+2011), and an en dash that joins two names
    (« Gaspésie–Îles-de-la-Madeleine ») is followed by a word joiner (U+2060)."""
    for run in paragraph.iter(_R):
        name = run.find(f"{_RPR}/{_NO_PROOF}") is not None
        for text in run.iter(_T):
            if name:
                text.text = text.text.replace("-", NON_BREAKING_HYPHEN)
            text.text = _JOINED_BY_EN_DASH.sub("\u2013" + WORD_JOINER, text.text)


#: Each paragraph property's rank in the schema's order, by Clark name.
_PPR_RANK = {qn(tag): rank for rank, tag in enumerate(_PPR_ORDER)}
_KEEP_NEXT, _KEEP_LINES = qn("w:keepNext"), qn("w:keepLines")


def _keep(paragraph: CT_P, flag: str) -> None:
    """Set ``flag`` (``w:keepNext``: with the next paragraph; ``w:keepLines``: on one page)
    once, at its place in the schema's order (python-docx's insertion searches every
    possible sibling for each)."""
    properties = paragraph.find(_PPR)
    if properties is None:
        properties = paragraph.makeelement(_PPR, {})
        paragraph.insert(0, properties)
    if properties.find(flag) is not None:
        return
    rank = _PPR_RANK[flag]
    before = sum(1 for child in properties if _PPR_RANK.get(child.tag, len(_PPR_RANK)) < rank)
    properties.insert(before, properties.makeelement(flag, {}))


def _paragraph(block: Paragraph, ctx: _Report) -> None:
    paragraph = _para(ctx, block.role if block.role in STYLE_NAMES else "body", block.inlines)
    if is_lead_in(block):
        _keep(paragraph, _KEEP_NEXT)


def _bullet_list(block: BulletList, ctx: _Report) -> None:
    paragraphs = [_para(ctx, "bullet", item) for item in block.items]
    if len(paragraphs) <= KEEP_TOGETHER_UP_TO:  # a short list is never split across pages
        for paragraph in paragraphs:
            _keep(paragraph, _KEEP_LINES)
        for paragraph in paragraphs[:-1]:
            _keep(paragraph, _KEEP_NEXT)


def _quote(block: Quote, ctx: _Report) -> None:
    _para(ctx, "quote", block.inlines)
    if block.attribution:
        _para(ctx, "attribution", (Text("— "),) + block.attribution)


def _key_figures(block: KeyFigures, ctx: _Report) -> None:
    text_width = ctx.template.text_width
    table = CT_Tbl.new_tbl(len(block.items), 2, Emu(text_width))
    ctx.body.append(table)
    table.tblPr.style = ctx.style_ids["figures"]
    _no_header_row(table)
    table.tblPr.autofit = False
    number_width = Pt(ctx.brand.sizes.figure * (0.6 * max(len(i.value) for i in block.items) + 1.2))
    widths = (number_width, text_width - number_width)
    for row, item in zip(table.tr_lst, block.items, strict=True):
        for cell, width in zip(row.tc_lst, widths, strict=True):
            cell.width = width
        value, label = (cell.p_lst[0] for cell in row.tc_lst)
        _add_style(value, ctx.style_ids["figure"])
        _add_style(label, ctx.style_ids["figure_label"])
        _add_inlines(value, (Text(item.value),), ctx)
        _add_inlines(label, item.label, ctx)
    for column, width in zip(table.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    _para(ctx, "body")


def _no_header_row(table: CT_Tbl) -> None:
    """Every row of the key figures is a figure: none is a header row or a header column
    (python-docx's default look declares both, and readers announce « 11 » as a heading)."""
    look = table.tblPr.find(qn("w:tblLook"))
    for flag in ("w:firstRow", "w:lastRow", "w:firstColumn", "w:lastColumn"):
        look.set(qn(flag), "0")
    look.set(qn("w:noHBand"), "1")
    look.set(qn("w:noVBand"), "1")
    look.set(qn("w:val"), "0600")


def _contacts(block: Contacts, ctx: _Report) -> None:
    for line in block.lines:
        paragraph = _para(ctx, "contact")
        _add_inlines(paragraph, (Strong((Text(f"{line.label}\u00a0:"),)), Text(" ")) + line.value, ctx)


def _signature(block: Signature, ctx: _Report) -> None:
    official = ctx.brand.official_signature
    if official:
        data, width = official.read_bytes(), 60 * 72 / 25.4
    else:
        data, width = ctx.template.signature_png, ctx.template.signature_width
    picture = ctx.parts.picture(io.BytesIO(data), Pt(width))
    _add_picture(_para(ctx, "signature"), picture, ctx.brand.signature.description)


def _image(block: Image, ctx: _Report) -> None:
    """A picture at most the text's width, with its alternative text."""
    inline = ctx.parts.picture(block.src)
    picture, text_width = InlineShape(inline), ctx.template.text_width
    if picture.width > text_width:
        picture.height = int(picture.height * text_width / picture.width)
        picture.width = text_width
    _add_picture(_para(ctx, "body"), inline, block.alt)


def _add_picture(paragraph: CT_P, inline: CT_Inline, description: str) -> None:
    """``inline`` in a run of its own at the end of ``paragraph``, with its alternative text."""
    SubElement(paragraph, _R).add_drawing(inline)
    _describe(InlineShape(inline), description)


def _page_break(block: PageBreak, ctx: _Report) -> None:
    SubElement(SubElement(ctx.paragraph("body"), _R), _BR, {qn("w:type"): "page"})


_BLOCK_RENDERERS: dict[type, Callable[[Block, _Report], None]] = {
    Heading: _heading, Paragraph: _paragraph, BulletList: _bullet_list, Quote: _quote,
    KeyFigures: _key_figures, Contacts: _contacts, Signature: _signature, Image: _image,
    PageBreak: _page_break,
}


def _describe(picture, description: str) -> None:
    """The alternative text a screen reader announces for an image."""
    picture._inline.docPr.set("descr", description)


def _keep_with_next(elements) -> None:
    """The signature never stands alone on a page: the block before it keeps with it."""
    for element in elements:
        if element.tag == _P:
            _keep(element, _KEEP_NEXT)


# ---------------------------------------------------------------- page

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


def _page_x_of_y(footer, ctx: _Context) -> None:
    paragraph = footer.paragraphs[0]
    ctx.set_style(paragraph, "footer")
    paragraph.alignment = 2  # right
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" de ")
    _field(paragraph, "NUMPAGES", "1")


def _setup_page(ctx: _Context, band_image: tuple[bytes, float, float]) -> None:
    """Page size and margins; the band on the first page, a brand rule on the others,
    "Page X de Y" in every footer."""
    brand, section = ctx.brand, ctx.doc.sections[0]
    width, height = brand.page.size_mm
    margins = brand.page.margins_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.bottom_margin = Mm(margins.bottom)
    section.header_distance, section.footer_distance = Mm(0), Mm(margins.bottom * 0.4)
    band, band_width, band_height = band_image
    section.top_margin = Pt(band_height) + Mm(9)
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    ctx.set_style(first, "header")
    first.paragraph_format.left_indent = -Mm(margins.left)
    first.paragraph_format.right_indent = -Mm(margins.right)
    first.paragraph_format.line_spacing = 1.0  # an exact line height would clip the band
    first.paragraph_format.space_after = Pt(0)
    _describe(first.add_run().add_picture(io.BytesIO(band), width=Pt(band_width)), ctx.brand.signature.description)
    later = section.header.paragraphs[0]
    ctx.set_style(later, "header")
    later.paragraph_format.space_before = Mm(margins.top * 0.45)
    insert_paragraph_property(later._p.get_or_add_pPr(), paragraph_border("bottom", 12, 1, brand.colours.primary))
    for footer in (section.first_page_footer, section.footer):
        _page_x_of_y(footer, ctx)


# ---------------------------------------------------------------- template and entry point

@dataclass(frozen=True)
class Template:
    """A brand's Word template: the whole package (where each report's own parts start
    from), its entries that no report changes zipped once, their names, and the style ids
    by role."""
    package: bytes
    static_zip: bytes
    static_names: frozenset[str]
    style_ids: dict[str, str]
    signature_png: bytes
    signature_width: float

    @cached_property
    def first_free_drawing_id(self) -> int:
        """The first drawing id (``wp:docPr id``) the headers and footers leave free: a Word
        file's drawings need ids unique across all its parts, or Word repairs it."""
        import zipfile
        with zipfile.ZipFile(io.BytesIO(self.package)) as archive:
            ids = [int(found) for name in archive.namelist() if name.startswith(("word/header", "word/footer"))
                   for found in re.findall(rb'<wp:docPr id="(\d+)"', archive.read(name))]
        return max(ids, default=0) + 1

    @cached_property
    def pristine(self) -> Pristine:
        """The parts a report changes, as the template has them (read once per process)."""
        return read_pristine(self.package)

    @cached_property
    def text_width(self) -> int:
        """The width between the margins, in EMU."""
        section = Section(self.new_body().sectPr, None)
        return section.page_width - section.left_margin - section.right_margin

    def new_body(self) -> CT_Body:
        """A new copy of the template's (empty) body, parsed from its few bytes."""
        return parse_xml(self.pristine.document_xml).body

    @cached_property
    def static_entries(self) -> list[CompressedEntry]:
        """The unchanging entries, compressed once, ready to copy into each report's archive."""
        return compressed_entries(self.static_zip)

    @cached_property
    def static_block(self) -> LaidOut:
        """The unchanging entries laid out once, as they stand in every (non-draft) report."""
        return lay_out(self.static_entries)


#: Entries every report rewrites: its body, its properties, and the lists of both.
_PER_REPORT = {*FIRST_ENTRIES, "docProps/core.xml"}
_TEMPLATES: dict[tuple, Template] = {}


def _template(brand: Brand) -> Template:
    """The brand's template: built on first use, kept for the process and in the disk cache
    (a new process, such as each cold ``reportgen build``, reads it in a few milliseconds).
    A brand file changed on disk (a font replaced under a running atelier) makes another."""
    key = _template_key(brand)
    if key not in _TEMPLATES:
        cached = template_cache.load(brand)
        if cached is None:
            cached = _build_template(brand)
            template_cache.save(brand, cached)
        while len(_TEMPLATES) >= _TEMPLATES_KEPT:
            del _TEMPLATES[next(iter(_TEMPLATES))]  # the oldest
        _TEMPLATES[key] = cached
    return _TEMPLATES[key]


#: Templates a process keeps (each holds the brand's fonts: a few megabytes).
_TEMPLATES_KEPT = 4


def _template_key(brand: Brand) -> tuple:
    """The brand's tokens and the size and date of each of its files."""
    stamps = []
    for path in brand.files():
        status = path.stat()
        stamps.append((str(path), status.st_size, status.st_mtime_ns))
    return brand.model_dump_json(), tuple(stamps)


def _build_template(brand: Brand) -> Template:
    from .raster import (  # Pillow: only when the template is not cached
        band_png,
        signature_png,
    )
    doc = docx.Document()
    define_styles(doc, brand)
    style_ids = {role: doc.styles[name].style_id for role, name in STYLE_NAMES.items()}
    _setup_page(_Context(doc, brand, style_ids), band_png(brand))
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    embed_fonts(doc, brand)
    finish_template(doc)
    entries = package_entries(doc.part.package)
    static = [(name, blob) for name, blob in entries if name not in _PER_REPORT]
    signature, width, _ = signature_png(brand)
    # The whole package is stored uncompressed: each process reads a few of its entries back.
    return Template(zip_entries(entries, compress=False), zip_entries(static), frozenset(name for name, _ in static),
                    style_ids, signature, width)


def _number_drawings(body, first: int) -> None:
    """Give the body's drawings ids after those of the headers (python-docx numbers each part
    from 1, so the band in the header and the first picture of the body both had id 1)."""
    for number, properties in enumerate(body.iter(qn("wp:docPr")), start=first):
        properties.set("id", str(number))


def _core_properties(document: Document, brand: Brand, pristine: Pristine) -> bytes:
    """``docProps/core.xml`` of ``document``, from the template's."""
    element = parse_xml(pristine.core_xml)
    set_core_properties(CoreProperties(element), document, brand)
    return serialize_part_xml(element)


def _marked_draft(header_xml: bytes) -> bytes:
    """A header with « BROUILLON » in bold red capitals below what it holds."""
    header = BlockItemContainer(parse_xml(header_xml), None)
    paragraph = header.add_paragraph()
    paragraph.alignment = 1  # centred
    run = paragraph.add_run(DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    return serialize_part_xml(header._element)


def _archive(ctx: _Report, document: Document) -> list[bytes]:
    """The report's Word file, as chunks to write in turn: its own entries first (see
    ``zipper``), then those it shares with its template (a draft's headers are its own,
    marked « BROUILLON » on every page)."""
    pristine, own = ctx.template.pristine, ctx.parts
    first = [compress_recurring("[Content_Types].xml", own.content_types()),
             compress_recurring("_rels/.rels", pristine.package_rels),
             compress(DOCUMENT, serialize_part_xml(ctx.body.getparent())), compress(DOCUMENT_RELS, own.rels_xml())]
    core = compress(CORE, _core_properties(document, ctx.brand, pristine))
    pictures = [compress_recurring(name, blob) for name, blob in own.picture_entries()]
    if not document.draft:
        return assemble([first, ctx.template.static_block, [core] + pictures])
    headers = {name.encode(): compress(name, _marked_draft(blob)) for name, blob in pristine.headers.items()}
    return assemble([first + [core] + [headers.get(entry.name, entry) for entry in ctx.template.static_entries]
                     + pictures])


def write_docx(document: Document, brand: Brand, target: Path | BinaryIO) -> None:
    """Render ``document`` with ``brand`` as a Word file into ``target`` (a path or a binary file).

    The same document and brand always give the same bytes.
    """
    template = _template(brand)
    ctx = _Report(template.new_body(), brand, template, OwnParts(template.pristine))
    body = ctx.body
    section = body[-1]  # the section properties stay last: set aside while blocks are added
    body.remove(section)
    previous_start = 0
    for block in document.blocks:
        if isinstance(block, Signature):
            _keep_with_next(body[previous_start:])
        previous_start = len(body)
        _BLOCK_RENDERERS[type(block)](block, ctx)
    body.append(section)
    _number_drawings(body, template.first_free_drawing_id)
    chunks = _archive(ctx, document)
    if isinstance(target, Path):
        with target.open("wb") as out:
            out.writelines(chunks)
    else:
        target.writelines(chunks)
