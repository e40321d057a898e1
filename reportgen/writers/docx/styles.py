"""Word styles built from the brand tokens: the only place the Word file is formatted.

Built-in styles keep their English names (Word shows them translated); the
ministry's own styles have French names staff will recognise in Word's gallery.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ...brand import Brand

__all__ = ["STYLE_NAMES", "LANGUAGE", "define_styles", "shading", "paragraph_border", "insert_paragraph_property"]

LANGUAGE = "fr-CA"

#: Model roles -> Word style names.
STYLE_NAMES = {
    "title": "Title", "h2": "Heading 1", "h3": "Heading 2", "body": "Normal",
    "bullet": "List Bullet", "quote": "Quote", "attribution": "Attribution",
    "ministere": "Ministère", "dateline": "Date de publication",
    "figure": "Chiffre clé", "figure_label": "Libellé de chiffre clé", "figures": "Chiffres clés",
    "contact": "Coordonnées", "signature": "Signature du Ministère",
    "link": "Hyperlink", "header": "Header", "footer": "Footer",
}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _set_run_defaults(rpr, family: str) -> None:
    """Name the family for every script slot (theme fonts would win otherwise) and the language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), family)
    for lang in rpr.findall(qn("w:lang")):
        rpr.remove(lang)
    lang = OxmlElement("w:lang")
    for slot in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(slot), LANGUAGE)
    rpr.append(lang)


def _inherit_brand_font_everywhere(styles) -> None:
    """The template's own styles (Heading 3, linked character styles…) name theme fonts and
    en-US: drop those so every style inherits the brand font and French from the defaults."""
    for fonts in list(styles.iter(qn("w:rFonts"))):
        for key in [k for k in fonts.attrib if k.lower().endswith("theme")]:
            del fonts.attrib[key]
        if not fonts.attrib:
            fonts.getparent().remove(fonts)
    for lang in list(styles.iter(qn("w:lang"))):
        for slot in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(slot), LANGUAGE)


def _remove_children(element, *tags: str) -> None:
    for tag in tags:
        for child in element.findall(qn(tag)):
            element.remove(child)


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    """The named style, created (based on ``base``) when the template lacks it."""
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, kind)
    if base:
        style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def define_styles(doc, brand: Brand) -> None:
    """Every style the Word writer uses, in the brand's font, colours, sizes and spacing."""
    c, s, sp = brand.colours, brand.sizes, brand.spacing
    _set_run_defaults(doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"),
                      brand.fonts.family)
    _inherit_brand_font_everywhere(doc.styles.element)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(s.body)
    normal.font.color.rgb = _rgb(c.text)
    fmt = normal.paragraph_format
    fmt.space_after, fmt.line_spacing, fmt.widow_control = Pt(sp.after_paragraph), Pt(s.leading), True

    def configure(role, size=None, colour=None, bold=None, italic=None, before=None, after=None,
                  keep=False, base="Normal"):
        style = _style(doc, STYLE_NAMES[role], base=base)
        _set_run_defaults(style.element.get_or_add_rPr(), brand.fonts.family)
        style.font.size = Pt(size) if size else None
        style.font.color.rgb = _rgb(colour) if colour else None
        style.font.bold, style.font.italic = bold, italic
        fmt = style.paragraph_format
        fmt.space_before = Pt(before) if before is not None else None
        fmt.space_after = Pt(after) if after is not None else None
        fmt.keep_with_next = keep or None
        fmt.line_spacing = Pt(size * 1.25) if size else None
        return style

    title = configure("title", s.title, c.dark, bold=False, before=0, after=4, keep=True)
    _remove_children(title.element.get_or_add_pPr(), "w:pBdr")            # the template's rule
    _remove_children(title.element.get_or_add_rPr(), "w:spacing", "w:kern")
    configure("h2", s.section, c.primary, bold=True, before=sp.before_section, after=sp.after_section, keep=True)
    configure("h3", s.subsection, c.dark, bold=True, before=sp.before_section * 0.75,
              after=sp.after_section, keep=True)
    for role in ("title", "h2", "h3"):  # a title is never hyphenated (proper nouns are kept whole too)
        insert_paragraph_property(_style(doc, STYLE_NAMES[role]).element.get_or_add_pPr(),
                                  OxmlElement("w:suppressAutoHyphens"))
    configure("ministere", s.subsection, c.primary, bold=True, after=s.body * 1.6)
    configure("dateline", s.small, c.muted, bold=True, after=s.body)
    bullet = configure("bullet", after=sp.after_paragraph * 0.4)
    bullet.paragraph_format.left_indent = Pt(sp.list_indent)
    bullet.paragraph_format.first_line_indent = Pt(-sp.list_indent * 0.75)
    for role, size, colour, italic in (("quote", s.body * 1.1, c.dark, True),
                                       ("attribution", s.small * 1.1, c.muted, False)):
        style = configure(role, size, colour, italic=italic, after=4 if role == "quote" else sp.after_paragraph)
        style.paragraph_format.left_indent = style.paragraph_format.right_indent = Pt(12)
        _add_left_bar(style.element.get_or_add_pPr(), brand)
    configure("figure", s.figure, c.dark, bold=True, before=4, after=4)
    configure("figure_label", s.body * 0.95, before=4, after=4)
    configure("contact", after=2)
    signature = configure("signature", before=s.leading * 1.5, after=0, keep=True)
    signature.paragraph_format.line_spacing = 1.0  # an exact line height would clip the image
    for role in ("header", "footer"):
        configure(role, s.small, c.muted, base=None)
    _define_figure_table_style(doc, brand)
    _brand_bullets(doc, brand)
    link = _style(doc, STYLE_NAMES["link"], WD_STYLE_TYPE.CHARACTER, base=None)
    link.font.color.rgb = _rgb(c.primary)
    link.font.underline = True


#: The order ECMA-376 gives the children of w:pPr; Word refuses a file that breaks it.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def insert_paragraph_property(ppr, element) -> None:
    """Put ``element`` into ``ppr`` at its place in the schema's order (replacing one of its kind)."""
    name = "w:" + element.tag.rsplit("}", 1)[1]
    _remove_children(ppr, name)
    ppr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(name) + 1:])


def paragraph_border(side: str, eighths_of_point: int, space: int, hex_colour: str):
    """A ``w:pBdr`` with one single line on ``side`` ("left", "bottom"…)."""
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths_of_point)), ("w:space", str(space)),
                       ("w:color", hex_colour.lstrip("#"))):
        line.set(qn(key), value)
    borders.append(line)
    return borders


def _add_left_bar(ppr, brand: Brand) -> None:
    """The quote's tinted background and the brand's bar on its left."""
    insert_paragraph_property(ppr, paragraph_border("left", 24, 8, brand.colours.primary))
    insert_paragraph_property(ppr, shading(brand.colours.accent_background))


def _brand_bullets(doc, brand: Brand) -> None:
    """List Bullet's numbering level draws a "•" in the brand font and colour, as the PDF does
    (the template's is a black Symbol-font bullet)."""
    num_id = doc.styles[STYLE_NAMES["bullet"]].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id.get(qn("w:val")))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    level = abstract.find(qn("w:lvl"))
    level.find(qn("w:lvlText")).set(qn("w:val"), "•")
    run = level.find(qn("w:rPr"))
    for child in list(run):
        run.remove(child)
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), brand.fonts.family)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), brand.colours.primary.lstrip("#"))
    run.append(fonts)
    run.append(colour)


def _define_figure_table_style(doc, brand: Brand) -> None:
    """The key-figure panel as a table style: tinted cells, white rules, roomy margins."""
    style = _style(doc, STYLE_NAMES["figures"], WD_STYLE_TYPE.TABLE, base=None)
    element = style.element
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    border = OxmlElement("w:insideH")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:color", "FFFFFF")):
        border.set(qn(key), value)
    borders.append(border)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("w:top", "80"), ("w:left", "200"), ("w:bottom", "80"), ("w:right", "200")):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), twips)
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(borders)
    tblpr.append(margins)
    tcpr = OxmlElement("w:tcPr")
    tcpr.append(shading(brand.colours.accent_background))
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tcpr.append(valign)
    element.append(tblpr)
    element.append(tcpr)


def shading(hex_colour: str):
    """A ``w:shd`` filling with ``hex_colour``."""
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), hex_colour.lstrip("#"))
    return shade
