"""Changing a data file the way a careful person would: only what changed.

The YAML files stay the source of truth, kept by people in text editors too. Whoever
writes them for a person (the atelier, the spreadsheet import) goes through here:
ruamel.yaml's round trip keeps comments, key order, quoting, flow lists and untouched
lines as they were; a Windows file keeps its line endings and byte order mark. A save
is atomic, refuses to overwrite a file that changed on disk since it was read, and keeps
the previous version in a history folder where it can be listed and restored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import DataError, Location, OutputError, os_reason
from ..files import replace_atomically

__all__ = ["EditableFile", "EditConflict", "open_for_edit", "open_new", "fingerprint", "save", "Version",
           "versions", "restore"]

KeyPath = tuple[str | int, ...]
_BOM = "\ufeff"


class EditConflict(DataError):
    """The file changed on disk since it was read (another person, a text editor);
    ``current`` is what it holds now, so the person can see what changed."""

    def __init__(self, path: Path, current: str | None):
        super().__init__("ce fichier a été modifié par quelqu’un d’autre depuis son ouverture", Location(path),
                         "rouvrez-le pour voir ses changements, puis refaites les vôtres")
        self.current = current


@dataclass
class EditableFile:
    """A data file read for changing: its values as ruamel keeps them, and how it was written."""
    path: Path
    document: CommentedMap
    fingerprint: str | None      # of the bytes read; None when the file did not exist
    original: str                # the text read ("" for a new file)
    yaml: YAML
    newline: str = "\n"
    bom: bool = False

    def get(self, key_path: KeyPath, default: Any = None) -> Any:
        """The value at ``key_path``, or ``default`` when any part of it is missing."""
        node: Any = self.document
        for part in key_path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    def set(self, key_path: KeyPath, value: Any) -> None:
        """Put ``value`` at ``key_path``, creating sections on the way; None removes the key.

        Only what differs is touched: a list or section given again keeps its comments and
        style where its items are unchanged, and a scalar keeps its quoting or block style.
        """
        *parents, last = key_path
        if value is None:
            container = self.get(tuple(parents))
            if isinstance(container, dict):
                container.pop(last, None)
            return
        container = self.document
        for part in parents:
            if part not in container or not isinstance(container[part], (dict, list)):
                container[part] = CommentedMap()
            container = container[part]
        container[last] = _merged(container[last] if _has(container, last) else None, value)

    def text(self) -> str:
        """The file's text as it would be saved."""
        if not self.document:
            return ""
        buffer = io.StringIO()
        self.yaml.dump(self.document, buffer)
        text = buffer.getvalue()
        if text == _normalized(self.original):
            text = self.original  # nothing changed: not even the line endings
        elif self.newline != "\n":
            text = text.replace("\n", self.newline)
        return (_BOM + text) if self.bom and not text.startswith(_BOM) else text

    @property
    def changed(self) -> bool:
        return self.text() != self.original


def _has(container: Any, key: str | int) -> bool:
    return key in container if isinstance(container, dict) else 0 <= key < len(container)


def _merged(old: Any, new: Any) -> Any:
    """``new`` written into ``old``'s place, keeping ``old``'s comments and style where it can."""
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merged(old.get(key), value)
        return old
    if isinstance(new, (list, tuple)) and isinstance(old, CommentedSeq) and len(old) == len(new):
        for index, value in enumerate(new):
            old[index] = _merged(old[index], value)
        return old
    if isinstance(new, (list, tuple)):
        seq = CommentedSeq(_merged(None, value) for value in new)
        if isinstance(old, CommentedSeq) and old.fa.flow_style() and all(isinstance(v, str) for v in new):
            seq.fa.set_flow_style()
        return seq
    if isinstance(new, dict):
        return CommentedMap((key, _merged(None, value)) for key, value in new.items())
    return _scalar(old, new)


def _scalar(old: Any, new: Any) -> Any:
    """A scalar as YAML should hold it: whole numbers typed as digits stay numbers (73, not
    '73'), a text keeps its block style, and a text of several lines becomes a block."""
    if isinstance(new, str):
        if new.isascii() and new.isdigit() and not (len(new) > 1 and new.startswith("0")):
            return int(new)
        if old is not None and str(old) == new:
            return old
        if isinstance(old, (FoldedScalarString, LiteralScalarString)) or "\n" in new:
            return LiteralScalarString(new) if "\n" in new else FoldedScalarString(new)
    return new


def _normalized(text: str) -> str:
    return text.removeprefix(_BOM).replace("\r\n", "\n")


def _round_trip_yaml(text: str) -> YAML:
    """A round-trip YAML that writes lists and sections indented as ``text`` has them."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096                      # never re-wrap a long line someone typed
    yaml.allow_unicode = True
    sequence, offset = 4, 2                # the project's own style: "  - item" under its key
    if text.strip():
        _, guessed, guessed_offset = load_yaml_guess_indent(text)
        sequence, offset = guessed or sequence, guessed_offset if guessed_offset is not None else offset
    nested = [len(m.group(1)) for m in _NESTED_KEY.finditer(text)]
    yaml.indent(mapping=min(nested, default=2), sequence=max(sequence, offset + 2), offset=offset)
    return yaml


_NESTED_KEY = re.compile(r"^( +)[^\s#-][^:\n]*:", re.MULTILINE)


def fingerprint(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def open_for_edit(path: Path) -> EditableFile:
    """Read ``path`` for changing (an empty document when it does not exist yet).

    The file is expected to be valid YAML (``check`` says so with the line and the fix);
    a file that is not raises DataError pointing at it.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return EditableFile(path, CommentedMap(), None, "", _round_trip_yaml(""))
    except OSError as error:
        raise DataError(f"lecture impossible ({os_reason(error)})", Location(path)) from None
    original = raw.decode("utf-8", errors="replace")
    text = _normalized(original)
    try:
        yaml = _round_trip_yaml(text)
        document = yaml.load(text) if text.strip() else CommentedMap()
    except Exception:  # ruamel's own messages are English: check tells the line and fix
        raise DataError("ce fichier ne peut pas être modifié tant qu’il contient une erreur de syntaxe",
                        Location(path), "lancez « reportgen check » pour la trouver et la corriger") from None
    if not isinstance(document, CommentedMap):
        raise DataError("le fichier doit contenir des lignes « clé: valeur »", Location(path, 1, 1))
    newline = "\r\n" if "\r\n" in original else "\n"
    return EditableFile(path, document, hashlib.sha256(raw).hexdigest(), original, yaml,
                        newline, original.startswith(_BOM))


def open_new(path: Path, text: str) -> EditableFile:
    """A file that does not exist yet, to be written as ``text`` once changed (a new period
    made by ``nouvelle-periode``, then filled); ``save`` refuses it if the file appeared since."""
    yaml = _round_trip_yaml(text)
    document = yaml.load(text) if text.strip() else CommentedMap()
    return EditableFile(path, document, None, "", yaml)


def save(edit: EditableFile, history: Path | None = None) -> bool:
    """Write ``edit`` in place of its file, atomically; return False when nothing changed.

    Raises EditConflict when the file on disk is no longer the one that was read. With
    ``history``, the version being replaced is kept there first (see ``versions``).
    """
    text = edit.text()
    current = fingerprint(edit.path)
    if current != edit.fingerprint:
        raise EditConflict(edit.path, edit.path.read_text(encoding="utf-8", errors="replace")
                           if current else None)
    if not edit.changed and current is not None:
        return False
    if history is not None and current is not None:
        _keep_version(edit.path, history)
    _write_atomically(edit.path, text.encode("utf-8"))
    edit.original, edit.fingerprint = text, hashlib.sha256(text.encode("utf-8")).hexdigest()
    return True


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically; an OutputError in French when it cannot be."""
    try:
        replace_atomically(path, data)
    except OSError as error:
        raise OutputError(f"enregistrement impossible ({os_reason(error)})", Location(path)) from None


# ---------------------------------------------------------------- history

@dataclass(frozen=True)
class Version:
    """An earlier version of a data file, kept when a save replaced it."""
    path: Path
    saved_at: dt.datetime

    @property
    def label(self) -> str:
        """When it was replaced, as a person reads it (« 2026-11-22 14:05:31 »)."""
        return self.saved_at.strftime("%Y-%m-%d %H:%M:%S")


def _history_folder(path: Path, history: Path) -> Path:
    return history / path.parent.name / path.name


def _keep_version(path: Path, history: Path) -> None:
    folder = _history_folder(path, history)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    _write_atomically(folder / f"{stamp}.yaml", path.read_bytes())


def versions(path: Path, history: Path) -> list[Version]:
    """The kept versions of ``path``, newest first."""
    folder = _history_folder(path, history)
    found = []
    for kept in folder.glob("*.yaml"):
        try:
            found.append(Version(kept, dt.datetime.strptime(kept.stem, "%Y%m%d-%H%M%S-%f")))
        except ValueError:
            continue  # not one of ours
    return sorted(found, key=lambda version: version.saved_at, reverse=True)


def restore(path: Path, version: Version, expected: str | None, history: Path) -> None:
    """Put ``version`` back in place of ``path`` (whose fingerprint must still be
    ``expected``); the version it replaces is kept in the history too."""
    edit = open_for_edit(path)
    if edit.fingerprint != expected:
        raise EditConflict(path, edit.original)
    if edit.fingerprint is not None:
        _keep_version(path, history)
    _write_atomically(path, version.path.read_bytes())
