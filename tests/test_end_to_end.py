"""The three published reports, rebuilt from the bundled data, compared with their text."""
from pathlib import Path

import pytest
from helpers import agreement, docx_paragraphs, pdf_text, recall, words

from reportgen.cli import main

REFERENCES = Path(__file__).parent / "reference"
REPORTS = [("2020-2021", "estrie"), ("2020-2021", "monteregie"), ("2019-2021", "gaspesie-iles-de-la-madeleine")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    assert main(["build", "--data", str(Path(__file__).parents[1] / "data"), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("period, slug", REPORTS)
def test_report_matches_the_published_text(built, period, slug):
    reference = words((REFERENCES / f"{slug}-{period}.txt").read_text(encoding="utf-8"))
    pdf_words = words(pdf_text(built / period / f"{slug}.pdf"))
    docx_words = words("\n".join(docx_paragraphs(built / period / f"{slug}.docx")))
    assert recall(reference, pdf_words) >= 0.97
    assert recall(reference, docx_words) >= 0.97
    assert agreement(pdf_words, docx_words) >= 0.97


def test_every_output_is_where_the_contract_says(built):
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert files == sorted([".reportgen-manifeste.json"] +
                           [f"{period}/{slug}.{fmt}" for period, slug in REPORTS for fmt in ("pdf", "docx")])
