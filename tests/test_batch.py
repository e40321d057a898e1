"""The yearly job: incremental rebuilds, parallel workers, reproducible bytes, JSON summary."""
import json

import pytest

from reportgen.cli import main


def build(capsys, *args):
    status = main(["build", *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_unchanged_reports_are_skipped_and_say_so(project, capsys):
    assert build(capsys)[0] == 0
    status, lines, _ = build(capsys)
    assert status == 0
    assert sorted(lines[:-1]) == ["inchangé : 2019-2021/gaspesie-iles-de-la-madeleine",
                                  "inchangé : 2020-2021/estrie", "inchangé : 2020-2021/monteregie"]
    assert lines[-1] == "0 bilan(s) produit(s), 3 inchangé(s), 0 en échec."


def test_a_period_file_change_rebuilds_only_that_report(project, capsys):
    build(capsys)
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 15"), encoding="utf-8")
    _, lines, _ = build(capsys)
    assert sorted(line for line in lines if line.startswith("écrit")) == [
        "écrit : build/2020-2021/estrie.docx", "écrit : build/2020-2021/estrie.pdf"]
    assert lines[-1] == "1 bilan(s) produit(s), 2 inchangé(s), 0 en échec."


def test_a_brand_colour_change_rebuilds_everything(project, capsys):
    build(capsys)
    tokens = project / "assets" / "marque.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace('"#095797"', '"#0A5A9C"'), encoding="utf-8")
    assert build(capsys)[1][-1] == "3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."


def test_layout_change_deleted_output_and_force_rebuild(project, capsys):
    build(capsys)
    layout = project / "layouts" / "communique.md"
    layout.write_text(layout.read_text(encoding="utf-8").replace("Soutien aux collectivités", "Soutien"),
                      encoding="utf-8")
    (project / "build" / "2020-2021" / "estrie.pdf").unlink()
    _, lines, _ = build(capsys)
    assert sorted(line for line in lines if line.startswith("écrit")) == [
        "écrit : build/2020-2021/estrie.docx", "écrit : build/2020-2021/estrie.pdf",
        "écrit : build/2020-2021/monteregie.docx", "écrit : build/2020-2021/monteregie.pdf"]
    assert build(capsys, "--force")[1][-1] == "3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."


def test_one_format_built_against_new_inputs_does_not_vouch_for_the_other(project, capsys):
    build(capsys)
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 15"), encoding="utf-8")
    assert "écrit : build/2020-2021/estrie.pdf" in build(capsys, "--format", "pdf", "--region", "estrie")[1]
    assert "écrit : build/2020-2021/estrie.docx" in build(capsys, "--format", "docx", "--region", "estrie")[1]


def test_same_inputs_give_the_same_bytes_whatever_the_run(project, capsys):
    assert build(capsys, "--out", "un", "-j", "1")[0] == 0
    assert build(capsys, "--out", "deux", "-j", "2")[0] == 0
    first = {p.relative_to(project / "un"): p.read_bytes() for p in (project / "un").rglob("*.*") if p.suffix != ".json"}
    second = {p.relative_to(project / "deux"): p.read_bytes() for p in (project / "deux").rglob("*.*") if p.suffix != ".json"}
    assert len(first) == 6 and first == second


def test_json_summary_for_schedulers(project, capsys):
    period = project / "data" / "monteregie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("partenaires: 23", "partenaires: vingt-trois"),
                      encoding="utf-8")
    status, lines, err = build(capsys, "--json")
    assert status == 1 and err == ""
    summary = json.loads("\n".join(lines))
    assert summary["code_de_sortie"] == 1
    assert summary["totaux"] == {"produit": 2, "inchange": 0, "echec": 1}
    failed = next(r for r in summary["bilans"] if r["statut"] == "echec")
    assert (failed["region"], failed["periode"], failed["sorties"]) == ("monteregie", "2020-2021", [])
    assert failed["erreurs"] == [{
        "message": "« vingt-trois » n’est pas un nombre (exemples : 207, 1 833, plus de 200)", "conseil": None,
        "fichier": "data/monteregie/2020-2021.yaml", "ligne": 7, "colonne": 3, "cle": "chiffres.partenaires"}]
    built = next(r for r in summary["bilans"] if r["region"] == "estrie")
    assert built["sorties"] == ["build/2020-2021/estrie.pdf", "build/2020-2021/estrie.docx"]
    assert built["duree_s"] > 0 and built["avertissements"] == []


def test_progress_bar_on_a_terminal(project, capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    status, lines, err = build(capsys, "-j", "1")
    assert status == 0 and lines == ["3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."]
    assert "\r[██████████" in err and "] 3/3 " in err


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "-j", "0"])
    assert caught.value.code == 2
    assert "argument -j/--jobs : nombre entier positif attendu, pas « 0 »" in capsys.readouterr().err
