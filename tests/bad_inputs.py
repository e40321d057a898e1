"""The bad-input corpus (tests/mauvaises-entrees/): reading a case and running it.

A case file starts with header lines, then a line of five dashes, then the content
written over the target file of a copy of the project:

    cible: data/estrie/2020-2021.yaml      the file the content replaces (or creates)
    attendu: <message>                     a line the check must print (one or more)
    conseil: <fix>                         optional: the fix printed under each expected line, in order
    avertissement: <message>               a warning the check must print (none unless given)
    texte: <text>                          or: text both built documents must show as written
    encodage: latin-1                      optional: how the content is written (default UTF-8)
    -----
    <content>
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "mauvaises-entrees"
SEPARATOR = "-----\n"


@dataclass
class Case:
    name: str
    target: str
    content: str
    expected: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    literal: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def read_case(path: Path) -> Case:
    header, content = path.read_text(encoding="utf-8").split(SEPARATOR, 1)
    case = Case(path.stem, "", content)
    for line in header.splitlines():
        key, _, value = line.partition(": ")
        if key == "cible":
            case.target = value
        elif key == "attendu":
            case.expected.append(value)
        elif key == "conseil":
            case.hints.append(value)
        elif key == "avertissement":
            case.warnings.append(value)
        elif key == "texte":
            case.literal.append(value)
        elif key == "encodage":
            case.encoding = value
    return case


def all_cases() -> list[Case]:
    return [read_case(path) for path in sorted(CORPUS.glob("*.txt"))]


def install(case: Case, root: Path, project: Path) -> None:
    """A copy of the project's data, layouts and assets under ``root``, with the case applied."""
    for folder in ("data", "layouts", "assets"):
        shutil.copytree(project / folder, root / folder)
    target = root / case.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.content.encode(case.encoding))
