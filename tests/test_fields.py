"""The field catalogue: one definition of every key's label, matching the schema exactly."""
from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from reportgen.data.fields import (FILES, KINDS, MINISTRY_FIELDS, PERIOD_FIELDS, REGION_FIELDS, field_for,
                                   figure_fields, normalize_label, reference_table, update_readme)
from reportgen.data.schema import Ministry, Period, Region

ROOT = Path(__file__).resolve().parent.parent


def _model_in(annotation) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (directly, optionally, or as list items)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        inner = typing.get_args(candidate)
        if inner and isinstance(inner[0], type) and issubclass(inner[0], BaseModel):
            return inner[0]
    return None


def _schema_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key path the schema accepts; list records' keys written ``liste[].clé``."""
    keys = set()
    for info in model.model_fields.values():
        key = prefix + info.alias
        keys.add(key)
        nested = _model_in(info.annotation)
        if nested is not None:
            is_list = typing.get_origin(info.annotation) is list
            keys |= _schema_keys(nested, key + ("[]." if is_list else "."))
    return keys


def _catalogue_keys(fields) -> set[str]:
    keys = set()
    for spec in fields:
        keys.add(spec.key)
        keys |= {f"{spec.key}[].{item.key}" for item in spec.items}
    return keys


@pytest.mark.parametrize("model, fields", [(Ministry, MINISTRY_FIELDS), (Region, REGION_FIELDS),
                                           (Period, PERIOD_FIELDS)], ids=["ministere", "region", "periode"])
def test_the_catalogue_names_exactly_the_keys_of_the_schema(model, fields):
    assert _catalogue_keys(fields) == _schema_keys(model)


@pytest.mark.parametrize("model, fields", [(Ministry, MINISTRY_FIELDS), (Region, REGION_FIELDS),
                                           (Period, PERIOD_FIELDS)], ids=["ministere", "region", "periode"])
def test_required_in_the_catalogue_means_required_by_the_schema(model, fields):
    def required(model, prefix=""):
        found = set()
        for info in model.model_fields.values():
            if info.is_required():
                found.add(prefix + info.alias)
            nested = _model_in(info.annotation)
            if nested is not None:
                found |= required(nested, prefix + info.alias + ("[]." if typing.get_origin(info.annotation)
                                                                 is list else "."))
        return found
    declared = {key for spec in fields for key, flag in
                [(spec.key, spec.required), *((f"{spec.key}[].{i.key}", i.required) for i in spec.items)] if flag}
    assert declared == required(model)


def test_every_field_has_a_known_kind_a_french_label_and_help():
    for fields in FILES.values():
        for spec in fields + tuple(item for spec in fields for item in spec.items):
            assert spec.kind in KINDS, spec.key
            assert spec.label and spec.help.endswith("."), spec.key
            assert spec.example, spec.key


def test_labels_are_unique_within_a_file_so_a_column_header_names_one_field():
    for fields in FILES.values():
        labels = [normalize_label(spec.label) for spec in fields]
        assert len(labels) == len(set(labels))


def test_figure_fields_are_the_period_figures_and_team_counts_in_order():
    assert [spec.key for spec in figure_fields()] == [
        "chiffres.personnes_accompagnees", "chiffres.entreprises_accompagnees", "chiffres.ententes",
        "chiffres.partenaires", "chiffres.investissement", "chiffres.actions_locales",
        "chiffres.points_de_services", "personnel.conseillers", "personnel.agents"]


def test_a_validation_key_path_finds_its_field_through_list_indexes_and_records():
    assert field_for(PERIOD_FIELDS, ("chiffres", "ententes")).label == "Ententes"
    assert field_for(PERIOD_FIELDS, ("projets", 2)).label == "Projets financés"
    assert field_for(REGION_FIELDS, ("bureaux", 0, "ville")).label == "Ville"
    assert field_for(REGION_FIELDS, ("ressources", 1, "lien")).label == "Site Web"
    assert field_for(REGION_FIELDS, ("formes", "inconnue")).label == "Formes du nom"
    assert field_for(PERIOD_FIELDS, ("inconnue",)) is None


def test_labels_compare_without_accents_case_dashes_or_punctuation():
    assert normalize_label("Gaspésie–Îles-de-la-Madeleine") == normalize_label("gaspesie iles de la madeleine")
    assert normalize_label("  Entreprises  accompagnées ") == "entreprises accompagnees"
    assert normalize_label("Fonction de l’auteur") == "fonction de l auteur"


def test_the_readme_field_reference_is_generated_from_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, fields in FILES.items():
        assert f"<!-- champs : {name} -->\n{reference_table(fields)}\n<!-- fin des champs -->" in readme, (
            f"README : la table des champs de {name} n’est plus à jour ; "
            "lancez « python -m reportgen.data.fields README.md »")
    assert update_readme(readme) == readme
