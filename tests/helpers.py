"""Reading outputs back as a user's tools would: PDF text and structure, DOCX XML."""
from __future__ import annotations

import difflib
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def docx_xml(path: Path, part: str = "word/document.xml") -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read(part))


def docx_paragraphs(path: Path) -> list[str]:
    """The text of every body paragraph, tabs and breaks as spaces."""
    lines = []
    for paragraph in docx_xml(path).iter(W + "p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == W + "t" and node.text:
                parts.append(node.text)
            elif node.tag in (W + "tab", W + "br"):
                parts.append(" ")
        lines.append("".join(parts))
    return lines


def words(text: str) -> list[str]:
    """Words as the reference comparison counts them: accents kept, punctuation dropped."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("\u00ad\\s*\n", "", text).replace("\u00ad", "")  # a word hyphenated at a line end
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    text = re.sub(r"[\u2019\u2018]", "'", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.findall(r"\w+", text)


def recall(reference: list[str], output: list[str]) -> float:
    """Share of the reference's words found, in order, in the output."""
    matcher = difflib.SequenceMatcher(None, reference, output, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(reference)


def agreement(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _to_unicode(font) -> dict[int, str]:
    import re as _re
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    pairs = _re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", stream.read_bytes())
    return {int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be") for code, value in pairs
            if len(value) % 4 == 0}  # the codespace range <00> <7F> is not a mapping


def marked_texts(pdf) -> dict[tuple[int, int], str]:
    """The text drawn inside each marked-content sequence: (page index, MCID) -> text."""
    import pikepdf
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(pdf.pages):
        fonts = {name: _to_unicode(font) for name, font in page.obj.Resources.get("/Font", {}).items()}
        stack, current = [], {}
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                mcid = operands[1].get("/MCID") if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else None
                stack.append(None if mcid is None else int(mcid))
            elif name == "EMC":
                stack.pop()
            elif name == "Tf":
                current = fonts.get(str(operands[0]), {})
            elif name in ("Tj", "TJ") and stack and stack[-1] is not None:
                parts = operands[0] if name == "TJ" else [operands[0]]
                text = "".join(current.get(byte, "") for part in parts if isinstance(part, pikepdf.String)
                               for byte in bytes(part))
                key = (index, stack[-1])
                texts[key] = texts.get(key, "") + text + " "
    return texts


def structure_walk(pdf) -> list[tuple[str, str]]:
    """(element type, text) of the tagged content, element by element in structure order."""
    import pikepdf
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    texts = marked_texts(pdf)
    found: list[tuple[str, str]] = []

    def visit(element):
        kind = str(element.get("/S", ""))[1:]
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, int) and "/Pg" in element:  # an MCID on the element's own page
                found.append((kind, texts.get((pages[element.Pg.objgen], int(kid)), "")))
                continue
            if not isinstance(kid, pikepdf.Dictionary):
                continue
            if kid.get("/Type") == "/MCR":
                found.append((kind, texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "")))
            elif "/S" in kid:
                visit(kid)

    visit(pdf.Root.StructTreeRoot.K)
    return found
