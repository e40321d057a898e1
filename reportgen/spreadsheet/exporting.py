"""The figures of every region for one or more periods, as an Excel workbook to review.

One sheet per period, named after it; a row per region of data/ (empty cells where a
figure is absent or still « À REMPLIR »); the columns are the field catalogue's labels,
those the import reads back. A plain number is a number cell with a thousands-grouping
format (French Excel shows « 1 833 » and « 16,2 »); a figure written as words
(« plus de 200 ») stays text, so importing the file back changes nothing.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Collection

from ..data.catalog import TO_FILL
from ..data.fields import figure_fields
from ..data.yamlfile import read_yaml
from ..errors import Location, OutputError, ReportgenError, ReportgenErrors, os_reason, singles
from ..files import replace_atomically
from ..newperiod import check_period_id
from .matching import REGION_HEADER, known_regions

__all__ = ["Export", "export_workbook", "write_export", "cell_value"]

_PLAIN_NUMBER = re.compile(r"\d{1,3}(?: \d{3})+(?:[,.]\d+)?|\d+(?:[,.]\d+)?")
_WHOLE = "#,##0"             # Excel's code for « grouped by thousands »: spaces in a French Excel
_TEXT = "@"
_MIN_WIDTH = 10
_HEADER_FILL, _HEADER_FONT = "223654", "FFFFFF"   # the brand's dark blue, white text (contrast 12.7:1)


@dataclass(frozen=True)
class Export:
    """An exported workbook: its bytes, and the periods no region has a file for yet."""
    content: bytes
    periods: tuple[str, ...]
    regions: int
    empty_periods: tuple[str, ...]


def export_workbook(data_dir: Path, periods: list[str], only: Collection[str] | None = None) -> Export:
    """The workbook of ``periods``' figures for every region under ``data_dir`` (or, with
    ``only``, for the regions of those slugs: an atelier account's own).

    Raises ReportgenErrors naming every data file that cannot be read (nothing is made).
    """
    from openpyxl import Workbook

    wanted = list(dict.fromkeys(periods))
    for period in wanted:
        check_period_id(period)
    regions = [region for region in known_regions(data_dir) if only is None or region.slug in only]
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "reportgen"
    book.properties.title = "Chiffres des régions, " + ", ".join(wanted)
    errors: list[ReportgenError] = []
    empty = []
    for period in wanted:
        rows, found = [], 0
        for region in regions:
            data = _period_data(region.folder / f"{period}.yaml", errors)
            found += data is not None
            rows.append((region.name, [_value(data, spec.path) for spec in figure_fields()]))
        if not found:
            empty.append(period)
        _fill_sheet(book.create_sheet(period), rows)
    if errors:
        raise ReportgenErrors(errors)
    buffer = io.BytesIO()
    book.save(buffer)
    return Export(buffer.getvalue(), tuple(wanted), len(regions), tuple(empty))


def _period_data(path: Path, errors: list) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = read_yaml(path).data
    except ReportgenError as error:
        errors.extend(singles([error]))
        return None
    return data if isinstance(data, dict) else {}


def _value(data: dict | None, path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def cell_value(raw: Any) -> tuple[Any, str]:
    """A figure of a data file as a cell: its value and its Excel number format.

    Absent or « À REMPLIR » gives an empty cell; a plain number (« 1 833 », « 16,2 », 65) a
    number; anything else (« plus de 200 », « 16,2 M$ ») the text as written.
    """
    if raw is None or isinstance(raw, bool) or TO_FILL in str(raw):
        return None, "General"
    text = " ".join(str(raw).split())
    if not _PLAIN_NUMBER.fullmatch(text):
        return text, _TEXT
    number = Decimal(text.replace(" ", "").replace(",", "."))
    if number == number.to_integral_value():
        return int(number), _WHOLE
    decimals = -number.as_tuple().exponent
    return float(number), f"{_WHOLE}.{'0' * decimals}"


def _fill_sheet(sheet, rows: list[tuple[str, list[Any]]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    headers = [REGION_HEADER] + [spec.label for spec in figure_fields()]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(name="Calibri", bold=True, color=_HEADER_FONT)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    # A header wraps between its words: a column is as wide as its longest word or value.
    widths = [max(len(word) for word in header.split()) for header in headers]
    for line, (name, figures) in enumerate(rows, start=2):
        sheet.cell(line, 1, name)
        widths[0] = max(widths[0], len(name))
        for column, raw in enumerate(figures, start=2):
            value, number_format = cell_value(raw)
            cell = sheet.cell(line, column, value)
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="right")
            widths[column - 1] = max(widths[column - 1], len(_shown(value)))
    widths = [min(max(width, _MIN_WIDTH) + 2, 60) for width in widths]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 15 * max(len(_wrapped(header, width)) for header, width in zip(headers, widths))
    sheet.freeze_panes = "B2"      # the header row and the region names stay in view
    sheet.auto_filter.ref = sheet.dimensions
    _print_on_one_page_wide(sheet)


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words."""
    lines = [""]
    for word in text.split():
        lines[-1:] = [f"{lines[-1]} {word}".strip()] if len(lines[-1]) + len(word) < width else [lines[-1], word]
    return lines


def _print_on_one_page_wide(sheet) -> None:
    """Printed for approval: landscape, every column on the page, the header on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _shown(value: Any) -> str:
    if isinstance(value, (int, float)):
        return f"{value:,}".replace(",", " ").replace(".", ",")
    return "" if value is None else str(value)


def write_export(path: Path, content: bytes) -> None:
    """Write ``content`` at ``path`` atomically: an earlier file stays whole until the new
    one is complete."""
    try:
        replace_atomically(path, content)
    except OSError as error:
        raise OutputError(f"enregistrement impossible ({os_reason(error)})", Location(path)) from None
