"""The command line: the contract other tools rely on (paths, exit codes, French messages)."""
import subprocess
import sys

import pytest

from reportgen.cli import main


@pytest.fixture
def data_dir(project):
    return project / "data"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_build_everything(capsys, tmp_path):
    status, out, err = run(capsys, "build", "--out", str(tmp_path / "out"))
    assert (status, err) == (0, "")
    written = sorted(line.removeprefix("écrit : ") for line in out.splitlines() if line.startswith("écrit : "))
    assert written == sorted(str(tmp_path / "out" / f) for f in (
        "2019-2021/gaspesie-iles-de-la-madeleine.pdf", "2019-2021/gaspesie-iles-de-la-madeleine.docx",
        "2020-2021/estrie.pdf", "2020-2021/estrie.docx",
        "2020-2021/monteregie.pdf", "2020-2021/monteregie.docx"))
    assert out.splitlines()[-1] == "3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."


def test_filters_and_format(capsys, tmp_path):
    out_dir = tmp_path / "out"
    status, out, _ = run(capsys, "build", "--out", str(out_dir), "--region", "estrie", "--format", "pdf")
    assert status == 0
    assert sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.*")) == [
        ".reportgen-manifeste.json", "2020-2021/estrie.pdf"]
    status, _, _ = run(capsys, "build", "--out", str(out_dir), "--period", "2019-2021", "--format", "docx")
    assert (out_dir / "2019-2021" / "gaspesie-iles-de-la-madeleine.docx").is_file()
    assert not (out_dir / "2020-2021" / "monteregie.docx").exists()


def test_unknown_region_is_a_usage_error(capsys, tmp_path):
    status, _, err = run(capsys, "build", "--out", str(tmp_path), "--region", "estri")
    assert status == 2
    assert err == ("reportgen : erreur : région inconnue « estri » ; régions disponibles : "
                   "estrie, gaspesie-iles-de-la-madeleine, monteregie\n")


def test_bad_option_is_a_usage_error_in_french(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "--format", "html"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : reportgen build")
    assert "reportgen build : erreur : argument --format : choix invalide : 'html' (choisir parmi 'pdf', 'docx', 'all')" in err


def test_top_level_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "commandes\u00a0:" in out and "options\u00a0:" in out
    assert "--version         afficher la version et quitter" in out
    assert "nouvelle-periode" in out and "verifier" in out


def test_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    assert "Produit OUT/<période>/<région>.pdf et .docx" in out
    assert "dossier de sortie (défaut : build)" in out


def test_one_broken_report_does_not_stop_the_others(capsys, tmp_path, data_dir):
    period = data_dir / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", "ententes: quatorze"),
                      encoding="utf-8")
    out_dir = tmp_path / "out"
    status, out, err = run(capsys, "build", "--data", str(data_dir), "--out", str(out_dir))
    assert status == 1
    assert err.splitlines() == [
        "erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 6, colonne 3 (chiffres.ententes) : "
        "« quatorze » n’est pas un nombre (exemples : 207, 1 833, plus de 200)"]
    assert out.splitlines()[-1] == "2 bilan(s) produit(s), 0 inchangé(s), 1 en échec."
    assert (out_dir / "2020-2021" / "monteregie.pdf").is_file()
    assert not (out_dir / "2020-2021" / "estrie.pdf").exists()


def test_failed_rebuild_keeps_the_previous_output(capsys, tmp_path, data_dir):
    out_dir = tmp_path / "out"
    assert run(capsys, "build", "--data", str(data_dir), "--out", str(out_dir), "--region", "estrie")[0] == 0
    before = {p: p.read_bytes() for p in out_dir.rglob("*.pdf")} | {p: p.read_bytes() for p in out_dir.rglob("*.docx")}
    assert len(before) == 2
    region = data_dir / "estrie" / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "bureaux: []\n", encoding="utf-8")
    status, _, err = run(capsys, "build", "--data", str(data_dir), "--out", str(out_dir), "--region", "estrie")
    assert status == 1
    assert "clé « bureaux » en double (déjà à la ligne 9)" in err
    after = {p: p.read_bytes() for p in out_dir.rglob("*.pdf")} | {p: p.read_bytes() for p in out_dir.rglob("*.docx")}
    assert after == before


def test_writer_crash_leaves_old_file_and_no_temporary(capsys, tmp_path, monkeypatch):
    out_dir = tmp_path / "out"
    assert run(capsys, "build", "--out", str(out_dir), "--region", "estrie", "--format", "pdf")[0] == 0
    target = out_dir / "2020-2021" / "estrie.pdf"
    good = target.read_bytes()

    def half_written(document, brand, stream):
        stream.write(b"%PDF-1.4 tronque")
        raise RuntimeError("disque plein")

    monkeypatch.setattr("reportgen.writers.pdf.write_pdf", half_written)
    status, _, err = run(capsys, "build", "--out", str(out_dir), "--region", "estrie", "--format", "pdf", "--force")
    assert status == 1
    assert "le document n’a pas pu être produit (RuntimeError : disque plein)" in err
    assert "Traceback" not in err
    assert target.read_bytes() == good
    assert sorted(p.name for p in target.parent.iterdir()) == ["estrie.pdf"]  # no temporary file left


def test_check_validates_without_writing(capsys, tmp_path, data_dir):
    status, out, _ = run(capsys, "check", "--data", str(data_dir))
    assert (status, out) == (0, "Tout est valide : 3 bilan(s) prêt(s) à produire.\n")
    assert not (tmp_path / "build").exists()
    (data_dir / "monteregie" / "2020-2021.yaml").write_text("gabarit: communique\nchiffres: {}\n", encoding="utf-8")
    status, _, err = run(capsys, "check", "--data", str(data_dir))
    assert status == 1
    # Every figure the layout needs and the data lacks, at once, at the data file.
    assert ("erreur : [2020-2021/monteregie] data/monteregie/2020-2021.yaml, ligne 2, colonne 1 (chiffres.investissement) : "
            "chiffre « investissement » absent : le gabarit « communique » en a besoin") in err
    assert ("erreur : [2020-2021/monteregie] data/monteregie/2020-2021.yaml, ligne 1, colonne 1 (personnel.agents) : "
            "chiffre « agents » absent : le gabarit « communique » en a besoin") in err
    assert err.count("erreur : ") == 7
    assert err.splitlines()[-1] == "7 erreur(s) à corriger."


def test_console_command_prints_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "reportgen", "build", "--data", str(tmp_path / "rien"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 3  # nothing could be done
    assert "dossier de données introuvable" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_folder_that_cannot_be_written(capsys, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    status, out, err = run(capsys, "build", "--out", str(blocker / "sortie"), "--region", "estrie", "-j", "1")
    assert status == 3  # it concerns every report: nothing could be done
    assert err.splitlines() == [f"erreur : {blocker}/sortie : impossible d’écrire dans le dossier de sortie "
                                "(ce n’est pas un dossier)",
                                "  → vérifiez le dossier de sortie (--out) et vos droits d’écriture"]
    assert "erreur interne" not in err and out == ""
