"""The outputs as tools other than the project's own read them (``readers``): poppler, pypdf,
libmagic and openxml-audit. The validators the writers were built against are not enough."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from documents import EVERY_NODE
from pypdf import PdfReader
from readers import (
    bookmarks,
    file_type,
    glued_words,
    link_elements,
    openxml_findings,
    outline_counts,
    page_lines,
    placed_words,
    struct_text,
    subset_tags,
)

from reportgen.cli import main
from reportgen.model import Document, KeyFigure, KeyFigures, Paragraph, Text, plain_text
from reportgen.writers.docx import write_docx

REPORTS = ["2020-2021/estrie", "2020-2021/monteregie", "2019-2021/gaspesie-iles-de-la-madeleine"]
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lecteurs")
    assert main(["build", "--data", str(Path(__file__).parents[1] / "data"), "--out", str(out), "-j", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def every_node_docx(tmp_path_factory, brand) -> Path:
    path = tmp_path_factory.mktemp("word") / "tous-les-blocs.docx"
    write_docx(EVERY_NODE, brand, path)
    return path


# ---------------------------------------------------------------- Word

@pytest.mark.parametrize("report", REPORTS)
def test_libmagic_sees_a_word_file(built, report):
    assert file_type(built / f"{report}.docx") == WORD


def test_libmagic_sees_a_word_file_with_every_block(every_node_docx):
    assert file_type(every_node_docx) == WORD


@pytest.mark.parametrize("report", REPORTS)
def test_openxml_audit_finds_nothing(built, report):
    assert openxml_findings(built / f"{report}.docx") == []


def test_openxml_audit_finds_nothing_with_every_block(every_node_docx):
    assert openxml_findings(every_node_docx) == []


def test_drawing_ids_are_unique_across_parts(every_node_docx):
    with zipfile.ZipFile(every_node_docx) as package:
        ids = [drawing.get("id") for name in package.namelist() if name.endswith(".xml")
               for drawing in ElementTree.fromstring(package.read(name)).iter(WP + "docPr")]
    assert len(ids) >= 2 and len(ids) == len(set(ids))


def test_settings_zoom_has_its_percentage(every_node_docx):
    with zipfile.ZipFile(every_node_docx) as package:
        zoom = ElementTree.fromstring(package.read("word/settings.xml")).find(W + "zoom")
    assert zoom.get(W + "percent") == "100"


def test_key_figures_have_no_header_row_or_column(brand):
    figures = KeyFigures((KeyFigure("11", (Text("points de services"),)),
                          KeyFigure("207", (Text("employeurs"),))))
    stream = io.BytesIO()
    write_docx(Document("Chiffres", (Paragraph((Text("Avant."),)), figures)), brand, stream)
    with zipfile.ZipFile(stream) as package:
        table = ElementTree.fromstring(package.read("word/document.xml")).find(f".//{W}tbl")
    look = table.find(f"{W}tblPr/{W}tblLook")
    assert {look.get(W + flag) for flag in ("firstRow", "firstColumn", "lastRow", "lastColumn")} == {"0"}
    assert table.find(f".//{W}tblHeader") is None
    assert [row.find(f"{W}tc//{W}t").text for row in table.iter(W + "tr")] == ["11", "207"]


def test_archive_starts_with_content_types_then_the_body(every_node_docx):
    with zipfile.ZipFile(every_node_docx) as package:
        names = package.namelist()
        assert package.testzip() is None
    assert names[:3] == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    assert len(names) == len(set(names))


def test_verifier_reports_a_zip_that_libmagic_would_not_call_word(tmp_path, capsys, every_node_docx):
    """The entries in the order reportgen used to write them: the template's first, the report's last."""
    folder = tmp_path / "2020-2021"
    folder.mkdir()
    with zipfile.ZipFile(every_node_docx) as source, zipfile.ZipFile(folder / "estrie.docx", "w") as copy:
        names = source.namelist()
        for name in sorted(names, key=lambda name: (not name.startswith("docProps/app"), name in names[:4])):
            copy.writestr(name, source.read(name))
    assert main(["verifier", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ("  ✗ reconnu comme document Word par les détecteurs de type (libmagic)\n"
            "      – la première entrée de l’archive est « docProps/app.xml », pas « [Content_Types].xml » : "
            "le fichier est pris pour une simple archive ZIP") in out
    assert file_type(folder / "estrie.docx") == "application/zip"


# ---------------------------------------------------------------- PDF

SENTENCES = [
    "Les conseillères et conseillers en immigration régionale accompagnent les entreprises",
    "qui souhaitent recruter des personnes immigrantes déjà établies au Québec ou à l’étranger,",
    "et les organismes communautaires soutiennent leur intégration harmonieuse et durable",
    "dans toutes les collectivités de la région, grâce à des partenariats renouvelés chaque année.",
]


def _long_document() -> Document:
    """Paragraphs long enough to hyphenate, with links that wrap, split across pages."""
    from reportgen.model import Heading, Link, Strong
    blocks = [Heading(1, (Text("Bilan des réalisations en Estrie"),))]
    for number in range(14):
        sentence = " ".join(SENTENCES[number % 4:] + SENTENCES[:number % 4])
        link = Link(f"https://www.quebec.ca/immigration/page-{number}",
                    (Text("le portail gouvernemental des services offerts aux personnes immigrantes"),))
        blocks.append(Paragraph((Text(sentence + " Consultez "), link, Text(" pour en savoir plus, ou "),
                                 Strong((Text("communiquez avec la direction régionale"),)), Text(" ."))))
        if number % 5 == 4:
            blocks.append(Heading(2, (Text(f"Section numéro {number}"),)))
    return Document("Bilan des réalisations en Estrie", tuple(blocks))


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory, brand):
    from reportgen.writers.pdf import write_pdf
    document = _long_document()
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    write_pdf(document, brand, path)
    return document, path


def _tagged_words(path: Path) -> list[str]:
    return " ".join(element.text for element in struct_text(path)
                    if not element.inline and element.kind in ("H1", "H2", "P")).replace("\u00ad", "").split()


def test_tagged_text_has_the_words_of_the_document(long_pdf):
    """poppler reads through the tags every word as written: no word glued to the next at a
    line end, no hyphen left from hyphenation (soft hyphens, which readers drop)."""
    document, path = long_pdf
    expected = " ".join(plain_text(block.inlines) for block in document.blocks).split()
    assert _tagged_words(path) == expected
    assert any(line.endswith("\u00ad") for line in page_lines(path)), "no word was hyphenated"
    assert len(PdfReader(str(path)).pages) >= 3


@pytest.mark.parametrize("report", REPORTS)
def test_tagged_text_of_the_bundled_reports_has_the_page_words(built, report):
    assert glued_words(built / f"{report}.pdf") == []


def test_every_link_element_holds_its_text_and_its_annotations(long_pdf):
    document, path = long_pdf
    links = link_elements(path)
    expected = [node.url for block in document.blocks if isinstance(block, Paragraph)
                for node in block.inlines if hasattr(node, "url")]
    assert [link.uris[0] for link in links] == expected  # one element per link, in reading order
    assert all(link.marked >= 1 and link.annotations >= 1 for link in links)
    assert all(set(link.uris) == {link.uris[0]} for link in links)
    assert any(link.annotations >= 2 for link in links), "no link wrapped"
    texts = [element.text.replace("\u00ad", "") for element in struct_text(path) if element.kind == "Link"]
    assert {" ".join(text.split()) for text in texts} == {
        "le portail gouvernemental des services offerts aux personnes immigrantes"}


def test_link_text_is_read_in_its_place(long_pdf):
    _, path = long_pdf
    first = next(element for element in struct_text(path) if element.kind == "P")
    assert " ".join(first.text.replace("\u00ad", "").split()).endswith(
        "Consultez le portail gouvernemental des services offerts aux personnes immigrantes pour en "
        "savoir plus, ou communiquez avec la direction régionale .")


@pytest.mark.parametrize("report", REPORTS)
def test_bookmarks_open_their_heading_page_and_position(built, report):
    path = built / f"{report}.pdf"
    words = placed_words(path)
    height = float(PdfReader(str(path)).pages[0].mediabox.height)
    marks = bookmarks(path)
    assert len(marks) >= 4
    for mark in marks:
        first = mark.title.split()
        found = [(word.page, height - word.top) for index, word in enumerate(words)
                 if [w.text for w in words[index:index + len(first)]] == first]
        assert found, mark.title
        page, top = found[0]
        assert mark.page == page, mark.title
        assert mark.top is not None and 0 <= mark.top - top <= 12, (mark.title, mark.top, top)


def test_bookmarks_of_later_pages(long_pdf):
    _, path = long_pdf
    assert sorted({mark.page for mark in bookmarks(path)}) != [1]


@pytest.mark.parametrize("report", REPORTS)
def test_outline_count_is_the_visible_entries(built, report):
    count, visible = outline_counts(built / f"{report}.pdf")
    assert count == visible == len(bookmarks(built / f"{report}.pdf"))


@pytest.mark.parametrize("report", REPORTS)
def test_subset_tags_are_unique(built, report):
    tags = subset_tags(built / f"{report}.pdf")
    assert len(tags) >= 3 and len(tags) == len(set(tags))
    assert all(len(tag) == 6 and tag.isalpha() and tag.isupper() for tag in tags)


def test_xmp_extension_schema_has_a_description_of_its_own(built):
    import pikepdf
    with pikepdf.open(built / "2020-2021" / "estrie.pdf") as pdf:
        xmp = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    extension = "{http://www.aiim.org/pdfa/ns/extension/}schemas"
    descriptions = xmp.findall(f"{rdf}RDF/{rdf}Description")
    holding = [d for d in descriptions if d.find(extension) is not None]
    assert len(holding) == 1 and len(list(holding[0])) == 1
    assert any(d.find("{http://www.aiim.org/pdfua/ns/id/}part") is not None for d in descriptions)


def test_verifier_reports_what_other_readers_would_meet(tmp_path, capsys, brand, monkeypatch):
    """A PDF with the defects other readers found (made by undoing each fix) fails the verifier,
    each defect said in French."""
    import pikepdf

    from reportgen.writers import pdf_structure
    from reportgen.writers.pdf import write_pdf
    monkeypatch.setattr(pdf_structure, "line_endings", lambda paragraph: [""] * len(paragraph.blPara.lines))
    folder = tmp_path / "2020-2021"
    folder.mkdir()
    write_pdf(_long_document(), brand, folder / "estrie.pdf")
    with pikepdf.open(folder / "estrie.pdf", allow_overwriting_input=True) as pdf:
        pdf.Root.Outlines.Count = int(pdf.Root.Outlines.Count) + 1
        last = pdf.Root.Outlines.First.Last
        last.Dest = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.XYZ, 0, 700, None])
        for font in {f.objgen: f for page in pdf.pages for f in page.obj.Resources.Font.values()}.values():
            font.BaseFont = pikepdf.Name("/AAAAAA+" + str(font.BaseFont)[8:])
        link = next(e for e in _elements(pdf.Root.StructTreeRoot.K) if str(e.S) == "/Link")
        link.K = pikepdf.Array([kid for kid in link.K if isinstance(kid, pikepdf.Dictionary)
                                and kid.get("/Type") == "/OBJR"])
        pdf.save(folder / "estrie.pdf")
    assert main(["verifier", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "  ✗ étiquettes de sous-ensemble de police uniques\n      – l’étiquette AAAAAA+ sert à 3 polices" in out
    assert "  ✗ texte balisé : mots séparés en fin de ligne\n      – " in out and "mot(s) collé(s) au suivant" in out
    assert ("      – le lien https://www.quebec.ca/immigration/page-0 n’a pas son texte dans son élément Link : "
            "un lecteur d’écran l’annonce hors de sa phrase") in out
    assert "      – le signet « Section numéro 9 » ouvre la page 1 ; son titre est à la page " in out
    assert "      – le sommaire annonce 4 entrées visibles et en montre 3 : les lecteurs stricts refusent le fichier" in out


def _elements(root):
    import pikepdf
    pending = [root]
    while pending:
        element = pending.pop(0)
        if isinstance(element, pikepdf.Array):
            pending[0:0] = list(element)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            pending.insert(0, element.get("/K", pikepdf.Array()))


# ---------------------------------------------------------------- Word template cache

def test_template_cache_is_found_again_from_a_moved_project(tmp_path, monkeypatch):
    """The cached Word template is keyed on what it is made of, not on the project's folder."""
    import shutil

    from reportgen.brand import load_brand
    from reportgen.writers.docx import template_cache
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    for name in ("un", "deux"):
        shutil.copytree(Path(__file__).parents[1] / "assets", tmp_path / name / "assets")
    first, second = (load_brand(tmp_path / name / "assets") for name in ("un", "deux"))
    assert template_cache._path(first) == template_cache._path(second)


def test_template_cache_keeps_the_most_recent_ones(tmp_path):
    import os

    from reportgen.writers.docx import template_cache
    for age in range(12):
        path = tmp_path / f"modele-word-{age:02d}.zip"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    template_cache._prune(tmp_path, keep=8)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"modele-word-{age:02d}.zip" for age in range(4, 12)]


def test_a_paragraph_split_across_pages_stays_one_element(long_pdf):
    """Each part of a paragraph broken by a page is content of the same P element: one element
    whose marked content is on two pages, and as many P elements as paragraphs."""
    import pikepdf
    document, path = long_pdf
    with pikepdf.open(path) as pdf:
        paragraphs, spanning = 0, 0
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
                if node.S == "/P":
                    paragraphs += 1
                    pages = {kid.Pg.objgen for kid in node.K
                             if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"}
                    spanning += bool(pages - {node.Pg.objgen})
                stack.append(node.K)
    assert paragraphs == sum(isinstance(block, Paragraph) for block in document.blocks)
    assert spanning >= 1
