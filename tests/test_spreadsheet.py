"""The year's figures from a spreadsheet, and back: real .xlsx and .csv files made here,
every mistake at its cell, nothing written on any error, the YAML kept byte for byte."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reportgen.cli import main
from reportgen.data.catalog import load_catalog
from reportgen.data.fields import figure_fields
from reportgen.data.roundtrip import EditConflict
from reportgen.newperiod import new_period_text
from reportgen.spreadsheet import apply_import, export_workbook, is_published, plan_import

LABELS = [spec.label for spec in figure_fields()]
HEADER = ["Région", "Personnes accompagnées", "Entreprises accompagnées", "Ententes", "Conseillères et conseillers",
          "Agentes et agents"]


def workbook(rows: list[list], title: str = "2020-2021", extra_sheets: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def data_bytes(project: Path) -> dict[str, bytes]:
    return {str(path.relative_to(project)): path.read_bytes() for path in sorted(project.glob("data/**/*.yaml"))}


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err.splitlines()


# ---------------------------------------------------------------- import from .xlsx

def test_the_changes_are_shown_first_and_written_only_with_ecrire(project, capsys):
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    before = estrie.read_text(encoding="utf-8")
    (project / "chiffres.xlsx").write_bytes(workbook([HEADER, ["Estrie", "plus de 200", 72, 15, 3, 5]]))

    status, out, _ = run(capsys, "importer", "chiffres.xlsx", "--period", "2020-2021")
    assert status == 0
    assert out == ["Changements pour 2020-2021 (chiffres.xlsx, feuille « 2020-2021 ») :",
                   "  Estrie — data/estrie/2020-2021.yaml",
                   "    Entreprises accompagnées : 65 → 72",
                   "    Ententes : 14 → 15",
                   "    Agentes et agents : 4 → 5",
                   "3 changement(s) dans 1 fichier(s). Rien n’est écrit : relancez avec --ecrire pour les enregistrer."]
    assert estrie.read_text(encoding="utf-8") == before

    status, out, _ = run(capsys, "importer", "chiffres.xlsx", "--period", "2020-2021", "--ecrire")
    assert status == 0
    assert out[-2:] == ["écrit : data/estrie/2020-2021.yaml",
                        "3 changement(s) enregistré(s) dans 1 fichier(s). Vérifiez avec : reportgen check --data data"]
    # Only the three lines change; the comment, the order and every other line stay as they were.
    assert estrie.read_text(encoding="utf-8") == before.replace("entreprises_accompagnees: 65", "entreprises_accompagnees: 72") \
        .replace("ententes: 14", "ententes: 15").replace("agents: 4", "agents: 5")
    assert main(["check"]) == 0


def test_region_names_match_with_or_without_accents_and_dashes_or_by_slug(project):
    content = workbook([["Région", "Ententes"], ["ESTRIE", 15], ["Gaspesie - Iles de la Madeleine", 8],
                        ["monteregie", 34]])
    plan = plan_import(content, "chiffres.xlsx", project / "data", "2020-2021")
    assert plan.errors == []
    assert [(r.region.slug, [str(c) for c in r.changes]) for r in plan.changed_regions] == [
        ("estrie", ["Ententes : 14 → 15"]),
        ("gaspesie-iles-de-la-madeleine", ["Ententes : À REMPLIR → 8"])]


def test_headers_match_the_labels_in_any_spelling_and_the_yaml_keys(project):
    content = workbook([["region", "ENTREPRISES ACCOMPAGNEES", "ententes", "personnel.agents", "Conseilleres et conseillers"],
                        ["Estrie", 66, 15, 5, 3]])
    plan = plan_import(content, "chiffres.xlsx", project / "data", "2020-2021")
    assert [str(c) for c in plan.changes] == ["Entreprises accompagnées : 65 → 66", "Ententes : 14 → 15",
                                               "Agentes et agents : 4 → 5"]


def test_excel_floats_and_numbers_stored_as_text_are_read_as_typed(project):
    content = workbook([HEADER, ["Estrie", "1 833", 18.999999999999996, "15", 3.0, "4"]])
    plan = plan_import(content, "chiffres.xlsx", project / "data", "2020-2021")
    assert [str(c) for c in plan.changes] == ["Personnes accompagnées : plus de 200 → 1 833",
                                               "Entreprises accompagnées : 65 → 19", "Ententes : 14 → 15"]
    apply_import(plan)
    text = (project / "data" / "estrie" / "2020-2021.yaml").read_text(encoding="utf-8")
    assert "  personnes_accompagnees: 1 833\n  entreprises_accompagnees: 19\n  ententes: 15\n" in text


def test_the_sheet_named_after_the_period_is_read_among_several(project):
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["rien", "à", "lire"])
    sheet = book.create_sheet("2020-2021")
    sheet.append(["Région", "Ententes"])
    sheet.append(["Estrie", 16])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(buffer.getvalue(), "chiffres.xlsx", project / "data", "2020-2021")
    assert [str(c) for c in plan.changes] == ["Ententes : 14 → 16"]


# ---------------------------------------------------------------- mistakes, at their cells

def test_every_mistake_is_told_at_its_cell_at_once_and_nothing_is_written(project, capsys):
    rows = [["Région", "Ententes", "Partenaire", "Personnes accompagnées", "Bidule"],
            ["Estrie", 15, None, None],
            ["Estri", 3],
            ["Montérégie", "34"],
            [None, 2],
            ["Gaspésie–Îles-de-la-Madeleine", "environ 200x"],
            ["Estrie", 3],
            ["Gaspésie–Îles-de-la-Madeleine", dt.datetime(2021, 1, 2)]]
    (project / "chiffres.xlsx").write_bytes(workbook(rows))
    before = data_bytes(project)
    status, out, err = run(capsys, "importer", "chiffres.xlsx", "--period", "2020-2021", "--ecrire")
    assert status == 1
    assert not [line for line in out if not line.startswith("avis : ")]   # no preview of an import that won't be
    assert err == [
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule C1 : colonne inconnue « Partenaire » — "
        "vouliez-vous dire « Partenaires » ?",
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule E1 : colonne inconnue « Bidule »",
        "  → colonnes permises : Région, " + ", ".join(LABELS),
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule A3 : région inconnue « Estri » — "
        "vouliez-vous dire « Estrie » ?",
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule A5 : région manquante",
        "  → écrivez le nom de la région de cette ligne (exemple : Estrie)",
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule B6 (Ententes, Gaspésie–Îles-de-la-Madeleine) : "
        "« environ 200x » n’est pas un nombre (exemples : 207, 1 833, plus de 200)",
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule A7 : la région de l’Estrie est déjà à la ligne 2",
        "  → gardez une seule ligne par région",
        "erreur : chiffres.xlsx, feuille « 2020-2021 », cellule A8 : la région de la Gaspésie–Îles-de-la-Madeleine est "
        "déjà à la ligne 6",
        "  → gardez une seule ligne par région",
        "7 erreur(s) dans le tableur : rien n’a été écrit."]
    assert data_bytes(project) == before
    assert not (project / "data" / "gaspesie-iles-de-la-madeleine" / "2020-2021.yaml").exists()


def test_a_cell_excel_took_for_a_date_says_so(project):
    plan = plan_import(workbook([["Région", "Ententes"], ["Estrie", dt.datetime(2021, 1, 2)]]),
                       "chiffres.xlsx", project / "data", "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "chiffres.xlsx, feuille « 2020-2021 », cellule B2 (Ententes, Estrie) : « 2021-01-02 » n’est pas un nombre : "
        "Excel a pris la cellule pour une date ou une heure\n"
        "  → donnez à la cellule le format Nombre (ou Texte), puis retapez le chiffre"]


def test_a_column_twice_and_a_sheet_without_a_region_column(project):
    plan = plan_import(workbook([["Région", "Ententes", "ententes"], ["Estrie", 1, 2]]), "c.xlsx", project / "data",
                       "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "c.xlsx, feuille « 2020-2021 », cellule C1 : la colonne « Ententes » est déjà en B1\n"
        "  → gardez une seule colonne par chiffre"]
    plan = plan_import(workbook([["Ententes", "Partenaires"], [1, 2]]), "c.xlsx", project / "data", "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "c.xlsx, feuille « 2020-2021 », cellule A1 : aucune colonne « Région »\n"
        "  → la première colonne donne le nom de chaque région, sous l’en-tête « Région »"]


def test_a_workbook_without_the_period_sheet_or_not_a_workbook_at_all(project, capsys):
    (project / "chiffres.xlsx").write_bytes(workbook([["Région"]], title="Feuil1", extra_sheets=("Feuil2",)))
    status, _, err = run(capsys, "importer", "chiffres.xlsx", "--period", "2021-2022")
    assert status == 1
    assert err == ["erreur : chiffres.xlsx : aucune feuille nommée « 2021-2022 » parmi les feuilles « Feuil1 », "
                   "« Feuil2 »",
                   "  → nommez « 2021-2022 » la feuille des chiffres de cette période, ou gardez une seule feuille "
                   "dans le classeur"]
    (project / "faux.xlsx").write_text("Région;Ententes\n", encoding="utf-8")
    status, _, err = run(capsys, "importer", "faux.xlsx", "--period", "2021-2022")
    assert err == ["erreur : faux.xlsx : ce fichier n’est pas un classeur Excel lisible",
                   "  → ouvrez-le dans Excel et enregistrez-le de nouveau au format .xlsx"]
    status, _, err = run(capsys, "importer", "chiffres.ods", "--period", "2021-2022")
    assert err == ["erreur : chiffres.ods : lecture impossible (fichier ou dossier introuvable)",
                   "  → vérifiez le nom et le dossier du tableur"]


# ---------------------------------------------------------------- empty cells, published periods, new periods

def test_an_empty_cell_leaves_the_figure_as_it_was_and_says_so(project, capsys):
    (project / "chiffres.xlsx").write_bytes(workbook([HEADER, ["Estrie", None, 65, 15, 3, 4],
                                                     ["Gaspésie–Îles-de-la-Madeleine"]], title="2020-2021"))
    status, out, _ = run(capsys, "importer", "chiffres.xlsx", "--period", "2020-2021")
    assert status == 0
    assert out[3:5] == [
        "avis : chiffres.xlsx, feuille « 2020-2021 », ligne 2 (Estrie) : cellule vide, chiffre inchangé : "
        "Personnes accompagnées (B2, reste plus de 200)",
        "avis : chiffres.xlsx, feuille « 2020-2021 », ligne 3 (Gaspésie–Îles-de-la-Madeleine) : aucun chiffre sur "
        "cette ligne : la région est laissée telle quelle"]


def test_a_published_period_is_never_touched(project, capsys):
    monteregie = project / "data" / "monteregie" / "2020-2021.yaml"
    monteregie.write_text("publie: 2021-09-15\n" + monteregie.read_text(encoding="utf-8"), encoding="utf-8")
    before = monteregie.read_bytes()
    assert is_published({"publie": "2021-09-15"}) and not is_published({"publie": "À REMPLIR"})
    assert not is_published({"publication": "2021-09"}) and not is_published({"gabarit": "bilan"})
    unchanged = ["Montérégie", None, 207, 34, 6, 10]
    plan = plan_import(workbook([HEADER, unchanged]), "chiffres.xlsx", project / "data", "2020-2021")
    assert plan.ok and plan.changes == []
    (project / "chiffres.xlsx").write_bytes(workbook([HEADER, ["Estrie", None, 66], ["Montérégie", None, 208, 34]]))
    status, _, err = run(capsys, "importer", "chiffres.xlsx", "--period", "2020-2021", "--ecrire")
    assert status == 1
    assert err[:2] == ["erreur : chiffres.xlsx, feuille « 2020-2021 », cellule C3 (Entreprises accompagnées, Montérégie) : "
                       "la période 2020-2021 de la Montérégie est publiée : ce chiffre ne peut plus changer (207 → 208)",
                       "  → remettez la valeur publiée, videz la cellule ou retirez la ligne"]
    assert monteregie.read_bytes() == before
    assert "entreprises_accompagnees: 65" in (project / "data" / "estrie" / "2020-2021.yaml").read_text(encoding="utf-8")


def test_a_missing_period_file_is_made_as_nouvelle_periode_makes_it_then_filled(project, capsys):
    data = project / "data"
    prepared = new_period_text(data / "estrie", "2021-2022")
    (project / "chiffres.xlsx").write_bytes(workbook([HEADER, ["Estrie", "plus de 250", None, 16]], title="2021-2022"))
    status, out, _ = run(capsys, "importer", "chiffres.xlsx", "--period", "2021-2022", "--ecrire")
    assert status == 0
    assert out[1] == ("  Estrie — data/estrie/2021-2022.yaml (nouveau fichier, préparé comme par « reportgen "
                      "nouvelle-periode »)")
    assert out[2:4] == ["    Personnes accompagnées : À REMPLIR → plus de 250", "    Ententes : À REMPLIR → 16"]
    written = (data / "estrie" / "2021-2022.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[:4] == prepared.splitlines()[:4] and written.count("\n") == prepared.count("\n")
    assert "  personnes_accompagnees: plus de 250 # 2020-2021 : plus de 200\n" in written
    assert "  entreprises_accompagnees: À REMPLIR   # 2020-2021 : 65\n" in written
    assert not (data / "monteregie" / "2021-2022.yaml").exists()


def test_a_team_is_counted_whole(project):
    plan = plan_import(workbook([["Région", "Conseillères et conseillers"], ["Estrie", 4]]), "c.xlsx",
                       project / "data", "2020-2021")
    assert plan.ok
    (project / "data" / "estrie" / "2020-2021.yaml").write_text("gabarit: bilan\nchiffres:\n  ententes: 14\n",
                                                                 encoding="utf-8")
    plan = plan_import(workbook([["Région", "Conseillères et conseillers"], ["Estrie", 4]]), "c.xlsx",
                       project / "data", "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "c.xlsx, feuille « 2020-2021 », ligne 2 (Estrie) : « Agentes et agents » manque : l’équipe se compte en entier\n"
        "  → remplissez la colonne « Agentes et agents » pour cette région"]


def test_a_file_changed_after_the_plan_is_not_overwritten(project):
    plan = plan_import(workbook([["Région", "Ententes"], ["Estrie", 15]]), "c.xlsx", project / "data", "2020-2021")
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    estrie.write_text(estrie.read_text(encoding="utf-8") + "# changé par quelqu’un\n", encoding="utf-8")
    with pytest.raises(EditConflict):
        apply_import(plan)
    assert "ententes: 14" in estrie.read_text(encoding="utf-8")


# ---------------------------------------------------------------- CSV as Excel writes it in Québec

CSV_ROWS = [["Région", "Personnes accompagnées", "Entreprises accompagnées", "Ententes"],
            ["Estrie", "1\u00a0833", "19", "15"],
            ["Gaspesie - Iles de la Madeleine", "plus de 90", "", "7"]]


@pytest.mark.parametrize("encoding, separator, newline", [
    ("utf-8-sig", ";", "\r\n"),          # « CSV UTF-8 »
    ("cp1252", ";", "\r\n"),             # « CSV (séparateur : point-virgule) »
    ("utf-8", ";", "\n"),
    ("cp1252", ",", "\r\n"),             # an English Excel: decimal commas are then quoted
    ("utf-16", "\t", "\r\n"),            # « Texte Unicode »
    ("sep=|utf-8-sig", ",", "\r\n"),      # Excel's « sep=, » first line, a line Excel does not show
])
def test_csv_in_both_encodings_and_separators(project, encoding, separator, newline):
    lines = [separator.join(f'"{cell}"' if separator in cell else cell for cell in row) for row in CSV_ROWS]
    if encoding.startswith("sep="):
        encoding, lines = encoding.split("|")[1], [f"sep={separator}"] + lines
    content = (newline.join(lines) + newline).encode(encoding)
    plan = plan_import(content, "chiffres.csv", project / "data", "2020-2021")
    assert plan.errors == []
    assert [(r.region.name, [str(c) for c in r.changes]) for r in plan.changed_regions] == [
        ("Estrie", ["Personnes accompagnées : plus de 200 → 1 833", "Entreprises accompagnées : 65 → 19",
                    "Ententes : 14 → 15"]),
        ("Gaspésie–Îles-de-la-Madeleine", ["Personnes accompagnées : À REMPLIR → plus de 90",
                                           "Ententes : À REMPLIR → 7"])]
    assert [str(n) for n in plan.notices] == [
        "chiffres.csv, ligne 3 (Gaspésie–Îles-de-la-Madeleine) : cellule vide, chiffre inchangé : "
        "Entreprises accompagnées (colonne C, reste À REMPLIR)"]


def test_csv_mistakes_are_told_by_line_and_column(project, capsys):
    text = "Région;Ententes;Partenaires\r\nEstrie;15;\r\nMonteregie;34;\r\nEstrie Nord;1;\r\nGaspé;1\r\n\r\n" \
           "Gaspésie;environ 200x;\r\n"
    (project / "chiffres.csv").write_bytes(text.encode("cp1252"))
    status, _, err = run(capsys, "importer", "chiffres.csv", "--period", "2020-2021")
    assert status == 1
    assert err == ["erreur : chiffres.csv, ligne 4, colonne A : région inconnue « Estrie Nord » — vouliez-vous dire "
                   "« Estrie » ?",
                   "erreur : chiffres.csv, ligne 5, colonne A : région inconnue « Gaspé »",
                   "  → régions de data/ : Estrie, Gaspésie–Îles-de-la-Madeleine, Montérégie",
                   "erreur : chiffres.csv, ligne 7, colonne A : région inconnue « Gaspésie » — vouliez-vous dire "
                   "« Gaspésie–Îles-de-la-Madeleine » ?",
                   "3 erreur(s) dans le tableur : rien n’a été écrit."]
    text = text.replace("Gaspé;1\r\n", "\r\n")
    text = text.replace("Estrie Nord", "estrie-nord").replace("Gaspésie;", "gaspesie-iles-de-la-madeleine;") \
        .replace("estrie-nord;1", "Montérégie;2,5 ententes")
    (project / "chiffres.csv").write_bytes(text.encode("utf-8"))
    status, _, err = run(capsys, "importer", "chiffres.csv", "--period", "2020-2021")
    assert err == ["erreur : chiffres.csv, ligne 4, colonne A : la région de la Montérégie est déjà à la ligne 3",
                   "  → gardez une seule ligne par région",
                   "erreur : chiffres.csv, ligne 7, colonne B (Ententes, Gaspésie–Îles-de-la-Madeleine) : "
                   "« environ 200x » n’est pas un nombre (exemples : 207, 1 833, plus de 200)",
                   "2 erreur(s) dans le tableur : rien n’a été écrit."]


# ---------------------------------------------------------------- export, and the round trip

def test_export_one_sheet_per_period_with_labels_french_formats_and_a_frozen_header(project, capsys):
    status, out, _ = run(capsys, "exporter", "--period", "2020-2021", "--period", "2019-2021", "chiffres.xlsx")
    assert status == 0
    assert out == ["écrit : chiffres.xlsx (feuille(s) 2020-2021, 2019-2021 ; 3 région(s))"]
    book = load_workbook(project / "chiffres.xlsx")
    assert book.sheetnames == ["2020-2021", "2019-2021"]
    sheet = book["2020-2021"]
    assert [cell.value for cell in sheet[1]] == ["Région"] + LABELS
    assert sheet.freeze_panes == "B2"
    assert [cell.value for cell in sheet[2]] == ["Estrie", "plus de 200", 65, 14, None, None, None, None, 3, 4]
    assert [cell.value for cell in sheet[4]][:6] == ["Montérégie", None, 207, 34, 23, "près de 16 200 000"]
    assert sheet["C2"].number_format == "#,##0" and sheet["B2"].number_format == "@"
    assert [cell.value for cell in sheet[3]] == ["Gaspésie–Îles-de-la-Madeleine"] + [None] * len(LABELS)
    for column, header in zip("ABCDEFGHIJ", sheet[1]):   # headers wrap between words, values never do
        assert sheet.column_dimensions[column].width >= max(len(word) for word in header.value.split()) + 2
        assert header.alignment.wrap_text
    assert sheet.column_dimensions["A"].width >= len("Gaspésie–Îles-de-la-Madeleine") + 2
    assert sheet.column_dimensions["F"].width >= len("près de 16 200 000") + 2
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert [cell.value for cell in book["2019-2021"][3]][:4] == ["Gaspésie–Îles-de-la-Madeleine", 83, 19, 7]


def test_export_decimal_and_grouped_numbers_as_numbers_and_to_fill_as_empty(project):
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    estrie.write_text(estrie.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 16,25")
                      .replace("entreprises_accompagnees: 65", "entreprises_accompagnees: 1 833")
                      .replace("personnes_accompagnees: plus de 200", "personnes_accompagnees: À REMPLIR"),
                      encoding="utf-8")
    sheet = load_workbook(io.BytesIO(export_workbook(project / "data", ["2020-2021"]).content))["2020-2021"]
    assert (sheet["B2"].value, sheet["C2"].value, sheet["D2"].value) == (None, 1833, 16.25)
    assert (sheet["C2"].number_format, sheet["D2"].number_format) == ("#,##0", "#,##0.00")


def test_export_then_edit_in_excel_then_import_changes_exactly_the_edited_cells(project, capsys):
    assert main(["exporter", "--period", "2020-2021", "chiffres.xlsx"]) == 0
    before = data_bytes(project)
    book = load_workbook(project / "chiffres.xlsx")
    sheet = book["2020-2021"]
    sheet["D2"] = 17                     # Estrie, Ententes
    sheet["E2"] = 18.999999999999996     # Estrie, Partenaires (absent until now): a float as Excel keeps it
    book.save(project / "chiffres.xlsx")
    capsys.readouterr()
    assert main(["importer", "chiffres.xlsx", "--period", "2020-2021", "--ecrire"]) == 0
    after = data_bytes(project)
    assert [name for name in after if after[name] != before[name]] == ["data/estrie/2020-2021.yaml"]
    estrie = before["data/estrie/2020-2021.yaml"].decode("utf-8")
    assert after["data/estrie/2020-2021.yaml"].decode("utf-8") == estrie.replace(
        "  ententes: 14\n", "  ententes: 17\n  partenaires: 19\n")
    # Imported again, the same workbook changes nothing.
    plan = plan_import((project / "chiffres.xlsx").read_bytes(), "chiffres.xlsx", project / "data", "2020-2021")
    assert plan.ok and plan.changes == []
    assert not load_catalog(project / "data").errors


def test_export_refuses_another_extension_and_an_invalid_period(project, capsys):
    status, _, err = run(capsys, "exporter", "--period", "2020-2021", "chiffres.csv")
    assert status == 2
    assert err == ["reportgen : erreur : « chiffres.csv » : le classeur exporté doit finir par .xlsx "
                   "(exemple : chiffres.xlsx)"]
    status, _, err = run(capsys, "exporter", "--period", "2021", "chiffres.xlsx")
    assert status == 1
    assert err == ["erreur : période invalide « 2021 »", "  → écrivez deux années : 2021-2022"]
    assert not (project / "chiffres.xlsx").exists()


def test_points_of_service_must_agree_with_the_offices_of_region_yaml(project):
    plan = plan_import(workbook([["Région", "Points de services"], ["Estrie", 3], ["Montérégie", 11]]), "c.xlsx",
                       project / "data", "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "c.xlsx, feuille « 2020-2021 », cellule B2 (Points de services, Estrie) : 3 points de services, mais "
        "estrie/region.yaml liste 4 bureaux\n"
        "  → corrigez le chiffre, ou videz la cellule et retirez-le du fichier : il sera compté d’après les bureaux"]
    plan = plan_import(workbook([["Région", "Points de services"], ["Estrie", 4]]), "c.xlsx", project / "data",
                       "2020-2021")
    assert plan.ok and [str(c) for c in plan.changes] == ["Points de services : (aucun) → 4"]


def test_a_format_that_is_not_a_spreadsheet_is_named(project, capsys):
    (project / "chiffres.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    status, _, err = run(capsys, "importer", "chiffres.xls", "--period", "2020-2021")
    assert status == 1
    assert err == ["erreur : chiffres.xls : format non pris en charge « .xls »",
                   "  → enregistrez le tableur au format Classeur Excel (.xlsx) ou CSV (.csv)"]


def test_the_plan_token_changes_when_a_file_or_the_sheet_does(project):
    content = workbook([["Région", "Ententes"], ["Estrie", 15]])
    first = plan_import(content, "c.xlsx", project / "data", "2020-2021")
    assert plan_import(content, "c.xlsx", project / "data", "2020-2021").token == first.token
    assert plan_import(workbook([["Région", "Ententes"], ["Estrie", 16]]), "c.xlsx", project / "data",
                       "2020-2021").token != first.token
    estrie = project / "data" / "estrie" / "2020-2021.yaml"
    estrie.write_text(estrie.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    assert plan_import(content, "c.xlsx", project / "data", "2020-2021").token != first.token


def test_a_total_row_is_left_aside_and_a_broken_data_file_is_named(project):
    content = workbook([["Région", "Ententes"], ["Estrie", 15], ["Total", 49], ["Ensemble du Québec", 49]])
    plan = plan_import(content, "c.xlsx", project / "data", "2020-2021")
    assert plan.ok and [str(c) for c in plan.changes] == ["Ententes : 14 → 15"]
    assert [str(n) for n in plan.notices] == ["c.xlsx, feuille « 2020-2021 », ligne 3 (Total) : ligne de total ignorée",
                                              "c.xlsx, feuille « 2020-2021 », ligne 4 (Ensemble du Québec) : ligne de "
                                              "total ignorée"]
    (project / "data" / "estrie" / "2020-2021.yaml").write_text("chiffres: [\n", encoding="utf-8")
    plan = plan_import(content, "c.xlsx", project / "data", "2020-2021")
    assert [str(e) for e in plan.errors] == [
        "data/estrie/2020-2021.yaml : ce fichier ne peut pas être modifié tant qu’il contient une erreur de syntaxe\n"
        "  → lancez « reportgen check » pour la trouver et la corriger"]


def test_the_readme_names_every_column_the_import_reads(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Importer les chiffres d’un tableur", 1)[1].split("\n### ", 1)[0]
    headers = section.split("La première ligne porte les", 1)[1].split("Ce sont les mêmes libellés", 1)[0]
    named = [" ".join(label.strip("`").split()) for label in re.findall(r"`[^`]+`", headers)]
    assert named == ["Région"] + LABELS
    assert "reportgen importer chiffres.xlsx --period 2021-2022 --ecrire" in section


def test_a_region_is_named_with_its_own_de_form(project, capsys):
    assert main(["nouvelle-region", "cote-nord"]) == 0
    (project / "data" / "cote-nord" / "2021-2022.yaml").write_text(
        "gabarit: bilan\npublie: 2022-09-15\nchiffres:\n  personnes_accompagnees: 12\n"
        "  entreprises_accompagnees: 3\n  ententes: 2\npersonnel:\n  conseillers: 1\n  agents: 1\n", encoding="utf-8")
    (project / "chiffres.xlsx").write_bytes(workbook([HEADER, ["Côte-Nord", 13], ["cote-nord", 12]], title="2021-2022"))
    status, _, err = run(capsys, "importer", "chiffres.xlsx", "--period", "2021-2022")
    assert status == 1
    assert ("erreur : chiffres.xlsx, feuille « 2021-2022 », cellule B2 (Personnes accompagnées, Côte-Nord) : "
            "la période 2021-2022 de la Côte-Nord est publiée : ce chiffre ne peut plus changer (12 → 13)") in err
    assert "erreur : chiffres.xlsx, feuille « 2021-2022 », cellule A3 : la région de la Côte-Nord est déjà à la ligne 2" in err
