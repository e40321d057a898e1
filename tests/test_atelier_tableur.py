"""The atelier's import and export of the figures (issue 16, point 5), over HTTP: the forms
of the home page, the preview, the confirmation, every refusal, and what is written."""
from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import Workbook, load_workbook
from starlette.testclient import TestClient

from reportgen.atelier import create_app
from reportgen.atelier.imports import Uploads, uploaded_name
from reportgen.atelier.security import LOCAL_ACCOUNT, MAX_BODY_BYTES, Session, load_accounts
from reportgen.cli import main

from atelier_helpers import PASSWORD, accounts_file, client, config, csrf_of, local_config, signed_in  # noqa: F401 (fixtures)

ESTRIE = "data/estrie/2020-2021.yaml"


def workbook(rows: list[list], title: str = "2020-2021") -> bytes:
    """An .xlsx as Excel would save it: a header row, then one row per region."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def send(client: TestClient, content: bytes, period: str = "2020-2021", name: str = "chiffres.xlsx",
         csrf: str | None = None):
    csrf = csrf if csrf is not None else csrf_of(client.get("/").text)
    return client.post("/importer", data={"csrf": csrf, "periode": period}, files={"fichier": (name, content)})


def confirmation(html: str) -> dict[str, str]:
    """The hidden fields of the « Confirmer l’import » form."""
    form = html.split('action="/importer/confirmer"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def text_of(html: str) -> str:
    main_part = html.split("<main", 1)[1].split(">", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main_part).split())


# ---------------------------------------------------------------- the forms of the home page

def test_home_has_the_import_and_export_forms_with_their_labels(client):
    html = client.get("/").text
    assert 'action="/importer" enctype="multipart/form-data"' in html
    assert '<label for="im-fichier">Tableur (.xlsx ou .csv)</label>' in html
    assert 'type="file" id="im-fichier" name="fichier" accept=".xlsx,.csv"' in html
    assert '<label for="im-periode">Période des chiffres</label>' in html
    assert 'id="im-periode" name="periode" value="2020-2021"' in html   # the latest period, ready
    assert '<form method="get" action="/exporter"' in html
    assert re.search(r'<select id="ex-periode" name="periode" >\s*<option value="2020-2021" selected>', html)
    assert '<option value="2019-2021" >2019-2021</option>' in html
    assert "Voir les changements" in html and "Télécharger le classeur" in html


# ---------------------------------------------------------------- preview, confirm, result

def test_preview_then_confirm_changes_exactly_the_figures_and_logs_who(project, config):
    config.journal = project / "journal.jsonl"
    client = signed_in(config)
    path = project / ESTRIE
    before = path.read_text(encoding="utf-8")
    content = workbook([["Région", "Ententes", "Entreprises accompagnées", "Partenaires"],
                        ["estrie", 16, "1 833", None]])
    preview = send(client, content)
    assert preview.status_code == 200
    shown = text_of(preview.text)
    assert "2 changements à confirmer" in shown
    assert "Estrie Ententes 14 devient 16 B2" in shown
    assert "Estrie Entreprises accompagnées 65 devient 1 833 C2" in shown
    assert "ligne 2 (Estrie) : cellule vide, chiffre inchangé : Partenaires (D2, absent)" in shown
    assert path.read_text(encoding="utf-8") == before          # nothing written before the confirmation

    done = client.post("/importer/confirmer", data=confirmation(preview.text))
    assert done.status_code == 200
    assert text_of(done.text).startswith("Import enregistré 2 changements enregistrés dans 1 fichier ; la version "
                                         "que chacun remplace est gardée dans l’historique. Fichiers écrits : "
                                         "data/estrie/2020-2021.yaml")
    assert path.read_text(encoding="utf-8") == before.replace("  entreprises_accompagnees: 65\n",
                                                              "  entreprises_accompagnees: 1 833\n").replace(
        "  ententes: 14\n", "  ententes: 16\n")
    kept = list((config.history_dir / "estrie" / "2020-2021.yaml").glob("*.yaml"))
    assert [k.read_text(encoding="utf-8") for k in kept] == [before]
    entry = json.loads((project / "journal.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["qui"] == "local" and entry["quoi"] == "import" and entry["periode"] == "2020-2021"
    assert entry["tableur"] == "chiffres.xlsx" and entry["fichiers"] == [str(path)] and entry["quand"][:2] == "20"
    assert main(["check", "--data", str(project / "data")]) == 0

    again = client.post("/importer/confirmer", data=confirmation(preview.text))   # the upload is gone
    assert again.status_code == 409 and "Import expiré" in again.text
    assert path.read_text(encoding="utf-8").count("ententes: 16") == 1


def test_a_new_period_file_is_prepared_then_filled_from_a_csv(client, project):
    csv = "Région;Ententes;Personnes accompagnées\r\nGaspesie - Iles de la Madeleine;8;91\r\n".encode("cp1252")
    preview = send(client, csv, "2021-2022", "chiffres.csv")
    assert preview.status_code == 200
    assert ("Fichier créé comme par « Nouvelle période » (le reste est marqué « À REMPLIR ») : "
            "data/gaspesie-iles-de-la-madeleine/2021-2022.yaml.") in text_of(preview.text)
    assert client.post("/importer/confirmer", data=confirmation(preview.text)).status_code == 200
    written = (project / "data/gaspesie-iles-de-la-madeleine/2021-2022.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  ententes: 8 +# 2019-2021 : 7$", written, re.M)
    assert re.search(r"^  personnes_accompagnees: 91 +# 2019-2021 : 83$", written, re.M)
    assert re.search(r"^  entreprises_accompagnees: À REMPLIR +# 2019-2021 : 19$", written, re.M)


def test_nothing_to_change_offers_no_confirmation(client):
    preview = send(client, workbook([["Région", "Ententes"], ["Estrie", 14]]))
    assert preview.status_code == 200
    assert "Aucun changement : les fichiers de 2020-2021 ont déjà ces chiffres." in preview.text
    assert "Confirmer l’import" not in preview.text


def test_a_sheet_with_mistakes_shows_each_cell_and_offers_no_confirmation(client, project):
    monteregie = project / "data" / "monteregie" / "2020-2021.yaml"
    monteregie.write_text("publie: 2021-09-15\n" + monteregie.read_text(encoding="utf-8"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")}
    content = workbook([["Région", "Ententes", "Entente"], ["Estrie", "environ 200x", None], ["Monteregi", 3, None],
                        ["Montérégie", 35, None]])
    preview = send(client, content)
    assert preview.status_code == 422
    shown = text_of(preview.text)
    assert "4 erreurs dans le tableur : rien ne peut être importé." in shown
    assert "C1 colonne inconnue « Entente » — vouliez-vous dire « Ententes » ?" in shown
    assert "B2 Ententes, Estrie « environ 200x » n’est pas un nombre" in shown
    assert "A3 région inconnue « Monteregi » — vouliez-vous dire « Montérégie » ?" in shown
    assert ("B4 Ententes, Montérégie la période 2020-2021 de la Montérégie est publiée : ce chiffre ne peut plus "
            "changer (34 → 35) remettez la valeur publiée, videz la cellule ou retirez la ligne") in shown
    assert 'role="alert"' in preview.text
    assert "Confirmer l’import" not in preview.text and 'name="envoi"' not in preview.text
    assert {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")} == before


# ---------------------------------------------------------------- refusals

def test_an_import_without_its_csrf_token_is_refused(client, project):
    before = (project / ESTRIE).read_bytes()
    content = workbook([["Région", "Ententes"], ["Estrie", 16]])
    for csrf in ("", "faux"):
        response = send(client, content, csrf=csrf)
        assert response.status_code == 403 and "jeton de sécurité absent ou périmé" in response.text
    preview = send(client, content)
    fields = confirmation(preview.text)
    del fields["csrf"]
    assert client.post("/importer/confirmer", data=fields).status_code == 403
    assert (project / ESTRIE).read_bytes() == before


def test_a_spreadsheet_too_large_is_refused(client, project):
    response = send(client, b"x" * (MAX_BODY_BYTES + 1), name="chiffres.csv")
    assert response.status_code == 413
    assert "Tableur trop volumineux" in response.text and "au plus 256 Kio" in response.text
    assert 'lang="fr-CA"' in response.text


def test_a_changed_token_or_a_file_changed_since_the_preview_writes_nothing(client, project):
    path = project / ESTRIE
    preview = send(client, workbook([["Région", "Ententes"], ["Estrie", 16]]))
    fields = confirmation(preview.text)
    before = path.read_text(encoding="utf-8")
    refused = client.post("/importer/confirmer", data={**fields, "jeton": "0" * 64})
    assert refused.status_code == 409
    assert ("Les fichiers ont changé depuis l’aperçu : rien n’a été importé. Voici les changements d’après les "
            "fichiers actuels ; vérifiez-les, puis confirmez de nouveau.") in refused.text
    assert path.read_text(encoding="utf-8") == before

    path.write_text(before.replace("ententes: 14", "ententes: 15"), encoding="utf-8")   # edited meanwhile
    refused = client.post("/importer/confirmer", data=fields)
    assert refused.status_code == 409 and "Estrie Ententes 15 devient 16" in text_of(refused.text)
    assert path.read_text(encoding="utf-8") == before.replace("ententes: 14", "ententes: 15")
    assert client.post("/importer/confirmer", data=confirmation(refused.text)).status_code == 200
    assert path.read_text(encoding="utf-8") == before.replace("ententes: 14", "ententes: 16")


def test_an_unknown_or_another_session_s_upload_is_expired(client, config, project):
    preview = send(client, workbook([["Région", "Ententes"], ["Estrie", 16]]))
    fields = confirmation(preview.text)
    for key in ("", "inconnu", "../../data/estrie/2020-2021.yaml"):
        response = client.post("/importer/confirmer", data={**fields, "envoi": key})
        assert response.status_code == 409
        assert ("Ce tableur n’est plus gardé par l’atelier (son aperçu date de plus d’une heure, ou l’atelier a été "
                "relancé) : rien n’a été importé. Importez-le de nouveau depuis l’accueil.") in response.text
    other = TestClient(client.app, base_url=str(client.base_url), follow_redirects=False)
    other.get(f"/?jeton={config.secret}")
    stolen = other.post("/importer/confirmer", data={**fields, "csrf": csrf_of(other.get("/").text)})
    assert stolen.status_code == 409 and "Import expiré" in stolen.text
    assert "ententes: 14" in (project / ESTRIE).read_text(encoding="utf-8")


@pytest.mark.parametrize("name, content, period, field, message", [
    ("", b"", "2020-2021", "im-fichier", "choisissez un tableur (.xlsx ou .csv)"),
    ("chiffres.xlsx", b"PK", "2021", "im-periode", "écrivez deux années séparées d’un trait d’union : 2021-2022"),
    ("chiffres.xls", b"\xd0\xcf", "2020-2021", "im-fichier", "format non pris en charge « .xls »"),
])
def test_a_form_mistake_is_told_beside_its_field_on_the_home_page(client, name, content, period, field, message):
    response = client.post("/importer", data={"csrf": csrf_of(client.get("/").text), "periode": period},
                           files={"fichier": (name, content)})
    assert response.status_code == 422
    assert re.search(rf'<span class="message" id="{field}-msg">[^<]*{re.escape(message)}', response.text)
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-msg"[^>]*aria-invalid="true"',
                     response.text.replace("\n", " "))


def test_export_downloads_the_period_s_workbook_with_a_french_name(client):
    response = client.get("/exporter?periode=2020-2021")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="chiffres-2020-2021.xlsx"'
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content))["2020-2021"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Estrie", "Montérégie", "Gaspésie–Îles-de-la-Madeleine"}
    header = [cell.value for cell in sheet[1]]
    assert rows["Estrie"][header.index("Ententes")] == 14


def test_export_of_a_period_not_listed_is_told_beside_the_field(client):
    for period in ("2099-2100", "../data", ""):
        response = client.get("/exporter", params={"periode": period})
        assert response.status_code == 422
        assert '<span class="message" id="ex-periode-msg">choisissez une période de la liste</span>' in response.text


def test_export_then_import_unchanged_changes_nothing(client):
    content = client.get("/exporter?periode=2020-2021").content
    preview = send(client, content)
    assert preview.status_code == 200
    assert "Aucun changement : les fichiers de 2020-2021 ont déjà ces chiffres." in preview.text


# ---------------------------------------------------------------- shared mode

@pytest.fixture
def shared(project):
    return local_config(project, host="0.0.0.0", server_names=("atelier.mifi.example",),
                        accounts=load_accounts(accounts_file(project)), journal=project / "journal.jsonl")


def _login(config, login: str) -> TestClient:
    client = TestClient(create_app(config), base_url="http://atelier.mifi.example", follow_redirects=False)
    page = client.get("/connexion")
    client.post("/connexion", data={"csrf": csrf_of(page.text), "identifiant": login, "mot_de_passe": PASSWORD})
    return client


def test_an_account_of_one_region_imports_only_its_rows(shared, project):
    client = _login(shared, "estrie")
    before = {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")}
    content = workbook([["Région", "Ententes"], ["Estrie", 16], ["Montérégie", 35], ["Gaspésie", None],
                        ["gaspesie-iles-de-la-madeleine", 9]])
    preview = send(client, content)
    assert preview.status_code == 403
    shown = text_of(preview.text)
    assert ("Rien n’a été importé : votre compte ne donne pas accès à ces régions. Gaspésie–Îles-de-la-Madeleine "
            "(ligne 5) Montérégie (ligne 3) Retirez leurs lignes du tableur") in shown
    assert "34" not in shown and "Confirmer l’import" not in preview.text   # nothing of another region shows
    assert {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")} == before

    allowed = send(client, workbook([["Région", "Ententes"], ["Estrie", 16]]))
    assert allowed.status_code == 200
    assert client.post("/importer/confirmer", data=confirmation(allowed.text)).status_code == 200
    assert "  ententes: 16\n" in (project / ESTRIE).read_text(encoding="utf-8")
    entry = json.loads((project / "journal.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["qui"] == "estrie" and entry["quoi"] == "import"


def test_an_account_of_one_region_exports_only_its_regions(shared):
    client = _login(shared, "estrie")
    home = client.get("/").text
    assert "Un classeur Excel des chiffres de vos régions" in home
    assert '<option value="2019-2021"' not in home           # Gaspésie's period is not Estrie's
    sheet = load_workbook(io.BytesIO(client.get("/exporter?periode=2020-2021").content))["2020-2021"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Estrie"]
    assert client.get("/exporter?periode=2019-2021").status_code == 422
    everyone = _login(shared, "coordination")
    sheet = load_workbook(io.BytesIO(everyone.get("/exporter?periode=2020-2021").content))["2020-2021"]
    assert sheet.max_row == 4


def test_signed_out_nothing_is_imported_or_exported(shared):
    client = TestClient(create_app(shared), base_url="http://atelier.mifi.example", follow_redirects=False)
    assert client.get("/exporter?periode=2020-2021").headers["location"] == "/connexion"
    response = client.post("/importer", data={"periode": "2020-2021"}, files={"fichier": ("c.csv", b"x")})
    assert response.status_code == 401 and "Votre session a expiré" in response.text


# ---------------------------------------------------------------- the store of uploads

def test_uploads_are_bounded_expire_and_belong_to_their_session():
    now = [0.0]
    store = Uploads(limit=2, lifetime=60, clock=lambda: now[0])
    mine, theirs = Session(LOCAL_ACCOUNT, float("inf")), Session(LOCAL_ACCOUNT, float("inf"))
    first = store.keep(mine, "a.xlsx", b"1", "2020-2021")
    assert store.get(theirs, first) is None and store.get(mine, first).content == b"1"
    second, third = store.keep(mine, "b.xlsx", b"2", "2020-2021"), store.keep(mine, "c.xlsx", b"3", "2020-2021")
    assert store.get(mine, first) is None and store.get(mine, second).file_name == "b.xlsx"
    now[0] = 60
    assert store.get(mine, third) is None


@pytest.mark.parametrize("sent, name", [("chiffres.xlsx", "chiffres.xlsx"),
                                        ("C:\\Users\\marie\\Bureau\\chiffres 2021.csv", "chiffres 2021.csv"),
                                        ("../../etc/passwd", "passwd"), (None, "")])
def test_only_the_file_s_own_name_is_kept(sent, name):
    assert uploaded_name(sent) == name
