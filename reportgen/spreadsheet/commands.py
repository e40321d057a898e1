"""``reportgen importer`` and ``reportgen exporter``: what they print, and their exit status."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import Location, ReportgenError, os_reason
from .exporting import export_workbook, write_export
from .planning import apply_import, plan_import

__all__ = ["run_import", "run_export"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run_import(file: Path, period: str, data_dir: Path, write: bool) -> int:
    """Show what ``file`` changes in ``period``'s files; write it when ``write``."""
    plan = plan_import(_read(file), file.name, data_dir, period)
    if plan.changes and not plan.errors:   # a preview of half an import would mislead
        print(f"Changements pour {period} ({plan.source}) :")
        for line in plan.preview():
            print(f"  {line}")
    for notice in plan.notices:
        print(f"avis : {notice}")
    if plan.errors:
        sys.stdout.flush()
        for error in plan.errors:
            print(f"erreur : {error}", file=sys.stderr)
        print(f"{len(plan.errors)} erreur(s) dans le tableur : rien n’a été écrit.", file=sys.stderr)
        return EXIT_FAILED
    changes, files = len(plan.changes), len(plan.changed_regions)
    if not changes:
        print(f"Aucun changement : les fichiers de {period} ont déjà ces chiffres.")
        return EXIT_OK
    if not write:
        print(f"{changes} changement(s) dans {files} fichier(s). Rien n’est écrit : relancez avec --ecrire "
              "pour les enregistrer.")
        return EXIT_OK
    for path in apply_import(plan):
        print(f"écrit : {_shown(path)}")
    print(f"{changes} changement(s) enregistré(s) dans {files} fichier(s). Vérifiez avec : "
          f"reportgen check --data {data_dir}")
    return EXIT_OK


def run_export(file: Path, periods: list[str], data_dir: Path) -> int:
    """Write ``periods``' figures for every region in the workbook ``file``."""
    if file.suffix.lower() != ".xlsx":
        print(f"reportgen : erreur : « {file} » : le classeur exporté doit finir par .xlsx "
              "(exemple : chiffres.xlsx)", file=sys.stderr)
        return EXIT_USAGE
    export = export_workbook(data_dir, periods)
    write_export(file, export.content)
    print(f"écrit : {file} (feuille(s) {', '.join(export.periods)} ; {export.regions} région(s))")
    for period in export.empty_periods:
        print(f"avis : aucune région n’a encore de fichier pour {period} : sa feuille est à remplir, "
              f"puis « reportgen importer {file.name} --period {period} » crée les fichiers")
    return EXIT_OK


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise ReportgenError(f"lecture impossible ({os_reason(error)})", Location(file),
                             "vérifiez le nom et le dossier du tableur") from None


def _shown(path: Path) -> str:
    return str(Location(path))
