"""Building reports: which ones, and writing each report's outputs safely.

A report that fails never stops the others, and never costs a previous good
output: both formats are written to temporary files in the same folder, flushed,
synced and checked; only when every format succeeded are they moved into place
with ``os.replace`` (atomic on the same file system), and the folder synced. An
unexpected exception while building one report is that report's failure.

One run at a time writes into an output folder (a lock file), so temporary files
found there are leftovers of a run that was killed, and are removed.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import time
import traceback
import zipfile
import zlib
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator

from .config import Paths
from .data.catalog import TO_FILL, Catalog, Report, load_catalog
from .errors import DataError, Location, OutputError, ReportgenError, ReportgenErrors, os_reason
from .files import fsync_folder, usual_mode
from .manifest import FileHashes, Manifest
from .published import ARCHIVE_DIR, PeriodState, archive, is_archived, period_state, restore

if TYPE_CHECKING:  # a run with nothing to build never loads the rendering stages
    from .brand import Brand
    from .model import Document
    from .writer_process import WriterProcess

__all__ = ["Outcome", "UnexpectedError", "selected_pairs", "general_errors", "build_reports", "build_report",
           "build_one", "build_many", "write_all_or_nothing", "output_path",
           "worker_count", "output_lock", "remove_leftovers", "unexpected", "limit_worker_memory",
           "MAX_JOBS_PER_CORE", "WORKER_MEMORY"]

#: ``-j`` is capped at this many workers per core (and at the number of reports to build).
MAX_JOBS_PER_CORE = 4
#: Address space a worker process may use: a runaway report fails alone, the machine stays up.
WORKER_MEMORY = 4 << 30


class UnexpectedError(ReportgenError):
    """A failure that is no user's mistake (a bug, a crashed worker); ``trace`` is the
    Python traceback, shown with ``--debug``."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "", trace: str = ""):
        super().__init__(message, location, hint)
        self.trace = trace

    def __reduce__(self):
        return (type(self), (self.message, self.location, self.hint, self.trace))


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
    #: Why a skipped report was left alone: "" (unchanged), "brouillon" or "publie".
    state: str = ""
    #: For a draft, how many values are still « À REMPLIR ».
    to_fill: int = 0
    #: For a failed report, whether its previous files are all still in place (None: not known).
    previous_kept: bool | None = None

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


def worker_count(jobs: int, reports: int) -> int:
    """How many worker processes to start: what was asked, but never more than the reports to
    build, nor more than MAX_JOBS_PER_CORE per core."""
    return max(1, min(jobs, reports, MAX_JOBS_PER_CORE * (os.cpu_count() or 1)))


def build_reports(paths: Paths, pairs: list[tuple[str, str]], formats: tuple[str, ...], jobs: int,
                  force: bool, done: Callable[[Outcome], None], *, drafts: bool = False,
                  republish: frozenset[str] = frozenset(), overwrite_edits: bool = False) -> list[ReportgenError]:
    """Build the reports whose inputs changed since the manifest was written (all with
    ``force``), and record what each was made from; ``done`` hears of every report.

    A draft (a period still « À REMPLIR ») is skipped with a warning unless ``drafts``; a
    published report is never rebuilt unless its key (``<période>/<slug>``) is in
    ``republish``; an output changed by hand since reportgen wrote it is never replaced
    unless ``overwrite_edits``.

    Returns the warnings that concern the whole run (a manifest that had to be rewritten).
    Raises OutputError when the output folder cannot be used at all (another run holds it).
    """
    with output_lock(paths.out):
        remove_leftovers(paths.out)
        manifest, hashes = Manifest.load(paths.out), FileHashes()
        warnings = [OutputError(manifest.problem, Location(manifest.path))] if manifest.problem else []
        states = {(slug, period_id): period_state(paths.data / slug / f"{period_id}.yaml", TO_FILL)
                  for slug, period_id in pairs}
        todo = []
        for slug, period_id in pairs:
            key, state = f"{period_id}/{slug}", states[(slug, period_id)]
            outputs = [paths.out / period_id / f"{slug}.{fmt}" for fmt in formats]
            settled = (_as_draft(slug, period_id, state, paths) if state.is_draft and not drafts else
                       _as_published(slug, period_id, state, paths, outputs) if key not in republish else None)
            settled = settled or _hand_edited(slug, period_id, outputs, manifest, hashes, overwrite_edits)
            if settled is None and not force and manifest.unchanged(key, outputs, hashes):
                settled = Outcome(slug, period_id, written=outputs, skipped=True)
            if settled is None:
                todo.append((slug, period_id))
            else:
                done(settled)

        def finished(outcome: Outcome) -> None:
            if outcome.ok:
                manifest.remember(outcome.key, outcome.inputs, outcome.written, hashes)
                state = states[(outcome.slug, outcome.period_id)]
                if state.published_on:
                    try:
                        archive(paths.out, outcome.key, state.published_on, outcome.written)
                    except OSError as error:
                        outcome.warnings.append(_archive_trouble(paths, error))
            else:
                outcome.previous_kept = all(path.exists() for path in _outputs_of(paths, outcome, formats))
                if not outcome.written:
                    manifest.forget(outcome.key)
            done(outcome)

        if todo:
            _load_brand(paths)
        with _pdf_process(paths, todo, formats, jobs) as pdf_process:  # the brand read, the data not yet
            if todo:
                _check_ministry(paths)
            try:
                build_many(paths, todo, formats, jobs, finished, drafts, pdf_process)
            finally:
                if todo or manifest.problem:
                    manifest.save()
    return warnings


def _pdf_process(paths: Paths, todo: list[tuple[str, str]], formats: tuple[str, ...], jobs: int):
    """A process that prepares the PDF writer while this one reads the report's data, when
    there is one report to make in both formats and two processes may run (see
    ``writer_process``). Started once the brand is loaded: the process inherits it."""
    if len(todo) != 1 or jobs < 2 or "pdf" not in formats or len(formats) < 2:
        return nullcontext()
    from .writer_process import WriterProcess
    return WriterProcess(lambda: _prepare_pdf(paths), _write_pdf_into)


def _prepare_pdf(paths: Paths) -> None:
    from .brand import load_brand
    from .writers.pdf import prepare
    limit_worker_memory()
    prepare(load_brand(paths.assets.resolve()))


def _write_pdf_into(temporary: Path, target: Path, document: Document, brand: Brand) -> None:
    _write_checked(temporary, target, _writer("pdf", document, brand), _check_pdf)


# What every report shares, the brand and ministere.yaml, is read once before any report is
# made (and only then: a run with nothing to make reads neither). A mistake in either
# concerns every report and stops the run with its errors.

def _load_brand(paths: Paths) -> None:
    from .brand import load_brand
    load_brand(paths.assets.resolve())


def _check_ministry(paths: Paths) -> None:
    shared = load_catalog(paths.data, only={("", "")})  # ministere.yaml alone
    errors = [e.error for e in shared.errors if e.slug is None and e.period_id is None]
    if errors:
        raise ReportgenErrors(errors)


def _outputs_of(paths: Paths, outcome: Outcome, formats: tuple[str, ...]) -> list[Path]:
    return [paths.out / outcome.period_id / f"{outcome.slug}.{fmt}" for fmt in formats]


def _as_draft(slug: str, period_id: str, state: PeriodState, paths: Paths) -> Outcome:
    """A draft left out of a full build, with the warning that says why and how to see it."""
    return Outcome(slug, period_id, skipped=True, state="brouillon", to_fill=state.to_fill, warnings=[DataError(
        f"brouillon non produit : {state.to_fill} valeur(s) encore « {TO_FILL} »",
        Location(paths.data / slug / f"{period_id}.yaml"),
        f"remplissez-les (reportgen check dit où), ou voyez le brouillon marqué « BROUILLON » avec "
        f"reportgen build --region {slug} --period {period_id}")])


def _as_published(slug: str, period_id: str, state: PeriodState, paths: Paths,
                  outputs: list[Path]) -> Outcome | None:
    """A published report left as published (its files kept, or put back from the copies
    kept); None when it must be built (the first time, into a folder that does not hold it)."""
    if not state.published_on:
        return None
    key = f"{period_id}/{slug}"
    outcome = Outcome(slug, period_id, written=outputs, skipped=True, state="publie")
    try:
        kept = [path for path in outputs if is_archived(paths.out, key, [path])]
        restore(paths.out, kept)
        present = [path for path in outputs if path.exists()]
        if not present:
            return None  # never built into this folder: built once, normally
        if not is_archived(paths.out, key, present):
            archive(paths.out, key, state.published_on, present)
    except OSError as error:
        outcome.warnings.append(_archive_trouble(paths, error))
        present = [path for path in outputs if path.exists()]
    outcome.warnings.extend(OutputError(
        "bilan publié dont ce format n’a jamais été produit : il n’est pas produit pour ne pas toucher aux "
        "fichiers publiés", Location(path), f"pour le produire avec les autres, relancez avec --republier {key}")
        for path in outputs if path not in present)
    outcome.written = present
    return outcome


def _archive_trouble(paths: Paths, error: OSError) -> OutputError:
    return OutputError(f"copie des fichiers publiés impossible ({os_reason(error)})", Location(paths.out / ARCHIVE_DIR),
                       "vérifiez la place libre et les droits sur ce dossier, puis relancez")


def _hand_edited(slug: str, period_id: str, outputs: list[Path], manifest: Manifest, hashes: FileHashes,
                 overwrite: bool) -> Outcome | None:
    """The failure of a report one of whose outputs was changed by hand since reportgen wrote
    it (never overwritten unless ``overwrite``); None when nothing would be lost."""
    key = f"{period_id}/{slug}"
    edited = [path for path in outputs if path.exists() and manifest.written_by_us(key, path)
              and not manifest.intact(key, path, hashes)]
    if not edited or overwrite:
        return None
    if manifest.same_inputs(key, outputs, hashes):  # nothing to redo: the edit is only told
        return Outcome(slug, period_id, written=outputs, skipped=True, warnings=[OutputError(
            "ce fichier a été modifié depuis que reportgen l’a écrit ; il est gardé tel quel", Location(path),
            "si la correction doit durer, reportez-la dans les données ou le gabarit") for path in edited])
    errors = [OutputError("ce fichier a été modifié depuis que reportgen l’a écrit : il n’est pas remplacé",
                          Location(path), f"gardez-le sous un autre nom (par exemple {path.stem}-corrige"
                          f"{path.suffix}) puis relancez, ou relancez avec --ecraser pour le remplacer")
              for path in edited]
    return Outcome(slug, period_id, errors=errors, previous_kept=True)


class output_lock:  # noqa: N801 (used as a context manager, like open)
    """Holds a lock on the output folder itself for the duration of a run (no file is left
    behind): one run at a time writes into an output folder. OutputError when another run
    holds it."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.handle: int | None = None

    def __enter__(self) -> output_lock:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.handle = os.open(self.out_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise OutputError(f"impossible d’écrire dans le dossier de sortie ({os_reason(error)})",
                              Location(self.out_dir), "vérifiez le dossier de sortie (--out) et vos droits "
                              "d’écriture") from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.handle)
            raise OutputError("une autre production est en cours dans ce dossier", Location(self.out_dir),
                              "attendez qu’elle se termine, puis relancez") from None
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.handle)  # closing releases the lock


def _leftovers(out_dir: Path) -> Iterator[Path]:
    """Temporary files a killed run left in the output folder."""
    yield from out_dir.glob(".*.tmp")                  # the manifest's
    yield from out_dir.glob("*/.*.tmp")                # the outputs', the fingerprints'
    yield from out_dir.glob(f"{ARCHIVE_DIR}/*/.*.tmp")  # the published copies'


def remove_leftovers(out_dir: Path) -> None:
    """Remove what a killed run left behind. Only called under ``output_lock``: no other run
    is writing there, so every temporary file is a leftover."""
    for path in _leftovers(out_dir):
        try:
            path.unlink()
        except OSError:
            pass


def output_path(out_dir: Path, report: Report, fmt: str) -> Path:
    """``OUT/<période>/<slug>.<format>``."""
    return out_dir / report.period_id / f"{report.slug}.{fmt}"


def build_report(report: Report, paths: Paths, brand: Brand, formats: tuple[str, ...],
                 pdf_process: WriterProcess | None = None) -> Outcome:
    """Make one report's document and write all its formats, or none; errors go in the Outcome.
    ``pdf_process`` writes the PDF, when given, while this process writes the rest."""
    from .document import make_document  # the rendering stages: only when a report is made

    outcome = Outcome(report.slug, report.period_id, inputs=_inputs(report, paths, brand))
    try:
        document = make_document(report, paths.layouts, brand.first_undrawable, paths.assets, outcome.warnings)
        targets = {output_path(paths.out, report, fmt): fmt for fmt in formats}
        elsewhere = {}
        if pdf_process and "pdf" in formats:
            target = output_path(paths.out, report, "pdf")
            temporary = _new_temporary(target)
            elsewhere[target] = (temporary, pdf_process.start(temporary, target, document, brand, output=target))
        write_all_or_nothing({target: (_writer(fmt, document, brand), _CHECKS[fmt])
                              for target, fmt in targets.items() if target not in elsewhere}, elsewhere)
        outcome.written.extend(targets)
    except ReportgenError as error:
        outcome.errors.append(error)
    finally:
        outcome.warnings.extend(_healed_caches(formats))
    return outcome


def _healed_caches(formats: tuple[str, ...]) -> list[ReportgenError]:
    """A warning for each damaged Word template cache file removed (and rebuilt) while writing."""
    if "docx" not in formats:
        return []
    from .writers.docx.template_cache import take_notices
    return [OutputError("modèle Word en cache abîmé : il a été supprimé et refait", Location(path))
            for path in take_notices()]


def _inputs(report: Report, paths: Paths, brand: Brand) -> list[Path]:
    """Every file the report is made from: its data, its layout, the brand, its picture."""
    from .layout import layout_path
    picture = report.period.illustration
    return [*report.sources, layout_path(paths.layouts, report.period.layout), *brand.files(),
            *([paths.assets / picture.file] if picture else [])]


def build_one(paths: Paths, slug: str, period_id: str, formats: tuple[str, ...], drafts: bool = False,
              pdf_process: WriterProcess | None = None) -> Outcome:
    """Read one report's files and build it (a draft with its « BROUILLON » mark when
    ``drafts``): what a worker process runs. Never raises: an unexpected exception is the
    report's failure (``UnexpectedError``)."""
    started = time.perf_counter()
    try:
        from .brand import load_brand
        brand = load_brand(paths.assets.resolve())
        catalog = load_catalog(paths.data, brand.first_undrawable, paths.assets, only={(slug, period_id)},
                               drafts=drafts)
        report = next((r for r in catalog.reports if (r.slug, r.period_id) == (slug, period_id)), None)
        if report is None:
            outcome = Outcome(slug, period_id, errors=[e.error for e in catalog.errors if e.concerns(slug, period_id)])
        else:
            outcome = build_report(report, paths, brand, formats, pdf_process)
        outcome.warnings[:0] = [w.error for w in catalog.warnings if w.concerns(slug, period_id)]
    except ReportgenError as error:
        outcome = Outcome(slug, period_id, errors=[error])
    except Exception as error:  # a bug of ours, or trouble no check foresaw: this report only
        outcome = Outcome(slug, period_id, errors=[unexpected(f"{period_id}/{slug}", error)])
    outcome.seconds = time.perf_counter() - started
    return outcome


def unexpected(key: str, error: BaseException) -> UnexpectedError:
    """The failure of report ``key`` (``<période>/<slug>``) on an exception nobody expected."""
    return UnexpectedError(f"erreur inattendue en produisant {key} ({type(error).__name__} : {error})",
                           hint="relancez avec --debug pour la trace, et signalez-la à l’équipe",
                           trace="".join(traceback.format_exception(error)))


def build_many(paths: Paths, pairs: list[tuple[str, str]], formats: tuple[str, ...], jobs: int,
               done: Callable[[Outcome], None], drafts: bool = False,
               pdf_process: WriterProcess | None = None) -> None:
    """Build every (slug, period) pair in worker processes (in this process when one worker
    is enough; see ``worker_count``); ``done`` hears of each report as it finishes, even of
    one whose worker died. ``pdf_process``, for one report, writes its PDF."""
    workers = worker_count(jobs, len(pairs))
    if workers <= 1:
        for slug, period_id in pairs:
            done(build_one(paths, slug, period_id, formats, drafts, pdf_process))
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=workers, initializer=limit_worker_memory) as pool:
        futures = {pool.submit(build_one, paths, slug, period_id, formats, drafts): (slug, period_id)
                   for slug, period_id in pairs}
        for future in as_completed(futures):
            slug, period_id = futures[future]
            try:
                outcome = future.result()
            except BrokenProcessPool as error:
                outcome = Outcome(slug, period_id, errors=[UnexpectedError(
                    f"le processus qui produisait {period_id}/{slug} s’est arrêté brutalement "
                    "(mémoire épuisée ou processus tué)", hint="relancez ; si cela se répète, relancez avec "
                    "-j 1 --debug et signalez-le à l’équipe", trace="".join(traceback.format_exception(error)))])
            except Exception as error:
                outcome = Outcome(slug, period_id, errors=[unexpected(f"{period_id}/{slug}", error)])
            done(outcome)


def limit_worker_memory() -> None:
    """Cap this (worker) process's address space at WORKER_MEMORY, unless it is lower already."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = WORKER_MEMORY if hard == resource.RLIM_INFINITY else min(WORKER_MEMORY, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # a system without the limit: the sandbox's own bounds still hold


def _writer(fmt: str, document: Document, brand: Brand) -> Callable[[BinaryIO], None]:
    # Imported here: a command that writes only one format never loads the other library.
    if fmt == "pdf":
        from .writers.pdf import write_pdf
        return lambda stream: write_pdf(document, brand, stream)
    from .writers.docx import write_docx
    return lambda stream: write_docx(document, brand, stream)


Writer = Callable[[BinaryIO], None]
#: What is wrong with a file just written (None: nothing).
Check = Callable[[Path], "str | None"]


def write_all_or_nothing(targets: dict[Path, tuple[Writer, Check]],
                         elsewhere: dict[Path, tuple[Path, Callable[[], None]]] | None = None) -> None:
    """Write every target through a checked, synced temporary file beside it, then move them
    all into place; if any fails, none of the old files is touched. The files take the
    permissions of any file the user makes (0644 under umask 022).

    ``elsewhere`` maps the targets another process is writing to their temporary file (made
    here, so that it goes whatever becomes of that process) and to the function that waits
    for that process (and raises its failure)."""
    elsewhere = elsewhere or {}
    temporaries = {target: temporary for target, (temporary, _) in elsewhere.items()}
    try:
        for target, (write, check) in targets.items():
            temporaries[target] = _written_temporary(target, write, check)
        for _, finished in elsewhere.values():
            finished()
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"écriture impossible ({os_reason(error)})", Location(next(iter(temporaries)))) from None
    finally:
        for _, finished in elsewhere.values():  # this process failed first: wait for the other
            with suppress(ReportgenError, OSError):
                finished()
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
    for folder in {target.parent for target in temporaries}:
        fsync_folder(folder)


def _written_temporary(target: Path, write: Writer, check: Check) -> Path:
    """A temporary file beside ``target`` holding what ``write`` wrote, synced and checked."""
    temporary = _new_temporary(target)
    _write_checked(temporary, target, write, check)
    return temporary


def _new_temporary(target: Path) -> Path:
    """A new, empty temporary file beside ``target`` (named so that ``remove_leftovers`` knows it)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"impossible d’écrire dans ce dossier ({os_reason(error)})", Location(target.parent),
                          "vérifiez le dossier de sortie (--out) et vos droits d’écriture") from None
    os.close(handle)
    return Path(name)


def _write_checked(temporary: Path, target: Path, write: Writer, check: Check) -> None:
    """Fill ``temporary`` (for ``target``) with what ``write`` writes, synced and checked; on
    any failure it is removed and the failure is ``target``'s OutputError."""
    try:
        with temporary.open("wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, usual_mode())
        problem = check(temporary)
        if problem:
            raise OutputError(problem, Location(target), "relancez ; si cela se répète, relancez avec --debug "
                              "et signalez-le à l’équipe")
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, ReportgenError):
            raise
        if isinstance(error, OSError):
            raise OutputError(f"écriture impossible ({os_reason(error)})", Location(target),
                              "libérez de la place ou vérifiez vos droits, puis relancez") from None
        if isinstance(error, Exception):
            raise OutputError(f"le document n’a pas pu être produit ({type(error).__name__} : {error})",
                              Location(target), "relancez avec --debug et signalez le problème") from error
        raise


def _check_pdf(path: Path) -> str | None:
    with path.open("rb") as stream:
        head = stream.read(5)
        stream.seek(max(0, path.stat().st_size - 1024))
        tail = stream.read()
    return None if head == b"%PDF-" and b"%%EOF" in tail else "le PDF produit est incomplet"


#: The entries a Word file's check reads back in full: those made for the report. The others
#: (fonts, styles, headers) are copied byte for byte from the brand's template, checked when it
#: was loaded; the archive's directory, read from the file's end, shows the file is whole.
_OWN_DOCX_ENTRIES = ("[Content_Types].xml", "word/document.xml", "docProps/core.xml")


def _check_docx(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in _OWN_DOCX_ENTRIES:
                archive.read(name)  # checks the entry's CRC
    except KeyError:
        return "le fichier Word produit est incomplet"
    except (zipfile.BadZipFile, zlib.error):
        return "le fichier Word produit est illisible"
    return None


_CHECKS = {"pdf": _check_pdf, "docx": _check_docx}
