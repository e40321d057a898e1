"""Published reports: the files as published, kept where no build can touch them.

A period marked ``publie: AAAA-MM-JJ`` is frozen. The first time its files are in the
output folder (built, or already there), a read-only copy of each goes to
``OUT/publies/<période>/<région>.<format>`` and its SHA-256 to
``OUT/publies/empreintes.json``. ``build`` never rebuilds a published report unless it
is named with ``--republier``; ``reportgen verifier`` says when a published file (the
copy kept, or the one in ``OUT/<période>/``) no longer matches its fingerprint.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Iterable

from .data.yamlfile import read_yaml, texts_in
from .errors import ReportgenError
from .files import replace_atomically
from .manifest import file_sha256

__all__ = ["ARCHIVE_DIR", "FINGERPRINTS", "PUBLISHED_KEY", "PeriodState", "period_state", "published_on", "archived_path", "is_archived",
           "archive", "restore", "fingerprint_problems"]

#: The period key that marks a report published and frozen (``publie: 2021-09-15``).
PUBLISHED_KEY = "publie"
#: The folder, inside the output folder, that keeps published files.
ARCHIVE_DIR = "publies"
FINGERPRINTS = "empreintes.json"


class PeriodState:
    """What a period file says of its report's life: the places still to fill (a draft)
    and the day it was published (frozen), read without validating the whole file."""

    def __init__(self, to_fill: int = 0, published_on: dt.date | None = None):
        self.to_fill = to_fill
        self.published_on = published_on

    @property
    def is_draft(self) -> bool:
        return self.to_fill > 0


def period_state(path: Path, marker: str) -> PeriodState:
    """The state of the period file at ``path`` (``marker`` is « À REMPLIR »); a file that
    cannot be read is neither draft nor published (building it reports its mistakes)."""
    try:
        if not _may_say_so(path.read_bytes(), marker):
            return PeriodState()  # most files: nothing to fill, not published, no parsing needed
        data = read_yaml(path).data
    except (ReportgenError, OSError):
        return PeriodState()
    if not isinstance(data, dict):
        return PeriodState()
    return PeriodState(sum(marker in text for _, text in texts_in(data)), published_on(data))


def _may_say_so(raw: bytes, marker: str) -> bool:
    """Whether a file's bytes hold the marker or the published key anywhere (a comment
    included): only then does its state need the YAML read (a no-op run of a thousand
    reports would otherwise parse a thousand files)."""
    return marker.encode("utf-8") in raw or PUBLISHED_KEY.encode("ascii") in raw


def published_on(period_data) -> dt.date | None:
    """The day a period's data (as read from its file) says it was published, or None:
    the one test of « published » for the build, the atelier and the spreadsheet import."""
    published = period_data.get(PUBLISHED_KEY) if isinstance(period_data, dict) else None
    try:
        return dt.date.fromisoformat(str(published)) if published is not None else None
    except ValueError:
        return None


def archived_path(out_dir: Path, output: Path) -> Path:
    """Where the published copy of ``output`` (``OUT/<période>/<fichier>``) is kept."""
    return out_dir / ARCHIVE_DIR / output.parent.name / output.name


def _fingerprints_path(out_dir: Path) -> Path:
    return out_dir / ARCHIVE_DIR / FINGERPRINTS


def _read_fingerprints(out_dir: Path) -> dict:
    try:
        data = json.loads(_fingerprints_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_archived(out_dir: Path, key: str, outputs: list[Path]) -> bool:
    """Whether every one of ``outputs`` of report ``key`` has its published copy kept."""
    files = _read_fingerprints(out_dir).get(key, {}).get("fichiers", {})
    return all(output.name in files and archived_path(out_dir, output).is_file() for output in outputs)


def archive(out_dir: Path, key: str, published_on: dt.date | None, outputs: list[Path]) -> None:
    """Keep a read-only copy of each of ``outputs`` of report ``key`` as published, with
    its fingerprint (replacing an earlier copy: ``--republier``)."""
    fingerprints = _read_fingerprints(out_dir)
    record = fingerprints.setdefault(key, {"fichiers": {}})
    record["publie"] = published_on.isoformat() if published_on else None
    for output in outputs:
        data = output.read_bytes()
        replace_atomically(archived_path(out_dir, output), data, mode=0o444)
        record["fichiers"][output.name] = hashlib.sha256(data).hexdigest()
    _write_fingerprints(out_dir, fingerprints)


def _write_fingerprints(out_dir: Path, fingerprints: dict) -> None:
    text = json.dumps(fingerprints, ensure_ascii=False, indent=1, sort_keys=True)
    replace_atomically(_fingerprints_path(out_dir), text.encode("utf-8"), mode=0o644)


def restore(out_dir: Path, outputs: list[Path]) -> list[Path]:
    """Put back, from the published copies, those of ``outputs`` that are missing; the files
    put back."""
    restored = []
    for output in outputs:
        if not output.exists():
            replace_atomically(output, archived_path(out_dir, output).read_bytes())
            restored.append(output)
    return restored


def fingerprint_problems(out_dir: Path, periods: Iterable[str] = (), regions: Iterable[str] = ()) -> list[str]:
    """A French sentence for each published file (kept copy or output) that no longer
    matches its fingerprint, or is missing; only for the given periods and regions, if any."""
    periods, regions = set(periods), set(regions)
    problems = []
    for key, record in sorted(_read_fingerprints(out_dir).items()):
        period, _, slug = key.partition("/")
        if (periods and period not in periods) or (regions and slug not in regions):
            continue
        for name, expected in sorted((record.get("fichiers") or {}).items()):
            for path in (out_dir / ARCHIVE_DIR / period / name, out_dir / period / name):
                actual = file_sha256(path)
                if actual is None:
                    problems.append(f"{path} : fichier publié introuvable")
                elif actual != expected:
                    problems.append(f"{path} : ne correspond plus au fichier publié le {record.get('publie')} "
                                    "(empreinte différente)")
    return problems
