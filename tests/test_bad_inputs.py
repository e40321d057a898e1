"""Every case of the bad-input corpus (tests/mauvaises-entrees/, read by bad_inputs.py):
a mistake gives its exact French message and location and no traceback; hostile text
that is legal comes out exactly as written, and never as a link or markup."""
import re

import pytest
from bad_inputs import all_cases, install
from helpers import docx_paragraphs, docx_xml
from pypdf import PdfReader

from reportgen.cli import main

CASES = all_cases()
ALLOWED_LINK = re.compile(r"(https?|mailto|tel):")


def test_the_corpus_is_large_enough():
    assert len([c for c in CASES if c.expected]) >= 40
    assert len([c for c in CASES if c.name.split("-")[1] == "yaml" and c.hints]) >= 30
    assert len([c for c in CASES if c.literal]) >= 5


REPORT_PREFIX = re.compile(r"\[\d{4}-\d{4}/[a-z0-9-]+\] ")


def told(err: str, kind: str) -> list[tuple[str, str]]:
    """Each message of a kind (erreur, avertissement) with its fix, without the report's prefix,
    once (a mistake shared by several reports is told for each of them)."""
    lines, found = err.splitlines(), []
    for index, line in enumerate(lines):
        if line.startswith(f"{kind} : "):
            hint = lines[index + 1].removeprefix("  → ") if lines[index + 1:index + 2] and \
                lines[index + 1].startswith("  → ") else ""
            found.append((REPORT_PREFIX.sub("", line.removeprefix(f"{kind} : "), count=1), hint))
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("case", [c for c in CASES if c.expected or c.warnings], ids=lambda c: c.name)
def test_mistake_is_reported_with_its_location(case, tmp_path, root, monkeypatch, capsys):
    install(case, tmp_path, root)
    monkeypatch.chdir(tmp_path)
    status = main(["check"])
    err = capsys.readouterr().err
    assert status == (1 if case.expected else 0), err
    errors, warnings = told(err, "erreur"), told(err, "avertissement")
    assert [message for message, _ in errors] == case.expected
    if case.hints:
        assert [hint for _, hint in errors] == case.hints
    assert [message for message, _ in warnings] == case.warnings
    assert "Traceback" not in err


def flat(text: str) -> str:
    text = text.replace("-\n", "").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


@pytest.mark.parametrize("case", [c for c in CASES if c.literal], ids=lambda c: c.name)
def test_hostile_text_comes_out_as_written(case, tmp_path, root, monkeypatch, capsys):
    install(case, tmp_path, root)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--region", "estrie"]) == 0, capsys.readouterr().err
    pdf = PdfReader(tmp_path / "build" / "2020-2021" / "estrie.pdf")
    pdf_text = flat("\n".join(page.extract_text() for page in pdf.pages))
    docx = tmp_path / "build" / "2020-2021" / "estrie.docx"
    docx_text = flat("\n".join(docx_paragraphs(docx)))
    for text in case.literal:
        assert text in pdf_text
        assert text in docx_text
    uris = [a.get_object()["/A"]["/URI"] for page in pdf.pages for a in page.get("/Annots", [])]
    assert all(ALLOWED_LINK.match(uri) for uri in uris)
    rels = docx_xml(docx, "word/_rels/document.xml.rels")
    targets = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert all(ALLOWED_LINK.match(target) for target in targets)
