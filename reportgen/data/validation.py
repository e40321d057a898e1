"""One data file, read and checked against the schema: its model, or its located mistakes.

What a file accepts but probably does not mean (a text cut at a « # ») is a warning; a
« À REMPLIR » left is an error, unless the file is read as a draft (see ``load_file``).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import DataError, Location, ReportgenError, ReportgenErrors
from . import schema
from .catalog import TO_FILL, TO_FILL_MESSAGE, FindUndrawable
from .messages import is_text_field, schema_errors, what_to_write
from .yamlfile import YamlFile, read_yaml, texts_in

__all__ = ["load_file"]


def _cut_by_comments(source: YamlFile, model: type[BaseModel]) -> list[DataError]:
    """A warning for each text that YAML cut at a « # » it took for a comment."""
    warnings = []
    for key_path, (line, column, comment) in source.comments.items():
        if not is_text_field(model, key_path):
            continue  # a comment after a number or a date cuts nothing
        value = _value_at(source.data, key_path)
        whole = f"{value} #{comment}" if value else f"#{comment}"
        warnings.append(DataError(f"le texte après # est ignoré (« #{comment} » ne sera pas imprimé)",
                                  Location(source.path, line, column, source.locate(key_path).key),
                                  f"mettez tout le texte entre guillemets : \"{whole}\" ; si c’est un "
                                  "commentaire, placez-le sur sa propre ligne"))
    return warnings


def _value_at(data, key_path):
    for part in key_path:
        data = data[part]
    return data


#: The comment ``nouvelle-periode`` leaves after a value to fill: the previous period's value.
_PREVIOUS_VALUE = re.compile(r"\d{4}-\d{4} : ")


def _still_to_fill(source: YamlFile, model: type[BaseModel]) -> list[DataError]:
    """One error per « À REMPLIR » left in a file, with what to write there: the previous
    period's value when its comment gives it, else the field catalogue's example."""
    return [DataError(TO_FILL_MESSAGE, source.locate(key_path), _fill_hint(source, model, key_path))
            for key_path, text in texts_in(source.data) if TO_FILL in text]


#: What a draft's « À REMPLIR » becomes for validation, tried in turn until its field takes
#: one: the text itself, a figure, an amount, a date. The layout shows the mark, never the stand-in.
_STAND_INS = (TO_FILL, 1, "1 $", "2000-01-01")


def _with_stand_ins(data: dict, marks: list[tuple], model: type[BaseModel]) -> dict:
    """``data`` where each marked value is the first stand-in its field accepts."""
    choice = {mark: 0 for mark in marks}
    while True:
        data = _replaced(data, {mark: _STAND_INS[index] for mark, index in choice.items()})
        try:
            model.model_validate(data)
            return data
        except ValidationError as error:
            refused = {tuple(e["loc"][:len(mark)]) for e in error.errors() for mark in marks
                       if tuple(e["loc"][:len(mark)]) == mark}
            movable = [mark for mark in refused if choice[mark] + 1 < len(_STAND_INS)]
            if not movable:
                return data  # the other mistakes are reported as usual
            for mark in movable:
                choice[mark] += 1


def _replaced(value, values: dict[tuple, object], key_path=()):
    """A copy of ``value`` with the values at the given key paths replaced."""
    if key_path in values:
        return values[key_path]
    if isinstance(value, dict):
        return {key: _replaced(child, values, key_path + (key,)) for key, child in value.items()}
    if isinstance(value, list):
        return [_replaced(child, values, key_path + (index,)) for index, child in enumerate(value)]
    return value


def _fill_hint(source: YamlFile, model: type[BaseModel], key_path: tuple) -> str:
    comment = source.comments.get(key_path, (0, 0, ""))[2]
    if _PREVIOUS_VALUE.match(comment):
        return "écrivez la valeur de la période ; celle de la période précédente est en commentaire"
    return what_to_write(model, key_path)


def _undrawable_characters(source: YamlFile, first_undrawable: FindUndrawable) -> list[DataError]:
    """One error per text value holding a character the brand font has no glyph for."""
    errors = []
    for key_path, text in texts_in(source.data):
        char = first_undrawable(text)
        if char:
            name = unicodedata.name(char, "sans nom").lower()
            errors.append(DataError(f"caractère « {char} » (U+{ord(char):04X}, {name}) absent de la police "
                                    "du Ministère", source.locate(key_path),
                                    "retirez-le ou remplacez-le : il s’imprimerait comme un carré vide"))
    return errors


def load_file(path: Path, model_name: str, errors: list[ReportgenError],
              first_undrawable: FindUndrawable | None = None,
              warnings: list[ReportgenError] | None = None,
              unfilled: list[tuple] | None = None) -> tuple[BaseModel | None, YamlFile | None]:
    """The validated model of one file and its positions, or Nones after adding its errors to ``errors``
    (and what it accepts but warns about to ``warnings``).

    When ``unfilled`` is a list, « À REMPLIR » marks are not errors: their key paths are added
    to it and the model holds stand-ins there (see ``_with_stand_ins``). ``model_name`` names
    the schema's model: Ministry, Region or Period."""
    model: type[BaseModel] = getattr(schema, model_name)
    if not path.is_file():
        errors.append(DataError("fichier obligatoire introuvable", Location(path),
                                f"créez {path.name} (voir le README, section « Données »)"))
        return None, None
    try:
        source: YamlFile = read_yaml(path)
        if not isinstance(source.data, dict):
            raise DataError("le fichier doit contenir des lignes « clé: valeur »", Location(path, 1, 1))
        to_fill = _still_to_fill(source, model) if unfilled is None else []
        unfinished = to_fill + (_undrawable_characters(source, first_undrawable) if first_undrawable else [])
        if unfinished:
            raise ReportgenErrors(unfinished)
        marks = [key_path for key_path, text in texts_in(source.data) if TO_FILL in text]
        if unfilled is not None and marks:
            unfilled.extend(marks)
            validated = model.model_validate(_with_stand_ins(source.data, marks, model))
        else:
            validated = model.model_validate(source.data)
        if warnings is not None:
            warnings.extend(_cut_by_comments(source, model))
        return validated, source
    except ReportgenErrors as many:
        errors.extend(many.errors)
    except ReportgenError as error:
        errors.append(error)
    except ValidationError as error:
        errors.extend(schema_errors(source, model, error))
    return None, None
