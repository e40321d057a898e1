"""The errors a user can cause, each with where it happened and how to fix it.

Every stage raises a subclass of ``ReportgenError``; the CLI prints them in French
without a traceback. ``ReportgenErrors`` carries several at once, so a user sees
every mistake of a data file in one run.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["os_reason", "printable", "singles", "Location", "ReportgenError", "DataError", "LayoutError", "MarkupError",
           "OutputError", "ReportgenErrors"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a mistake is: a file, and when known a line, a column (1-based) and a key path."""
    path: Path
    line: int | None = None
    column: int | None = None
    key: str = ""

    def __str__(self) -> str:
        text = _display_path(self.path)
        if self.line is not None:
            text += f", ligne {self.line}"
            if self.column is not None:
                text += f", colonne {self.column}"
        if self.key:
            text += f" ({self.key})"
        return text


def _display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, as a user typed it."""
    try:
        return printable(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return printable(path)


def printable(path: str | Path) -> str:
    """A path as text that can always be printed: bytes of a name that are not UTF-8 are
    shown as « \ufffd » instead of breaking the output."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_OS_REASONS = {"ENOENT": "fichier ou dossier introuvable", "ENOTDIR": "ce n’est pas un dossier",
               "EISDIR": "c’est un dossier", "EACCES": "permission refusée", "EPERM": "opération non permise",
               "ENOSPC": "disque plein",
               "EFBIG": "fichier trop gros pour ce disque ou cette limite", "EDQUOT": "quota de disque dépassé", "EROFS": "support en lecture seule", "EEXIST": "existe déjà"}


def os_reason(error: OSError) -> str:
    """What the system said, in French when we know the words."""
    return _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""), error.strerror or str(error))


class ReportgenError(Exception):
    """A mistake in the user's files or command, told in French.

    ``hint`` says what would be right; ``location`` says where, or is None when the
    mistake is not in a file (a wrong option, say).
    """

    def __init__(self, message: str, location: Location | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __reduce__(self):
        # Reports are built in worker processes: an error must cross back whole.
        return (type(self), (self.message, self.location, self.hint))

    def __str__(self) -> str:
        text = f"{self.location} : {self.message}" if self.location else self.message
        return f"{text}\n  → {self.hint}" if self.hint else text


class DataError(ReportgenError):
    """A data file is unreadable or does not match the schema."""


class LayoutError(ReportgenError):
    """A layout template fails: syntax, unknown variable, unknown directive."""


class MarkupError(ReportgenError):
    """The markup a layout produced cannot become a document."""


class OutputError(ReportgenError):
    """An output file cannot be written."""


class ReportgenErrors(ReportgenError):
    """Several mistakes found together (all of a file's schema errors, say)."""

    def __init__(self, errors: list[ReportgenError]):
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors

    def __reduce__(self):
        return (type(self), (self.errors,))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def singles(errors: Iterable[ReportgenError]) -> list[ReportgenError]:
    """Each mistake on its own: the ones grouped in a ReportgenErrors taken out of it."""
    return [single for error in errors
            for single in (error.errors if isinstance(error, ReportgenErrors) else [error])]
