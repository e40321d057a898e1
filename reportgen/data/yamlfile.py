"""Reading a YAML data file into plain values, remembering where each value was written.

PyYAML's safe composer builds the node tree; we build the values ourselves so that
(1) every key path gets its line and column, (2) duplicate keys are errors, and
(3) no YAML 1.1 guessing happens: a plain scalar stays text (``yes``, ``12:30``,
``0777`` included) and the schema decides what it must be. Only null is recognised.
Anchors and aliases (which can make a small file explode), explicit tags, and
characters no document should carry (controls, U+FFFE, U+FFFF, lone surrogates,
invisible format characters such as the zero-width joiner) are errors with their
line and column. Files saved on Windows read the same as the others: a UTF-8 byte
order mark is skipped and CRLF line endings are read as LF.

Syntax errors are told in French where the mistake starts (``yamlsyntax``). A ``#``
that YAML takes for a comment right after an unquoted value is remembered in
``YamlFile.comments``, so the catalog can warn when it cuts a text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location, ReportgenErrors, os_reason
from .yamlsyntax import explain_syntax_error, key_path_at, plain_scalar_problem, reserved_start

__all__ = ["YamlFile", "read_yaml", "texts_in", "character_problem", "MAX_FILE_BYTES"]

KeyPath = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}
#: A data file is a few kilobytes; anything near this is a mistake (a pasted export, say).
MAX_FILE_BYTES = 1_000_000
_STANDARD_TAGS = {f"tag:yaml.org,2002:{name}" for name in
                  ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
#: Controls, lone surrogates, non-characters, and the invisible format characters (category Cf)
#: that change nothing a reader sees (zero-width space and joiners, direction marks, word
#: joiner, BOM…); the soft hyphen stays, being a hyphenation point the writers honour.
_FORMAT_CHARACTERS = ("\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                      "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                      "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                      "\U000e0020-\U000e007f")
#: The French names (Unicode's French edition) of the format characters people paste.
_FORMAT_NAMES = {"\u200b": "espace sans chasse", "\u200c": "antiliant sans chasse", "\u200d": "liant sans chasse",
                 "\u200e": "marque gauche-à-droite", "\u200f": "marque droite-à-gauche", "\u2060": "gluon de mots",
                 **{c: "marque de direction" for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}}
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + _FORMAT_CHARACTERS + "]")


@dataclass
class YamlFile:
    """A data file's values and the position of every key path in it."""
    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    #: Comments right after an unquoted value on its line: key path -> (line, column, comment text).
    comments: dict[KeyPath, tuple[int, int, str]] = field(default_factory=dict)

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
        try:  # the pure-Python parser gives the marks our explanations rely on
            node = _compose(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            raise _syntax_error(path, text, error) from error  # the parser's English under --debug
    result = YamlFile(path, None)
    errors: list[DataError] = []
    lines = text.split("\n")
    result.data = {} if node is None else _build(node, (), result, errors, lines=lines)
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
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
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
    elif unicodedata.category(char) == "Cf":
        name = _FORMAT_NAMES.get(char, "caractère de mise en forme") + ", invisible"
    else:
        name = unicodedata.name(char, "caractère de contrôle").lower()
    return match.start(), f"caractère interdit U+{ord(char):04X} ({name})"


def _check_characters(path: Path, text: str) -> None:
    found = character_problem(text)
    if found:
        offset, what = found
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        key = key_path_at(text.split("\n"), line - 1)
        raise DataError(what, Location(path, line, column, key), "supprimez ce caractère invisible (souvent collé "
                        "depuis un autre logiciel)")


def _syntax_error(path: Path, text: str, error: yaml.MarkedYAMLError) -> DataError:
    found = explain_syntax_error(text, error)
    # The key path lets a form show the message beside its field.
    key = key_path_at(text.split("\n"), found.line - 1) if found.placed else ""
    return DataError(found.message, Location(path, found.line, found.column, key), found.hint)


def _build(node: yaml.Node, key_path: KeyPath, out: YamlFile, errors: list, seen: set | None = None,
           lines: list[str] | None = None) -> Any:
    seen = set() if seen is None else seen
    lines = [] if lines is None else lines
    here = Location(out.path, node.start_mark.line + 1, node.start_mark.column + 1, _dotted(key_path))
    if id(node) in seen:  # an alias is the very node it names: only its key's position is its own
        errors.append(DataError("alias YAML (*nom) non pris en charge", out.locate(key_path),
                                "recopiez la valeur au lieu d’y faire référence"))
        return None
    seen.add(id(node))
    if node.tag.startswith("!") and not node.tag.startswith("!!") and reserved_start(node.tag):
        errors.append(DataError(f"un texte qui commence par {reserved_start(node.tag)} doit être entre guillemets",
                                here, "mettez ce texte entre guillemets : \"…\""))
        return None
    if node.tag not in _STANDARD_TAGS:
        errors.append(DataError(f"étiquette YAML « {node.tag} » non prise en charge", here,
                                "retirez l’étiquette (le mot qui commence par ! ou !!)"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, key_path, out, errors, seen, lines)
    if isinstance(node, yaml.SequenceNode):
        values = []
        for index, item in enumerate(node.value):
            out.positions[key_path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            values.append(_build(item, key_path + (index,), out, errors, seen, lines))
        return values
    if not node.style:
        _check_plain(node, key_path, out, errors, lines)
    if not node.style and node.value in _NULLS:  # plain: None in PyYAML, "" in libyaml
        return None
    found = character_problem(node.value)  # an escape in quotes ("\\a", "\\uFFFE") can make one
    if found:
        errors.append(DataError(found[1], here, "retirez la séquence d’échappement de ce texte"))
    return node.value


def _check_plain(node: yaml.ScalarNode, key_path: KeyPath, out: YamlFile, errors: list, lines: list[str]) -> None:
    """An unquoted value: refuse what would print otherwise than typed, remember a comment after it."""
    found = plain_scalar_problem(lines, node)
    if found:
        errors.append(DataError(found.message, Location(out.path, found.line, found.column, _dotted(key_path)),
                                found.hint))
    end = node.end_mark
    rest = lines[end.line][end.column:] if end.line < len(lines) else ""
    comment = re.match(r"[ \t]+#(.*)", rest)
    if comment:
        out.comments[key_path] = (end.line + 1, end.column + comment.start(1), comment.group(1).strip())


def _build_mapping(node: yaml.MappingNode, key_path: KeyPath, out: YamlFile, errors: list, seen: set,
                   lines: list[str]) -> dict:
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
        mapping[key] = _build(value_node, key_path + (key,), out, errors, seen, lines)
    return mapping


def texts_in(value, key_path: KeyPath = ()):
    """Every text value in a YAML document (or part of one), with its key path."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from texts_in(child, key_path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from texts_in(child, key_path + (index,))
    elif isinstance(value, str):
        yield key_path, value
