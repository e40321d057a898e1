"""Reading a spreadsheet as the person left it: an Excel workbook's sheet or a CSV file.

Values come back as the file holds them (text, whole or decimal numbers, dates); what
the person typed is recovered later, by the planning stage. A CSV is read as Excel in
Québec writes it: « CSV UTF-8 » (with its byte order mark) or « CSV (séparateur :
point-virgule) » in Windows-1252, separated by semicolons (commas and tabs are detected
too), with Windows line endings.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl.utils import get_column_letter

from .places import CellPlace, SpreadsheetError

__all__ = ["Sheet", "read_sheet", "MAX_ROWS", "MAX_COLUMNS"]

#: Québec has 17 regions; a sheet far past these sizes is the wrong file.
MAX_ROWS = 500
MAX_COLUMNS = 60
_CSV_SEPARATORS = (";", "\t", ",")
_SEPARATOR_LINE = re.compile(r'"?sep=(.)"?')


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet (a CSV file is one sheet without a name), row by row.

    ``rows[0][0]`` is cell A1. A value is None (empty), a str, an int, a float, a bool,
    or a date or time when Excel took the cell for one.
    """
    file_name: str
    name: str | None
    rows: list[list[object]]

    def place(self, row: int | None = None, column: int | None = None, about: str = "") -> CellPlace:
        """Where a 1-based row and column are, as the person finds them in their program."""
        return CellPlace(self.file_name, self.name, row, column, about)

    @property
    def title(self) -> str:
        """The file, and the sheet when it has one: « chiffres.xlsx, feuille « 2021-2022 » »."""
        return str(self.place())


def read_sheet(content: bytes, file_name: str, period: str) -> Sheet:
    """The sheet of ``content`` that holds ``period``'s figures.

    ``file_name`` (only its last part is kept) says the format by its extension. In a
    workbook, the sheet named after the period is read, or the only sheet there is.
    """
    name = PurePath(file_name).name
    suffix = PurePath(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(content, name, period)
    if suffix in (".csv", ".txt"):
        return _read_csv(content, name)
    raise SpreadsheetError(f"format non pris en charge « {suffix or name} »", CellPlace(name),
                           "enregistrez le tableur au format Classeur Excel (.xlsx) ou CSV (.csv)")


# ---------------------------------------------------------------- Excel workbooks

def _read_workbook(content: bytes, name: str, period: str) -> Sheet:
    from openpyxl import load_workbook  # a few hundred milliseconds: only when a workbook is read

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise SpreadsheetError("ce fichier n’est pas un classeur Excel lisible", CellPlace(name),
                               "ouvrez-le dans Excel et enregistrez-le de nouveau au format .xlsx") from None
    try:
        sheet = book[_sheet_name(book.sheetnames, name, period)]
        sheet.reset_dimensions()  # some programs record a wrong size: read every cell there is
        rows = [list(values) for _, values in zip(range(MAX_ROWS + 1), sheet.iter_rows(values_only=True))]
        return _checked(Sheet(name, sheet.title, [_trimmed(row) for row in rows]))
    finally:
        book.close()


def _sheet_name(names: list[str], file_name: str, period: str) -> str:
    if period in names:
        return period
    if len(names) == 1:
        return names[0]
    listed = ", ".join(f"« {n} »" for n in names)
    raise SpreadsheetError(f"aucune feuille nommée « {period} » parmi les feuilles {listed}", CellPlace(file_name),
                           f"nommez « {period} » la feuille des chiffres de cette période, ou gardez une seule "
                           "feuille dans le classeur")


# ---------------------------------------------------------------- CSV

def _read_csv(content: bytes, name: str) -> Sheet:
    text = _decoded(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    separator = max(_CSV_SEPARATORS, key=first.count)  # ties go to the semicolon, Québec's own
    declared = _SEPARATOR_LINE.fullmatch(lines[0]) if lines else None
    if declared:  # « sep=; »: Excel's own hint, a line Excel does not show (rows are counted after it)
        separator, text = declared.group(1), text.split("\n", 1)[1] if "\n" in text else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        rows = [[cell if cell.strip() else None for cell in row] for _, row in zip(range(MAX_ROWS + 1), reader)]
    except csv.Error:
        raise SpreadsheetError("ce fichier CSV est mal formé (un guillemet n’est pas refermé)", CellPlace(name),
                               "ouvrez-le dans Excel et enregistrez-le de nouveau en CSV") from None
    return _checked(Sheet(name, None, [_trimmed(row) for row in rows]))


def _decoded(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without its byte order mark), UTF-16 as
    « Texte Unicode » writes it, or else Windows-1252, the Windows default in Québec."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


# ---------------------------------------------------------------- both

def _trimmed(row: list[object]) -> list[object]:
    """The row without its trailing empty cells (a text of spaces is empty too)."""
    row = [None if isinstance(value, str) and not value.strip() else value for value in row]
    while row and row[-1] is None:
        row.pop()
    return row


def _checked(sheet: Sheet) -> Sheet:
    if len(sheet.rows) > MAX_ROWS:
        raise SpreadsheetError(f"plus de {MAX_ROWS} lignes : ce n’est pas le tableau des chiffres des régions",
                               sheet.place(), "vérifiez que c’est le bon fichier (une ligne par région)")
    widest = max((len(row) for row in sheet.rows), default=0)
    if widest > MAX_COLUMNS:
        raise SpreadsheetError(f"des cellules sont remplies jusqu’à la colonne {get_column_letter(widest)} : "
                               "ce n’est pas le tableau des chiffres des régions", sheet.place(),
                               "gardez une colonne par chiffre, et rien à droite du tableau")
    return sheet
