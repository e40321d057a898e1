"""A region's first period: a blank file for the « bilan » layout.

A region made by ``reportgen nouvelle-region`` has no period to start the next one
from: ``nouvelle-periode`` then writes this blank one, every field the layout needs
marked « À REMPLIR », each with a comment saying what to write and an example, taken
from the field catalogue. ``reportgen check`` reports every marker left, at its line.
"""
from __future__ import annotations

from .data.catalog import TO_FILL
from .data.fields import PERIOD_FIELDS, FieldSpec

__all__ = ["FIRST_LAYOUT", "NEEDED", "first_period_text"]

#: The layout of a region's first report: the regional report, not the news release.
FIRST_LAYOUT = "bilan"
#: What the « bilan » layout needs, section by section; the optional parts stay out.
NEEDED = {"chiffres": ("personnes_accompagnees", "entreprises_accompagnees", "ententes"),
           "personnel": ("conseillers", "agents")}


def first_period_text(period_id: str) -> str:
    """The text of a region's first period file for ``period_id``."""
    lines = [f"# Premier bilan ({period_id}) de la région, créé par « reportgen nouvelle-periode »,",
             f"# au gabarit « {FIRST_LAYOUT} » (layouts/{FIRST_LAYOUT}.md).",
             f"# Remplacez chaque « {TO_FILL} » ; « reportgen check » indique ceux qui restent.",
             f"gabarit: {FIRST_LAYOUT}"]
    for section, keys in NEEDED.items():
        lines.append(f"{section}:")
        lines.extend(f"  {key}: {TO_FILL}   # {_what_to_write(_spec(f'{section}.{key}'))}" for key in keys)
    projects = _spec("projets")
    lines += [f"# Projets (facultatif : supprimez la section s’il n’y en a pas) : {_lower_first(projects.help)}",
              f"# Exemple : {projects.example}",
              "projets:", f"  - {TO_FILL}"]
    return "\n".join(lines) + "\n"


def _spec(key: str) -> FieldSpec:
    return next(spec for spec in PERIOD_FIELDS if spec.key == key)


def _what_to_write(spec: FieldSpec) -> str:
    """« le nombre de personnes immigrantes … (exemple : plus de 200) »."""
    return f"{_lower_first(spec.help).rstrip('.')} (exemple : {spec.example})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
