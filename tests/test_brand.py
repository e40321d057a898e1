"""Brand tokens: one file read by both writers; every colour pair readable (WCAG AA)."""
import io
import zipfile

import pytest
from documents import EVERY_NODE
from pypdf import PdfReader

from reportgen.brand import contrast_ratio, load_brand
from reportgen.errors import DataError, ReportgenErrors
from reportgen.writers.docx import write_docx
from reportgen.writers.pdf import write_pdf


def test_contrast_formula_on_known_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_every_text_and_background_pair_meets_wcag_aa(brand):
    failures = [(what, round(contrast_ratio(fg, bg), 2)) for what, fg, bg, large in brand.text_pairs()
                if contrast_ratio(fg, bg) < (3.0 if large else 4.5)]
    assert failures == []


@pytest.fixture
def assets(project):
    return project / "assets"


def test_a_colour_changed_in_the_tokens_changes_both_outputs(assets):
    tokens = assets / "marque.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace('"#095797"', '"#7A1F5C"'), encoding="utf-8")
    brand = load_brand(assets)
    pdf = io.BytesIO()
    write_pdf(EVERY_NODE, brand, pdf)
    content = b"".join(page.get_contents().get_data() for page in PdfReader(pdf).pages)
    assert b".478431 .121569 .360784 rg" in content          # #7A1F5C as a PDF fill colour
    word = io.BytesIO()
    write_docx(EVERY_NODE, brand, word)
    styles = zipfile.ZipFile(word).read("word/styles.xml").decode()
    assert 'w:val="7A1F5C"' in styles and "095797" not in styles


def test_bad_tokens_are_located_errors(assets):
    tokens = assets / "marque.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace('"#223654"', '"bleu"'), encoding="utf-8")
    with pytest.raises(ReportgenErrors) as caught:
        load_brand(assets)
    [error] = caught.value.errors
    assert error.message == "« bleu » n’est pas une couleur #RRVVBB (exemple : #095797)"
    assert (error.location.line, error.location.key) == (13, "couleurs.foncee")


def test_official_signature_file_replaces_the_stand_in_in_both_formats(assets):
    from PIL import Image
    official = assets / "officiel" / "signature.png"
    official.parent.mkdir()
    Image.new("RGB", (1200, 300), "#123456").save(official)
    brand = load_brand(assets)
    word = zipfile.ZipFile(io.BytesIO(_docx_bytes(brand)))
    media = [word.read(name) for name in word.namelist() if name.startswith("word/media/")]
    assert official.read_bytes() in media
    pdf = io.BytesIO()
    write_pdf(EVERY_NODE, brand, pdf)
    last_page = PdfReader(pdf).pages[-1]
    [image] = last_page.images
    assert image.image.size == (1200, 300)
    assert "Immigration," not in last_page.extract_text()      # no stand-in drawn beside it


def _docx_bytes(brand) -> bytes:
    stream = io.BytesIO()
    write_docx(EVERY_NODE, brand, stream)
    return stream.getvalue()


def _new_process(monkeypatch, parse=None):
    """Forget what this process learnt of fonts; ``parse`` stands for ReportLab's parser."""
    from reportgen import brand as brand_module
    brand_module._font_characters.cache_clear()
    brand_module._load_brand.cache_clear()
    if parse:
        monkeypatch.setattr(brand_module, "font_face", parse)


def test_the_characters_of_a_font_are_kept_between_processes_by_its_content(assets, tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    _new_process(monkeypatch)
    assert load_brand(assets).first_undrawable("Été ✓") == "✓"
    parsed = []
    from reportgen import brand as brand_module
    real = brand_module.font_face
    _new_process(monkeypatch, parse=lambda path: parsed.append(path.name) or real(path))
    brand = load_brand(assets)
    assert brand.first_undrawable("Été ✓") == "✓" and parsed == []
    (assets / "fonts" / "Roboto-Italic.ttf").write_bytes((assets / "fonts" / "Roboto-Bold.ttf").read_bytes()[:-1])
    _new_process(monkeypatch, parse=lambda path: parsed.append(path.name) or real(path))
    load_brand(assets)
    assert parsed == ["Roboto-Italic.ttf"]  # another content: parsed, and known from now on


def test_a_broken_font_is_refused_whatever_the_cache_knows(assets, tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    _new_process(monkeypatch)
    load_brand(assets)
    (assets / "fonts" / "Roboto-Bold.ttf").write_bytes(b"pas une police")
    _new_process(monkeypatch)
    with pytest.raises(DataError) as caught:
        load_brand(assets)
    assert caught.value.message == ("fichier de police « fonts/Roboto-Bold.ttf » illisible : ce n’est pas une "
                                    "police TrueType valide")


@pytest.mark.parametrize("damage", [b"", b"{pas du json", b"[1, 2]", b'{"abc": 3}'])
def test_a_damaged_font_cache_is_only_slower(assets, tmp_path, monkeypatch, damage):
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "polices.json").write_bytes(damage)
    _new_process(monkeypatch)
    assert load_brand(assets).first_undrawable("Québec ✓") == "✓"
    import json
    assert len(json.loads((tmp_path / "cache" / "polices.json").read_bytes())) >= 5
