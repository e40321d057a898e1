"""A new region in the atelier: one of the 17 regions, started from the shipped reference
(``reportgen nouvelle-region``'s own file), and a first period to fill."""
from __future__ import annotations

from pathlib import Path

from ..data.catalog import TO_FILL
from ..data.roundtrip import open_for_edit, save
from ..firstperiod import FIRST_LAYOUT, NEEDED
from ..newregion import create_region as create_region_file
from ..regions import RegionReference, reference_regions

__all__ = ["create_region", "regions_to_create"]


def regions_to_create(existing: set[str]) -> list[RegionReference]:
    """The reference regions that have no folder in the data yet, in their official order."""
    return [region for region in reference_regions() if region.slug not in existing]


def create_region(data_dir: Path, slug: str, first_period: str) -> list[Path]:
    """Write ``<slug>/region.yaml`` from the reference and ``<slug>/<first_period>.yaml`` with
    every figure « À REMPLIR »; never overwrite (a DataError says which file exists)."""
    region = create_region_file(data_dir, slug)
    period = open_for_edit(data_dir / slug / f"{first_period}.yaml")
    period.set(("gabarit",), FIRST_LAYOUT)
    for section, keys in NEEDED.items():
        period.set((section,), {key: TO_FILL for key in keys})
    period.set(("projets",), [TO_FILL])
    save(period)
    return [region, period.path]
