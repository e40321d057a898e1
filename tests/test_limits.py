"""Absurd fields are reported at once, never left to hang the build."""


from reportgen.cli import main


def errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("erreur : ")]


def test_a_paragraph_of_nearly_a_megabyte_is_reported(project, capsys):
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8") + "  - " + "mot " * 240_000 + "\n", encoding="utf-8")
    assert main(["build", "--region", "estrie"]) == 1
    assert errors(capsys) == ["erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 22, colonne 5 "
                              "(projets[10]) : texte trop long (959\u00a0999 caractères ; au plus 3\u00a0000)"]


def test_a_file_over_a_megabyte_is_reported(project, capsys):
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8") + "# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    assert main(["check"]) == 1
    [line] = errors(capsys)
    assert line.startswith("erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml : fichier trop gros (1\u00a0100\u00a0")


def test_a_list_of_ten_thousand_items_is_reported(project, capsys):
    period = project / "data" / "estrie" / "2020-2021.yaml"
    items = "".join(f"  - projet {i}\n" for i in range(10_000))
    text = period.read_text(encoding="utf-8")
    period.write_text(text[:text.index("projets:\n") + len("projets:\n")] + items, encoding="utf-8")
    assert main(["check"]) == 1
    assert errors(capsys) == ["erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 12, colonne 1 (projets) : "
                              "liste trop longue (10\u00a0000 éléments ; au plus 60)"]
