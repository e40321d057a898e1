"""The 17 administrative regions of Québec, as reference data shipped with reportgen:
each region's slug, name and the French forms its name takes in a sentence
(« en Estrie » / « de l’Estrie », « sur la Côte-Nord » / « de la Côte-Nord »).

A new region starts from these forms (``reportgen nouvelle-region``), so nobody has to
guess an article; ``region.yaml`` stays the source of truth once written.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["RegionReference", "reference_regions", "reference_region"]


@dataclass(frozen=True, slots=True)
class RegionReference:
    """One administrative region: its official number, slug, name and sentence forms."""
    code: str
    slug: str
    name: str
    in_: str
    of: str

    @property
    def preposition(self) -> str:
        """The words that place something in the region: « en », « au », « sur la », « dans les »."""
        return self.in_[: -len(self.name)].strip()

    @property
    def direction(self) -> str:
        """The usual name of the regional office: « Direction régionale de l’Estrie »."""
        return f"Direction régionale {self.of}"


@lru_cache(maxsize=1)
def reference_regions() -> tuple[RegionReference, ...]:
    """The 17 regions, in the order of their official numbers."""
    text = resources.files(__package__).joinpath("regions.yaml").read_text(encoding="utf-8")
    return tuple(RegionReference(r["code"], r["slug"], r["nom"], r["en"], r["de"]) for r in yaml.safe_load(text))


def reference_region(slug: str) -> RegionReference | None:
    """The region with this slug, or None when it is not one of the 17."""
    return next((region for region in reference_regions() if region.slug == slug), None)
