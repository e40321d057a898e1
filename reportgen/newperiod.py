"""A new year: each region's next period file, made from its latest one.

What stays (the layout, the team and where it works, who signs the quote) is carried
over; what belongs to the year (figures, dates, projects, the quote's words) is
marked « À REMPLIR », with last year's value as a comment on the same line.
``reportgen check`` reports every marker left, at its line. A period's own wording
(``remplacements``) belongs to its year: it is left as a comment, never carried over,
and the new period is not published (no ``publie``).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .data.catalog import PERIOD_NAME, REGION_FILE, TO_FILL
from .data.yamlfile import read_yaml
from .errors import DataError, Location, ReportgenError
from .firstperiod import first_period_text

__all__ = ["create_period", "check_period_id", "new_period_text"]
_CARRIED = ("conseillers", "lieux_conseillers", "agents", "lieux_agents", "emplacements")


def create_period(data_dir: Path, period_id: str, regions: list[str], notes: list[str] | None = None) -> list[Path]:
    """Write ``<slug>/<period_id>.yaml`` for each region (all when ``regions`` is empty)
    from its latest period; return the files written. Never overwrites a file. ``notes``,
    when given, receives a French sentence for each file whose year-specific wording was
    left as a comment."""
    check_period_id(period_id)
    _check_regions(data_dir, regions)
    written = []
    for region_dir in sorted(p for p in data_dir.iterdir() if (p / REGION_FILE).is_file()):
        if regions and region_dir.name not in regions:
            continue
        latest = _latest_period(region_dir)
        target = region_dir / f"{period_id}.yaml"
        if target.exists():
            raise DataError("ce fichier de période existe déjà", Location(target),
                            "complétez-le, ou supprimez-le pour le recréer")
        target.write_text(new_period_text(region_dir, period_id), encoding="utf-8")
        written.append(target)
        if notes is not None and latest is not None and _has_own_wording(latest):
            notes.append(f"{target} : les textes propres à {latest.stem} (remplacements) ne sont pas repris ; "
                         "ils y sont en commentaire")
    return written


def _has_own_wording(period_file: Path) -> bool:
    data = read_yaml(period_file).data
    return isinstance(data, dict) and bool(data.get("remplacements"))


def _check_regions(data_dir: Path, regions: list[str]) -> None:
    """Raise DataError for a missing data folder or a region asked for that it does not hold."""
    if not data_dir.is_dir():
        raise DataError("dossier de données introuvable", Location(data_dir),
                        "indiquez le bon dossier avec --data DOSSIER")
    known = sorted(p.name for p in data_dir.iterdir() if (p / REGION_FILE).is_file())
    for slug in regions:
        if slug not in known:
            raise DataError(f"région « {slug} » introuvable", Location(data_dir),
                            f"créez-la d’abord avec « reportgen nouvelle-region {slug} » ; régions du dossier : "
                            + (", ".join(known) or "aucune"))


def check_period_id(period_id: str) -> None:
    """Raise ReportgenError unless ``period_id`` is two years in order (``2021-2022``)."""
    match = PERIOD_NAME.fullmatch(period_id)
    if not match or int(match.group(1)) >= int(match.group(2)):
        raise ReportgenError(f"période invalide « {period_id} »", hint="écrivez deux années : 2021-2022")


def new_period_text(region_dir: Path, period_id: str) -> str:
    """The text ``nouvelle-periode`` writes for ``period_id`` in ``region_dir``, made from its
    latest period; a blank first period when the region has none yet. Writes nothing."""
    latest = _latest_period(region_dir)
    if latest is None:
        return first_period_text(period_id)
    if latest.stem >= period_id:
        raise DataError(f"la période {period_id} ne suit pas la dernière ({latest.stem})", Location(latest))
    return _next_period_text(read_yaml(latest).data, latest.stem, period_id)


def _latest_period(region_dir: Path) -> Path | None:
    periods = sorted(p for p in region_dir.glob("*.yaml") if PERIOD_NAME.fullmatch(p.stem))
    return periods[-1] if periods else None


_PLAIN = re.compile(r"\w[\w .,'’()–—/-]*(?<! )")


def _scalar(value) -> str:
    """A value as it was typed, on one line; quoted only when YAML would misread it."""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value not in ("null", "Null", "NULL"):
        return value
    if isinstance(value, list) and all(isinstance(v, str) and _PLAIN.fullmatch(v) and "," not in v for v in value):
        return "[" + ", ".join(value) + "]"
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip() \
        .removesuffix("\n...").removesuffix("...").strip()


def _previous(value, before: str) -> str:
    return f"   # {before} : {_scalar(value)}" if value not in (None, "") else ""


def _next_period_text(previous: dict, before: str, period_id: str) -> str:
    lines = [f"# Bilan {period_id}, créé à partir de {before}.yaml par « reportgen nouvelle-periode ».",
             f"# Remplacez chaque « {TO_FILL} » ; « reportgen check » indique ceux qui restent.",
             f"gabarit: {_scalar(previous.get('gabarit', ''))}"]
    for key in ("publication", "au", "journees_quebec_virtuelles_depuis"):
        if key in previous:
            lines.append(f"{key}: {TO_FILL}{_previous(previous[key], before)}")
    lines.append("chiffres:")
    for key, value in (previous.get("chiffres") or {}).items():
        lines.append(f"  {key}: {TO_FILL}{_previous(value, before)}")
    staff = previous.get("personnel") or {}
    if staff:
        lines.append(f"personnel:   # repris de {before} : à vérifier")
        lines.extend(f"  {key}: {_scalar(staff[key])}" for key in _CARRIED if key in staff)
    if "projets" in previous:
        lines += ["projets:", f"  - {TO_FILL}"]
    quote = previous.get("citation") or {}
    if quote:
        lines += ["citation:", f"  texte: {TO_FILL}"]
        lines += [f"  {key}: {_scalar(quote[key])}   # repris de {before}" for key in ("auteur", "fonction")
                  if key in quote]
    lines += _replacements_as_comment(previous.get("remplacements"), before)
    return "\n".join(lines) + "\n"


def _replacements_as_comment(replacements, before: str) -> list[str]:
    """Last year's own wording, commented out: it is not carried into the new year."""
    if not isinstance(replacements, dict) or not replacements:
        return []
    dumped = yaml.safe_dump({"remplacements": replacements}, allow_unicode=True, sort_keys=False, width=90)
    return ["", f"# Textes propres à {before}, non repris (le gabarit s’applique) ; pour en garder un,",
            "# retirez les « # » de ses lignes et adaptez-le à la nouvelle période :",
            *(f"# {line}" for line in dumped.rstrip("\n").splitlines())]
