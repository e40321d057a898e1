"""``reportgen atelier``: checks the options, then serves (see ``reportgen.cli`` for the parser)."""
from __future__ import annotations

import getpass
import socket
import sys

from ..config import Paths
from .security import AccountsError, hash_password, load_accounts

__all__ = ["run_atelier"]

_LOCAL = ("127.0.0.1", "localhost", "::1")


def run_atelier(args) -> int:
    """Run the command; return its exit status (2 for a usage mistake)."""
    if args.hacher_mot_de_passe:
        return _print_hash()
    from . import AtelierConfig, serve

    accounts = None
    if args.hote not in _LOCAL or args.comptes:
        if not args.comptes:
            print("reportgen : erreur : un atelier partagé (--hote " + args.hote + ") exige un fichier de comptes : "
                  "ajoutez --comptes FICHIER (voir le README, section « L’atelier partagé »)", file=sys.stderr)
            return 2
        try:
            accounts = load_accounts(args.comptes)
        except AccountsError as error:
            print(f"reportgen : erreur : {error}", file=sys.stderr)
            return 2
    if not args.data.is_dir():
        print(f"reportgen : erreur : dossier de données introuvable : {args.data}\n"
              "  → indiquez le bon dossier avec --data DOSSIER", file=sys.stderr)
        return 2
    if not _port_free(args.hote, args.port):
        print(f"reportgen : erreur : le port {args.port} est déjà utilisé (un autre atelier est peut-être ouvert)\n"
              f"  → fermez-le, ou choisissez un autre port : --port {args.port + 1}", file=sys.stderr)
        return 2
    paths = Paths(data=args.data, out=args.out)
    journal = args.journal or (paths.data.resolve().parent / ".atelier" / "journal.jsonl" if accounts else None)
    config = AtelierConfig(paths, port=args.port, host=args.hote, server_names=tuple(args.nom_serveur),
                           accounts=accounts, journal=journal)
    if accounts is None:
        print(f"Atelier ouvert dans votre navigateur. Si ce n’est pas le cas, ouvrez :\n  {config.launch_url()}\n"
              "Cette adresse contient une clé propre à ce lancement : ne la partagez pas. Ctrl+C pour arrêter.")
    else:
        print(f"Atelier partagé : {len(accounts)} compte(s), écoute sur {args.hote}:{args.port}. Ctrl+C pour arrêter.")
        if not args.nom_serveur and args.hote not in _LOCAL:
            print("Attention : sans --nom-serveur, seules les adresses 127.0.0.1 et localhost sont acceptées "
                  "dans l’en-tête Host.", file=sys.stderr)
    serve(config, open_browser=not args.sans_navigateur)
    return 0


def _port_free(host: str, port: int) -> bool:
    """Whether the atelier can listen there (uvicorn would only say so in English)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _print_hash() -> int:
    password = getpass.getpass("Mot de passe : ")
    if len(password) < 12:
        print("reportgen : erreur : au moins 12 caractères, s’il vous plaît", file=sys.stderr)
        return 2
    if getpass.getpass("Encore une fois : ") != password:
        print("reportgen : erreur : les deux saisies diffèrent", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0
