"""The bench's ReportLab floor draws the same pages as reportgen: a like-for-like comparison."""
import io
import re
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT

from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.writers.pdf import write_pdf

sys.path.insert(0, str(ROOT / "bench"))
from plancher import plancher_reportlab  # noqa: E402


def _pages(data: bytes) -> list[str]:
    """Each page's letters and digits (the tagged file spells a word cut at a line's end whole)."""
    return [re.sub(r"\W|_", "", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("slug", ["estrie", "gaspesie-iles-de-la-madeleine", "monteregie"])
def test_the_floor_ends_every_page_where_reportgen_does(brand, slug):
    catalog = load_catalog(ROOT / "data", brand.first_undrawable, ROOT / "assets")
    report = next(r for r in catalog.reports if r.slug == slug)
    document = make_document(report, ROOT / "layouts", brand.first_undrawable, ROOT / "assets")
    ours = io.BytesIO()
    write_pdf(document, brand, ours)
    tagged, floor = _pages(ours.getvalue()), _pages(plancher_reportlab(document, brand))
    assert len(floor) == len(tagged)
    assert [page[-60:] for page in floor] == [page[-60:] for page in tagged]
