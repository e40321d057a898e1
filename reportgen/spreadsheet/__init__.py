"""The year's figures from a spreadsheet, and back.

A client of the data files, never used by the build: it reads an Excel workbook or a
CSV file (one row per region, one column per figure, headed by the field catalogue's
labels), plans the changes to a period's files (old → new, notices, every mistake at
its cell), writes them through the round-trip editor, and exports the figures of one
or more periods as a workbook to review. The CLI (``reportgen importer``, ``reportgen
exporter``) and the atelier call the same few functions:

    plan = plan_import(content, "chiffres.xlsx", data_dir, "2021-2022")
    plan.preview(), plan.notices, plan.errors      # show, then ask
    apply_import(plan)                             # write
    export_workbook(data_dir, ["2021-2022"]).content   # bytes of an .xlsx
"""
from .exporting import Export, export_workbook, write_export
from .planning import Change, ImportPlan, RegionPlan, apply_import, is_published, plan_import
from .places import CellPlace, Notice, SpreadsheetError
from .reading import Sheet, read_sheet

__all__ = ["plan_import", "apply_import", "ImportPlan", "RegionPlan", "Change", "is_published",
           "export_workbook", "write_export", "Export", "read_sheet", "Sheet", "CellPlace", "Notice",
           "SpreadsheetError"]
