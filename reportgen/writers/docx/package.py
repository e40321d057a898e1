"""Package-level parts of the Word file: embedded fonts, properties, settings, and
the removal of python-docx's template residue (its thumbnail, 2013 dates, en-US)."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ... import __version__
from ...brand import Brand
from ...model import Document
from .styles import LANGUAGE

__all__ = ["embed_fonts", "finish_template", "set_core_properties"]

_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_UNWANTED = ("stylesWithEffects", "customXml", "thumbnail")


def _related_part(source, reltype: str):
    return next(rel.target_part for rel in source.rels.values() if rel.reltype == reltype)


def embed_fonts(doc, brand: Brand) -> None:
    """Embed the brand's four faces (obfuscated as ECMA-376 asks) so Word shows the
    brand font on a computer that does not have it installed."""
    font_table = _related_part(doc.part, RT.FONT_TABLE)
    root = parse_xml(font_table.blob)
    for existing in root.findall(qn("w:font")):
        if existing.get(qn("w:name")) == brand.fonts.family:
            root.remove(existing)
    font = OxmlElement("w:font")
    font.set(qn("w:name"), brand.fonts.family)
    for tag, value in (("w:charset", "00"), ("w:family", "swiss"), ("w:pitch", "variable")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        font.append(child)
    faces = (("w:embedRegular", brand.fonts.regular), ("w:embedBold", brand.fonts.bold),
             ("w:embedItalic", brand.fonts.italic), ("w:embedBoldItalic", brand.fonts.bold_italic))
    for index, (tag, path) in enumerate(faces, start=1):
        data = brand.asset(path).read_bytes()
        key = "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"
        part = Part(PackURI(f"/word/fonts/font{index}.odttf"), _OBFUSCATED_FONT, _obfuscate(data, key),
                    doc.part.package)
        embed = OxmlElement(tag)
        embed.set(qn("r:id"), font_table.relate_to(part, RT.FONT))
        embed.set(qn("w:fontKey"), key)
        font.append(embed)
    root.append(font)
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if doc.settings.element.find(qn("w:embedTrueTypeFonts")) is None:
        _insert_after(doc.settings.element, OxmlElement("w:embedTrueTypeFonts"), "w:zoom")


def _obfuscate(data: bytes, font_key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes, read from the GUID's end (ECMA-376 §17.8.1)."""
    digits = font_key.strip("{}").replace("-", "")
    key = bytes(int(digits[i:i + 2], 16) for i in range(30, -1, -2))
    head = bytes(byte ^ key[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]


def finish_template(doc) -> None:
    """French settings, reportgen as the application, and no python-docx leftovers."""
    _set_app_properties(doc)
    _set_settings(doc)
    _drop_template_residue(doc)


def set_core_properties(props: CoreProperties, document: Document, brand: Brand) -> None:
    """Title, author, subject, keywords, language and dates of one document in ``props``."""
    props.title = document.title
    props.subject = document.subject
    props.author = props.last_modified_by = brand.organisation
    props.keywords = ", ".join(document.keywords)
    props.language = LANGUAGE
    props.comments = f"Produit par reportgen {__version__}"
    props.revision = 1
    when = (dt.datetime.combine(document.date, dt.time(12), dt.timezone.utc) if document.date else _FIXED_DATE)
    props.created = props.modified = when


def _set_app_properties(doc) -> None:
    app = next(p for p in doc.part.package.iter_parts() if p.partname == "/docProps/app.xml")
    root = parse_xml(app.blob)
    namespace = root.tag.split("}")[0] + "}"
    root.find(namespace + "Application").text = f"reportgen {__version__}"
    app._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_settings(doc) -> None:
    settings = doc.settings.element
    for tag in ("w:proofState", "w:savePreviewPicture", "w:rsids"):  # let Word check the French spelling
        for child in settings.findall(qn(tag)):
            settings.remove(child)
    for zoom in settings.findall(qn("w:zoom")):  # the schema requires the percentage
        zoom.set(qn("w:percent"), "100")
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:val"), LANGUAGE)
    _insert_after(settings, OxmlElement("w:autoHyphenation"), "w:defaultTabStop")


def _insert_after(parent, element, sibling_tag: str) -> None:
    """Insert where the schema's sequence wants it (Word rejects settings out of order)."""
    sibling = parent.find(qn(sibling_tag))
    if sibling is None:
        parent.insert(0, element)
    else:
        sibling.addnext(element)


def _drop_template_residue(doc) -> None:
    for source in (doc.part, doc.part.package):
        for rel_id, rel in list(source.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _UNWANTED:
                source.rels.pop(rel_id)
