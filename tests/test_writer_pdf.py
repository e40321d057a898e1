"""The PDF writer on a small document: text, fonts, links, metadata, pages."""
import io

import pytest
from documents import EVERY_NODE
from pypdf import PdfReader

from reportgen.writers.pdf import write_pdf


@pytest.fixture(scope="module")
def reader(brand):
    stream = io.BytesIO()
    write_pdf(EVERY_NODE, brand, stream)
    return PdfReader(stream)


def page_text(reader, index):
    return reader.pages[index].extract_text()


def test_text_of_every_block_in_reading_order(reader):
    first = page_text(reader, 0)
    expected = ["Bilan d’essai", "Ministère d’essai", "italique", "gras", "R&D <Cie> ]]>", "lien",
                "Section", "premier", "fort", "207", "employeurs", "11", "points", "« Citation »",
                "— Nicolas Martin", "Page 1 de 2"]
    positions = [first.index(text) for text in expected]
    assert positions == sorted(positions)


def test_page_break_and_footer_count(reader):
    assert len(reader.pages) == 2
    second = page_text(reader, 1)
    for text in ("Courriel", "a@mifi.gouv.qc.ca", "Téléphone", "Immigration,", "Francisation",
                 "et Intégration", "Québec", "Page 2 de 2"):
        assert text in second


def test_every_font_is_embedded_and_no_helvetica(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"] or "/FontFile2" in \
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert {name.split("+")[1] for name in names} == {"Roboto-Regular", "Roboto-Italic", "Roboto-Bold",
                                                       "Roboto-Medium"}


def test_links_are_real_annotations(reader):
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])]
    assert uris == ["https://www.quebec.ca/immigration", "mailto:a@mifi.gouv.qc.ca", "tel:+1-833-273-4667"]


def test_metadata_language_and_letter_size(reader):
    info = reader.metadata
    assert info.title == "Bilan d’essai"
    assert info.author == "Ministère de l'Immigration, de la Francisation et de l'Intégration"
    assert info.subject == "Sujet d’essai"
    assert info.creator.startswith("reportgen ")
    assert reader.trailer["/Root"]["/Lang"] == "fr-CA"
    assert [float(v) for v in reader.pages[0].mediabox] == [0, 0, pytest.approx(612, abs=0.1),
                                                            pytest.approx(792, abs=0.1)]


def test_a4_by_setting(brand):
    a4 = brand.model_copy(update={"page": brand.page.model_copy(update={"size": "a4"})})
    stream = io.BytesIO()
    write_pdf(EVERY_NODE, a4, stream)
    box = PdfReader(stream).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_narrow_no_break_space_never_breaks_a_line(brand):
    from reportgen.model import Document, Paragraph, Text
    # Many "mot ;" pairs: each ; must stay on the line of its word.
    text = " ".join(f"mot{i} accueillante\u202f;" for i in range(40))
    stream = io.BytesIO()
    write_pdf(Document("t", (Paragraph((Text(text),)),)), brand, stream)
    lines = PdfReader(stream).pages[0].extract_text().splitlines()
    assert all(not line.lstrip().startswith(";") for line in lines)


def test_outline_is_built_from_the_headings(reader):
    outline = reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["Bilan d’essai"]
    assert [item.title for item in outline[1]] == ["Section"]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_viewer_shows_the_title_and_keywords_are_set(reader):
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata["/Keywords"] == "essai, MIFI"


def test_outline_never_skips_a_level(brand):
    from reportgen.model import Document, Heading, Text
    stream = io.BytesIO()
    write_pdf(Document("t", (Heading(2, (Text("Section sans titre"),)), Heading(3, (Text("Sous-section"),)))),
              brand, stream)
    outline = PdfReader(stream).outline
    assert outline[0].title == "Section sans titre" and outline[1][0].title == "Sous-section"


def test_pdf_dates_are_the_document_date(brand):
    import datetime as dt

    from reportgen.model import Document, Paragraph, Text
    stream = io.BytesIO()
    write_pdf(Document("t", (Paragraph((Text("x"),)),), date=dt.date(2021, 9, 1)), brand, stream)
    info = PdfReader(stream).metadata
    assert info["/CreationDate"].startswith("D:20210901120000") and info["/ModDate"] == info["/CreationDate"]


def test_images_are_drawn_scaled_to_the_column(brand, tmp_path):
    from PIL import Image as Picture

    from reportgen.model import Document, Image
    Picture.new("RGB", (2000, 500), "#095797").save(tmp_path / "large.png")
    stream = io.BytesIO()
    write_pdf(Document("t", (Image(str(tmp_path / "large.png"), "Une bande bleue"),)), brand, stream)
    [picture] = PdfReader(stream).pages[0].images
    assert picture.image.size == (2000, 500)


def test_a_font_over_the_brands_parsed_face_is_the_font_reportlab_would_make(brand):
    """``_ParsedTTFont`` sets what ``TTFont.__init__`` sets, without parsing the file again:
    a ReportLab that sets more fails here rather than in a user's PDF."""
    from reportlab.pdfbase.ttfonts import TTFont

    from reportgen.brand import font_face
    from reportgen.writers.pdf import _ParsedTTFont

    path = brand.asset(brand.fonts.regular)
    made, ours = TTFont("Essai-Regular", str(path)), _ParsedTTFont("Essai-Regular", font_face(path))
    assert sorted(vars(ours)) == sorted(vars(made))
    for name in vars(made):
        if name not in ("face", "encoding", "state"):
            assert getattr(ours, name) == getattr(made, name), name
    assert ours.face is font_face(path) and ours.face.charWidths == made.face.charWidths
    assert type(ours.encoding) is type(made.encoding) and dict(ours.state) == dict(made.state) == {}


def test_a_brand_font_replaced_on_disk_is_used_by_the_next_pdf(project, monkeypatch):
    """A long-running atelier: the brand and the PDF writer both see the new file."""
    import os

    from reportgen.brand import load_brand
    from reportgen.writers import pdf as writer

    fonts = project / "assets" / "fonts"
    first = writer._register_fonts(load_brand(project / "assets"))
    regular = fonts / "Roboto-Regular.ttf"
    regular.write_bytes((fonts / "Roboto-Bold.ttf").read_bytes())
    os.utime(regular, ns=(1, 1))
    brand = load_brand(project / "assets")
    names = writer._register_fonts(brand)
    assert names != first and writer._register_fonts(brand) == names
    from reportlab.pdfbase import pdfmetrics
    assert pdfmetrics.getFont(names.regular).face.name == b"Roboto-Bold"
    assert pdfmetrics.getFont(first.regular).face.name == b"Roboto-Regular"
    assert brand.first_undrawable("é") is None


def test_cross_reference_rows_are_each_minus_the_row_above_byte_by_byte():
    from reportgen.writers.pdf_finish import _up_predicted

    rows = [(0, 0, 0), (1, 0x0100, 0), (2, 0x00FF, 7), (1, 0xFF00, 255), (0, 0, 0)]
    expected = bytes([2, 0, 0, 0, 0,
                      2, 1, 1, 0, 0,       # 0x0100 - 0x0000: no borrow into the next byte
                      2, 1, 0xFF, 0xFF, 7,  # 0x00FF - 0x0100 byte by byte: 0x00-0x01, 0xFF-0x00
                      2, 0xFF, 0xFF, 1, 248,
                      2, 0xFF, 1, 0, 1])
    assert _up_predicted(rows, (1, 2, 1)) == expected


def test_a_colour_profile_replaced_on_disk_is_embedded_by_the_next_pdf(project):
    """The profile is read and deflated once per process, but a new file is read again."""
    import pikepdf

    from reportgen.brand import load_brand
    brand = load_brand(project / "assets")
    profile = brand.asset(brand.page.icc_profile)

    def embedded() -> bytes:
        stream = io.BytesIO()
        write_pdf(EVERY_NODE, brand, stream)
        with pikepdf.open(stream) as pdf:
            return pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()

    assert embedded() == profile.read_bytes()
    profile.write_bytes(profile.read_bytes() + b"\0" * 4)
    assert embedded() == profile.read_bytes()


def test_plain_dictionaries_are_formatted_byte_for_byte_as_reportlab_formats_them():
    from reportlab.pdfbase import pdfdoc

    from reportgen.writers.pdf_finish import _formatted

    document = pdfdoc.PDFDocument(invariant=1)
    value = pdfdoc.PDFDictionary({
        "Type": "/Annot", "Subtype": "/Link", "F": 4, "Rect": pdfdoc.PDFArray([1.5, 2, 300.25, 4e-3]),
        "Widths": pdfdoc.PDFArray(list(range(23))), "Contents": pdfdoc.PDFString("Écrire à « a@b.ca »"),
        "A": pdfdoc.PDFDictionary({"S": "/URI", "URI": pdfdoc.PDFString("https://quebec.ca/(x)")}),
        "P": pdfdoc.PDFObjectReference("R1"), "Border": pdfdoc.PDFArray([0, 0, 0]), "Odd Key#": "true"})
    document.Reference(pdfdoc.PDFDictionary({}), "R1")
    assert _formatted(value, document) == pdfdoc.format(value, document)
