"""Finishing ReportLab's PDF as a tagged PDF/UA-1 and PDF/A-2a file, during its own save.

ReportLab has drawn the pages with marked content (``pdf_structure``). When it saves,
``TaggedDocument.format`` adds what both standards ask, as ReportLab objects, before any
byte is written: the structure tree (StructTreeRoot, ParentTree, link OBJRs), XMP
metadata agreeing with the document information and declaring PDF/A-2a and PDF/UA-1,
an sRGB output intent, /MarkInfo, /Tabs /S on pages, printable link annotations with
descriptions, ToUnicode maps without the U+0000 entries ReportLab writes for unused
codes, a subset tag per font, and the outline's true /Count. It then writes the file
itself, with its dictionaries in a compressed object stream and a cross-reference stream
(so the file is as small as qpdf made it, without reading and rewriting it again).
The same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from .pdf_structure import StructNode

__all__ = ["Finishing", "TaggedDocument"]

_PRINT_FLAG = 4


@dataclass
class Finishing:
    """What the save needs beyond ReportLab's pages: the structure recorded while drawing, the
    document information, the colour profile, the language, and (filled by the canvas as it
    writes each page) the references of each page's link annotations."""
    root: StructNode
    info: dict[str, str]
    icc_profile: Path
    language: str
    annotations: list[list[PDFObjectReference]] = field(default_factory=list)


class TaggedDocument(pdfdoc.PDFDocument):
    """ReportLab's document, finished and written in one pass (set as the canvas's document
    class, with ``finishing``)."""

    finishing: Finishing

    def format(self):
        _finish(self, self.finishing)
        return _serialise(self)


# ---------------------------------------------------------------- finishing

def _finish(doc: TaggedDocument, finishing: Finishing) -> None:
    pages = list(doc.Pages.pages)
    page_refs = [PDFObjectReference(f"Page{index + 1}") for index in range(len(pages))]
    for index, page in enumerate(pages):
        _add_keys(page, StructParents=index, Tabs=PDFName("S"))
    _prepare_annotations(doc, finishing.annotations)
    _structure_tree(doc, finishing, page_refs)
    catalog = doc.Catalog
    _add_keys(catalog, MarkInfo=PDFDictionary({"Marked": "true"}),
              Metadata=_stream(_xmp(finishing.info, finishing.language).encode("utf-8"), compress=False,
                               Type=PDFName("Metadata"), Subtype=PDFName("XML")),
              OutputIntents=PDFArray([PDFDictionary({
                  "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                  "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                  "Info": PDFString("sRGB IEC61966-2.1"),
                  "DestOutputProfile": doc.Reference(_icc_stream(finishing.icc_profile))})]))
    catalog.Lang = PDFString(finishing.language)
    objects = list(doc.idToObject.values())
    _fix_to_unicode(objects)
    _unique_subset_tags(doc, objects)
    _remember_widths(objects)
    _remember_font_compression(objects)
    _count_outline(doc)
    _compact_dictionaries(doc, [ref.name for page in finishing.annotations for ref in page]
                          + [name for name, obj in doc.idToObject.items() if _is_font_descriptor(obj)])
    doc._pdfVersion = (1, 7)


def _add_keys(obj, **entries) -> None:
    """Entries ReportLab's page and catalog classes do not list, written all the same."""
    obj.__NoDefault__ = list(obj.__NoDefault__) + [key for key in entries if key not in obj.__NoDefault__]
    for key, value in entries.items():
        setattr(obj, key, value)


def _stream(content: bytes, compress: bool = True, **entries) -> PDFStream:
    """A stream, deflated at the strongest level unless it must stay readable (the XMP)."""
    if compress:
        content, entries = zlib.compress(content, 9), {**entries, "Filter": PDFName("FlateDecode")}
    return PDFStream(PDFDictionary(entries), content)


def _icc_stream(path: Path) -> PDFStream:
    """The colour profile as a stream; read and deflated once per process for each version of the file."""
    stat = path.stat()
    return PDFStream(PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}),
                     _deflated_file(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _deflated_file(path: Path, mtime_ns: int, size: int) -> bytes:
    return zlib.compress(path.read_bytes(), 9)


def _prepare_annotations(doc, annotations: list[list[PDFObjectReference]]) -> None:
    """Printable link annotations with a description a screen reader announces."""
    for page in annotations:
        for ref in page:
            annotation = doc.idToObject[ref.name]
            annotation["F"] = _PRINT_FLAG
            action = annotation.dict.get("A")
            if "Contents" not in annotation.dict and action is not None and "URI" in action.dict:
                annotation["Contents"] = PDFString(_link_description(action.dict["URI"].s))


def _link_description(uri: str) -> str:
    """What a screen reader announces for a link: where it leads, in French."""
    if uri.startswith("mailto:"):
        return f"Écrire à {uri[7:]}"
    if uri.startswith("tel:"):
        return f"Téléphoner au {uri[4:]}"
    return f"Lien vers {uri}"


class _Raw(pdfdoc.PDFObject):
    """An object whose bytes are already made (the structure tree: hundreds of small
    dictionaries that ReportLab's generic formatting would take longer to write)."""

    def __init__(self, data: bytes = b""):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def _compact_dictionaries(doc, names: list[str]) -> None:
    """The plain dictionaries ``names`` (link annotations, font descriptors), finished, formatted
    now by ``_formatted``: ReportLab's generic formatting took 40 µs for each."""
    for name in names:
        doc.idToObject[name] = _Raw(_formatted(doc.idToObject[name], doc))


def _is_font_descriptor(obj) -> bool:
    return type(obj) is PDFDictionary and obj.dict.get("Type") == "/FontDescriptor"


def _formatted(value, doc) -> bytes:
    """``value`` byte for byte as ReportLab formats it (``pdfdoc.format``), with the dispatch for
    the dictionaries, arrays and numbers of a plain dictionary written out."""
    kind = type(value)
    if kind is PDFDictionary and not _multiline(value):
        entries = [_name(key) + b" " + _formatted(item, doc) for key, item in sorted(value.dict.items())]
        return b"<<\n" + b" ".join(_broken_every(6, entries)) + b"\n>>"
    if kind is PDFArray and not _multiline(value):
        items = [_formatted(item, doc) for item in value.sequence]
        return b"[ " + b" ".join(_broken_every(10, items) if len(items) > 10 else items) + b" ]"
    if kind is int or kind is float:
        return fp_str(value).encode("ascii")
    if kind is str:  # a name or keyword ("/Link", "true")
        return value.encode("extpdfdoc")
    return pdfdoc.format(value, doc)  # strings, references…


@lru_cache(maxsize=256)
def _name(key: str) -> bytes:
    return PDFName(key).encode("extpdfdoc")


def _multiline(value) -> bool:
    return bool(value.multiline and rl_config.pdfMultiLine) or value.multiline == "forced"


def _broken_every(count: int, items: list[bytes]) -> list[bytes]:
    for index in reversed(range(count, len(items), count)):
        items.insert(index, b"\n ")
    return items


def _number(doc, ref: PDFObjectReference) -> int:
    return doc.idToObjectNumberAndVersion[ref.name][0]


def _register(doc, obj: _Raw) -> int:
    """A new object of ``doc`` (as ``doc.Reference`` registers one it has not met), and its number:
    the structure tree registers a hundred of them."""
    number = doc.objectcounter = doc.objectcounter + 1
    name = obj.__InternalName__ = f"R{number}"
    doc.idToObjectNumberAndVersion[name] = (number, 0)
    doc.numberToId[number] = name
    doc.idToObject[name] = obj
    return number


def _structure_tree(doc, finishing: Finishing, page_refs: list[PDFObjectReference]) -> None:
    pages = [_number(doc, ref) for ref in page_refs]
    annotations = [[_number(doc, ref) for ref in page] for page in finishing.annotations]
    by_page: dict[int, dict[int, int]] = {}
    by_annotation: list[tuple[PDFObjectReference, int]] = []
    tree_root = _Raw()
    root_number = _register(doc, tree_root)

    def element(node: StructNode, parent: int) -> int:
        made = _Raw()
        number = _register(doc, made)
        first_page = next((kid[1] for kid in node.kids if isinstance(kid, tuple) and kid[0] == "mcid"), None)
        kids = []
        for kid in node.kids:
            if isinstance(kid, StructNode):
                kids.append(b"%d 0 R" % element(kid, number))
            elif kid[0] == "mcid":
                _, page, mcid = kid
                kids.append(b"%d" % mcid if page == first_page else
                            b"<</Type/MCR/Pg %d 0 R/MCID %d>>" % (pages[page], mcid))
                by_page.setdefault(page, {})[mcid] = number
            else:
                _, page, index = kid
                kids.append(b"<</Type/OBJR/Pg %d 0 R/Obj %d 0 R>>" % (pages[page], annotations[page][index]))
                by_annotation.append((finishing.annotations[page][index], number))
        data = b"<</Type/StructElem/S/%s/P %d 0 R" % (node.kind.encode("ascii"), parent)
        if first_page is not None:
            data += b"/Pg %d 0 R" % pages[first_page]
        data += b"/K[" + b" ".join(kids) + b"]"
        if node.alt:
            data += b"/Alt" + PDFString(node.alt).format(doc)
        if node.scope:
            data += b"/A<</O/Table/Scope/%s>>" % node.scope.encode("ascii")
        made.data = data + b">>"
        return number

    document = element(finishing.root, root_number)
    numbers = []
    for index in range(len(pages)):
        marks = by_page.get(index, {})
        numbers.append(b"%d[%s]" % (index, b" ".join(b"%d 0 R" % marks[mcid] for mcid in range(len(marks)))))
    key = len(pages)
    for annotation, link in by_annotation:
        doc.idToObject[annotation.name]["StructParent"] = key
        numbers.append(b"%d %d 0 R" % (key, link))
        key += 1
    parent_tree = _register(doc, _Raw(b"<</Nums[" + b" ".join(numbers) + b"]>>"))
    tree_root.data = (b"<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d>>"
                      % (document, parent_tree, key))
    doc.Catalog.StructTreeRoot = PDFObjectReference(tree_root.__InternalName__)


# ---------------------------------------------------------------- fonts and outline

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _fix_to_unicode(objects) -> None:
    """Keep only real mappings, at most 100 per block as the CMap format asks."""
    for obj in objects:
        if not isinstance(obj, PDFStream) or not isinstance(obj.content, (bytes, str)):
            continue
        text = obj.content.encode("latin-1") if isinstance(obj.content, str) else obj.content
        if not text.startswith(b"/CIDInit") or b"beginbfchar" not in text:
            continue
        obj.content = _real_mappings(text)
        obj.filters = [PDFZCompress]


@lru_cache(maxsize=64)  # a brand's subsets come back with the same maps from one report to the next
def _real_mappings(text: bytes) -> bytes:
    start, end = text.find(b"beginbfchar"), text.rfind(b"endbfchar")
    head = text[:text.rfind(b"\n", 0, start) + 1]
    tail = text[end + len(b"endbfchar"):]
    pairs = [(code, value) for code, value in _BFCHAR.findall(text[start:end])
             if int(value, 16) not in (0, 0xFEFF, 0xFFFE)]
    blocks = [pairs[i:i + 100] for i in range(0, len(pairs), 100)]
    body = b"".join(b"%d beginbfchar\n" % len(block)
                    + b"".join(b"<%s> <%s>\n" % pair for pair in block) + b"endbfchar\n"
                    for block in blocks)
    return head + body + tail.lstrip(b"\n")


class _RememberedFlate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's deflate, remembered per process for the same bytes: a brand's font subsets
    and their ToUnicode maps come back identical from one report to the next."""

    def encode(self, text):
        return _deflate(text.encode("utf8") if isinstance(text, str) else bytes(text))


@lru_cache(maxsize=64)  # thread-safe: the atelier's preview may write PDFs side by side
def _deflate(data: bytes) -> bytes:
    return zlib.compress(data)


_FONT_FLATE = _RememberedFlate()


def _remember_font_compression(objects) -> None:
    for obj in objects:
        if isinstance(obj, PDFStream) and obj.filters == [PDFZCompress] and (
                "Length1" in obj.dictionary.dict or _starts_with(obj.content, b"/CIDInit")):
            obj.filters = [_FONT_FLATE]


def _remember_widths(objects) -> None:
    """Each subset's widths (128 numbers, each formatted by ReportLab's generic code: half a
    millisecond a report for the four faces) written as they were for the same subset before."""
    for obj in objects:
        if isinstance(obj, pdfdoc.PDFTrueTypeFont) and isinstance(obj.Widths, PDFArray):
            obj.Widths = _Raw(_formatted_numbers(tuple(obj.Widths.sequence)))


@lru_cache(maxsize=64)  # thread-safe, as the other remembered font parts
def _formatted_numbers(numbers: tuple) -> bytes:
    return PDFArray(numbers).format(None)  # numbers only: nothing of the document is read


def _starts_with(content, prefix: bytes) -> bool:
    head = content[:len(prefix)]
    return (head.encode("latin-1") if isinstance(head, str) else head) == prefix


def _unique_subset_tags(doc, objects) -> None:
    """Each font subset named with a tag of its own, taken from its name and the characters it
    holds (ReportLab tags every first subset AAAAAA+, which the standard forbids)."""
    used: set[str] = set()
    for font in objects:
        name = getattr(font, "BaseFont", None)
        if not isinstance(font, pdfdoc.PDFTrueTypeFont) or not isinstance(name, str) or name[6:7] != "+":
            continue
        unicode_map = doc.idToObject.get(getattr(font.ToUnicode, "name", ""))
        content = unicode_map.content if isinstance(unicode_map, PDFStream) else b""
        widths = getattr(font.Widths, "sequence", "")
        font.BaseFont = _tag(_subset_digest(name[7:], tuple(widths) if isinstance(widths, list) else widths,
                                            content.encode("latin-1") if isinstance(content, str) else content),
                             used) + name[6:]
        descriptor = doc.idToObject.get(getattr(font.FontDescriptor, "name", ""))
        if isinstance(descriptor, PDFDictionary):
            descriptor["FontName"] = PDFName(font.BaseFont)


@lru_cache(maxsize=64)  # the same subset, met again in the next report
def _subset_digest(name: str, widths, unicode_map: bytes) -> bytes:
    widths = list(widths) if isinstance(widths, tuple) else widths  # hashed as ReportLab lists them
    return hashlib.sha256(name.encode() + repr(widths).encode() + unicode_map).digest()


def _tag(digest: bytes, used: set[str]) -> str:
    """Six capital letters from ``digest``, not in ``used``."""
    for start in range(0, len(digest) - 6):
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[start:start + 6])
        if tag not in used:
            used.add(tag)
            return tag
    raise ValueError("no free subset tag")


def _count_outline(doc) -> None:
    """Each outline item's /Count as the standard defines it: the entries shown under it when
    it is open (ReportLab counts the item itself too, and strict readers refuse the file)."""
    outlines = doc.Outlines
    if getattr(outlines, "ready", 0) > 0 and outlines.first is not None:
        outlines.count = _visible_descendants(doc, outlines.first)


def _visible_descendants(doc, first: PDFObjectReference | None) -> int:
    total, ref = 0, first
    while ref is not None:
        item = doc.idToObject[ref.name]
        below = _visible_descendants(doc, item.First) if item.First is not None else 0
        is_open = item.Count is None or item.Count >= 0
        if item.First is not None:
            item.Count = below if is_open else -below
        total += 1 + (below if is_open else 0)
        ref = item.Next
    return total


# ---------------------------------------------------------------- metadata

def _xmp(info: dict[str, str], language: str) -> str:
    """XMP agreeing with the document information, declaring PDF/A-2a and PDF/UA-1 (with the
    extension schema PDF/A-2 needs for the PDF/UA identification, in a description of its own:
    PDFBox refuses a schema that shares one with the property it declares)."""
    e = {key: html.escape(value, quote=False) for key, value in info.items()}
    return f'''<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e["title"]}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e["author"]}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e["subject"]}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{html.escape(language, quote=False)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e["keywords"]}</pdf:Keywords>
   <pdf:Producer>{e["producer"]}</pdf:Producer>
   <xmp:CreatorTool>{e["creator"]}</xmp:CreatorTool>
   <xmp:CreateDate>{e["date"]}</xmp:CreateDate>
   <xmp:ModifyDate>{e["date"]}</xmp:ModifyDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>'''


# ---------------------------------------------------------------- writing the file

_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _serialise(doc) -> bytes:
    """The file: streams as objects of their own, every other object in one compressed object
    stream, and a cross-reference stream (ISO 32000-1 §7.5.7, §7.5.8)."""
    bodies = _formatted_objects(doc)
    out = bytearray(_HEADER)
    offsets: dict[int, int] = {}
    packed: list[tuple[int, bytes]] = []
    for number, body in bodies:
        if body.rstrip().endswith(b"endstream"):
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, _eol_before_endstream(body))
        else:
            packed.append((number, body))
    object_stream = len(bodies) + 1
    offsets[object_stream] = len(out)
    out += _object_stream(object_stream, packed)
    cross_reference = object_stream + 1
    offsets[cross_reference] = len(out)
    identifier = hashlib.md5(bytes(out)).hexdigest()
    out += _cross_reference_stream(doc, cross_reference, offsets, packed, object_stream, identifier)
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[cross_reference]
    return bytes(out)


def _eol_before_endstream(body: bytes) -> bytes:
    """A stream's data followed by an end-of-line before ``endstream`` (PDF/A asks for it;
    ReportLab writes the keyword right after the data). Not counted in /Length."""
    body = body.rstrip()
    return body[:-len(b"endstream")] + b"\nendstream"


def _formatted_objects(doc) -> list[tuple[int, bytes]]:
    """Every object's body, in number order (objects may be registered while others format)."""
    doc.encrypt.prepare(doc)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    bodies, number = [], 1
    while number in doc.numberToId:
        name = doc.numberToId[number]
        bodies.append((number, pdfdoc.format(doc.idToObject[name], doc, toplevel=1)))
        number += 1
    return bodies


def _object_stream(number: int, packed: list[tuple[int, bytes]]) -> bytes:
    index, data = [], bytearray()
    for member, body in packed:
        index.append(b"%d %d" % (member, len(data)))
        data += body.rstrip(b"\n") + b"\n"
    head = b" ".join(index) + b"\n"
    content = zlib.compress(head + bytes(data), 9)
    return (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (number, len(packed), len(head), len(content)) + content + b"\nendstream\nendobj\n")


def _cross_reference_stream(doc, number: int, offsets: dict[int, int], packed, object_stream: int,
                            identifier: str) -> bytes:
    """The cross-reference stream, its fields as narrow as the file allows and its rows
    differenced (PNG "up" predictor) before deflating, as qpdf writes them."""
    size = number + 1
    rows: list[tuple[int, int, int]] = [(0, 0, 0)] * size
    for member, offset in offsets.items():
        rows[member] = (1, offset, 0)
    for position, (member, _) in enumerate(packed):
        rows[member] = (2, object_stream, position)
    widths = (1, _width(max(row[1] for row in rows)), _width(max(row[2] for row in rows)))
    content = zlib.compress(_up_predicted(rows, widths), 9)
    root = PDFObjectReference(doc.Catalog.__InternalName__).format(doc)
    info = PDFObjectReference(doc.info.__InternalName__).format(doc)
    return (b"%d 0 obj\n<< /Type /XRef /Size %d /W [ %d %d %d ] /Root %s /Info %s /ID [ <%s> <%s> ] "
            b"/DecodeParms << /Columns %d /Predictor 12 >> /Filter /FlateDecode /Length %d >>\nstream\n"
            % (number, size, *widths, root, info, identifier.encode(), identifier.encode(), sum(widths),
               len(content)) + content + b"\nendstream\nendobj\n")


def _up_predicted(rows: list[tuple[int, int, int]], widths: tuple[int, int, int]) -> bytes:
    """The rows as bytes, each after a PNG "up" tag (2) and minus the row above it, byte by byte
    modulo 256: computed over the whole table at once as one large integer (each byte subtracted
    without borrowing from its neighbour, Hacker's Delight §2-18), not byte by byte in Python."""
    shift_1, shift_2, row_size = 8 * (widths[1] + widths[2]), 8 * widths[2], 1 + sum(widths)
    current = b"".join(((kind << shift_1) | (field << shift_2) | index).to_bytes(row_size, "big")
                       for kind, field, index in rows)
    size = len(current)
    above = bytes(row_size) + current[:-row_size]
    high = int.from_bytes(b"\x80" * size, "big")
    x, y = int.from_bytes(current, "big"), int.from_bytes(above, "big")
    difference = ((x | high) - (y & ~high)) ^ ((x ^ ~y) & high)
    tags = int.from_bytes((b"\x02" + bytes(row_size - 1)) * len(rows), "big")
    return (difference & ((1 << 8 * size) - 1) | tags).to_bytes(size, "big")


def _width(value: int) -> int:
    """Bytes needed to write ``value`` (at least one)."""
    return max(1, (value.bit_length() + 7) // 8)
