"""French grammar for sentences written from data: counts that agree for 0, 1 and many,
doublets (« une conseillère ou un conseiller »), elision (« qu’une », « d’Amos »),
demonstratives, places with their preposition and article (« aux Escoumins »),
fiscal years, and the punctuation of list items and quotations.

``french`` decides how a number looks; this module decides the words around it.
Every function takes what the data gives (a ``Figure``, a town's name) and returns
the words a sentence needs, so a layout never assumes a plural or an article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .french import WORDS_UP_TO, Figure, format_number, number_in_words

__all__ = [
    "APOSTROPHE", "Noun", "as_figure", "is_zero", "is_plural", "agree", "qualified", "count_phrase",
    "definite", "demonstrative", "demonstrative_pronoun", "elide", "after_preposition", "starts_with_vowel_sound",
    "place", "places", "fiscal_years", "end_item", "quoted_paragraphs",
]

APOSTROPHE = "\u2019"
_VOWELS = "aeiouàâäéèêëîïôöùûüœæ"
#: Words that start with a vowel sound but take no elision: « de onze », « le huitième ».
_NO_ELISION = ("onze", "onzième", "huit", "huitième", "uns")
#: Short words that elide before a vowel sound: « de » -> « d’ », « que » -> « qu’ ».
_ELIDING = ("de", "que", "le", "la", "ne", "se", "jusque", "lorsque", "puisque")


# ---------------------------------------------------------------- figures

def as_figure(value) -> Figure:
    """A figure from what a layout holds: a ``Figure`` or a plain number."""
    return value if isinstance(value, Figure) else Figure.parse(value)


def is_zero(value) -> bool:
    """Whether a figure is exactly nothing (« aucune entente »); « moins de 5 » is not."""
    figure = as_figure(value)
    return figure.value == 0 and not figure.qualifier


def is_plural(value) -> bool:
    """Whether a figure takes the plural: two or more. In French, 0, 1 and 1,5 take the
    singular, and a qualified figure agrees with its number: « plus d’une personne a été
    accompagnée », « plus de deux personnes ont été accompagnées »."""
    return as_figure(value).value >= 2


def agree(value, singular: str, plural: str) -> str:
    """The form that agrees with a figure: ``agree(1, "a été", "ont été")`` -> ``a été``."""
    return plural if is_plural(value) else singular


# ---------------------------------------------------------------- nouns

@dataclass(frozen=True, slots=True)
class Noun:
    """A countable noun: its singular, its plural and its gender.

    A doublet (« conseillère ou conseiller » / « conseillères et conseillers ») is two
    nouns, feminine first; each takes its own article in the singular.
    """
    singular: str
    plural: str
    feminine: bool = False
    partner: Noun | None = None

    @classmethod
    def of(cls, singular: str, plural: str, feminine: bool = False) -> Noun:
        """Read a noun as layouts write it; ``"agente ou agent", "agentes et agents"``
        is a doublet whose first member has the gender ``feminine`` says."""
        one, _, other = singular.partition(" ou ")
        many, _, others = plural.partition(" et ")
        if other and others:
            one_article = re.match(r"(?:une?|la|le|l’|l')\s*", other)  # « ou un conseiller » as some write it
            other = other[one_article.end():] if one_article else other
            return cls(one, many, feminine, cls(other, others, not feminine))
        return cls(singular, plural, feminine)

    def members(self) -> tuple[Noun, ...]:
        return (self,) if self.partner is None else (self, self.partner)


def _noun(noun: Noun | str, plural: str = "", feminine: bool = False) -> Noun:
    return noun if isinstance(noun, Noun) else Noun.of(noun, plural or noun + "s", feminine)


def _number_words(figure: Figure, feminine: bool) -> str:
    """How a figure reads in running text, without its noun: words up to twelve, digits after."""
    if figure.is_whole and figure.value <= WORDS_UP_TO:
        text = number_in_words(int(figure.value), feminine)
    else:
        text = format_number(figure.value)
    return qualified(figure.qualifier, text)


def qualified(qualifier: str, text: str) -> str:
    """A number's words after its qualifier, « de » elided: « plus d’une », « environ une »,
    « moins de deux », « plus de onze »."""
    if not qualifier:
        return text
    head, _, last = qualifier.rpartition(" ")
    return (head + " " if head else "") + elide(last, text)


def count_phrase(value, noun: Noun) -> str:
    """A figure with its noun, as running text says it, for any figure.

    0 -> « aucune entente », « aucune conseillère ni aucun conseiller »;
    1 -> « une entente », « une conseillère ou un conseiller »;
    7 -> « sept ententes », « sept conseillères et conseillers »; 14 -> « 14 ententes »;
    plus de 100 -> « plus d’une centaine d’ententes ».
    """
    figure = as_figure(value)
    if figure.qualifier and figure.value == 100:
        return _about_a_hundred(figure.qualifier, _plural(noun))
    if is_zero(figure):
        return " ni ".join(("aucune " if n.feminine else "aucun ") + n.singular for n in noun.members())
    if is_plural(figure):
        return f"{_number_words(figure, noun.feminine)} {_plural(noun)}"
    if figure.value == 1:
        one = " ou ".join(("une " if n.feminine else "un ") + n.singular for n in noun.members())
        return _qualified_one(figure.qualifier, one)
    return f"{format_number(figure.value)} {noun.singular}"  # 1,5 : singular, in digits


def _qualified_one(qualifier: str, phrase: str) -> str:
    """« plus d’une entente », « plus d’une conseillère ou d’un conseiller »,
    « environ une entente »: the singular, « de » repeated in a doublet."""
    if not qualifier:
        return phrase
    head, _, last = qualifier.rpartition(" ")
    if last == "de":
        return f"{head} " + after_preposition("de", phrase)
    return f"{qualifier} {phrase}"


def _about_a_hundred(qualifier: str, plural: str) -> str:
    """« plus de 100 » reads « plus d’une centaine d’actions », « environ une centaine de projets »."""
    return qualified(qualifier, "une centaine") + " " + elide("de", plural)


def _plural(noun: Noun) -> str:
    return noun.plural if noun.partner is None else f"{noun.plural} et {noun.partner.plural}"


def definite(value, noun: Noun) -> str:
    """The noun with its definite article, agreeing with a figure:
    « la conseillère ou le conseiller », « les conseillères et conseillers », « l’entente »."""
    if is_plural(value):
        return "les " + _plural(noun)
    return " ou ".join(elide("la" if n.feminine else "le", n.singular) for n in noun.members())


def demonstrative(value, noun: Noun) -> str:
    """The noun with its demonstrative: « cette entente », « cet employeur », « ces ententes »,
    « cette conseillère ou ce conseiller »."""
    if is_plural(value):
        return "ces " + _plural(noun)
    return " ou ".join(_singular_demonstrative(n) + " " + n.singular for n in noun.members())


def _singular_demonstrative(noun: Noun) -> str:
    if noun.feminine:
        return "cette"
    return "cet" if starts_with_vowel_sound(noun.singular) else "ce"


def demonstrative_pronoun(value, noun: Noun) -> str:
    """The pronoun that stands for the noun: « ceux-ci » (masculine or mixed plural),
    « celles-ci », « celui-ci », « celle-ci », « celle-ci ou celui-ci » for a doublet."""
    if is_plural(value):
        return "celles-ci" if noun.feminine and noun.partner is None else "ceux-ci"
    return " ou ".join("celle-ci" if n.feminine else "celui-ci" for n in noun.members())


# ---------------------------------------------------------------- elision

def starts_with_vowel_sound(word: str) -> bool:
    """Whether a word elides what precedes it: a vowel, or an h followed by é/è
    (« d’Hébertville ») — other h are taken as aspirated (« de Havre-Saint-Pierre »)."""
    lower = word.lstrip("«\u00a0 ").lower()
    if not lower or lower.startswith(_NO_ELISION):
        return False
    if lower[0] == "h":
        return lower[1:2] in ("é", "è")
    return lower[0] in _VOWELS


def elide(word: str, following: str) -> str:
    """``word`` followed by ``following``, elided when French requires it:
    ``elide("que", "une conseillère")`` -> ``qu’une conseillère``; ``elide("de", "Amos")``
    -> ``d’Amos``; ``elide("de", "onze ententes")`` -> ``de onze ententes``."""
    if word.lower() in _ELIDING and starts_with_vowel_sound(following):
        return word[:-1] + APOSTROPHE + following
    return f"{word} {following}" if following else word


_DOUBLET_SECOND = re.compile(r" (ou|ni) (une?|aucune?) ")


def after_preposition(preposition: str, phrase: str) -> str:
    """A counted phrase after « de » or « à », the preposition repeated before the second
    member of a doublet: ``after_preposition("de", "une conseillère ou un conseiller")`` ->
    ``d’une conseillère ou d’un conseiller``; ``("de", "deux agentes et agents")`` ->
    ``de deux agentes et agents``."""
    def repeat(match: re.Match) -> str:
        return f" {match.group(1)} " + elide(preposition, match.group(2)) + " "
    return elide(preposition, _DOUBLET_SECOND.sub(repeat, phrase, count=1))


# ---------------------------------------------------------------- places

#: « à » and « de » merge with the article a place name starts with.
_CONTRACTED = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def place(name: str, preposition: str) -> str:
    """A town or place after « à » or « de », with its own article:
    « à Amos », « d’Amos », « aux Escoumins », « des Escoumins », « au Bic », « du Bic »,
    « à La Tuque », « de L’Islet », « aux Îles-de-la-Madeleine ».

    An article written as part of the name (« Le », « La », « Les », « L’ ») is the
    name's own: « le » and « les » merge with the preposition, « La » and « L’ » stay.
    A name starting with « Îles » is plural and takes « aux » / « des ».
    """
    name = name.strip()
    if preposition not in ("à", "de"):
        return f"{preposition} {name}"
    first, _, rest = name.partition(" ")
    article = first.lower()
    if rest and (preposition, article) in _CONTRACTED:
        return f"{_CONTRACTED[preposition, article]} {rest}"
    if re.match(r"[ÎI]les\b", name):
        return f"{_CONTRACTED[preposition, 'les']} {name}"
    return elide(preposition, name) if not re.match(r"(?i)l['’]", name) else f"{preposition} {name}"


def places(names, preposition: str = "", conjunction: str = "et") -> str:
    """Several places, the preposition repeated and merged with each one's article:
    « à Baie-Comeau, à Sept-Îles et aux Escoumins »; without a preposition, the names as
    they are: « Sherbrooke, Magog et Richmond »."""
    items = [place(name, preposition) if preposition else str(name) for name in names]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


# ---------------------------------------------------------------- periods

_PERIOD = re.compile(r"(\d{4})-(\d{4})")


def fiscal_years(period_id: str) -> str:
    """The fiscal years a period covers (Québec's run from April to March):
    ``2020-2021`` -> « l’année financière 2020-2021 »;
    ``2019-2021`` -> « les années financières 2019-2020 et 2020-2021 »."""
    match = _PERIOD.fullmatch(period_id)
    if not match:
        raise ValueError(f"« {period_id} » n’est pas une période (exemple : 2020-2021)")
    first, last = int(match.group(1)), int(match.group(2))
    years = [f"{year}-{year + 1}" for year in range(first, last)]
    if len(years) == 1:
        return f"l{APOSTROPHE}année financière {years[0]}"
    return "les années financières " + ", ".join(years[:-1]) + " et " + years[-1]


# ---------------------------------------------------------------- punctuation

_ENDS_SENTENCE = re.compile(r"[.!?…]\W*$")


def end_item(text: str, mark: str) -> str:
    """A list item with its closing mark, never doubled: ``"patinage, etc."`` + ``"."``
    stays ``patinage, etc.``; with ``" ;"`` it becomes ``patinage, etc. ;``."""
    stripped = text.rstrip()
    if mark.strip() == "." and _ENDS_SENTENCE.search(stripped):
        return stripped
    return stripped + mark


def quoted_paragraphs(paragraphs: list[str]) -> list[str]:
    """The paragraphs of a quotation with French guillemets as the OQLF sets them:
    an opening « at the start of every paragraph, one closing » after the last."""
    last = len(paragraphs) - 1
    return [f"«\u00a0{text}" + ("\u00a0»" if index == last else "") for index, text in enumerate(paragraphs)]
