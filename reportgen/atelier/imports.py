"""The spreadsheet in the atelier: the uploads kept between a preview and its confirmation,
and what an import's plan looks like on the preview page.

An uploaded workbook stays on the server, in memory, under a random key tied to the session
that sent it: the confirmation names that key, never a path, and plans the same bytes again.
The store is bounded (a few dozen uploads, an hour each), so uploads cannot fill the memory.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..spreadsheet import CellPlace, ImportPlan
from ..spreadsheet.matching import known_regions
from ..spreadsheet.planning import shown
from .security import Account, Session

__all__ = ["Upload", "Uploads", "uploaded_name", "other_regions", "change_rows", "error_rows", "notice_rows",
           "data_relative", "MAX_UPLOADS",
           "UPLOAD_LIFETIME"]

#: Uploads kept at once, all sessions together; the oldest goes first.
MAX_UPLOADS = 32
#: Seconds an upload waits for its confirmation.
UPLOAD_LIFETIME = 3600


@dataclass(frozen=True)
class Upload:
    """A spreadsheet sent for an import: who sent it, its name, its bytes, the period asked."""
    session: Session
    file_name: str
    content: bytes
    period: str
    kept_at: float


class Uploads:
    """Uploads by random key, each readable only from the session that sent it."""

    def __init__(self, limit: int = MAX_UPLOADS, lifetime: float = UPLOAD_LIFETIME,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.lifetime, self.clock = limit, lifetime, clock
        self._by_key: dict[str, Upload] = {}

    def keep(self, session: Session, file_name: str, content: bytes, period: str) -> str:
        self._forget_expired()
        while len(self._by_key) >= self.limit:
            self._by_key.pop(next(iter(self._by_key)))
        key = secrets.token_urlsafe(24)
        self._by_key[key] = Upload(session, file_name, content, period, self.clock())
        return key

    def get(self, session: Session, key: str | None) -> Upload | None:
        self._forget_expired()
        upload = self._by_key.get(key or "")
        return upload if upload is not None and upload.session is session else None

    def forget(self, key: str) -> None:
        self._by_key.pop(key, None)

    def _forget_expired(self) -> None:
        now = self.clock()
        for key in [k for k, upload in self._by_key.items() if now - upload.kept_at >= self.lifetime]:
            del self._by_key[key]


def uploaded_name(sent: str | None) -> str:
    """The file's own name, without the folders some browsers send (« C:\\Users\\…\\chiffres.xlsx »)."""
    return (sent or "").replace("\\", "/").rsplit("/", 1)[-1].strip()


def other_regions(plan: ImportPlan, account: Account, data_dir: Path) -> dict[str, list[int]]:
    """The regions the sheet has rows for that ``account`` may not change, by name, with their
    row numbers: the regions planned, and those that errors and notices are about."""
    if account.regions is None:
        return {}
    slugs = {region.name: region.slug for region in known_regions(data_dir)}
    found: dict[str, set[int]] = {}

    def note(slug: str | None, name: str, row: int | None) -> None:
        if slug is not None and not account.may_edit(slug):
            rows = found.setdefault(name, set())
            if row:
                rows.add(row)

    for region in plan.regions:
        note(region.region.slug, region.region.name, None)
        for change in region.changes:
            note(region.region.slug, region.region.name, change.place.row)
    places = [error.location for error in plan.errors] + [notice.place for notice in plan.notices]
    for place in places:
        if isinstance(place, CellPlace) and place.about:
            name = place.about.rsplit(", ", 1)[-1]
            note(slugs.get(name), name, place.row)
        elif place is not None and hasattr(place, "path"):   # a period file that cannot be opened
            folder = Path(place.path).parent.name
            note(folder if folder in slugs.values() else None, folder, None)
    return {name: sorted(rows) for name, rows in sorted(found.items())}


def change_rows(plan: ImportPlan, data_dir: Path) -> list[dict]:
    """Each change as a row of the preview's table: region, figure, old, new, cell."""
    rows = []
    for region in plan.changed_regions:
        for change in region.changes:
            rows.append({"region": region.region.name, "fichier": data_relative(region.path, data_dir),
                         "nouveau_fichier": region.created, "chiffre": change.field.label,
                         "ancien": shown(change.old), "nouveau": shown(change.new),
                         "cellule": _where(change.place)})
    return rows


def error_rows(plan: ImportPlan) -> list[dict]:
    """Each error of the sheet with its cell (« D7 », « ligne 7 »), what it is about, and the fix."""
    rows = []
    for error in plan.errors:
        place = error.location
        if isinstance(place, CellPlace):
            rows.append({"cellule": _where(place), "sujet": place.about, "message": error.message,
                         "correction": error.hint})
        else:
            rows.append({"cellule": str(place) if place else "", "sujet": "", "message": error.message,
                         "correction": error.hint})
    return rows


def notice_rows(plan: ImportPlan) -> list[dict]:
    """Each notice (an empty cell left as it was, a total row skipped) with its place."""
    return [{"cellule": _where(notice.place), "sujet": notice.place.about, "message": notice.message}
            for notice in plan.notices]


def _where(place: CellPlace) -> str:
    if place.reference:
        return place.reference
    return f"ligne {place.row}" if place.row else ""


def data_relative(path: Path, data_dir: Path) -> str:
    """A data file as the README names it: « data/estrie/2021-2022.yaml »."""
    try:
        return str(path.resolve().relative_to(data_dir.resolve().parent))
    except ValueError:
        return path.name
