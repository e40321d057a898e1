"""French on the page, in both formats: proper nouns never hyphenated nor broken at their
hyphens, titles never broken inside a name, a wrapped link's underline under its text in a
list item, a lead-in kept with its list, and short lists never split across pages."""
import io
import zipfile
from xml.etree import ElementTree

import pikepdf
import pytest
from pypdf import PdfReader

from reportgen.model import BulletList, Document, Heading, Link, Paragraph, Text, proper_noun_spans
from reportgen.writers.docx import write_docx
from reportgen.writers.pdf import write_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMES = ["Abitibi-Témiscamingue", "Carleton-sur-Mer", "Témiscamingue", "Saguenay–Lac-Saint-Jean",
         "Accompagnement Québec", "Néo-Canadiens", "Rouyn-Noranda"]
#: Long common words (which may be hyphenated) between proper nouns, so that every name
#: lands at the end of a line somewhere.
FILLER = "accompagnement personnalisé intégration établissement communautaires"


def document(*blocks) -> Document:
    return Document("Essai", tuple(blocks), "Sujet", ("essai",))


def pdf_lines(doc: Document, brand) -> list[list[str]]:
    stream = io.BytesIO()
    write_pdf(doc, brand, stream)
    return [page.extract_text().splitlines() for page in PdfReader(stream).pages]


def running_text() -> str:
    words = []
    for index in range(60):
        words += FILLER.split()[: index % 5 + 1] + [NAMES[index % len(NAMES)]]
    return " ".join(words) + "."


def test_proper_nouns_are_found_but_not_a_word_that_opens_a_sentence():
    text = "Depuis 2019, la région de l’Abitibi-Témiscamingue, Sept-Îles et Les Escoumins. Sept-Îles aussi."
    assert [text[a:b] for a, b in proper_noun_spans(text)] == [
        "l’Abitibi-Témiscamingue", "Sept-Îles", "Les", "Escoumins", "Sept-Îles"]


def test_pdf_never_hyphenates_nor_breaks_a_proper_noun(brand):
    # A break made by hyphenation is a soft hyphen in the text (PDF 32000, 14.8.2.2.3), drawn as "-".
    lines = [line.rstrip().replace("\u00ad", "-")
             for page in pdf_lines(document(Paragraph((Text(running_text()),))), brand) for line in page]
    text = "\n".join(lines)
    for name in NAMES:
        for part in name.replace("–", "-").split("-")[:-1]:
            assert not any(line.rstrip().endswith(part + "-") for line in lines), (name, part)
    assert not any(line.rstrip().endswith(("Abi-", "Témis-", "Témisca-", "Accompa-", "Noran-")) for line in lines)
    assert text.count("Abitibi-Témiscamingue") == running_text().count("Abitibi-Témiscamingue")
    # Common words still are hyphenated, so the paragraph keeps an even right edge.
    assert any(line.rstrip().endswith("-") and line.rstrip()[-2].islower() for line in lines)


@pytest.mark.parametrize("region", ["Abitibi-Témiscamingue", "Gaspésie–Îles-de-la-Madeleine",
                                    "Saguenay–Lac-Saint-Jean"])
def test_a_title_is_never_broken_inside_a_name(region, brand):
    for words in range(2, 9):  # the name lands at every place of the line's end
        title = "Bilan des réalisations " + " ".join(["annuelles"] * words) + f" {region}"
        [lines] = pdf_lines(document(Heading(1, (Text(title),)), Heading(2, (Text(title),))), brand)
        assert sum(region in line for line in lines) == 2, lines


def horizontal_lines(data: bytes) -> list[tuple[float, float, float]]:
    """Every horizontal stroke drawn on the first page: (y, x from, x to)."""
    pdf = pikepdf.open(io.BytesIO(data))
    strokes, start = [], None
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(operator) == "m":
            start = [float(v) for v in operands]
        elif str(operator) == "l" and start:
            x, y = (float(v) for v in operands)
            if abs(y - start[1]) < 0.01:
                strokes.append((round(y, 1), round(min(x, start[0]), 1), round(max(x, start[0]), 1)))
    return strokes


def test_a_wrapped_link_in_a_list_item_is_underlined_under_its_text_on_every_line(brand):
    name = ("Mouvement de la relève d’Amos-région, organisme de soutien à l’intégration et à l’établissement "
            "durable des nouveaux arrivants en Abitibi-Témiscamingue")
    stream = io.BytesIO()
    write_pdf(document(BulletList(((Link("https://www.quebec.ca/immigration", (Text(name),)),),))), brand, stream)
    # The underlines of the link's two lines (the page's rules span the whole column).
    underlines = [s for s in horizontal_lines(stream.getvalue()) if 100 < s[2] - s[1] < 470]
    assert len(underlines) == 2, underlines
    (_, first_from, first_to), (_, second_from, second_to) = sorted(underlines, reverse=True)
    assert second_from == first_from  # the second line starts under the text, not at the bullet
    assert second_to > second_from + 100


def test_a_lead_in_and_a_short_list_are_never_parted_in_the_pdf(brand):
    lead_in = Paragraph((Text("Les bureaux sont situés :"),))
    items = BulletList(((Text("Services Québec, 151, avenue du Lac, Rouyn-Noranda"),),
                        (Text("Services Québec, 186, rue Principale, Amos"),)))
    for filler in range(36, 50):  # the lead-in lands on every line near the foot of the page
        blocks = [Paragraph((Text(f"Ligne de remplissage {n}."),)) for n in range(filler)] + [lead_in, items]
        pages = pdf_lines(document(*blocks), brand)
        holding = [i for i, page in enumerate(pages) for line in page
                   if "situés" in line or "Rouyn-Noranda" in line or "Principale" in line]
        assert len(set(holding)) == 1, (filler, holding)


def docx_body(doc: Document, brand) -> ElementTree.Element:
    stream = io.BytesIO()
    write_docx(doc, brand, stream)
    return ElementTree.fromstring(zipfile.ZipFile(stream).read("word/document.xml"))


def test_word_never_hyphenates_a_proper_noun(brand):
    body = docx_body(document(Paragraph((Text("Les agents de l’Abitibi-Témiscamingue et de Sept-Îles."),))), brand)
    runs = [(r.find(f"{W}t").text, r.find(f"{W}rPr/{W}noProof") is not None) for r in body.iter(f"{W}r")]
    assert runs == [("Les agents de ", False), ("l’Abitibi-Témiscamingue", True), (" et de ", False),
                    ("Sept-Îles", True), (".", False)]


def test_word_never_breaks_a_title_inside_a_name(brand):
    body = docx_body(document(Heading(1, (Text("Bilan 2019-2021 en Abitibi-Témiscamingue"),))), brand)
    runs = [(r.find(f"{W}t").text, r.find(f"{W}rPr/{W}noProof") is not None) for r in body.iter(f"{W}r")]
    assert runs == [("Bilan 2019-2021 en ", False), ("Abitibi\u2011Témiscamingue", True)]
    body = docx_body(document(Heading(2, (Text("Projets de la Gaspésie–Îles-de-la-Madeleine"),))), brand)
    runs = [(r.find(f"{W}t").text, r.find(f"{W}rPr/{W}noProof") is not None) for r in body.iter(f"{W}r")]
    assert runs == [("Projets de la ", False), ("Gaspésie–\u2060Îles\u2011de\u2011la\u2011Madeleine", True)]


def test_word_headings_are_never_hyphenated(brand):
    stream = io.BytesIO()
    write_docx(document(Heading(1, (Text("Essai"),))), brand, stream)
    styles = ElementTree.fromstring(zipfile.ZipFile(stream).read("word/styles.xml"))
    by_name = {s.find(f"{W}name").get(f"{W}val"): s for s in styles.iter(f"{W}style")}
    for name in ("Title", "heading 1", "heading 2"):
        assert by_name[name].find(f"{W}pPr/{W}suppressAutoHyphens") is not None, name


@pytest.mark.parametrize("count, kept", [(2, True), (3, True), (4, False)])
def test_word_keeps_a_lead_in_with_its_list_and_a_short_list_together(count, kept, brand):
    items = BulletList(tuple((Text(f"Bureau {n}"),) for n in range(count)))
    body = docx_body(document(Paragraph((Text("Les bureaux sont situés :"),)), items), brand)
    paragraphs = list(body.iter(f"{W}p"))
    assert paragraphs[0].find(f"{W}pPr/{W}keepNext") is not None
    listed = paragraphs[1:1 + count]
    keep_next = [p.find(f"{W}pPr/{W}keepNext") is not None for p in listed]
    keep_lines = [p.find(f"{W}pPr/{W}keepLines") is not None for p in listed]
    assert keep_next == ([True] * (count - 1) + [False] if kept else [False] * count)
    assert keep_lines == [kept] * count
