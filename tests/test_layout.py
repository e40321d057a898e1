"""Layouts: data escaped into the markup, errors located in the template, figures in French."""
from pathlib import Path

import pytest

from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.errors import LayoutError
from reportgen.layout import render_layout
from reportgen.model import KeyFigures, Quote, plain_text


def layout(tmp_path: Path, text: str) -> Path:
    (tmp_path / "essai.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_values_are_escaped_for_the_markup(tmp_path):
    out = render_layout(layout(tmp_path, "Nom : {{ nom }}\n"), "essai", {"nom": "# R&D <Cie> *inc.*"})
    assert out == "Nom : \\# R\\&D \\<Cie\\> \\*inc\\.\\*\n"


def test_undefined_variable_names_file_and_line(tmp_path):
    with pytest.raises(LayoutError) as caught:
        render_layout(layout(tmp_path, "# Titre\n\n{{ region.nom }}\n{{ chiffres.ententes }}\n"), "essai",
                      {"region": {"nom": "Estrie"}, "chiffres": {}})
    assert caught.value.message == "donnée « ententes » absente ou mal nommée"
    assert (caught.value.location.path.name, caught.value.location.line) == ("essai.md", 4)


def test_unknown_top_level_variable(tmp_path):
    with pytest.raises(LayoutError) as caught:
        render_layout(layout(tmp_path, "{{ regoin.nom }}\n"), "essai", {})
    assert caught.value.message == "variable « regoin » inconnue"
    assert caught.value.location.line == 1


def test_syntax_error_names_the_line(tmp_path):
    with pytest.raises(LayoutError) as caught:
        render_layout(layout(tmp_path, "ligne\n{% if x %}\nsans fin\n"), "essai", {"x": 1})
    assert caught.value.message.startswith("erreur de syntaxe dans le gabarit")
    assert caught.value.location.line == 3


def test_unknown_layout_lists_the_known_ones(tmp_path, root):
    with pytest.raises(LayoutError) as caught:
        render_layout(root / "layouts", "bilann", {})
    assert caught.value.message == "gabarit « bilann » introuvable"
    assert caught.value.hint == "gabarits disponibles : bilan, communique"


@pytest.fixture(scope="module")
def documents():
    root = Path(__file__).resolve().parents[1]
    catalog = load_catalog(root / "data")
    return {r.slug: make_document(r, root / "layouts") for r in catalog.reports}


def paragraph_texts(document):
    return [plain_text(b.inlines) for b in document.blocks if hasattr(b, "inlines")]


def test_figures_become_french_sentences(documents):
    estrie = " ".join(paragraph_texts(documents["estrie"]))
    assert "plus de 200 personnes immigrantes de l’Estrie ont été accompagnées" in estrie
    assert "Précisons que trois conseillères et conseillers en immigration régionale sont en poste à Sherbrooke" in estrie
    assert "s’ajoutent quatre agentes et agents d’aide à l’intégration" in estrie
    assert "d’établir 14 ententes" in estrie
    gaspesie = " ".join(paragraph_texts(documents["gaspesie-iles-de-la-madeleine"]))
    assert "d’établir sept ententes" in gaspesie
    assert "L’équipe est déployée dans trois points de services situés dans les bureaux" in gaspesie
    monteregie = " ".join(paragraph_texts(documents["monteregie"]))
    assert "a investi en Montérégie près de 16,2\u00a0M$" in monteregie
    assert "plus d’une centaine d’actions locales positives et dynamiques" in monteregie
    assert "ce sont plus de 200 employeurs de la région" in monteregie
    assert "dans onze points de services situés" in monteregie


def test_key_figures_and_quote_of_the_news_release(documents):
    document = documents["monteregie"]
    [figures] = [b for b in document.blocks if isinstance(b, KeyFigures)]
    assert [(f.value, plain_text(f.label)) for f in figures.items] == [
        ("11", "points de services"),
        ("6", "conseillères et conseillers en immigration régionale et 10 agentes et agents d’aide à l’intégration"),
        ("23", "partenaires et 34 ententes (au 31\u00a0mars 2021)"),
        ("207", "employeurs qui ont bénéficié d’un accompagnement personnalisé du MIFI (au 31\u00a0mars 2021)"),
    ]
    [quote] = [b for b in document.blocks if isinstance(b, Quote)]
    assert plain_text(quote.attribution) == "Nicolas Martin, directeur régional p.\u00a0i. de la Montérégie"
    assert plain_text(quote.inlines).startswith("«\u00a0Nous sommes fiers")


def test_document_metadata(documents):
    document = documents["gaspesie-iles-de-la-madeleine"]
    assert document.title == "Bilan des réalisations 2019-2021 en Gaspésie–Îles-de-la-Madeleine"
    assert document.keywords == ("Gaspésie–Îles-de-la-Madeleine", "2019-2021", "MIFI", "bilan des réalisations")
