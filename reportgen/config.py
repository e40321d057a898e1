"""Where things are. One documented default for each option."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Paths", "FORMATS", "PROJECT_ROOT", "cache_dir"]

#: The repository this package sits in; its layouts/ and assets/ are the fallback.
PROJECT_ROOT = Path(__file__).resolve().parents[1]

def cache_dir() -> Path:
    """Where work kept between processes goes (the Word template, compiled layouts):
    ``$REPORTGEN_CACHE``, else ``$XDG_CACHE_HOME/reportgen``, else ``~/.cache/reportgen``."""
    if os.environ.get("REPORTGEN_CACHE"):
        return Path(os.environ["REPORTGEN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportgen"


#: Output formats, in the order they are written.
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Paths:
    """The folders a run reads and writes.

    ``layouts`` and ``assets`` default to the folders beside ``data`` when they
    exist there, else to the project's own.
    """
    data: Path = Path("data")
    out: Path = Path("build")
    layouts: Path | None = None
    assets: Path | None = None

    def __post_init__(self):
        for name in ("layouts", "assets"):
            if getattr(self, name) is None:
                beside = self.data.parent / name
                object.__setattr__(self, name, beside if beside.is_dir() else PROJECT_ROOT / name)
