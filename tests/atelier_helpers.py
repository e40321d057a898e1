"""What the atelier's tests share: a configuration on a project copy, a signed-in client,
and the form a browser would send for a report's page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from reportgen.atelier import AtelierConfig, create_app
from reportgen.atelier.forms import build_widgets, submitted
from reportgen.atelier.security import hash_password
from reportgen.atelier.workspace import plain_values
from reportgen.config import Paths

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "mot-de-passe-solide-2026"


def local_config(project: Path, **options) -> AtelierConfig:
    return AtelierConfig(Paths(data=project / "data", out=project / "build"), port=PORT, **options)


def signed_in(config: AtelierConfig) -> TestClient:
    """A client that opened the launch address (its secret exchanged for the session cookie)."""
    client = TestClient(create_app(config), base_url=BASE, follow_redirects=False)
    response = client.get(f"/?jeton={config.secret}")
    assert response.status_code == 303 and "atelier_session" in response.cookies
    return client


def accounts_file(folder: Path) -> Path:
    """Two accounts: Estrie's communications officer, and a coordinator of every region."""
    hashed = hash_password(PASSWORD)
    path = folder / "comptes.yaml"
    path.write_text("comptes:\n"
                    f"  - identifiant: estrie\n    nom: Équipe de l’Estrie\n    mot_de_passe: '{hashed}'\n"
                    "    regions: [estrie]\n"
                    f"  - identifiant: coordination\n    mot_de_passe: '{hashed}'\n    regions: toutes\n",
                    encoding="utf-8")
    return path


def figure_message(raw: str) -> str:
    """What the schema (and so ``check``) says of a figure that is not one: the wording is
    the validation's, not the atelier's."""
    from reportgen.french import Figure
    try:
        Figure.parse(raw)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"« {raw} » est un chiffre valide")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def page_form(client: TestClient, slug: str, period_id: str) -> tuple[list[tuple[str, str]], str]:
    """What a browser would post from the report's page, unchanged: (name, value) pairs."""
    html = client.get(f"/bilan/{slug}/{period_id}").text
    data = client.app.app.state.atelier.workspace  # the Guard wraps the Starlette app
    region = plain_values(data.region_file(slug).read_text(encoding="utf-8"))
    period = plain_values(data.period_file(slug, period_id).read_text(encoding="utf-8"))
    fields = submitted(build_widgets("region", region)) + submitted(build_widgets("periode", period))
    hidden = [(name, value) for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                                            html.split('id="formulaire"', 1)[1])]
    return hidden + fields, csrf_of(html)


def replaced(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(n == name for n, _ in pairs), name
    return [(n, value if n == name else v) for n, v in pairs]


@pytest.fixture
def config(project):
    """The atelier of a changeable copy of the project, on this machine only."""
    return local_config(project)


@pytest.fixture
def client(config):
    """A test client already signed in with the launch secret."""
    return signed_in(config)

