"""Reading a YAML data file into plain values, remembering where each value was written.

PyYAML's safe composer builds the node tree; we build the values ourselves so that
(1) every key path gets its line and column, (2) duplicate keys are errors, and
(3) no YAML 1.1 guessing happens: a plain scalar stays text (``yes``, ``12:30``,
``0777`` included) and the schema decides what it must be. Only null is recognised.
Anchors and aliases (which can make a small file explode), explicit tags, and
characters no document should carry (controls, U+FFFE, U+FFFF, lone surrogates)
are errors with their line and column.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location, ReportgenErrors, os_reason

__all__ = ["YamlFile", "read_yaml", "character_problem", "MAX_FILE_BYTES"]

KeyPath = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}
#: A data file is a few kilobytes; anything near this is a mistake (a pasted export, say).
MAX_FILE_BYTES = 1_000_000
_STANDARD_TAGS = {f"tag:yaml.org,2002:{name}" for name in
                  ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


@dataclass
class YamlFile:
    """A data file's values and the position of every key path in it."""
    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> Location:
        """The nearest known position of ``key_path`` (falling back to its parents)."""
        dotted = _dotted(key_path)
        for end in range(len(key_path), -1, -1):
            if key_path[:end] in self.positions:
                line, column = self.positions[key_path[:end]]
                return Location(self.path, line, column, dotted)
        return Location(self.path, 1, 1, dotted)  # the file's top level: its first line


def _dotted(key_path: KeyPath) -> str:
    text = ""
    for part in key_path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(path: Path) -> YamlFile:
    """Read ``path``; raise DataError (or ReportgenErrors) with line and column on any problem."""
    text = _read_text(path)
    _check_characters(path, text)
    try:
        node = _compose(text, _FAST_LOADER)
    except yaml.MarkedYAMLError:
        try:  # the pure-Python parser words syntax errors the way our messages expect
            node = _compose(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            raise _syntax_error(path, error) from None
    result = YamlFile(path, None)
    errors: list[DataError] = []
    result.data = {} if node is None else _build(node, (), result, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else ReportgenErrors(errors)
    return result


#: libyaml's composer when PyYAML has it (its wheels do): the same nodes and positions, faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, loader_class) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DataError(f"fichier trop gros ({path.stat().st_size:,} octets ; au plus {MAX_FILE_BYTES:,})"
                            .replace(",", "\u00a0"), Location(path),
                            "un fichier de données ne contient que du texte saisi : vérifiez son contenu")
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(f"fichier illisible ({os_reason(error)})", Location(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataError("caractère invalide : le fichier n’est pas en UTF-8",
                        Location(path, line, column),
                        "enregistrez le fichier en UTF-8 "
                        "(dans l’éditeur : Enregistrer sous… › Encodage UTF-8)") from None


def character_problem(text: str) -> tuple[int, str] | None:
    """The offset and description of the first character no document may carry, or None."""
    match = _FORBIDDEN.search(text)
    if not match:
        return None
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        name = "demi-caractère isolé"
    elif char in "\ufffe\uffff":
        name = "non-caractère"
    elif char == "\ufeff":
        name = "marque d’ordre des octets, invisible"
    else:
        name = unicodedata.name(char, "caractère de contrôle").lower()
    return match.start(), f"caractère interdit U+{ord(char):04X} ({name})"


def _check_characters(path: Path, text: str) -> None:
    found = character_problem(text)
    if found:
        offset, what = found
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise DataError(what, Location(path, line, column), "supprimez ce caractère invisible (souvent collé "
                        "depuis un autre logiciel)")


def _syntax_error(path: Path, error: yaml.MarkedYAMLError) -> DataError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "syntaxe YAML invalide"
    hint = "vérifiez l’indentation (des espaces, jamais de tabulations) et les deux-points après chaque clé"
    if "'\\t'" in problem or "tab" in problem:
        problem, hint = "tabulation dans l’indentation", "remplacez les tabulations par des espaces"
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    return DataError(f"syntaxe YAML invalide ({problem})", location, hint)


def _build(node: yaml.Node, key_path: KeyPath, out: YamlFile, errors: list, seen: set | None = None) -> Any:
    seen = set() if seen is None else seen
    here = Location(out.path, node.start_mark.line + 1, node.start_mark.column + 1, _dotted(key_path))
    if id(node) in seen:  # an alias is the very node it names: only its key's position is its own
        errors.append(DataError("alias YAML (*nom) non pris en charge", out.locate(key_path),
                                "recopiez la valeur au lieu d’y faire référence"))
        return None
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        errors.append(DataError(f"étiquette YAML « {node.tag} » non prise en charge", here,
                                "retirez l’étiquette (le mot qui commence par ! ou !!)"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, key_path, out, errors, seen)
    if isinstance(node, yaml.SequenceNode):
        values = []
        for index, item in enumerate(node.value):
            out.positions[key_path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            values.append(_build(item, key_path + (index,), out, errors, seen))
        return values
    if not node.style and node.value in _NULLS:  # plain: None in PyYAML, "" in libyaml
        return None
    found = character_problem(node.value)  # an escape in quotes ("\\a", "\\uFFFE") can make one
    if found:
        errors.append(DataError(found[1], here, "retirez la séquence d’échappement de ce texte"))
    return node.value


def _build_mapping(node: yaml.MappingNode, key_path: KeyPath, out: YamlFile, errors: list, seen: set) -> dict:
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            errors.append(DataError("une clé doit être un simple mot", Location(out.path, *position)))
            continue
        key = key_node.value
        if key in mapping:
            first_line = out.positions[key_path + (key,)][0]
            errors.append(DataError(f"clé « {key} » en double (déjà à la ligne {first_line})",
                                    Location(out.path, *position, _dotted(key_path + (key,))),
                                    "gardez une seule de ces deux lignes"))
            continue
        out.positions[key_path + (key,)] = position
        mapping[key] = _build(value_node, key_path + (key,), out, errors, seen)
    return mapping
