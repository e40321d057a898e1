"""Accessible and archival outputs: PDF/UA-1 and PDF/A-2a by real validators, the structure
read back in order, and an accessible Word file."""
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import page
import pikepdf
import pytest
from documents import EVERY_NODE
from helpers import structure_walk, words
from pdfua import validate

from reportgen.cli import main
from reportgen.model import Image, Signature, block_texts
from reportgen.writers.pdf import write_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPORTS = ["2020-2021/estrie", "2020-2021/monteregie", "2019-2021/gaspesie-iles-de-la-madeleine"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("accessible")
    assert main(["build", "--data", str(Path(__file__).parents[1] / "data"), "--out", str(out), "-j", "1"]) == 0
    return out


def failures(path_or_bytes, profile: str) -> list[str]:
    if isinstance(path_or_bytes, bytes):
        report = page.validate_pdf_bytes(path_or_bytes, profile=profile)
    else:
        report = page.validate_pdf(str(path_or_bytes), profile=profile)
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("profile", ["ua1", "2a"])
def test_bundled_reports_pass_the_validator(built, report, profile):
    assert failures(built / f"{report}.pdf", profile) == []


@pytest.mark.parametrize("report", REPORTS)
def test_bundled_reports_pass_pdfua(built, report):
    result = validate(str(built / f"{report}.pdf"))
    assert [(f.rule_id, f.message) for f in result.findings if f.severity.name == "ERROR"] == []
    assert result.exit_code == 0


@pytest.fixture(scope="module")
def every_node_pdf(tmp_path_factory):
    from PIL import Image as Picture

    from reportgen.brand import load_brand
    from reportgen.model import Document
    folder = tmp_path_factory.mktemp("image")
    Picture.new("RGB", (600, 300), "#095797").save(folder / "carte.png")
    document = Document(EVERY_NODE.title, EVERY_NODE.blocks[:-1] + (
        Image(str(folder / "carte.png"), "Carte des points de services"), EVERY_NODE.blocks[-1]),
        EVERY_NODE.subject, EVERY_NODE.keywords)
    stream = io.BytesIO()
    write_pdf(document, load_brand(Path(__file__).parents[1] / "assets"), stream)
    return document, stream.getvalue()


@pytest.mark.parametrize("profile", ["ua1", "2a"])
def test_every_block_type_passes_the_validator(every_node_pdf, profile):
    assert failures(every_node_pdf[1], profile) == []


def test_structure_read_in_order_is_the_reading_order(every_node_pdf):
    document, data = every_node_pdf
    walk = structure_walk(pikepdf.open(io.BytesIO(data)))
    content = [text for kind, text in walk if kind != "Figure"]
    expected = block_texts([b for b in document.blocks if not isinstance(b, (Image, Signature))])
    assert words(" ".join(content)) == words(" ".join(expected))
    kinds = [kind for kind, _ in walk]
    assert kinds[:3] == ["H1", "P", "P"] and "H2" in kinds and {"Lbl", "LBody"} <= set(kinds)
    assert "TH" in kinds and "Link" in kinds  # a cell that is all link holds the Link and its text


def test_structure_of_a_bundled_report_in_order(built):
    walk = structure_walk(pikepdf.open(built / "2020-2021" / "monteregie.pdf"))
    text = " ".join(t for kind, t in walk if kind != "Figure")
    assert words(text)[:6] == ["Bilan", "des", "réalisations", "2020", "2021", "en"]
    assert words(text)[-7:] == ["personnalisé", "du", "MIFI", "au", "31", "mars", "2021"]
    position = {word: index for index, word in enumerate(words(text))}
    assert position["Soutien"] < position["Services"] < position["Nous"] < position["207"]


def test_figures_have_alternative_text_and_links_are_tagged(every_node_pdf):
    pdf = pikepdf.open(io.BytesIO(every_node_pdf[1]))
    figures, links = [], []

    def visit(element):
        kind = str(element.get("/S", ""))
        if kind == "/Figure":
            figures.append(str(element.Alt))
        if kind == "/Link":
            links.append([str(kid.Obj.A.URI) for kid in element.K
                          if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"])
        for kid in element.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid)

    visit(pdf.Root.StructTreeRoot.K)
    assert figures == ["Carte des points de services", "Signature du ministère de l’Immigration, de la "
                       "Francisation et de l’Intégration, gouvernement du Québec"]
    assert links == [["https://www.quebec.ca/immigration"], ["mailto:a@mifi.gouv.qc.ca"], ["tel:+1-833-273-4667"]]
    contents = [str(a.Contents) for p in pdf.pages for a in p.obj.get("/Annots", [])]
    assert contents == ["Lien vers https://www.quebec.ca/immigration", "Écrire à a@mifi.gouv.qc.ca",
                        "Téléphoner au +1-833-273-4667"]


def test_pdf_declares_its_conformance(built):
    pdf = pikepdf.open(built / "2020-2021" / "estrie.pdf")
    with pdf.open_metadata() as meta:
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == ("2", "A", "1")
        assert meta["dc:title"] == "Bilan des réalisations 2020-2021 en Estrie"
    assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "fr-CA"
    assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFA1"
    assert all(str(p.obj.Tabs) == "/S" for p in pdf.pages)


def test_word_file_is_accessible(built):
    with zipfile.ZipFile(built / "2020-2021" / "estrie.docx") as package:
        document = ElementTree.fromstring(package.read("word/document.xml"))
        styles = ElementTree.fromstring(package.read("word/styles.xml"))
        core = package.read("docProps/core.xml").decode()
    used = [p.find(f"{W}pPr/{W}pStyle").get(W + "val") for p in document.iter(W + "p")
            if p.find(f"{W}pPr/{W}pStyle") is not None]
    headings = [int(s[-1]) for s in used if s.startswith("Heading")]
    assert used[0] == "Title" and headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    bullet = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == "ListBullet")
    assert bullet.find(f"{W}pPr/{W}numPr/{W}numId") is not None  # Word numbering, not typed bullets
    assert "<dc:title>Bilan des réalisations 2020-2021 en Estrie</dc:title>" in core
    assert "<dc:language>fr-CA</dc:language>" in core


def test_verifier_passes_the_bundled_outputs(built, capsys):
    assert main(["verifier", "--out", str(built)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "6 fichier(s) conforme(s), 0 non conforme(s)."
    assert "  ✓ PDF/UA-1 (validateur page) — 104/104 règles" in out
    assert "  ✓ PDF/A-2a (validateur page) — 154/154 règles" in out


def test_verifier_fails_an_untagged_pdf_and_an_image_without_description(tmp_path, capsys):
    import docx
    from PIL import Image as Picture
    from reportlab.pdfgen import canvas
    folder = tmp_path / "2020-2021"
    folder.mkdir()
    plain = canvas.Canvas(str(folder / "estrie.pdf"))
    plain.drawString(72, 720, "Bilan")
    plain.save()
    Picture.new("RGB", (20, 20)).save(tmp_path / "x.png")
    word = docx.Document()
    word.add_paragraph(style="Heading 1").add_run("Titre")
    word.add_paragraph(style="Heading 3").add_run("Sous-titre")
    word.add_picture(str(tmp_path / "x.png"))
    word.save(folder / "estrie.docx")
    assert main(["verifier", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "estrie.pdf : NON CONFORME" in out and "estrie.docx : NON CONFORME" in out
    assert "      – aucun arbre de structure : le PDF n’est pas balisé" in out
    assert "      – police non incorporée : /Helvetica" in out
    assert "      – 1 image(s) sans texte de remplacement" in out
    assert "      – Titre 1 suivi d’un titre 3" in out
    assert out.splitlines()[-1] == "0 fichier(s) conforme(s), 2 non conforme(s)."


def test_verifier_with_nothing_to_verify(tmp_path, capsys):
    assert main(["verifier", "--out", str(tmp_path)]) == 1
    assert f"aucun bilan à vérifier dans {tmp_path}" in capsys.readouterr().err
