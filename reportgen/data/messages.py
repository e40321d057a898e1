"""Pydantic's validation errors, told in French with the file, line and key."""
from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from ..errors import DataError
from .fields import MINISTRY_FIELDS, PERIOD_FIELDS, REGION_FIELDS, FieldSpec, field_for
from .yamlfile import YamlFile

__all__ = ["schema_errors", "is_text_field", "what_to_write"]

_EXPECTED = {
    "int": "un nombre entier", "float": "un nombre", "decimal": "un nombre",
    "string": "du texte", "bool": "oui ou non (true / false)",
    "list": "une liste (une ligne « - valeur » par élément)",
    "dict": "une section (des lignes « clé: valeur » en retrait)",
    "model": "une section (des lignes « clé: valeur » en retrait)",
    "date": "une date AAAA-MM-JJ (exemple : 2021-03-31)",
}


def schema_errors(source: YamlFile, model: type[BaseModel], error: ValidationError) -> list[DataError]:
    """One located DataError per problem pydantic found in ``source``; a required key written
    with a misspelling (``Chiffres:``) is told once, as unknown with its suggestion."""
    details = error.errors()
    misspelt = {(tuple(d["loc"][:-1]), _closest(model, tuple(d["loc"]))) for d in details
                if d["type"] == "extra_forbidden"}
    return [_one_error(source, model, detail) for detail in details
            if not (detail["type"] == "missing" and (tuple(detail["loc"][:-1]), detail["loc"][-1]) in misspelt)]


def _one_error(source: YamlFile, model: type[BaseModel], detail: dict) -> DataError:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    found = detail.get("input")
    if kind == "missing":
        return DataError(f"clé obligatoire absente : « {loc[-1]} »", source.locate(loc[:-1]),
                         f"ajoutez une ligne « {loc[-1]}: … »" + _where(loc[:-1]))
    if kind == "extra_forbidden":
        return DataError(f"clé inconnue « {loc[-1]} »" + _suggestion(model, loc), source.locate(loc),
                         "clés permises ici : " + ", ".join(_allowed_keys(model, loc[:-1])))
    if kind == "string_too_long":
        return DataError(f"texte trop long ({len(found):,} caractères ; au plus {detail['ctx']['max_length']:,})"
                         .replace(",", "\u00a0"), source.locate(loc), "raccourcissez ce texte")
    if kind == "too_long":
        return DataError(f"liste trop longue ({detail['ctx']['actual_length']:,} éléments ; au plus "
                         f"{detail['ctx']['max_length']})".replace(",", "\u00a0"), source.locate(loc),
                         "gardez les éléments les plus importants")
    if found is None and not (kind.startswith("string") and loc in source.comments):
        return _empty(model, loc, source)
    if kind == "value_error" and isinstance(found, (list, dict)):
        return _not_a_single_value(model, loc, source, found)
    if kind == "value_error":
        cause = detail.get("ctx", {}).get("error", detail["msg"])
        return DataError(str(cause), source.locate(loc), getattr(cause, "hint", ""))
    expected = next((text for prefix, text in _EXPECTED.items() if kind.startswith(prefix)), None)
    spec = _spec(model, loc)
    if expected and kind.startswith("date") and spec is not None and spec.kind == "month":
        expected = f"un mois AAAA-MM (exemple : {spec.example})"
    if kind == "string_type" and isinstance(found, dict) and len(found) == 1 and None not in found.values():
        [(before, after)] = found.items()  # « texte : suite » read by YAML as a key and its value
        return DataError("deux-points suivi d’une espace dans un texte", source.locate(loc),
                         f"mettez tout le texte entre guillemets : \"{before} : {after}\"")
    if expected and found is None and loc in source.comments:
        comment = source.comments[loc][2]
        return DataError("valeur vide : le texte après # est pris pour un commentaire", source.locate(loc),
                         f"mettez tout le texte entre guillemets : \"#{comment}\"")
    if kind == "list_type" and isinstance(found, str):
        return DataError(f"valeur attendue : {expected} ; trouvé « {_short(found)} »", source.locate(loc),
                         _as_list(str(loc[-1]), found))
    if expected:
        return DataError(f"valeur attendue : {expected} ; trouvé « {_short(found)} »", source.locate(loc))
    return DataError(f"valeur refusée « {_short(found)} » ({detail['msg']})", source.locate(loc))


#: The fields of each data file, by the model that validates it.
_FIELDS = {"Ministry": MINISTRY_FIELDS, "Region": REGION_FIELDS, "Period": PERIOD_FIELDS}
#: What to write for each kind of field, as the fix says it.
_WHAT = {"figure": "le nombre", "amount": "le montant avec son unité", "date": "la date (AAAA-MM-JJ)",
         "month": "le mois (AAAA-MM)", "email": "l’adresse courriel", "phone": "le numéro de téléphone",
         "url": "l’adresse Web complète", "layout": "le nom du gabarit", "text": "le texte",
         "rich_text": "le texte", "rich_paragraphs": "le texte", "text_list": "la liste entre crochets",
         "rich_text_list": "un élément par ligne « - … »", "records": "une fiche par élément « - … »",
         "links": "une ligne « nom: adresse » par lien", "section": "ses lignes « clé: valeur »"}


def _spec(model: type[BaseModel], loc: tuple) -> FieldSpec | None:
    fields = _FIELDS.get(model.__name__)
    return field_for(fields, loc) if fields and loc else None


def _example(spec: FieldSpec) -> str:
    """The catalogue's example as a line of the file: « agents: 4 », « lieux_agents: [Magog] »."""
    key = spec.path[-1]
    if spec.kind == "text_list":
        return f"{key}: [{spec.example}]"
    if spec.kind in ("section", "links"):
        return f"« {spec.example} » en retrait sous « {key}: »"
    if spec.kind in ("rich_text_list", "records"):
        return f"« - {spec.example} » en retrait sous « {key}: »"
    return f"{key}: {spec.example}"


def what_to_write(model: type[BaseModel], loc: tuple) -> str:
    """The fix for a value still to write at ``loc``: what it holds and the catalogue's
    example, and how to leave out an optional one."""
    spec = _spec(model, loc)
    if spec is None:
        return "écrivez la valeur"
    if isinstance(loc[-1], int) and spec.kind in ("text_list", "rich_text_list"):
        hint = f"écrivez le texte de l’élément (exemple : « - {spec.example} »)"
    else:
        hint = f"écrivez {_WHAT.get(spec.kind, 'la valeur')} (exemple : {_example(spec)})"
    if model.__name__ == "Period":
        return hint  # what a period needs depends on its layout: check says what is missing
    section = _spec(model, loc[:1])
    if section is not None and section is not spec and not section.required:
        return hint + f" ; s’il n’y en a pas, supprimez la section « {section.key} »"
    return hint + ("" if spec.required else " ; si la donnée n’existe pas, retirez la ligne")


def _empty(model: type[BaseModel], loc: tuple, source: YamlFile) -> DataError:
    """A key written without its value (« agents: »): what to write there, with an example."""
    spec = _spec(model, loc)
    if spec is not None and isinstance(loc[-1], int) and spec.kind in ("text_list", "rich_text_list"):
        return DataError("élément vide", source.locate(loc), what_to_write(model, loc) + ", ou retirez la ligne")
    if spec is None or spec.path[-1] != loc[-1]:
        return DataError("valeur vide", source.locate(loc),
                         "écrivez la valeur après le deux-points, ou retirez la ligne si la donnée est facultative")
    return DataError("valeur vide", source.locate(loc), what_to_write(model, loc))


def _not_a_single_value(model: type[BaseModel], loc: tuple, source: YamlFile, found) -> DataError:
    """A list or a section where one value is awaited (« agents: [3] »)."""
    shape = "une liste" if isinstance(found, list) else "une section"
    spec = _spec(model, loc)
    what, example = (_WHAT.get(spec.kind, "la valeur"), f" (exemple : {_example(spec)})") if spec else ("la valeur", "")
    return DataError(f"{shape} au lieu d’une seule valeur", source.locate(loc),
                     f"écrivez {what} seul, sans crochets ni lignes en retrait{example}")


def _as_list(key: str, text: str) -> str:
    """The fix for a list typed as one text: its items between brackets when commas part
    them (« lieux_agents: [Amos, La Sarre] »), else one item under the key."""
    items = [item.strip() for item in text.split(",")]
    if all(item and len(item) <= 40 and not set(item) & set("[]{}:#\"'") for item in items):
        return f"écrivez « {key}: [{', '.join(items)}] »"
    return f"écrivez chaque élément sur sa ligne, en retrait sous « {key}: », après un tiret : « - {_short(text)} »"


def _where(parent: tuple) -> str:
    return f" dans la section « {parent[-1]} »" if parent and isinstance(parent[-1], str) else ""


def _short(value: object) -> str:
    text = _as_typed(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _as_typed(value: object) -> str:
    """A value as YAML shows it, never as Python does: ``[Amos, La Sarre]``, ``{a: 1}``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "[" + ", ".join(_as_typed(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_as_typed(item)}" for key, item in value.items()) + "}"
    return str(value)


def _suggestion(model: type[BaseModel], loc: tuple) -> str:
    close = _closest(model, loc)
    return f" — vouliez-vous dire « {close} » ?" if close else ""


def _closest(model: type[BaseModel], loc: tuple) -> str | None:
    """The allowed key closest to the unknown one at ``loc``, case aside, or None."""
    allowed = _allowed_keys(model, loc[:-1])
    lowered = {key.lower(): key for key in allowed}
    close = difflib.get_close_matches(str(loc[-1]).lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    target = _model_at(model, loc)
    if target is None:
        return []
    return [field.alias or name for name, field in target.model_fields.items()
            if not (field.json_schema_extra or {}).get("internal")]


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (list indexes skipped)."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def is_text_field(model: type[BaseModel], key_path: tuple) -> bool:
    """Whether the value at ``key_path`` (keys and list indexes) is a text in ``model``, not
    a number, a date or a section."""
    keys = [i for i, part in enumerate(key_path) if isinstance(part, str)]
    if not keys:
        return False
    owner = _model_at(model, key_path[:keys[-1]])
    field = next((f for n, f in (owner.model_fields.items() if owner else [])
                  if (f.alias or n) == key_path[keys[-1]]), None)
    return field is not None and _holds_text(field.annotation)


def _holds_text(annotation) -> bool:
    if annotation is str:
        return True
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _holds_text(args[0])
    return any(_holds_text(arg) for arg in args if arg is not type(None))
