#!/usr/bin/env python3
"""reportgen's benchmark: every speed target in one run, interleaved, over several rounds.

    python bench/run.py                  # 2 rounds, 1 000 synthetic reports (about ten minutes)
    python bench/run.py --rapide         # 200 synthetic reports, for a quick look
    python bench/run.py --tours 3 --sortie bench/resultats.md

Each round measures, in this order and interleaved where it makes sense:
- warm, in one process, on the Estrie 2020-2021 report, the routes taken in turn for each
  repetition: reportgen's PDF, the like-for-like bare ReportLab floor, Typst on the same
  content (``bench/plancher.py`` says what each draws), reportgen's Word file;
- cold: ``reportgen build`` of one report, both formats, as a new process (wall time and peak
  memory of its largest process), as a user types it (``-j`` is the number of cores, so the
  PDF is written by a second process) and with ``-j 1``;
- scale: N synthetic reports, both formats, ``-j 2``, then the same build again with nothing
  changed (no-op).
A round's figure is the median of its repetitions; the table gives the median of the rounds
and their spread (lowest–highest). Ratios are computed within each round, then summarised
the same way. The machine is shared: compare ratios more than absolute times.
"""
from __future__ import annotations

import argparse
import compileall
import gc
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from plancher import plancher_reportlab, source_typst  # noqa: E402

from reportgen.brand import load_brand  # noqa: E402
from reportgen.data.catalog import load_catalog  # noqa: E402
from reportgen.document import make_document  # noqa: E402
from reportgen.writers.docx import write_docx  # noqa: E402
from reportgen.writers.pdf import write_pdf  # noqa: E402

REPORTGEN = [sys.executable, "-m", "reportgen"]

#: Targets of issue 15 (ms, s or MiB; ratios are reportgen over the peer) and the figures the
#: issue measured before the work, shown beside the new ones.
TARGETS = {
    "pdf_over_floor": (1.2, "1,5–1,8 × (4,1 × contre l’ancien plancher)"),
    "pdf_over_typst": (1.8, "2,2–2,5 ×"),
    "docx_ms": (10, "15–23 ms"),
    "cold_s": (0.35, "0,65–0,81 s"),
    "cold_mib": (80, "82 Mio"),
    "scale_s": (25, "37–50 s (1 000 bilans)"),
    "noop_s": (0.5, "0,49 s"),
}


def sample(action) -> float:
    """Seconds of one run of ``action``; the garbage left by the previous route is collected
    first, so that no route pays for another's."""
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds, and peak resident memory (MiB) of the largest process the command started
    (measured by a wrapper process, so earlier children do not count)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


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


class Bench:
    """The document, the peers and the folders the rounds share."""

    def __init__(self, work: Path, repetitions: int, scale: int):
        self.work, self.repetitions, self.scale = work, repetitions, scale
        self.brand = load_brand(ROOT / "assets")
        catalog = load_catalog(ROOT / "data", self.brand.first_undrawable, ROOT / "assets")
        report = next(r for r in catalog.reports if r.slug == "estrie")
        self.document = make_document(report, ROOT / "layouts", self.brand.first_undrawable, ROOT / "assets")
        for folder in ("data", "layouts", "assets"):
            shutil.copytree(ROOT / folder, work / "projet" / folder)
        self.project = synthetic_project(work / "echelle", scale)
        self.typst = self._typst()

    def _typst(self):
        try:
            import typst
        except ImportError:
            return None
        source = self.work / "bilan.typ"
        source.write_text(source_typst(self.document, self.brand), encoding="utf-8")
        return lambda: typst.compile(str(source), font_paths=[str(ROOT / "assets" / "fonts")])

    def warm(self) -> dict[str, float]:
        """Median seconds per route, the routes interleaved repetition by repetition."""
        routes = {"pdf": lambda: write_pdf(self.document, self.brand, io.BytesIO()),
                  "floor": lambda: plancher_reportlab(self.document, self.brand),
                  "docx": lambda: write_docx(self.document, self.brand, io.BytesIO())}
        if self.typst:
            routes["typst"] = self.typst
        for action in routes.values():
            action()  # warm-up: fonts registered, template loaded, caches filled
        samples: dict[str, list[float]] = {name: [] for name in routes}
        for _ in range(self.repetitions):
            for name, action in routes.items():
                samples[name].append(sample(action))
        return {name: statistics.median(values) for name, values in samples.items()}

    def cold(self) -> tuple[float, float, float]:
        """Seconds and peak MiB of a cold build of one report as typed, and seconds with -j 1."""
        command = [*REPORTGEN, "build", "--region", "estrie", "--force", "--out", "froid"]
        runs, alone = [], []
        for _ in range(5):
            runs.append(run_measured(command, self.work / "projet"))
            alone.append(run_measured([*command, "-j", "1"], self.work / "projet")[0])
        return statistics.median(r[0] for r in runs), max(r[1] for r in runs), statistics.median(alone)

    def at_scale(self, round_number: int) -> tuple[float, float, float]:
        out = f"sortie-{round_number}"
        wall, memory = run_measured([*REPORTGEN, "build", "-j", "2", "--out", out], self.project)
        noop = statistics.median(run_measured([*REPORTGEN, "build", "-j", "2", "--out", out], self.project)[0]
                                 for _ in range(3))
        return wall, noop, memory

    def round(self, number: int) -> dict[str, float]:
        warm = self.warm()
        cold, cold_memory, cold_alone = self.cold()
        wall, noop, memory = self.at_scale(number)
        figures = {"pdf_ms": warm["pdf"] * 1000, "floor_ms": warm["floor"] * 1000, "docx_ms": warm["docx"] * 1000,
                   "pdf_over_floor": warm["pdf"] / warm["floor"], "cold_s": cold, "cold_mib": cold_memory,
                   "cold_j1_s": cold_alone,
                   "scale_s": wall * 1000 / self.scale, "noop_s": noop, "scale_mib": memory}
        if "typst" in warm:
            figures["typst_ms"] = warm["typst"] * 1000
            figures["pdf_over_typst"] = warm["pdf"] / warm["typst"]
        return figures


# ---------------------------------------------------------------- report

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return (f"{cpu}, {os.cpu_count()} cœurs, {memory:.0f} Gio, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def _fr(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def summary(rounds: list[dict[str, float]], scale: int) -> list[str]:
    """The table: median of the rounds, spread, target, before, and whether it is met."""
    thousand = "1 000 bilans" if scale == 1000 else f"1 000 bilans (extrapolé de {scale})"
    rows = [
        ("PDF à chaud ÷ plancher ReportLab (même contenu)", "pdf_over_floor", 2, "×"),
        ("PDF à chaud ÷ Typst (même contenu)", "pdf_over_typst", 2, "×"),
        ("Word à chaud, par bilan", "docx_ms", 1, "ms"),
        ("`reportgen build --region estrie` à froid (PDF + Word)", "cold_s", 2, "s"),
        ("mémoire maximale, un bilan à froid (le plus gros des processus)", "cold_mib", 0, "Mio"),
        (f"{thousand}, PDF + Word, -j 2", "scale_s", 1, "s"),
        (f"{scale} bilans : reconstruction sans changement (mesurée)", "noop_s", 2, "s"),
    ]
    lines = ["| mesure | maintenant : médiane (écart des tours) | cible | avant (issue 15) | atteinte |",
             "| --- | --- | --- | --- | --- |"]
    for label, key, digits, unit in rows:
        values = [r[key] for r in rounds if key in r]
        if not values:
            lines.append(f"| {label} | non mesuré (Typst absent : pip install typst) | — | — | — |")
            continue
        middle = statistics.median(values)
        target, before = TARGETS[key]
        lines.append(f"| {label} | {_fr(middle, digits)} {unit} ({_fr(min(values), digits)}–"
                     f"{_fr(max(values), digits)}) | ≤ {_fr(target, 2 if target < 5 else 0)} {unit} | {before} | "
                     f"{'oui' if middle <= target else 'non'} |")
    alone = [r["cold_j1_s"] for r in rounds]
    lines.append(f"| le même bilan à froid avec `-j 1` (un seul processus) | {_fr(statistics.median(alone), 2)} s "
                 f"({_fr(min(alone), 2)}–{_fr(max(alone), 2)}) | — | 0,65–0,81 s | — |")
    memory = [r["scale_mib"] for r in rounds]
    lines.append(f"| {thousand} : mémoire maximale d’un processus | {_fr(statistics.median(memory), 0)} Mio "
                 f"({_fr(min(memory), 0)}–{_fr(max(memory), 0)}) | — | 90 Mio | — |")
    lines += ["", "| route (même contenu, à chaud) | médiane des tours | écart |", "| --- | --- | --- |"]
    for label, key in (("reportgen PDF (balisé PDF/UA-1, PDF/A-2a)", "pdf_ms"),
                       ("plancher ReportLab (même dessin, sans balisage)", "floor_ms"),
                       ("Typst (même texte, même mise en page de base)", "typst_ms"),
                       ("reportgen Word", "docx_ms")):
        values = [r[key] for r in rounds if key in r]
        if values:
            lines.append(f"| {label} | {_fr(statistics.median(values))} ms | {_fr(min(values))}–{_fr(max(values))} ms |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rapide", action="store_true", help="200 bilans synthétiques au lieu de 1 000")
    parser.add_argument("--tours", type=int, default=2, help="tours de mesure (au moins deux)")
    parser.add_argument("--repetitions", type=int, default=15, help="mesures à chaud par tour (médiane)")
    parser.add_argument("--sortie", type=Path, help="écrire aussi le tableau dans ce fichier (Markdown)")
    args = parser.parse_args()
    scale = 200 if args.rapide else 1000
    # Python keeps each module's compiled bytecode beside it, written on the first import; this
    # machine forbids that (PYTHONDONTWRITEBYTECODE), which would charge every cold run for
    # compiling reportgen's own modules as no user's second run pays. Written here once.
    compileall.compile_dir(ROOT / "reportgen", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), args.repetitions, scale)
        rounds = []
        for number in range(max(2, args.tours)):
            rounds.append(bench.round(number))
            print(f"tour {number + 1} : " + ", ".join(f"{k} {_fr(v, 3)}" for k, v in rounds[-1].items()),
                  file=sys.stderr)
    lines = [f"Sortie de `python bench/run.py{' --rapide' if args.rapide else ''} --tours {max(2, args.tours)} "
             f"--repetitions {args.repetitions}`, le {time.strftime('%Y-%m-%d')}.", "",
             f"Machine : {machine()}.", "", *summary(rounds, scale)]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.sortie:
        previous = args.sortie.read_text(encoding="utf-8") if args.sortie.exists() else ""
        notes = previous.split("\n## ", 1)[1] if "\n## " in previous else ""
        args.sortie.write_text("# Dernière mesure\n\n" + text + ("\n## " + notes if notes else ""), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
