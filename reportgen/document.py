"""One report, from validated data to the document model (the stages before the writers)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .context import build_context
from .data.catalog import Report
from .layout import layout_path, render_layout
from .markup import parse_markup
from .model import Document, Heading, plain_text

__all__ = ["make_document", "document_date"]


def make_document(report: Report, layouts_dir: Path) -> Document:
    """Render the report's layout with its data and parse the markup into a Document."""
    name = report.period.layout
    markup = render_layout(layouts_dir, name, build_context(report))
    blocks = parse_markup(markup, layout_path(layouts_dir, name))
    title = next((plain_text(b.inlines) for b in blocks if isinstance(b, Heading) and b.level == 1),
                 f"Bilan {report.period_id} {report.region.forms.in_}")
    keywords = (report.region.name, report.period_id, report.ministry.acronym, "bilan des réalisations")
    subject = f"Bilan des réalisations {report.period_id} du {report.ministry.name} {report.region.forms.in_}"
    return Document(title=title, blocks=blocks, subject=subject, keywords=keywords, date=document_date(report))


def document_date(report: Report) -> dt.date:
    """The publication month if given, else the date of the figures, else the end of the
    period (Québec's fiscal year ends on 31 March: "2019-2021" ends on 31 March 2021)."""
    period = report.period
    return period.published or period.as_of or dt.date(int(report.period_id[-4:]), 3, 31)
