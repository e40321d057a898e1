"""The typed model of the data files (pydantic), with the French keys staff write.

Attribute names are English; each field's alias is the key written in the YAML.
Unknown keys are errors (``extra="forbid"``), so a misspelt key never goes unseen.
What stays from year to year (the region) is apart from what belongs to one period.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from markdown_it import MarkdownIt

from ..french import Figure
from ..markup import check_url, clean_inline_markdown

__all__ = ["Ministry", "Region", "RegionForms", "Office", "Resource", "Period",
           "Figures", "Staff", "QuoteData", "Illustration", "FigureValue", "AmountValue", "RichText", "Url"]


class _HintedError(ValueError):
    """A refused value with the way to write it (``hint``), as the messages show it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


_MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre")


def _parse_month(raw: object) -> object:
    """``2021-09`` is a month: read it as its first day. A month in words (« septembre 2022 »)
    is refused with the form to write (« 2022-09 »)."""
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}", raw.strip()):
        if not 1 <= int(raw.strip()[-2:]) <= 12:
            raise _HintedError(f"« {raw} » : le mois s’écrit de 01 à 12",
                               "écrivez l’année, puis le mois en deux chiffres (exemple : 2022-09 pour septembre 2022)")
        return raw.strip() + "-01"
    if isinstance(raw, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        raise _HintedError(f"« {raw} » : un mois s’écrit AAAA-MM", f"écrivez {_month_example(raw)}")
    return raw


def _month_example(raw: str) -> str:
    """« septembre 2022 » -> « 2022-09 »; anything else -> the usual example."""
    digits = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})", raw.strip())
    if digits and 1 <= int(digits.group(2)) <= 12:
        return f"{digits.group(1)}-{int(digits.group(2)):02d} (l’année, puis le mois en deux chiffres)"
    words = raw.lower().replace("1er", "").replace(".", " ").split()
    month = next((index for index, name in enumerate(_MONTH_NAMES, 1)
                  if any(word == name or (len(word) >= 4 and name.startswith(word)) for word in words)), None)
    year = next((word for word in words if re.fullmatch(r"\d{4}", word)), None)
    if month and year:
        return f"{year}-{month:02d} (l’année, puis le mois en deux chiffres)"
    return "l’année, puis le mois en deux chiffres (exemple : 2022-09 pour septembre 2022)"


def _check_email(raw: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", raw, re.IGNORECASE):
        raise ValueError(f"« {raw} » n’est pas une adresse courriel (exemple : nom@mifi.gouv.qc.ca)")
    return raw


def _check_phone(raw: str) -> str:
    if len(re.sub(r"\D", "", raw)) not in (10, 11):
        raise ValueError(f"« {raw} » n’est pas un numéro de téléphone (exemple : 1 833 273-4667)")
    return raw


def _balanced_guillemets(raw: str) -> str:
    """Refuse a « without its », or a » without its «: the quotation would print half open."""
    depth = 0
    for char in raw:
        depth += {"«": 1, "»": -1}.get(char, 0)
        if depth < 0:
            raise _fixable("guillemet français fermant (») sans guillemet ouvrant («)",
                           "ajoutez « là où le passage entre guillemets commence, ou retirez »")
    if depth:
        raise _fixable("guillemet français ouvrant («) sans guillemet fermant (»)",
                       "ajoutez » là où le passage entre guillemets se termine, ou retirez «")
    return raw


_INLINE = MarkdownIt("commonmark", {"html": False})


def _closed_emphasis(raw: str) -> str:
    """Refuse a ``*`` or ``**`` left open: it would print as an asterisk instead of italics or bold."""
    typed = len(re.findall(r"(?<!\\)\*", raw))
    used = sum(len(token.markup) for token in (_INLINE.parseInline(raw)[0].children or [])
               if token.type in ("em_open", "em_close", "strong_open", "strong_close") and "*" in token.markup)
    if typed > used:
        bold = re.search(r"(?<!\\)\*\*", raw) and used % 4 == 0 and typed - used >= 2
        raise _fixable("gras (**) ouvert mais jamais fermé" if bold else "astérisque (*) ouvert mais jamais fermé",
                       "fermez-le après le dernier mot : *italique* ou **gras** ; pour imprimer un astérisque, "
                       "écrivez \\*")
    return raw


def _fixable(message: str, hint: str) -> ValueError:
    error = ValueError(message)
    error.hint = hint  # messages.py gives it to the user as the fix
    return error


def _normalize_text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("ce texte est vide")
    return " ".join(raw.split())


#: Limits that no real report reaches; past them a field is a mistake (a pasted document,
#: a runaway export), reported at once rather than left to slow the layout down.
MAX_TEXT = 300
MAX_RICH_TEXT = 3000
MAX_ITEMS = 60

#: A count (people, agreements, advisers…): a whole number, possibly qualified ("plus de 200").
FigureValue = Annotated[Figure, BeforeValidator(Figure.parse_count)]
#: An amount of dollars, with its unit and scale ("16,2 M$", "16 200 000 $", "près de 16,2 M$").
AmountValue = Annotated[Figure, BeforeValidator(Figure.parse_amount)]
RichText = Annotated[str, StringConstraints(max_length=MAX_RICH_TEXT), AfterValidator(_balanced_guillemets),
                     AfterValidator(_closed_emphasis), AfterValidator(clean_inline_markdown)]
Url = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(check_url)]
PlainText = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_normalize_text),
                      AfterValidator(_balanced_guillemets)]
Month = Annotated[dt.date, BeforeValidator(_parse_month)]
#: A layout part's name, as written after ``{% block`` in the layout.
PartName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)]


def _clean_paragraphs(raw: str) -> str:
    """Rich text of one or more paragraphs (separated by a blank line), each reduced to safe
    inline markup like any rich text; the markup of paragraphs separated by blank lines."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n[ \t]*\n", raw.strip()) if part.strip()]
    if not paragraphs:
        raise ValueError("ce texte est vide")
    return "\n\n".join(clean_inline_markdown(paragraph) for paragraph in paragraphs)


RichParagraphs = Annotated[str, StringConstraints(max_length=MAX_RICH_TEXT), AfterValidator(_clean_paragraphs)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              arbitrary_types_allowed=True)


class Ministry(_Model):
    """Facts about the ministry that every report uses (``data/ministere.yaml``)."""
    name: PlainText = Field(alias="nom")
    acronym: PlainText = Field(alias="sigle")
    links: dict[str, Url] = Field(alias="liens", default_factory=dict, max_length=MAX_ITEMS)
    #: When regionalization was announced (« depuis l’annonce … en août 2019 »): a date the
    #: reports state comes from data, never from a layout.
    regionalization_announced: Optional[Month] = Field(None, alias="annonce_regionalisation")


class RegionForms(_Model):
    """How the region's name reads in a sentence: "en Estrie", "de l’Estrie"."""
    in_: PlainText = Field(alias="en")
    of: PlainText = Field(alias="de")


class Office(_Model):
    """A service point where the ministry's staff receive people."""
    organisation: PlainText = Field(alias="organisme")
    address: PlainText = Field(alias="adresse")
    city: PlainText = Field(alias="ville")


class Resource(_Model):
    """A local organisation that helps immigrants settle, with its website."""
    name: PlainText = Field(alias="nom")
    url: Url = Field(alias="lien")


class Region(_Model):
    """What does not change from one period to the next (``data/<slug>/region.yaml``)."""
    name: PlainText = Field(alias="nom")
    forms: RegionForms = Field(alias="formes")
    direction: PlainText = Field(alias="direction_regionale")
    email: Optional[Annotated[str, AfterValidator(_check_email)]] = Field(None, alias="courriel")
    phone: Optional[Annotated[str, AfterValidator(_check_phone)]] = Field(None, alias="telephone")
    offices: list[Office] = Field(alias="bureaux", default_factory=list, max_length=MAX_ITEMS)
    resources: list[Resource] = Field(alias="ressources", default_factory=list, max_length=MAX_ITEMS)


class Figures(_Model):
    """The period's figures; a layout uses those it needs, and says so when one is missing."""
    people_helped: Optional[FigureValue] = Field(None, alias="personnes_accompagnees")
    employers_helped: Optional[FigureValue] = Field(None, alias="entreprises_accompagnees")
    agreements: Optional[FigureValue] = Field(None, alias="ententes")
    partners: Optional[FigureValue] = Field(None, alias="partenaires")
    investment: Optional[AmountValue] = Field(None, alias="investissement")
    local_actions: Optional[FigureValue] = Field(None, alias="actions_locales")
    service_points: Optional[FigureValue] = Field(None, alias="points_de_services")


class Staff(_Model):
    """The regional team: advisers (CIR) and integration agents (AAI), and where they work."""
    advisers: FigureValue = Field(alias="conseillers")
    adviser_places: list[PlainText] = Field(alias="lieux_conseillers", default_factory=list, max_length=MAX_ITEMS)
    agents: FigureValue = Field(alias="agents")
    agent_places: list[PlainText] = Field(alias="lieux_agents", default_factory=list, max_length=MAX_ITEMS)
    #: Where the service points are, in words ("dans les bureaux de … ainsi qu’à …");
    #: without it, the layout names the cities of the region's offices.
    locations: Optional[RichText] = Field(None, alias="emplacements")


class QuoteData(_Model):
    """The director's words (paragraphs separated by a blank line), and who they are."""
    text: RichParagraphs = Field(alias="texte")
    author: PlainText = Field(alias="auteur")
    role: PlainText = Field(alias="fonction")


class Illustration(_Model):
    """A picture for the report, from assets/, and what it shows (its alternative text)."""
    file: PlainText = Field(alias="fichier")
    description: PlainText = Field(alias="description")


class Period(_Model):
    """What belongs to one period (``data/<slug>/<période>.yaml``)."""
    layout: PlainText = Field(alias="gabarit")
    published: Optional[Month] = Field(None, alias="publication")
    as_of: Optional[dt.date] = Field(None, alias="au")
    #: Since when the Journées Québec recruit abroad online: a dated sentence comes from data.
    virtual_recruiting_since: Optional[Month] = Field(None, alias="journees_quebec_virtuelles_depuis")
    figures: Figures = Field(alias="chiffres")
    staff: Optional[Staff] = Field(None, alias="personnel")
    projects: list[RichText] = Field(alias="projets", default_factory=list, max_length=MAX_ITEMS)
    quote: Optional[QuoteData] = Field(None, alias="citation")
    illustration: Optional[Illustration] = Field(None, alias="illustration")
    #: The day the report was published: from then on it is frozen (``build`` never redoes it
    #: unless told to with ``--republier``). Not the same as ``publication``, the month printed.
    published_on: Optional[dt.date] = Field(None, alias="publie")
    #: This period's own text for named parts of its layout (``{% block nom %}``), as rich text.
    replacements: dict[PartName, RichParagraphs] = Field(alias="remplacements", default_factory=dict,
                                                         max_length=MAX_ITEMS)
