"""Layouts: data escaped into the markup, errors located in the template, figures in French."""
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.errors import LayoutError
from reportgen import layout as layout_module
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


def _compiles(monkeypatch) -> list[str]:
    """The names of the layouts Jinja compiles from now on, each environment made afresh (as in
    a new process)."""
    compiled = []
    real = layout_module._LayoutEnvironment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(layout_module._LayoutEnvironment, "compile", counting)
    return compiled


def _new_process() -> None:
    layout_module._environment.cache_clear()


def test_a_compiled_layout_is_kept_between_processes_until_its_text_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    compiled = _compiles(monkeypatch)
    folder = layout(tmp_path, "{% for x in range(3) %}{{ x }}{% endfor %} {{ nom }}\n")
    for _ in range(2):
        _new_process()
        assert render_layout(folder, "essai", {"nom": "Estrie"}) == "012 Estrie\n"
    assert compiled == ["essai.md"]
    assert [p.name.startswith("gabarit-") for p in (tmp_path / "cache").iterdir()] == [True]
    (folder / "essai.md").write_text("{{ nom }} !\n", encoding="utf-8")
    _new_process()
    assert render_layout(folder, "essai", {"nom": "Estrie"}) == "Estrie !\n"
    assert compiled == ["essai.md", "essai.md"]


def test_a_cached_layout_keeps_its_bounds(tmp_path, monkeypatch):
    """The sandbox rewrites loops when compiling: the compiled code read back still counts them."""
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    folder = layout(tmp_path, "{% for x in range(n) %}{% for y in range(n) %}.{% endfor %}{% endfor %}\n")
    for _ in range(2):
        _new_process()
        with pytest.raises(LayoutError) as caught:
            render_layout(folder, "essai", {"n": 1000})
        assert caught.value.message == "le gabarit fait trop de tours de boucle ou d’appels (plus de 200\u00a0000)"


@pytest.mark.parametrize("damage", [b"", b"j2 pas du tout", b"\x00" * 100, bc_magic + b"\x80\x05abc", bc_magic])
def test_a_damaged_or_unwritable_layout_cache_is_only_slower(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    folder = layout(tmp_path, "Bonjour {{ nom }}\n")
    _new_process()
    render_layout(folder, "essai", {"nom": "Estrie"})
    [cached] = (tmp_path / "cache").iterdir()
    cached.write_bytes(damage)
    _new_process()
    assert render_layout(folder, "essai", {"nom": "Gaspésie"}) == "Bonjour Gaspésie\n"
    assert cached.read_bytes().startswith(b"j2") and cached.read_bytes() != damage
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "essai.md" / "impossible"))
    _new_process()
    assert render_layout(folder, "essai", {"nom": "Montérégie"}) == "Bonjour Montérégie\n"
