"""Files named by data, layouts or the brand resolve inside the assets folder only."""
from __future__ import annotations

from pathlib import Path

__all__ = ["resolve_asset", "IMAGE_SUFFIXES"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def resolve_asset(assets_dir: Path, relative: str | Path, image: bool = False) -> Path:
    """The file ``relative`` names inside ``assets_dir``; ValueError (in French) if it is
    absolute, climbs out with "..", leads out through a symbolic link, or is missing."""
    relative = Path(relative)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"chemin refusé « {relative} » : il doit rester dans le dossier assets/ "
                         "(chemin relatif, sans « .. »)")
    resolved = (assets_dir / relative).resolve()
    if not resolved.is_relative_to(assets_dir.resolve()):
        raise ValueError(f"chemin refusé « {relative} » : un lien symbolique mène hors du dossier assets/")
    if image and resolved.suffix.lower() not in IMAGE_SUFFIXES:
        raise ValueError(f"« {relative} » n’est pas une image PNG ou JPEG")
    if not resolved.is_file():
        raise ValueError(f"fichier introuvable dans assets/ : « {relative} »")
    return resolved
