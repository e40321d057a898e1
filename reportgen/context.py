"""What a layout may use: a report's data as plain mappings with the French keys
staff know, and the helpers that turn figures into French.

A value the data does not give is absent, not None: a layout that uses it fails
with its own line named, and ``{% if chiffres.ententes is defined %}`` tests it.
"""
from __future__ import annotations

from markupsafe import Markup

from . import french
from .data.catalog import Report
from .data.schema import Office

__all__ = ["build_context", "LAYOUT_HELPERS"]


def build_context(report: Report) -> dict:
    """The variables a layout sees for ``report``."""
    region, period = report.region, report.period
    context = {
        "ministere": {"nom": report.ministry.name, "sigle": report.ministry.acronym,
                      "liens": dict(report.ministry.links)},
        "region": _present({
            "nom": region.name, "en": region.forms.in_, "de": region.forms.of,
            "direction": region.direction, "courriel": region.email, "telephone": region.phone,
            "bureaux": [_office(office) for office in region.offices],
            "villes": _unique(office.city for office in region.offices),
            "ressources": [{"nom": r.name, "lien": r.url} for r in region.resources],
        }),
        "periode": _present({"nom": report.period_id, "publication": period.published,
                             "au": period.as_of}),
        "chiffres": _present({
            field.alias: getattr(period.figures, name)
            for name, field in type(period.figures).model_fields.items()
        }),
        "projets": [Markup(text) for text in period.projects],
    }
    context["chiffres"].setdefault("points_de_services", _service_points(report))
    if period.staff:
        staff = period.staff
        context["personnel"] = {"conseillers": staff.advisers, "lieux_conseillers": staff.adviser_places,
                                "agents": staff.agents, "lieux_agents": staff.agent_places}
        if staff.locations:
            context["personnel"]["emplacements"] = Markup(staff.locations)
    if period.illustration:
        context["illustration"] = {"fichier": period.illustration.file,
                                   "description": period.illustration.description}
    if period.quote:
        quote = period.quote
        context["citation"] = {"texte": Markup(quote.text), "auteur": quote.author, "fonction": quote.role}
    return {key: value for key, value in context.items() if value is not None}


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
    return value if isinstance(value, french.Figure) else french.Figure.parse(value)


def _digits(value) -> str:
    """A figure in digits, for key-figure panels: ``207``, ``1 833``."""
    figure = _figure(value)
    text = french.format_number(figure.value)
    return f"{figure.qualifier} {text}" if figure.qualifier else text


def _count(value, singulier: str, pluriel: str, feminin: bool = False) -> str:
    """``compte(chiffres.ententes, "entente", "ententes", feminin=True)`` -> ``sept ententes``."""
    return french.count(_figure(value), singulier, pluriel, feminin)


def _list(items, chacun: str = "", conjonction: str = "et") -> str:
    """``liste(["Gaspé", "Carleton-sur-Mer"], "de")`` -> ``de Gaspé et de Carleton-sur-Mer``."""
    return french.join_words(list(items), conjonction, chacun)


def _agree(value, singular: str, plural: str) -> str:
    """The verb or adjective form that agrees with a figure: ``a été`` / ``ont été``."""
    figure = _figure(value)
    return singular if figure.value <= 1 and not figure.qualifier else plural


#: Helpers every layout can call, named in French for the people who edit layouts.
LAYOUT_HELPERS = {
    "compte": _count,
    "montant": french.money,
    "plus_de": french.at_least,
    "chiffre": _digits,
    "accord": _agree,
    "date_longue": french.long_date,
    "mois_annee": french.month_year,
    "liste": _list,
    "tel": french.tel_uri,
    "majuscule": french.capitalize_first,
}
