"""Finishing ReportLab's PDF as a tagged PDF/UA-1 and PDF/A-2a file (pikepdf).

ReportLab has drawn the pages with marked content (``pdf_structure``). Here the
recorded tree becomes the structure tree (StructTreeRoot, ParentTree, link OBJRs),
and the file gets what both standards ask: XMP metadata agreeing with the document
information and declaring PDF/A-2a and PDF/UA-1, an sRGB output intent, /MarkInfo,
/Tabs /S on pages, printable link annotations with descriptions, and ToUnicode maps
without the U+0000 entries ReportLab writes for unused codes. qpdf rewrites the file
with clean syntax; the same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .pdf_structure import StructNode

__all__ = ["finish_pdf"]

_PRINT_FLAG = 4


def finish_pdf(raw: bytes, root: StructNode, info: dict[str, str], icc_profile: Path, language: str) -> bytes:
    """The final file from ReportLab's bytes, the structure ``root`` and the document information."""
    pdf = pikepdf.open(io.BytesIO(raw))
    _structure_tree(pdf, root)
    for page in pdf.pages:
        page.obj.Tabs = Name.S
        for annotation in page.obj.get("/Annots", []):
            annotation.F = _PRINT_FLAG
            if "/Contents" not in annotation and "/A" in annotation and "/URI" in annotation.A:
                annotation.Contents = String(_link_description(str(annotation.A.URI)))
    _fix_to_unicode(pdf)
    _unique_subset_tags(pdf)
    _count_outline(pdf)
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(language)
    pdf.Root.Metadata = pdf.make_stream(_xmp(info, language).encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
    profile = pdf.make_stream(icc_profile.read_bytes(), N=3)
    pdf.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        Info=String("sRGB IEC61966-2.1"), DestOutputProfile=profile)])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _link_description(uri: str) -> str:
    """What a screen reader announces for a link: where it leads, in French."""
    if uri.startswith("mailto:"):
        return f"Écrire à {uri[7:]}"
    if uri.startswith("tel:"):
        return f"Téléphoner au {uri[4:]}"
    return f"Lien vers {uri}"


def _structure_tree(pdf: pikepdf.Pdf, root: StructNode) -> None:
    pages = [page.obj for page in pdf.pages]
    by_page: dict[int, dict[int, pikepdf.Object]] = {}
    by_annotation: list[tuple[pikepdf.Object, pikepdf.Object]] = []

    def element(node: StructNode, parent) -> pikepdf.Object:
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.kind), P=parent))
        kids = []
        for kid in node.kids:
            if isinstance(kid, StructNode):
                kids.append(element(kid, made))
            elif kid[0] == "mcid":
                _, page, mcid = kid
                kids.append(Dictionary(Type=Name.MCR, Pg=pages[page], MCID=mcid))
                by_page.setdefault(page, {})[mcid] = made
            else:
                _, page, index = kid
                annotation = pages[page].Annots[index]
                kids.append(Dictionary(Type=Name.OBJR, Pg=pages[page], Obj=annotation))
                by_annotation.append((annotation, made))
        made.K = Array(kids)
        if node.alt:
            made.Alt = String(node.alt)
        if node.scope:
            made.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        return made

    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = element(root, tree_root)
    numbers = []
    for index, page in enumerate(pages):
        page.StructParents = index
        marks = by_page.get(index, {})
        numbers += [index, Array([marks[mcid] for mcid in range(len(marks))])]
    key = len(pages)
    for annotation, link in by_annotation:
        annotation.StructParent = key
        numbers += [key, link]
        key += 1
    tree_root.K = document
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(numbers)))
    tree_root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = tree_root


def _count_outline(pdf: pikepdf.Pdf) -> None:
    """Each outline item's /Count as the standard defines it: the entries shown under it when
    it is open (ReportLab counts the item itself too, and strict readers refuse the file)."""
    outlines = pdf.Root.get("/Outlines")
    if outlines is not None:
        outlines.Count = _visible_descendants(outlines)


def _visible_descendants(item) -> int:
    total, child = 0, item.get("/First")
    while child is not None:
        below = _visible_descendants(child)
        is_open = int(child.get("/Count", 0)) >= 0
        if "/First" in child:
            child.Count = below if is_open else -below
        total += 1 + (below if is_open else 0)
        child = child.get("/Next")
    return total


def _unique_subset_tags(pdf: pikepdf.Pdf) -> None:
    """Each font subset named with a tag of its own, taken from its name and the characters it
    holds (ReportLab tags every first subset AAAAAA+, which the standard forbids)."""
    used: set[str] = set()
    for font in _fonts(pdf):
        name = str(font.get("/BaseFont", ""))[1:]
        if len(name) < 8 or name[6] != "+":
            continue
        digest = hashlib.sha256(name[7:].encode() + repr(list(font.get("/Widths", []))).encode())
        if "/ToUnicode" in font:
            digest.update(font.ToUnicode.read_bytes())
        tag = _tag(digest.digest(), used)
        font.BaseFont = Name("/" + tag + name[6:])
        if "/FontDescriptor" in font:
            font.FontDescriptor.FontName = font.BaseFont


def _tag(digest: bytes, used: set[str]) -> str:
    """Six capital letters from ``digest``, not in ``used``."""
    for start in range(0, len(digest) - 6):
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[start:start + 6])
        if tag not in used:
            used.add(tag)
            return tag
    raise ValueError("no free subset tag")


def _fonts(pdf: pikepdf.Pdf):
    """Every font the pages use, once."""
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font


_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _fix_to_unicode(pdf: pikepdf.Pdf) -> None:
    """Keep only real mappings, at most 100 per block as the CMap format asks."""
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            stream = font.get("/ToUnicode")
            if stream is None or stream.objgen in seen:
                continue
            seen.add(stream.objgen)
            text = stream.read_bytes()
            start, end = text.find(b"beginbfchar"), text.rfind(b"endbfchar")
            if start < 0:
                continue
            head = text[:text.rfind(b"\n", 0, start) + 1]
            tail = text[end + len(b"endbfchar"):]
            pairs = [(code, value) for code, value in _BFCHAR.findall(text[start:end])
                     if int(value, 16) not in (0, 0xFEFF, 0xFFFE)]
            blocks = [pairs[i:i + 100] for i in range(0, len(pairs), 100)]
            body = b"".join(b"%d beginbfchar\n" % len(block)
                            + b"".join(b"<%s> <%s>\n" % pair for pair in block) + b"endbfchar\n"
                            for block in blocks)
            stream.write(head + body + tail.lstrip(b"\n"))


def _xmp(info: dict[str, str], language: str) -> str:
    """XMP agreeing with the document information, declaring PDF/A-2a and PDF/UA-1 (with the
    extension schema PDF/A-2 needs for the PDF/UA identification, in a description of its own:
    PDFBox refuses a schema that shares one with the property it declares)."""
    e = {key: escape(value) for key, value in info.items()}
    return f'''<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e["title"]}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e["author"]}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e["subject"]}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e["keywords"]}</pdf:Keywords>
   <pdf:Producer>{e["producer"]}</pdf:Producer>
   <xmp:CreatorTool>{e["creator"]}</xmp:CreatorTool>
   <xmp:CreateDate>{e["date"]}</xmp:CreateDate>
   <xmp:ModifyDate>{e["date"]}</xmp:ModifyDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
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
