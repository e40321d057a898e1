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
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
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
