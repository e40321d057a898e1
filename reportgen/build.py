"""Building reports: which ones, and writing each output safely.

A report that fails never stops the others, and never costs a previous good
output: each file is written to a temporary file in the same folder, checked,
then moved into place with ``os.replace`` (atomic on the same file system).
"""
from __future__ import annotations

import os
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from .brand import Brand, load_brand
from .config import Paths
from .data.catalog import Catalog, Report, load_catalog
from .document import make_document
from .errors import Location, OutputError, ReportgenError, os_reason
from .layout import layout_path
from .manifest import FileHashes, Manifest
from .model import Document

__all__ = ["Outcome", "selected_pairs", "general_errors", "build_reports", "build_report", "build_one",
           "build_many", "write_atomically", "output_path"]


@dataclass
class Outcome:
    """What happened to one report: the files written (or left as they were, ``skipped``),
    or the errors that stopped it; what was accepted but probably not meant (``warnings``,
    shaped like the errors); the files it was made from, and how long it took."""
    slug: str
    period_id: str
    written: list[Path] = field(default_factory=list)
    errors: list[ReportgenError] = field(default_factory=list)
    warnings: list[ReportgenError] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def key(self) -> str:
        return f"{self.period_id}/{self.slug}"


def selected_pairs(listing: Catalog, periods: list[str], regions: list[str]) -> list[tuple[str, str]]:
    """The (slug, period) of every report the filters select (empty filters select all)."""
    return [(slug, period_id) for slug, ids in sorted(listing.periods.items()) for period_id in ids
            if (not regions or slug in regions) and (not periods or period_id in periods)]


def general_errors(listing: Catalog, pairs: list[tuple[str, str]], regions: list[str]) -> list[ReportgenError]:
    """Mistakes that concern the selection without belonging to one of its reports
    (a missing data folder, a misnamed region folder)."""
    return [e.error for e in listing.errors
            if not any(e.concerns(*pair) for pair in pairs) and (not regions or e.slug in (None, *regions))]


def build_reports(paths: Paths, pairs: list[tuple[str, str]], formats: tuple[str, ...], jobs: int,
                  force: bool, done: Callable[[Outcome], None]) -> None:
    """Build the reports whose inputs changed since the manifest was written (all with
    ``force``), and record what each was made from; ``done`` hears of every report."""
    manifest, hashes = Manifest.load(paths.out), FileHashes()
    todo = []
    for slug, period_id in pairs:
        key = f"{period_id}/{slug}"
        outputs = [paths.out / period_id / f"{slug}.{fmt}" for fmt in formats]
        if not force and manifest.unchanged(key, outputs, hashes):
            done(Outcome(slug, period_id, written=outputs, skipped=True))
        else:
            todo.append((slug, period_id))

    def finished(outcome: Outcome) -> None:
        if outcome.ok:
            manifest.remember(outcome.key, outcome.inputs, outcome.written, hashes)
        else:
            manifest.forget(outcome.key)
        done(outcome)

    try:
        build_many(paths, todo, formats, jobs, finished)
    finally:
        if todo:
            manifest.save()


def output_path(out_dir: Path, report: Report, fmt: str) -> Path:
    """``OUT/<période>/<slug>.<format>``."""
    return out_dir / report.period_id / f"{report.slug}.{fmt}"


def build_report(report: Report, paths: Paths, brand: Brand, formats: tuple[str, ...]) -> Outcome:
    """Make one report's document and write it in each format; errors go in the Outcome."""
    outcome = Outcome(report.slug, report.period_id, inputs=_inputs(report, paths, brand))
    try:
        document = make_document(report, paths.layouts, brand.first_undrawable, paths.assets, outcome.warnings)
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


def _inputs(report: Report, paths: Paths, brand: Brand) -> list[Path]:
    """Every file the report is made from: its data, its layout, the brand, its picture."""
    picture = report.period.illustration
    return [*report.sources, layout_path(paths.layouts, report.period.layout), *brand.files(),
            *([paths.assets / picture.file] if picture else [])]


def build_one(paths: Paths, slug: str, period_id: str, formats: tuple[str, ...]) -> Outcome:
    """Read one report's files and build it: what a worker process runs."""
    started = time.perf_counter()
    brand = load_brand(paths.assets.resolve())
    catalog = load_catalog(paths.data, brand.first_undrawable, paths.assets, only={(slug, period_id)})
    report = next((r for r in catalog.reports if (r.slug, r.period_id) == (slug, period_id)), None)
    if report is None:
        outcome = Outcome(slug, period_id, errors=[e.error for e in catalog.errors if e.concerns(slug, period_id)])
    else:
        outcome = build_report(report, paths, brand, formats)
    outcome.warnings[:0] = [w.error for w in catalog.warnings if w.concerns(slug, period_id)]
    outcome.seconds = time.perf_counter() - started
    return outcome


def build_many(paths: Paths, pairs: list[tuple[str, str]], formats: tuple[str, ...], jobs: int,
               done: Callable[[Outcome], None]) -> None:
    """Build every (slug, period) pair, ``jobs`` at a time in worker processes (in this
    process when ``jobs`` is 1); ``done`` hears of each report as it finishes."""
    if jobs <= 1 or len(pairs) <= 1:
        for slug, period_id in pairs:
            done(build_one(paths, slug, period_id, formats))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(build_one, paths, slug, period_id, formats) for slug, period_id in pairs]
        for future in as_completed(futures):
            done(future.result())


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
        raise OutputError(f"impossible d’écrire dans ce dossier ({os_reason(error)})", Location(target.parent),
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
        raise OutputError(f"écriture impossible ({os_reason(error)})", Location(target)) from None
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
