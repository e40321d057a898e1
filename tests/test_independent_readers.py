"""The outputs as tools other than the project's own read them (``readers``): poppler, pypdf,
libmagic and openxml-audit. The validators the writers were built against are not enough."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from documents import EVERY_NODE
from readers import file_type, openxml_findings

from reportgen.cli import main
from reportgen.model import Document, KeyFigure, KeyFigures, Paragraph, Text
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
