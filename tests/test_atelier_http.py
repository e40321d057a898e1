"""The atelier over HTTP: every route, every refusal, and saving through the round trip."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from reportgen.atelier import create_app
from reportgen.atelier.security import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES, Sessions, Throttle, LOCAL_ACCOUNT
from reportgen.cli import main

from atelier_helpers import (BASE, PASSWORD, accounts_file, client, config, csrf_of, figure_message,  # noqa: F401
                             local_config, page_form, replaced)

ESTRIE = "/bilan/estrie/2020-2021"


# ---------------------------------------------------------------- the launch secret, the Host header

def test_without_the_secret_nothing_is_served(config):
    client = TestClient(create_app(config), base_url=BASE, follow_redirects=False)
    for path in ("/", ESTRIE, "/bilan/estrie/2020-2021/telecharger/pdf"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Ouvrez l’atelier par l’adresse affichée au lancement" in response.text
    assert client.post(ESTRIE + "/enregistrer", data={"periode:chiffres.ententes": "1"}).status_code == 403


def test_a_wrong_secret_is_refused_and_opens_no_session(config):
    client = TestClient(create_app(config), base_url=BASE, follow_redirects=False)
    response = client.get("/?jeton=devine")
    assert response.status_code == 403 and "Cette clé n’est pas celle de ce lancement" in response.text
    assert "atelier_session" not in response.cookies


def test_the_secret_becomes_a_strict_cookie_and_leaves_the_address(config):
    client = TestClient(create_app(config), base_url=BASE, follow_redirects=False)
    response = client.get(f"/bilan/estrie/2020-2021?jeton={config.secret}")
    assert response.status_code == 303 and response.headers["location"] == ESTRIE
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get(ESTRIE).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:9999", "localhost.evil.example:8765"])
def test_a_foreign_host_header_is_refused(client, host):
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert "Adresse non reconnue" in response.text and 'lang="fr-CA"' in response.text


def test_localhost_with_the_port_is_served(client):
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_every_answer_carries_the_security_headers(client):
    for response in (client.get("/"), client.get("/nulle-part"), client.get("/", headers={"host": "x"})):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


# ---------------------------------------------------------------- CSRF, sizes, paths

def test_a_change_without_its_csrf_token_is_refused(client, project):
    before = (project / "data/estrie/2020-2021.yaml").read_bytes()
    pairs, _ = page_form(client, "estrie", "2020-2021")
    pairs = [(n, v) for n, v in replaced(pairs, "periode:chiffres.ententes", "15") if n != "csrf"]
    for data in (dict(pairs), dict(pairs, csrf="faux")):
        response = client.post(ESTRIE + "/enregistrer", data=data)
        assert response.status_code == 403
        assert "jeton de sécurité absent ou périmé" in response.text
    assert client.post("/nouvelle-periode", data={"region": "estrie", "periode": "2021-2022"}).status_code == 403
    assert client.post(ESTRIE + "/produire").status_code == 403
    assert (project / "data/estrie/2020-2021.yaml").read_bytes() == before
    assert not (project / "data/estrie/2021-2022.yaml").exists()


def test_an_oversized_body_is_refused(client):
    csrf = csrf_of(client.get(ESTRIE).text)
    response = client.post(ESTRIE + "/verifier", data={"csrf": csrf, "periode:gabarit": "x" * (MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text and "256 Kio" in response.text


def test_an_oversized_body_without_its_length_is_refused(client):
    csrf = csrf_of(client.get(ESTRIE).text)

    def chunks():
        yield f"csrf={csrf}&periode%3Agabarit=".encode()
        for _ in range(40):
            yield b"x" * 8192

    response = client.post(ESTRIE + "/verifier", content=chunks(),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and "Envoi trop volumineux" in response.text


@pytest.mark.parametrize("path", ["/bilan/%2E%2E/2020-2021", "/bilan/estrie/..%2F..%2Fetc", "/bilan/..%2Fdata/x",
                                  "/bilan/estrie/2099-2100", "/bilan/estrie/%2E%2E%2Fministere"])
def test_a_path_as_region_or_period_finds_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Bilan introuvable" in response.text or "Page introuvable" in response.text


def test_a_path_as_region_of_a_new_period_is_refused(client, project):
    csrf = csrf_of(client.get("/").text)
    response = client.post("/nouvelle-periode", data={"csrf": csrf, "region": "../estrie", "periode": "2021-2022"})
    assert response.status_code == 422 and "choisissez une région de la liste" in response.text
    assert not list(project.rglob("2021-2022.yaml"))


# ---------------------------------------------------------------- home, report page, checking

def test_home_lists_every_report_with_its_state(client, project):
    text = (project / "data/monteregie/2020-2021.yaml").read_text(encoding="utf-8")
    (project / "data/monteregie/2020-2021.yaml").write_text(text.replace("ententes: 34", "ententes: trente"),
                                                            encoding="utf-8")
    html = client.get("/").text
    assert html.count('<th scope="row">') == 3
    assert 'etat-valide">valide<' in html and 'etat-erreurs">erreurs (1)<' in html
    assert "jamais" in html and 'lang="fr-CA"' in html


def test_the_report_page_is_a_form_of_both_files_with_a_preview(client):
    html = client.get(ESTRIE).text
    assert 'name="periode:chiffres.ententes" value="14"' in html
    assert 'name="region:bureaux[2].ville" value="Richmond"' in html
    assert 'name="periode:projets[9]"' in html
    assert html.index("La période 2020-2021") < html.index("La région (commune à toutes ses périodes)")
    assert 'for="f-periode-chiffres-ententes">Ententes' in html
    assert 'aria-describedby="f-periode-chiffres-ententes-aide f-periode-chiffres-ententes-msg"' in html
    assert '<img src="/apercu/' in html and "établir 14 ententes" in html


def test_checking_gives_check_s_own_message_beside_the_field(client, project):
    pairs, csrf = page_form(client, "estrie", "2020-2021")
    answer = client.post(ESTRIE + "/verifier", data=dict(replaced(pairs, "periode:chiffres.ententes", "14 ententes")),
                         headers={"x-csrf-token": csrf}).json()
    message = figure_message("14 ententes")
    assert message.startswith("« 14 ententes » n’est pas un nombre (exemples : ")
    assert answer["messages"] == {"periode:chiffres.ententes": [message]}
    assert answer["apercu"] is None and answer["resume"].startswith("1 erreur à corriger")
    # the same mistake typed in the file: check prints the same words
    path = project / "data/estrie/2020-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 14 ententes"), encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "reportgen", "check", "--data", str(project / "data")],
                           capture_output=True, text=True, cwd=project)
    assert message in check.stderr


def test_checking_a_valid_change_refreshes_the_preview_and_its_text(client):
    pairs, csrf = page_form(client, "estrie", "2020-2021")
    answer = client.post(ESTRIE + "/verifier", data=dict(replaced(pairs, "periode:chiffres.ententes", "15")),
                         headers={"x-csrf-token": csrf}).json()
    assert answer["messages"] == {} and answer["resume"] == "Tout est valide. Aperçu à jour."
    preview = answer["apercu"]
    assert preview["pages"] == 2 and not preview["brouillon"]
    assert "établir 15 ententes" in " ".join(preview["texte"])
    image = client.get(f"/apercu/{preview['cle']}/1.jpg")
    assert image.status_code == 200 and image.content.startswith(b"\xff\xd8\xff")
    assert image.headers["content-type"] == "image/jpeg"
    assert client.get(f"/apercu/{preview['cle']}/3.jpg").status_code == 404


def test_a_missing_required_value_is_told_beside_its_section(client):
    pairs, csrf = page_form(client, "estrie", "2020-2021")
    answer = client.post(ESTRIE + "/verifier", data=dict(replaced(pairs, "region:bureaux[1].ville", "")),
                         headers={"x-csrf-token": csrf}).json()
    assert answer["messages"] == {"region:bureaux[1]": ["clé obligatoire absente : « ville » → ajoutez une ligne "
                                                        "« ville: … »"]}


# ---------------------------------------------------------------- saving

def test_saving_an_unchanged_form_changes_no_byte(client, project):
    files = [project / "data/estrie/region.yaml", project / "data/estrie/2020-2021.yaml"]
    before = [f.read_bytes() for f in files]
    pairs, _ = page_form(client, "estrie", "2020-2021")
    response = client.post(ESTRIE + "/enregistrer", data=dict(pairs))
    assert response.status_code == 303 and response.headers["location"] == ESTRIE + "?fait=inchange"
    assert [f.read_bytes() for f in files] == before


def test_saving_a_figure_changes_that_line_only_and_keeps_the_previous_version(client, project, config):
    path = project / "data/estrie/2020-2021.yaml"
    before = path.read_text(encoding="utf-8")
    pairs, _ = page_form(client, "estrie", "2020-2021")
    response = client.post(ESTRIE + "/enregistrer", data=dict(replaced(pairs, "periode:chiffres.ententes", "73")))
    assert response.status_code == 303 and response.headers["location"] == ESTRIE + "?fait=enregistre"
    assert path.read_text(encoding="utf-8") == before.replace("  ententes: 14\n", "  ententes: 73\n")
    kept = list((config.history_dir / "estrie" / "2020-2021.yaml").glob("*.yaml"))
    assert [k.read_text(encoding="utf-8") for k in kept] == [before]
    assert "Modifications enregistrées." in client.get(ESTRIE + "?fait=enregistre").text
    assert main(["check", "--data", str(project / "data")]) == 0


def test_a_list_edited_in_the_form_is_saved_in_its_order(client, project):
    pairs, _ = page_form(client, "estrie", "2020-2021")
    pairs = replaced(pairs, "periode:personnel.lieux_agents[2]", "Coaticook")
    pairs = [(n, v) for n, v in pairs if n != "periode:personnel.lieux_agents[4]"]
    assert client.post(ESTRIE + "/enregistrer", data=dict(pairs)).status_code == 303
    text = (project / "data/estrie/2020-2021.yaml").read_text(encoding="utf-8")
    assert "  lieux_agents: [Sherbrooke, Coaticook, Richmond]\n" in text


def test_a_mistake_is_never_saved_and_comes_back_beside_its_field(client, project):
    before = (project / "data/estrie/2020-2021.yaml").read_bytes()
    pairs, _ = page_form(client, "estrie", "2020-2021")
    response = client.post(ESTRIE + "/enregistrer", data=dict(replaced(pairs, "periode:chiffres.ententes", "1,5,5")))
    assert response.status_code == 422
    assert "Rien n’a été enregistré : corrigez les erreurs signalées à côté des champs." in response.text
    assert f'data-pour="periode:chiffres.ententes"><span>{figure_message("1,5,5")}</span>' in response.text
    assert 'value="1,5,5"' in response.text
    assert (project / "data/estrie/2020-2021.yaml").read_bytes() == before


def test_a_file_changed_on_disk_is_not_overwritten_and_the_change_is_shown(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    pairs, _ = page_form(client, "estrie", "2020-2021")
    edited = path.read_text(encoding="utf-8").replace("entreprises_accompagnees: 65", "entreprises_accompagnees: 66")
    path.write_text(edited, encoding="utf-8")
    response = client.post(ESTRIE + "/enregistrer", data=dict(replaced(pairs, "periode:chiffres.ententes", "15")))
    assert response.status_code == 409
    assert "Le fichier a changé depuis son ouverture" in response.text
    assert "-  entreprises_accompagnees: 65" in response.text and "+  entreprises_accompagnees: 66" in response.text
    assert "-  ententes: 14" in response.text and "+  ententes: 15" in response.text
    assert path.read_text(encoding="utf-8") == edited


def test_row_actions_without_script_redisplay_the_form_and_save_nothing(client, project):
    before = (project / "data/estrie/2020-2021.yaml").read_bytes()
    pairs, _ = page_form(client, "estrie", "2020-2021")
    added = client.post(ESTRIE + "/enregistrer", data=dict(pairs, action="ajouter:periode:projets"))
    assert added.status_code == 200 and 'name="periode:projets[10]" rows="2"' in added.text
    moved = client.post(ESTRIE + "/enregistrer", data=dict(pairs, action="monter:periode:projets[2]"))
    assert re.search(r'name="periode:projets\[1\]"[^>]*>la causerie sur l&#39;Islam', moved.text)
    assert re.search(r'name="periode:projets\[2\]"[^>]*>la \*Semaine sherbrookoise', moved.text)
    removed = client.post(ESTRIE + "/enregistrer", data=dict(pairs, action="retirer:region:bureaux[1]"))
    assert 'name="region:bureaux[1].ville" value="Richmond"' in removed.text
    assert (project / "data/estrie/2020-2021.yaml").read_bytes() == before


# ---------------------------------------------------------------- history

def test_history_shows_and_restores_an_earlier_version(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    original = path.read_text(encoding="utf-8")
    pairs, _ = page_form(client, "estrie", "2020-2021")
    client.post(ESTRIE + "/enregistrer", data=dict(replaced(pairs, "periode:chiffres.ententes", "20")))
    html = client.get(ESTRIE + "/historique").text
    version = html.split('name="version" value="')[1].split('"')[0]
    shown = client.get(ESTRIE + f"/historique?version={version}").text
    assert "-  ententes: 14" in shown and "+  ententes: 20" in shown
    response = client.post(ESTRIE + "/restaurer", data={"csrf": csrf_of(html), "version": version,
                                                        "empreinte": html.split('name="empreinte" value="')[1][:64]})
    assert response.status_code == 303 and path.read_text(encoding="utf-8") == original
    refused = client.post(ESTRIE + "/restaurer", data={"csrf": csrf_of(html), "version": "periode:../../x"})
    assert refused.status_code == 404 and "Version introuvable" in refused.text


# ---------------------------------------------------------------- produce, download

def test_produce_then_download_both_formats(client, project):
    missing = client.get(ESTRIE + "/telecharger/pdf")
    assert missing.status_code == 404
    assert "Ce bilan n’a pas encore de fichier PDF : produisez-le d’abord." in missing.text
    csrf = csrf_of(client.get(ESTRIE).text)
    assert client.post(ESTRIE + "/produire", data={"csrf": csrf}).headers["location"] == ESTRIE + "?fait=produit"
    pdf = client.get(ESTRIE + "/telecharger/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"] == 'attachment; filename="estrie-2020-2021.pdf"'
    docx = client.get(ESTRIE + "/telecharger/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(ESTRIE + "/telecharger/exe").status_code == 404
    assert "jamais" not in client.get("/").text.split("Estrie")[1].split("</tr>")[0]


def test_a_report_that_cannot_be_produced_says_why_and_keeps_nothing_half_written(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ententes: 14", "ententes: À REMPLIR"), encoding="utf-8")
    csrf = csrf_of(client.get(ESTRIE).text)
    response = client.post(ESTRIE + "/produire", data={"csrf": csrf})
    assert response.status_code == 422 and "valeur à remplir (« À REMPLIR »)" in response.text
    assert not (project / "build/2020-2021/estrie.pdf").exists()


# ---------------------------------------------------------------- new period, new region, published

def test_a_new_period_is_created_as_a_draft(client, project):
    csrf = csrf_of(client.get("/").text)
    response = client.post("/nouvelle-periode", data={"csrf": csrf, "region": "estrie", "periode": "2021-2022"})
    assert response.status_code == 303 and response.headers["location"] == "/bilan/estrie/2021-2022?fait=periode"
    assert (project / "data/estrie/2021-2022.yaml").is_file()
    home = client.get("/").text
    assert "brouillon (4 champs à remplir)" in home
    page = client.get("/bilan/estrie/2021-2022").text
    assert "Brouillon : des champs restent à remplir." in page and "(brouillon)" in page
    again = client.post("/nouvelle-periode", data={"csrf": csrf, "region": "estrie", "periode": "2021-2022"})
    assert again.status_code == 422 and "ce fichier de période existe déjà" in again.text
    wrong = client.post("/nouvelle-periode", data={"csrf": csrf, "region": "estrie", "periode": "2022"})
    assert "écrivez deux années séparées d’un trait d’union : 2021-2022" in wrong.text


def test_a_new_region_is_one_of_the_17_started_from_its_reference_with_a_first_period(client, project):
    home = client.get("/").text
    csrf = csrf_of(home)
    assert '<option value="cote-nord" >Côte-Nord</option>' in home
    assert '<option value="estrie"' not in home.split('id="nr-region"', 1)[1]      # already in the data
    response = client.post("/nouvelle-region", data={"csrf": csrf, "region": "cote-nord", "premiere": "2021-2022"})
    assert response.status_code == 303 and response.headers["location"] == "/bilan/cote-nord/2021-2022?fait=region"
    region = (project / "data/cote-nord/region.yaml").read_text(encoding="utf-8")
    assert "nom: Côte-Nord\nformes:" in region and "  en: sur la Côte-Nord\n" in region
    assert "  de: de la Côte-Nord\n" in region and "courriel: À REMPLIR" in region
    assert (project / "data/cote-nord/2021-2022.yaml").read_text(encoding="utf-8").startswith("gabarit: bilan\n")
    assert "Côte-Nord" in client.get("/").text
    for wrong, field in (({"region": "../estrie", "premiere": "2021-2022"}, "choisissez une région de la liste"),
                         ({"region": "cote-nord", "premiere": "2021-2022"}, "choisissez une région de la liste"),
                         ({"region": "laval", "premiere": "2021"}, "écrivez deux années croissantes")):
        refused = client.post("/nouvelle-region", data={"csrf": csrf, **wrong})
        assert refused.status_code == 422 and field in refused.text


def test_a_published_report_is_read_only(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    path.write_text("publie: 2021-09-15\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    html = client.get(ESTRIE).text
    assert "Ce bilan est publié : il se consulte ici, mais ne se modifie plus." in html
    assert "readonly" in html and ">Enregistrer<" not in html
    assert 'etat-publie">publié<' in client.get("/").text
    pairs, _ = page_form(client, "estrie", "2020-2021")
    response = client.post(ESTRIE + "/enregistrer", data=dict(pairs))
    assert response.status_code == 403 and "Ce bilan est publié" in response.text


# ---------------------------------------------------------------- shared mode

@pytest.fixture
def shared(project):
    return local_config(project, host="0.0.0.0", server_names=("atelier.mifi.example",),
                        accounts=__import__("reportgen.atelier.security", fromlist=["x"]).load_accounts(
                            accounts_file(project)), journal=project / "journal.jsonl")


def _login(config, login: str, password: str = PASSWORD, client: TestClient | None = None):
    client = client or TestClient(create_app(config), base_url="http://atelier.mifi.example", follow_redirects=False)
    page = client.get("/connexion")
    response = client.post("/connexion", data={"csrf": csrf_of(page.text), "identifiant": login,
                                               "mot_de_passe": password})
    return client, response


def test_shared_mode_asks_to_sign_in(shared):
    client = TestClient(create_app(shared), base_url="http://atelier.mifi.example", follow_redirects=False)
    assert client.get("/").headers["location"] == "/connexion"
    assert client.get(f"/?jeton={shared.secret}").headers["location"] == "/connexion"   # no secret in this mode
    client, response = _login(shared, "estrie", "mauvais")
    assert response.status_code == 401 and "Identifiant ou mot de passe incorrect." in response.text
    client, response = _login(shared, "estrie")
    assert response.status_code == 303 and client.get("/").status_code == 200


def test_a_user_of_one_region_neither_reads_nor_changes_another(shared, project):
    client, _ = _login(shared, "estrie")
    home = client.get("/").text
    assert "Estrie" in home and "Montérégie" not in home and "Nouvelle région" not in home
    assert client.get("/bilan/monteregie/2020-2021").status_code == 403
    assert "Région non autorisée" in client.get("/bilan/monteregie/2020-2021").text
    csrf = csrf_of(home)
    for path in ("/bilan/monteregie/2020-2021/enregistrer", "/bilan/monteregie/2020-2021/verifier",
                 "/bilan/monteregie/2020-2021/produire"):
        assert client.post(path, data={"csrf": csrf, "periode:chiffres.ententes": "1"}).status_code == 403
    assert client.get("/bilan/monteregie/2020-2021/telecharger/pdf").status_code == 403
    refused = client.post("/nouvelle-periode", data={"csrf": csrf, "region": "monteregie", "periode": "2021-2022"})
    assert refused.status_code == 422 and not (project / "data/monteregie/2021-2022.yaml").exists()
    # a preview of another region, even with its address, is not shown
    other, _ = _login(shared, "coordination")
    pairs, token = page_form(other, "monteregie", "2020-2021")
    key = other.post("/bilan/monteregie/2020-2021/verifier", data=dict(pairs),
                     headers={"x-csrf-token": token}).json()["apercu"]["cle"]
    assert client.get(f"/apercu/{key}/1.jpg").status_code == 404


def test_every_save_is_logged_with_who_what_and_when(shared, project):
    client, _ = _login(shared, "estrie")
    pairs, _ = page_form(client, "estrie", "2020-2021")
    client.post(ESTRIE + "/enregistrer", data=dict(replaced(pairs, "periode:chiffres.ententes", "16")))
    entry = json.loads((project / "journal.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["qui"] == "estrie" and entry["quoi"] == "enregistrement" and entry["bilan"] == "2020-2021/estrie"
    assert entry["fichiers"] == [str(project / "data/estrie/2020-2021.yaml")] and entry["quand"][:2] == "20"


def test_logins_are_throttled(shared):
    client = None
    for _ in range(5):
        client, response = _login(shared, "estrie", "mauvais", client)
        assert response.status_code == 401
    client, response = _login(shared, "estrie", PASSWORD, client)
    assert response.status_code == 429 and "Trop de tentatives : réessayez dans 15 minute(s)." in response.text


def test_throttle_and_sessions_expire_with_time():
    now = [1000.0]
    throttle = Throttle(limit=2, window=60, clock=lambda: now[0])
    throttle.failed("a"), throttle.failed("a")
    assert throttle.wait("a") == 60
    now[0] += 61
    assert throttle.wait("a") == 0
    sessions = Sessions(3600, clock=lambda: now[0])
    token = sessions.open(LOCAL_ACCOUNT)
    assert sessions.get(token) is not None
    now[0] += 3601
    assert sessions.get(token) is None


def test_logout_ends_the_session(shared):
    client, _ = _login(shared, "estrie")
    csrf = csrf_of(client.get("/").text)
    assert client.post("/deconnexion", data={"csrf": csrf}).headers["location"] == "/connexion"
    assert client.get("/").headers["location"] == "/connexion"


def test_shared_mode_refuses_to_start_without_accounts(project, capsys):
    assert main(["atelier", "--data", str(project / "data"), "--hote", "0.0.0.0", "--sans-navigateur"]) == 2
    assert ("un atelier partagé (--hote 0.0.0.0) exige un fichier de comptes : ajoutez --comptes FICHIER"
            in capsys.readouterr().err)
    bad = project / "comptes.yaml"
    bad.write_text("comptes:\n  - identifiant: x\n    mot_de_passe: secret\n    regions: [estrie]\n", encoding="utf-8")
    assert main(["atelier", "--data", str(project / "data"), "--hote", "0.0.0.0", "--comptes", str(bad)]) == 2
    assert "le mot de passe doit être haché" in capsys.readouterr().err


def test_the_atelier_command_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["atelier", "--help"])
    out = capsys.readouterr().out
    assert "Lance l’atelier" in out and "--hote ADRESSE" in out and "--comptes FICHIER" in out


def test_a_port_in_use_is_told_in_french(project, capsys):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["atelier", "--data", str(project / "data"), "--port", str(port), "--sans-navigateur"]) == 2
    assert f"le port {port} est déjà utilisé" in capsys.readouterr().err


def test_a_hand_edit_shows_up_in_the_atelier(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 41"), encoding="utf-8")
    html = client.get(ESTRIE).text
    assert 'name="periode:chiffres.ententes" value="41"' in html and "établir 41 ententes" in html


def test_a_region_value_is_checked_beside_its_field(client):
    pairs, csrf = page_form(client, "estrie", "2020-2021")
    answer = client.post(ESTRIE + "/verifier", data=dict(replaced(pairs, "region:courriel", "accueil-at-mifi")),
                         headers={"x-csrf-token": csrf}).json()
    assert answer["messages"] == {
        "region:courriel": ["« accueil-at-mifi » n’est pas une adresse courriel (exemple : nom@mifi.gouv.qc.ca)"]}


@pytest.mark.parametrize("slug, period_id", [("estrie", "2020-2021"), ("monteregie", "2020-2021"),
                                             ("gaspesie-iles-de-la-madeleine", "2019-2021")])
def test_the_form_round_trip_keeps_every_byte_and_every_type(client, project, slug, period_id):
    """Each bundled report: its form sent back unchanged writes nothing; one figure changed
    rewrites that line only, as a number; comments, folded texts and flow lists stay."""
    region, period = project / f"data/{slug}/region.yaml", project / f"data/{slug}/{period_id}.yaml"
    before = region.read_bytes(), period.read_bytes()
    pairs, _ = page_form(client, slug, period_id)
    assert client.post(f"/bilan/{slug}/{period_id}/enregistrer", data=dict(pairs)).status_code == 303
    assert (region.read_bytes(), period.read_bytes()) == before
    response = client.post(f"/bilan/{slug}/{period_id}/enregistrer",
                           data=dict(replaced(pairs, "periode:chiffres.ententes", "73")))
    assert response.headers["location"].endswith("fait=enregistre")
    old_lines, new_lines = before[1].decode().splitlines(), period.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(old_lines) == len(new_lines) and len(changed) == 1
    assert changed[0][1] == "  ententes: 73" and region.read_bytes() == before[0]
    from ruamel.yaml import YAML
    assert YAML().load(period.read_text(encoding="utf-8"))["chiffres"]["ententes"] == 73


def test_the_browser_is_sent_through_a_private_file_not_a_command_line(config):
    import stat
    from reportgen.atelier import launch_file
    path = launch_file(config.launch_url())
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert f'content="0;url=http://127.0.0.1:8765/?jeton={config.secret}"' in path.read_text(encoding="utf-8")
    finally:
        path.unlink()


def test_a_file_the_form_cannot_open_is_told_with_its_line(client, project):
    path = project / "data/estrie/2020-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  ententes: 14", "\tententes: 14"), encoding="utf-8")
    response = client.get(ESTRIE)
    assert response.status_code == 409 and "Fichier à corriger" in response.text
    assert "ce fichier ne peut pas être modifié tant qu’il contient une erreur de syntaxe" in response.text
    assert "2020-2021.yaml, ligne 6, colonne 1 : tabulation" in response.text   # check's own message


def test_a_layout_s_message_has_its_place_at_the_top_of_the_form(client, project):
    html = client.get(ESTRIE).text
    assert '<div class="message general" data-pour=":"></div>' in html   # where the script writes it
    layout = project / "layouts" / "bilan.md"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n{{ regoin }}\n", encoding="utf-8")
    pairs, csrf = page_form(client, "estrie", "2020-2021")
    answer = client.post(ESTRIE + "/verifier", data=dict(pairs), headers={"x-csrf-token": csrf}).json()
    [message] = answer["messages"][":"]   # no field's: told with the layout's file and line
    assert re.fullmatch(r"layouts/bilan\.md, ligne \d+ : variable « regoin » inconnue( → .*)?", message), message


def test_a_draft_is_previewed_whatever_its_figures_need(client):
    """A new period of Montérégie: every figure to fill, the investment among them (a figure
    with its unit): the preview still shows, marked as a draft."""
    csrf = csrf_of(client.get("/").text)
    client.post("/nouvelle-periode", data={"csrf": csrf, "region": "monteregie", "periode": "2021-2022"})
    page = client.get("/bilan/monteregie/2021-2022").text
    assert "Brouillon : des champs restent à remplir." in page and "(brouillon)" in page
    assert "À REMPLIR" in page.split('id="texte-apercu"')[1]   # the quote still to write, shown as such
