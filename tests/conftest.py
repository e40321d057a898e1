"""Shared fixtures: the project's folders, its brand, and small documents."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI the property tests run a fixed set of examples, so a run is never decided by a
# newly drawn one; on a developer's machine they explore (and remember what failed).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from reportgen.brand import load_brand

ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--regenerer-golden", action="store_true",
                     help="réécrire les fichiers de référence de tests/golden/ au lieu de les comparer")


@pytest.fixture(scope="session")
def regenerate_golden(request) -> bool:
    return request.config.getoption("--regenerer-golden")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def brand():
    return load_brand(ROOT / "assets")


@pytest.fixture(autouse=True, scope="session")
def _private_template_cache(tmp_path_factory):
    """The tests' Word templates are cached in a folder of their own, not the user's."""
    import os
    os.environ["REPORTGEN_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project's data, layouts and assets to change freely, as the working folder."""
    import shutil
    for folder in ("data", "layouts", "assets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def _run_from_repository(monkeypatch):
    """Tests run from the repository, as a user does, whatever pytest's own folder."""
    monkeypatch.chdir(ROOT)
