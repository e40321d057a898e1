"""The Word writer on a small document: styles, runs, hyperlinks, tables, page, properties."""
import io
import zipfile
from xml.etree import ElementTree

import docx
import pytest
from documents import EVERY_NODE

from reportgen.model import Signature
from reportgen.writers.docx import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def package(brand):
    stream = io.BytesIO()
    write_docx(EVERY_NODE, brand, stream)
    return zipfile.ZipFile(stream)


def xml(package, part):
    return ElementTree.fromstring(package.read(part))


def style_ids(package):
    return {s.find(W + "name").get(W + "val"): s.get(W + "styleId")
            for s in xml(package, "word/styles.xml").iter(W + "style")}


def body_paragraphs(package):
    """(style name as Word shows it, text) of each body paragraph outside tables."""
    package.fp.seek(0)
    return [(p.style.name, p.text.replace("\n", "")) for p in docx.Document(package.fp).paragraphs]


def test_each_block_gets_its_named_style(package):
    assert body_paragraphs(package) == [
        ("Title", "Bilan d’essai"),
        ("Ministère", "Ministère d’essai"),
        ("Normal", "Texte italique et gras avec R&D <Cie> ]]>et un lien."),
        ("Heading 1", "Section"),
        ("List Bullet", "premier"),
        ("List Bullet", "second fort"),
        ("Normal", ""),
        ("Quote", "« Citation »"),
        ("Attribution", "— Nicolas Martin"),
        ("Normal", ""),
        ("Coordonnées", "Courriel\u00a0: a@mifi.gouv.qc.ca"),
        ("Coordonnées", "Téléphone\u00a0: 1 833 273-4667"),
        ("Signature du Ministère", ""),
    ]


def test_emphasis_and_strong_are_run_properties(package):
    runs = {"".join(t.text for t in r.iter(W + "t")): r for r in xml(package, "word/document.xml").iter(W + "r")}
    assert runs["italique"].find(f"{W}rPr/{W}i") is not None
    assert runs["gras"].find(f"{W}rPr/{W}b") is not None
    assert runs["Texte "].find(f"{W}rPr") is None


def test_links_are_real_hyperlinks_with_the_hyperlink_style(package):
    rels = {r.get("Id"): (r.get("Target"), r.get("TargetMode"))
            for r in xml(package, "word/_rels/document.xml.rels")}
    links = list(xml(package, "word/document.xml").iter(W + "hyperlink"))
    assert [rels[link.get(R + "id")] for link in links] == [
        ("https://www.quebec.ca/immigration", "External"), ("mailto:a@mifi.gouv.qc.ca", "External"),
        ("tel:+1-833-273-4667", "External")]
    hyperlink_id = style_ids(package)["Hyperlink"]
    for link in links:
        assert link.find(f"{W}r/{W}rPr/{W}rStyle").get(W + "val") == hyperlink_id


def test_key_figures_table(package):
    [table] = xml(package, "word/document.xml").iter(W + "tbl")
    rows = [["".join(t.text for t in cell.iter(W + "t")) for cell in row.iter(W + "tc")]
            for row in table.iter(W + "tr")]
    assert rows == [["207", "employeurs"], ["11", "points"]]


def test_brand_font_and_french_in_the_document_defaults(package):
    styles = xml(package, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(W + "rFonts")
    assert {fonts.get(W + slot) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Roboto"}
    assert {defaults.find(W + "lang").get(W + slot) for slot in ("val", "eastAsia", "bidi")} == {"fr-CA"}
    # No style falls back to the template's theme fonts or to another language.
    for element in styles.iter(W + "rFonts"):
        assert not any(key.endswith("Theme") or key.endswith("theme") for key in element.attrib)
    assert {lang.get(W + "val") for lang in styles.iter(W + "lang")} == {"fr-CA"}


def test_fonts_are_embedded_and_deobfuscate_to_the_brand_files(package, brand):
    _assert_embedded_fonts_are(package, brand)


def _assert_embedded_fonts_are(package, brand) -> None:
    table = xml(package, "word/fontTable.xml")
    [roboto] = [f for f in table.iter(W + "font") if f.get(W + "name") == "Roboto"]
    rels = {r.get("Id"): r.get("Target") for r in xml(package, "word/_rels/fontTable.xml.rels")}
    for tag, face in (("embedRegular", brand.fonts.regular), ("embedBold", brand.fonts.bold),
                      ("embedItalic", brand.fonts.italic), ("embedBoldItalic", brand.fonts.bold_italic)):
        embed = roboto.find(W + tag)
        data = package.read("word/" + rels[embed.get(R + "id")])
        digits = embed.get(W + "fontKey").strip("{}").replace("-", "")
        key = bytes.fromhex(digits)[::-1]
        assert bytes(b ^ key[i % 16] for i, b in enumerate(data[:32])) + data[32:] == \
            brand.asset(face).read_bytes()
    assert xml(package, "word/settings.xml").find(W + "embedTrueTypeFonts") is not None


def test_no_python_docx_template_residue(package):
    names = package.namelist()
    assert not [n for n in names if "thumbnail" in n or "customXml" in n or "stylesWithEffects" in n]
    app = package.read("docProps/app.xml").decode()
    assert "<Application>reportgen " in app
    settings = package.read("word/settings.xml").decode()
    assert "en-US" not in settings and "proofState" not in settings


def test_signature_and_band_are_described_images(package):
    descriptions = [d.get("descr") for part in ("word/document.xml", "word/header1.xml", "word/header2.xml")
                    if part in package.namelist()
                    for d in xml(package, part).iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == ["Signature du ministère de l’Immigration, de la Francisation et de l’Intégration, "
                            "gouvernement du Québec"] * 2


def test_letter_page_and_page_x_of_y_footer(package):
    size = xml(package, "word/document.xml").find(f"{W}body/{W}sectPr/{W}pgSz")
    assert (size.get(W + "w"), size.get(W + "h")) == ("12240", "15840")
    footer = xml(package, "word/footer1.xml")
    assert [f.get(W + "instr") for f in footer.iter(W + "fldSimple")] == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(W + "t")) == "Page 1 de 1"


def test_core_properties(package):
    core = package.read("docProps/core.xml").decode()
    assert "<dc:title>Bilan d’essai</dc:title>" in core
    assert "<dc:creator>Ministère de l'Immigration, de la Francisation et de l'Intégration</dc:creator>" in core
    assert "<dc:language>fr-CA</dc:language>" in core
    assert "python-docx" not in core
    assert "2013" not in core


def test_images_keep_their_alternative_text_and_fit_the_text_width(brand, tmp_path):
    from PIL import Image as Picture

    from reportgen.model import Document, Image
    Picture.new("RGB", (3000, 1000), "#095797").save(tmp_path / "large.png", dpi=(72, 72))
    stream = io.BytesIO()
    write_docx(Document("t", (Image(str(tmp_path / "large.png"), "Une bande bleue"),)), brand, stream)
    document = xml(zipfile.ZipFile(stream), "word/document.xml")
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    [described] = document.iter(drawing + "docPr")
    assert described.get("descr") == "Une bande bleue"
    [extent] = document.iter(drawing + "extent")
    text_width = (215.9 - 48) * 36000  # letter width minus margins, in EMU
    assert int(extent.get("cx")) == pytest.approx(text_width, rel=0.001)
    assert int(extent.get("cy")) == pytest.approx(text_width / 3, rel=0.001)


def _pictures_document(tmp_path, draft=False):
    from PIL import Image as Picture

    from reportgen.model import Document, Image
    Picture.new("RGB", (300, 100), "#095797").save(tmp_path / "bleu.png", dpi=(72, 72))
    Picture.new("RGB", (300, 100), "#223654").save(tmp_path / "sombre.jpg", dpi=(150, 150))
    return Document("t", (Image(str(tmp_path / "bleu.png"), "Une"), Image(str(tmp_path / "sombre.jpg"), "Deux"),
                          Image(str(tmp_path / "bleu.png"), "Encore"), Signature()), draft=draft)


def test_each_picture_is_stored_once_after_the_template_s_and_declared(brand, tmp_path):
    """Pictures follow the band (image1): the same picture shown twice is one part with one
    relationship, a JPEG has its content type, and every drawing id is unique in the file."""
    stream = io.BytesIO()
    write_docx(_pictures_document(tmp_path), brand, stream)
    package = zipfile.ZipFile(stream)
    assert sorted(n for n in package.namelist() if n.startswith("word/media/")) == [
        "word/media/image1.png", "word/media/image2.png", "word/media/image3.jpg", "word/media/image4.png"]
    assert package.read("word/media/image2.png") == (tmp_path / "bleu.png").read_bytes()
    rels = {r.get("Id"): r.get("Target") for r in xml(package, "word/_rels/document.xml.rels")}
    blips = [b.get(R + "embed") for b in xml(package, "word/document.xml").iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}blip")]
    assert [rels[rel_id] for rel_id in blips] == ["media/image2.png", "media/image3.jpg", "media/image2.png",
                                                  "media/image4.png"]
    assert len(rels) == len(set(rels.values()))
    types = {d.get("Extension"): d.get("ContentType") for d in xml(package, "[Content_Types].xml")
             if d.tag.endswith("Default")}
    assert types["jpg"] == "image/jpeg" and types["png"] == "image/png"
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ids = [d.get("id") for name in package.namelist() if name.startswith("word/") and name.endswith(".xml")
           for d in xml(package, name).iter(drawing)]
    assert len(ids) == 5 and len(set(ids)) == 5


def test_a_draft_differs_from_its_published_file_only_by_its_marked_headers(brand, tmp_path):
    files = {}
    for draft in (False, True):
        stream = io.BytesIO()
        write_docx(_pictures_document(tmp_path, draft), brand, stream)
        files[draft] = zipfile.ZipFile(stream)
    published, marked = files[False], files[True]
    assert sorted(published.namelist()) == sorted(marked.namelist())
    changed = [n for n in published.namelist() if published.read(n) != marked.read(n)]
    assert changed == ["word/header1.xml", "word/header2.xml"]
    for name in changed:
        paragraphs = list(xml(marked, name).iter(W + "p"))
        assert len(paragraphs) == len(list(xml(published, name).iter(W + "p"))) + 1
        last = paragraphs[-1]
        assert "".join(t.text for t in last.iter(W + "t")) == "BROUILLON"
        assert last.find(f"{W}pPr/{W}jc").get(W + "val") == "center"
        assert last.find(f"{W}r/{W}rPr/{W}color").get(W + "val") == "C62828"


def test_reports_written_in_turn_share_nothing(brand, tmp_path):
    """One process writes many reports from one template: a report's links and pictures never
    appear in the next one's file."""
    def written(document):
        stream = io.BytesIO()
        write_docx(document, brand, stream)
        return stream.getvalue()

    first = written(EVERY_NODE)
    written(_pictures_document(tmp_path))
    written(_pictures_document(tmp_path, draft=True))
    last = written(EVERY_NODE)
    assert last == first
    package = zipfile.ZipFile(io.BytesIO(last))
    targets = sorted(r.get("Target") for r in xml(package, "word/_rels/document.xml.rels")
                     if r.get("Type").endswith(("/image", "/hyperlink")))
    assert targets == ["https://www.quebec.ca/immigration", "mailto:a@mifi.gouv.qc.ca", "media/image2.png",
                       "tel:+1-833-273-4667"]
    assert "jpg" not in package.read("[Content_Types].xml").decode()


def test_the_built_template_is_cached_on_disk_and_a_bad_cache_is_ignored(brand, tmp_path, monkeypatch):
    from reportgen.writers import docx as writer
    from reportgen.writers.docx import template_cache
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path))
    monkeypatch.setattr(writer, "_TEMPLATES", {})
    first = io.BytesIO()
    write_docx(EVERY_NODE, brand, first)
    [cached] = tmp_path.glob("modele-word-*.zip")
    assert template_cache.load(brand).package == writer._TEMPLATES[writer._template_key(brand)].package
    cached.write_bytes(b"pas un zip")
    monkeypatch.setattr(writer, "_TEMPLATES", {})
    second = io.BytesIO()
    write_docx(EVERY_NODE, brand, second)
    assert second.getvalue() == first.getvalue()


_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def test_paragraph_and_run_properties_keep_the_schema_order(package):
    """Word refuses a file whose w:pPr or w:rPr children are out of the ECMA-376 order."""
    from reportgen.writers.docx.styles import _PPR_ORDER
    orders = {"pPr": [name[2:] for name in _PPR_ORDER], "rPr": list(_RPR_ORDER)}
    checked = 0
    for name in package.namelist():
        if not (name.startswith("word/") and name.endswith(".xml")) or "fontTable" in name:
            continue
        for kind, order in orders.items():
            for element in xml(package, name).iter(W + kind):
                tags = [child.tag.rsplit("}", 1)[1] for child in element]
                known = [order.index(tag) for tag in tags if tag in order]
                assert known == sorted(known) and len(set(tags)) == len(tags), (name, kind, tags)
                checked += 1
    assert checked > 100


def test_a_brand_font_replaced_on_disk_is_embedded_in_the_next_word_file(project, tmp_path, monkeypatch):
    """A long-running atelier: the brand is read again, and the Word template made anew."""
    from reportgen.brand import load_brand
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    assets = project / "assets"
    write_docx(EVERY_NODE, load_brand(assets), io.BytesIO())
    regular = assets / "fonts" / "Roboto-Regular.ttf"
    regular.write_bytes((assets / "fonts" / "Roboto-Medium.ttf").read_bytes())
    brand = load_brand(assets)
    stream = io.BytesIO()
    write_docx(EVERY_NODE, brand, stream)
    _assert_embedded_fonts_are(zipfile.ZipFile(stream), brand)
