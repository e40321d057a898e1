"""Files named by data, layouts or the brand resolve inside the assets folder only, and
pictures are decoded (with bounds) before any writer sees them."""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

__all__ = ["resolve_asset", "check_picture", "PictureError", "IMAGE_SUFFIXES", "MAX_PICTURE_PIXELS"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: Pixels a picture may have: 40 megapixels, more than a full page at 600 dpi.
MAX_PICTURE_PIXELS = 40_000_000


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
    if image:
        check_picture(resolved, relative)
    return resolved


class PictureError(ValueError):
    """A picture that is there but cannot be used; ``hint`` says how to fix the file."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


_PICTURE_HINT = "ouvrez l’image dans un logiciel de dessin et enregistrez-la de nouveau en PNG ou en JPEG"
_LARGE_PICTURE_HINT = "réduisez-la (par exemple à 3000 pixels de large) et enregistrez-la en PNG ou en JPEG"


def check_picture(path: Path, shown_as: str | Path | None = None) -> None:
    """Decode the picture at ``path`` with bounds (pixel count, chunk sizes, whole file);
    ValueError in French naming it as ``shown_as`` if it is too large, truncated or not a
    PNG or JPEG. Pillow's warnings never reach the user."""
    status = path.stat()
    problem = _picture_problem(str(path), status.st_size, status.st_mtime_ns)
    if problem:
        raise PictureError(problem.format(name=shown_as if shown_as is not None else path.name),
                           _LARGE_PICTURE_HINT if "trop grande" in problem else _PICTURE_HINT)


@lru_cache(maxsize=64)
def _picture_problem(path: str, size: int, mtime_ns: int) -> str | None:
    """What is wrong with a picture file (``{name}`` stands for its name), or None; cached
    by size and modification time, so each file is decoded once per process."""
    from PIL import Image
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as picture:
                if picture.format not in ("PNG", "JPEG"):
                    return "« {name} » n’est pas une image PNG ou JPEG"
                width, height = picture.size
                if width * height > MAX_PICTURE_PIXELS:
                    return _too_large(width, height)
                picture.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return (f"image « {{name}} » trop grande pour être décodée sans danger (au plus "
                    f"{MAX_PICTURE_PIXELS // 1_000_000} mégapixels)")
        except Image.UnidentifiedImageError:
            return "« {name} » n’est pas une image PNG ou JPEG lisible"
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
            return "image « {name} » illisible ou tronquée"
    return None


def _too_large(width: int, height: int) -> str:
    pixels = f"{width:,} × {height:,}".replace(",", "\u00a0")
    return (f"image « {{name}} » trop grande ({pixels} pixels ; au plus "
            f"{MAX_PICTURE_PIXELS // 1_000_000} mégapixels)")
