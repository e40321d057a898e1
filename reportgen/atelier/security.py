"""What keeps the atelier to the people allowed to use it.

Two modes:
- local (default): listening on 127.0.0.1, one person, a per-launch secret in the URL the
  browser is opened on, exchanged at once for a session cookie (as Jupyter's token does);
- shared (``--hote 0.0.0.0``): accounts from a file (argon2 password hashes, the regions
  each may edit), sessions that expire, throttled logins, every save logged.

Whatever the mode: the Host header must be one we serve, every change carries a CSRF token
tied to the session, answers carry a strict Content-Security-Policy, and bodies are capped.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Account", "Session", "Sessions", "Throttle", "load_accounts", "hash_password", "AccountsError",
           "ALL_REGIONS", "CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "MAX_BODY_BYTES", "LOCAL_ACCOUNT",
           "csrf_token_matches", "secret_matches", "verify_password", "host_allowed"]

#: An account's ``regions: toutes`` gives every region.
ALL_REGIONS = "toutes"
#: A form of a report is a few kilobytes; far more is a mistake or an attack.
MAX_BODY_BYTES = 256 * 1024
#: Everything the atelier serves comes from itself; no inline script, no frame, no plugin.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
_HASHER = PasswordHasher()


class AccountsError(Exception):
    """The accounts file is missing or wrong; the message is French and names the file."""


@dataclass(frozen=True)
class Account:
    """A person who may use the shared atelier, and the regions (slugs) they may read and change."""
    login: str
    name: str
    password_hash: str
    regions: frozenset[str] | None  # None: every region

    def may_edit(self, slug: str) -> bool:
        return self.regions is None or slug in self.regions


#: The one person of the local mode: the owner of the machine's session, every region.
LOCAL_ACCOUNT = Account("local", "vous", "", None)


def hash_password(password: str) -> str:
    """An argon2id hash to paste in the accounts file."""
    return _HASHER.hash(password)


def load_accounts(path: Path) -> dict[str, Account]:
    """The accounts of ``path`` by login; AccountsError (in French) on any problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise AccountsError(f"{path} : fichier des comptes introuvable ou illisible") from None
    except yaml.YAMLError as error:
        raise AccountsError(f"{path} : syntaxe YAML invalide ({error})") from None
    entries = raw.get("comptes") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AccountsError(f"{path} : aucun compte ; écrivez une section « comptes : » (voir le README, "
                            "section « L’atelier partagé »)")
    accounts = {}
    for number, entry in enumerate(entries, 1):
        account = _account(path, number, entry)
        accounts[account.login] = account
    return accounts


def _account(path: Path, number: int, entry: object) -> Account:
    where = f"{path}, compte no {number}"
    if not isinstance(entry, dict) or not all(entry.get(k) for k in ("identifiant", "mot_de_passe", "regions")):
        raise AccountsError(f"{where} : il faut « identifiant », « mot_de_passe » et « regions »")
    if not str(entry["mot_de_passe"]).startswith("$argon2"):
        raise AccountsError(f"{where} : le mot de passe doit être haché ; obtenez le hachage avec "
                            "« reportgen atelier --hacher-mot-de-passe »")
    regions = entry["regions"]
    if regions == ALL_REGIONS:
        allowed = None
    elif isinstance(regions, list) and all(isinstance(r, str) for r in regions):
        allowed = frozenset(regions)
    else:
        raise AccountsError(f"{where} : « regions » est une liste de régions (exemple : [estrie]) ou « toutes »")
    login = str(entry["identifiant"])
    return Account(login, str(entry.get("nom") or login), str(entry["mot_de_passe"]), allowed)


def verify_password(account: Account, password: str) -> bool:
    try:
        return _HASHER.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class Session:
    """A signed-in person: who, until when, and the CSRF token of their forms."""
    account: Account
    expires: float
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class Sessions:
    """Sessions by their cookie value, forgotten when they expire (``lifetime`` seconds, None: never)."""

    def __init__(self, lifetime: float | None, clock: Callable[[], float] = time.monotonic):
        self.lifetime, self.clock = lifetime, clock
        self._by_token: dict[str, Session] = {}

    def open(self, account: Account) -> str:
        token = secrets.token_urlsafe(32)
        expires = float("inf") if self.lifetime is None else self.clock() + self.lifetime
        self._by_token[token] = Session(account, expires)
        return token

    def get(self, token: str | None) -> Session | None:
        session = self._by_token.get(token or "")
        if session and session.expires <= self.clock():
            del self._by_token[token]
            return None
        return session

    def close(self, token: str | None) -> None:
        self._by_token.pop(token or "", None)


class Throttle:
    """Login attempts: after ``limit`` failures within ``window`` seconds for one login or one
    address, refuse until the oldest of them is that old."""

    def __init__(self, limit: int = 5, window: float = 900, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, list[float]] = {}

    def wait(self, *keys: str) -> float:
        """Seconds before another attempt is allowed for these keys (0: now)."""
        now = self.clock()
        waits = [0.0]
        for key in keys:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            self._failures[key] = recent
            if len(recent) >= self.limit:
                waits.append(recent[0] + self.window - now)
        return max(waits)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._failures.setdefault(key, []).append(self.clock())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def csrf_token_matches(session: Session, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(session.csrf, given)


def secret_matches(secret: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(hashlib.sha256(secret.encode()).digest(),
                                               hashlib.sha256(given.encode()).digest())


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """Whether the Host header names this server (DNS rebinding defence): exact host[:port]."""
    return bool(host_header) and host_header.lower() in allowed
