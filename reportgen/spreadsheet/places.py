"""Where something is in a spreadsheet, said as the person finds it there, and what is said.

An Excel cell is named by its sheet and reference (« feuille « 2021-2022 », cellule D7 »);
a CSV cell by its line and column letter (« ligne 7, colonne D »), as Excel shows it.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..errors import ReportgenError

__all__ = ["CellPlace", "SpreadsheetError", "Notice"]


@dataclass(frozen=True)
class CellPlace:
    """A file, and when known its sheet (None for a CSV), a 1-based row and column, and what
    the cell holds in the person's words (« Ententes, Estrie »)."""
    file_name: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    about: str = ""

    @property
    def reference(self) -> str:
        """The cell's Excel reference (« D7 »), or "" for a whole row or file."""
        return f"{get_column_letter(self.column)}{self.row}" if self.row and self.column else ""

    def __str__(self) -> str:
        parts = [self.file_name]
        if self.sheet is not None:
            parts.append(f"feuille « {self.sheet} »")
        if self.reference and self.sheet is not None:
            parts.append(f"cellule {self.reference}")
        elif self.row:
            parts.append(f"ligne {self.row}")
            if self.column:
                parts.append(f"colonne {get_column_letter(self.column)}")
        text = ", ".join(parts)
        return f"{text} ({self.about})" if self.about else text


class SpreadsheetError(ReportgenError):
    """A mistake in the spreadsheet being imported, located at its cell."""


@dataclass(frozen=True)
class Notice:
    """Something the person should know, that stops nothing (an empty cell left as it was)."""
    place: CellPlace
    message: str

    def __str__(self) -> str:
        return f"{self.place} : {self.message}"
