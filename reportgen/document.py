"""One report, from validated data to the document model (the stages before the writers)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .context import build_context, missing_figures
from .data.catalog import FindUndrawable, Report
from .errors import DataError, LayoutError, ReportgenErrors
from .layout import UNFILLED, layout_parts, layout_path, render_layout
from .markup import locate_in_layout, parse_markup
from .model import Document, Heading, block_texts, plain_text
from .usage import unused_data, watched

__all__ = ["make_document", "document_date"]


def make_document(report: Report, layouts_dir: Path, first_undrawable: FindUndrawable | None = None,
                  assets_dir: Path | None = None, warnings: list | None = None) -> Document:
    """Render the report's layout with its data and parse the markup into a Document.

    ``first_undrawable`` (the brand font's coverage) catches characters the layout itself
    wrote that the font has no glyph for; the data's own were checked when it was loaded.
    ``assets_dir`` is where pictures come from. Data the layout never used is told as
    warnings added to ``warnings`` (when given).
    """
    name = report.period.layout
    source = layout_path(layouts_dir, name)
    if not source.is_file():
        known = sorted(p.stem for p in layouts_dir.glob("*" + source.suffix))
        raise LayoutError(f"gabarit « {name} » introuvable dans {layouts_dir}", report.period_file.locate(("gabarit",)),
                          "gabarits disponibles : " + (", ".join(known) or "aucun"))
    _check_replacements(report, layouts_dir)
    seen: set = set()
    context = _context_with_marks(report)
    markup = render_layout(layouts_dir, name, watched(context, (), seen), report.period.replacements)
    missing = missing_figures(report, context)
    if missing:
        raise ReportgenErrors(missing)
    blocks = parse_markup(markup, source, assets_dir)
    if first_undrawable:
        _check_drawable(blocks, source, first_undrawable)
    # The metadata title has plain spaces: the heading's no-break ones only guide line breaks.
    title = next((plain_text(b.inlines).replace("\u00a0", " ") for b in blocks
                  if isinstance(b, Heading) and b.level == 1), f"Bilan {report.period_id} {report.region.forms.in_}")
    keywords = (report.region.name, report.period_id, report.ministry.acronym, "bilan des réalisations")
    subject = f"Bilan des réalisations {report.period_id} du {report.ministry.name} {report.region.forms.in_}"
    if warnings is not None:  # told only for a report that can be made: its errors come first
        warnings.extend(unused_data(report, source, seen))
    return Document(title=title, blocks=blocks, subject=subject, keywords=keywords, date=document_date(report),
                    draft=report.is_draft)


def _context_with_marks(report: Report) -> dict:
    """The layout's variables, with a draft's places still to fill holding the « À REMPLIR » mark
    (a period file's key is a variable of its own name, or one of ``periode``: ``au``…)."""
    context = build_context(report)
    for key_path in report.unfilled:
        place = tuple(key_path) if key_path[0] in context else ("periode", *key_path)
        parent = context
        for key in place[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else (
                parent[key] if isinstance(parent, list) and isinstance(key, int) and key < len(parent) else None)
        if isinstance(parent, dict) and place[-1] in parent:
            parent[place[-1]] = UNFILLED
        elif isinstance(parent, list) and isinstance(place[-1], int) and place[-1] < len(parent):
            parent[place[-1]] = UNFILLED
    return context


def _check_replacements(report: Report, layouts_dir: Path) -> None:
    """A located error for a replaced part the layout does not have."""
    wanted = report.period.replacements
    if not wanted:
        return
    known = layout_parts(layouts_dir, report.period.layout)
    for part in wanted:
        if part not in known:
            raise DataError(f"le gabarit « {report.period.layout} » n’a pas de partie « {part} »",
                            report.period_file.locate(("remplacements", part)),
                            "parties remplaçables : " + (", ".join(known) or "aucune (ajoutez {% block nom %}"
                                                          " … {% endblock %} au gabarit)"))


def _check_drawable(blocks, source: Path, first_undrawable: FindUndrawable) -> None:
    for text in block_texts(blocks):
        char = first_undrawable(text)
        if char:
            raise LayoutError(f"caractère « {char} » (U+{ord(char):04X}) absent de la police du Ministère",
                              locate_in_layout(source, char), "retirez-le du gabarit ou remplacez-le")


def document_date(report: Report) -> dt.date:
    """The publication month if given, else the date of the figures, else the end of the
    period (Québec's fiscal year ends on 31 March: "2019-2021" ends on 31 March 2021)."""
    period, unfilled = report.period, {path[0] for path in report.unfilled}
    published = None if "publication" in unfilled else period.published
    as_of = None if "au" in unfilled else period.as_of
    return published or as_of or dt.date(int(report.period_id[-4:]), 3, 31)
