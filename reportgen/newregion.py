"""A new region: ``data/<slug>/region.yaml`` started from the 17 regions' reference.

The name and its French forms come from the reference; the regional office's name is
proposed (to check: some offices serve two regions); contacts, offices and resources
are marked « À REMPLIR » for staff, with a comment saying which may be removed.
``reportgen check`` reports every marker left, at its line.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from .data.catalog import REGION_FILE, TO_FILL
from .errors import DataError, Location, ReportgenError
from .regions import RegionReference, reference_region, reference_regions

__all__ = ["create_region", "region_file_text"]


def create_region(data_dir: Path, slug: str) -> Path:
    """Write ``data_dir/<slug>/region.yaml`` for one of the 17 regions and return its path.

    Raises ``ReportgenError`` (in French) for a slug that is not a region, and
    ``DataError`` when the file already exists: it is never overwritten.
    """
    region = reference_region(slug)
    if region is None:
        raise ReportgenError(f"région inconnue « {slug} »", hint=_slug_hint(slug))
    if not data_dir.is_dir():
        raise DataError("dossier de données introuvable", Location(data_dir),
                        "indiquez le bon dossier avec --data DOSSIER")
    target = data_dir / slug / REGION_FILE
    if target.exists():
        raise DataError("ce fichier de région existe déjà", Location(target),
                        "complétez-le, ou supprimez-le pour le recréer")
    target.parent.mkdir(exist_ok=True)
    target.write_text(region_file_text(region), encoding="utf-8")
    return target


def _slug_hint(slug: str) -> str:
    slugs = [region.slug for region in reference_regions()]
    close = difflib.get_close_matches(slug, slugs, n=1)
    if close:
        return f"vouliez-vous dire « {close[0]} » ?"
    return "régions connues : " + ", ".join(slugs)


def region_file_text(region: RegionReference) -> str:
    """The text of a new ``region.yaml``: forms filled in, the rest for staff to fill."""
    return "\n".join([
        f"# Région {region.name} ({region.code}), créée par « reportgen nouvelle-region {region.slug} ».",
        f"# Remplacez chaque « {TO_FILL} », ou supprimez la ligne d’une donnée facultative qui",
        "# n’existe pas ; « reportgen check » indique ceux qui restent.",
        f"nom: {region.name}",
        "formes:             # comment le nom se lit dans une phrase (référence des 17 régions)",
        f"  en: {region.in_}",
        f"  de: {_quoted(region.of)}",
        "# À vérifier : une direction régionale peut couvrir deux régions.",
        f"direction_regionale: {_quoted(region.direction)}",
        f"courriel: {TO_FILL}    # facultatif : supprimez la ligne s’il n’y en a pas",
        f"telephone: {TO_FILL}   # facultatif (exemple : 1 833 273-4667)",
        "bureaux:               # facultatif : un bloc par bureau ; supprimez la section s’il n’y en a pas",
        f"  - organisme: {TO_FILL}   # exemple : Services Québec",
        f"    adresse: {TO_FILL}     # exemple : 70, rue King Ouest, bureau 400",
        f"    ville: {TO_FILL}       # exemple : Sherbrooke",
        "ressources:            # facultatif : un bloc par organisme ; supprimez la section s’il n’y en a pas",
        f"  - nom: {TO_FILL}",
        f"    lien: {TO_FILL}        # adresse complète : https://…",
    ]) + "\n"


def _quoted(text: str) -> str:
    """A value YAML reads back as written (an apostrophe is safe unquoted, but be explicit)."""
    return '"' + text + '"' if "'" in text or ":" in text else text
