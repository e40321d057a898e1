#!/usr/bin/env python3
"""The spreadsheet import's reading, measured: openpyxl (what reportgen uses) against
python-calamine (``pip install -e '.[banc]'``), on a workbook of Québec's 17 regions.

    python bench/tableur.py

Also times a whole import plan and an export on the bundled data. Median of 30 runs.
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from reportgen.data.fields import figure_fields  # noqa: E402
from reportgen.spreadsheet import export_workbook, plan_import, read_sheet  # noqa: E402

PERIOD = "2020-2021"


def seventeen_regions() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = PERIOD
    sheet.append(["Région"] + [spec.label for spec in figure_fields()])
    for number in range(17):
        sheet.append([f"Région {number}"] + [number * 100 + column + 0.25 for column in range(len(figure_fields()))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def median_ms(action, runs: int = 30) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    content = seventeen_regions()
    rows = [("lecture openpyxl (reportgen), 17 régions", median_ms(lambda: read_sheet(content, "c.xlsx", PERIOD)))]
    try:
        from python_calamine import CalamineWorkbook
        rows.append(("lecture python-calamine, 17 régions", median_ms(
            lambda: CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(PERIOD).to_python())))
    except ImportError:
        print("python-calamine absent : pip install -e '.[banc]'")
    exported = export_workbook(ROOT / "data", [PERIOD]).content
    rows.append(("plan d’import complet (données fournies)",
                 median_ms(lambda: plan_import(exported, "c.xlsx", ROOT / "data", PERIOD))))
    rows.append(("export (données fournies, une période)", median_ms(lambda: export_workbook(ROOT / "data", [PERIOD]))))
    print("| mesure | médiane |\n| --- | --- |")
    for what, ms in rows:
        print(f"| {what} | {ms:.1f} ms |")


if __name__ == "__main__":
    main()
