"""The ``reportgen`` command: ``build`` and ``check``, in French.

Exit status: 0 all good; 1 some report could not be built (each failure told,
the others still built); 2 wrong usage. A user's mistake never prints a Python
traceback; ``--debug`` does, for developers.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .config import FORMATS, Paths
from .errors import Location, ReportgenError, printable, singles

__all__ = ["main", "run"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING_DONE = 0, 1, 2, 3

_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "show this help message and exit": "afficher cette aide et quitter",
    "positional arguments": "commandes\u00a0",   # argparse adds the colon: « commandes : »
    "options": "options\u00a0",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "show program's version number and exit": "afficher la version et quitter",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
}


def _translate_argparse() -> None:
    """argparse speaks English through gettext; give it the French we need."""
    argparse._ = lambda text: _ARGPARSE_FR.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    #: Set by ``main``: a usage error is told as JSON too when the command line asks for JSON.
    json_errors = False

    def error(self, message: str):
        if _Parser.json_errors:
            _print_json(_failure_summary([ReportgenError(message, hint="reportgen build --help donne la liste "
                                                                        "des options")], EXIT_USAGE))
            self.exit(EXIT_USAGE)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog} : erreur : {message}\n")


def _parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = _Parser(prog="reportgen", description="Produit les bilans régionaux du Ministère "
                     "(PDF prêt à imprimer et document Word modifiable) à partir des données.")
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}",
                        help="afficher la version et quitter")
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)
    commands.required = True

    build = commands.add_parser("build", help="produire les bilans",
                                description="Produit OUT/<période>/<région>.pdf et .docx pour chaque bilan choisi.")
    _common(build)
    build.add_argument("--out", type=Path, default=Path("build"), metavar="DOSSIER",
                       help="dossier de sortie (défaut : build)")
    build.add_argument("--period", action="append", default=[], metavar="P",
                       help="ne produire que cette période, ex. 2020-2021 (répétable)")
    build.add_argument("--region", action="append", default=[], metavar="SLUG",
                       help="ne produire que cette région, ex. estrie (répétable)")
    build.add_argument("--format", choices=("pdf", "docx", "all"), default="all",
                       help="format à produire (défaut : all, les deux)")
    build.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                       help=f"processus en parallèle (défaut : {os.cpu_count() or 1}, le nombre de cœurs ; "
                       "au plus quatre par cœur) ; un bilan seul écrit alors son PDF et son Word en même temps")
    build.add_argument("--force", action="store_true",
                       help="tout reproduire, même les bilans dont rien n’a changé")
    build.add_argument("--json", action="store_true",
                       help="écrire sur la sortie standard un résumé JSON (pour un ordonnanceur)")
    build.add_argument("--brouillon", action="store_true",
                       help="produire aussi les brouillons (périodes encore « À REMPLIR »), marqués BROUILLON")
    build.add_argument("--republier", action="append", default=[], metavar="PÉRIODE/RÉGION",
                       help="refaire ce bilan publié, ex. 2019-2021/gaspesie-iles-de-la-madeleine (répétable)")
    build.add_argument("--ecraser", action="store_true",
                       help="remplacer les bilans produits qui ont été modifiés à la main")

    new = commands.add_parser("nouvelle-periode", help="préparer les fichiers de la période suivante",
                              description="Crée data/<région>/<période>.yaml à partir de la dernière période de "
                              "chaque région : ce qui reste est repris, ce qui change est marqué « À REMPLIR ».")
    new.add_argument("period", metavar="PÉRIODE", help="la nouvelle période, ex. 2021-2022")
    new.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                     help="dossier des données (défaut : data)")
    new.add_argument("--region", action="append", default=[], metavar="SLUG",
                     help="seulement cette région (répétable)")
    new.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")

    region = commands.add_parser(
        "nouvelle-region", help="créer le fichier d’une région à partir de la référence",
        description="Crée data/<région>/region.yaml pour l’une des 17 régions administratives : le nom et "
        "ses formes (« en Estrie », « de l’Estrie ») viennent de la référence ; coordonnées, bureaux et "
        "ressources sont marqués « À REMPLIR ».")
    region.add_argument("slug", metavar="SLUG", help="la région, ex. mauricie, cote-nord, bas-saint-laurent")
    region.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                        help="dossier des données (défaut : data)")
    region.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")

    verify = commands.add_parser("verifier", help="vérifier l’accessibilité et la conformité des bilans produits",
                                 description="Vérifie les PDF (balisage, langue, textes de remplacement, polices, "
                                 "PDF/UA-1 et PDF/A-2a par des validateurs) et les fichiers Word produits.")
    verify.add_argument("--out", type=Path, default=Path("build"), metavar="DOSSIER",
                        help="dossier des bilans produits (défaut : build)")
    verify.add_argument("--period", action="append", default=[], metavar="P", help="seulement cette période")
    verify.add_argument("--region", action="append", default=[], metavar="SLUG", help="seulement cette région")
    verify.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")

    _atelier_parser(commands)
    _spreadsheet_commands(commands)

    check = commands.add_parser("check", help="valider les données sans rien produire",
                                description="Valide les données et les gabarits des bilans (tous, ou ceux choisis "
                                "par --region et --period), sans rien écrire.")
    _common(check)
    check.add_argument("--period", action="append", default=[], metavar="P",
                       help="ne vérifier que cette période, ex. 2020-2021 (répétable)")
    check.add_argument("--region", action="append", default=[], metavar="SLUG",
                       help="ne vérifier que cette région, ex. estrie (répétable)")
    return parser


def _atelier_parser(commands) -> None:
    atelier = commands.add_parser(
        "atelier", help="modifier, vérifier, prévisualiser et produire les bilans dans le navigateur",
        description="Lance l’atelier : une application Web locale qui s’ouvre dans le navigateur. Par défaut, "
        "elle n’écoute que sur cet ordinateur (127.0.0.1) et l’adresse ouverte contient une clé propre au "
        "lancement. Avec --hote 0.0.0.0 (atelier partagé), un fichier de comptes est obligatoire.")
    atelier.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                         help="dossier des données (défaut : data)")
    atelier.add_argument("--out", type=Path, default=Path("build"), metavar="DOSSIER",
                         help="dossier des bilans produits (défaut : build)")
    atelier.add_argument("--port", type=_positive, default=8765, metavar="N", help="port d’écoute (défaut : 8765)")
    atelier.add_argument("--hote", default="127.0.0.1", metavar="ADRESSE",
                         help="adresse d’écoute (défaut : 127.0.0.1, cet ordinateur seulement)")
    atelier.add_argument("--comptes", type=Path, default=None, metavar="FICHIER",
                         help="fichier des comptes de l’atelier partagé (obligatoire avec --hote autre que 127.0.0.1)")
    atelier.add_argument("--nom-serveur", action="append", default=[], metavar="NOM",
                         help="nom sous lequel le serveur est joint, ex. atelier.mifi.gouv.qc.ca (répétable)")
    atelier.add_argument("--journal", type=Path, default=None, metavar="FICHIER",
                         help="journal des enregistrements (défaut en mode partagé : .atelier/journal.jsonl "
                         "à côté des données)")
    atelier.add_argument("--sans-navigateur", action="store_true", help="ne pas ouvrir le navigateur")
    atelier.add_argument("--hacher-mot-de-passe", action="store_true",
                         help="demander un mot de passe et afficher son hachage pour le fichier des comptes")
    atelier.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")


def _spreadsheet_commands(commands) -> None:
    """``importer`` and ``exporter``: the year's figures from a spreadsheet, and back."""
    importer = commands.add_parser(
        "importer", help="reprendre les chiffres d’un tableur (.xlsx ou .csv)",
        description="Lit un tableur (une ligne par région, une colonne par chiffre, titrée du libellé du "
        "README) et montre ce qui changera dans les fichiers de la période. Rien n’est écrit sans --ecrire.")
    importer.add_argument("file", type=Path, metavar="FICHIER", help="le tableur : .xlsx ou .csv")
    importer.add_argument("--period", required=True, metavar="P", help="la période à remplir, ex. 2021-2022")
    importer.add_argument("--ecrire", action="store_true", help="enregistrer les changements montrés")
    importer.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                          help="dossier des données (défaut : data)")
    importer.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")

    exporter = commands.add_parser(
        "exporter", help="écrire les chiffres des régions dans un classeur Excel",
        description="Écrit un classeur Excel des chiffres de chaque région : une feuille par période, "
        "les colonnes titrées des libellés que l’import relit.")
    exporter.add_argument("file", type=Path, metavar="FICHIER.xlsx", help="le classeur à écrire")
    exporter.add_argument("--period", action="append", required=True, metavar="P",
                          help="période à exporter, ex. 2020-2021 (répétable : une feuille par période)")
    exporter.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                          help="dossier des données (défaut : data)")
    exporter.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DOSSIER",
                        help="dossier des données (défaut : data)")
    parser.add_argument("--layouts", type=Path, default=None, metavar="DOSSIER",
                        help="dossier des gabarits (défaut : layouts/ à côté des données)")
    parser.add_argument("--assets", type=Path, default=None, metavar="DOSSIER",
                        help="dossier de la marque (défaut : assets/ à côté des données)")
    parser.add_argument("--debug", action="store_true", help="afficher les traces Python des erreurs")


def run() -> None:
    """The ``reportgen`` command (and ``python -m reportgen``): ``main``, then exit with its
    status. A command is short and allocates much (loading libraries, then building): the
    garbage collector looks at new objects after 50 000 of them rather than 700, and what the
    run left in memory is frozen before exit, so that the collector's last passes skip it.
    Together they took a fifth of a cold build of one report."""
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    status = main()
    gc.freeze()
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _Parser.json_errors = "--json" in (sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "nouvelle-periode":
            return _new_period(args)
        if args.command == "nouvelle-region":
            return _new_region(args)
        if args.command == "verifier":
            return _verify(args)
        if args.command == "atelier":
            return _atelier(args)
        if args.command == "importer":
            from .spreadsheet.commands import run_import
            return run_import(args.file, args.period, args.data, args.ecrire)
        if args.command == "exporter":
            from .spreadsheet.commands import run_export
            return run_export(args.file, args.period, args.data)
        return _check(args)
    except ReportgenError as error:
        return _fail(args, error, EXIT_FAILED)
    except KeyboardInterrupt:
        print("reportgen : interrompu.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # a bug of ours: still no traceback unless asked
        return _fail(args, ReportgenError(f"erreur interne de reportgen ({type(error).__name__} : {error})",
                                          hint="relancez avec --debug pour la trace, et signalez-la à l’équipe"),
                     EXIT_NOTHING_DONE if args.command == "build" else EXIT_FAILED, error)


def _fail(args, error: ReportgenError, status: int, cause: BaseException | None = None) -> int:
    """End the command on ``error``: in French on the error output, or as JSON under --json."""
    if getattr(args, "json", False):
        _print_json(_failure_summary([error], status))
    else:
        _report_error(error, False)
    if args.debug:
        traceback.print_exception(cause or error.__cause__ or error, file=sys.stderr)
    return status


def _paths(args) -> Paths:
    return Paths(data=args.data, out=getattr(args, "out", Path("build")),
                 layouts=args.layouts, assets=args.assets)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, pas « {text} »")
    return int(text)


def _build(args) -> int:
    from .build import build_reports, general_errors, selected_pairs
    from .data.catalog import load_catalog

    paths = _paths(args)
    reporter = _Reporter(args.json, args.debug)
    listing = load_catalog(paths.data, only=set())  # ministere.yaml is read when a report is to be made
    blocking = [e.error for e in listing.errors if e.slug is None and e.period_id is None]
    if blocking:
        return reporter.stop(blocking, EXIT_NOTHING_DONE)
    usage = _unknown_filters(listing, args.period, args.region) or _unknown_reports(listing, args.republier)
    if usage:
        return reporter.stop([ReportgenError(usage)], EXIT_USAGE)
    pairs = selected_pairs(listing, args.period, args.region)
    if not pairs and not (args.period or args.region):
        return reporter.stop([ReportgenError("aucun bilan à produire", Location(paths.data),
                                              "ajoutez un dossier de région avec un fichier de période "
                                              "(voir le README, section « Les données »)")], EXIT_NOTHING_DONE)
    general = general_errors(listing, pairs, args.region)
    formats = FORMATS if args.format == "all" else (args.format,)
    reporter.start(len(pairs))
    drafts = args.brouillon or bool(args.period or args.region)  # a draft named is a draft wanted
    try:
        warnings = build_reports(paths, pairs, formats, args.jobs, args.force, reporter.done, drafts=drafts,
                                 republish=frozenset(args.republier), overwrite_edits=args.ecraser)
    except ReportgenError as error:
        return reporter.stop([error], EXIT_NOTHING_DONE)
    return reporter.finish(general, warnings, paths.out)


def _unknown_reports(catalog, keys: list[str]) -> str:
    known = sorted(f"{period}/{slug}" for slug, periods in catalog.periods.items() for period in periods)
    for key in keys:
        if key not in known:
            return f"bilan inconnu « {key} » pour --republier ; bilans : {', '.join(known) or 'aucun'}"
    return ""


#: A report's status in the JSON summary, and how many files a terminal lists at the end.
_STATUSES = ("produit", "inchange", "echec", "brouillon", "publie")
_FILES_LISTED = 8


def _status(outcome) -> str:
    if outcome.skipped:
        return outcome.state or "inchange"
    return "produit" if outcome.ok else "echec"


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


class _Reporter:
    """Tells how the run goes: a progress bar on a terminal, a line per report otherwise,
    or only a JSON summary at the end (``--json``)."""

    def __init__(self, as_json: bool, debug: bool):
        self.total, self.as_json, self.debug = 0, as_json, debug
        self.bar = not as_json and sys.stderr.isatty()
        self.outcomes = []
        self.started_at, self.clock = _now(), time.monotonic()

    def start(self, total: int) -> None:
        self.total = total

    def done(self, outcome) -> None:
        self.outcomes.append(outcome)
        if self.as_json:
            return
        if self.bar:
            self._draw_bar(outcome)
        elif outcome.skipped and outcome.state == "publie":
            print(f"publié, laissé tel quel : {outcome.key}", flush=True)
        elif outcome.skipped and not outcome.state:
            print(f"inchangé : {outcome.key}", flush=True)
        else:
            for path in outcome.written:
                print(f"écrit : {printable(path)}", flush=True)
        for warning in outcome.warnings:
            self._clear_bar()
            _report_warning(warning, outcome.key)
        for error in outcome.errors:
            self._clear_bar()
            _report_error(error, self.debug, outcome.key)

    def _draw_bar(self, outcome) -> None:
        done, width = len(self.outcomes), 30
        filled = width * done // max(self.total, 1)
        print(f"\r[{'█' * filled}{' ' * (width - filled)}] {done}/{self.total} {outcome.key}\033[K",
              end="", file=sys.stderr, flush=True)

    def _clear_bar(self) -> None:
        if self.bar:
            print("\r\033[K", end="", file=sys.stderr)

    def stop(self, errors: list, status: int) -> int:
        """End a run that could not do its work (or was misused) with ``errors`` and ``status``."""
        if self.as_json:
            _print_json(_failure_summary(errors, status, self.started_at, time.monotonic() - self.clock))
        elif status == EXIT_USAGE:
            for error in errors:
                print(f"reportgen : erreur : {error}", file=sys.stderr)
        else:
            for error in errors:
                _report_error(error, self.debug)
        return status

    def finish(self, general: list, warnings: list, out_dir: Path) -> int:
        self._clear_bar()
        counts = {name: sum(_status(o) == name for o in self.outcomes) for name in _STATUSES}
        status = EXIT_FAILED if counts["echec"] or general else EXIT_OK
        if self.as_json:
            summary = _summary(self.outcomes, general, status)
            summary.update(_timing(self.started_at, time.monotonic() - self.clock))
            summary["avertissements"] = [_error_json(w) for w in singles(warnings)]
            _print_json(summary)
            return status
        for warning in warnings:
            _report_error(warning, self.debug, kind="avertissement")
        for error in general:
            _report_error(error, self.debug)
        print(_totals_line(counts))
        if self.bar:
            self._where_are_the_files(out_dir)
        return status

    def _where_are_the_files(self, out_dir: Path) -> None:
        """On a terminal: the output folder and the files written, so a person knows where to click."""
        written = [path for o in sorted(self.outcomes, key=lambda o: o.key) if not o.skipped for path in o.written]
        if not written:
            return
        print(f"Fichiers écrits dans {printable(out_dir.resolve())} :")
        for path in written[:_FILES_LISTED]:
            print(f"  {printable(path.relative_to(out_dir))}")
        if len(written) > _FILES_LISTED:
            print(f"  … et {len(written) - _FILES_LISTED} autre(s)")


def _totals_line(counts: dict[str, int]) -> str:
    line = f"{counts['produit']} bilan(s) produit(s), {counts['inchange']} inchangé(s), {counts['echec']} en échec"
    if counts["brouillon"]:
        line += f", {counts['brouillon']} brouillon(s) non produit(s)"
    if counts["publie"]:
        line += f", {counts['publie']} publié(s) laissé(s) tel(s) quel(s)"
    return line + "."


def _print_json(summary: dict) -> None:
    print(json.dumps(summary, ensure_ascii=False, indent=2), flush=True)


def _timing(started_at: str, seconds: float) -> dict:
    return {"debut": started_at, "fin": _now(), "duree_totale_s": round(seconds, 3)}


def _failure_summary(errors: list, status: int, started_at: str | None = None, seconds: float = 0.0) -> dict:
    """The JSON of a run that built nothing: a usage error, or trouble that concerns every report."""
    return {"reportgen": __version__, "code_de_sortie": status, **_timing(started_at or _now(), seconds),
            "bilans": [], "erreurs_generales": [_error_json(e) for e in singles(errors)], "avertissements": [],
            "totaux": {statut: 0 for statut in _STATUSES}}


def _error_json(e) -> dict:
    where = e.location
    return {"message": e.message, "conseil": e.hint or None,
            "fichier": str(Location(where.path)) if where else None, "ligne": where.line if where else None,
            "colonne": where.column if where else None, "cle": (where.key or None) if where else None}


def _summary(outcomes, general, status: int) -> dict:
    """The run as JSON for schedulers: per report, status, outputs, duration, warnings, errors."""
    reports = [_report_json(o) for o in sorted(outcomes, key=lambda o: o.key)]
    return {"reportgen": __version__, "code_de_sortie": status, "bilans": reports,
            "erreurs_generales": [_error_json(e) for e in singles(general)],
            "totaux": {statut: sum(r["statut"] == statut for r in reports) for statut in _STATUSES}}


def _report_json(o) -> dict:
    report = {"periode": o.period_id, "region": o.slug, "statut": _status(o),
              "sorties": [printable(p) for p in o.written], "duree_s": round(o.seconds, 3),
              "avertissements": [_error_json(w) for w in singles(o.warnings)],
              "erreurs": [_error_json(e) for e in singles(o.errors)]}
    if report["statut"] == "brouillon":
        report["a_remplir"] = o.to_fill
    if report["statut"] == "echec":
        report["anciens_fichiers_en_place"] = o.previous_kept
    return report


def _new_period(args) -> int:
    from .newperiod import create_period

    notes: list[str] = []
    written = create_period(args.data, args.period, args.region, notes)
    for path in written:
        print(f"créé : {path}")
    for note in notes:
        print(f"note : {note}")
    if not written:
        print(f"Aucune région dans {args.data} : créez-en une avec « reportgen nouvelle-region ».", file=sys.stderr)
        return EXIT_FAILED
    print(f"Remplacez chaque « À REMPLIR », puis lancez : reportgen check --data {args.data}")
    return EXIT_OK


def _new_region(args) -> int:
    from .newregion import create_region

    path = create_region(args.data, args.slug)
    print(f"créé : {path}")
    print(f"Remplacez chaque « À REMPLIR » (ou supprimez les lignes facultatives), ajoutez un fichier "
          f"de période, puis lancez : reportgen check --data {args.data}")
    return EXIT_OK


def _verify(args) -> int:
    from .published import fingerprint_problems
    from .verify import verify_file

    files = sorted(path for path in args.out.glob("*/*") if path.suffix in (".pdf", ".docx")
                   and (not args.period or path.parent.name in args.period)
                   and (not args.region or path.stem in args.region))
    altered = fingerprint_problems(args.out, args.period, args.region)
    if not files and not altered:
        print(f"reportgen : erreur : aucun bilan à vérifier dans {args.out}", file=sys.stderr)
        return EXIT_FAILED
    for problem in altered:
        print(f"✗ {problem}")
    failed = 0
    for path in files:
        checks = verify_file(path)
        bad = [check for check in checks if not check.ok]
        failed += bool(bad)
        print(f"{path} : {'conforme' if not bad else 'NON CONFORME'}")
        for check in checks:
            print(f"  {'✓' if check.ok else '✗'} {check.what}")
            for problem in check.problems:
                print(f"      – {problem}")
    print(f"{len(files) - failed} fichier(s) conforme(s), {failed} non conforme(s).")
    if altered:
        print(f"{len(altered)} fichier(s) publié(s) modifié(s) ou manquant(s) depuis leur publication.")
    return EXIT_FAILED if failed or altered else EXIT_OK


def _atelier(args) -> int:
    from .atelier.cli import run_atelier
    return run_atelier(args)


def _check(args) -> int:
    from .brand import load_brand
    from .build import general_errors, selected_pairs
    from .data.catalog import load_catalog
    from .document import make_document

    paths = _paths(args)
    brand = load_brand(paths.assets.resolve())
    listing = load_catalog(paths.data, only=set())
    usage = _unknown_filters(listing, args.period, args.region)
    if usage:
        print(f"reportgen : erreur : {usage}", file=sys.stderr)
        return EXIT_USAGE
    pairs = selected_pairs(listing, args.period, args.region)
    without_period = {slug for slug in args.region if not listing.periods.get(slug)}
    if not pairs and (args.period or args.region) and not without_period:
        print("reportgen : erreur : aucun bilan pour cette région et cette période ; périodes disponibles : "
              + "; ".join(f"{slug} : {', '.join(ids) or 'aucune'}" for slug, ids in sorted(listing.periods.items())
                          if not args.region or slug in args.region), file=sys.stderr)
        return EXIT_USAGE
    # A region without a period still has its region.yaml checked.
    only = set(pairs) | {(slug, None) for slug in without_period} if args.period or args.region else None
    catalog = load_catalog(paths.data, brand.first_undrawable, paths.assets, only=only)
    reports = {(r.slug, r.period_id): r for r in catalog.reports}
    errors, warnings = set(), set()  # a mistake told for each report it concerns, counted once
    for slug, period_id in pairs:
        key = f"{period_id}/{slug}"
        found = [e.error for e in catalog.errors if e.concerns(slug, period_id)]
        noted = [w.error for w in catalog.warnings if w.concerns(slug, period_id)]
        if (slug, period_id) in reports:
            try:
                make_document(reports[slug, period_id], paths.layouts, brand.first_undrawable, paths.assets, noted)
            except ReportgenError as error:
                found.append(error)
        for warning in noted:
            _report_warning(warning, key)
        for error in found:
            _report_error(error, args.debug, key)
        errors.update(str(e) for e in singles(found))
        warnings.update(str(w) for w in singles(noted))
    general = general_errors(catalog, pairs, args.region)
    for error in general:
        _report_error(error, args.debug)
    errors.update(str(e) for e in singles(general))
    if errors:
        print(f"{len(errors)} erreur(s) à corriger"
              + (f", {len(warnings)} avertissement(s)." if warnings else "."), file=sys.stderr)
        return EXIT_FAILED
    ready = f"{len(reports)} bilan(s) prêt(s) à produire"
    print(f"Tout est valide : {ready}" + (f", {len(warnings)} avertissement(s) à lire." if warnings else "."))
    return EXIT_OK


def _unknown_filters(catalog, periods: list[str], regions: list[str]) -> str:
    known_regions = sorted(catalog.periods)
    known_periods = sorted({p for ids in catalog.periods.values() for p in ids})
    for slug in regions:
        if slug not in known_regions:
            return f"région inconnue « {slug} » ; régions disponibles : {', '.join(known_regions) or 'aucune'}"
    for period in periods:
        if period not in known_periods:
            return f"période inconnue « {period} » ; périodes disponibles : {', '.join(known_periods) or 'aucune'}"
    return ""


def _report_warning(warning: ReportgenError, report: str = "") -> None:
    """A warning on the terminal: accepted, but probably not what was meant."""
    prefix = f"[{report}] " if report else ""
    sys.stdout.flush()
    for single in singles([warning]):
        print(f"avertissement : {prefix}{single}", file=sys.stderr)


def _report_error(error: ReportgenError, debug: bool, report: str = "", kind: str = "erreur") -> None:
    prefix = f"[{report}] " if report else ""
    sys.stdout.flush()
    for single in singles([error]):
        print(f"{kind} : {prefix}{single}", file=sys.stderr)
    if debug and getattr(error, "trace", ""):
        print(error.trace, file=sys.stderr, end="")
    elif debug:
        traceback.print_exception(error.__cause__ or error, file=sys.stderr)
