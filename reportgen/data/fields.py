"""The field catalogue: every key staff write, with its French label, help and example.

One definition, next to the schema, read by everything a person meets: the atelier's
form, the spreadsheet import and export (whose column headers are the labels) and the
README's field reference (``python -m reportgen.data.fields README.md`` rewrites it).
A test checks that the catalogue and the schema name exactly the same keys.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FieldSpec", "FILES", "MINISTRY_FIELDS", "REGION_FIELDS", "PERIOD_FIELDS", "KINDS",
           "field_for", "figure_fields", "normalize_label", "reference_table", "update_readme"]

#: What a field holds; the form picks its widget from it, the import its reading.
KINDS = {
    "text": "texte",
    "rich_text": "texte enrichi (*italique*, **gras**, [lien](https://…))",
    "rich_paragraphs": "texte enrichi en paragraphes (une ligne vide entre deux)",
    "figure": "nombre (207, 1 833, plus de 200)",
    "amount": "montant avec son unité (16,2 M$, 224 000 $, près de 16,2 M$)",
    "date": "date AAAA-MM-JJ",
    "month": "mois AAAA-MM (ou date AAAA-MM-JJ)",
    "email": "adresse courriel",
    "phone": "numéro de téléphone",
    "url": "adresse Web complète (https://…)",
    "layout": "nom d’un gabarit de layouts/",
    "text_list": "liste de textes",
    "rich_text_list": "liste de textes enrichis",
    "records": "liste de fiches",
    "links": "liste nom → adresse",
    "parts": "nom d’une partie du gabarit → texte enrichi (paragraphes séparés par une ligne vide)",
    "section": "section",
}


@dataclass(frozen=True)
class FieldSpec:
    """One key of a data file, as staff meet it.

    ``key`` is the dotted path written in YAML (``chiffres.ententes``); inside a list of
    records (``items``) the keys are relative to one record. ``required`` says whether the
    key must be there whenever its section is.
    """
    key: str
    label: str
    help: str
    example: str
    kind: str
    required: bool = False
    items: tuple[FieldSpec, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """The key path, as the YAML loader and the validation messages name it."""
        return tuple(self.key.split("."))


def _f(key: str, label: str, help: str, example: str, kind: str, required: bool = False,
       items: tuple[FieldSpec, ...] = ()) -> FieldSpec:
    return FieldSpec(key, label, help, example, kind, required, items)


MINISTRY_FIELDS: tuple[FieldSpec, ...] = (
    _f("nom", "Nom du Ministère", "Le nom tel qu’il se lit dans une phrase, avec sa minuscule initiale.",
       "ministère de l'Immigration, de la Francisation et de l'Intégration", "text", True),
    _f("sigle", "Sigle", "Le sigle du Ministère.", "MIFI", "text", True),
    _f("annonce_regionalisation", "Annonce de la régionalisation", "Le mois de l’annonce de la régionalisation "
       "(« depuis l’annonce … en août 2019 ») ; sans lui, la phrase ne donne pas de date.", "2019-08", "month"),
    _f("liens", "Liens du Ministère", "Les pages du Ministère vers lesquelles pointent les liens des bilans : "
       "un nom, puis l’adresse complète.", "accompagnement_quebec: https://www.quebec.ca/immigration", "links"),
)

REGION_FIELDS: tuple[FieldSpec, ...] = (
    _f("nom", "Nom de la région", "Le nom officiel de la région administrative.",
       "Gaspésie–Îles-de-la-Madeleine", "text", True),
    _f("formes", "Formes du nom", "Comment le nom se lit dans une phrase ; l’article ne se devine pas.",
       "en: en Estrie", "section", True),
    _f("formes.en", "La région, « en … »", "Le nom précédé de sa préposition : en, au, dans le, dans les, sur la.",
       "en Estrie", "text", True),
    _f("formes.de", "La région, « de … »", "Le nom précédé de « de » et de son article : de, du, de la, de l’, des.",
       "de l'Estrie", "text", True),
    _f("direction_regionale", "Direction régionale", "Le nom de la direction régionale du Ministère.",
       "Direction régionale de l'Estrie", "text", True),
    _f("courriel", "Courriel", "L’adresse courriel où écrire à l’équipe régionale.",
       "accompagnement_qc_DREMCQ@mifi.gouv.qc.ca", "email"),
    _f("telephone", "Téléphone", "Le numéro à composer, avec son indicatif.", "1 833 273-4667", "phone"),
    _f("bureaux", "Bureaux", "Les points de services où le personnel reçoit les personnes ; "
       "leur nombre donne celui des points de services.", "Services Québec, 70, rue King Ouest, Sherbrooke",
       "records", items=(
           _f("organisme", "Organisme", "L’organisme qui accueille le bureau.", "Services Québec", "text", True),
           _f("adresse", "Adresse", "Le numéro, la rue et le local.", "70, rue King Ouest, bureau 400", "text", True),
           _f("ville", "Ville", "La ville du bureau.", "Sherbrooke", "text", True),
       )),
    _f("ressources", "Ressources du milieu", "Les organismes qui aident les personnes immigrantes à s’installer, "
       "avec leur site Web.", "Service d'aide aux Néo-Canadiens de Sherbrooke", "records", items=(
           _f("nom", "Nom de l’organisme", "Le nom de l’organisme.", "Pro-Gestion Estrie", "text", True),
           _f("lien", "Site Web", "L’adresse complète du site (https://…).", "https://www.sanc-sherbrooke.ca/",
              "url", True),
       )),
)

PERIOD_FIELDS: tuple[FieldSpec, ...] = (
    _f("gabarit", "Gabarit", "Le modèle de bilan à utiliser : un fichier de layouts/ (bilan ou communique).",
       "bilan", "layout", True),
    _f("publication", "Mois de publication", "Le mois où le bilan est publié ; il date le document.",
       "2021-09", "month"),
    _f("au", "Chiffres arrêtés au", "La date à laquelle les chiffres sont arrêtés.", "2021-03-31", "date"),
    _f("journees_quebec_virtuelles_depuis", "Journées Québec virtuelles depuis",
       "Le mois depuis lequel les Journées Québec recrutent à l’étranger en mode virtuel ; sans lui, la phrase "
       "ne donne pas de date.", "2020-10", "month"),
    _f("chiffres", "Chiffres", "Les chiffres de la période ; chaque gabarit utilise ceux dont il a besoin.",
       "ententes: 14", "section", True),
    _f("chiffres.personnes_accompagnees", "Personnes accompagnées",
       "Le nombre de personnes immigrantes accompagnées pendant la période.", "plus de 200", "figure"),
    _f("chiffres.entreprises_accompagnees", "Entreprises accompagnées",
       "Le nombre d’entreprises (employeurs) accompagnées pendant la période.", "65", "figure"),
    _f("chiffres.ententes", "Ententes", "Le nombre d’ententes conclues avec des partenaires.", "14", "figure"),
    _f("chiffres.partenaires", "Partenaires", "Le nombre de partenaires avec qui le Ministère a travaillé.",
       "25", "figure"),
    _f("chiffres.investissement", "Investissement", "La somme investie, en dollars, avec son unité.",
       "16,2 M$", "amount"),
    _f("chiffres.actions_locales", "Actions locales", "Le nombre d’actions menées dans les milieux.",
       "plus de 100", "figure"),
    _f("chiffres.points_de_services", "Points de services",
       "Le nombre de points de services ; sans lui, il est compté d’après les bureaux de la région.", "11", "figure"),
    _f("personnel", "Personnel", "L’équipe régionale et où elle travaille.", "conseillers: 3", "section"),
    _f("personnel.conseillers", "Conseillères et conseillers",
       "Le nombre de conseillères et conseillers en immigration régionale.", "3", "figure", True),
    _f("personnel.lieux_conseillers", "Lieux des conseillères et conseillers",
       "Les villes où les conseillères et conseillers sont en poste.", "Sherbrooke", "text_list"),
    _f("personnel.agents", "Agentes et agents", "Le nombre d’agentes et agents d’aide à l’intégration.",
       "4", "figure", True),
    _f("personnel.lieux_agents", "Lieux des agentes et agents",
       "Les villes où les agentes et agents sont en poste.", "Magog", "text_list"),
    _f("personnel.emplacements", "Emplacements des points de services",
       "Où sont les points de services, en toutes lettres ; sans ce texte, le bilan nomme les villes des bureaux.",
       "dans les bureaux de Services Québec de Gaspé et de Carleton-sur-Mer", "rich_text"),
    _f("projets", "Projets financés", "Un projet par ligne, tel qu’il se lit dans la liste du bilan.",
       "la *Semaine sherbrookoise des rencontres interculturelles*", "rich_text_list"),
    _f("citation", "Citation", "Les mots de la direction régionale, et qui les dit.", "texte: …", "section"),
    _f("citation.texte", "Texte de la citation", "Les mots de la direction, sans guillemets ; une ligne vide "
       "sépare deux paragraphes (chacun s’ouvre par « et seul le dernier se ferme, comme le veut l’OQLF).",
       "Nous sommes fiers du travail accompli.", "rich_paragraphs", True),
    _f("citation.auteur", "Auteur de la citation", "La personne qui signe la citation.", "Marie Tremblay",
       "text", True),
    _f("citation.fonction", "Fonction de l’auteur", "Le titre de la personne qui signe.",
       "directrice régionale", "text", True),
    _f("illustration", "Illustration", "Une image de assets/ et ce qu’elle montre.", "fichier: images/carte.png",
       "section"),
    _f("illustration.fichier", "Fichier de l’image", "Le chemin de l’image dans assets/ (PNG ou JPEG).",
       "images/carte.png", "text", True),
    _f("illustration.description", "Description de l’image",
       "Ce que l’image montre, lu par les lecteurs d’écran.", "Carte des bureaux de la région", "text", True),
    _f("publie", "Publié le", "Le jour où le bilan a été publié : il est alors figé, et reportgen build ne le "
       "refait plus (sauf avec --republier).", "2021-09-15", "date"),
    _f("remplacements", "Textes propres à la période",
       "Le texte de cette période pour une partie nommée du gabarit ({% block nom %}) ; le reste du gabarit "
       "s’applique. Non repris par nouvelle-periode.", "introduction: Cette année, …", "parts"),
)

#: The fields of each data file, by the name the README and the atelier give the file.
FILES: dict[str, tuple[FieldSpec, ...]] = {
    "ministere.yaml": MINISTRY_FIELDS,
    "region.yaml": REGION_FIELDS,
    "<période>.yaml": PERIOD_FIELDS,
}


def field_for(fields: tuple[FieldSpec, ...], path: tuple[str | int, ...]) -> FieldSpec | None:
    """The field a key path (as validation messages carry it) belongs to: the most precise
    one, looking through list indexes and into records; None when no field matches."""
    keys = [part for part in path if isinstance(part, str)]
    for end in range(len(keys), 0, -1):
        found = _lookup(fields, keys[:end])
        if found:
            return found
    return None


def _lookup(fields: tuple[FieldSpec, ...], keys: list[str]) -> FieldSpec | None:
    for spec in fields:
        if spec.key == ".".join(keys):
            return spec
        prefix = spec.path
        if spec.items and tuple(keys[:len(prefix)]) == prefix and len(keys) > len(prefix):
            return _lookup(spec.items, keys[len(prefix):])
    return None


def figure_fields() -> tuple[FieldSpec, ...]:
    """The period's figures, team counts included: a spreadsheet's columns, in order."""
    return tuple(spec for spec in PERIOD_FIELDS if spec.kind in ("figure", "amount"))


def normalize_label(text: str) -> str:
    """A label or name as compared when people type it: no accents, case, dashes or
    punctuation (« Gaspésie–Îles » and « gaspesie-iles » compare equal)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


# ---------------------------------------------------------------- README reference

def reference_table(fields: tuple[FieldSpec, ...]) -> str:
    """The Markdown table of one file's fields, as the README shows it."""
    rows = ["| clé | libellé | exemple | obligatoire | rôle |", "| --- | --- | --- | --- | --- |"]
    for spec in fields:
        rows.append(_row(spec.key, spec))
        rows.extend(_row(f"{spec.key}[].{item.key}", item) for item in spec.items)
    return "\n".join(rows)


def _row(key: str, spec: FieldSpec) -> str:
    required = "oui" if spec.required else "non"
    example = spec.example.replace("|", "\\|")
    return f"| `{key}` | {spec.label} | {example} | {required} | {spec.help} |"


_BLOCK = re.compile(r"(<!-- champs : (?P<file>[^ ]+) -->\n)(?:(?!<!--).)*?(<!-- fin des champs -->)", re.DOTALL)


def update_readme(text: str) -> str:
    """``text`` with every generated field table (between its two markers) made anew."""
    return _BLOCK.sub(lambda m: m.group(1) + reference_table(FILES[m.group("file")]) + "\n" + m.group(3), text)


if __name__ == "__main__":  # python -m reportgen.data.fields README.md
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme.write_text(update_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
