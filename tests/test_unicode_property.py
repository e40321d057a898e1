"""Arbitrary Unicode through the whole data path and both writers: it comes out exactly
as written (typeset), or it is reported with its place — never dropped, never a box."""
import io
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reportgen.brand import load_brand
from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.errors import ReportgenError
from reportgen.french import typeset
from reportgen.writers.docx import write_docx
from reportgen.writers.pdf import write_pdf

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REGION = (ROOT / "data" / "estrie" / "region.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    data = tmp_path_factory.mktemp("unicode") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("monteregie", "gaspesie*"))
    return data


def flat(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, and no soft hyphen (U+00AD is
    invisible except where a line breaks; ReportLab uses it as a break hint, as it should)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u00ad", "").split())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12))
def test_any_text_in_a_region_name_is_printed_exactly_or_reported(project, text):
    brand = load_brand(ROOT / "assets")
    region = yaml.safe_dump({"en": text}, allow_unicode=False, default_style='"').strip()
    (project / "estrie" / "region.yaml").write_text(
        REGION.replace("  en: en Estrie", "  " + region), encoding="utf-8")
    catalog = load_catalog(project, brand.first_undrawable)
    if catalog.errors:
        [error] = [e.error for e in catalog.errors]
        where = error.location
        assert (where.path.name, where.line, where.key) == ("region.yaml", 4, "formes.en"), str(error)
        return
    [report] = catalog.reports
    try:
        document = make_document(report, ROOT / "layouts", brand.first_undrawable)
    except ReportgenError as error:  # only a layout character check may speak here
        pytest.fail(f"unexpected error: {error}")
    title = typeset("Bilan des réalisations 2020-2021 " + "\u00a0".join(text.split()))  # a name never broken
    stream = io.BytesIO()
    write_docx(document, brand, stream)
    body = ElementTree.fromstring(zipfile.ZipFile(stream).read("word/document.xml"))
    first = next(body.iter(W + "p"))
    # A name's hyphen is non-breaking (U+2011) in a Word title, and a joined en dash keeps a
    # word joiner (U+2060): both print as the character typed.
    written = "".join(t.text or "" for t in first.iter(W + "t"))
    assert written.replace("\u2011", "-").replace("\u2060", "") == title
    stream = io.BytesIO()
    write_pdf(document, brand, stream)
    assert flat(title) in flat(PdfReader(stream).pages[0].extract_text())


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=80))
def test_escaped_data_is_always_one_paragraph_of_literal_text(text):
    from reportgen.data.yamlfile import character_problem
    from reportgen.markup import escape_markdown, parse_markup
    from reportgen.model import Paragraph, Text
    assume(character_problem(text) is None)  # the data check refuses the others first
    folded = " ".join(text.split())
    blocks = parse_markup("Avant " + escape_markdown(text) + " après\n", Path("essai.md"))
    assert blocks == (Paragraph((Text(typeset(f"Avant {folded} après")),)),)
