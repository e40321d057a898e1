"""Form values into the data files, through the round trip that keeps everything else.

Only the keys of the field catalogue are written, one by one: a key the form does not know
(a comment, a key a newer reportgen reads) stays as it is. A value the person did not change
keeps its bytes, its quoting and its block style.
"""
from __future__ import annotations

import copy
import difflib
import json
import datetime as dt
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from ..data.fields import FieldSpec
from ..data.roundtrip import EditableFile, fingerprint, open_for_edit, save
from .forms import PARTS

__all__ = ["apply_values", "Candidate", "open_candidate", "save_candidate", "changes", "SaveLog"]


def apply_values(edit: EditableFile, specs: tuple[FieldSpec, ...], values: dict | None) -> None:
    """Write the catalogue's keys of ``values`` (a part of a submitted form) into ``edit``."""
    values = values or {}
    for spec in specs:
        if spec.kind == "section":
            continue
        value = _get(values, spec.path)
        if value is None and edit.get(spec.path) is None:
            continue
        edit.set(spec.path, value)
    for spec in specs:
        if spec.kind == "section" and not spec.required and edit.get(spec.path) == {}:
            edit.set(spec.path, None)


def _get(values: dict, path: tuple[str, ...]):
    node = values
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


@dataclass
class Candidate:
    """A report's two files as they would be with the submitted values."""
    region: EditableFile
    period: EditableFile

    def file(self, part: str) -> EditableFile:
        return self.region if part == "region" else self.period


def open_candidate(region_path: Path, period_path: Path, values: dict[str, dict] | None) -> Candidate:
    """Both files read from disk, with ``values`` (None: as they are) written in."""
    candidate = Candidate(_open(region_path), _open(period_path))
    if values is not None:
        for part, specs in PARTS.items():
            apply_values(candidate.file(part), specs, values.get(part))
    return candidate


_PARSED: dict[tuple[Path, str | None], EditableFile] = {}
_PARSED_LOCK = threading.Lock()


def _open(path: Path) -> EditableFile:
    """``open_for_edit``, parsed once per content: a change typed in the form costs a copy of
    the parsed file (about 1 ms) instead of a new parse (about 15 ms)."""
    key = (path, fingerprint(path))
    with _PARSED_LOCK:
        parsed = _PARSED.get(key)
    if parsed is None:
        parsed = open_for_edit(path)
        with _PARSED_LOCK:
            if len(_PARSED) > 256:
                _PARSED.clear()
            _PARSED[(path, parsed.fingerprint)] = parsed
    return replace(parsed, document=copy.deepcopy(parsed.document))


def save_candidate(candidate: Candidate, history: Path) -> list[Path]:
    """Save the files that changed (each keeping its previous version); the paths saved.

    Raises roundtrip's EditConflict when a file changed on disk since it was read.
    """
    return [edit.path for edit in (candidate.region, candidate.period) if save(edit, history)]


def changes(before: str, after: str, name: str, before_label: str, after_label: str) -> list[str]:
    """What differs between two texts of a file, as numbered lines (a unified diff)."""
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), f"{name} ({before_label})",
                                     f"{name} ({after_label})", lineterm="", n=1))


class SaveLog:
    """Who saved what, when: one JSON line per change, appended (the shared mode's journal)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._lock = threading.Lock()

    def record(self, who: str, action: str, files: list[Path], **details) -> None:
        if self.path is None:
            return
        line = json.dumps({"quand": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "qui": who,
                           "quoi": action, "fichiers": [str(f) for f in files], **details}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as journal:
                journal.write(line + "\n")
