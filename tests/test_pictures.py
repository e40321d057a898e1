"""A picture named by a period's data reaches both documents with its alternative text."""
import shutil
import zipfile

from PIL import Image as Picture
from pypdf import PdfReader

from reportgen.cli import main


def test_illustration_from_the_data_in_both_formats(tmp_path, root, monkeypatch):
    for folder in ("data", "layouts", "assets"):
        shutil.copytree(root / folder, tmp_path / folder)
    (tmp_path / "assets" / "images").mkdir()
    Picture.new("RGB", (1200, 600), "#095797").save(tmp_path / "assets" / "images" / "carte.png")
    period = tmp_path / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8") + "illustration:\n  fichier: images/carte.png\n"
                      "  description: Carte des points de services de l'Estrie\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--region", "estrie"]) == 0
    out = tmp_path / "build" / "2020-2021"
    assert [image.image.size for image in PdfReader(out / "estrie.pdf").pages[0].images] == [(1200, 600)]
    document = zipfile.ZipFile(out / "estrie.docx").read("word/document.xml").decode()
    assert 'descr="Carte des points de services de l’Estrie"' in document
