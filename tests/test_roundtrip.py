"""Changing a data file for a person: only what changed, atomically, never over someone else's edit."""
from __future__ import annotations

import os

import pytest

from reportgen.data.roundtrip import EditConflict, fingerprint, open_for_edit, restore, save, versions
from reportgen.data.yamlfile import read_yaml
from reportgen.errors import DataError

ESTRIE = "# Bilan 2020-2021.\ngabarit: bilan   # le gabarit\nchiffres:\n  ententes: 14\n  personnes_accompagnees: plus de 200\n" \
         "personnel:\n  conseillers: 3\n  lieux_conseillers: [Sherbrooke]\n  agents: 4\n" \
         "projets:\n  - la *Semaine* des rencontres\n  # un commentaire entre deux projets\n  - des visites\n"


@pytest.fixture
def period(tmp_path):
    path = tmp_path / "data" / "estrie" / "2020-2021.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ESTRIE, encoding="utf-8")
    return path


def test_every_bundled_file_reads_and_writes_back_byte_for_byte(root):
    for path in sorted((root / "data").rglob("*.yaml")):
        assert open_for_edit(path).text() == path.read_text(encoding="utf-8"), path


def test_changing_one_figure_changes_only_its_line_and_keeps_it_a_number(period):
    edit = open_for_edit(period)
    edit.set(("chiffres", "ententes"), "15")
    assert save(edit)
    assert period.read_text(encoding="utf-8") == ESTRIE.replace("ententes: 14", "ententes: 15")
    assert open_for_edit(period).get(("chiffres", "ententes")) == 15


def test_texts_that_yaml_would_misread_are_quoted_and_read_back_exactly(period):
    edit = open_for_edit(period)
    texts = ["*Italique* au début", "[lien](https://x.ca) d’abord", "« citation » : avec deux-points",
             "bureau #200", "oui", "00123", "- tiret", "16,2 M$"]
    edit.set(("projets",), texts)
    save(edit)
    assert read_yaml(period).data["projets"] == texts


def test_a_list_given_again_unchanged_keeps_its_comments(period):
    edit = open_for_edit(period)
    edit.set(("projets",), ["la *Semaine* des rencontres", "des visites"])
    edit.set(("personnel", "lieux_conseillers"), ["Sherbrooke"])
    assert not edit.changed
    assert not save(edit)


def test_a_flow_list_stays_on_one_line_and_sections_are_created_where_missing(period):
    edit = open_for_edit(period)
    edit.set(("personnel", "lieux_conseillers"), ["Sherbrooke", "Magog"])
    edit.set(("citation",), {"texte": "Premier paragraphe.\nSecond paragraphe.", "auteur": "Marie Tremblay",
                             "fonction": "directrice régionale"})
    save(edit)
    text = period.read_text(encoding="utf-8")
    assert "  lieux_conseillers: [Sherbrooke, Magog]\n" in text
    assert text.endswith("citation:\n  texte: |-\n    Premier paragraphe.\n    Second paragraphe.\n"
                         "  auteur: Marie Tremblay\n  fonction: directrice régionale\n")
    assert read_yaml(period).data["citation"]["texte"] == "Premier paragraphe.\nSecond paragraphe."


def test_none_removes_a_key_and_its_comment_lines_stay(period):
    edit = open_for_edit(period)
    edit.set(("chiffres", "personnes_accompagnees"), None)
    save(edit)
    assert period.read_text(encoding="utf-8") == ESTRIE.replace("  personnes_accompagnees: plus de 200\n", "")


def test_a_windows_file_keeps_its_line_endings_and_byte_order_mark(period):
    period.write_bytes(b"\xef\xbb\xbf" + ESTRIE.replace("\n", "\r\n").encode("utf-8"))
    edit = open_for_edit(period)
    assert edit.text().encode("utf-8") == period.read_bytes()
    edit.set(("chiffres", "ententes"), "15")
    save(edit)
    expected = ESTRIE.replace("ententes: 14", "ententes: 15").replace("\n", "\r\n")
    assert period.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(period):
    edit = open_for_edit(period)
    period.write_text(ESTRIE + "# ajouté dans un éditeur\n", encoding="utf-8")
    edit.set(("chiffres", "ententes"), "15")
    with pytest.raises(EditConflict) as caught:
        save(edit)
    assert str(caught.value) == (f"{period} : ce fichier a été modifié par quelqu’un d’autre depuis son ouverture\n"
                                 "  → rouvrez-le pour voir ses changements, puis refaites les vôtres")
    assert caught.value.current.endswith("# ajouté dans un éditeur\n")
    assert "ententes: 14" in period.read_text(encoding="utf-8")


def test_a_new_file_is_created_but_never_over_one_that_appeared_meanwhile(tmp_path):
    path = tmp_path / "estrie" / "2021-2022.yaml"
    edit = open_for_edit(path)
    assert edit.fingerprint is None
    edit.set(("gabarit",), "bilan")
    edit.set(("chiffres", "ententes"), "7")
    save(edit)
    assert path.read_text(encoding="utf-8") == "gabarit: bilan\nchiffres:\n  ententes: 7\n"
    again = open_for_edit(tmp_path / "estrie" / "autre.yaml")
    (tmp_path / "estrie" / "autre.yaml").write_text("gabarit: communique\n", encoding="utf-8")
    again.set(("gabarit",), "bilan")
    with pytest.raises(EditConflict):
        save(again)


def test_saves_are_atomic_take_the_usual_permissions_and_leave_no_temporary_file(period):
    old_mask = os.umask(0o022)
    try:
        edit = open_for_edit(period)
        edit.set(("chiffres", "ententes"), "15")
        save(edit)
    finally:
        os.umask(old_mask)
    assert oct(period.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in period.parent.iterdir()) == ["2020-2021.yaml"]


def test_every_save_keeps_the_previous_version_which_can_be_restored(period, tmp_path):
    history = tmp_path / "historique"
    for value in ("15", "16"):
        edit = open_for_edit(period)
        edit.set(("chiffres", "ententes"), value)
        save(edit, history)
    kept = versions(period, history)
    assert [("ententes: 15" in v.path.read_text(), "ententes: 14" in v.path.read_text()) for v in kept] == [
        (True, False), (False, True)]
    restore(period, kept[1], fingerprint(period), history)
    assert period.read_text(encoding="utf-8") == ESTRIE
    assert len(versions(period, history)) == 3       # the version restoring replaced is kept too
    with pytest.raises(EditConflict):
        restore(period, kept[0], "empreinte-perimee", history)


def test_a_file_with_a_syntax_error_is_refused_in_french(period):
    period.write_text("chiffres:\n  ententes: [14\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        open_for_edit(period)
    assert str(caught.value) == (f"{period} : ce fichier ne peut pas être modifié tant qu’il contient une erreur "
                                 "de syntaxe\n  → lancez « reportgen check » pour la trouver et la corriger")
