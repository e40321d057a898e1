"""Golden Word files: every XML part compared, parsed and canonicalised, with a reference.

After an intended change, regenerate the references and review their diff:

    python -m pytest tests/test_golden_docx.py --regenerer-golden
"""
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from documents import EVERY_NODE

from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.writers.docx import write_docx

GOLDEN = Path(__file__).parent / "golden"


def canonical(xml: bytes) -> str:
    """The part's XML with attribute order, namespaces and indentation normalised."""
    element = ElementTree.fromstring(ElementTree.canonicalize(xml_data=xml, strip_text=True))
    ElementTree.indent(element)
    return ElementTree.tostring(element, encoding="unicode") + "\n"


def xml_parts(package: zipfile.ZipFile) -> dict[str, str]:
    return {name: canonical(package.read(name)) for name in sorted(package.namelist())
            if name.endswith((".xml", ".rels"))}


def documents():
    root = Path(__file__).resolve().parents[1]
    estrie = next(r for r in load_catalog(root / "data").reports if r.slug == "estrie")
    return {"tous-les-blocs": EVERY_NODE, "estrie-2020-2021": make_document(estrie, root / "layouts")}


@pytest.mark.parametrize("name", ["tous-les-blocs", "estrie-2020-2021"])
def test_docx_matches_its_golden_xml(name, brand, regenerate_golden):
    stream = io.BytesIO()
    write_docx(documents()[name], brand, stream)
    package = zipfile.ZipFile(stream)
    parts = xml_parts(package)
    folder = GOLDEN / name
    if regenerate_golden:
        for part, text in parts.items():
            (folder / part).parent.mkdir(parents=True, exist_ok=True)
            (folder / part).write_text(text, encoding="utf-8")
        (folder / "parties.txt").write_text("\n".join(sorted(package.namelist())) + "\n", encoding="utf-8")
    assert sorted(package.namelist()) == (folder / "parties.txt").read_text(encoding="utf-8").split()
    for part, text in parts.items():
        assert text == (folder / part).read_text(encoding="utf-8"), f"{name}: {part} differs from its golden"
