"""Which data a layout used while rendering a report, and what it left out.

A period file may give what its layout never prints (a quote for a layout without
one, projects for the communiqué): nothing fails, and the data silently vanishes from
the report. The layout's context is watched while it renders: every key the layout
reads is noted, and each value of the period file it never read becomes a warning
naming the key and the layout.
"""
from __future__ import annotations

from pathlib import Path

from .data.catalog import Report
from .errors import DataError

__all__ = ["watched", "unused_data"]

#: Where each part of a period file reaches the layout, when not under the same name.
_CONTEXT_PATH = {"publication": ("periode", "publication"), "au": ("periode", "au"),
                 "journees_quebec_virtuelles_depuis": ("periode", "journees_quebec_virtuelles_depuis")}
#: Parts a layout may print in another shape: a quote's text, paragraph by paragraph.
_ALSO_READ_AS = {("citation", "texte"): ("citation", "paragraphes")}
#: Keys that choose how the report is made rather than what it prints (``remplacements``
#: reaches the layout as its parts' text, not as variables; ``publie`` freezes the report).
_NOT_PRINTED = {"gabarit", "publie", "remplacements"}


class _WatchedDict(dict):
    """A context mapping that notes each key a layout reads."""

    def __init__(self, values: dict, path: tuple, seen: set):
        super().__init__({key: watched(value, path + (key,), seen) for key, value in values.items()})
        self._path, self._seen = path, seen

    def __getitem__(self, key):
        self._seen.add(self._path + (key,))
        return super().__getitem__(key)


class _WatchedList(list):
    """A context list that notes when a layout goes through it."""

    def __init__(self, values: list, path: tuple, seen: set):
        super().__init__(watched(value, path + (index,), seen) for index, value in enumerate(values))
        self._path, self._seen = path, seen

    def __iter__(self):
        self._seen.add(self._path)
        return super().__iter__()

    def __getitem__(self, index):
        self._seen.add(self._path)
        return super().__getitem__(index)


def watched(value, path: tuple, seen: set):
    """``value`` (a layout's context, or part of it) with every read noted in ``seen``;
    a mapping of its own kind watches itself through its ``watched`` method."""
    if hasattr(value, "watched"):
        return value.watched(path, seen)
    if type(value) is dict:
        return _WatchedDict(value, path, seen)
    if type(value) is list:
        return _WatchedList(value, path, seen)
    return value


def unused_data(report: Report, layout: Path, seen: set) -> list[DataError]:
    """A warning for each value of the period file that the layout never read."""
    warnings = []
    for key, value in report.period_file.data.items():
        if key in _NOT_PRINTED or value is None:
            continue
        parts = list(value) if isinstance(value, dict) else [None]
        missing = [part for part in parts if not _was_read(key, part, seen)]
        if len(missing) == len(parts):
            warnings.append(_warning(report, (key,), key, layout))
        else:
            warnings.extend(_warning(report, (key, part), f"{key}.{part}", layout) for part in missing)
    return warnings


def _was_read(key: str, part: str | None, seen: set) -> bool:
    path = _CONTEXT_PATH.get(key, (key,)) + ((part,) if part is not None else ())
    paths = [path, _ALSO_READ_AS.get((key, part))]
    return any(read[:len(p)] == p for p in paths if p for read in seen)


def _warning(report: Report, key_path: tuple, name: str, layout: Path) -> DataError:
    return DataError(f"donnée jamais imprimée : le gabarit « {layout.stem} » n’utilise pas « {name} »",
                     report.period_file.locate(key_path),
                     f"retirez-la, ou choisissez un gabarit qui l’imprime (clé gabarit), ou ajoutez-la "
                     f"au gabarit {layout.name}")
