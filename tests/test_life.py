"""A report's life: drafts, a period's own wording, published reports frozen, hand edits kept,
and a yearly job whose exit code and JSON tell the truth."""
import json
import re
import zipfile

import pikepdf
from helpers import W, docx_paragraphs, docx_xml, pdf_text, structure_walk

from reportgen.cli import main

GASPESIE = "2019-2021/gaspesie-iles-de-la-madeleine"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *args) -> tuple[int, dict]:
    status, out, _ = run(capsys, "build", "--json", *args)
    return status, json.loads(out)


def by_key(summary: dict) -> dict[str, dict]:
    return {f"{r['periode']}/{r['region']}": r for r in summary["bilans"]}


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def change_layout(project) -> None:
    layout = project / "layouts" / "bilan.md"
    layout.write_text(layout.read_text(encoding="utf-8").replace("De plus, la direction", "En outre, la direction"),
                      encoding="utf-8")


def test_a_published_report_is_frozen_until_republished(project, capsys):
    append(project / "data" / "gaspesie-iles-de-la-madeleine" / "2019-2021.yaml", "publie: 2021-09-15\n")
    status, summary = run_json(capsys)
    assert status == 0 and by_key(summary)[GASPESIE]["statut"] == "produit"  # a fresh folder: built once
    published = {fmt: (project / "build" / f"{GASPESIE}.{fmt}").read_bytes() for fmt in ("pdf", "docx")}
    kept = {fmt: project / "build" / "publies" / f"{GASPESIE}.{fmt}" for fmt in ("pdf", "docx")}
    assert {fmt: path.read_bytes() for fmt, path in kept.items()} == published

    change_layout(project)
    status, summary = run_json(capsys, "--force")
    assert status == 0
    assert by_key(summary)[GASPESIE]["statut"] == "publie"
    assert by_key(summary)["2020-2021/estrie"]["statut"] == "produit"
    assert summary["totaux"]["publie"] == 1
    assert {fmt: (project / "build" / f"{GASPESIE}.{fmt}").read_bytes() for fmt in published} == published
    assert "En outre, la direction" in pdf_text(project / "build" / "2020-2021" / "estrie.pdf")

    (project / "build" / f"{GASPESIE}.pdf").unlink()  # a lost file comes back as published
    assert f"publié, laissé tel quel : {GASPESIE}" in run(capsys, "build")[1].splitlines()
    assert (project / "build" / f"{GASPESIE}.pdf").read_bytes() == published["pdf"]

    status, summary = run_json(capsys, "--republier", GASPESIE)
    assert status == 0 and by_key(summary)[GASPESIE]["statut"] == "produit"
    assert "En outre, la direction" in pdf_text(project / "build" / f"{GASPESIE}.pdf")
    assert kept["pdf"].read_bytes() == (project / "build" / f"{GASPESIE}.pdf").read_bytes() != published["pdf"]


def test_verifier_says_when_a_published_file_no_longer_matches(project, capsys, monkeypatch):
    append(project / "data" / "gaspesie-iles-de-la-madeleine" / "2019-2021.yaml", "publie: 2021-09-15\n")
    assert run(capsys, "build", "--region", "gaspesie-iles-de-la-madeleine", "--format", "docx")[0] == 0
    kept = project / "build" / "publies" / f"{GASPESIE}.docx"
    kept.chmod(0o644)
    kept.write_bytes(kept.read_bytes() + b"\0")
    status, out, _ = run(capsys, "verifier", "--region", "gaspesie-iles-de-la-madeleine")
    assert status == 1
    assert f"✗ build/publies/{GASPESIE}.docx : ne correspond plus au fichier publié le 2021-09-15 " \
           "(empreinte différente)" in out.splitlines()
    assert run(capsys, "build", "--region", "estrie", "--format", "docx")[0] == 0
    status, out, _ = run(capsys, "verifier", "--region", "estrie")  # another report: not told
    assert status == 0 and not any(line.startswith("✗") for line in out.splitlines())
    (project / "build" / f"{GASPESIE}.docx").unlink()
    monkeypatch.chdir(project / "build")  # the filters read the reports' names, not the paths
    status, out, _ = run(capsys, "verifier", "--out", ".", "--period", "2019-2021")
    assert status == 1  # its only file is gone: told, not « aucun bilan à vérifier »
    assert [line for line in out.splitlines() if line.startswith("✗")] == [
        f"✗ publies/{GASPESIE}.docx : ne correspond plus au fichier publié le 2021-09-15 (empreinte différente)",
        f"✗ {GASPESIE}.docx : fichier publié introuvable"]


def test_unknown_report_to_republish_is_a_usage_error(project, capsys):
    status, _, err = run(capsys, "build", "--republier", "2019-2021/gaspesie")
    assert status == 2
    assert err.startswith("reportgen : erreur : bilan inconnu « 2019-2021/gaspesie » pour --republier ; bilans : ")


def test_a_period_replaces_a_named_part_of_its_layout_and_only_there(project, capsys):
    append(project / "data" / "estrie" / "2020-2021.yaml",
           "remplacements:\n  introduction: |\n    Cette année, l’Estrie a *innové* : voir "
           "[le site](https://www.quebec.ca/immigration).\n\n    Un second paragraphe.\n")
    assert run(capsys, "build", "-j", "1")[0] == 0
    estrie = docx_paragraphs(project / "build" / "2020-2021" / "estrie.docx")
    assert "Cette année, l’Estrie a innové\u00a0: voir le site." in estrie
    assert "Un second paragraphe." in estrie
    assert not any(p.startswith("Depuis l’annonce") for p in estrie)
    assert any(p.startswith("De plus, la direction régionale") for p in estrie)  # the rest still applies
    gaspesie = docx_paragraphs(project / "build" / f"{GASPESIE}.docx")
    assert any(p.startswith("Depuis l’annonce") for p in gaspesie)


def test_replacing_a_part_the_layout_does_not_have(project, capsys):
    append(project / "data" / "estrie" / "2020-2021.yaml", "remplacements:\n  intro: Texte.\n")
    status, _, err = run(capsys, "build", "--region", "estrie")
    assert status == 1
    assert err.splitlines()[:2] == [
        "erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 23, colonne 3 (remplacements.intro) : "
        "le gabarit « bilan » n’a pas de partie « intro »",
        "  → parties remplaçables : introduction, projets_introduction"]


def test_new_period_does_not_carry_a_periods_own_wording(project, capsys):
    append(project / "data" / "estrie" / "2020-2021.yaml", "remplacements:\n  introduction: Texte de 2020.\n")
    assert run(capsys, "nouvelle-periode", "2021-2022", "--region", "estrie")[0] == 0
    text = (project / "data" / "estrie" / "2021-2022.yaml").read_text(encoding="utf-8")
    assert text.endswith("# remplacements:\n#   introduction: Texte de 2020.\n")
    assert "\nremplacements:" not in text


def test_a_hand_edit_survives_a_build_until_replaced_on_purpose(project, capsys):
    assert run(capsys, "build", "--region", "estrie")[0] == 0
    docx = project / "build" / "2020-2021" / "estrie.docx"
    with zipfile.ZipFile(docx, "a") as archive:  # Word saving a corrected sentence, in effect
        archive.writestr("customXml/note.xml", "<note>corrigé à la main</note>")
    edited = docx.read_bytes()
    append(project / "data" / "estrie" / "2020-2021.yaml", "# une donnée change\n")
    status, summary = run_json(capsys, "--region", "estrie")
    assert status == 1 and docx.read_bytes() == edited
    report = by_key(summary)["2020-2021/estrie"]
    assert report["statut"] == "echec" and report["anciens_fichiers_en_place"] is True
    assert report["erreurs"][0]["message"] == ("ce fichier a été modifié depuis que reportgen l’a écrit : "
                                               "il n’est pas remplacé")
    assert report["erreurs"][0]["fichier"] == "build/2020-2021/estrie.docx"
    assert report["erreurs"][0]["conseil"] == ("gardez-le sous un autre nom (par exemple estrie-corrige.docx) "
                                               "puis relancez, ou relancez avec --ecraser pour le remplacer")
    assert run(capsys, "build", "--region", "estrie", "--ecraser")[0] == 0
    assert docx.read_bytes() != edited


def test_drafts_are_skipped_by_a_full_build_and_the_job_succeeds(project, capsys):
    assert run(capsys, "nouvelle-periode", "2021-2022")[0] == 0
    status, summary = run_json(capsys)
    assert status == 0 and summary["code_de_sortie"] == 0
    draft = by_key(summary)["2021-2022/estrie"]
    assert (draft["statut"], draft["a_remplir"], draft["sorties"]) == ("brouillon", 4, [])
    assert draft["avertissements"][0]["message"] == "brouillon non produit : 4 valeur(s) encore « À REMPLIR »"
    assert summary["totaux"] == {"produit": 3, "inchange": 0, "echec": 0, "brouillon": 3, "publie": 0}
    assert not (project / "build" / "2021-2022").exists()
    status, out, err = run(capsys, "build")
    assert out.splitlines()[-1] == ("0 bilan(s) produit(s), 3 inchangé(s), 0 en échec, "
                                    "3 brouillon(s) non produit(s).")
    assert err.splitlines()[:2] == [
        "avertissement : [2021-2022/estrie] data/estrie/2021-2022.yaml : brouillon non produit : "
        "4 valeur(s) encore « À REMPLIR »",
        "  → remplissez-les (reportgen check dit où), ou voyez le brouillon marqué « BROUILLON » avec "
        "reportgen build --region estrie --period 2021-2022"]


def test_a_draft_named_is_built_with_its_mark_on_every_page(project, capsys):
    assert run(capsys, "nouvelle-periode", "2021-2022", "--region", "estrie")[0] == 0
    assert run(capsys, "build", "--region", "estrie", "--period", "2021-2022")[0] == 0
    pdf_path = project / "build" / "2021-2022" / "estrie.pdf"
    assert "« À REMPLIR » personnes immigrantes" in pdf_text(pdf_path).replace("\u00a0", " ")
    with pikepdf.open(pdf_path) as pdf:
        tagged = " ".join(text for _, text in structure_walk(pdf))
        assert "REMPLIR" in tagged and "BROUILLON" not in tagged  # not part of the document's text
        for page in pdf.pages:
            marks = [ops for ops, op in pikepdf.parse_content_stream(page) if str(op) == "BDC"
                     and ops[0] == "/Artifact" and ops[1].get("/Subtype") == "/Watermark"]
            assert len(marks) == 1
    docx_path = project / "build" / "2021-2022" / "estrie.docx"
    with zipfile.ZipFile(docx_path) as archive:
        headers = [name for name in archive.namelist() if re.fullmatch(r"word/header\d+\.xml", name)]
    assert len(headers) >= 2
    for header in headers:
        assert "BROUILLON" in "".join(t.text or "" for t in docx_xml(docx_path, header).iter(W + "t"))
    assert any("«\u00a0À REMPLIR\u00a0» personnes immigrantes" in p for p in docx_paragraphs(docx_path))


def test_brouillon_option_builds_every_draft(project, capsys):
    assert run(capsys, "nouvelle-periode", "2021-2022")[0] == 0
    status, summary = run_json(capsys, "--brouillon")
    assert status == 0 and summary["totaux"]["produit"] == 6 and summary["totaux"]["brouillon"] == 0


def test_the_json_summary_is_dated_and_timed(project, capsys):
    status, summary = run_json(capsys)
    assert status == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", summary["debut"])
    assert summary["fin"] >= summary["debut"] and summary["duree_totale_s"] > 0
    assert summary["avertissements"] == []


def test_a_hand_edit_with_nothing_to_redo_is_kept_and_told(project, capsys):
    assert run(capsys, "build", "--region", "estrie")[0] == 0
    docx = project / "build" / "2020-2021" / "estrie.docx"
    with zipfile.ZipFile(docx, "a") as archive:
        archive.writestr("customXml/note.xml", "<note>corrigé à la main</note>")
    edited = docx.read_bytes()
    status, out, err = run(capsys, "build", "--region", "estrie")
    assert status == 0 and docx.read_bytes() == edited
    assert err.splitlines()[0] == ("avertissement : [2020-2021/estrie] build/2020-2021/estrie.docx : ce fichier a "
                                   "été modifié depuis que reportgen l’a écrit ; il est gardé tel quel")


def test_a_published_report_missing_one_format_keeps_the_other_untouched(project, capsys):
    append(project / "data" / "gaspesie-iles-de-la-madeleine" / "2019-2021.yaml", "publie: 2021-09-15\n")
    assert run(capsys, "build", "--region", "gaspesie-iles-de-la-madeleine", "--format", "pdf")[0] == 0
    pdf = (project / "build" / f"{GASPESIE}.pdf").read_bytes()
    change_layout(project)
    status, out, err = run(capsys, "build", "--region", "gaspesie-iles-de-la-madeleine")
    assert status == 0 and (project / "build" / f"{GASPESIE}.pdf").read_bytes() == pdf
    assert not (project / "build" / f"{GASPESIE}.docx").exists()
    assert err.splitlines()[1] == f"  → pour le produire avec les autres, relancez avec --republier {GASPESIE}"
