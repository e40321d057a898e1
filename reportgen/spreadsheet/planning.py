"""An import planned before anything is written: each region's changes (old → new),
the notices, and every mistake of the sheet at once; then applied, or not at all.

A value is kept as the person typed it (« plus de 200 », « 16,2 », « 1 833 »), after the
schema's own figure parsing has accepted it, so ``check`` accepts what the import writes.
A value that means the same figure as the one in the file (« 1833 » for « 1 833 ») is no
change: exporting, editing one cell and importing changes that cell's figure only.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import TypeAdapter, ValidationError

from ..data.catalog import TO_FILL
from ..data.fields import FieldSpec, figure_fields, normalize_label
from ..data.roundtrip import EditableFile, EditConflict, fingerprint, open_for_edit, open_new, save
from ..data.schema import AmountValue, FigureValue
from ..errors import ReportgenError, ReportgenErrors
from ..newperiod import check_period_id, new_period_text
from ..published import published_on
from .matching import (REGION_HEADER, Column, RegionRef, figure_for_header, find_region, is_region_header,
                       known_regions, suggestion)
from .places import CellPlace, Notice, SpreadsheetError
from .reading import Sheet, read_sheet

__all__ = ["Change", "RegionPlan", "ImportPlan", "plan_import", "apply_import", "is_published"]

_FIGURE = TypeAdapter(FigureValue)
#: How each kind of figure column is read: the schema's own rules, so the import and check agree.
_READERS = {"figure": _FIGURE, "amount": TypeAdapter(AmountValue)}
_STAFF = ("personnel",)
_SERVICE_POINTS = "chiffres.points_de_services"
#: A row that sums the regions up, as data people often add one: it is no region.
_TOTALS = {"total", "totaux", "total general", "grand total", "ensemble du quebec", "le quebec", "quebec",
           "tout le quebec", "somme"}


def is_published(period_data: Any) -> bool:
    """Whether a period's data says it is published (``publie:``), so its figures no longer change."""
    return published_on(period_data) is not None


@dataclass(frozen=True)
class Change:
    """One figure of one region that the import changes."""
    field: FieldSpec
    old: Any          # as the file holds it; None when absent
    new: int | str    # as it will be written
    place: CellPlace

    def __str__(self) -> str:
        return f"{self.field.label} : {shown(self.old)} → {shown(self.new)}"


@dataclass
class RegionPlan:
    """What the import does to one region's period file."""
    region: RegionRef
    edit: EditableFile
    created: bool                       # the file does not exist yet: made as nouvelle-periode does
    changes: list[Change] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.edit.path


@dataclass
class ImportPlan:
    """An import, read and checked, not yet written: ``apply_import`` writes it."""
    period: str
    source: str                                    # « chiffres.xlsx, feuille « 2021-2022 » »
    regions: list[RegionPlan] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    errors: list[ReportgenError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[Change]:
        return [change for region in self.regions for change in region.changes]

    @property
    def changed_regions(self) -> list[RegionPlan]:
        return [region for region in self.regions if region.changes]

    def preview(self) -> list[str]:
        """The changes as lines to show before asking: a region and its file, then each
        figure « Libellé : ancien → nouveau »."""
        lines = []
        for region in self.changed_regions:
            made = " (nouveau fichier, préparé comme par « reportgen nouvelle-periode »)" if region.created else ""
            lines.append(f"{region.region.name} — {_display(region.path)}{made}")
            lines.extend(f"  {change}" for change in region.changes)
        return lines

    @property
    def token(self) -> str:
        """A fingerprint of what would be written and of the files it starts from: a
        confirmation can check it still applies to the plan made again."""
        digest = hashlib.sha256(self.period.encode())
        for region in self.changed_regions:
            digest.update(f"{region.path}\0{region.edit.fingerprint}\0".encode())
            for change in region.changes:
                digest.update(f"{change.field.key}\0{change.new}\0".encode())
        return digest.hexdigest()


def shown(value: Any) -> str:
    """A figure as the preview shows it: as written in the file, or « (aucun) »."""
    return "(aucun)" if value is None or str(value).strip() == "" else str(value)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- planning

def plan_import(content: bytes, file_name: str, data_dir: Path, period: str) -> ImportPlan:
    """Read a spreadsheet (``content``, named ``file_name``: .xlsx or .csv) and plan the
    changes to ``period``'s files under ``data_dir``. Nothing is written.

    Raises ReportgenError only when the file or the period cannot be read at all; every
    mistake inside the sheet is in the plan's ``errors``, located at its cell.
    """
    check_period_id(period)
    sheet = read_sheet(content, file_name, period)
    plan = ImportPlan(period, sheet.title)
    header_row = next((index for index, row in enumerate(sheet.rows) if row), None)
    if header_row is None:
        plan.errors.append(SpreadsheetError("la feuille est vide", sheet.place(),
                                            f"la première ligne nomme les colonnes : {REGION_HEADER}, "
                                            f"puis un chiffre par colonne ({figure_fields()[0].label}, …)"))
        return plan
    region_column, columns = _columns(sheet, header_row, plan.errors)
    if region_column is None:
        return plan
    regions = known_regions(data_dir)
    seen: dict[str, int] = {}
    for index in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if any(value is not None for value in row):
            _plan_row(sheet, index, row, region_column, columns, regions, seen, period, plan)
    return plan


def _columns(sheet: Sheet, header_row: int, errors: list) -> tuple[int | None, list[Column]]:
    """The region column's index and the figure columns, from the header row."""
    header = [_text(value) for value in sheet.rows[header_row]]
    region_column = _region_column(header)
    columns, where = [], {}
    labels = [REGION_HEADER] + [spec.label for spec in figure_fields()]
    for index, typed in enumerate(header):
        if not typed or index == region_column:
            continue
        place = sheet.place(header_row + 1, index + 1)
        spec = figure_for_header(typed)
        if spec is None:
            close = suggestion(typed, labels)
            errors.append(SpreadsheetError(
                f"colonne inconnue « {typed} »" + (f" — vouliez-vous dire « {close} » ?" if close else ""), place,
                "" if close else "colonnes permises : " + ", ".join(labels)))
        elif spec.key in where:
            errors.append(SpreadsheetError(f"la colonne « {spec.label} » est déjà en {where[spec.key]}", place,
                                           "gardez une seule colonne par chiffre"))
        else:
            where[spec.key] = place.reference
            columns.append(Column(index, spec))
    if region_column is None:
        errors.append(SpreadsheetError(f"aucune colonne « {REGION_HEADER} »", sheet.place(header_row + 1, 1),
                                       f"la première colonne donne le nom de chaque région, sous l’en-tête "
                                       f"« {REGION_HEADER} »"))
    elif not columns and not errors:
        errors.append(SpreadsheetError("aucune colonne de chiffres", sheet.place(header_row + 1),
                                       "nommez chaque colonne comme dans le README : "
                                       + ", ".join(labels[1:])))
    return region_column, columns


def _region_column(header: list[str]) -> int | None:
    """The column headed « Région » (or « Nom de la région », « slug »…); else the first
    column, unless it holds a figure."""
    named = next((index for index, typed in enumerate(header) if typed and is_region_header(typed)), None)
    if named is not None:
        return named
    return 0 if header and header[0] and figure_for_header(header[0]) is None else None


def _plan_row(sheet: Sheet, index: int, row: list, region_column: int, columns: list[Column],
              regions: list[RegionRef], seen: dict[str, int], period: str, plan: ImportPlan) -> None:
    line = index + 1
    typed = _text(_cell(row, region_column))
    region = find_region(typed, regions) if typed else None
    if region is None and normalize_label(typed) in _TOTALS:
        plan.notices.append(Notice(sheet.place(line, about=typed), "ligne de total ignorée"))
        return
    if region is None:
        plan.errors.append(_unknown_region(sheet.place(line, region_column + 1), typed, regions))
        return
    if region.slug in seen:
        plan.errors.append(SpreadsheetError(f"la région {region.of_name} est déjà à la ligne {seen[region.slug]}",
                                            sheet.place(line, region_column + 1),
                                            "gardez une seule ligne par région"))
        return
    seen[region.slug] = line
    filled = [column for column in columns if _cell(row, column.index) is not None]
    if not filled:
        plan.notices.append(Notice(sheet.place(line, about=region.name),
                                   "aucun chiffre sur cette ligne : la région est laissée telle quelle"))
        return
    target = _open_target(region, period, sheet.place(line, region_column + 1, region.name), plan.errors)
    if target is None:
        return
    _plan_cells(sheet, line, row, columns, target, plan)
    plan.regions.append(target)


def _unknown_region(place: CellPlace, typed: str, regions: list[RegionRef]) -> SpreadsheetError:
    if not typed:
        return SpreadsheetError("région manquante", place,
                                "écrivez le nom de la région de cette ligne (exemple : "
                                f"{regions[0].name if regions else 'Estrie'})")
    close = suggestion(typed, [region.slug for region in regions] + [region.name for region in regions])
    hint = "" if close else "régions de data/ : " + ", ".join(region.name for region in regions)
    return SpreadsheetError(f"région inconnue « {typed} »" + (f" — vouliez-vous dire « {close} » ?" if close else ""),
                            place, hint)


def _open_target(region: RegionRef, period: str, place: CellPlace, errors: list) -> RegionPlan | None:
    """The region's period file opened for changing; a missing one as nouvelle-periode makes it."""
    path = region.folder / f"{period}.yaml"
    if path.exists():
        try:
            return RegionPlan(region, open_for_edit(path), created=False)
        except ReportgenError as error:  # a syntax error: check tells where
            errors.append(error)
            return None
    try:
        text = new_period_text(region.folder, period)
    except ReportgenError as error:
        errors.append(SpreadsheetError(f"{_display(path)} n’existe pas et ne peut pas être préparé : {error.message}",
                                       place, "vérifiez la période demandée (--period)"))
        return None
    return RegionPlan(region, open_new(path, text), created=True)


def _plan_cells(sheet: Sheet, line: int, row: list, columns: list[Column], target: RegionPlan,
                plan: ImportPlan) -> None:
    published = is_published(target.edit.document)
    empty = []
    for column in columns:
        spec, raw = column.field, _cell(row, column.index)
        place = sheet.place(line, column.index + 1, f"{spec.label}, {target.region.name}")
        old = target.edit.get(spec.path)
        if raw is None:
            cell = place.reference if sheet.name is not None else f"colonne {get_column_letter(column.index + 1)}"
            empty.append(f"{spec.label} ({cell}, "
                         f"{'reste ' + shown(old) if old is not None else 'absent'})")
            continue
        new = _figure(raw, spec.kind, place, plan.errors)
        if new is None or _same_figure(old, new, spec.kind):
            continue
        if published:
            plan.errors.append(SpreadsheetError(
                f"la période {plan.period} {target.region.of_name} est publiée : ce chiffre ne peut plus changer "
                f"({shown(old)} → {shown(new)})", place,
                "remettez la valeur publiée, videz la cellule ou retirez la ligne"))
            continue
        target.edit.set(spec.path, new)
        target.changes.append(Change(spec, old, new, place))
    if empty:
        plan.notices.append(Notice(sheet.place(line, about=target.region.name),
                                   ("cellule vide, chiffre inchangé : " if len(empty) == 1 else
                                    "cellules vides, chiffres inchangés : ") + ", ".join(empty)))
    _check_staff(sheet, line, columns, target, plan)
    _check_service_points(target, plan)


def _check_staff(sheet: Sheet, line: int, columns: list[Column], target: RegionPlan, plan: ImportPlan) -> None:
    """A team is counted whole: a new ``personnel`` section needs both of its counts."""
    staff = target.edit.get(_STAFF)
    if not isinstance(staff, dict) or not any(change.field.path[:1] == _STAFF for change in target.changes):
        return
    for spec in figure_fields():
        if spec.path[:1] == _STAFF and spec.required and staff.get(spec.path[-1]) is None:
            where = next((c.index + 1 for c in columns if c.field == spec), None)
            plan.errors.append(SpreadsheetError(
                f"« {spec.label} » manque : l’équipe se compte en entier", sheet.place(line, where,
                                                                                    target.region.name),
                f"remplissez la colonne « {spec.label} » pour cette région"))


def _check_service_points(target: RegionPlan, plan: ImportPlan) -> None:
    """The points of service agree with the offices region.yaml lists, as ``check`` wants."""
    offices = target.region.offices
    for change in target.changes:
        if change.field.key == _SERVICE_POINTS and offices and _FIGURE.validate_python(change.new).value != offices:
            plan.errors.append(SpreadsheetError(
                f"{shown(change.new)} points de services, mais {target.region.slug}/region.yaml liste {offices} "
                f"bureau{'x' if offices > 1 else ''}", change.place,
                "corrigez le chiffre, ou videz la cellule et retirez-le du fichier : il sera compté d’après les "
                "bureaux"))


# ---------------------------------------------------------------- values

def _cell(row: list, index: int) -> object:
    return row[index] if index < len(row) else None


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def typed_value(raw: object) -> int | str:
    """What the person typed in a cell, as it will be written in the data file.

    Excel keeps « 19,99 » as the float 19.989999999999998: it is read back as 19,99 (15
    significant digits, what Excel shows); a whole number stays a number; a text is kept
    as typed, its spaces (no-break ones included) made single.
    """
    if isinstance(raw, bool):
        return "VRAI" if raw else "FAUX"
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        number = Decimal(format(raw, ".15g"))
        if number == number.to_integral_value():
            return int(number)
        return format(number, "f").replace(".", ",")
    return _text(raw)


def _figure(raw: object, kind: str, place: CellPlace, errors: list) -> int | str | None:
    """The cell's figure as it will be written, once the schema accepts it; None after
    adding the cell's error to ``errors``."""
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        errors.append(SpreadsheetError(f"« {_date_text(raw)} » n’est pas un nombre : Excel a pris la cellule "
                                       "pour une date ou une heure", place,
                                       "donnez à la cellule le format Nombre (ou Texte), puis retapez le chiffre"))
        return None
    value = typed_value(raw)
    try:
        _READERS[kind].validate_python(value)
    except ValidationError as error:
        detail = error.errors()[0]
        errors.append(SpreadsheetError(str(detail.get("ctx", {}).get("error", detail["msg"])), place))
        return None
    return value


def _date_text(raw: object) -> str:
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        return raw.date().isoformat()
    return str(raw)


def _same_figure(old: Any, new: int | str, kind: str) -> bool:
    """Whether ``new`` is the figure ``old`` already holds (« 1833 » and « 1 833 »)."""
    if old is None or TO_FILL in str(old):
        return False
    if _text(old) == _text(new):
        return True
    try:
        return _READERS[kind].validate_python(old) == _READERS[kind].validate_python(new)
    except ValidationError:
        return False


# ---------------------------------------------------------------- applying

def apply_import(plan: ImportPlan, history: Path | None = None) -> list[Path]:
    """Write the planned changes; return the files written (new ones included).

    Writes nothing when the plan has errors (raises them) or when any file changed on disk
    since the plan was made (raises EditConflict naming it). Each file is replaced
    atomically; with ``history``, the version it replaces is kept there.
    """
    if plan.errors:
        raise ReportgenErrors(plan.errors)
    targets = plan.changed_regions
    for target in targets:
        if fingerprint(target.path) != target.edit.fingerprint:
            raise EditConflict(target.path, target.path.read_text(encoding="utf-8", errors="replace")
                               if target.path.exists() else None)
    written = []
    for target in targets:
        if save(target.edit, history):
            written.append(target.path)
    return written
