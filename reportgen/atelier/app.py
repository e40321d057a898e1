"""The atelier's routes: home, a report's page, checking and preview, save, history,
production and downloads, new period and new region, the figures imported from a
spreadsheet and exported to one, and signing in (shared mode).

Every page is rendered on the server and every action is a plain form post; the page's
script only checks as one types and refreshes the preview. A region and a period in a URL
are looked up in the data folder's listing before anything is read, and an account only
ever reaches its own regions.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..build import build_reports
from ..config import FORMATS, Paths
from ..data.catalog import PERIOD_NAME, TO_FILL
from ..data.roundtrip import EditConflict, Version, fingerprint, restore, versions
from ..errors import ReportgenError, singles
from ..newperiod import check_period_id, create_period
from ..spreadsheet import ImportPlan, apply_import, export_workbook, plan_import
from . import forms
from .edit import SaveLog, changes, open_candidate, save_candidate
from .imports import Uploads, change_rows, data_relative, error_rows, notice_rows, other_regions, uploaded_name
from .newregion import create_region, regions_to_create
from .preview import Previewer
from .security import (LOCAL_ACCOUNT, MAX_BODY_BYTES, SECURITY_HEADERS, Account, Session, Sessions, Throttle,
                       csrf_token_matches, host_allowed, secret_matches, verify_password)
from .workspace import Check, Workspace, plain_values

__all__ = ["AtelierConfig", "create_app", "COOKIE"]

COOKIE = "atelier_session"
_LOGIN_COOKIE = "atelier_connexion"
_DONE = {
    "enregistre": "Modifications enregistrées.",
    "inchange": "Rien à enregistrer : aucune valeur n’a changé.",
    "produit": "Bilan produit : le PDF et le fichier Word sont prêts à télécharger.",
    "restaure": "Version restaurée ; celle qu’elle remplace est gardée dans l’historique.",
    "periode": "Nouvelle période créée : remplissez chaque « À REMPLIR ».",
    "region": "Nouvelle région créée : remplissez chaque « À REMPLIR ».",
}
_TYPES = {"pdf": ("application/pdf", "PDF"),
          "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The one route whose form carries a file: the spreadsheet to import.
_IMPORT_PATH = "/importer"


@dataclass
class AtelierConfig:
    """How an atelier runs. ``accounts`` None is the local mode (one person, the launch secret)."""
    paths: Paths
    port: int = 8000
    host: str = "127.0.0.1"
    server_names: tuple[str, ...] = ()
    accounts: dict[str, Account] | None = None
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    history: Path | None = None
    journal: Path | None = None
    session_hours: float = 8

    @property
    def shared(self) -> bool:
        return self.accounts is not None

    @property
    def allowed_hosts(self) -> frozenset[str]:
        names = {"127.0.0.1", "localhost", *self.server_names}
        if self.host not in ("0.0.0.0", "::"):
            names.add(self.host)
        return frozenset(n for name in names for n in (name.lower(), f"{name.lower()}:{self.port}"))

    @property
    def history_dir(self) -> Path:
        return self.history or self.paths.data.resolve().parent / ".atelier" / "historique"

    def launch_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?{urlencode({'jeton': self.secret})}"


class Atelier:
    """What the routes share: the workspace, the previewer, sessions and templates."""

    def __init__(self, config: AtelierConfig):
        self.config = config
        self.workspace = Workspace(config.paths)
        self.previewer = Previewer(self.workspace)
        self.sessions = Sessions(config.session_hours * 3600 if config.shared else None)
        self.throttle = Throttle()
        self.log = SaveLog(config.journal)
        self.opened: dict[str, str] = {}   # file texts by fingerprint, to show what changed since
        self.uploads = Uploads()           # spreadsheets between their preview and their confirmation
        self.templates = jinja2.Environment(loader=jinja2.PackageLoader("reportgen.atelier", "templates"),
                                            autoescape=True, undefined=jinja2.StrictUndefined,
                                            trim_blocks=True, lstrip_blocks=True)
        self.templates.filters["quand"] = _when
        self.templates.globals["field_id"] = forms.field_id
        self.templates.globals["modele"] = forms.model_row

    def page(self, request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
        session = request.state.session if hasattr(request.state, "session") else None
        html = self.templates.get_template(template).render(
            session=session, shared=self.config.shared, csrf=session.csrf if session else "", **values)
        return HTMLResponse(html, status)


# ---------------------------------------------------------------- the guard (every request)

class Guard:
    """Before any route: the Host header, the body size; after: the security headers."""

    def __init__(self, app, atelier: Atelier):
        self.app, self.atelier = app, atelier

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        async def send_secured(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      *[(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]]
            await send(message)

        if not host_allowed(headers.get("host"), self.atelier.config.allowed_hosts):
            return await _refusal(400, "Adresse non reconnue", "Cette adresse ne mène pas à l’atelier. Ouvrez "
                                  "l’adresse donnée au lancement (ou celle de votre service informatique).")(
                scope, receive, send_secured)
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return await _too_large(scope["path"])(scope, receive, send_secured)
        await self.app(scope, _capped(receive), send_secured)


def _capped(receive):
    """``receive`` that stops a body longer than allowed, whatever Content-Length said."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY_BYTES:
            raise HTTPException(413)
        return message
    return wrapped


def _too_large(path: str = "") -> Response:
    if path == _IMPORT_PATH:
        return _refusal(413, "Tableur trop volumineux", f"Le tableur des chiffres des 17 régions fait une "
                        f"dizaine de Kio ; au plus {MAX_BODY_BYTES // 1024} Kio sont acceptés. Gardez dans le "
                        "classeur la seule feuille des chiffres de la période, sans images, puis importez-le de "
                        "nouveau.")
    return _refusal(413, "Envoi trop volumineux", f"Un formulaire de l’atelier fait quelques kilo-octets ; "
                    f"au plus {MAX_BODY_BYTES // 1024} Kio sont acceptés.")


def _refusal(status: int, title: str, text: str) -> HTMLResponse:
    """A refusal before any page can be rendered: short, French, with the page's language."""
    return HTMLResponse(f"<!DOCTYPE html><html lang=\"fr-CA\"><head><meta charset=\"utf-8\"><title>{title} — "
                        f"Atelier des bilans</title></head><body><main><h1>{title}</h1><p>{text}</p></main>"
                        f"</body></html>", status)


# ---------------------------------------------------------------- sessions and rights

def _session(request: Request) -> Session | None:
    return request.app.state.atelier.sessions.get(request.cookies.get(COOKIE))


def _signed_in(handler):
    """A route for a signed-in person: in local mode the launch secret opens the session."""
    async def route(request: Request):
        atelier: Atelier = request.app.state.atelier
        if not atelier.config.shared and "jeton" in request.query_params:
            return _open_with_secret(request, atelier)
        session = _session(request)
        if session is None:
            if atelier.config.shared:
                if request.method == "GET":
                    return RedirectResponse("/connexion", 303)
                return atelier.page(request, "message.html", 401, titre="Session expirée",
                                    texte="Votre session a expiré : reconnectez-vous, puis refaites ce changement.")
            return atelier.page(request, "message.html", 403, titre="Accès refusé",
                                texte="Ouvrez l’atelier par l’adresse affichée au lancement de "
                                "« reportgen atelier » : elle contient une clé propre à ce lancement.")
        request.state.session = session
        if request.method == "POST":
            form = await _form(request)
            given = form.get("csrf") or request.headers.get("x-csrf-token")
            if not csrf_token_matches(session, given):
                return atelier.page(request, "message.html", 403, titre="Envoi refusé",
                                    texte="Ce formulaire n’est plus valide (jeton de sécurité absent ou périmé). "
                                    "Rechargez la page, puis refaites votre changement.")
        return await handler(request)
    return route


async def _form(request: Request):
    if not hasattr(request.state, "form"):
        files = 1 if request.url.path == _IMPORT_PATH else 0
        request.state.form = await request.form(max_files=files, max_fields=2000, max_part_size=MAX_BODY_BYTES)
    return request.state.form


def _open_with_secret(request: Request, atelier: Atelier) -> Response:
    if not secret_matches(atelier.config.secret, request.query_params.get("jeton")):
        return atelier.page(request, "message.html", 403, titre="Clé refusée",
                            texte="Cette clé n’est pas celle de ce lancement. Ouvrez l’adresse affichée par "
                            "« reportgen atelier » dans le terminal.")
    response = RedirectResponse(request.url.path, 303)
    _set_cookie(response, request, COOKIE, atelier.sessions.open(LOCAL_ACCOUNT))
    return response


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")


def _account(request: Request) -> Account:
    return request.state.session.account


def _for_report(handler):
    """A signed-in route about the report of its URL: ``handler`` gets its region and
    period once the listing has them and the account may edit the region."""
    @_signed_in
    async def route(request: Request) -> Response:
        found = _report_or_refusal(request)
        if isinstance(found, Response):
            return found
        return await handler(request, *found)
    return route


def _report_or_refusal(request: Request) -> tuple[str, str] | Response:
    """The (slug, period) of the URL when the listing has it and the account may edit it."""
    atelier: Atelier = request.app.state.atelier
    slug, period_id = request.path_params["slug"], request.path_params["periode"]
    if not atelier.workspace.has_report(slug, period_id):
        return atelier.page(request, "message.html", 404, titre="Bilan introuvable",
                            texte="Aucun bilan ne correspond à cette adresse. Choisissez-en un sur la page d’accueil.")
    if not _account(request).may_edit(slug):
        return atelier.page(request, "message.html", 403, titre="Région non autorisée",
                            texte="Votre compte ne donne pas accès à cette région. Demandez l’accès à la "
                            "personne qui gère les comptes de l’atelier.")
    return slug, period_id


# ---------------------------------------------------------------- home

@_signed_in
async def home(request: Request) -> Response:
    return await _home(request)


async def _home(request: Request, status: int = 200, **form_state) -> Response:
    atelier: Atelier = request.app.state.atelier
    account = _account(request)
    listing = {slug: periods for slug, periods in atelier.workspace.listing().items() if account.may_edit(slug)}
    names = {slug: _region_name(atelier.workspace, slug) for slug in listing}
    rows = await run_in_threadpool(_home_rows, atelier.workspace, listing, names)
    periods = _periods(listing)
    return atelier.page(request, "accueil.html", status, bilans=rows, regions=sorted(listing, key=names.get),
                        noms_regions=names, a_creer={r.slug: r.name for r in regions_to_create(set(listing))},
                        fait=_DONE.get(request.query_params.get("fait", "")), periodes=periods,
                        peut_creer_region=account.regions is None,
                        **{"nouvelle": {}, "erreurs": {}, "tableur": {"periode": periods[0] if periods else ""},
                           **form_state})


def _periods(listing: dict[str, list[str]]) -> list[str]:
    """The periods of the listed reports, the latest first."""
    return sorted({period_id for periods in listing.values() for period_id in periods}, reverse=True)


def _home_rows(workspace: Workspace, listing: dict[str, list[str]], names: dict[str, str]) -> list[dict]:
    rows = []
    for slug, periods in sorted(listing.items()):
        for period_id in sorted(periods, reverse=True):
            rows.append({"slug": slug, "periode": period_id, "nom": names[slug],
                         "etat": workspace.state(slug, period_id),
                         "fichiers": [fmt for fmt in FORMATS if workspace.output(slug, period_id, fmt).is_file()]})
    return rows


def _region_name(workspace: Workspace, slug: str) -> str:
    try:
        name = plain_values(workspace.region_file(slug).read_text(encoding="utf-8")).get("nom")
    except (OSError, ReportgenError):
        name = None
    return name if isinstance(name, str) and name.strip() else slug


# ---------------------------------------------------------------- a report's page

@_for_report
async def report_page(request: Request, slug: str, period_id: str) -> Response:
    return await _report_view(request, slug, period_id, values=None)


async def _report_view(request: Request, slug: str, period_id: str, values: dict | None, status: int = 200,
                       **extra) -> Response:
    """The page of a report: its form (from disk, or ``values`` when a post comes back), the
    messages of ``check`` beside the fields, and the preview."""
    atelier: Atelier = request.app.state.atelier
    workspace = atelier.workspace
    paths = (workspace.region_file(slug), workspace.period_file(slug, period_id))
    try:
        view = await run_in_threadpool(_report_state, atelier, slug, period_id, values)
    except ReportgenError as error:
        return atelier.page(request, "message.html", 409, titre="Fichier à corriger",
                            texte=f"{_short_message(error)}. Voici ce que « reportgen check » en dit :",
                            details=workspace.file_errors(slug, period_id) or [str(error)])
    published = workspace.is_published(slug, period_id)
    return atelier.page(request, "bilan.html", status, slug=slug, periode=period_id, publie=published,
                        nom=_region_name(workspace, slug), fait=_DONE.get(request.query_params.get("fait", "")),
                        empreintes=extra.pop("empreintes", None) or [fingerprint(p) or "" for p in paths],
                        fichiers=[f for f in FORMATS if workspace.output(slug, period_id, f).is_file()],
                        a_remplir=TO_FILL, **view, **extra)


def _report_state(atelier: Atelier, slug: str, period_id: str, values: dict | None) -> dict:
    # One piece of work at a time: ruamel's dumper and ReportLab's fonts are shared state.
    with atelier.workspace.build_lock:
        return _report_state_now(atelier, slug, period_id, values)


def _report_state_now(atelier: Atelier, slug: str, period_id: str, values: dict | None) -> dict:
    workspace = atelier.workspace
    region_path, period_path = workspace.region_file(slug), workspace.period_file(slug, period_id)
    candidate = open_candidate(region_path, period_path, values)
    for edit in (candidate.region, candidate.period):
        if edit.fingerprint:
            atelier.opened[edit.fingerprint] = edit.original
    region_text, period_text = candidate.region.text(), candidate.period.text()
    check = workspace.check_texts(slug, period_id, region_text, period_text)
    preview = atelier.previewer.preview(slug, period_id, region_text, period_text, check)
    region_values = values["region"] if values else plain_values(region_text)
    period_values = values["periode"] if values else plain_values(period_text)
    widgets = {"region": forms.build_widgets("region", region_values),
               "periode": forms.build_widgets("periode", period_values)}
    return {"formulaire": widgets, "messages": _messages(check, widgets), "apercu": preview,
            "gabarits": workspace.layouts(), "bilan_check": check}


def _messages(check: Check, widgets: dict[str, list[forms.Widget]]) -> dict[str, list[str]]:
    """``check``'s messages by the name of the field (or section, or part) they concern."""
    names = {name for part in widgets.values() for name in _names(part)}
    messages: dict[str, list[str]] = {}
    for problem in check.problems:
        slot = forms.slot_for(problem.part, problem.key, names) if problem.part else ":"
        messages.setdefault(slot, []).append(problem.text)
    return messages


def _names(widgets: list[forms.Widget]) -> list[str]:
    found = []
    for widget in widgets:
        found.append(widget.name)
        found += _names(widget.children) + _names(widget.rows)
    return found


def _submitted(form) -> dict[str, dict]:
    return forms.form_values([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


@_for_report
async def verify(request: Request, slug: str, period_id: str) -> Response:
    """What the page's script asks after each change: the messages by field, and the preview."""
    atelier: Atelier = request.app.state.atelier
    values = _submitted(await _form(request))
    try:
        view = await run_in_threadpool(_report_state, atelier, slug, period_id, values)
    except ReportgenError as error:
        return JSONResponse({"messages": {":": [str(error)]}, "apercu": None, "resume": str(error)})
    preview, check = view["apercu"], view["bilan_check"]
    return JSONResponse({
        "messages": view["messages"],
        "apercu": {"cle": preview.key, "pages": preview.pages, "brouillon": preview.draft,
                   "texte": list(preview.texts)} if preview else None,
        "resume": _summary(check),
    })


def _summary(check: Check) -> str:
    if check.errors:
        return (f"{check.errors} erreur{'s' if check.errors > 1 else ''} à corriger ; "
                "l’aperçu sera mis à jour ensuite.")
    if check.to_fill:
        return f"Brouillon : {check.to_fill} champ{'s' if check.to_fill > 1 else ''} à remplir. Aperçu à jour."
    return "Tout est valide. Aperçu à jour."


@_for_report
async def save_report(request: Request, slug: str, period_id: str) -> Response:
    """Save (or, with a row action, redisplay the form with a row added, removed or moved)."""
    atelier: Atelier = request.app.state.atelier
    form = await _form(request)
    values = _submitted(form)
    action = form.get("action", "")
    if action:
        forms.apply_action(values, action)
        return await _report_view(request, slug, period_id, values,
                                  empreintes=[form.get("empreinte_region", ""), form.get("empreinte_periode", "")])
    if atelier.workspace.is_published(slug, period_id):
        return _published(request)
    expected = [form.get("empreinte_region", ""), form.get("empreinte_periode", "")]
    try:
        outcome = await run_in_threadpool(_save, atelier, slug, period_id, values, expected,
                                          _account(request).login)
    except EditConflict as conflict:
        return _conflict_page(request, slug, period_id, conflict, values)
    except ReportgenError as error:
        return atelier.page(request, "message.html", 409, titre="Enregistrement impossible", texte=str(error))
    if isinstance(outcome, Check):
        return await _report_view(request, slug, period_id, values, 422, empreintes=expected,
                                  refus="Rien n’a été enregistré : corrigez les erreurs signalées à côté des champs.")
    return RedirectResponse(f"/bilan/{slug}/{period_id}?fait={'enregistre' if outcome else 'inchange'}", 303)


def _save(atelier: Atelier, slug: str, period_id: str, values: dict, expected: list[str], who: str):
    """Saved files, or the Check that refused them (errors other than values to fill)."""
    with atelier.workspace.build_lock:
        return _save_now(atelier, slug, period_id, values, expected, who)


def _save_now(atelier: Atelier, slug: str, period_id: str, values: dict, expected: list[str], who: str):
    workspace = atelier.workspace
    candidate = open_candidate(workspace.region_file(slug), workspace.period_file(slug, period_id), values)
    for edit, opened in zip((candidate.region, candidate.period), expected):
        if (edit.fingerprint or "") != opened:
            raise EditConflict(edit.path, edit.original)
    check = workspace.check_texts(slug, period_id, candidate.region.text(), candidate.period.text())
    if check.errors:
        return check
    saved = save_candidate(candidate, atelier.config.history_dir)
    if saved:
        atelier.log.record(who, "enregistrement", saved, bilan=f"{period_id}/{slug}")
    return saved


def _conflict_page(request: Request, slug: str, period_id: str, conflict: EditConflict, values: dict) -> Response:
    atelier: Atelier = request.app.state.atelier
    form = request.state.form
    part = "region" if conflict.location.path.name == "region.yaml" else "periode"
    opened = atelier.opened.get(form.get(f"empreinte_{part}", ""), "")
    now = conflict.current or ""
    with atelier.workspace.build_lock:
        mine = open_candidate(atelier.workspace.region_file(slug), atelier.workspace.period_file(slug, period_id),
                              values).file(part).text()
    return atelier.page(request, "conflit.html", 409, slug=slug, periode=period_id,
                        fichier=conflict.location.path.name,
                        sur_disque=changes(opened, now, conflict.location.path.name, "à l’ouverture",
                                           "sur le disque"),
                        les_votres=changes(now, mine, conflict.location.path.name,
                                           "sur le disque", "avec vos changements"))


def _published(request: Request) -> Response:
    return request.app.state.atelier.page(
        request, "message.html", 403, titre="Bilan publié",
        texte="Ce bilan est publié : il ne peut plus être modifié dans l’atelier.")


# ---------------------------------------------------------------- preview images

@_signed_in
async def preview_image(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    key, number = request.path_params["cle"], request.path_params["page"]
    found = atelier.previewer.page(key, number) if re.fullmatch(r"[0-9a-f]{64}", key) else None
    if found is None or not _account(request).may_edit(found[0]):
        return atelier.page(request, "message.html", 404, titre="Aperçu introuvable",
                            texte="Cet aperçu n’existe plus ; rechargez la page du bilan.")
    return Response(found[1], media_type="image/jpeg", headers={"cache-control": "private, max-age=3600"})


# ---------------------------------------------------------------- produce and download

@_for_report
async def produce(request: Request, slug: str, period_id: str) -> Response:
    atelier: Atelier = request.app.state.atelier
    outcome = await run_in_threadpool(_produce, atelier, slug, period_id)
    if outcome.errors:
        return atelier.page(request, "message.html", 422, titre="Bilan non produit",
                            texte="Le bilan n’a pas pu être produit ; les fichiers précédents sont gardés.",
                            details=[str(e) for e in outcome.errors], retour=f"/bilan/{slug}/{period_id}")
    atelier.log.record(_account(request).login, "production", outcome.written, bilan=f"{period_id}/{slug}")
    back = request.query_params.get("retour") == "accueil"
    return RedirectResponse("/?fait=produit" if back else f"/bilan/{slug}/{period_id}?fait=produit", 303)


def _produce(atelier: Atelier, slug: str, period_id: str):
    outcomes = []
    with atelier.workspace.build_lock:
        build_reports(atelier.workspace.paths, [(slug, period_id)], FORMATS, 1, True, outcomes.append)
    outcome = outcomes[0]
    if outcome.state == "brouillon":  # the build skips a draft: here, its places to fill are told
        outcome.errors = [ReportgenError(text) for text in atelier.workspace.file_errors(slug, period_id)]
    return outcome


@_for_report
async def download(request: Request, slug: str, period_id: str) -> Response:
    atelier: Atelier = request.app.state.atelier
    fmt = request.path_params["format"]
    if fmt not in _TYPES:
        return atelier.page(request, "message.html", 404, titre="Format inconnu",
                            texte="Les bilans se téléchargent en PDF ou en Word.")
    path = atelier.workspace.output(slug, period_id, fmt)
    if not path.is_file():
        return atelier.page(request, "message.html", 404, titre="Pas encore produit",
                            texte=f"Ce bilan n’a pas encore de fichier {_TYPES[fmt][1]} : produisez-le d’abord.",
                            retour=f"/bilan/{slug}/{period_id}")
    return Response(path.read_bytes(), media_type=_TYPES[fmt][0], headers={
        "content-disposition": f'attachment; filename="{slug}-{period_id}.{fmt}"'})


# ---------------------------------------------------------------- history

def _history(atelier: Atelier, slug: str, period_id: str) -> list[tuple[str, Path, list[Version]]]:
    workspace = atelier.workspace
    files = [("region", workspace.region_file(slug)), ("periode", workspace.period_file(slug, period_id))]
    return [(part, path, versions(path, atelier.config.history_dir)) for part, path in files]


@_for_report
async def history_page(request: Request, slug: str, period_id: str) -> Response:
    atelier: Atelier = request.app.state.atelier
    shown = request.query_params.get("version", "")
    files = []
    for part, path, kept in _history(atelier, slug, period_id):
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        entries = [{"id": f"{part}:{v.path.stem}", "quand": _when(v.saved_at),
                    "difference": changes(v.path.read_text(encoding="utf-8"), current, path.name,
                                          "cette version", "actuel")
                    if shown == f"{part}:{v.path.stem}" else None} for v in kept]
        files.append({"partie": part, "nom": path.name, "versions": entries, "empreinte": fingerprint(path) or ""})
    return atelier.page(request, "historique.html", slug=slug, periode=period_id, fichiers=files,
                        nom=_region_name(atelier.workspace, slug),
                        publie=atelier.workspace.is_published(slug, period_id))


@_for_report
async def restore_version(request: Request, slug: str, period_id: str) -> Response:
    atelier: Atelier = request.app.state.atelier
    if atelier.workspace.is_published(slug, period_id):
        return _published(request)
    form = await _form(request)
    part, _, stem = str(form.get("version", "")).partition(":")
    match = next(((path, v) for p, path, kept in _history(atelier, slug, period_id) if p == part
                  for v in kept if v.path.stem == stem), None)
    if match is None:
        return atelier.page(request, "message.html", 404, titre="Version introuvable",
                            texte="Cette version n’est pas dans l’historique de ce bilan.")
    path, version = match
    try:
        restore(path, version, form.get("empreinte") or None, atelier.config.history_dir)
    except EditConflict:
        return atelier.page(request, "message.html", 409, titre="Fichier modifié entre-temps",
                            texte=f"{path.name} a changé depuis l’affichage de l’historique ; rien n’a été "
                            "restauré. Rechargez l’historique, puis recommencez.",
                            retour=f"/bilan/{slug}/{period_id}/historique")
    atelier.log.record(_account(request).login, "restauration", [path], version=version.label)
    return RedirectResponse(f"/bilan/{slug}/{period_id}?fait=restaure", 303)


# ---------------------------------------------------------------- new period, new region

@_signed_in
async def new_period(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    form = await _form(request)
    slug, period_id = str(form.get("region", "")), str(form.get("periode", "")).strip()
    entered = {"region": slug, "periode": period_id}
    if not atelier.workspace.has_region(slug) or not _account(request).may_edit(slug):
        return await _home(request, 422, nouvelle=entered, erreurs={"np-region": "choisissez une région de la liste"})
    if not PERIOD_NAME.fullmatch(period_id):
        return await _home(request, 422, nouvelle=entered,
                           erreurs={"np-periode": "écrivez deux années séparées d’un trait d’union : 2021-2022"})
    try:
        written = await run_in_threadpool(create_period, atelier.workspace.paths.data, period_id, [slug])
    except ReportgenError as error:
        return await _home(request, 422, nouvelle=entered, erreurs={"np-periode": _short_message(error)})
    if not written:
        return await _home(request, 422, nouvelle=entered,
                           erreurs={"np-region": "cette région n’a aucune période à reprendre"})
    atelier.log.record(_account(request).login, "nouvelle période", written)
    return RedirectResponse(f"/bilan/{slug}/{period_id}?fait=periode", 303)


@_signed_in
async def new_region(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    if _account(request).regions is not None:
        return atelier.page(request, "message.html", 403, titre="Création refusée",
                            texte="Seul un compte qui a accès à toutes les régions peut en créer une.")
    form = await _form(request)
    entered = {key: str(form.get(key, "")).strip() for key in ("region", "premiere")}
    errors = _region_form_errors(atelier, entered)
    if errors:
        return await _home(request, 422, nouvelle=entered, erreurs=errors)
    slug = entered["region"]
    try:
        await run_in_threadpool(create_region, atelier.workspace.paths.data, slug, entered["premiere"])
    except ReportgenError as error:
        return await _home(request, 422, nouvelle=entered, erreurs={"nr-region": _short_message(error)})
    atelier.log.record(_account(request).login, "nouvelle région", [atelier.workspace.region_file(slug)])
    return RedirectResponse(f"/bilan/{slug}/{entered['premiere']}?fait=region", 303)


def _region_form_errors(atelier: Atelier, entered: dict[str, str]) -> dict[str, str]:
    errors = {}
    choices = {region.slug for region in regions_to_create(set(atelier.workspace.listing()))}
    if entered["region"] not in choices:
        errors["nr-region"] = "choisissez une région de la liste"
    if not PERIOD_NAME.fullmatch(entered["premiere"]) or entered["premiere"][:4] >= entered["premiere"][5:]:
        errors["nr-premiere"] = "écrivez deux années croissantes séparées d’un trait d’union : 2021-2022"
    return errors


def _short_message(error: ReportgenError) -> str:
    return f"{error.message} ; {error.hint}" if error.hint else error.message


# ---------------------------------------------------------------- the figures from a spreadsheet, and back

@_signed_in
async def import_preview(request: Request) -> Response:
    """The spreadsheet sent from the home page: kept on the server, planned, its changes shown."""
    atelier: Atelier = request.app.state.atelier
    form = await _form(request)
    sent = form.get("fichier")
    name = uploaded_name(getattr(sent, "filename", None))
    period_id = str(form.get("periode", "")).strip()
    errors = {}
    if not name:
        errors["im-fichier"] = "choisissez un tableur (.xlsx ou .csv)"
    if not PERIOD_NAME.fullmatch(period_id):
        errors["im-periode"] = "écrivez deux années séparées d’un trait d’union : 2021-2022"
    else:
        try:
            check_period_id(period_id)
        except ReportgenError as error:
            errors["im-periode"] = _short_message(error)
    if errors:
        return await _home(request, 422, tableur={"periode": period_id}, erreurs=errors)
    content = await sent.read()
    try:
        plan = await run_in_threadpool(_plan_import, atelier, content, name, period_id)
    except ReportgenError as error:
        return await _home(request, 422, tableur={"periode": period_id}, erreurs={"im-fichier": _short_message(error)})
    key = atelier.uploads.keep(request.state.session, name, content, period_id)
    return await _import_view(request, plan, key)


@_signed_in
async def import_confirm(request: Request) -> Response:
    """The confirmation: the same bytes planned again, written only if nothing changed since."""
    atelier: Atelier = request.app.state.atelier
    form = await _form(request)
    key = str(form.get("envoi", ""))
    upload = atelier.uploads.get(request.state.session, key)
    if upload is None:
        return atelier.page(request, "message.html", 409, titre="Import expiré",
                            texte="Ce tableur n’est plus gardé par l’atelier (son aperçu date de plus d’une heure, "
                            "ou l’atelier a été relancé) : rien n’a été importé. Importez-le de nouveau depuis "
                            "l’accueil.")
    stale = ("Les fichiers ont changé depuis l’aperçu : rien n’a été importé. Voici les changements d’après les "
             "fichiers actuels ; vérifiez-les, puis confirmez de nouveau.")
    try:
        plan = await run_in_threadpool(_plan_import, atelier, upload.content, upload.file_name, upload.period)
        if not plan.ok or plan.token != form.get("jeton") or _refused_regions(request, plan):
            return await _import_view(request, plan, key, 409, avertissement=stale)
        written = await run_in_threadpool(_apply_import, atelier, plan)
    except EditConflict:
        plan = await run_in_threadpool(_plan_import, atelier, upload.content, upload.file_name, upload.period)
        return await _import_view(request, plan, key, 409, avertissement=stale)
    except ReportgenError as error:
        return atelier.page(request, "message.html", 422, titre="Import impossible",
                            texte="Rien n’a été importé :", details=[str(error)])
    atelier.uploads.forget(key)
    atelier.log.record(_account(request).login, "import", written, periode=plan.period, tableur=upload.file_name)
    count, files = len(plan.changes), len(written)
    return atelier.page(request, "message.html", titre="Import enregistré",
                        texte=f"{_plural(count, 'changement enregistré', 'changements enregistrés')} dans "
                        f"{_plural(files, 'fichier', 'fichiers')} ; la version que chacun remplace est gardée "
                        "dans l’historique. Fichiers écrits :",
                        details=[data_relative(path, atelier.workspace.paths.data) for path in written])


def _plan_import(atelier: Atelier, content: bytes, name: str, period_id: str) -> ImportPlan:
    with atelier.workspace.build_lock:   # ruamel's dumper is shared state
        return plan_import(content, name, atelier.workspace.paths.data, period_id)


def _apply_import(atelier: Atelier, plan: ImportPlan) -> list[Path]:
    with atelier.workspace.build_lock:
        return apply_import(plan, history=atelier.config.history_dir)


def _refused_regions(request: Request, plan: ImportPlan) -> list[str]:
    """The other regions a limited account's sheet has rows for, with their rows."""
    found = other_regions(plan, _account(request), request.app.state.atelier.workspace.paths.data)
    return [f"{name} ({_plural(len(rows), 'ligne', 'lignes', number=False)} {_joined([str(r) for r in rows])})"
            if rows else name for name, rows in found.items()]


async def _import_view(request: Request, plan: ImportPlan, key: str, status: int | None = None,
                       **extra) -> Response:
    """The preview of an import: its changes, notices and errors, and the confirmation when
    there is something to write and nothing wrong. Another region's rows show nothing of it."""
    atelier: Atelier = request.app.state.atelier
    data_dir = atelier.workspace.paths.data
    refused = await run_in_threadpool(_refused_regions, request, plan)
    if refused:
        atelier.uploads.forget(key)
        return atelier.page(request, "import.html", 403, source=plan.source, periode=plan.period, refus=refused,
                            changements=[], erreurs=[], avis=[], cle="", jeton="", **extra)
    shown = {"changements": change_rows(plan, data_dir), "erreurs": error_rows(plan), "avis": notice_rows(plan)}
    return atelier.page(request, "import.html", status or (200 if plan.ok else 422), source=plan.source,
                        periode=plan.period, refus=[], cle=key if plan.ok else "", jeton=plan.token,
                        **shown, **extra)


@_signed_in
async def export_figures(request: Request) -> Response:
    """The chosen period's figures of the account's regions, as an Excel workbook to download."""
    atelier: Atelier = request.app.state.atelier
    account = _account(request)
    period_id = request.query_params.get("periode", "")
    listing = {slug: periods for slug, periods in atelier.workspace.listing().items() if account.may_edit(slug)}
    if period_id not in _periods(listing):
        return await _home(request, 422, tableur={"periode": period_id},
                           erreurs={"ex-periode": "choisissez une période de la liste"})
    try:
        export = await run_in_threadpool(export_workbook, atelier.workspace.paths.data, [period_id], account.regions)
    except ReportgenError as error:
        return atelier.page(request, "message.html", 422, titre="Export impossible",
                            texte="Des fichiers de données ne se lisent pas ; corrigez-les, puis exportez de nouveau :",
                            details=[str(e) for e in singles([error])])
    return Response(export.content, media_type=_XLSX, headers={
        "content-disposition": f'attachment; filename="chiffres-{period_id}.xlsx"'})


def _plural(count: int, one: str, many: str, number: bool = True) -> str:
    word = one if count < 2 else many
    return f"{count} {word}" if number else word


def _joined(items: list[str]) -> str:
    """« 3 », « 3 et 5 », « 3, 5 et 7 »."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


# ---------------------------------------------------------------- signing in (shared mode)

async def login_page(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    if not atelier.config.shared:
        return RedirectResponse("/", 303)
    token = secrets.token_urlsafe(24)
    response = atelier.page(request, "connexion.html", jeton_connexion=token, erreur="", identifiant="")
    _set_cookie(response, request, _LOGIN_COOKIE, token, max_age=3600)
    return response


async def login(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    if not atelier.config.shared:
        return RedirectResponse("/", 303)
    form = await _form(request)
    login_name, password = str(form.get("identifiant", "")), str(form.get("mot_de_passe", ""))
    if not secret_matches(request.cookies.get(_LOGIN_COOKIE, ""), form.get("csrf")):
        return atelier.page(request, "message.html", 403, titre="Envoi refusé",
                            texte="Ce formulaire n’est plus valide. Rechargez la page de connexion.")
    address = request.client.host if request.client else "?"
    keys = (f"compte:{login_name}", f"adresse:{address}")
    wait = atelier.throttle.wait(*keys)
    if wait > 0:
        return _login_again(request, 429, login_name, f"Trop de tentatives : réessayez dans {int(wait // 60) + 1} "
                            "minute(s).")
    account = atelier.config.accounts.get(login_name)
    if account is None or not await run_in_threadpool(verify_password, account, password):
        atelier.throttle.failed(*keys)
        return _login_again(request, 401, login_name, "Identifiant ou mot de passe incorrect.")
    atelier.throttle.succeeded(*keys)
    response = RedirectResponse("/", 303)
    _set_cookie(response, request, COOKIE, atelier.sessions.open(account),
                max_age=int(atelier.config.session_hours * 3600))
    response.delete_cookie(_LOGIN_COOKIE, path="/")
    return response


def _login_again(request: Request, status: int, login_name: str, message: str) -> Response:
    atelier: Atelier = request.app.state.atelier
    token = secrets.token_urlsafe(24)
    response = atelier.page(request, "connexion.html", status, jeton_connexion=token, erreur=message,
                            identifiant=login_name)
    _set_cookie(response, request, _LOGIN_COOKIE, token, max_age=3600)
    return response


@_signed_in
async def logout(request: Request) -> Response:
    atelier: Atelier = request.app.state.atelier
    atelier.sessions.close(request.cookies.get(COOKIE))
    response = RedirectResponse("/connexion" if atelier.config.shared else "/", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


# ---------------------------------------------------------------- the application

async def _not_found(request: Request, exc) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 413:
        return _too_large(request.url.path)
    if status == 405:
        return _refusal(405, "Action non permise", "Cette adresse ne s’utilise pas ainsi.")
    return _refusal(404, "Page introuvable", "Cette page n’existe pas. Revenez à l’accueil de l’atelier.")


def create_app(config: AtelierConfig) -> Starlette:
    """The atelier as an ASGI application (run it with uvicorn)."""
    atelier = Atelier(config)
    report = "/bilan/{slug}/{periode}"
    routes = [
        Route("/", home),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route(report, report_page),
        Route(report + "/verifier", verify, methods=["POST"]),
        Route(report + "/enregistrer", save_report, methods=["POST"]),
        Route(report + "/produire", produce, methods=["POST"]),
        Route(report + "/telecharger/{format}", download),
        Route(report + "/historique", history_page),
        Route(report + "/restaurer", restore_version, methods=["POST"]),
        Route("/apercu/{cle}/{page:int}.jpg", preview_image),
        Route("/nouvelle-periode", new_period, methods=["POST"]),
        Route("/nouvelle-region", new_region, methods=["POST"]),
        Route(_IMPORT_PATH, import_preview, methods=["POST"]),
        Route(_IMPORT_PATH + "/confirmer", import_confirm, methods=["POST"]),
        Route("/exporter", export_figures),
        Route("/connexion", login_page, methods=["GET"]),
        Route("/connexion", login, methods=["POST"]),
        Route("/deconnexion", logout, methods=["POST"]),
        Mount("/statique", StaticFiles(packages=[("reportgen.atelier", "static")]), name="statique"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _not_found})
    app.state.atelier = atelier
    return Guard(app, atelier)


def _when(moment: dt.datetime | None) -> str:
    """« 22 novembre 2026 à 14 h 05 », or « jamais »."""
    if moment is None:
        return "jamais"
    from ..french import long_date
    return f"{long_date(moment.date())} à {moment.hour} h {moment.minute:02d}"
