"""The French grammar of sentences written from data (reportgen.grammar) and the
17 regions' reference forms: every case asserted word for word."""
from decimal import Decimal

import pytest
import yaml

from reportgen.cli import main
from reportgen.french import Figure, NumberError, money
from reportgen.grammar import (
    Noun, after_preposition, count_phrase, definite, demonstrative, demonstrative_pronoun, elide,
    end_item, fiscal_years, is_plural, place, places, quoted_paragraphs,
)
from reportgen.regions import reference_regions

ADVISER = Noun.of("conseillère ou conseiller", "conseillères et conseillers", feminine=True)
AGREEMENT = Noun.of("entente", "ententes", feminine=True)
EMPLOYER = Noun.of("employeur", "employeurs")
MORE_THAN_100 = Figure(Decimal(100), "plus de")


@pytest.mark.parametrize("value, adviser, agreement, employer", [
    (0, "aucune conseillère ni aucun conseiller", "aucune entente", "aucun employeur"),
    (1, "une conseillère ou un conseiller", "une entente", "un employeur"),
    (2, "deux conseillères et conseillers", "deux ententes", "deux employeurs"),
    (11, "onze conseillères et conseillers", "onze ententes", "onze employeurs"),
    (13, "13 conseillères et conseillers", "13 ententes", "13 employeurs"),
    (1000, "1\u00a0000 conseillères et conseillers", "1\u00a0000 ententes", "1\u00a0000 employeurs"),
    (MORE_THAN_100, "plus d’une centaine de conseillères et conseillers", "plus d’une centaine d’ententes",
     "plus d’une centaine d’employeurs"),
    (Figure(Decimal(200), "plus de"), "plus de 200 conseillères et conseillers", "plus de 200 ententes",
     "plus de 200 employeurs"),
])
def test_counts_for_zero_one_and_many(value, adviser, agreement, employer):
    assert count_phrase(value, ADVISER) == adviser
    assert count_phrase(value, AGREEMENT) == agreement
    assert count_phrase(value, EMPLOYER) == employer


@pytest.mark.parametrize("raw, adviser, agreement, employer", [
    ("plus de 1", "plus d’une conseillère ou d’un conseiller", "plus d’une entente", "plus d’un employeur"),
    ("près de 1", "près d’une conseillère ou d’un conseiller", "près d’une entente", "près d’un employeur"),
    ("environ 1", "environ une conseillère ou un conseiller", "environ une entente", "environ un employeur"),
    ("moins de 2", "moins de deux conseillères et conseillers", "moins de deux ententes",
     "moins de deux employeurs"),
    ("plus de 2", "plus de deux conseillères et conseillers", "plus de deux ententes", "plus de deux employeurs"),
    ("environ 11", "environ onze conseillères et conseillers", "environ onze ententes", "environ onze employeurs"),
    ("plus de 11", "plus de onze conseillères et conseillers", "plus de onze ententes", "plus de onze employeurs"),
    ("près de 40", "près de 40 conseillères et conseillers", "près de 40 ententes", "près de 40 employeurs"),
])
def test_a_qualified_count_elides_and_agrees_with_its_number(raw, adviser, agreement, employer):
    value = Figure.parse(raw)
    assert count_phrase(value, ADVISER) == adviser
    assert count_phrase(value, AGREEMENT) == agreement
    assert count_phrase(value, EMPLOYER) == employer


@pytest.mark.parametrize("raw, message, hint", [
    ("plus de 0", "« plus de 0 » ne dit pas combien",
     "écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0"),
    ("environ 0", "« environ 0 » ne dit pas combien",
     "écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0"),
    ("moins de 1", "« moins de 1 » veut dire aucun", "écrivez 0"),
    ("près de 0 $", "« près de 0 $ » ne dit pas combien",
     "écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0"),
])
def test_a_qualified_figure_that_says_nothing_is_refused_with_the_fix(raw, message, hint):
    with pytest.raises(NumberError) as caught:
        Figure.parse_amount(raw) if raw.endswith("$") else Figure.parse_count(raw)
    assert (str(caught.value), caught.value.hint) == (message, hint)


def test_a_doublet_written_with_its_second_article_is_read_the_same():
    assert Noun.of("conseillère ou un conseiller", "conseillères et conseillers", True) == ADVISER


@pytest.mark.parametrize("value, plural", [(0, False), (1, False), ("1,5", False), (2, True),
                                           (1000, True), ("plus de 1", False), ("environ 1", False),
                                           ("moins de 2", True), ("plus de 200", True)])
def test_plural_from_two_a_qualified_figure_agreeing_with_its_number(value, plural):
    assert is_plural(value) is plural


@pytest.mark.parametrize("value, article, demonstrative_, pronoun", [
    (1, "la conseillère ou le conseiller", "cette conseillère ou ce conseiller", "celle-ci ou celui-ci"),
    (3, "les conseillères et conseillers", "ces conseillères et conseillers", "ceux-ci"),
])
def test_articles_demonstratives_and_pronouns_of_a_doublet(value, article, demonstrative_, pronoun):
    assert definite(value, ADVISER) == article
    assert demonstrative(value, ADVISER) == demonstrative_
    assert demonstrative_pronoun(value, ADVISER) == pronoun


def test_demonstratives_agree_in_gender_and_elide():
    assert demonstrative(1, AGREEMENT) == "cette entente"
    assert demonstrative(1, EMPLOYER) == "cet employeur"
    assert demonstrative(1, Noun.of("partenaire", "partenaires")) == "ce partenaire"
    assert demonstrative(2, AGREEMENT) == "ces ententes"
    assert demonstrative_pronoun(2, AGREEMENT) == "celles-ci"
    assert demonstrative_pronoun(1, AGREEMENT) == "celle-ci"
    assert demonstrative_pronoun(1, EMPLOYER) == "celui-ci"
    assert definite(1, AGREEMENT) == "l’entente"


@pytest.mark.parametrize("word, following, expected", [
    ("que", "une conseillère", "qu’une conseillère"),
    ("que", "deux conseillères", "que deux conseillères"),
    ("de", "une centaine", "d’une centaine"),
    ("de", "onze ententes", "de onze ententes"),
    ("de", "huit ententes", "de huit ententes"),
    ("de", "aucune entente", "d’aucune entente"),
    ("de", "Hébertville", "d’Hébertville"),
    ("de", "Havre-Saint-Pierre", "de Havre-Saint-Pierre"),
    ("de", "14 ententes", "de 14 ententes"),
])
def test_elision(word, following, expected):
    assert elide(word, following) == expected


def test_a_doublet_after_a_preposition_repeats_it():
    assert after_preposition("de", "une conseillère ou un conseiller") == "d’une conseillère ou d’un conseiller"
    assert after_preposition("de", "aucune agente ni aucun agent") == "d’aucune agente ni d’aucun agent"
    assert after_preposition("de", "dix agentes et agents") == "de dix agentes et agents"
    assert after_preposition("à", "un employeur") == "à un employeur"


@pytest.mark.parametrize("town, at, of", [
    ("Amos", "à Amos", "d’Amos"),
    ("Les Escoumins", "aux Escoumins", "des Escoumins"),
    ("Le Bic", "au Bic", "du Bic"),
    ("La Tuque", "à La Tuque", "de La Tuque"),
    ("L'Islet", "à L'Islet", "de L'Islet"),
    ("L’Islet", "à L’Islet", "de L’Islet"),
    ("Sept-Îles", "à Sept-Îles", "de Sept-Îles"),
    ("Baie-Comeau", "à Baie-Comeau", "de Baie-Comeau"),
    ("Îles-de-la-Madeleine", "aux Îles-de-la-Madeleine", "des Îles-de-la-Madeleine"),
    ("Les Îles-de-la-Madeleine", "aux Îles-de-la-Madeleine", "des Îles-de-la-Madeleine"),
    ("Alma", "à Alma", "d’Alma"),
    ("Oka", "à Oka", "d’Oka"),
    ("Uashat", "à Uashat", "d’Uashat"),
    ("Lac-Mégantic", "à Lac-Mégantic", "de Lac-Mégantic"),
])
def test_towns_take_the_right_preposition_and_article(town, at, of):
    assert place(town, "à") == at
    assert place(town, "de") == of


def test_lists_of_towns_repeat_the_preposition():
    assert places(["Baie-Comeau", "Sept-Îles", "Les Escoumins"], "à") == "à Baie-Comeau, à Sept-Îles et aux Escoumins"
    assert places(["Amos", "Le Bic"], "de") == "d’Amos et du Bic"
    assert places(["Sherbrooke"], "à") == "à Sherbrooke"
    assert places(["Sherbrooke", "Magog", "Richmond"]) == "Sherbrooke, Magog et Richmond"
    assert places(["par courriel", "par téléphone"], conjunction="ou") == "par courriel ou par téléphone"


@pytest.mark.parametrize("amount, expected", [
    (1_050_000, "1,05\u00a0M$"), (3_250_000, "3,25\u00a0M$"), (950_000, "950\u00a0000\u00a0$"),
    (16_200_000, "16,2\u00a0M$"), (1_000_000, "1\u00a0M$"), (1_234_567, "1\u00a0234\u00a0567\u00a0$"),
    ("1234,5", "1\u00a0234,50\u00a0$"), ("près de 16 200 000", "près de 16,2\u00a0M$"),
])
def test_amounts_keep_their_precision(amount, expected):
    assert money(amount) == expected


@pytest.mark.parametrize("period, expected", [
    ("2020-2021", "l’année financière 2020-2021"),
    ("2019-2021", "les années financières 2019-2020 et 2020-2021"),
    ("2018-2021", "les années financières 2018-2019, 2019-2020 et 2020-2021"),
])
def test_fiscal_years(period, expected):
    assert fiscal_years(period) == expected


@pytest.mark.parametrize("text, mark, expected", [
    ("sorties en mer, patinage, etc.", ".", "sorties en mer, patinage, etc."),
    ("sorties en mer, patinage, etc.", " ;", "sorties en mer, patinage, etc. ;"),
    ("des visites exploratoires", ".", "des visites exploratoires."),
    ("Vraiment ?", ".", "Vraiment ?"),
])
def test_an_item_ending_with_a_period_gets_no_second_one(text, mark, expected):
    assert end_item(text, mark) == expected


def test_quotation_of_several_paragraphs_follows_the_oqlf():
    assert quoted_paragraphs(["Un.", "Deux.", "Trois."]) == ["«\u00a0Un.", "«\u00a0Deux.", "«\u00a0Trois.\u00a0»"]
    assert quoted_paragraphs(["Seul."]) == ["«\u00a0Seul.\u00a0»"]


# ---------------------------------------------------------------- the 17 regions

REGION_FORMS = [
    ("01", "bas-saint-laurent", "Bas-Saint-Laurent", "au Bas-Saint-Laurent", "du Bas-Saint-Laurent"),
    ("02", "saguenay-lac-saint-jean", "Saguenay–Lac-Saint-Jean", "au Saguenay–Lac-Saint-Jean",
     "du Saguenay–Lac-Saint-Jean"),
    ("03", "capitale-nationale", "Capitale-Nationale", "dans la Capitale-Nationale", "de la Capitale-Nationale"),
    ("04", "mauricie", "Mauricie", "en Mauricie", "de la Mauricie"),
    ("05", "estrie", "Estrie", "en Estrie", "de l'Estrie"),
    ("06", "montreal", "Montréal", "à Montréal", "de Montréal"),
    ("07", "outaouais", "Outaouais", "en Outaouais", "de l'Outaouais"),
    ("08", "abitibi-temiscamingue", "Abitibi-Témiscamingue", "en Abitibi-Témiscamingue", "de l'Abitibi-Témiscamingue"),
    ("09", "cote-nord", "Côte-Nord", "sur la Côte-Nord", "de la Côte-Nord"),
    ("10", "nord-du-quebec", "Nord-du-Québec", "dans le Nord-du-Québec", "du Nord-du-Québec"),
    ("11", "gaspesie-iles-de-la-madeleine", "Gaspésie–Îles-de-la-Madeleine", "en Gaspésie–Îles-de-la-Madeleine",
     "de la Gaspésie–Îles-de-la-Madeleine"),
    ("12", "chaudiere-appalaches", "Chaudière-Appalaches", "en Chaudière-Appalaches", "de la Chaudière-Appalaches"),
    ("13", "laval", "Laval", "à Laval", "de Laval"),
    ("14", "lanaudiere", "Lanaudière", "dans Lanaudière", "de Lanaudière"),
    ("15", "laurentides", "Laurentides", "dans les Laurentides", "des Laurentides"),
    ("16", "monteregie", "Montérégie", "en Montérégie", "de la Montérégie"),
    ("17", "centre-du-quebec", "Centre-du-Québec", "au Centre-du-Québec", "du Centre-du-Québec"),
]


def test_the_reference_holds_the_17_regions_in_order():
    assert [(r.code, r.slug, r.name, r.in_, r.of) for r in reference_regions()] == REGION_FORMS


BUNDLED = ("estrie", "gaspesie-iles-de-la-madeleine", "monteregie")


@pytest.mark.parametrize("code, slug, name, in_, of", [r for r in REGION_FORMS if r[1] not in BUNDLED],
                         ids=[r[1] for r in REGION_FORMS if r[1] not in BUNDLED])
def test_new_region_starts_from_the_reference(code, slug, name, in_, of, project, capsys):
    assert main(["nouvelle-region", slug]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"créé : data/{slug}/region.yaml"
    data = yaml.safe_load((project / "data" / slug / "region.yaml").read_text(encoding="utf-8"))
    assert data["nom"] == name
    assert data["formes"] == {"en": in_, "de": of}
    assert data["direction_regionale"] == f"Direction régionale {of}"
    assert data["courriel"] == data["telephone"] == "À REMPLIR"
    assert data["bureaux"] == [{"organisme": "À REMPLIR", "adresse": "À REMPLIR", "ville": "À REMPLIR"}]
    assert data["ressources"] == [{"nom": "À REMPLIR", "lien": "À REMPLIR"}]


def test_a_new_region_is_checked_until_filled_then_builds(project, capsys):
    assert main(["nouvelle-region", "cote-nord"]) == 0
    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("erreur")]
    assert errors[0] == ("erreur : data/cote-nord/region.yaml, ligne 10, colonne 1 (courriel) : "
                         "valeur à remplir (« À REMPLIR »)")
    assert len(errors) == 8  # seven values to fill, and no period file yet
    assert errors[-1] == "erreur : data/cote-nord : aucun fichier de période"
    region = project / "data" / "cote-nord" / "region.yaml"
    kept = [line for line in region.read_text(encoding="utf-8").splitlines() if "À REMPLIR" not in line
            and not line.startswith(("bureaux:", "ressources:"))]
    region.write_text("\n".join(kept) + "\n", encoding="utf-8")
    (project / "data" / "cote-nord" / "2020-2021.yaml").write_text(
        "gabarit: bilan\nchiffres:\n  personnes_accompagnees: 1\n  entreprises_accompagnees: 0\n"
        "  ententes: 1\npersonnel:\n  conseillers: 1\n  agents: 0\n", encoding="utf-8")
    assert main(["check"]) == 0, capsys.readouterr().err
    assert main(["build", "--region", "cote-nord", "-j", "1"]) == 0
    assert (project / "build" / "2020-2021" / "cote-nord.pdf").is_file()


def test_an_unknown_or_existing_region_is_refused(project, capsys):
    assert main(["nouvelle-region", "mauricy"]) == 1
    assert capsys.readouterr().err == "erreur : région inconnue « mauricy »\n  → vouliez-vous dire « mauricie » ?\n"
    before = (project / "data" / "estrie" / "region.yaml").read_text(encoding="utf-8")
    assert main(["nouvelle-region", "estrie"]) == 1
    assert "data/estrie/region.yaml : ce fichier de région existe déjà" in capsys.readouterr().err
    assert (project / "data" / "estrie" / "region.yaml").read_text(encoding="utf-8") == before
