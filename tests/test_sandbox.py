"""Layouts run in a sandbox: no Python internals, no file outside layouts/, bounded work.

A refused or runaway construct is the layout's located error, in French, in seconds,
even under a memory limit; the rest of the layout language still works."""
import re
import subprocess
import sys
import textwrap

import pytest

from reportgen.errors import LayoutError
from reportgen.layout import render_layout


def render(tmp_path, text: str, context: dict | None = None, **others: str) -> str:
    for name, body in {"essai": text, **others}.items():
        (tmp_path / f"{name}.md").write_text(body, encoding="utf-8")
    return render_layout(tmp_path, "essai", context or {"nom": "Estrie"})


def refused(tmp_path, text: str) -> LayoutError:
    with pytest.raises(LayoutError) as caught:
        render(tmp_path, text)
    return caught.value


@pytest.mark.parametrize("payload, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "accès refusé à « __class__ »"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "accès refusé à « __init__ »"),
    ("{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}", "accès refusé à « __init__ »"),
    ("{{ nom | attr('__class__') }}", "accès refusé à « __class__ »"),
    ("{{ '{0.__class__}'.format(nom) }}", "accès refusé à « __class__ »"),
    ("{{ lipsum.__globals__.os.system('id') }}", "variable « lipsum » inconnue"),
    ("{{ config.items() }}", "variable « config » inconnue"),
    ("{{ nom.zfill(1000000000) }}", "accès refusé à « zfill »"),
])
def test_template_injection_payloads_are_refused_at_their_line(tmp_path, payload, message):
    error = refused(tmp_path, f"# Titre\n\n{payload}\n")
    assert error.message.startswith(message)
    assert (error.location.path.name, error.location.line) == ("essai.md", 3)


@pytest.mark.parametrize("name", ["/etc/passwd", "../secret", "sous/dossier", "lien"])
def test_only_layouts_of_the_folder_can_be_included_by_name(tmp_path, name):
    (tmp_path.parent / "secret.md").write_text("SECRET", encoding="utf-8")
    (tmp_path / "lien.md").symlink_to(tmp_path.parent / "secret.md")
    error = refused(tmp_path, f"ligne\n{{% include '{name}' %}}\n")
    assert error.message == f"gabarit à inclure « {name} » refusé ou introuvable"
    assert error.location.line == 2


def test_including_a_layout_by_name_still_works(tmp_path):
    assert render(tmp_path, "{% include 'pied' %}", pied="Bilan {{ nom }}\n") == "Bilan Estrie\n"


def test_loops_filters_and_concatenation_still_work(tmp_path):
    text = "{% for i in range(3) %}{{ i }}{% endfor %} {{ ['a', 'b'] | join(', ') | upper }} {{ nom ~ '!' }}"
    assert render(tmp_path, text) == "012 A\\, B Estrie\\!"


@pytest.mark.parametrize("text, message", [
    ("{% for i in range(1000000000) %}x{% endfor %}", "range() trop grand dans le gabarit"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "le gabarit fait trop de tours de boucle ou d’appels (plus de 200\u00a0000)"),
    ("{{ 'x' * 1000000000 }}", "le gabarit fabrique une valeur trop grande"),
    ("{{ range(100000) | join('x' * 900000) }}", "le gabarit fabrique une valeur trop grande"),
    ("{{ ('x' * 1000) | replace('x', 'y' * 100000) }}", "le gabarit fabrique une valeur trop grande"),
    ("{% set ns = namespace(t='x') %}{% for i in range(60) %}{% set ns.t = ns.t ~ ns.t %}{% endfor %}",
     "le gabarit fabrique une valeur trop grande"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "le gabarit s’appelle lui-même trop profondément"),
    ("{{ 10 ** 100000000 }}", "puissance trop grande dans le gabarit"),
    ("{{ '%999999999s' % nom }}", "le formatage « % » de textes n’est pas permis dans un gabarit"),
    ("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}", "le gabarit produit un texte trop long"),
])
def test_runaway_layouts_end_as_located_errors(tmp_path, text, message):
    assert refused(tmp_path, f"# Titre\n{text}\n").message.startswith(message)


RUNAWAY = {
    "un milliard de tours": "{% for i in range(10000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "un gigaoctet": "{{ 'x' * 1000000000 }}",
    "un texte qui double": "{% set ns = namespace(t='x') %}{% for i in range(40) %}{% set ns.t = ns.t ~ ns.t %}"
                           "{% endfor %}{{ ns.t }}",
    "une récursion sans fin": "{% macro f(t) %}{{ f(t ~ t) }}{% endmacro %}{{ f('x') }}",
}


@pytest.mark.parametrize("what", RUNAWAY)
def test_runaway_layouts_under_a_memory_limit(project, what):
    """Run as the yearly job would, with 1 GiB of address space: a located error, no MemoryError."""
    (project / "layouts" / "bilan.md").write_text("# Bilan\n\n" + RUNAWAY[what] + "\n", encoding="utf-8")
    script = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from reportgen.cli import main
        sys.exit(main(["check"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert re.match(r"erreur : (\[[^]]+\] )?layouts/bilan.md, ligne 3 : le gabarit ", result.stderr)
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
