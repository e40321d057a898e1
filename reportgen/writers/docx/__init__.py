"""The document model -> an editable Word file (python-docx).

Formatting lives in named styles built from the brand tokens (``styles``), so
staff can restyle the document in Word. One function per node type
(``_BLOCK_RENDERERS``). What every report of a brand shares — styles, page, band,
embedded fonts, settings — is a template built once per process (``_template``);
a report loads it, adds its body and properties, and is zipped by ``zipper``.
"""
from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Callable

import docx
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

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
from .styles import (
    STYLE_NAMES,
    define_styles,
    insert_paragraph_property,
    paragraph_border,
)
from .zipper import FIRST_ENTRIES, assemble, compress, compressed_entries, package_entries, zip_entries

__all__ = ["write_docx", "STYLE_NAMES"]



@dataclass
class _Context:
    doc: docx.document.Document
    brand: Brand
    style_ids: dict[str, str]
    template: Template | None = None

    def set_style(self, paragraph: DocxParagraph, role: str) -> None:
        """Name the paragraph's style by id (python-docx's lookup by name rescans every style)."""
        if role == "body":
            return
        if paragraph._p.pPr is not None:
            paragraph._p.pPr.style = self.style_ids[role]
            return
        # A new paragraph: its properties built directly (python-docx's schema-ordered
        # insertion searches every possible sibling, a third of the time of a report).
        properties, style = OxmlElement("w:pPr"), OxmlElement("w:pStyle")
        style.set(qn("w:val"), self.style_ids[role])
        properties.append(style)
        paragraph._p.insert(0, properties)


# ---------------------------------------------------------------- inlines

#: Inside a name in a title, Word may not break the line at the hyphen.
NON_BREAKING_HYPHEN = "\u2011"
#: Nor after the en dash that joins two names: Word and LibreOffice break no line at U+2060.
WORD_JOINER = "\u2060"
_JOINED_BY_EN_DASH = re.compile("(?<=\\w)\u2013(?=\\w)")


def _add_text(parent, text: str, bold: bool = False, italic: bool = False, style_id: str = "") -> None:
    """Runs for ``text``: its proper nouns in runs of their own that Word does not hyphenate
    (``w:noProof``, which Word and LibreOffice also leave unhyphenated)."""
    start = 0
    for begin, end in proper_noun_spans(text):
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
    run = OxmlElement("w:r")
    if bold or italic or style_id or whole:
        properties = OxmlElement("w:rPr")
        for wanted, tag in ((style_id, "w:rStyle"), (bold, "w:b"), (italic, "w:i"), (whole, "w:noProof")):
            if wanted:
                element = OxmlElement(tag)
                if tag == "w:rStyle":
                    element.set(qn("w:val"), style_id)
                properties.append(element)
        run.append(properties)
    content = OxmlElement("w:t")
    content.text = text
    if text != text.strip():
        content.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(content)
    parent.append(run)


def _add_inlines(paragraph: DocxParagraph, inlines: tuple[Inline, ...], ctx: _Context,
                 bold: bool = False, italic: bool = False) -> None:
    for node in inlines:
        if isinstance(node, Text):
            _add_text(paragraph._p, node.text, bold, italic)
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
    for child in node.children:
        if isinstance(child, Text):
            _add_text(link, child.text, bold, italic, ctx.style_ids["link"])
        else:  # emphasis inside a link: rare, built the general way then restyled
            holder = DocxParagraph(OxmlElement("w:p"), paragraph._parent)
            _add_inlines(holder, (child,), ctx, bold, italic)
            for run in holder.runs:
                run._r.get_or_add_rPr().style = ctx.style_ids["link"]
                link.append(run._r)
    paragraph._p.append(link)


# ---------------------------------------------------------------- blocks

def _para(ctx: _Context, role: str, inlines: tuple[Inline, ...] = ()) -> DocxParagraph:
    paragraph = ctx.doc.add_paragraph()
    ctx.set_style(paragraph, role)
    _add_inlines(paragraph, inlines, ctx)
    return paragraph


def _heading(block: Heading, ctx: _Context) -> None:
    heading = _para(ctx, {1: "title", 2: "h2"}.get(block.level, "h3"), block.inlines)
    _names_unbroken(heading)


def _names_unbroken(paragraph: DocxParagraph) -> None:
    """A title is never broken inside a name: the hyphens of its proper nouns (the runs
    marked ``w:noProof``) become non-breaking (U+2011), and an en dash that joins two names
    (« Gaspésie–Îles-de-la-Madeleine ») is followed by a word joiner (U+2060)."""
    for run in paragraph._p.iter(qn("w:r")):
        name = run.find(f"{qn('w:rPr')}/{qn('w:noProof')}") is not None
        for text in run.iter(qn("w:t")):
            if name:
                text.text = text.text.replace("-", NON_BREAKING_HYPHEN)
            text.text = _JOINED_BY_EN_DASH.sub("\u2013" + WORD_JOINER, text.text)


def _paragraph(block: Paragraph, ctx: _Context) -> None:
    paragraph = _para(ctx, block.role if block.role in STYLE_NAMES else "body", block.inlines)
    if is_lead_in(block):
        paragraph.paragraph_format.keep_with_next = True


def _bullet_list(block: BulletList, ctx: _Context) -> None:
    paragraphs = [_para(ctx, "bullet", item) for item in block.items]
    if len(paragraphs) <= KEEP_TOGETHER_UP_TO:  # a short list is never split across pages
        for paragraph in paragraphs:
            paragraph.paragraph_format.keep_together = True
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True


def _quote(block: Quote, ctx: _Context) -> None:
    _para(ctx, "quote", block.inlines)
    if block.attribution:
        _para(ctx, "attribution", (Text("— "),) + block.attribution)


def _key_figures(block: KeyFigures, ctx: _Context) -> None:
    table = ctx.doc.add_table(rows=len(block.items), cols=2)
    table._tbl.tblPr.style = ctx.style_ids["figures"]
    _no_header_row(table)
    table.autofit = False
    section = ctx.doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    number_width = Pt(ctx.brand.sizes.figure * (0.6 * max(len(i.value) for i in block.items) + 1.2))
    widths = (number_width, text_width - number_width)
    for row, item in zip(table.rows, block.items, strict=True):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        value, label = row.cells[0].paragraphs[0], row.cells[1].paragraphs[0]
        ctx.set_style(value, "figure")
        ctx.set_style(label, "figure_label")
        _add_inlines(value, (Text(item.value),), ctx)
        _add_inlines(label, item.label, ctx)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    _para(ctx, "body")


def _no_header_row(table) -> None:
    """Every row of the key figures is a figure: none is a header row or a header column
    (python-docx's default look declares both, and readers announce « 11 » as a heading)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    for flag in ("w:firstRow", "w:lastRow", "w:firstColumn", "w:lastColumn"):
        look.set(qn(flag), "0")
    look.set(qn("w:noHBand"), "1")
    look.set(qn("w:noVBand"), "1")
    look.set(qn("w:val"), "0600")


def _contacts(block: Contacts, ctx: _Context) -> None:
    for line in block.lines:
        paragraph = _para(ctx, "contact")
        _add_inlines(paragraph, (Strong((Text(f"{line.label}\u00a0:"),)), Text(" ")) + line.value, ctx)


def _signature(block: Signature, ctx: _Context) -> None:
    official = ctx.brand.official_signature
    if official:
        data, width = official.read_bytes(), 60 * 72 / 25.4
    else:
        data, width = ctx.template.signature_png, ctx.template.signature_width
    run = _para(ctx, "signature").add_run()
    _describe(run.add_picture(io.BytesIO(data), width=Pt(width)), ctx.brand.signature.description)


def _image(block: Image, ctx: _Context) -> None:
    """A picture at most the text's width, with its alternative text."""
    section = ctx.doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    picture = _para(ctx, "body").add_run().add_picture(block.src)
    if picture.width > text_width:
        picture.height = int(picture.height * text_width / picture.width)
        picture.width = text_width
    _describe(picture, block.alt)


def _page_break(block: PageBreak, ctx: _Context) -> None:
    ctx.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


_BLOCK_RENDERERS: dict[type, Callable[[Block, _Context], None]] = {
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
        if element.tag == qn("w:p"):
            element.get_or_add_pPr().get_or_add_keepNext()


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
    """A brand's Word template: the whole package (for python-docx to load), its entries
    that no report changes zipped once, their names, and the style ids by role."""
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
    def loaded(self) -> docx.document.Document:
        """The package loaded by python-docx, once per process: each report works on a deep
        copy, several times faster than parsing the package again."""
        return docx.Document(io.BytesIO(self.package))

    def new_document(self, draft: bool = False) -> docx.document.Document:
        """A document to fill: the first one of the process is parsed for itself (a one-report
        run keeps no second copy in memory), the next ones are copies of a pristine one. A
        copy shares the parts no report changes (styles, numbering, fonts, headers…) with the
        pristine one and copies only its body and properties: copying them all took a fifth
        of a report's time. A draft writes « BROUILLON » in its headers: it copies them all."""
        if not self.__dict__.get("_first_given"):
            object.__setattr__(self, "_first_given", True)
            return docx.Document(io.BytesIO(self.package))
        return copy.deepcopy(self.loaded, {} if draft else dict(self._unchanging_parts))

    @cached_property
    def _unchanging_parts(self) -> dict[int, object]:
        """The pristine document's parts a (non-draft) report leaves as they are, as a ``deepcopy``
        memo: each is its own copy."""
        return {id(part): part for part in self.loaded.part.package.iter_parts()
                if part.partname.membername not in _PER_REPORT}

    @cached_property
    def static_entries(self):
        """The unchanging entries, compressed once, ready to copy into each report's archive."""
        return compressed_entries(self.static_zip)


#: Entries every report rewrites: its body, its properties, and the lists of both.
_PER_REPORT = {*FIRST_ENTRIES, "docProps/core.xml"}
_TEMPLATES: dict[str, Template] = {}


def _template(brand: Brand) -> Template:
    """The brand's template: built on first use, kept for the process and in the disk cache
    (a new process, such as each cold ``reportgen build``, reads it in a few milliseconds)."""
    key = brand.model_dump_json()
    if key not in _TEMPLATES:
        cached = template_cache.load(brand)
        if cached is None:
            cached = _build_template(brand)
            template_cache.save(brand, cached)
        _TEMPLATES[key] = cached
    return _TEMPLATES[key]


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
    # The copy python-docx loads for each report is stored uncompressed: inflating the
    # embedded fonts again for every report cost more than all the rest of loading.
    return Template(zip_entries(entries, compress=False), zip_entries(static), frozenset(name for name, _ in static),
                    style_ids, signature, width)


def _number_drawings(body, first: int) -> None:
    """Give the body's drawings ids after those of the headers (python-docx numbers each part
    from 1, so the band in the header and the first picture of the body both had id 1)."""
    for number, properties in enumerate(body.iter(qn("wp:docPr")), start=first):
        properties.set("id", str(number))


def _archive(package, template: Template | None) -> bytes:
    """The report's Word file: its own entries first (see ``zipper``), then those it shares
    with ``template`` (None for a draft, whose headers changed too: every entry is its own)."""
    own = dict(package_entries(package, skip=template.static_names if template else frozenset()))
    first = [compress(name, own.pop(name)) for name in FIRST_ENTRIES]
    shared = template.static_entries if template else []
    return assemble(first + shared + [compress(name, blob) for name, blob in own.items()])


def _mark_draft(ctx: _Context) -> None:
    """« BROUILLON » in bold red capitals at the top of every page (first and later headers)."""
    section = ctx.doc.sections[0]
    for header in (section.first_page_header, section.header):
        paragraph = header.add_paragraph()
        paragraph.alignment = 1  # centred
        run = paragraph.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)


def write_docx(document: Document, brand: Brand, target: Path | BinaryIO) -> None:
    """Render ``document`` with ``brand`` as a Word file into ``target`` (a path or a binary file).

    The same document and brand always give the same bytes.
    """
    template = _template(brand)
    ctx = _Context(template.new_document(document.draft), brand, template.style_ids, template)
    body = ctx.doc.element.body
    previous_start = 0
    for block in document.blocks:
        before = len(body) - 1  # the section properties stay last
        if isinstance(block, Signature):
            _keep_with_next(list(body)[previous_start:before])
        previous_start = before
        _BLOCK_RENDERERS[type(block)](block, ctx)
    _number_drawings(body, template.first_free_drawing_id)
    set_core_properties(ctx.doc, document, brand)
    if document.draft:  # the headers change: the whole package is written anew
        _mark_draft(ctx)
    data = _archive(ctx.doc.part.package, None if document.draft else template)
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
