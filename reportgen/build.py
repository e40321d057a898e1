"""Building reports: which ones, and writing each output safely.

A report that fails never stops the others, and never costs a previous good
output: each file is written to a temporary file in the same folder, checked,
then moved into place with ``os.replace`` (atomic on the same file system).
"""
from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from .brand import Brand
from .config import Paths
from .data.catalog import Catalog, Report
from .document import make_document
from .errors import Location, OutputError, ReportgenError
from .model import Document

__all__ = ["Outcome", "Selection", "select_reports", "build_report", "write_atomically", "output_path"]


@dataclass
class Outcome:
    """What happened to one report: the files written, or the errors that stopped it."""
    slug: str
    period_id: str
    written: list[Path] = field(default_factory=list)
    errors: list[ReportgenError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Selection:
    """The reports to build, the selected ones the data kept out, and mistakes that
    concern the selection without belonging to one report (a missing data folder)."""
    reports: list[Report]
    failed: list[Outcome]
    general: list[ReportgenError]


def select_reports(catalog: Catalog, periods: list[str], regions: list[str]) -> Selection:
    """What to build for these filters (empty filters select everything)."""
    wanted = [(slug, period_id) for slug, ids in sorted(catalog.periods.items()) for period_id in ids
              if (not regions or slug in regions) and (not periods or period_id in periods)]
    reports = [r for r in catalog.reports if (r.slug, r.period_id) in wanted]
    built = {(r.slug, r.period_id) for r in reports}
    failed = [Outcome(slug, period_id, errors=[e.error for e in catalog.errors if e.concerns(slug, period_id)])
              for slug, period_id in wanted if (slug, period_id) not in built]
    general = [e.error for e in catalog.errors
               if not any(e.concerns(*pair) for pair in wanted) and (not regions or e.slug in (None, *regions))]
    return Selection(reports, failed, general)


def output_path(out_dir: Path, report: Report, fmt: str) -> Path:
    """``OUT/<période>/<slug>.<format>``."""
    return out_dir / report.period_id / f"{report.slug}.{fmt}"


def build_report(report: Report, paths: Paths, brand: Brand, formats: tuple[str, ...]) -> Outcome:
    """Make one report's document and write it in each format; errors go in the Outcome."""
    outcome = Outcome(report.slug, report.period_id)
    try:
        document = make_document(report, paths.layouts, brand.first_undrawable, paths.assets)
    except ReportgenError as error:
        outcome.errors.append(error)
        return outcome
    for fmt in formats:
        target = output_path(paths.out, report, fmt)
        try:
            write_atomically(target, _writer(fmt, document, brand), _CHECKS[fmt])
            outcome.written.append(target)
        except ReportgenError as error:
            outcome.errors.append(error)
    return outcome


def _writer(fmt: str, document: Document, brand: Brand) -> Callable[[BinaryIO], None]:
    # Imported here: a command that writes only one format never loads the other library.
    if fmt == "pdf":
        from .writers.pdf import write_pdf
        return lambda stream: write_pdf(document, brand, stream)
    from .writers.docx import write_docx
    return lambda stream: write_docx(document, brand, stream)


def write_atomically(target: Path, write: Callable[[BinaryIO], None], check: Callable[[Path], None]) -> None:
    """Write ``target`` through a checked temporary file; on any failure the old file stays."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"impossible d’écrire dans ce dossier ({error.strerror})", Location(target.parent),
                          "vérifiez le dossier de sortie (--out) et vos droits d’écriture") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        check(Path(temporary))
        os.replace(temporary, target)
    except ReportgenError:
        os.unlink(temporary)
        raise
    except OSError as error:
        os.unlink(temporary)
        raise OutputError(f"écriture impossible ({error.strerror})", Location(target)) from None
    except Exception as error:
        os.unlink(temporary)
        raise OutputError(f"le document n’a pas pu être produit ({type(error).__name__} : {error})",
                          Location(target), "relancez avec --debug et signalez le problème") from error


def _check_pdf(path: Path) -> None:
    with path.open("rb") as stream:
        head = stream.read(5)
        stream.seek(max(0, path.stat().st_size - 1024))
        tail = stream.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise OutputError("le PDF produit est incomplet", Location(path))


def _check_docx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist() or archive.testzip() is not None:
                raise OutputError("le fichier Word produit est incomplet", Location(path))
    except zipfile.BadZipFile:
        raise OutputError("le fichier Word produit est illisible", Location(path)) from None


_CHECKS = {"pdf": _check_pdf, "docx": _check_docx}
