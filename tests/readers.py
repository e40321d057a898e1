"""Independent readers: what other tools than the project's own see in its outputs.

poppler (``pdfinfo -struct-text``, ``pdftotext -bbox``, ``pdffonts``), pypdf for the outline
and the structure tree, libmagic (``file``) for the type of a file, and openxml-audit for Word.
None of them shares code with the writers. Run as a script on a PDF or a Word file, it prints
what they see (the before/after of issue 14)::

    python tests/readers.py build/2020-2021/estrie.pdf build/2020-2021/estrie.docx
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


# ---------------------------------------------------------------- poppler

@dataclass
class TaggedElement:
    """One element of ``pdfinfo -struct-text``: its type, depth, whether poppler calls it inline,
    and the text strings under it in reading order (an inline element's text, a link's, counts
    both in its own and in its block's)."""
    kind: str
    depth: int
    inline: bool
    texts: list[str]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def struct_text(path: Path) -> list[TaggedElement]:
    """The structure tree as poppler reads it, element by element."""
    output = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True,
                            capture_output=True, text=True).stdout
    elements: list[TaggedElement] = []
    stack: list[TaggedElement] = []
    for line in output.splitlines():
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if stripped.startswith('"'):
            text = stripped[1:-1] if stripped.endswith('"') else stripped[1:]
            for owner in reversed(stack):
                owner.texts.append(text)
                if not owner.inline:
                    break
        elif stripped and not stripped.startswith("Object "):
            element = TaggedElement(stripped.split(" ")[0], depth, "(inline)" in stripped, [])
            elements.append(element)
            stack.append(element)
    return elements


def page_lines(path: Path) -> list[str]:
    """The text of the pages as poppler lays it out, line by line (``pdftotext``)."""
    output = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                            capture_output=True, text=True).stdout
    return output.splitlines()


def page_words(path: Path) -> set[str]:
    """Every word a reader sees on the pages, a word hyphenated at a line end (soft hyphen,
    or a real one) counted in both forms."""
    text = "\n".join(page_lines(path))
    found = set(text.replace("\u00ad\n", "").replace("\u00ad", "").split())
    found |= set(re.sub(r"-\n", "", text).split()) | set(re.sub(r"-\n", "-", text).split())
    return found


@dataclass
class PlacedWord:
    page: int
    text: str
    left: float
    top: float      # from the page's top, as poppler gives it


def placed_words(path: Path) -> list[PlacedWord]:
    """Every word with its page (from 1) and box (``pdftotext -bbox``)."""
    output = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                            capture_output=True, text=True).stdout
    placed, page = [], 0
    for line in output.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*)</word>', line)
        if match:
            placed.append(PlacedWord(page, html.unescape(match[3]), float(match[1]), float(match[2])))
    return placed


def subset_tags(path: Path) -> list[str]:
    """The subset tag (``ABCDEF``) of every embedded font, as ``pdffonts`` lists them."""
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [name.split("+")[0] for name in (line.split()[0] for line in output.splitlines()[2:])
            if "+" in name]


def glued_words(path: Path) -> list[str]:
    """Words of the tagged text that are not on the page: two words read as one."""
    on_page = page_words(path)
    return [word for element in struct_text(path) if element.kind != "Figure" and not element.inline
            for word in element.text.replace("\u00ad", "").split() if word not in on_page]


# ---------------------------------------------------------------- pypdf

@dataclass
class Bookmark:
    title: str
    page: int           # from 1
    top: float | None   # PDF units from the page's bottom (None: the whole page)


def bookmarks(path: Path) -> list[Bookmark]:
    """Every outline entry with the page and height its destination opens at."""
    reader = PdfReader(str(path))
    found = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                top = entry.get("/Top")
                found.append(Bookmark(entry.title, reader.get_destination_page_number(entry) + 1,
                                      None if top is None else float(top)))

    walk(reader.outline)
    return found


def outline_counts(path: Path) -> tuple[int, int]:
    """(/Count of the outline dictionary, entries a reader shows when all are open)."""
    outlines = PdfReader(str(path)).trailer["/Root"]["/Outlines"].get_object()

    def visible(item) -> int:
        total, child = 0, item.get("/First")
        while child is not None:
            child = child.get_object()
            total += 1 + (visible(child) if child.get("/Count", 0) > 0 else 0)
            child = child.get("/Next")
        return total

    return int(outlines.get("/Count", 0)), visible(outlines)


@dataclass
class LinkElement:
    """A Link structure element: how many marked-content pieces and annotations it holds,
    and the URIs of those annotations."""
    marked: int
    annotations: int
    uris: list[str]


def link_elements(path: Path) -> list[LinkElement]:
    """Every Link element of the structure tree (pypdf's walk)."""
    root = PdfReader(str(path)).trailer["/Root"]["/StructTreeRoot"].get_object()
    found: list[LinkElement] = []

    def kids(element):
        value = element.get("/K")
        if value is None:
            return []
        value = value.get_object()
        return list(value) if isinstance(value, ArrayObject) else [value]

    def walk(element):
        element = element.get_object()
        if not isinstance(element, DictionaryObject):
            return
        if element.get("/S") == "/Link":
            link = LinkElement(0, 0, [])
            for kid in kids(element):
                kid = kid.get_object()
                if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                    link.annotations += 1
                    link.uris.append(str(kid["/Obj"].get_object()["/A"]["/URI"]))
                elif not isinstance(kid, DictionaryObject) or kid.get("/Type") == "/MCR":
                    link.marked += 1
            found.append(link)
        for kid in kids(element):
            walk(kid)

    walk(root)
    return found


# ---------------------------------------------------------------- Word

def file_type(path: Path) -> str:
    """The MIME type libmagic gives the file (``file --mime-type``)."""
    return subprocess.run(["file", "--brief", "--mime-type", str(path)], check=True,
                          capture_output=True, text=True).stdout.strip()


def openxml_findings(path: Path) -> list[str]:
    """openxml-audit's errors and warnings (Office 2007 rules and Word's repair predictions)."""
    from openxml_audit import OpenXmlValidator
    result = OpenXmlValidator().validate(str(path))
    return [f"{error.severity.name}: {error.description} ({error.part_uri})" for error in result.errors]


# ---------------------------------------------------------------- as a script

def _report_pdf(path: Path) -> None:
    print(f"== {path}")
    for mark in bookmarks(path):
        print(f"signet « {mark.title} » → page {mark.page}, hauteur {mark.top}")
    count, visible = outline_counts(path)
    print(f"/Count du sommaire : {count} ; entrées visibles : {visible}")
    links = link_elements(path)
    print(f"éléments Link : {len(links)} ; avec leur texte : {sum(1 for l in links if l.marked)} ; "
          f"annotations par lien : {[l.annotations for l in links]}")
    glued = glued_words(path)
    print(f"mots collés dans le texte balisé : {len(glued)} {glued[:8]}")
    hyphens = [w for e in struct_text(path) if not e.inline for w in e.text.split()
               if re.search(r"[a-zà-ÿ]-[a-zà-ÿ]", w)]
    print(f"mots à trait d’union dans le texte balisé : {hyphens}")
    print(f"étiquettes de sous-ensemble : {subset_tags(path)}")


def _report_docx(path: Path) -> None:
    print(f"== {path}")
    print(f"type selon libmagic : {file_type(path)}")
    print(f"openxml-audit : {openxml_findings(path) or 'rien'}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        (_report_pdf if argument.endswith(".pdf") else _report_docx)(Path(argument))
