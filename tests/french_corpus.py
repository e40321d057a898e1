"""A small report built from data given in the test: the region, the period, the
layout; its text read back sentence by sentence, to assert the French word for word."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from reportgen.data.catalog import load_catalog
from reportgen.document import make_document
from reportgen.model import block_texts

ROOT = Path(__file__).resolve().parents[1]

REGION = {
    "nom": "Côte-Nord",
    "formes": {"en": "sur la Côte-Nord", "de": "de la Côte-Nord"},
    "direction_regionale": "Direction régionale de la Côte-Nord",
    "courriel": "cote-nord@mifi.gouv.qc.ca",
    "telephone": "1 833 273-4667",
    "bureaux": [{"organisme": "Services Québec", "adresse": "625, boulevard Laflèche", "ville": "Baie-Comeau"},
                {"organisme": "Services Québec", "adresse": "456, avenue Arnaud", "ville": "Sept-Îles"},
                {"organisme": "Services Québec", "adresse": "152, rue Principale", "ville": "Les Escoumins"}],
    "ressources": [{"nom": "Alpha Lira", "lien": "https://www.quebec.ca/immigration"},
                   {"nom": "Carrefour jeunesse-emploi Manicouagan", "lien": "https://www.quebec.ca/immigration"}],
}

BILAN = {
    "gabarit": "bilan",
    "chiffres": {"personnes_accompagnees": 40, "entreprises_accompagnees": 30, "ententes": 5},
    "personnel": {"conseillers": 2, "agents": 3},
    "projets": ["des activités de rapprochement interculturel", "des visites exploratoires"],
}

COMMUNIQUE = {
    "gabarit": "communique",
    "au": "2021-03-31",
    "chiffres": {"partenaires": 23, "ententes": 34, "entreprises_accompagnees": 207,
                 "investissement": 16_200_000, "actions_locales": 40},
    "personnel": {"conseillers": 6, "agents": 10},
}


def texts(tmp_path: Path, period: dict, region: dict | None = None, period_id: str = "2020-2021",
          slug: str = "cote-nord", ministry: dict | None = None) -> list[str]:
    """The text of every block of the report, no-break spaces as plain spaces; ``ministry``
    replaces the project's ``ministere.yaml``."""
    data = tmp_path / "data"
    if data.exists():
        shutil.rmtree(data)
    (data / slug).mkdir(parents=True)
    if ministry is None:
        shutil.copy(ROOT / "data" / "ministere.yaml", data)
    else:
        _dump(data / "ministere.yaml", ministry)
    _dump(data / slug / "region.yaml", REGION if region is None else region)
    _dump(data / slug / f"{period_id}.yaml", period)
    catalog = load_catalog(data)
    assert not catalog.errors, [str(e.error) for e in catalog.errors]
    [report] = catalog.reports
    document = make_document(report, ROOT / "layouts")
    return [" ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
            for text in block_texts(document.blocks)]


def sentences(tmp_path: Path, period: dict, region: dict | None = None, **kwargs) -> list[str]:
    """The report's running text cut into sentences."""
    out = []
    for text in texts(tmp_path, period, region, **kwargs):
        out.extend(re.split(r"(?<=[.!?])\s+(?=[A-ZÀÂÉÈÊÎÔÛÇ«])", text))
    return out


def sentence_with(tmp_path: Path, needle: str, period: dict, region: dict | None = None, **kwargs) -> str:
    """The one sentence that holds ``needle`` (a regular expression), or '' when none does."""
    found = [s for s in sentences(tmp_path, period, region, **kwargs) if re.search(needle, s)]
    assert len(found) <= 1, found
    return found[0] if found else ""


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
