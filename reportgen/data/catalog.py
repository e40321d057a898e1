"""Finding and validating every report under a data folder.

    data/ministere.yaml              facts about the ministry, shared by all reports
    data/<slug>/region.yaml          what stays from year to year
    data/<slug>/<période>.yaml       one period's figures, projects and quote

One report is one (region, period) pair. Every file is validated; all mistakes
are collected so a user sees them together. Anything else in the data folder (a
``.yml``, a ``.txt``, a misnamed period) is an error rather than a file silently
left out, and so is a data folder without regions. Warnings (a text cut by a ``#``)
keep nothing from being built, and are told with the errors.
"""
from __future__ import annotations

import os
import re
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..assets import resolve_asset
from ..errors import DataError, Location, ReportgenError
from ..french import long_date, month_year

if TYPE_CHECKING:
    from .schema import Ministry, Period, Region
    from .yamlfile import YamlFile

__all__ = ["TO_FILL", "TO_FILL_MESSAGE", "PERIOD_NAME", "Report", "Catalog", "ScopedError", "FindUndrawable",
           "load_catalog", "MINISTRY_FILE", "REGION_FILE"]

MINISTRY_FILE = "ministere.yaml"
#: The marker ``reportgen nouvelle-periode`` writes where a value of the new year is awaited.
TO_FILL = "À REMPLIR"
#: What ``check`` says of each « À REMPLIR » left (the atelier counts a draft's fields by it).
TO_FILL_MESSAGE = f"valeur à remplir (« {TO_FILL} »)"
REGION_FILE = "region.yaml"
#: Given a text, its first character the brand font cannot draw, or None (``Brand.first_undrawable``).
FindUndrawable = Callable[[str], str | None]
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: The name of a period (and of its file, before .yaml): two years, ``2021-2022``.
PERIOD_NAME = re.compile(r"(\d{4})-(\d{4})")
_IN_DATA, _IN_REGION = "dans le dossier de données", "dans le dossier de la région"


@dataclass(frozen=True)
class Report:
    """One report to build: a region in a period, and the files it is made from.

    ``period_file`` and ``region_file`` keep the positions of their keys, so a mistake
    found later (by a layout, say) can still name its line.
    """
    slug: str
    period_id: str
    ministry: Ministry
    region: Region
    period: Period
    sources: tuple[Path, ...]
    period_file: YamlFile = field(compare=False, repr=False)
    region_file: YamlFile = field(compare=False, repr=False)
    #: Key paths of the period file still marked « À REMPLIR » (a draft); empty when complete.
    unfilled: tuple[tuple, ...] = ()

    @property
    def is_draft(self) -> bool:
        """Whether something is still to fill in the period file."""
        return bool(self.unfilled)


@dataclass(frozen=True)
class ScopedError:
    """A mistake and what it keeps from being built: one period of a region, a whole
    region (``period_id`` None), or everything (both None)."""
    slug: str | None
    period_id: str | None
    error: ReportgenError

    def concerns(self, slug: str, period_id: str) -> bool:
        return self.slug in (None, slug) and self.period_id in (None, period_id)


@dataclass
class Catalog:
    """The reports found under a data folder, and the mistakes that kept others out."""
    reports: list[Report] = field(default_factory=list)
    errors: list[ScopedError] = field(default_factory=list)
    #: What is accepted but probably not meant (a text cut by a #), scoped as errors are.
    warnings: list[ScopedError] = field(default_factory=list)
    periods: dict[str, list[str]] = field(default_factory=dict)
    first_undrawable: FindUndrawable | None = None
    assets_dir: Path | None = None
    only: set[tuple[str, str]] | None = None
    drafts: bool = False

    def wanted(self, slug: str, period_id: str | None = None) -> bool:
        """Whether to read this region (any of its periods) or this period of it."""
        if self.only is None:
            return True
        return any(s == slug and period_id in (None, p) for s, p in self.only)

    def add_errors(self, errors: list[ReportgenError], slug: str | None = None,
                   period_id: str | None = None) -> None:
        self.errors.extend(ScopedError(slug, period_id, error) for error in errors)


def load_catalog(data_dir: Path, first_undrawable: FindUndrawable | None = None,
                 assets_dir: Path | None = None, only: set[tuple[str, str]] | None = None,
                 drafts: bool = False) -> Catalog:
    """Validate every data file under ``data_dir`` and list the reports they make.

    ``first_undrawable`` finds characters the brand font cannot draw, and ``assets_dir`` is
    where pictures named by the data must be; None skips either check. With ``only``
    (pairs of region slug and period), every report is listed but only those are read.
    With ``drafts``, a period file still marked « À REMPLIR » is a report (a draft, whose
    ``unfilled`` places are shown as such) instead of one error per mark.
    """
    catalog = Catalog(first_undrawable=first_undrawable, assets_dir=assets_dir, only=only, drafts=drafts)
    if not data_dir.is_dir():
        catalog.add_errors([DataError("dossier de données introuvable", Location(data_dir),
                                      "indiquez le bon dossier avec --data DOSSIER")])
        return catalog
    ministry_path = data_dir / MINISTRY_FILE
    folders, files = _folders_and_files(data_dir)
    catalog.add_errors([_stray(p, _IN_DATA) for p in files if p.name != MINISTRY_FILE])
    if not folders:
        catalog.add_errors([DataError("aucune région dans le dossier de données", Location(data_dir),
                                      "créez un dossier par région, avec region.yaml et un fichier de période "
                                      "(voir le README, section « Ajouter une région »), ou indiquez le bon "
                                      "dossier avec --data DOSSIER")])
    errors: list[ReportgenError] = []
    warnings: list[ReportgenError] = []
    ministry = None
    if catalog.only is None or catalog.only:
        ministry, _ = _load(ministry_path, "Ministry", errors, catalog.first_undrawable, warnings)
    catalog.add_errors(errors)
    catalog.warnings.extend(ScopedError(None, None, warning) for warning in warnings)
    if only:  # a worker building a few reports visits their regions, not all of them
        region_dirs = sorted(data_dir / slug for slug in {slug for slug, _ in only} if (data_dir / slug).is_dir())
    else:
        region_dirs = folders
    for region_dir in region_dirs:
        _load_region(region_dir, ministry, ministry_path, catalog)
    _regions_without_period(data_dir, catalog)
    # A report whose region or data folder holds a mistake is not built, so that the
    # mistake is told when it is built, not only by check.
    catalog.reports = [r for r in catalog.reports if not any(e.concerns(r.slug, r.period_id) for e in catalog.errors)]
    return catalog


def _load_region(region_dir: Path, ministry: Ministry | None, ministry_path: Path, catalog: Catalog) -> None:
    slug = region_dir.name
    if not _SLUG.fullmatch(slug):
        catalog.add_errors([DataError(
            "nom de dossier de région invalide", Location(region_dir),
            "en minuscules sans accents, mots séparés par des traits d’union "
            "(exemple : gaspesie-iles-de-la-madeleine)")], slug)
        return
    region_path = region_dir / REGION_FILE
    errors: list[ReportgenError] = []
    warnings: list[ReportgenError] = []
    region = region_file = None
    if catalog.wanted(slug):
        region, region_file = _load(region_path, "Region", errors, catalog.first_undrawable, warnings)
    catalog.add_errors(errors, slug)
    catalog.warnings.extend(ScopedError(slug, None, warning) for warning in warnings)
    catalog.periods[slug] = []
    for path in sorted(p for p in region_dir.iterdir() if not p.name.startswith(".")):
        if path.name == REGION_FILE:
            continue
        if path.is_dir() or path.suffix != ".yaml" or not _is_period_name(path.stem):
            catalog.add_errors([_stray(path, _IN_REGION)], slug)
            continue
        catalog.periods[slug].append(path.stem)
        if not catalog.wanted(slug, path.stem):
            continue
        errors, warnings, unfilled = [], [], []
        period, period_file = _load(path, "Period", errors, catalog.first_undrawable, warnings,
                                    unfilled if catalog.drafts else None)
        if period:
            warnings.extend(_dates_outside_period(period, period_file, path.stem))
        catalog.warnings.extend(ScopedError(slug, path.stem, warning) for warning in warnings)
        if region and period:
            errors.extend(_inconsistencies(region, period, period_file, region_path))
        if period and period.illustration and catalog.assets_dir:
            errors.extend(_missing_picture(period, period_file, catalog.assets_dir))
        catalog.add_errors(errors, slug, path.stem)
        if region and period and ministry and not errors:
            catalog.reports.append(Report(slug, path.stem, ministry, region, period,
                                          (ministry_path, region_path, path), period_file, region_file,
                                          tuple(unfilled)))


def _regions_without_period(data_dir: Path, catalog: Catalog) -> None:
    """An error for each region that has no period file yet (one made by ``nouvelle-region``):
    it would otherwise make no report without a word; the fix names the period to create."""
    empty = sorted(slug for slug, periods in catalog.periods.items() if not periods)
    if not empty:  # the usual case: no need to look through every region for the latest period
        return
    ends = [int(path.stem[-4:]) for path in data_dir.glob("*/*.yaml") if _is_period_name(path.stem)]
    next_period = f"{max(ends)}-{max(ends) + 1}" if ends else _current_fiscal_year()
    for slug in empty:
            catalog.add_errors([DataError(
                "aucun fichier de période", Location(data_dir / slug),
                f"créez-en un avec « reportgen nouvelle-periode {next_period} --region {slug} » "
                "(un premier bilan à remplir), puis lancez « reportgen check »")], slug)


def _folders_and_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """The folders and the files of ``data_dir`` (hidden ones left out), each sorted by name;
    one directory read, without a status call per entry (a worker reads it for every report)."""
    with os.scandir(data_dir) as found:
        entries = sorted((e.name, e.is_dir()) for e in found if not e.name.startswith("."))
    return ([data_dir / name for name, is_dir in entries if is_dir],
            [data_dir / name for name, is_dir in entries if not is_dir])


def _current_fiscal_year() -> str:
    """The fiscal year under way (Québec's run from April to March): ``2021-2022`` in May 2021."""
    today = date.today()
    first = today.year if today.month >= 4 else today.year - 1
    return f"{first}-{first + 1}"


def _stray(path: Path, where: str) -> DataError:
    """A file or folder that is not a region, a period or ministere.yaml, with what to do about it."""
    in_region = where == _IN_REGION
    period = PERIOD_NAME.search(path.name)
    wanted = REGION_FILE if in_region else MINISTRY_FILE
    if path.is_dir():
        return DataError(f"dossier inattendu {where}", Location(path),
                         "une région ne contient que region.yaml et ses fichiers de période "
                         "(exemple : 2021-2022.yaml) : déplacez ce dossier hors de data/")
    if period and _is_period_name(period.group(0)):
        if not in_region:
            return DataError("fichier de période hors de sa région", Location(path),
                             f"placez-le dans le dossier de sa région, sous le nom {period.group(0)}.yaml")
        return DataError("nom de fichier de période invalide", Location(path),
                         f"renommez-le {period.group(0)}.yaml (le nom de la période, puis .yaml ; "
                         "l’éditeur ajoute parfois .txt ou écrit .yml)")
    if path.name.lower().startswith(wanted.removesuffix(".yaml")):
        return DataError(f"fichier mal nommé {where}", Location(path), f"renommez-le {wanted}")
    if in_region and path.suffix == ".yaml":
        return DataError("nom de fichier de période invalide", Location(path),
                         "nommez-le d’après la période, par exemple 2021-2022.yaml")
    return DataError(f"fichier inattendu {where}", Location(path),
                     "data/ ne contient que ministere.yaml et un dossier par région (region.yaml et les "
                     "fichiers de période comme 2021-2022.yaml) : déplacez ce fichier ailleurs")


def _is_period_name(stem: str) -> bool:
    match = PERIOD_NAME.fullmatch(stem)
    return bool(match) and int(match.group(1)) < int(match.group(2))


def _inconsistencies(region: Region, period: Period, period_file: YamlFile, region_path: Path) -> list[DataError]:
    """Figures that contradict the region's own lists."""
    given, offices = period.figures.service_points, len(region.offices)
    if given is not None and offices and given.value != offices:
        return [DataError(f"points_de_services vaut {given.value} mais {region_path.name} liste {offices} bureaux",
                          period_file.locate(("chiffres", "points_de_services")),
                          f"corrigez le chiffre, ou retirez-le : il sera compté d’après {region_path.name}")]
    return []


#: How long after its period a report may still be published.
_PUBLISHED_WITHIN_YEARS = 2


def _dates_outside_period(period: Period, period_file: YamlFile, period_id: str) -> list[DataError]:
    """A warning for a date that does not fit its period (a year mistyped: ``publication:
    2012-09`` in 2021-2022): the figures' date falls within the fiscal years, from April 1st
    to March 31st, and the report is published after they begin and within two years of their end."""
    first, last = int(period_id[:4]), int(period_id[-4:])
    start, end = date(first, 4, 1), date(last, 3, 31)
    def day(when: date) -> str:  # a terminal's message: plain spaces
        return long_date(when).replace("\u00a0", " ")
    span = f"du {day(start)} au {day(end)}"
    warnings = []
    if period.as_of and not start <= period.as_of <= end:
        warnings.append(DataError(
            f"chiffres arrêtés au {day(period.as_of)} : hors de la période {period_id} ({span})",
            period_file.locate(("au",)), f"vérifiez l’année (exemple : au: {last}-03-31)"))
    published = period.published
    if published and not start <= published <= end.replace(year=last + _PUBLISHED_WITHIN_YEARS):
        when = "avant le début" if published < start else "plus de deux ans après la fin"
        warnings.append(DataError(
            f"publication en {month_year(published)} : {when} de la période {period_id} ({span})",
            period_file.locate(("publication",)),
            f"vérifiez l’année : un bilan {period_id} se publie après le 31 mars {last} (exemple : publication: {last}-09)"))
    return warnings


def _missing_picture(period: Period, period_file: YamlFile, assets_dir: Path) -> list[DataError]:
    try:
        resolve_asset(assets_dir, period.illustration.file, image=True)
    except ValueError as error:
        return [DataError(str(error), period_file.locate(("illustration", "fichier")),
                          getattr(error, "hint", "placez l’image dans assets/ et donnez son chemin relatif "
                                                 "(exemple : images/carte.png)"))]
    return []


def _load(path: Path, model: str, errors: list[ReportgenError], first_undrawable: FindUndrawable | None = None,
          warnings: list[ReportgenError] | None = None, unfilled: list[tuple] | None = None) -> tuple:
    """``validation.load_file``, imported on the first file read: the schema (pydantic) takes a
    tenth of a second to load, and a listing of the folders (what every build does first, and
    all that a build with nothing to make does) needs none of it."""
    from .validation import load_file
    return load_file(path, model, errors, first_undrawable, warnings, unfilled)
