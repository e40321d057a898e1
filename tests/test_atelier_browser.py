"""The atelier in a real browser (Chromium driven by Playwright), as staff use it, with
axe-core checking every page against WCAG 2.1 AA. The screenshots taken on the way are the
README's (docs/captures/)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from reportgen.atelier import AtelierConfig, create_app
from reportgen.atelier.security import load_accounts
from reportgen.config import Paths

from atelier_helpers import PASSWORD, accounts_file, figure_message

ROOT = Path(__file__).resolve().parents[1]
#: The README's screenshots are remade only when asked (REPORTGEN_CAPTURES=1), so a test run
#: leaves the working tree clean; otherwise they go to a scratch folder, taken all the same.
CAPTURES = ROOT / "docs" / "captures" if os.environ.get("REPORTGEN_CAPTURES") else \
    Path(tempfile.gettempdir()) / "reportgen-captures"
CHROMIUM = os.environ.get("REPORTGEN_CHROMIUM", "/usr/bin/chromium")
AXE_FOLDER = ROOT / ".cache" / "axe-core"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not Path(CHROMIUM).is_file() and not os.environ.get("CI"):
    pytest.skip("Chromium absent (apt-get install chromium) : tests du navigateur sautés hors CI",
                allow_module_level=True)


def _axe_source() -> str:
    """axe-core's script, installed from npm into .cache/ the first time."""
    script = Path(os.environ.get("REPORTGEN_AXE", AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"))
    if not script.is_file():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(AXE_FOLDER),
                        "axe-core@4"], check=True)
    return script.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Server:
    def __init__(self, config: AtelierConfig):
        self.config = config
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=config.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "le serveur de l’atelier n’a pas démarré"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.config.port}{path}"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("atelier")
    for name in ("data", "layouts", "assets"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def server(project):
    config = AtelierConfig(Paths(data=project / "data", out=project / "build"), port=_free_port())
    with _Server(config) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def axe() -> str:
    return _axe_source()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fr-CA", accept_downloads=True)
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda message: message.type == "error" and opened.problems.append(message.text))
    opened.on("pageerror", lambda error: opened.problems.append(str(error)))
    opened.goto(server.config.launch_url())
    yield opened
    context.close()


def _check_accessibility(page, axe: str, capture: str | None = None) -> None:
    """No WCAG 2.1 AA violation on the page as it is now; no script or policy error either."""
    page.evaluate(axe + "\n;undefined")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    violations = [f"{v['id']} : {v['help']} ({len(v['nodes'])} élément(s) : "
                  f"{', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]]
    assert violations == [], "\n".join(violations)
    assert page.evaluate("document.documentElement.lang") == "fr-CA"
    assert page.problems == []
    if capture:
        CAPTURES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(CAPTURES / capture))


def _wait_for_preview_change(page, before: str) -> None:
    page.wait_for_function("(key) => document.getElementById('pages').dataset.cle !== key", arg=before,
                           timeout=15000)


def test_change_a_figure_see_the_preview_fix_a_mistake_save_and_download(page, axe, project):
    _check_accessibility(page, axe, "accueil.png")
    page.get_by_role("link", name="Ouvrir Estrie 2020-2021").click()
    page.wait_for_selector("#pages img")
    assert "établir 14 ententes" in page.text_content("#texte-apercu")
    _check_accessibility(page, axe, "bilan.png")

    field = page.get_by_label("Ententes")
    key = page.get_attribute("#pages", "data-cle")
    field.fill("15")
    page.get_by_text("Modifications non enregistrées.").wait_for()
    _wait_for_preview_change(page, key)
    assert "établir 15 ententes" in page.text_content("#texte-apercu")

    field.fill("quinze")
    message = page.locator("#f-periode-chiffres-ententes-msg")
    message.get_by_text(figure_message("quinze")).wait_for()
    assert figure_message("quinze").startswith("« quinze » n’est pas un nombre")
    assert field.get_attribute("aria-invalid") == "true"
    assert "f-periode-chiffres-ententes-msg" in field.get_attribute("aria-describedby")
    assert page.text_content("#etat-apercu") == "1 erreur à corriger ; l’aperçu sera mis à jour ensuite."
    field.focus()
    field.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    _check_accessibility(page, axe, "bilan-erreur.png")

    field.fill("16")
    page.wait_for_function("() => document.getElementById('etat-apercu').textContent === "
                           "'Tout est valide. Aperçu à jour.'")
    assert message.text_content() == "" and field.get_attribute("aria-invalid") is None

    path = project / "data/estrie/2020-2021.yaml"
    before = path.read_text(encoding="utf-8")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Modifications enregistrées.").wait_for()
    assert path.read_text(encoding="utf-8") == before.replace("  ententes: 14\n", "  ententes: 16\n")

    page.get_by_role("button", name="Produire le PDF et le fichier Word").click()
    page.get_by_text("Bilan produit : le PDF et le fichier Word sont prêts à télécharger.").wait_for()
    for name, magic in (("Télécharger le PDF", b"%PDF-"), ("Télécharger le fichier Word", b"PK")):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        assert Path(download.value.path()).read_bytes().startswith(magic)
    _check_accessibility(page, axe)


def test_list_rows_and_rich_text_with_the_keyboard(page, server, axe, project):
    page.goto(server.url("/bilan/gaspesie-iles-de-la-madeleine/2019-2021"))
    page.wait_for_selector("#pages img")
    projects = page.locator('[data-liste="periode:projets"]')
    count = projects.locator(":scope > .lignes > .ligne").count()
    projects.get_by_role("button", name="Ajouter une ligne à « Projets financés »").press("Enter")
    new = page.locator(f"#f-periode-projets-{count + 1}")
    assert new.evaluate("(e) => e === document.activeElement")
    new.type("la fête des récoltes")
    new.evaluate("(e) => e.setSelectionRange(3, 7)")
    projects.locator(f".ligne[data-index='{count + 1}'] .outils-texte").get_by_role("button", name="Gras").click()
    assert new.input_value() == "la **fête** des récoltes"
    projects.get_by_role("button", name=f"Monter la ligne {count + 1}", exact=True).click()
    moved = page.locator(f"#f-periode-projets-{count}")
    assert moved.input_value() == "la **fête** des récoltes"
    assert moved.get_attribute("name") == f"periode:projets[{count}]"
    projects.get_by_role("button", name="Retirer la ligne 1", exact=True).click()
    page.wait_for_function("() => document.getElementById('etat-apercu').textContent.includes('Aperçu à jour')")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Modifications enregistrées.").wait_for()
    text = (project / "data/gaspesie-iles-de-la-madeleine/2019-2021.yaml").read_text(encoding="utf-8")
    assert "des brunchs" not in text
    assert text.index("  - la **fête** des récoltes\n") < text.index("création de guides d'accueil")
    _check_accessibility(page, axe)


def test_create_a_new_period_see_it_as_a_draft(page, server, axe, project):
    form = page.get_by_role("form", name="Nouvelle période")
    form.get_by_label("Région", exact=True).select_option(label="Montérégie")
    form.get_by_label("Période (deux années)").fill("2021-2022")
    page.get_by_role("button", name="Créer la période").click()
    page.get_by_text("Nouvelle période créée : remplissez chaque « À REMPLIR ».").wait_for()
    assert (project / "data/monteregie/2021-2022.yaml").is_file()
    assert page.get_attribute("#pages img", "alt").endswith("(brouillon)")
    assert page.text_content("#etat-apercu") == "Brouillon : des champs restent à remplir."
    assert "valeur à remplir (« À REMPLIR »)" in page.text_content("#f-periode-chiffres-ententes-msg")
    page.locator("#f-periode-chiffres").evaluate("(e) => e.scrollIntoView({block: 'start'})")
    _check_accessibility(page, axe, "brouillon.png")
    page.goto(server.url("/"))
    assert page.get_by_role("row", name="Montérégie 2021-2022").get_by_text("brouillon (").is_visible()


def test_a_conflict_with_an_edit_made_on_disk(page, server, axe, project):
    page.goto(server.url("/bilan/monteregie/2020-2021"))
    page.wait_for_selector("#pages img")
    path = project / "data/monteregie/2020-2021.yaml"
    edited = path.read_text(encoding="utf-8").replace("partenaires: 23", "partenaires: 24")
    path.write_text(edited, encoding="utf-8")
    page.get_by_label("Ententes").fill("35")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Le fichier a changé depuis son ouverture").wait_for()
    assert "+  partenaires: 24" in page.text_content("body") and "+  ententes: 35" in page.text_content("body")
    assert path.read_text(encoding="utf-8") == edited
    assert page.problems == ["Failed to load resource: the server responded with a status of 409 (Conflict)"]
    page.problems.clear()
    _check_accessibility(page, axe, "conflit.png")


def test_history_page(page, server, axe):
    page.goto(server.url("/bilan/estrie/2020-2021/historique"))
    page.get_by_role("link", name="Voir ce qui a changé depuis").first.click()
    page.locator("pre.difference").wait_for()
    _check_accessibility(page, axe, "historique.png")


def test_a_refusal_page(page, server, axe):
    page.goto(server.url("/bilan/inconnue/2020-2021"))
    page.get_by_role("heading", name="Bilan introuvable").wait_for()
    assert page.problems == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    page.problems.clear()
    _check_accessibility(page, axe)


def test_shared_mode_sign_in_page(browser, axe, project):
    config = AtelierConfig(Paths(data=project / "data", out=project / "build"), port=_free_port(), host="0.0.0.0",
                           accounts=load_accounts(accounts_file(project)))
    with _Server(config) as running:
        context = browser.new_context(viewport={"width": 1280, "height": 700}, locale="fr-CA")
        page = context.new_page()
        page.problems = []
        page.goto(running.url("/"))
        page.get_by_label("Identifiant").fill("estrie")
        page.get_by_label("Mot de passe").fill("mauvais")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("Identifiant ou mot de passe incorrect.").wait_for()
        page.problems.clear()   # the browser notes the 401 answer in its console
        _check_accessibility(page, axe, "connexion.png")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("heading", name="Les bilans").wait_for()
        assert page.get_by_role("link", name="Ouvrir Estrie 2020-2021").is_visible()
        assert page.get_by_text("Montérégie").count() == 0
        _check_accessibility(page, axe)
        context.close()


def _workbook(path: Path, rows: list[list], title: str) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_a_workbook_see_its_changes_confirm_and_see_the_report_change(page, server, axe, project,
                                                                             tmp_path):
    import re
    path = project / "data/estrie/2020-2021.yaml"
    old = re.search(r"^  ententes: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)
    wrong = _workbook(tmp_path / "chiffres-erreurs.xlsx", [["Région", "Ententes", "Partenaires"],
                                                           ["Estrie", "environ vingt", 12]], "2020-2021")
    form = page.get_by_role("form", name="Importer un tableur")
    form.get_by_label("Tableur (.xlsx ou .csv)").set_input_files(str(wrong))
    form.get_by_label("Période des chiffres").fill("2020-2021")
    form.get_by_role("button", name="Voir les changements").click()
    page.get_by_text("1 erreur dans le tableur : rien ne peut être importé.").wait_for()
    assert page.get_by_role("row", name=re.compile("^B2 Ententes, Estrie « environ vingt » n’est pas un nombre"))\
        .is_visible()
    assert page.get_by_role("button", name="Confirmer l’import").count() == 0
    page.problems.clear()   # the browser notes the 422 answer in its console
    _check_accessibility(page, axe, "import-erreurs.png")

    page.goto(server.url("/"))
    right = _workbook(tmp_path / "chiffres.xlsx", [["Région", "Ententes", "Partenaires"], ["Estrie", 21, None]],
                      "2020-2021")
    form.get_by_label("Tableur (.xlsx ou .csv)").set_input_files(str(right))
    form.get_by_label("Période des chiffres").fill("2020-2021")
    form.get_by_role("button", name="Voir les changements").click()
    page.get_by_text("1 changement à confirmer").wait_for()
    assert page.get_by_role("row", name=f"Estrie Ententes {old} devient 21 B2").is_visible()
    assert "cellule vide, chiffre inchangé : Partenaires (C2, absent)" in page.text_content("main")
    _check_accessibility(page, axe, "import-apercu.png")

    page.get_by_role("button", name="Confirmer l’import").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Import enregistré").wait_for()
    assert page.get_by_role("listitem").filter(has_text="data/estrie/2020-2021.yaml").is_visible()
    assert re.search(r"^  ententes: 21$", path.read_text(encoding="utf-8"), re.M)
    _check_accessibility(page, axe)

    page.goto(server.url("/bilan/estrie/2020-2021"))
    page.wait_for_selector("#pages img")
    assert "établir 21 ententes" in page.text_content("#texte-apercu")


def test_export_the_figures_in_the_browser(page, axe):
    from openpyxl import load_workbook
    form = page.get_by_role("form", name="Exporter les chiffres")
    form.get_by_label("Période").select_option("2019-2021")
    with page.expect_download() as download:
        form.get_by_role("button", name="Télécharger le classeur").click()
    assert download.value.suggested_filename == "chiffres-2019-2021.xlsx"
    import io
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["2019-2021"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Gaspésie–Îles-de-la-Madeleine"][header.index("Ententes")] == 7
    _check_accessibility(page, axe)
