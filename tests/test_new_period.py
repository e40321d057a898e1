"""A new year: next period's files from the latest ones; check fails until they are filled."""
import re

from reportgen.cli import main


def test_new_period_is_prepared_then_checked_then_built(project, capsys):
    assert main(["nouvelle-periode", "2021-2022"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == ["créé : data/estrie/2021-2022.yaml",
                                    "créé : data/gaspesie-iles-de-la-madeleine/2021-2022.yaml",
                                    "créé : data/monteregie/2021-2022.yaml"]
    estrie = (project / "data" / "estrie" / "2021-2022.yaml").read_text(encoding="utf-8")
    assert "  ententes: À REMPLIR   # 2020-2021 : 14\n" in estrie
    assert "  lieux_agents: [Sherbrooke, Magog, Richmond, Lac-Mégantic]\n" in estrie
    assert "projets:\n  - À REMPLIR\n" in estrie

    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("erreur")]
    assert len(errors) == 18  # with the Journées Québec month of the Montérégie
    assert errors[0] == ("erreur : [2021-2022/estrie] data/estrie/2021-2022.yaml, ligne 5, colonne 3 (chiffres.personnes_accompagnees) : "
                         "valeur à remplir (« À REMPLIR »)")

    for path in project.glob("data/*/2021-2022.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("publication: À REMPLIR", "publication: 2022-09").replace("au: À REMPLIR", "au: 2022-03-31")
        text = text.replace("journees_quebec_virtuelles_depuis: À REMPLIR", "journees_quebec_virtuelles_depuis: 2020-10")
        text = re.sub(r"  - À REMPLIR", "  - un nouveau projet", text)
        text = text.replace("investissement: À REMPLIR", "investissement: 12 M$")  # an amount has its unit
        path.write_text(re.sub(r"À REMPLIR", "12", text), encoding="utf-8")
    assert main(["check"]) == 0
    assert main(["build", "--period", "2021-2022", "-j", "1"]) == 0
    assert (project / "build" / "2021-2022" / "monteregie.pdf").is_file()


def test_an_existing_period_is_never_overwritten(project, capsys):
    assert main(["nouvelle-periode", "2020-2021", "--region", "estrie"]) == 1
    assert "data/estrie/2020-2021.yaml : ce fichier de période existe déjà" in capsys.readouterr().err


def test_the_new_period_must_follow_the_latest(project, capsys):
    assert main(["nouvelle-periode", "2018-2019", "--region", "estrie"]) == 1
    assert "la période 2018-2019 ne suit pas la dernière (2020-2021)" in capsys.readouterr().err


NO_PERIOD = ("erreur : data/{slug} : aucun fichier de période\n"
             "  → créez-en un avec « reportgen nouvelle-periode 2021-2022 --region {slug} » (un premier bilan "
             "à remplir), puis lancez « reportgen check »\n")


def test_a_new_region_without_period_is_told_by_build_and_check(project, capsys):
    assert main(["nouvelle-region", "mauricie"]) == 0
    capsys.readouterr()
    assert main(["build", "--region", "mauricie", "-j", "1"]) == 1
    assert NO_PERIOD.format(slug="mauricie") in capsys.readouterr().err
    assert main(["check", "--region", "mauricie"]) == 1
    err = capsys.readouterr().err
    assert NO_PERIOD.format(slug="mauricie") in err
    # region.yaml is checked even without a period
    assert "erreur : data/mauricie/region.yaml, ligne 10, colonne 1 (courriel) : valeur à remplir (« À REMPLIR »)" in err


def test_a_new_region_gets_a_blank_first_period_to_fill(project, capsys):
    assert main(["nouvelle-region", "cote-nord"]) == 0
    assert main(["nouvelle-periode", "2021-2022", "--region", "cote-nord"]) == 0
    assert "créé : data/cote-nord/2021-2022.yaml\n" in capsys.readouterr().out
    text = (project / "data" / "cote-nord" / "2021-2022.yaml").read_text(encoding="utf-8")
    assert "gabarit: bilan\n" in text
    assert ("  personnes_accompagnees: À REMPLIR   # le nombre de personnes immigrantes accompagnées pendant "
            "la période (exemple : plus de 200)\n") in text
    assert "  agents: À REMPLIR   # le nombre d’agentes et agents d’aide à l’intégration (exemple : 4)\n" in text
    assert main(["check", "--region", "cote-nord"]) == 1
    err = capsys.readouterr().err
    assert ("erreur : [2021-2022/cote-nord] data/cote-nord/2021-2022.yaml, ligne 6, colonne 3 "
            "(chiffres.personnes_accompagnees) : valeur à remplir (« À REMPLIR »)") in err
    assert "aucun fichier de période" not in err
    region = project / "data" / "cote-nord" / "region.yaml"
    region.write_text("".join(line for line in region.read_text(encoding="utf-8").splitlines(keepends=True)
                              if "À REMPLIR" not in line and not line.startswith(("bureaux:", "ressources:"))),
                      encoding="utf-8")
    period = project / "data" / "cote-nord" / "2021-2022.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("- À REMPLIR", "- un projet")
                      .replace("À REMPLIR", "1"), encoding="utf-8")
    assert main(["check", "--region", "cote-nord"]) == 0, capsys.readouterr().err
    assert "avertissement" not in capsys.readouterr().err  # no comment of ours is taken for a text


def test_a_first_period_for_a_region_that_is_not_there_is_refused(project, capsys):
    assert main(["nouvelle-periode", "2021-2022", "--region", "cote-nord"]) == 1
    assert capsys.readouterr().err == (
        "erreur : data : région « cote-nord » introuvable\n"
        "  → créez-la d’abord avec « reportgen nouvelle-region cote-nord » ; régions du dossier : "
        "estrie, gaspesie-iles-de-la-madeleine, monteregie\n")


def test_a_value_to_fill_says_what_fits_its_file(project, capsys):
    assert main(["nouvelle-region", "cote-nord"]) == 0
    assert main(["nouvelle-periode", "2021-2022"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    # region.yaml: its comments are examples, not a previous period's values
    assert ("erreur : [2021-2022/cote-nord] data/cote-nord/region.yaml, ligne 10, colonne 1 (courriel) : "
            "valeur à remplir (« À REMPLIR »)\n  → écrivez l’adresse courriel (exemple : courriel: "
            "accompagnement_qc_DREMCQ@mifi.gouv.qc.ca) ; si la donnée n’existe pas, retirez la ligne\n") in err
    assert ("(bureaux[1].ville) : valeur à remplir (« À REMPLIR »)\n  → écrivez le texte (exemple : ville: "
            "Sherbrooke) ; s’il n’y en a pas, supprimez la section « bureaux »\n") in err
    # a first period: the field catalogue's example
    assert ("(personnel.agents) : valeur à remplir (« À REMPLIR »)\n  → écrivez le nombre (exemple : agents: 4)\n") in err
    # a period made from the previous one: its value is in the comment
    assert ("[2021-2022/estrie] data/estrie/2021-2022.yaml, ligne 5, colonne 3 (chiffres.personnes_accompagnees) : "
            "valeur à remplir (« À REMPLIR »)\n  → écrivez la valeur de la période ; celle de la période "
            "précédente est en commentaire\n") in err
    lines = err.splitlines()
    previous = [lines[i - 1] for i, line in enumerate(lines) if "celle de la période précédente" in line]
    assert len(previous) == 15 and not [line for line in previous if "cote-nord" in line]
