"""The built Word template of a brand, kept on disk between processes.

Building it (styles, band image, embedded fonts) takes about half a second; a cold
``reportgen build`` of one report would spend most of its time there. The cache
key covers everything the template is made of, and nothing of where the project
lives: the brand tokens, the contents of the brand's files, the writer's own code,
and the versions of reportgen and python-docx. At most ``KEEP`` templates are kept,
the least recently used removed first, in ``config.cache_dir()``. A cache that cannot be
read or written is simply not used, and one that is damaged is removed (and rebuilt by the
caller); ``take_notices`` tells that once.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import docx

from ... import __version__
from ...brand import Brand
from ...config import cache_dir

__all__ = ["load", "save", "take_notices"]

#: Damaged cache files removed by this process since the last ``take_notices``.
_removed: list[Path] = []


def take_notices() -> list[Path]:
    """The damaged cache files removed since the last call (each told once)."""
    removed = list(_removed)
    _removed.clear()
    return removed


#: Templates kept at most (one per brand and version of the program): the oldest used go first.
KEEP = 8


def _path(brand: Brand) -> Path:
    # The key is what the template is made of, never where the project lives: a copied or
    # moved project folder finds its template again.
    tokens = brand.model_dump_json(exclude={"assets_dir"})
    digest = hashlib.sha256(f"{__version__}\0{docx.__version__}\0{tokens}".encode())
    for file in brand.files():
        digest.update(file.read_bytes())
    for source in sorted(Path(__file__).parent.glob("*.py")):  # the code that builds the template
        digest.update(source.read_bytes())
    return cache_dir() / f"modele-word-{digest.hexdigest()[:32]}.zip"


def load(brand: Brand):
    """The cached template of ``brand``, or None. A damaged cache file is removed: reading an
    entry checks its CRC-32, so a file cut short or with a changed byte is found without
    reading the template's own archives through."""
    from . import Template
    path = _path(brand)
    try:
        os.utime(path)  # used now: the last to be pruned
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read("meta.json"))
            template = Template(archive.read("modele.docx"), archive.read("fixe.zip"), frozenset(meta["fixes"]),
                                dict(meta["styles"]), archive.read("signature.png"), float(meta["largeur_signature"]))
        if not template.signature_png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("image abîmée")
        return template
    except FileNotFoundError:
        return None
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile):
        _remove_damaged(path)
        return None


def _remove_damaged(path: Path) -> None:
    try:
        path.unlink()
        _removed.append(path)
    except OSError:
        pass


def save(brand: Brand, template) -> None:
    """Keep ``template`` for later processes (atomically; silently skipped if impossible)."""
    try:
        target = _path(brand)
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("modele.docx", template.package)
            archive.writestr("fixe.zip", template.static_zip)
            archive.writestr("signature.png", template.signature_png)
            archive.writestr("meta.json", json.dumps({"fixes": sorted(template.static_names),
                                                      "styles": template.style_ids,
                                                      "largeur_signature": template.signature_width}))
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(stream.getvalue())
        os.replace(temporary, target)
        _prune(target.parent)
    except OSError:
        pass


def _prune(folder: Path, keep: int = KEEP) -> None:
    """At most ``keep`` templates in the cache: each is 2.5 MB, and every change of brand or
    version of the program makes a new one."""
    templates = sorted(folder.glob("modele-word-*.zip"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in templates[keep:]:
        old.unlink(missing_ok=True)
