"""Loading data files: positions, YAML traps, schema messages, the catalog of reports."""
import shutil
from pathlib import Path

import pytest

from reportgen.data.catalog import load_catalog
from reportgen.data.yamlfile import read_yaml
from reportgen.errors import DataError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_positions_of_every_key_path(tmp_path):
    source = read_yaml(write(tmp_path, "a.yaml", "nom: Estrie\nbureaux:\n  - ville: Magog\n    adresse: x\n"))
    assert source.data == {"nom": "Estrie", "bureaux": [{"ville": "Magog", "adresse": "x"}]}
    assert source.positions[("nom",)] == (1, 1)
    assert source.positions[("bureaux", 0, "adresse")] == (4, 5)
    assert str(source.locate(("bureaux", 0, "adresse"))).endswith("a.yaml, ligne 4, colonne 5 (bureaux[1].adresse)")


def test_plain_scalars_stay_text_no_yaml_11_guessing(tmp_path):
    source = read_yaml(write(tmp_path, "a.yaml", "a: yes\nb: 12:30\nc: 0777\nd: off\ne: ~\nf: 14\n"))
    assert source.data == {"a": "yes", "b": "12:30", "c": "0777", "d": "off", "e": None, "f": "14"}


def test_duplicate_key_is_an_error_with_both_lines(tmp_path):
    with pytest.raises(DataError) as caught:
        read_yaml(write(tmp_path, "a.yaml", "nom: A\nautre: 1\nnom: B\n"))
    assert caught.value.message == "clé « nom » en double (déjà à la ligne 1)"
    assert (caught.value.location.line, caught.value.location.column) == (3, 1)


def test_syntax_error_is_placed_where_the_mistake_starts(tmp_path):
    with pytest.raises(DataError) as caught:
        read_yaml(write(tmp_path, "a.yaml", "nom: A\nliste: [un, deux\nautre: 2\n"))
    assert caught.value.message == "ce crochet ([) ouvert à la ligne 2 n’est jamais fermé"
    assert (caught.value.location.line, caught.value.location.column) == (2, 8)
    assert caught.value.__cause__ is not None  # the parser's own words, for --debug only


def test_tab_indentation_is_explained(tmp_path):
    with pytest.raises(DataError) as caught:
        read_yaml(write(tmp_path, "a.yaml", "formes:\n\ten: en Estrie\n"))
    assert caught.value.message == "tabulation dans le retrait"
    assert caught.value.location.line == 2
    assert caught.value.hint == "remplacez les tabulations par des espaces"


def test_invalid_utf8_has_line_and_column(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("nom: A\nville: Montr".encode() + b"\xe9al\n")
    with pytest.raises(DataError) as caught:
        read_yaml(path)
    assert caught.value.message == "caractère invalide : le fichier n’est pas en UTF-8"
    assert (caught.value.location.line, caught.value.location.column) == (2, 13)


@pytest.fixture
def data_dir(project):
    return project / "data"


def test_bundled_data_makes_the_three_reports(root):
    catalog = load_catalog(root / "data")
    assert catalog.errors == []
    assert sorted((r.period_id, r.slug) for r in catalog.reports) == [
        ("2019-2021", "gaspesie-iles-de-la-madeleine"), ("2020-2021", "estrie"), ("2020-2021", "monteregie")]
    estrie = next(r for r in catalog.reports if r.slug == "estrie")
    assert estrie.region.forms.of == "de l'Estrie"
    assert [o.city for o in estrie.region.offices] == ["Sherbrooke", "Richmond", "Magog", "Lac-Mégantic"]
    assert str(estrie.period.figures.people_helped.value) == "200"
    assert estrie.period.figures.people_helped.qualifier == "plus de"


def messages(catalog):
    return [(str(e.error.location), e.error.message) for e in catalog.errors]


def test_unknown_key_suggests_the_right_one(data_dir):
    path = data_dir / "estrie" / "2020-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("projets:", "projet:"), encoding="utf-8")
    catalog = load_catalog(data_dir)
    [(where, message)] = messages(catalog)
    assert message == "clé inconnue « projet » — vouliez-vous dire « projets » ?"
    assert where.endswith("data/estrie/2020-2021.yaml, ligne 12, colonne 1 (projet)")
    assert [r.slug for r in catalog.reports] == ["gaspesie-iles-de-la-madeleine", "monteregie"]


def test_all_errors_of_a_file_are_reported_together(data_dir):
    path = data_dir / "estrie" / "region.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("nom: Estrie\n", "").replace("courriel: accompagnement_qc_DREMCQ@mifi.gouv.qc.ca",
                                                   "courriel: pas-une-adresse")
    text = text.replace("lien: https://www.sanc-sherbrooke.ca/", "lien: javascript:alert(1)")
    path.write_text(text, encoding="utf-8")
    found = {message for _, message in messages(load_catalog(data_dir))}
    assert found == {
        "clé obligatoire absente : « nom »",
        "« pas-une-adresse » n’est pas une adresse courriel (exemple : nom@mifi.gouv.qc.ca)",
        "adresse de lien refusée « javascript:alert(1) » : une adresse complète en https://, http://, mailto: ou tel: est attendue",
    }


def test_wrong_types_say_what_was_expected(data_dir):
    path = data_dir / "estrie" / "2020-2021.yaml"
    text = path.read_text(encoding="utf-8").replace("ententes: 14", "ententes: beaucoup")
    text = text.replace("lieux_conseillers: [Sherbrooke]", "lieux_conseillers: Sherbrooke")
    path.write_text(text, encoding="utf-8")
    found = sorted(messages(load_catalog(data_dir)))
    assert [m for _, m in found] == [
        "« beaucoup » n’est pas un nombre (exemples : 207, 1 833, plus de 200)",
        "valeur attendue : une liste (une ligne « - valeur » par élément) ; trouvé « Sherbrooke »",
    ]
    assert found[0][0].endswith("ligne 6, colonne 3 (chiffres.ententes)")


def test_period_file_name_must_be_a_period(data_dir):
    shutil.copy(data_dir / "estrie" / "2020-2021.yaml", data_dir / "estrie" / "bilan.yaml")
    assert messages(load_catalog(data_dir))[0][1] == "nom de fichier de période invalide"


def test_missing_data_folder(tmp_path):
    catalog = load_catalog(tmp_path / "absent")
    assert [e.error.message for e in catalog.errors] == ["dossier de données introuvable"]
    assert catalog.errors[0].error.hint == "indiquez le bon dossier avec --data DOSSIER"
