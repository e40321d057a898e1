"""Matching what people type to what the data knows: column headers to figures, and
region names (with or without accents and dashes) or slugs to the regions under data/.

Both compare through ``normalize_label``, so « Gaspesie - Iles de la Madeleine » is
« Gaspésie–Îles-de-la-Madeleine », and a near miss is answered with a suggestion.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..data.catalog import REGION_FILE
from ..data.fields import FieldSpec, figure_fields, normalize_label
from ..data.yamlfile import read_yaml
from .. import grammar
from ..errors import DataError, Location, ReportgenError
from ..regions import reference_region

__all__ = ["RegionRef", "Column", "REGION_HEADER", "known_regions", "find_region", "figure_for_header",
           "is_region_header", "suggestion"]

#: The region column's header in an export; an import also accepts the other names below.
REGION_HEADER = "Région"
_REGION_HEADERS = {normalize_label(text) for text in (REGION_HEADER, "Nom de la région", "Régions", "slug",
                                                      "Région (slug)", "Identifiant de la région")}


@dataclass(frozen=True)
class RegionRef:
    """A region of the data folder: its slug (folder name), its name, its folder, and how
    many offices its region.yaml lists (the points of service a figure must agree with)."""
    slug: str
    name: str
    folder: Path
    offices: int = 0
    #: The name after « de », with its article (« de la Côte-Nord »), as region.yaml writes it.
    of: str = ""

    @property
    def of_name(self) -> str:
        """« de la Côte-Nord »: region.yaml's form, else the reference's, never « de Côte-Nord »."""
        if self.of:
            return self.of.replace("'", grammar.APOSTROPHE)
        reference = reference_region(self.slug)
        return reference.of if reference else grammar.place(self.name, "de")


@dataclass(frozen=True)
class Column:
    """A spreadsheet column (0-based ``index``) and the figure it holds."""
    index: int
    field: FieldSpec


def known_regions(data_dir: Path) -> list[RegionRef]:
    """The regions under ``data_dir`` (folders with a region.yaml), by name. A region.yaml
    that cannot be read still lets its region be found by slug (``check`` tells why)."""
    if not data_dir.is_dir():
        raise DataError("dossier de données introuvable", Location(data_dir),
                        "indiquez le bon dossier avec --data DOSSIER")
    regions = []
    for folder in sorted(p for p in data_dir.iterdir() if (p / REGION_FILE).is_file()):
        try:
            data = read_yaml(folder / REGION_FILE).data
        except ReportgenError:
            data = None
        data = data if isinstance(data, dict) else {}
        name, offices = data.get("nom"), data.get("bureaux")
        forms = data.get("formes") if isinstance(data.get("formes"), dict) else {}
        of = forms.get("de") if isinstance(forms.get("de"), str) else ""
        regions.append(RegionRef(folder.name, name if isinstance(name, str) and name.strip() else folder.name,
                                 folder, len(offices) if isinstance(offices, list) else 0, of.strip()))
    return sorted(regions, key=lambda region: normalize_label(region.name))


def _region_keys(regions: list[RegionRef]) -> dict[str, RegionRef]:
    keys = {}
    for region in regions:
        keys.setdefault(normalize_label(region.slug), region)
        keys.setdefault(normalize_label(region.name), region)
    return keys


def find_region(typed: str, regions: list[RegionRef]) -> RegionRef | None:
    """The region ``typed`` names (its name in any spelling, or its slug), or None."""
    return _region_keys(regions).get(normalize_label(typed))


def figure_for_header(typed: str) -> FieldSpec | None:
    """The figure a column header names: its catalogue label or its YAML key, in any spelling."""
    wanted = normalize_label(typed)
    for spec in figure_fields():
        if wanted in (normalize_label(spec.label), normalize_label(spec.key), normalize_label(spec.path[-1])):
            return spec
    return None


def is_region_header(typed: str) -> bool:
    return normalize_label(typed) in _REGION_HEADERS


def suggestion(typed: str, choices: list[str]) -> str | None:
    """The choice closest to ``typed`` once both are normalized, or None when none is close."""
    by_key = {normalize_label(choice): choice for choice in choices}
    wanted = normalize_label(typed)
    close = difflib.get_close_matches(wanted, list(by_key), n=1, cutoff=0.6)
    if close:
        return by_key[close[0]]
    # A name cut short (« Gaspésie » for « Gaspésie–Îles-de-la-Madeleine »), when only one fits.
    longer = {by_key[key] for key in by_key if wanted and key.startswith(wanted + " ")}
    return longer.pop() if len(longer) == 1 else None
