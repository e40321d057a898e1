"""Nothing a picture, a font, a full disk, a crash or a killed run can do costs a good output,
and every way a run can end still gives its summary (and valid JSON under --json)."""
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image as Picture

from reportgen import build as build_module
from reportgen.build import MAX_JOBS_PER_CORE, worker_count
from reportgen.cli import main

ESTRIE = Path("build/2020-2021/estrie")


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def outputs(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "build").rglob("*")
            if p.suffix in (".pdf", ".docx")}


def leftovers(project: Path) -> list[Path]:
    return sorted((project / "build").rglob("*.tmp"))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG file that claims ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 100_000))
            + _chunk(b"IEND", b""))


def truncated_png(path: Path) -> bytes:
    Picture.frombytes("RGB", (300, 200), bytes(range(256)) * 703 + bytes(32)).save(path)
    return path.read_bytes()[: path.stat().st_size // 2]


def add_illustration(project: Path, content: bytes) -> None:
    (project / "assets" / "images").mkdir(exist_ok=True)
    (project / "assets" / "images" / "carte.png").write_bytes(content)
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8") + "illustration:\n  fichier: images/carte.png\n"
                      "  description: Carte des points de services\n", encoding="utf-8")


@pytest.mark.parametrize("picture, message", [
    ("bombe", "image « images/carte.png » trop grande pour être décodée sans danger (au plus 40 mégapixels)\n"
              "  → réduisez-la (par exemple à 3000 pixels de large) et enregistrez-la en PNG ou en JPEG"),
    ("tronquée", "image « images/carte.png » illisible ou tronquée\n  → ouvrez l’image dans un logiciel de "
                 "dessin et enregistrez-la de nouveau en PNG ou en JPEG"),
])
def test_a_dangerous_picture_is_refused_at_its_data_line_and_old_files_stay(project, capsys, picture, message):
    assert run(capsys, "build", "--region", "estrie")[0] == 0
    before = outputs(project)
    add_illustration(project, decompression_bomb() if picture == "bombe" else truncated_png(project / "x.png"))
    status, out, err = run(capsys, "build", "--region", "estrie")
    assert status == 1
    assert err.splitlines()[:2] == (f"erreur : [2020-2021/estrie] data/estrie/2020-2021.yaml, ligne 23, colonne 3 "
                                    f"(illustration.fichier) : {message}").splitlines()
    assert "Warning" not in err and outputs(project) == before and not leftovers(project)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_during_the_second_format_leaves_both_old_files(project, capsys, jobs):
    """The file size limit (RLIMIT_FSIZE) lets the PDF through and stops the Word file (with
    two jobs, the PDF is written by a process of its own: its file goes too)."""
    assert run(capsys, "build", "--region", "estrie")[0] == 0
    before = outputs(project)
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", "ententes: 15"), encoding="utf-8")
    script = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
        from reportgen.cli import main
        sys.exit(main(["build", "--region", "estrie", "-j", "%s"]))
    """ % jobs)
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("erreur : [2020-2021/estrie] build/2020-2021/estrie.docx : écriture "
                                             "impossible (fichier trop gros pour ce disque ou cette limite)")
    assert result.stdout.splitlines()[-1] == "0 bilan(s) produit(s), 0 inchangé(s), 1 en échec."
    assert outputs(project) == before and not leftovers(project)


def test_an_unexpected_exception_is_that_reports_failure_only(project, capsys, monkeypatch):
    from reportgen import document as document_module
    real = document_module.make_document

    def fragile(report, *args, **kwargs):
        if report.slug == "estrie":
            raise RuntimeError("boum")
        return real(report, *args, **kwargs)

    monkeypatch.setattr(document_module, "make_document", fragile)
    status, out, err = run(capsys, "build", "-j", "1")
    assert status == 1
    assert err.splitlines() == ["erreur : [2020-2021/estrie] erreur inattendue en produisant 2020-2021/estrie "
                                "(RuntimeError : boum)",
                                "  → relancez avec --debug pour la trace, et signalez-la à l’équipe"]
    assert out.splitlines()[-1] == "2 bilan(s) produit(s), 0 inchangé(s), 1 en échec."


def test_a_damaged_manifest_is_ignored_rewritten_and_told_once(project, capsys):
    assert run(capsys, "build")[0] == 0
    manifest = project / "build" / ".reportgen-manifeste.json"
    for damage in ('[1, 2, 3]', '{"format": 2, "bilans": {"2020-2021/estrie": 7}}', "\xff{", ""):
        manifest.write_text(damage, encoding="latin-1")
        status, out, err = run(capsys, "build")
        assert status == 0
        assert err.splitlines() == ["avertissement : build/.reportgen-manifeste.json : manifeste abîmé ou d’une "
                                    "autre version : il est ignoré et sera réécrit (tous les bilans concernés "
                                    "sont refaits)"]
        assert out.splitlines()[-1] == "3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."
        assert run(capsys, "build")[1].splitlines()[-1] == "0 bilan(s) produit(s), 3 inchangé(s), 0 en échec."


def _cut(data: bytes) -> bytes:
    return data[:5000]


def _flip_a_byte_of_the_signature(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("signature.png")
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


@pytest.mark.parametrize("damage", [_cut, _flip_a_byte_of_the_signature])
def test_a_damaged_word_template_cache_is_removed_and_rebuilt(project, capsys, monkeypatch, tmp_path, damage):
    from reportgen.writers import docx as writer
    monkeypatch.setenv("REPORTGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(writer, "_TEMPLATES", {})
    assert run(capsys, "build", "--region", "estrie", "--format", "docx")[0] == 0
    [cached] = (tmp_path / "cache").glob("modele-word-*.zip")
    good = ESTRIE.with_suffix(".docx").read_bytes()
    cached.write_bytes(damage(cached.read_bytes()))
    monkeypatch.setattr(writer, "_TEMPLATES", {})
    status, out, err = run(capsys, "build", "--region", "estrie", "--format", "docx", "--force")
    assert status == 0
    assert err.splitlines() == [f"avertissement : [2020-2021/estrie] {cached.relative_to(project)} : modèle Word en cache abîmé : "
                                "il a été supprimé et refait"]
    assert ESTRIE.with_suffix(".docx").read_bytes() == good
    assert zipfile.ZipFile(cached).testzip() is None


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project, capsys):
    command = [sys.executable, "-m", "reportgen", "build", "-j", "1"]
    killed = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # until it is writing a file (or has finished)
        if leftovers(project) or killed.poll() is not None:
            break
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    stale = project / "build" / "2020-2021" / ".estrie.pdf.tue.tmp"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"")
    assert run(capsys, "build")[0] == 0
    assert not leftovers(project)
    for path in (project / "build").rglob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-") and path.read_bytes().rstrip().endswith(b"%%EOF")
    for path in (project / "build").rglob("*.docx"):
        assert zipfile.ZipFile(path).testzip() is None


def test_a_copied_project_rebuilds_what_changed_and_only_that(project, capsys, tmp_path, monkeypatch):
    assert run(capsys, "build")[0] == 0
    copy = tmp_path / "copie"
    shutil.copytree(project, copy, copy_function=shutil.copy, ignore=shutil.ignore_patterns("copie"))
    monkeypatch.chdir(copy)
    assert run(capsys, "build")[1].splitlines()[-1] == "0 bilan(s) produit(s), 3 inchangé(s), 0 en échec."
    tokens = copy / "assets" / "marque.yaml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace('"#095797"', '"#0A5A9C"'), encoding="utf-8")
    assert run(capsys, "build")[1].splitlines()[-1] == "3 bilan(s) produit(s), 0 inchangé(s), 0 en échec."
    manifest = (copy / "build" / ".reportgen-manifeste.json").read_text(encoding="utf-8")
    assert str(project) not in manifest and str(copy) not in manifest


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_outputs_take_the_usual_permissions(project, capsys, umask, mode):
    previous = os.umask(umask)
    try:
        assert run(capsys, "build", "--region", "estrie")[0] == 0
    finally:
        os.umask(previous)
    for suffix in (".pdf", ".docx"):
        assert (ESTRIE.with_suffix(suffix).stat().st_mode & 0o777) == mode


def test_jobs_are_capped_at_the_reports_and_the_cores(project, capsys, monkeypatch):
    import concurrent.futures
    started = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers, **options):
            started.append(max_workers)
            super().__init__(max_workers=max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    assert run(capsys, "build", "-j", "10000")[0] == 0
    assert started == [3]
    assert worker_count(10_000, 5_000) == MAX_JOBS_PER_CORE * (os.cpu_count() or 1)
    assert worker_count(os.cpu_count() or 1, 5_000) == (os.cpu_count() or 1)


def json_run(capsys, *args) -> tuple[int, dict]:
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, json.loads(out)


def test_json_in_every_failure_case(project, capsys):
    status, summary = json_run(capsys, "build", "--json", "--formt", "pdf")
    assert status == 2 and summary["code_de_sortie"] == 2
    assert summary["erreurs_generales"][0]["message"] == "arguments non reconnus : --formt pdf"
    status, summary = json_run(capsys, "build", "--json", "--region", "estri")
    assert status == 2 and summary["erreurs_generales"][0]["message"].startswith("région inconnue « estri »")
    status, summary = json_run(capsys, "build", "--json", "--data", "rien")
    assert status == 3 and summary["erreurs_generales"][0]["message"] == "dossier de données introuvable"
    tokens = project / "assets" / "marque.yaml"
    saved = tokens.read_bytes()
    tokens.write_text("couleurs: [\n", encoding="utf-8")
    status, summary = json_run(capsys, "build", "--json")
    assert status == 3 and summary["erreurs_generales"][0]["fichier"] == "assets/marque.yaml"
    tokens.write_bytes(saved)
    ministry = project / "data" / "ministere.yaml"
    saved = ministry.read_bytes()
    ministry.write_text("nom: [\n", encoding="utf-8")
    status, summary = json_run(capsys, "build", "--json")
    assert status == 3 and summary["erreurs_generales"][0]["fichier"] == "data/ministere.yaml"
    assert summary["bilans"] == []
    ministry.write_bytes(saved)
    (project / "data" / os.fsdecode(b"r\xe9gion")).mkdir()
    status, summary = json_run(capsys, "build", "--json")
    assert status == 1 and summary["totaux"] == {"produit": 3, "inchange": 0, "echec": 0, "brouillon": 0,
                                                 "publie": 0}
    assert summary["erreurs_generales"][0]["fichier"] == "data/r\ufffdgion"
    for key in ("debut", "fin", "duree_totale_s"):
        assert key in summary


def test_a_name_that_is_not_utf8_is_reported_not_a_crash(project, capsys):
    (project / "data" / os.fsdecode(b"r\xe9gion")).mkdir()
    status, out, err = run(capsys, "build")
    assert status == 1
    assert err.splitlines()[0] == "erreur : data/r\ufffdgion : nom de dossier de région invalide"


def test_a_worker_process_carries_a_memory_limit():
    script = ("import resource; from reportgen.build import limit_worker_memory, WORKER_MEMORY; "
              "limit_worker_memory(); print(resource.getrlimit(resource.RLIMIT_AS)[0] == WORKER_MEMORY)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "True", result.stderr


def test_a_picture_over_forty_megapixels_is_refused_with_its_size(tmp_path):
    from reportgen.assets import PictureError, check_picture
    picture = tmp_path / "grande.png"
    picture.write_bytes(decompression_bomb(8000, 7000))
    with pytest.raises(PictureError) as caught:
        check_picture(picture, "images/grande.png")
    assert str(caught.value) == ("image « images/grande.png » trop grande (8\u00a0000 × 7\u00a0000 pixels ; "
                                 "au plus 40 mégapixels)")


def test_every_kind_of_temporary_file_a_killed_run_leaves_is_removed(project, capsys):
    """The temporary files of the manifest, the outputs, the fingerprints and the published
    copies, each named as files.replace_atomically names it."""
    build = project / "build"
    stale = [build / "..reportgen-manifeste.json.k3j9.tmp", build / "2020-2021" / ".estrie.docx.x1y2.tmp",
             build / "publies" / ".empreintes.json.a1b2.tmp", build / "publies" / "2019-2021" / ".g.pdf.c3d4.tmp"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    assert run(capsys, "build")[0] == 0
    assert not leftovers(project)


def _damaged(good: bytes, how: str) -> bytes:
    """The Word file ``good`` cut short, with a flipped byte inside its body, or without a body."""
    if how == "coupé":
        return good[: len(good) // 2]
    if how == "sans corps":
        stream = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(stream, "w") as copy:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    copy.writestr(info, source.read(info))
        return stream.getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    return good[:start] + bytes([good[start] ^ 0xFF]) + good[start + 1:]


@pytest.mark.parametrize("how, message", [
    ("coupé", "le fichier Word produit est illisible"),
    ("octet changé", "le fichier Word produit est illisible"),
    ("sans corps", "le fichier Word produit est incomplet"),
])
def test_a_damaged_word_file_fails_its_check_and_the_old_files_stay(project, capsys, monkeypatch, how, message):
    assert run(capsys, "build", "--region", "estrie", "-j", "1")[0] == 0
    before = outputs(project)
    real = build_module._writer

    def damaging(fmt, document, brand):
        if fmt == "pdf":
            return real(fmt, document, brand)
        stream = io.BytesIO()
        real(fmt, document, brand)(stream)
        return lambda target: target.write(_damaged(stream.getvalue(), how))

    monkeypatch.setattr(build_module, "_writer", damaging)
    status, _, err = run(capsys, "build", "--region", "estrie", "-j", "1", "--force")
    assert status == 1
    assert err.splitlines()[0] == f"erreur : [2020-2021/estrie] build/2020-2021/estrie.docx : {message}"
    assert outputs(project) == before and not leftovers(project)


def test_mistakes_in_ministere_yaml_stop_the_build_before_any_report_and_keep_every_output(project, capsys):
    assert run(capsys, "build", "-j", "1")[0] == 0
    before = outputs(project)
    ministry = project / "data" / "ministere.yaml"
    text = ministry.read_text(encoding="utf-8")
    ministry.write_text(text.replace("sigle: MIFI", "sigles: MIFI").replace("annonce_regionalisation: 2019-08",
                                                                           "annonce_regionalisation: bientôt"),
                        encoding="utf-8")
    status, out, err = run(capsys, "build", "-j", "1")
    assert status == 3 and out == ""
    assert err.splitlines() == [
        "erreur : data/ministere.yaml, ligne 10, colonne 1 (annonce_regionalisation) : « bientôt » : un mois "
        "s’écrit AAAA-MM",
        "  → écrivez l’année, puis le mois en deux chiffres (exemple : 2022-09 pour septembre 2022)",
        "erreur : data/ministere.yaml, ligne 3, colonne 1 (sigles) : clé inconnue « sigles » — vouliez-vous "
        "dire « sigle » ?",
        "  → clés permises ici : nom, sigle, liens, annonce_regionalisation"]
    assert outputs(project) == before and not leftovers(project)


def test_a_build_with_nothing_to_make_loads_neither_the_schema_nor_a_rendering_library(project, capsys):
    """What keeps the yearly job's no-op run short: folders, states and fingerprints only."""
    assert run(capsys, "build", "-j", "1")[0] == 0
    script = ("import sys; from reportgen.cli import main; status = main(['build']); "
              "print(status, sorted(m for m in ('pydantic', 'jinja2', 'reportlab', 'docx', 'markdown_it') "
              "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def _pdf_writer_process(monkeypatch, tmp_path, then=None) -> Path:
    """Record which process writes the PDF (in a file: it is another process), then do
    ``then`` there instead of writing, if given."""
    from reportgen.writers import pdf as writer
    real, record = writer.write_pdf, tmp_path / "pid"

    def recording(document, brand, target):
        record.write_text(str(os.getpid()))
        return then() if then else real(document, brand, target)

    monkeypatch.setattr(writer, "write_pdf", recording)
    return record


def test_one_report_with_two_jobs_has_its_pdf_written_by_a_second_process_and_the_same_bytes(
        project, capsys, monkeypatch, tmp_path):
    assert run(capsys, "build", "--region", "estrie", "-j", "1")[0] == 0
    alone = outputs(project)
    record = _pdf_writer_process(monkeypatch, tmp_path)
    status, out, _ = run(capsys, "build", "--region", "estrie", "-j", "2", "--force")
    assert status == 0 and out.splitlines() == ["écrit : build/2020-2021/estrie.pdf",
                                                "écrit : build/2020-2021/estrie.docx",
                                                "1 bilan(s) produit(s), 0 inchangé(s), 0 en échec."]
    assert int(record.read_text()) != os.getpid()
    assert outputs(project) == alone and not leftovers(project)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the process was waited for


def test_a_pdf_process_that_dies_fails_the_report_and_keeps_the_old_files(project, capsys, monkeypatch, tmp_path):
    assert run(capsys, "build", "--region", "estrie", "-j", "1")[0] == 0
    before = outputs(project)
    _pdf_writer_process(monkeypatch, tmp_path, then=lambda: os._exit(9))
    status, out, err = run(capsys, "build", "--region", "estrie", "-j", "2", "--force")
    assert status == 1
    assert err.splitlines() == [
        "erreur : [2020-2021/estrie] build/2020-2021/estrie.pdf : le processus qui écrivait ce fichier s’est "
        "arrêté brutalement (mémoire épuisée ou processus tué)",
        "  → relancez ; si cela se répète, relancez avec -j 1 --debug et signalez-le à l’équipe"]
    assert outputs(project) == before and not leftovers(project)


def test_a_failure_in_the_pdf_process_is_that_reports_own(project, capsys, monkeypatch, tmp_path):
    def boom():
        raise RuntimeError("boum")

    _pdf_writer_process(monkeypatch, tmp_path, then=boom)
    status, _, err = run(capsys, "build", "--region", "estrie", "-j", "2")
    assert status == 1
    assert err.splitlines()[0] == ("erreur : [2020-2021/estrie] build/2020-2021/estrie.pdf : le document n’a pas "
                                   "pu être produit (RuntimeError : boum)")
    assert not ESTRIE.with_suffix(".pdf").exists() and not ESTRIE.with_suffix(".docx").exists()


def test_a_report_that_fails_before_writing_leaves_no_pdf_process_behind(project, capsys, monkeypatch, tmp_path):
    record = _pdf_writer_process(monkeypatch, tmp_path)
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", "ententes: beaucoup"),
                      encoding="utf-8")
    status, _, err = run(capsys, "build", "--region", "estrie", "-j", "2")
    assert status == 1 and "ententes" in err.splitlines()[0]
    assert not record.exists() and not leftovers(project)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
