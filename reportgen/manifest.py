"""The manifest of an output folder: what each report was made from, and what it wrote.

For every report it records its input files (data files, layout, brand tokens,
fonts, pictures) and, for each output, one fingerprint of those files' contents
with reportgen's version, and the output's size and modification time. A report
whose inputs hash the same and whose outputs are still there untouched is skipped
without even reading its data.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

__all__ = ["MANIFEST_FILE", "Manifest", "FileHashes"]

MANIFEST_FILE = ".reportgen-manifeste.json"


class FileHashes:
    """SHA-256 of files, each read once per run (fonts are shared by every report)."""

    def __init__(self):
        self._known: dict[str, str] = {}

    def __call__(self, path: str | Path) -> str | None:
        key = str(path)
        if key not in self._known:
            try:
                with open(key, "rb") as stream:
                    self._known[key] = hashlib.file_digest(stream, "sha256").hexdigest()
            except OSError:
                return None
        return self._known[key]


def _stamp(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def _fingerprint(names: list[str], hashes: FileHashes) -> str:
    """One hash for a set of input files (and reportgen's version); a missing file counts too."""
    digest = hashlib.sha256(__version__.encode())
    for name in names:
        digest.update(f"{name}\0{hashes(name)}\0".encode())
    return digest.hexdigest()


@dataclass
class Manifest:
    """Records by report key (``<période>/<slug>``), read from and saved to ``OUT/``."""
    path: Path
    records: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest; an absent or unreadable one is empty (everything rebuilds)."""
        path = out_dir / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records = data["bilans"] if data.get("version") == __version__ else {}
        except (OSError, ValueError, KeyError, TypeError):
            records = {}
        return cls(path, records)

    def unchanged(self, key: str, outputs: list[Path], hashes: FileHashes) -> bool:
        """Whether each of ``outputs`` is still there as written, from inputs that still hash
        the same as when it was written."""
        record = self.records.get(key)
        if not record:
            return False
        current = _fingerprint(record["entrees"], hashes)
        return all(record["sorties"].get(str(path)) == {"empreinte": current, "fichier": _stamp(path)}
                   for path in outputs)

    def remember(self, key: str, inputs: list[Path], outputs: list[Path], hashes: FileHashes) -> None:
        """Record that ``outputs`` were just written from ``inputs``."""
        names = sorted(set(map(str, inputs)))
        fingerprint = _fingerprint(names, hashes)
        previous = self.records.get(key, {}).get("sorties", {})
        self.records[key] = {"entrees": names, "sorties": {
            **previous, **{str(path): {"empreinte": fingerprint, "fichier": _stamp(path)} for path in outputs}}}

    def forget(self, key: str) -> None:
        self.records.pop(key, None)

    def save(self) -> None:
        """Write the manifest atomically. If the folder cannot take it, the outputs said so
        already; without a manifest the next run simply rebuilds everything."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".manifeste.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"version": __version__, "bilans": self.records}, stream, ensure_ascii=False,
                          indent=1, sort_keys=True)
            os.replace(temporary, self.path)
        except OSError:
            pass
