"""Québec French typography, rule by rule, as it comes out of both writers."""
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from reportgen.markup import parse_markup
from reportgen.model import Document
from reportgen.writers.docx import write_docx
from reportgen.writers.pdf import write_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def document(markup: str) -> Document:
    return Document("Essai", parse_markup(markup, Path("layouts/essai.md")))


def pdf_lines(brand, markup: str) -> list[str]:
    stream = io.BytesIO()
    write_pdf(document(markup), brand, stream)
    return [line for page in PdfReader(stream).pages for line in page.extract_text().splitlines()]


def pdf_chunks(brand, markup: str) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text chunk of the first page, in page coordinates."""
    stream = io.BytesIO()
    write_pdf(document(markup), brand, stream)
    chunks = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            chunks.append((text, cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

    PdfReader(stream).pages[0].extract_text(visitor_text=visit)
    return chunks


def docx_package(brand, markup: str) -> zipfile.ZipFile:
    stream = io.BytesIO()
    write_docx(document(markup), brand, stream)
    return zipfile.ZipFile(stream)


def docx_text(brand, markup: str) -> str:
    root = ElementTree.fromstring(docx_package(brand, markup).read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(W + "t"))


# Many repetitions put each case at every position of a line, so any break inside shows up.
REPEATED = " ".join(["Courriel : accompagnement, « Nous sommes fiers », notamment ; près de 16,2 M$ "
                     "au 31 mars 2021 au 1 833 273-4667 l'Estrie"] * 14)


@pytest.mark.parametrize("forbidden_start", [":", "»", ";", "M$", "$", "mars 2021", "273", "833"])
def test_pdf_never_starts_a_line_with_what_must_stay_attached(brand, forbidden_start):
    lines = pdf_lines(brand, REPEATED + "\n")
    assert len(lines) > 10
    assert [line for line in lines if line.startswith(forbidden_start)] == []


def test_pdf_never_ends_a_line_inside_guillemets_or_a_phone_number(brand):
    lines = [line for line in pdf_lines(brand, REPEATED + "\n") if not line.startswith("Page ")]
    assert [line for line in lines if line.rstrip().endswith(("«", " 1", "1 833", "16,2", " 31"))] == []


def test_no_break_spaces_reach_both_formats(brand):
    markup = "Courriel : « oui » ; 16,2 M$, 31 mars 2021, 1 833 273-4667\n"
    expected = "Courriel\u00a0: «\u00a0oui\u00a0» ; 16,2\u00a0M$, 31\u00a0mars 2021, 1\u00a0833\u00a0273\u20114667"
    assert docx_text(brand, markup) == expected.replace(" ;", "\u202f;")
    # In the PDF the spaces are drawn as glyphs of the no-break space (text extraction reads
    # them as spaces); that they never break is what the line tests above check.
    assert expected.replace("\u00a0", " ") in pdf_lines(brand, markup)


def test_typographic_apostrophe_in_both_formats(brand):
    assert docx_text(brand, "l'Estrie d'ici\n") == "l\u2019Estrie d\u2019ici"
    assert "l\u2019Estrie d\u2019ici" in pdf_lines(brand, "l'Estrie d'ici\n")


def test_french_hyphenation_in_the_pdf_with_limits(brand):
    lines = pdf_lines(brand, " ".join(["les établissements modernes"] * 20) + "\n")
    # A hyphen added by hyphenation is a soft hyphen (U+00AD), as the PDF standard asks.
    hyphenated = [line for line in lines if line.endswith("\u00ad")]
    assert hyphenated, "no word was hyphenated"
    assert not [line for line in lines if line.endswith("-")]
    for line, following in zip(lines, lines[1:]):
        if line.endswith("\u00ad"):
            before, after = line.split()[-1].rstrip("\u00ad"), following.split()[0]
            assert len(before.split("\u2019")[-1]) >= 2 and len(after.rstrip(".,;")) >= 3


def test_word_hyphenates_automatically(brand):
    settings = docx_package(brand, "texte\n").read("word/settings.xml").decode()
    assert "<w:autoHyphenation/>" in settings


def test_pdf_heading_never_left_alone_at_the_foot_of_a_page(brand):
    for filler in range(18, 60):
        markup = "".join(f"Ligne de remplissage {i}.\n\n" for i in range(filler)) + \
            "## Titre de section\n\nPremier paragraphe de la section.\n"
        stream = io.BytesIO()
        write_pdf(document(markup), brand, stream)
        for page in PdfReader(stream).pages:
            lines = [line for line in page.extract_text().splitlines() if not line.startswith("Page ")]
            if "Titre de section" in lines:
                assert lines[lines.index("Titre de section") + 1] == "Premier paragraphe de la section."


def test_word_headings_keep_with_next(brand):
    styles = ElementTree.fromstring(docx_package(brand, "# T\n").read("word/styles.xml"))
    for style_id in ("Title", "Heading1", "Heading2"):
        style = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == style_id)
        assert style.find(f"{W}pPr/{W}keepNext") is not None, style_id


def test_pdf_has_no_widow_or_orphan_line(brand):
    words = " ".join(f"m{i:03d}" for i in range(160))
    for filler in range(18, 60):
        markup = "".join(f"Ligne {i}.\n\n" for i in range(filler)) + words + "\n"
        stream = io.BytesIO()
        write_pdf(document(markup), brand, stream)
        pages = PdfReader(stream).pages
        counts = [sum(1 for line in page.extract_text().splitlines() if line.startswith("m")) for page in pages]
        split = [count for count in counts if count]
        assert len(split) == 1 or min(split) >= 2, (filler, counts)


def test_word_widow_control(brand):
    styles = docx_package(brand, "x\n").read("word/styles.xml").decode()
    assert "<w:widowControl/>" in styles


def test_pdf_list_items_hang(brand):
    chunks = pdf_chunks(brand, "- " + "élément de liste assez long " * 12 + "\n")
    bullet_x = next(x for text, x, y in chunks if text.startswith("•"))
    text_x = {round(x, 1) for text, x, y in chunks if text.startswith("élément") or text.startswith("liste")}
    assert len(text_x) == 1 and text_x.pop() > bullet_x + 5


def test_word_list_items_hang(brand):
    styles = ElementTree.fromstring(docx_package(brand, "- x\n").read("word/styles.xml"))
    bullet = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == "ListBullet")
    indent = bullet.find(f"{W}pPr/{W}ind")
    assert int(indent.get(W + "left")) > 0 and int(indent.get(W + "hanging")) > 0
