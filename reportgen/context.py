"""What a layout may use: a report's data as plain mappings with the French keys
staff know, and the helpers that turn figures into French.

A value the data does not give is absent, not None: a layout that uses it fails
with its own line named, and ``{% if chiffres.ententes is defined %}`` tests it.
A figure (``chiffres.…``, ``personnel.conseillers``, ``personnel.agents``) that a
layout uses and the data lacks is different: the layout goes on, and every such
figure is then reported at once at the data file (``missing_figures``).
"""
from __future__ import annotations

from decimal import Decimal

import jinja2
from markupsafe import Markup

from . import french, grammar
from .data.catalog import Report
from .data.fields import PERIOD_FIELDS, field_for
from .data.schema import Office
from .errors import DataError
from .markup import escape_markdown

__all__ = ["build_context", "missing_figures", "LAYOUT_HELPERS"]


class _FigureMissing(jinja2.StrictUndefined):
    """A figure a layout asked for and the data does not give. ``is defined`` is false;
    a helper given it notes it (``_figure``) and goes on, so all are reported together."""
    __slots__ = ()


class _Figures(dict):
    """Figures by their French key; a missing one is a ``_FigureMissing`` that remembers it."""

    def __init__(self, section: str, values: dict):
        super().__init__(values)
        self.section = section
        self.missing: list[str] = []
        self._path: tuple = ()
        self._seen: set | None = None

    def watched(self, path: tuple, seen: set) -> _Figures:
        """Note in ``seen`` each figure the layout reads (see ``usage.watched``)."""
        self._path, self._seen = path, seen
        return self

    def __getitem__(self, key: str):
        if self._seen is not None:
            self._seen.add(self._path + (key,))
        return super().__getitem__(key)

    def __missing__(self, key: str) -> _FigureMissing:
        return _FigureMissing(obj=self, name=key)


#: Stands in for a missing figure while the layout goes on; the report is not built.
_PLACEHOLDER = french.Figure(Decimal(2))


def build_context(report: Report) -> dict:
    """The variables a layout sees for ``report``."""
    region, period = report.region, report.period
    context = {
        "ministere": _present({"nom": report.ministry.name, "sigle": report.ministry.acronym,
                               "liens": dict(report.ministry.links),
                               "annonce_regionalisation": report.ministry.regionalization_announced}),
        "region": _present({
            "nom": region.name, "en": region.forms.in_, "de": region.forms.of,
            "preposition": _preposition(region.forms.in_, region.name),
            "direction": region.direction, "courriel": region.email, "telephone": region.phone,
            "bureaux": [_office(office) for office in region.offices],
            "villes": _unique(office.city for office in region.offices),
            "ressources": [{"nom": r.name, "lien": r.url} for r in region.resources],
        }),
        "periode": _present({"nom": report.period_id, "publication": period.published,
                             "au": period.as_of, "annees_financieres": grammar.fiscal_years(report.period_id),
                             "journees_quebec_virtuelles_depuis": period.virtual_recruiting_since}),
        "chiffres": _Figures("chiffres", _present({
            field.alias: getattr(period.figures, name)
            for name, field in type(period.figures).model_fields.items()
        })),
        "personnel": _staff(report),
        "projets": [Markup(text) for text in period.projects],
    }
    service_points = _service_points(report)
    if service_points is not None:
        context["chiffres"].setdefault("points_de_services", service_points)
    if period.illustration:
        context["illustration"] = {"fichier": period.illustration.file,
                                   "description": period.illustration.description}
    if period.quote:
        quote = period.quote
        paragraphs = [Markup(text) for text in quote.text.split("\n\n")]
        context["citation"] = {"texte": Markup(" ").join(paragraphs), "paragraphes": paragraphs,
                               "auteur": quote.author, "fonction": quote.role}
    return context


def missing_figures(report: Report, context: dict) -> list[DataError]:
    """One error per figure the rendered layout needed and the data lacks, at the data file."""
    errors = []
    order = [field.alias for field in type(report.period.figures).model_fields.values()] + ["conseillers", "agents"]
    for figures in (context["chiffres"], context["personnel"]):
        for name in sorted(set(figures.missing), key=lambda n: order.index(n) if n in order else len(order)):
            errors.append(DataError(
                f"chiffre « {name} » absent : le gabarit « {report.period.layout} » en a besoin",
                report.period_file.locate((figures.section, name)),
                f"ajoutez « {name}: … » sous « {figures.section}: » (exemple : {name}: {_example(figures.section, name)})"))
    return errors


def _example(section: str, name: str) -> str:
    """The field catalogue's example for a figure (« 16,2 M$ » for an amount, « 3 » else)."""
    spec = field_for(PERIOD_FIELDS, (section, name))
    return spec.example if spec else "3"


def _staff(report: Report) -> _Figures:
    staff = report.period.staff
    if staff is None:
        return _Figures("personnel", {"lieux_conseillers": [], "lieux_agents": []})
    values = {"conseillers": staff.advisers, "lieux_conseillers": staff.adviser_places,
              "agents": staff.agents, "lieux_agents": staff.agent_places}
    if staff.locations:
        values["emplacements"] = Markup(staff.locations)
    return _Figures("personnel", values)


def _preposition(in_form: str, name: str) -> str:
    """What comes before the region's name in ``in_form``: « en », « au », « sur la »."""
    if in_form.endswith(name):
        return in_form[: -len(name)].strip()
    return in_form.split(" ", 1)[0]


def _present(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value not in (None, [], {})}


def _office(office: Office) -> dict:
    return {"organisme": office.organisation, "adresse": office.address, "ville": office.city}


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _service_points(report: Report) -> french.Figure | None:
    """How many service points: the figure given, else the offices listed (the catalog
    has checked that the two agree when both are there)."""
    given = report.period.figures.service_points
    if given is not None:
        return given
    offices = len(report.region.offices)
    return french.Figure.parse(offices) if offices else None


def _figure(value) -> french.Figure:
    """A figure from a layout's value; a missing figure is noted and stood in for."""
    if isinstance(value, _FigureMissing):
        figures = value._undefined_obj
        figures.missing.append(value._undefined_name)
        return _PLACEHOLDER
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    return grammar.as_figure(value)


def _digits(value) -> str:
    """A figure in digits, for key-figure panels: ``207``, ``1 833``."""
    figure = _figure(value)
    text = french.format_number(figure.value)
    return f"{figure.qualifier} {text}" if figure.qualifier else text


def _count(value, singulier: str, pluriel: str, feminin: bool = False) -> str:
    """``compte(chiffres.ententes, "entente", "ententes", feminin=True)`` -> ``sept ententes``,
    ``une entente``, ``aucune entente``; a doublet ``"conseillère ou conseiller"`` gives
    ``une conseillère ou un conseiller``."""
    return grammar.count_phrase(_figure(value), grammar.Noun.of(singulier, pluriel, feminin))


def _definite(value, singulier: str, pluriel: str, feminin: bool = False) -> str:
    """``defini(n, "conseillère ou conseiller", "conseillères et conseillers", feminin=True)``
    -> ``la conseillère ou le conseiller`` / ``les conseillères et conseillers``."""
    return grammar.definite(_figure(value), grammar.Noun.of(singulier, pluriel, feminin))


def _demonstrative(value, singulier: str, pluriel: str, feminin: bool = False) -> str:
    """``demonstratif(n, "entente", "ententes", feminin=True)`` -> ``cette entente`` / ``ces ententes``."""
    return grammar.demonstrative(_figure(value), grammar.Noun.of(singulier, pluriel, feminin))


def _pronoun(value, singulier: str, pluriel: str, feminin: bool = False) -> str:
    """``pronom(n, "conseillère ou conseiller", "conseillères et conseillers", feminin=True)``
    -> ``ceux-ci`` / ``celle-ci ou celui-ci``."""
    return grammar.demonstrative_pronoun(_figure(value), grammar.Noun.of(singulier, pluriel, feminin))


def _agree(value, singulier: str, pluriel: str, zero: str | None = None) -> str:
    """The verb or adjective form that agrees with a figure: ``a été`` / ``ont été``;
    ``zero`` is the form after « aucun » when it differs (``n’a été``)."""
    figure = _figure(value)
    if zero is not None and grammar.is_zero(figure):
        return zero
    return grammar.agree(figure, singulier, pluriel)


def _is_plural(value) -> bool:
    """``{% if est_pluriel(n) %}``: two or more, or a qualified figure (« plus de 200 »)."""
    return grammar.is_plural(_figure(value))


def _is_zero(value) -> bool:
    """``{% if est_zero(n) %}``: exactly nothing, the sentence becomes « aucune … »."""
    return grammar.is_zero(_figure(value))


def _sum(*values) -> french.Figure:
    """``somme(p.conseillers, p.agents)``: figures added, qualified if any of them is."""
    figures = [_figure(value) for value in values]
    qualifier = next((f.qualifier for f in figures if f.qualifier), "")
    return french.Figure(sum((f.value for f in figures), Decimal(0)), qualifier)


def _elided(word: str):
    def elided(text):
        result = grammar.elide(word, str(text)) if word == "que" else grammar.after_preposition(word, str(text))
        return Markup(result) if isinstance(text, Markup) else result
    elided.__doc__ = (f"« {word} » before a text, elided when needed: ``{word}(compte(…))``"
                      + ("" if word == "que" else f"; repeated in a doublet (« {word} une … ou {word} un … »)."))
    return elided


def _place(name: str, preposition: str) -> str:
    """``lieu("Les Escoumins", "à")`` -> ``aux Escoumins``; ``lieu("Amos", "de")`` -> ``d’Amos``."""
    return grammar.place(name, preposition)


def _list(items, chacun: str = "", conjonction: str = "et") -> str:
    """``liste(["Gaspé", "Carleton-sur-Mer"], "de")`` -> ``de Gaspé et de Carleton-sur-Mer``;
    with « à » or « de », each town's article merges: ``à Sept-Îles et aux Escoumins``."""
    return grammar.places(list(items), chacun, conjonction)


def _end_item(text, mark: str):
    """``fin(projet, " ;")``: an item with its closing mark, never « etc.. »."""
    result = grammar.end_item(str(text), mark)
    return Markup(result) if isinstance(text, Markup) else result


def _guillemets(paragraphs) -> list:
    """``guillemets(citation.paragraphes)``: « at the start of each paragraph, » after the last."""
    marked = grammar.quoted_paragraphs([str(p) for p in paragraphs])
    return [Markup(text) for text in marked]


def _unbreakable(text):
    """``{{ region.en | insecable }}``: no line break inside (« sur la Côte-Nord » in a title
    is never left as « sur la » at the end of a line)."""
    escaped = str(text) if isinstance(text, Markup) else escape_markdown(text)  # escaping folds spaces
    return Markup(" ".join(escaped.split()).replace(" ", french.NBSP))


#: Helpers every layout can call, named in French for the people who edit layouts.
LAYOUT_HELPERS = {
    "compte": _count,
    "defini": _definite,
    "demonstratif": _demonstrative,
    "pronom": _pronoun,
    "montant": lambda value: french.money(_figure(value)),
    "plus_de": lambda value: french.at_least(_figure(value)),
    "chiffre": _digits,
    "accord": _agree,
    "est_pluriel": _is_plural,
    "est_zero": _is_zero,
    "somme": _sum,
    "que": _elided("que"),
    "de": _elided("de"),
    "a": _elided("à"),
    "date_longue": french.long_date,
    "mois_annee": french.month_year,
    "lieu": _place,
    "liste": _list,
    "fin": _end_item,
    "guillemets": _guillemets,
    "tel": french.tel_uri,
    "majuscule": french.capitalize_first,
    "insecable": _unbreakable,
}
