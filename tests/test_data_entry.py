"""Data entry that forgives, or refuses in French: Windows files, the data folder's
contents, check for one team, warnings everywhere a user looks, the README's number forms."""
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.french import Figure

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def outputs(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.suffix in (".pdf", ".docx")}


def test_windows_files_give_byte_identical_reports(project, capsys):
    assert run(capsys, "build", "--out", "unix", "--region", "estrie", "-j", "1")[0] == 0
    saved = [*project.glob("data/**/*.yaml"), *project.glob("layouts/*.md"), project / "assets" / "marque.yaml"]
    for path in saved:  # as Notepad saves them: a byte order mark and CRLF line endings
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    status, _, err = run(capsys, "build", "--out", "windows", "--region", "estrie", "-j", "1")
    assert (status, err) == (0, "")
    assert outputs(project / "windows") == outputs(project / "unix")
    assert len(outputs(project / "unix")) == 2


def test_the_repository_keeps_its_text_files_lf():
    rules = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "* text=auto eol=lf" in rules
    assert {"*.pdf binary", "*.png binary", "*.ttf binary", "*.docx binary"} <= set(rules)


def test_an_empty_data_folder_fails(project, capsys):
    for path in sorted(project.glob("data/**/*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    status, _, err = run(capsys, "check")
    assert status == 1
    assert "erreur : data : aucune région dans le dossier de données" in err.splitlines()
    status, out, err = run(capsys, "build")
    assert status == 3  # nothing could be done
    assert "erreur : data : aucune région dans le dossier de données" in err.splitlines()


def test_a_misnamed_period_stops_build_too(project, capsys):
    (project / "data" / "estrie" / "2021-2022.yml").write_text("gabarit: bilan\n", encoding="utf-8")
    status, out, err = run(capsys, "build", "--region", "estrie", "-j", "1")
    assert status == 1
    assert err.splitlines()[0] == ("erreur : [2020-2021/estrie] data/estrie/2021-2022.yml : "
                                   "nom de fichier de période invalide")
    assert err.splitlines()[1] == ("  → renommez-le 2021-2022.yaml (le nom de la période, puis .yaml ; "
                                   "l’éditeur ajoute parfois .txt ou écrit .yml)")


def test_check_one_team_names_the_report_of_each_message(project, capsys):
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    estrie.write_text(estrie.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 1,400"), encoding="utf-8")
    monteregie = project / "data" / "monteregie" / "2020-2021.yaml"
    monteregie.write_text(monteregie.read_text(encoding="utf-8").replace("partenaires: 23", "partenaires: vingt"),
                          encoding="utf-8")
    status, out, err = run(capsys, "check", "--region", "estrie", "--period", "2020-2021")
    assert status == 1
    assert err.splitlines() == [
        "erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 6, colonne 3 (chiffres.ententes) : "
        "« 1,400 » : en français, la virgule marque les décimales et les milliers se séparent par une espace",
        "  → écrivez 1 400 (avec une espace)",
        "1 erreur(s) à corriger."]
    status, out, err = run(capsys, "check", "--region", "gaspesie-iles-de-la-madeleine")
    assert (status, out, err) == (0, "Tout est valide : 1 bilan(s) prêt(s) à produire.\n", "")
    status, out, err = run(capsys, "check")
    assert [line.split(" data/")[0] for line in err.splitlines() if line.startswith("erreur")] == [
        "erreur : [2020-2021/estrie]", "erreur : [2020-2021/monteregie]"]


def test_check_of_a_report_that_does_not_exist_is_a_usage_error(project, capsys):
    status, _, err = run(capsys, "check", "--region", "estrie", "--period", "2019-2021")
    assert status == 2
    assert err == ("reportgen : erreur : aucun bilan pour cette région et cette période ; "
                   "périodes disponibles : estrie : 2020-2021\n")
    status, _, err = run(capsys, "check", "--region", "outaouais")
    assert status == 2
    assert err.startswith("reportgen : erreur : région inconnue « outaouais »")


def _quote_for_a_layout_without_one(project: Path) -> None:
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    estrie.write_text(estrie.read_text(encoding="utf-8")
                      + "citation:\n  texte: Merci\n  auteur: Jeanne Roy\n  fonction: directrice\n", encoding="utf-8")


WARNING = ("data/estrie/2020-2021.yaml, ligne 22, colonne 1 (citation) : donnée jamais imprimée : "
           "le gabarit « bilan » n’utilise pas « citation »")


def test_warnings_are_told_by_check_and_build(project, capsys):
    _quote_for_a_layout_without_one(project)
    status, out, err = run(capsys, "check", "--region", "estrie")
    assert status == 0
    assert err.splitlines()[0] == f"avertissement : [2020-2021/estrie] {WARNING}"
    assert out == "Tout est valide : 1 bilan(s) prêt(s) à produire, 1 avertissement(s) à lire.\n"
    status, out, err = run(capsys, "build", "--region", "estrie", "-j", "1")
    assert status == 0
    assert err.splitlines()[0] == f"avertissement : [2020-2021/estrie] {WARNING}"


def test_warnings_reach_the_json_summary_shaped_like_errors(project, capsys):
    _quote_for_a_layout_without_one(project)
    gaspesie = project / "data" / "gaspesie-iles-de-la-madeleine" / "region.yaml"
    gaspesie.write_text(gaspesie.read_text(encoding="utf-8").replace("bureau 2.11", "bureau #211"), encoding="utf-8")
    status, out, _ = run(capsys, "build", "--json", "-j", "2")
    assert status == 0
    reports = {r["region"]: r for r in json.loads(out)["bilans"]}
    assert reports["estrie"]["avertissements"] == [{
        "message": "donnée jamais imprimée : le gabarit « bilan » n’utilise pas « citation »",
        "conseil": "retirez-la, ou choisissez un gabarit qui l’imprime (clé gabarit), ou ajoutez-la au gabarit "
                   "bilan.md",
        "fichier": "data/estrie/2020-2021.yaml", "ligne": 22, "colonne": 1, "cle": "citation"}]
    assert reports["gaspesie-iles-de-la-madeleine"]["avertissements"] == [{
        "message": "le texte après # est ignoré (« #211 » ne sera pas imprimé)",
        "conseil": "mettez tout le texte entre guillemets : \"96, montée de Sandy Beach, bureau #211\" ; "
                   "si c’est un commentaire, placez-le sur sa propre ligne",
        "fichier": "data/gaspesie-iles-de-la-madeleine/region.yaml", "ligne": 14, "colonne": 48,
        "cle": "bureaux[2].adresse"}]
    assert reports["monteregie"]["avertissements"] == []


def test_a_comment_after_a_figure_cuts_nothing_and_is_not_a_warning(project, capsys):
    monteregie = (project / "data" / "monteregie" / "2020-2021.yaml").read_text(encoding="utf-8")
    assert "investissement: près de 16 200 000     # en dollars" in monteregie
    assert run(capsys, "check") == (0, "Tout est valide : 3 bilan(s) prêt(s) à produire.\n", "")


def _readme_number_forms(kind: str) -> list[tuple[str, str]]:
    """The rows of the README's table of accepted number forms for ``kind`` (« nombre » or
    « montant »): the form as typed and the value it means."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- formes-des-nombres -->")[1]
    rows = re.findall(r"^\| (nombre|montant) \| `([^`]+)` \| ([^|]+) \|", table, re.MULTILINE)
    return [(typed, means.strip()) for row_kind, typed, means in rows if row_kind == kind]


def _meaning(figure: Figure) -> str:
    value = format(figure.value.normalize(), "f") if figure.value else "0"
    return f"{figure.qualifier} {value}".strip()


@pytest.mark.parametrize("typed, means", _readme_number_forms("nombre"))
def test_each_count_form_of_the_readme_is_accepted(typed, means):
    assert _meaning(Figure.parse_count(typed)) == means


@pytest.mark.parametrize("typed, means", _readme_number_forms("montant"))
def test_each_amount_form_of_the_readme_is_accepted(typed, means):
    assert _meaning(Figure.parse_amount(typed)) == means


def test_the_readme_lists_enough_forms():
    assert len(_readme_number_forms("nombre")) >= 4
    assert len(_readme_number_forms("montant")) >= 6
    assert Figure.parse_amount("16,2 M$").value == Decimal(16_200_000)


@pytest.mark.parametrize("name, message, hint", [
    ("data/2021-2022.yaml", "fichier de période hors de sa région",
     "placez-le dans le dossier de sa région, sous le nom 2021-2022.yaml"),
    ("data/ministere.yml", "fichier mal nommé dans le dossier de données", "renommez-le ministere.yaml"),
    ("data/estrie/Region.yaml", "fichier mal nommé dans le dossier de la région", "renommez-le region.yaml"),
    ("data/estrie/2021-2022.YAML", "nom de fichier de période invalide",
     "renommez-le 2021-2022.yaml (le nom de la période, puis .yaml ; l’éditeur ajoute parfois .txt ou écrit .yml)"),
])
def test_a_stray_data_file_is_told_what_to_become(project, capsys, name, message, hint):
    (project / name).write_text("nom: x\n", encoding="utf-8")
    status, _, err = run(capsys, "check", "--region", "estrie")
    assert status == 1
    assert err.splitlines()[:2] == [f"erreur : [2020-2021/estrie] {name} : {message}", f"  → {hint}"]


def test_the_key_path_of_a_line_is_read_from_the_indentation_above():
    from reportgen.data.yamlsyntax import key_path_at
    lines = ["chiffres:", "  ententes:14", "bureaux:", "  - organisme: a", "    adresse: b", "  - organisme: c",
             "    # note", "    adresse: 'x", "projets:", "  - a", "  - b"]
    assert [key_path_at(lines, i) for i in range(len(lines))] == [
        "chiffres", "chiffres", "bureaux", "bureaux[1].organisme", "bureaux[1].adresse", "bureaux[2].organisme",
        "bureaux[2]", "bureaux[2].adresse", "projets", "projets[1]", "projets[2]"]


def test_a_date_outside_its_period_is_a_warning_with_the_fix(project, capsys):
    period = project / "data" / "monteregie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("publication: 2021-09", "publication: 2012-09")
                      .replace("au: 2021-03-31", "au: 2019-03-31"), encoding="utf-8")
    status, out, err = run(capsys, "check", "--region", "monteregie")
    assert status == 0
    assert err.splitlines() == [
        "avertissement : [2020-2021/monteregie] data/monteregie/2020-2021.yaml, ligne 4, colonne 1 (au) : "
        "chiffres arrêtés au 31 mars 2019 : hors de la période 2020-2021 (du 1er avril 2020 au 31 mars 2021)",
        "  → vérifiez l’année (exemple : au: 2021-03-31)",
        "avertissement : [2020-2021/monteregie] data/monteregie/2020-2021.yaml, ligne 3, colonne 1 (publication) : "
        "publication en septembre 2012 : avant le début de la période 2020-2021 (du 1er avril 2020 au 31 mars 2021)",
        "  → vérifiez l’année : un bilan 2020-2021 se publie après le 31 mars 2021 (exemple : publication: 2021-09)"]
