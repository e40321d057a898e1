"""A new region: its ``region.yaml`` and a first period to fill, written through the round trip."""
from __future__ import annotations

from pathlib import Path

from ..data.catalog import REGION_FILE, TO_FILL
from ..data.roundtrip import open_for_edit, save
from ..errors import DataError, Location

__all__ = ["create_region", "region_reference"]


def region_reference(name: str) -> dict[str, str] | None:
    """The reference forms of a region (``en``, ``de``, ``direction``) by its name, or None.

    The one place to plug the 17 regions' reference data in: until then, people type them.
    """
    return None


def create_region(data_dir: Path, slug: str, entered: dict[str, str]) -> list[Path]:
    """Write ``<slug>/region.yaml`` and ``<slug>/<première période>.yaml``; never overwrite."""
    folder = data_dir / slug
    if folder.exists():
        raise DataError("cette région existe déjà", Location(folder), "ouvrez-la depuis la page d’accueil")
    region = open_for_edit(folder / REGION_FILE)
    for key, value in (("nom", entered["nom"]), ("formes", {"en": entered["en"], "de": entered["de"]}),
                       ("direction_regionale", entered["direction"])):
        region.set((key,), value)
    period = open_for_edit(folder / f"{entered['premiere']}.yaml")
    period.set(("gabarit",), "bilan")
    period.set(("chiffres",), {key: TO_FILL for key in ("personnes_accompagnees", "entreprises_accompagnees",
                                                         "ententes")})
    period.set(("personnel",), {"conseillers": TO_FILL, "agents": TO_FILL})
    period.set(("projets",), [TO_FILL])
    save(region)
    save(period)
    return [region.path, period.path]
