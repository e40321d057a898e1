"""The manifest of an output folder: what each report was made from, and what it wrote.

For every report it records its input files (data files, layout, brand tokens,
fonts, pictures), named relative to the output folder so that a copied or moved
project keeps its meaning, and for each output: one fingerprint of those inputs'
contents with reportgen's version, the output's own SHA-256, and its size and
modification time. A report whose inputs hash the same and whose outputs are still
the files written is skipped without even reading its data.

A manifest that cannot be read, is malformed or comes from another format is
ignored (everything rebuilds) and rewritten; ``Manifest.problem`` says why, once.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .files import replace_atomically

__all__ = ["MANIFEST_FILE", "Manifest", "FileHashes", "file_sha256"]

MANIFEST_FILE = ".reportgen-manifeste.json"
#: Bumped when the manifest's shape changes; a manifest of another format is ignored.
FORMAT = 2


class FileHashes:
    """SHA-256 of files, each read once per run (fonts are shared by every report)."""

    def __init__(self):
        self._known: dict[str, str | None] = {}

    def __call__(self, path: str | Path) -> str | None:
        key = str(path)
        if key not in self._known:
            self._known[key] = file_sha256(Path(key))
        return self._known[key]

    def forget(self, path: str | Path) -> None:
        """Drop what is known of ``path`` (it was just rewritten)."""
        self._known.pop(str(path), None)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's contents, or None if it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def _stamp(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def _fingerprint(names: list[str], base: Path, hashes: FileHashes) -> str:
    """One hash for a set of input files (and reportgen's version); a missing file counts too."""
    digest = hashlib.sha256(__version__.encode())
    for name in names:
        digest.update(f"{name}\0{hashes(base / name)}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _relative(path: Path, base: Path) -> str:
    return _relative_text(os.fspath(path), os.fspath(base))


@functools.lru_cache(maxsize=65536)
def _relative_text(path: str, base: str) -> str:
    """``path`` relative to ``base`` (each output is named several times in a run: once is enough)."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(base))


def _well_formed(data: object) -> bool:
    """Whether ``data`` has the shape this version writes (anything else is ignored)."""
    if not (isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("bilans"), dict)):
        return False
    for record in data["bilans"].values():
        if not (isinstance(record, dict) and isinstance(record.get("entrees"), list)
                and all(isinstance(name, str) for name in record["entrees"])
                and isinstance(record.get("sorties"), dict)
                and all(isinstance(out, dict) for out in record["sorties"].values())):
            return False
    return True


@dataclass
class Manifest:
    """Records by report key (``<période>/<slug>``), read from and saved to ``OUT/``.

    ``problem`` is None, or a French sentence saying why the file on disk was ignored.
    """
    path: Path
    records: dict[str, dict] = field(default_factory=dict)
    problem: str | None = None

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest; an absent one is empty, an unreadable or malformed one is
        empty with its ``problem`` told (everything rebuilds, and the file is rewritten)."""
        path = out_dir / MANIFEST_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except UnicodeDecodeError:
            text = ""
        except OSError:
            return cls(path, problem="manifeste illisible : il est ignoré et sera réécrit")
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not _well_formed(data):
            return cls(path, problem="manifeste abîmé ou d’une autre version : il est ignoré et sera réécrit "
                                     "(tous les bilans concernés sont refaits)")
        return cls(path, data["bilans"])

    @property
    def base(self) -> Path:
        """The output folder, which every path in the manifest is relative to."""
        return self.path.parent

    def unchanged(self, key: str, outputs: list[Path], hashes: FileHashes) -> bool:
        """Whether each of ``outputs`` is still there as written, from inputs that still hash
        the same as when it was written."""
        return self.same_inputs(key, outputs, hashes) and all(self.intact(key, path, hashes) for path in outputs)

    def same_inputs(self, key: str, outputs: list[Path], hashes: FileHashes) -> bool:
        """Whether each of ``outputs`` was written from inputs that still hash the same."""
        record = self.records.get(key)
        if not record:
            return False
        current = _fingerprint(record["entrees"], self.base, hashes)
        return all(self._output(record, path).get("empreinte") == current for path in outputs)

    def intact(self, key: str, output: Path, hashes: FileHashes) -> bool:
        """Whether ``output`` is the very file reportgen wrote (its contents hash the same)."""
        entry = self._output(self.records.get(key, {}), output)
        if not entry or _stamp(output) is None:
            return False
        if entry.get("fichier") == _stamp(output):
            return True
        return entry.get("sha256") is not None and hashes(output) == entry["sha256"]

    def written_by_us(self, key: str, output: Path) -> bool:
        """Whether the manifest knows ``output`` as a file reportgen wrote for ``key``."""
        return bool(self._output(self.records.get(key, {}), output))

    def _output(self, record: dict, path: Path) -> dict:
        entry = record.get("sorties", {}).get(_relative(path, self.base))
        return entry if isinstance(entry, dict) else {}

    def remember(self, key: str, inputs: list[Path], outputs: list[Path], hashes: FileHashes) -> None:
        """Record that ``outputs`` were just written from ``inputs``."""
        names = sorted({_relative(path, self.base) for path in inputs})
        fingerprint = _fingerprint(names, self.base, hashes)
        previous = self.records.get(key, {}).get("sorties", {})
        for path in outputs:
            hashes.forget(path)
        self.records[key] = {"entrees": names, "sorties": {
            **previous, **{_relative(path, self.base): {"empreinte": fingerprint, "sha256": hashes(path),
                                                         "fichier": _stamp(path)} for path in outputs}}}

    def forget(self, key: str) -> None:
        self.records.pop(key, None)

    def save(self) -> None:
        """Write the manifest atomically. If the folder cannot take it, the outputs said so
        already; without a manifest the next run simply rebuilds everything."""
        try:
            text = json.dumps({"format": FORMAT, "version": __version__, "bilans": self.records},
                              ensure_ascii=False, indent=1, sort_keys=True)
            replace_atomically(self.path, text.encode("utf-8"))
        except OSError:
            pass
