"""Markup text -> document model, checked as nested tuples."""
from pathlib import Path

import pytest

from reportgen.errors import MarkupError
from reportgen.french import NBSP
from reportgen.markup import (
    check_url,
    clean_inline_markdown,
    escape_markdown,
    parse_markup,
)
from reportgen.model import as_tuples

LAYOUT = Path("layouts/essai.md")


def parse(text):
    return as_tuples(parse_markup(text, LAYOUT))


def test_headings_paragraphs_and_roles():
    assert parse("# Bilan 2020\n\n{.ministere}\nMinistère\n\nTexte *en italique* et **gras**.\n") == [
        ("heading", 1, [("text", "Bilan 2020")]),
        ("paragraph", [("text", "Ministère")], "ministere"),
        ("paragraph", [("text", "Texte "), ("emph", [("text", "en italique")]), ("text", " et "),
                       ("strong", [("text", "gras")]), ("text", ".")]),
    ]


def test_soft_breaks_join_lines_and_text_is_typeset():
    assert parse("Courriel :\nl'adresse\n") == [
        ("paragraph", [("text", f"Courriel{NBSP}: l\u2019adresse")])]


def test_bullet_list_with_links():
    assert parse("- [SANC](https://www.sanc-sherbrooke.ca/)\n- deux\n") == [
        ("list", [[("link", "https://www.sanc-sherbrooke.ca/", [("text", "SANC")])],
                  [("text", "deux")]])]


def test_key_figures_directive():
    assert parse("::: chiffres\n- **11** points de services\n- **6** conseillers et **10** agents\n:::\n") == [
        ("figures", [("figure", "11", [("text", "points de services")]),
                     ("figure", "6", [("text", "conseillers et "), ("strong", [("text", "10")]),
                                      ("text", " agents")])])]


def test_quote_directive_with_attribution():
    assert parse("::: citation\n« Nous sommes fiers »\n\n{.attribution}\nNicolas Martin\n:::\n") == [
        ("quote", [("text", f"«{NBSP}Nous sommes fiers{NBSP}»")], [("text", "Nicolas Martin")])]


def test_contacts_directive_splits_label_and_value():
    assert parse("::: coordonnees\n- Courriel : [a@b.ca](mailto:a@b.ca)\n- Téléphone : 1 833 273-4667\n:::\n") == [
        ("contacts", [("contact", "Courriel", [("link", "mailto:a@b.ca", [("text", "a@b.ca")])]),
                      ("contact", "Téléphone", [("text", "1\u00a0833\u00a0273\u20114667")])])]


def test_signature_and_page_break_directives():
    assert parse("::: signature\n:::\n\n::: saut-de-page\n:::\n") == [("signature",), ("pagebreak",)]


def test_raw_html_stays_literal_text():
    assert parse('<img src="/etc/passwd"/> R&D <Cie>\n') == [
        ("paragraph", [("text", '<img src="/etc/passwd"/> R&D <Cie>')])]


@pytest.mark.parametrize("text, message", [
    ("::: inconnu\ntexte\n:::\n", "directive inconnue « ::: inconnu »"),
    ("[x](javascript:alert(1))\n", "adresse de lien refusée « javascript:alert(1) »"),
    ("![logo](https://x.ca/a.png)\n", "élément non pris en charge dans un texte : image"),
    ("1. un\n2. deux\n", "bloc non pris en charge dans un gabarit : ordered_list"),
    ("::: chiffres\n- 11 points\n:::\n", "un chiffre clé doit commencer par le nombre en gras"),
])
def test_markup_errors_name_the_layout(text, message):
    with pytest.raises(MarkupError) as caught:
        parse_markup(text, LAYOUT)
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith("layouts/essai.md : ")


def test_escaped_data_cannot_change_structure():
    hostile = "# titre\n- liste\n[lien](javascript:x) **gras** <b>&amp;x ]]>"
    blocks = parse(f"Valeur : {escape_markdown(hostile)}\n")
    assert blocks == [("paragraph", [(
        "text", f"Valeur{NBSP}: # titre - liste [lien](javascript:x) **gras** <b>&amp;x ]]>")])]


def test_clean_inline_markdown_keeps_emphasis_strong_and_safe_links():
    cleaned = clean_inline_markdown("la *Semaine* et **gras** [site](https://x.ca) - # 1.")
    assert parse(cleaned + "\n") == [("paragraph", [
        ("text", "la "), ("emph", [("text", "Semaine")]), ("text", " et "), ("strong", [("text", "gras")]),
        ("text", " "), ("link", "https://x.ca", [("text", "site")]), ("text", " - # 1.")])]


def test_clean_inline_markdown_refuses_images_and_bad_links():
    with pytest.raises(ValueError, match="images ne sont pas permises"):
        clean_inline_markdown("![x](https://x.ca/a.png)")
    with pytest.raises(ValueError, match="adresse de lien refusée"):
        clean_inline_markdown("[x](file:///etc/passwd)")


@pytest.mark.parametrize("url", ["https://www.quebec.ca/immigration", "http://x.ca", "mailto:a@b.ca",
                                 "tel:+1-833-273-4667"])
def test_check_url_accepts_the_four_schemes(url):
    assert check_url(url) == url


@pytest.mark.parametrize("url", ["#", "javascript:alert(1)", "ftp://x", "https://x.ca/a b", "www.x.ca"])
def test_check_url_refuses_others(url):
    with pytest.raises(ValueError):
        check_url(url)


def test_image_directive_resolves_inside_assets(tmp_path):
    from PIL import Image as Picture
    (tmp_path / "images").mkdir()
    Picture.new("RGB", (40, 20), "#095797").save(tmp_path / "images" / "carte.png")
    blocks = parse_markup("::: image images/carte\\.png\nCarte de la région\n:::\n", LAYOUT, tmp_path)
    assert as_tuples(blocks) == [("image", str((tmp_path / "images" / "carte.png").resolve()), "Carte de la région")]


@pytest.mark.parametrize("path, message", [
    ("../secret.png", "chemin refusé « ../secret.png » : il doit rester dans le dossier assets/ (chemin relatif, sans « .. »)"),
    ("/etc/passwd", "chemin refusé « /etc/passwd » : il doit rester dans le dossier assets/ (chemin relatif, sans « .. »)"),
    ("images/absente.png", "fichier introuvable dans assets/ : « images/absente.png »"),
    ("marque.yaml", "« marque.yaml » n’est pas une image PNG ou JPEG"),
])
def test_image_paths_outside_assets_are_refused(tmp_path, path, message):
    (tmp_path / "marque.yaml").write_text("x: 1\n")
    with pytest.raises(MarkupError) as caught:
        parse_markup(f"::: image {path}\nTexte\n:::\n", LAYOUT, tmp_path)
    assert caught.value.message.startswith(message)


def test_image_through_a_symlink_leading_out_is_refused(tmp_path):
    from PIL import Image as Picture
    outside = tmp_path / "dehors.png"
    Picture.new("RGB", (4, 4)).save(outside)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "lien.png").symlink_to(outside)
    with pytest.raises(MarkupError) as caught:
        parse_markup("::: image lien.png\nTexte\n:::\n", LAYOUT, assets)
    assert caught.value.message.startswith("chemin refusé « lien.png » : un lien symbolique mène hors du dossier assets/")


def test_image_needs_its_alternative_text(tmp_path):
    with pytest.raises(MarkupError) as caught:
        parse_markup("::: image images/carte.png\n:::\n", LAYOUT, tmp_path)
    assert caught.value.message == "« ::: image » attend un chemin et un texte de remplacement"
