"""The reports the atelier shows: where their files are, their state, and checking a candidate.

Everything goes through the pipeline ``check`` and ``build`` use (``load_catalog``,
``make_document``), so the atelier and the command line always agree. Nothing a browser
sends is used as a path: a region and a period are looked up in the listing of the data folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..brand import Brand, load_brand
from ..config import Paths
from ..data.catalog import MINISTRY_FILE, REGION_FILE, TO_FILL, TO_FILL_MESSAGE, Report, load_catalog
from ..data.yamlfile import read_yaml
from ..document import make_document
from ..errors import ReportgenError, singles
from ..model import Document
from ..published import period_state

__all__ = ["Workspace", "ReportState", "Problem", "Check", "content_hash", "plain_values"]



def content_hash(text: str) -> str:
    """The fingerprint of a file's text: what a page was opened on, what a preview was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One message of ``check``, and where it is: which file (``region`` or ``periode``) and key."""
    part: str
    key: str
    message: str
    hint: str = ""
    where: str = ""   # a message that is no field's (a layout's): its file and line

    @property
    def to_fill(self) -> bool:
        return self.message == TO_FILL_MESSAGE

    @property
    def text(self) -> str:
        text = f"{self.where} : {self.message}" if self.where else self.message
        return f"{text} → {self.hint}" if self.hint else text


@dataclass
class Check:
    """What ``check`` says of one report's files: its problems, and the report when it is valid."""
    problems: list[Problem] = field(default_factory=list)
    report: Report | None = None
    document: Document | None = None

    @property
    def to_fill(self) -> int:
        return sum(p.to_fill for p in self.problems)

    @property
    def errors(self) -> int:
        return sum(not p.to_fill for p in self.problems)


@dataclass(frozen=True)
class ReportState:
    """What the home page says of a report: ``valide``, ``brouillon``, ``erreurs`` or ``publie``."""
    kind: str
    count: int = 0
    last_built: dt.datetime | None = None

    @property
    def label(self) -> str:
        if self.kind == "brouillon":
            return f"brouillon ({self.count} champ{'s' if self.count > 1 else ''} à remplir)"
        if self.kind == "erreurs":
            return f"erreurs ({self.count})"
        return {"publie": "publié"}.get(self.kind, self.kind)


def plain_values(text: str) -> dict:
    """A data file's text read as the loader reads it (every scalar a text)."""
    with tempfile.TemporaryDirectory(prefix="atelier-") as scratch:
        path = Path(scratch) / "valeurs.yaml"
        path.write_text(text, encoding="utf-8")
        data = read_yaml(path).data
    return data if isinstance(data, dict) else {}


class Workspace:
    """One data folder, its layouts, brand and output folder, as the atelier serves them."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.brand: Brand = load_brand(paths.assets.resolve())
        #: One piece of work at a time (a check, a preview, a save, a build): ReportLab's fonts
        #: and ruamel's dumper are shared state.
        self.build_lock = threading.RLock()
        self._checked: dict[tuple, Check] = {}   # by the content of everything a check reads

    # ------------------------------------------------------------ listing
    def listing(self) -> dict[str, list[str]]:
        """Every region slug and its periods, as found in the data folder (nothing read yet)."""
        return load_catalog(self.paths.data, only=set()).periods

    def has_region(self, slug: str) -> bool:
        return slug in self.listing()

    def has_report(self, slug: str, period_id: str) -> bool:
        return period_id in self.listing().get(slug, [])

    def region_file(self, slug: str) -> Path:
        """The region's file; only call with a slug found in ``listing``."""
        return self.paths.data / slug / REGION_FILE

    def period_file(self, slug: str, period_id: str) -> Path:
        """The period's file; only call with a pair found in ``listing``."""
        return self.paths.data / slug / f"{period_id}.yaml"

    def output(self, slug: str, period_id: str, fmt: str) -> Path:
        return self.paths.out / period_id / f"{slug}.{fmt}"

    def layouts(self) -> list[str]:
        return sorted(p.stem for p in self.paths.layouts.glob("*.md"))

    # ------------------------------------------------------------ state
    def is_published(self, slug: str, period_id: str) -> bool:
        return period_state(self.period_file(slug, period_id), TO_FILL).published_on is not None

    def state(self, slug: str, period_id: str) -> ReportState:
        """The report's state: published as the build sees it (``publie:``), else from what
        ``check`` says of its files (remembered while none changes): errors, or values to fill."""
        built = self.output(slug, period_id, "pdf")
        last_built = dt.datetime.fromtimestamp(built.stat().st_mtime) if built.is_file() else None
        if self.is_published(slug, period_id):
            return ReportState("publie", 0, last_built)
        checked = self.check_files(slug, period_id)
        if checked.errors:
            return ReportState("erreurs", checked.errors, last_built)
        if checked.to_fill:
            return ReportState("brouillon", checked.to_fill, last_built)
        return ReportState("valide", 0, last_built)

    # ------------------------------------------------------------ checking
    def check_files(self, slug: str, period_id: str) -> Check:
        """``check`` of one report as its files are on disk (remembered while none changes)."""
        region = self.region_file(slug).read_text(encoding="utf-8") if self.region_file(slug).is_file() else None
        period = self.period_file(slug, period_id).read_text(encoding="utf-8")
        key = (slug, period_id, region, period, self._surroundings())
        if key not in self._checked:
            if len(self._checked) > 500:
                self._checked.clear()
            self._checked[key] = self.check_texts(slug, period_id, region, period)
        return self._checked[key]

    def _surroundings(self) -> tuple:
        """What else a check reads: the ministry's file, the layouts, the pictures (their dates)."""
        files = [self.paths.data / MINISTRY_FILE, *self.paths.layouts.glob("*"), *self.paths.assets.rglob("*")]
        return tuple(sorted((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))

    def file_errors(self, slug: str, period_id: str) -> list[str]:
        """``check``'s messages for the report's files as they are on disk, with file and line
        (for a file the form cannot open: a syntax error is fixed in a text editor)."""
        catalog = load_catalog(self.paths.data, self.brand.first_undrawable, self.paths.assets,
                               only={(slug, period_id)})
        return [str(single) for scoped in catalog.errors if scoped.concerns(slug, period_id)
                for single in singles([scoped.error])]

    def check_texts(self, slug: str, period_id: str, region_text: str | None, period_text: str,
                    drafts: bool = False) -> Check:
        """``check`` of one report whose region and period files would hold these texts.

        The texts are written to a scratch copy of the data folder and read by the very loader
        ``check`` uses, so every message is the one ``check`` would print. With ``drafts``, a
        period still « À REMPLIR » makes a draft document, as ``build --brouillon`` does.
        """
        with self.build_lock, tempfile.TemporaryDirectory(prefix="atelier-") as scratch:
            data = Path(scratch)
            region_dir = data / slug
            region_dir.mkdir()
            ministry = self.paths.data / MINISTRY_FILE
            if ministry.is_file():
                shutil.copyfile(ministry, data / MINISTRY_FILE)
            if region_text is not None:
                (region_dir / REGION_FILE).write_text(region_text, encoding="utf-8")
            (region_dir / f"{period_id}.yaml").write_text(period_text, encoding="utf-8")
            return self._check_folder(data, slug, period_id, drafts)

    def check_data(self, slug: str, period_id: str, region_data: dict | None, period_data: dict) -> Check:
        """``check`` of plain values (a draft being previewed), written out as YAML first."""
        def dump(data):
            return None if data is None else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return self.check_texts(slug, period_id, dump(region_data), dump(period_data))

    def _check_folder(self, data: Path, slug: str, period_id: str, drafts: bool = False) -> Check:
        catalog = load_catalog(data, self.brand.first_undrawable, self.paths.assets, only={(slug, period_id)},
                               drafts=drafts)
        errors = [scoped.error for scoped in catalog.errors if scoped.concerns(slug, period_id)]
        report, document = next(iter(catalog.reports), None), None
        if report is not None:
            try:
                document = make_document(report, self.paths.layouts, self.brand.first_undrawable, self.paths.assets)
            except ReportgenError as error:
                errors.append(error)
                report = None
        return Check([_problem(single, data) for error in errors for single in singles([error])], report, document)


def _problem(error: ReportgenError, data: Path) -> Problem:
    """A located error, told as a field's message: which file it is in, and its key."""
    location = error.location
    part, key = "", ""
    if location is not None:
        path = Path(location.path)
        if path.is_relative_to(data):
            part = "region" if path.name == REGION_FILE else ("periode" if path.parent != data else "")
        key = location.key
    where = str(location) if location is not None and not part else ""
    return Problem(part, key, error.message, error.hint, where)
