#!/usr/bin/env python3
"""reportgen's benchmark: one script, one table, the machine it ran on.

    python bench/run.py                 # everything (about five minutes on two cores)
    python bench/run.py --rapide        # a 200-report scale run instead of 250 + 1 000

Measures (median of several runs where it makes sense):
- warm, in one process: time per report to write the PDF and the DOCX (Estrie 2020-2021);
- cold: ``reportgen build`` of one report, and of the bundled batch, as new processes;
- a no-op incremental rebuild (nothing changed);
- scale: N synthetic reports generated in a temporary folder, both formats, ``-j 2``:
  wall time, time per report, peak memory of any process — at two sizes, to show time
  growing linearly and memory staying flat;
- peers on the same content: a bare ReportLab script (the engine's floor), Typst, WeasyPrint,
  and LibreOffice converting our DOCX to PDF; a peer that is not installed is skipped and
  said so. Ratios are reportgen's time over the peer's.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportgen.brand import load_brand  # noqa: E402
from reportgen.data.catalog import load_catalog  # noqa: E402
from reportgen.document import make_document  # noqa: E402
from reportgen.model import (  # noqa: E402
    BulletList,
    Contacts,
    Heading,
    KeyFigures,
    Paragraph,
    Quote,
    block_texts,
    plain_text,
)
from reportgen.writers.docx import write_docx  # noqa: E402
from reportgen.writers.pdf import write_pdf  # noqa: E402

REPORTGEN = [sys.executable, "-m", "reportgen"]


def timed(action, repeat: int) -> float:
    """Median seconds of ``action`` over ``repeat`` runs (after one warm-up)."""
    action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


# ---------------------------------------------------------------- peers, on the same content

def bare_reportlab(document) -> bytes:
    """The engine's floor: the same blocks as plain platypus paragraphs in the same embedded
    font (an unembedded Helvetica would be faster, but reportgen may not use one)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate
    if "Plancher" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Plancher", str(ROOT / "assets" / "fonts" / "Roboto-Regular.ttf")))
    body = ParagraphStyle("corps", fontName="Plancher", fontSize=10.5, leading=15)
    title = ParagraphStyle("titre", body, fontSize=16, leading=20)
    story = []
    for block in document.blocks:
        style = title if isinstance(block, Heading) else body
        story.extend(P(escape(text), style) for text in block_texts([block]))
    stream = io.BytesIO()
    SimpleDocTemplate(stream, pagesize=letter, initialFontName="Plancher").build(story)
    return stream.getvalue()


def as_html(document) -> str:
    body = []
    for block in document.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{escape(plain_text(block.inlines))}</h{block.level}>")
        elif isinstance(block, (BulletList, KeyFigures, Contacts)):
            body.append("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in block_texts([block])) + "</ul>")
        elif isinstance(block, (Paragraph, Quote)):
            body.append("".join(f"<p>{escape(t)}</p>" for t in block_texts([block])))
    return ("<!doctype html><html lang='fr-CA'><head><meta charset='utf-8'><style>"
            "@page{size:letter;margin:24mm} body{font-family:Roboto,sans-serif;font-size:10.5pt}"
            "</style></head><body>" + "".join(body) + "</body></html>")


def as_typst(document) -> str:
    def text(value: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$@<>[]=-+/~'\"" else c for c in value)
    lines = ['#set page(paper: "us-letter", margin: 24mm)', '#set text(lang: "fr", size: 10.5pt)']
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append("=" * block.level + " " + text(plain_text(block.inlines)))
        elif isinstance(block, (BulletList, KeyFigures, Contacts)):
            lines.extend("- " + text(t) for t in block_texts([block]))
        else:
            lines.extend(text(t) + "\n" for t in block_texts([block]))
    return "\n".join(lines) + "\n"


def peers(document, docx_bytes: bytes, work: Path, repeat: int) -> dict[str, float | str]:
    """Seconds per report for each peer route, or why it was skipped."""
    results: dict[str, float | str] = {"ReportLab nu (plancher)": timed(lambda: bare_reportlab(document), repeat)}
    try:
        import typst
        source = work / "bilan.typ"
        source.write_text(as_typst(document), encoding="utf-8")
        results["Typst"] = timed(lambda: typst.compile(str(source)), repeat)
    except ImportError:
        results["Typst"] = "absent (pip install typst)"
    try:
        import weasyprint
        html = as_html(document)
        results["WeasyPrint"] = timed(lambda: weasyprint.HTML(string=html).write_pdf(), repeat)
    except (ImportError, OSError):
        results["WeasyPrint"] = "absent (pip install weasyprint)"
    soffice = shutil.which("soffice")
    if soffice:
        (work / "bilan.docx").write_bytes(docx_bytes)
        profile = f"-env:UserInstallation=file://{work / 'profil-lo'}"
        command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(work / "bilan.docx")]
        results["LibreOffice (DOCX → PDF)"] = statistics.median(run(command, work) for _ in range(max(2, repeat // 4)))
    else:
        results["LibreOffice (DOCX → PDF)"] = "absent (apt-get install libreoffice-writer-nogui)"
    return results


# ---------------------------------------------------------------- scale

def synthetic_project(target: Path, count: int) -> Path:
    """``count`` regions shaped like the bundled ones (cycling through them), with their own figures."""
    for folder in ("layouts", "assets"):
        shutil.copytree(ROOT / folder, target / folder)
    data = target / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "ministere.yaml", data)
    models = sorted(p for p in (ROOT / "data").iterdir() if p.is_dir())
    for index in range(count):
        model = models[index % len(models)]
        region = data / f"region-{index:04d}"
        region.mkdir()
        shutil.copy(model / "region.yaml", region)
        period = next(model.glob("20*.yaml"))
        text = period.read_text(encoding="utf-8")
        for figure in ("entreprises_accompagnees: ", "ententes: "):
            start = text.index(figure) + len(figure)
            end = text.index("\n", start)
            text = text[:start] + str(10 + index % 90) + text[end:]
        (region / period.name).write_text(text, encoding="utf-8")
    return target


_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds, and peak resident memory (MB) of the largest process the command started
    (measured by a wrapper process, so earlier children do not count)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def scale(count: int, work: Path) -> dict[str, float]:
    project = synthetic_project(work / f"echelle-{count}", count)
    wall, memory = run_measured([*REPORTGEN, "build", "-j", "2", "--out", "sortie"], project)
    noop = run([*REPORTGEN, "build", "-j", "2", "--out", "sortie"], project)
    return {"count": count, "wall": wall, "per_report": wall / count, "memory": memory, "noop": noop}


# ---------------------------------------------------------------- report

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return (f"{platform.node()} — {cpu}, {os.cpu_count()} cœurs, {memory:.0f} Gio, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rapide", action="store_true", help="une seule mise à l’échelle, de 200 bilans")
    parser.add_argument("--repetitions", type=int, default=15, help="mesures par point (médiane)")
    args = parser.parse_args()
    brand = load_brand(ROOT / "assets")
    catalog = load_catalog(ROOT / "data", brand.first_undrawable, ROOT / "assets")
    report = next(r for r in catalog.reports if r.slug == "estrie")
    document = make_document(report, ROOT / "layouts", brand.first_undrawable, ROOT / "assets")
    docx_bytes = io.BytesIO()
    write_docx(document, brand, docx_bytes)

    pdf_warm = timed(lambda: write_pdf(document, brand, io.BytesIO()), args.repetitions)
    docx_warm = timed(lambda: write_docx(document, brand, io.BytesIO()), args.repetitions)
    model_warm = timed(lambda: make_document(report, ROOT / "layouts", brand.first_undrawable, ROOT / "assets"),
                       args.repetitions)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "data", work / "data")
        for folder in ("layouts", "assets"):
            shutil.copytree(ROOT / folder, work / folder)
        cold_one = statistics.median(
            run([*REPORTGEN, "build", "--region", "estrie", "-j", "1", "--force", "--out", "froid"], work)
            for _ in range(5))
        cold_batch = statistics.median(run([*REPORTGEN, "build", "--force", "--out", "lot"], work) for _ in range(3))
        noop_batch = statistics.median(run([*REPORTGEN, "build", "--out", "lot"], work) for _ in range(5))
        others = peers(document, docx_bytes.getvalue(), work, args.repetitions)
        sizes = [200] if args.rapide else [250, 1000]
        scales = [scale(count, work) for count in sizes]

    ms = 1000
    print(f"reportgen — banc d’essai\nMachine : {machine()}\n")
    print("| mesure | valeur |\n| --- | --- |")
    print(f"| modèle de document (chaud, par bilan) | {model_warm * ms:.1f} ms |")
    print(f"| PDF (chaud, par bilan) | {pdf_warm * ms:.1f} ms |")
    print(f"| DOCX (chaud, par bilan) | {docx_warm * ms:.1f} ms |")
    print(f"| `reportgen build` d’un bilan, à froid (PDF + DOCX) | {cold_one:.2f} s |")
    print(f"| `reportgen build` du lot fourni (3 bilans), à froid | {cold_batch:.2f} s |")
    print(f"| reconstruction sans changement (lot fourni) | {noop_batch:.2f} s |")
    for result in scales:
        print(f"| {result['count']} bilans, -j 2 : durée totale | {result['wall']:.1f} s |")
        print(f"| {result['count']} bilans : par bilan | {result['per_report'] * ms:.1f} ms |")
        print(f"| {result['count']} bilans : mémoire maximale d’un processus | {result['memory']:.0f} Mo |")
        print(f"| {result['count']} bilans : reconstruction sans changement | {result['noop']:.2f} s |")
    print("\n| route (même contenu) | par bilan | reportgen PDF ÷ route |\n| --- | --- | --- |")
    print(f"| reportgen PDF | {pdf_warm * ms:.1f} ms | 1,00 |")
    for name, value in others.items():
        if isinstance(value, str):
            print(f"| {name} | non mesuré : {value} | — |")
        else:
            print(f"| {name} | {value * ms:.1f} ms | {pdf_warm / value:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
