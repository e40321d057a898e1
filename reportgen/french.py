"""French (Québec usage, OQLF) typography and number, date and word formatting.

Everything a layout prints about a figure goes through here, so the published
form of a number ("trois", "16,2 M$", "plus de 200", "31 mars 2021") is decided
in one place for both output formats.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "NBSP", "NNBSP", "NBHYPHEN", "Figure", "NumberError", "typeset", "format_number",
    "number_in_words", "money", "at_least", "long_date", "month_year",
    "join_words", "tel_uri", "capitalize_first", "WORDS_UP_TO",
]

NBSP = "\u00a0"      # no-break space: before ":", inside « », number and unit
NNBSP = "\u202f"     # narrow no-break space: before ; ! ? (OQLF "espace fine")
NBHYPHEN = "\u2011"  # non-breaking hyphen: inside phone numbers

#: Whole numbers up to this one are written in words in running text, as the
#: published reports do ("sept ententes", "onze points de services", but "14 ententes").
WORDS_UP_TO = 12

_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
          "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"]
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"]
_QUALIFIERS = ("plus de", "près de", "environ", "moins de")


class NumberError(ValueError):
    """A number written in a way that could be misread, with how to write it (``hint``)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


_EXAMPLES = "exemples : 207, 1 833, plus de 200"
#: A thousands separator French does not use: a comma or a period followed by exactly three digits.
_FOREIGN_GROUPING = re.compile(r"\d[.,]\d{3}(?!\d)")
_FRENCH_NUMBER = re.compile(r"(\d{1,3}(?: \d{3})+|\d+)(?:,(\d+))?")
#: An amount's unit: dollars, thousands of dollars or millions of dollars.
_AMOUNT_UNITS = {"$": Decimal(1), "k$": Decimal(1000), "M$": Decimal(1_000_000)}
_AMOUNT = re.compile(r"(.*?) ?(M ?\$|k ?\$|\$)")


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as published: a value and an optional qualifier ("plus de 200")."""
    value: Decimal
    qualifier: str = ""

    @classmethod
    def parse(cls, raw: int | float | str) -> Figure:
        """Read ``207``, ``"1 833"``, ``"16,2"``, ``"plus de 200"``; raise ValueError otherwise
        (NumberError, with the fix, for a number that could be misread: ``1,234``, ``16.2``)."""
        if isinstance(raw, bool):
            raise ValueError(f"un nombre est attendu, pas « {raw} »")
        if isinstance(raw, (int, float)):
            return cls(Decimal(str(raw)))
        qualifier, number = _split_qualifier(raw)
        return _meaningful(cls(_read_number(number, raw), qualifier), raw)

    @classmethod
    def parse_count(cls, raw: int | str) -> Figure:
        """A count of people, agreements…: a whole number (``207``, ``1 833``, ``plus de 200``)."""
        try:
            figure = cls.parse(raw)
        except NumberError as error:
            qualifier, text = _split_qualifier(raw)
            if _FOREIGN_GROUPING.search(text):  # thousands: no decimal to suggest in a count
                raise NumberError(str(error), error.hint.split(" ;")[0]) from None
            if not re.fullmatch(r"\d+\.\d+", text):
                raise
            figure = cls(Decimal(text), qualifier)  # a decimal point: a count is whole anyway
        if not figure.is_whole:
            lower = int(figure.value)
            words = f"{figure.qualifier} " if figure.qualifier else ""
            raise NumberError(f"« {raw} » : un nombre entier est attendu ici ({_EXAMPLES})",
                              f"écrivez {words}{lower} ou {words}{lower + 1}, sans décimale")
        return figure

    @classmethod
    def parse_amount(cls, raw: int | str) -> Figure:
        """An amount in dollars, with its unit and scale: ``16 200 000``, ``16 200 000 $``,
        ``16,2 M$``, ``250 k$``, ``près de 16,2 M$``. A number without a unit is read in
        dollars only when it is whole and at least 1 000: a bare ``16,2`` or ``16`` is refused
        rather than printed as « 16 $ ». Zero needs no unit: nothing was invested."""
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            return cls.parse(raw)  # refused there, with the usual words
        qualifier, text = _split_qualifier(raw)
        unit = _AMOUNT.fullmatch(text)
        if unit:
            value = _read_number(unit.group(1), raw) * _AMOUNT_UNITS[unit.group(2).replace(" ", "")]
            value = value.to_integral_value() if value == value.to_integral_value() else value
            return _meaningful(cls(value, qualifier), raw)
        value = _read_number(text, raw)
        if value == 0:
            return _meaningful(cls(value, qualifier), raw)  # nothing needs no unit
        if value != value.to_integral_value() or value < 1000:
            typed = f"{qualifier} {text}".strip()
            raise NumberError(f"« {raw} » : un montant s’écrit avec son unité",
                              f"pour des millions de dollars, écrivez « {typed} M$ » ; "
                              f"pour des dollars, « {typed} $ »")
        return cls(value, qualifier)

    @property
    def is_whole(self) -> bool:
        return self.value == self.value.to_integral_value()


def _meaningful(figure: Figure, raw: object) -> Figure:
    """A qualified figure that says something: « plus de 0 » or « environ 0 » says nothing,
    and « moins de 1 » means none, so both are refused with the way to write them."""
    if not figure.qualifier:
        return figure
    if figure.value == 0:
        raise NumberError(f"« {raw} » ne dit pas combien",
                          "écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0")
    if figure.qualifier == "moins de" and figure.value <= 1:
        raise NumberError(f"« {raw} » veut dire aucun", "écrivez 0")
    return figure


def _split_qualifier(raw: object) -> tuple[str, str]:
    """``"près de 16,2 M$"`` -> ``("près de", "16,2 M$")``, spaces made plain and single."""
    text = " ".join(str(raw).replace(NBSP, " ").replace(NNBSP, " ").split())
    qualifier = next((q for q in _QUALIFIERS if text.startswith(q + " ")), "")
    return qualifier, text[len(qualifier):].strip()


def _read_number(text: str, raw: object) -> Decimal:
    """``1 833`` or ``16,2`` as a Decimal; a grouping comma or period, or a decimal point,
    is refused with the way to write it."""
    if _FOREIGN_GROUPING.search(text):
        grouped = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", " ", str(raw))
        raise NumberError(f"« {raw} » : en français, la virgule marque les décimales et les milliers "
                          "se séparent par une espace",
                          f"écrivez {grouped} (avec une espace) ; pour une décimale, une virgule suivie "
                          "d’un ou deux chiffres (16,2)")
    if re.fullmatch(r"\d+\.\d+", text):
        raise NumberError(f"« {raw} » : en français, la décimale suit une virgule, pas un point",
                          f"écrivez {str(raw).replace('.', ',')}")
    match = _FRENCH_NUMBER.fullmatch(text)
    if not match:
        if re.fullmatch(r"[\d ]+(,\d+)?", text):
            grouped = format_number(Decimal(text.replace(" ", "").replace(",", "."))).replace(NBSP, " ")
            raise NumberError(f"« {raw} » : les espaces séparent les chiffres par groupes de trois",
                              f"écrivez {str(raw).replace(text, grouped)}")
        raise ValueError(f"« {raw} » n’est pas un nombre ({_EXAMPLES})")
    whole, fraction = match.groups()
    return Decimal(whole.replace(" ", "") + (f".{fraction}" if fraction else ""))


# ---------------------------------------------------------------- typography

_TYPO_RULES = [
    (re.compile(r"  +"), " "),                                       # one space between words
    (re.compile(r"'"), "\u2019"),                                   # typographic apostrophe
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NBSP),                 # inside guillemets
    (re.compile(r"[ \u00a0\u202f]*»"), NBSP + "»"),
    (re.compile(r"[ \u00a0\u202f]+:(?=\s|$)"), NBSP + ":"),           # before a colon
    (re.compile(r"(?<=[\w)»])(?=:(?:\s|$))"), NBSP),
    (re.compile(r"[ \u00a0\u202f]+([;!?])(?=\s|$)"), NNBSP + r"\1"),   # before ; ! ?
    (re.compile(r"(?<=[\w)»])(?=[;!?](?:\s|$))"), NNBSP),
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NBSP),                     # thousands separator
    (re.compile(r"(?<=\d) (?=(?:M\$|k\$|\$|%)(?!\w))"), NBSP),      # number and unit
    (re.compile(r"\b(1er|\d{1,2}) (?=(?:" + "|".join(_MONTHS) + r")\b)"), r"\1" + NBSP),
    (re.compile(r"\bp\. i\."), "p." + NBSP + "i."),
]
_PHONE = re.compile(r"\b(?:1[ -])?\(?\d{3}\)?[ -]\d{3}-\d{4}\b")


def _unbreakable_phone(match: re.Match) -> str:
    return match.group(0).replace(" ", NBSP).replace("-", NBHYPHEN)


def typeset(text: str) -> str:
    """Apply French typographic spacing and apostrophes to running text.

    Idempotent: typesetting typeset text changes nothing.
    """
    text = _PHONE.sub(_unbreakable_phone, text)
    for pattern, replacement in _TYPO_RULES:
        text = pattern.sub(replacement, text)
    return text


# ---------------------------------------------------------------- numbers

def format_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """``1833`` -> ``1 833`` (no-break space), ``16.2`` -> ``16,2``."""
    value = Decimal(str(value))
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign, digits = ("-", str(-value)) if value < 0 else ("", str(value))
    whole, _, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + NBSP.join(groups) + ("," + fraction if fraction else "")


def number_in_words(n: int, feminine: bool = False) -> str:
    """A small whole number in words: ``3`` -> ``trois``; ``1`` -> ``un`` or ``une``."""
    if not 0 <= n < len(_UNITS):
        raise ValueError(f"{n} : seuls les nombres de 0 à {len(_UNITS) - 1} s’écrivent ici en lettres")
    return "une" if (n == 1 and feminine) else _UNITS[n]


def money(figure: Figure | int) -> str:
    """An amount of dollars, as precise as it was given (OQLF: ``M$`` for millions):
    ``16200000`` -> ``16,2 M$``; ``1050000`` -> ``1,05 M$``; ``224000`` -> ``224 000 $``.

    Millions are used only when they say the amount exactly in at most two decimals;
    ``1234567`` stays ``1 234 567 $`` rather than lose its last digits.
    """
    figure = figure if isinstance(figure, Figure) else Figure.parse(figure)
    value = figure.value
    millions = value / 1_000_000
    if value >= 1_000_000 and millions == millions.quantize(Decimal("0.01")):
        text = _without_trailing_zeros(format_number(millions, 2)) + NBSP + "M$"
    elif figure.is_whole:
        text = format_number(value.to_integral_value()) + NBSP + "$"
    else:
        text = format_number(value, 2) + NBSP + "$"
    return f"{figure.qualifier} {text}" if figure.qualifier else text


def _without_trailing_zeros(text: str) -> str:
    """``16,20`` -> ``16,2``; ``20,00`` -> ``20``."""
    return text.rstrip("0").rstrip(",") if "," in text else text


def at_least(figure: Figure | int) -> Figure:
    """A round figure a reader takes in at a glance: ``207`` -> ``plus de 200``.

    Below 100 the figure is kept as it is; a figure already qualified is kept too.
    """
    figure = figure if isinstance(figure, Figure) else Figure.parse(figure)
    if figure.qualifier or figure.value < 100:
        return figure
    step = Decimal(10) ** (len(str(int(figure.value))) - (1 if figure.value < 1000 else 2))
    rounded = (figure.value // step) * step
    return figure if rounded == figure.value else Figure(rounded, "plus de")


# ---------------------------------------------------------------- dates and words

def long_date(day: dt.date) -> str:
    """``2021-03-31`` -> ``31 mars 2021``; the first of the month is ``1er``."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first}{NBSP}{_MONTHS[day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    """``2021-09-01`` -> ``septembre 2021``."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def join_words(items: list[str], conjunction: str = "et", each: str = "") -> str:
    """``["Sherbrooke", "Magog", "Richmond"]`` -> ``Sherbrooke, Magog et Richmond``;
    with ``each="de"``: ``de Sherbrooke, de Magog et de Richmond``."""
    items = [f"{each} {item}" if each else str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def tel_uri(phone: str) -> str:
    """``1 833 273-4667`` -> ``tel:+1-833-273-4667`` (RFC 3966, North American numbers)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 10:
        digits = "1" + digits
    if len(digits) != 11:
        raise ValueError(f"« {phone} » n’est pas un numéro nord-américain à 10 chiffres")
    return f"tel:+{digits[0]}-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"


def capitalize_first(text: str) -> str:
    """``ministère de …`` -> ``Ministère de …`` (only the first letter changes)."""
    return text[:1].upper() + text[1:]
