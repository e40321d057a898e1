"""A report's pages as images, for the live preview beside the form.

The document is made by the pipeline ``build`` uses and written by the same PDF writer, in
memory; pypdfium2 turns its pages into PNG images (no external program). The brand, its fonts
and the layouts stay loaded in the server, and images are kept per content hash, so going back
to an earlier value costs nothing.

A draft (something still « À REMPLIR ») is previewed too: the marker stays visible in the text,
a figure still to fill counts as 0 (a date or an address
still to fill is left out), and every page carries a « BROUILLON » mark.
"""
from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from ..data.catalog import TO_FILL
from ..data.fields import field_for
from ..model import DRAFT_MARK, Document
from ..writers.pdf import write_pdf
from .forms import PARTS
from .workspace import Check, Workspace, content_hash, plain_values

__all__ = ["Preview", "Previewer", "DRAFT_MARK"]

#: The marker as a draft's preview shows it: a no-break space, so the loader does not stop at
#: it (the schema folds it back into an ordinary space).
_SHOWN_MARKER = TO_FILL.replace(" ", "\u00a0")
#: 1.0 is 72 pixels per inch: a letter page 612 × 792, sharp enough beside a form.
_SCALE = 1.25


@dataclass(frozen=True)
class Preview:
    """The pages of one state of a report: where to fetch them and whether they are a draft's."""
    key: str
    slug: str
    pages: int
    draft: bool
    texts: tuple[str, ...] = ()


class Previewer:
    """Makes and keeps the page images of the last ``size`` states previewed."""

    def __init__(self, workspace: Workspace, size: int = 64):
        self.workspace, self.size = workspace, size
        self._images: OrderedDict[str, tuple[str, list[bytes], bool, tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def preview(self, slug: str, period_id: str, region_text: str, period_text: str, check: Check) -> Preview | None:
        """The preview of these texts, or None when ``check`` found more than values to fill."""
        key = content_hash(f"{slug}\0{period_id}\0{region_text}\0{period_text}")
        with self._lock:
            if key in self._images:
                self._images.move_to_end(key)
                _, pages, draft, texts = self._images[key]
                return Preview(key, slug, len(pages), draft, texts)
        if check.errors:
            return None
        draft = bool(check.to_fill)
        checked = check if not draft else self._draft(slug, period_id, region_text, period_text)
        if checked is None or checked.document is None:
            return None
        pages, texts = self._render(checked.document, draft and not checked.document.draft)
        with self._lock:
            self._images[key] = (slug, pages, draft, texts)
            while len(self._images) > self.size:
                self._images.popitem(last=False)
        return Preview(key, slug, len(pages), draft, texts)

    def page(self, key: str, number: int) -> tuple[str, bytes] | None:
        """The region a preview belongs to and its page ``number`` (1-based) as JPEG, or None."""
        with self._lock:
            found = self._images.get(key)
        if not found or not 1 <= number <= len(found[1]):
            return None
        return found[0], found[1][number - 1]

    # ------------------------------------------------------------ drafts
    def _draft(self, slug: str, period_id: str, region_text: str, period_text: str) -> Check | None:
        """The report as ``build --brouillon`` makes it: every « À REMPLIR » of the period shown
        as such in the text. Markers the build's drafts do not cover (a new region's contacts)
        are shown as text, or stand in as 0 for a figure and are left out for a date."""
        check = self.workspace.check_texts(slug, period_id, region_text, period_text, drafts=True)
        if check.document is not None:
            return check
        region = _shown(plain_values(region_text))
        period = _shown(plain_values(period_text))
        for _ in range(4):
            check = self.workspace.check_data(slug, period_id, region, period)
            if check.document is not None:
                return check
            if not _replace_placeholders(check, region, period):
                return None
        return None

    # ------------------------------------------------------------ pictures
    def _render(self, document: Document, mark: bool) -> tuple[list[bytes], tuple[str, ...]]:
        """Each page as an image, and its text (what a screen reader reads instead of the image);
        ``mark`` draws « BROUILLON » over pages whose document does not carry the mark itself."""
        workspace = self.workspace
        buffer = io.BytesIO()
        write_pdf(document, workspace.brand, buffer)
        pdf = pypdfium2.PdfDocument(buffer.getvalue())
        try:
            images = [page.render(scale=_SCALE).to_pil() for page in pdf]
            texts = tuple(_page_text(page) for page in pdf)
        finally:
            pdf.close()
        if mark:
            images = [self._mark(image) for image in images]
        return [_jpeg(image) for image in images], texts

    def _mark(self, image: Image.Image) -> Image.Image:
        """The page with « BROUILLON » across it, in the brand's colour, see-through."""
        brand = self.workspace.brand
        font = ImageFont.truetype(str(brand.asset(brand.fonts.bold)), int(image.width / 6.5))
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).text((image.width / 2, image.height / 2), DRAFT_MARK, font=font, anchor="mm",
                                   fill=_rgba(brand.colours.primary, 70))
        layer = layer.rotate(35, resample=Image.Resampling.BICUBIC, center=(image.width / 2, image.height / 2))
        return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return " ".join(textpage.get_text_range().split())
    finally:
        textpage.close()


def _jpeg(image: Image.Image) -> bytes:
    """JPEG, full colour resolution: sharp text, and eight times faster to make than PNG."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, subsampling=0)
    return out.getvalue()


def _rgba(hex_colour: str, alpha: int) -> tuple[int, int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16), alpha


def _shown(value):
    """The values with each « À REMPLIR » in the form the loader lets through."""
    if isinstance(value, dict):
        return {key: _shown(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_shown(child) for child in value]
    if isinstance(value, str):
        return value.replace(TO_FILL, _SHOWN_MARKER)
    return value


def _replace_placeholders(check: Check, region: dict, period: dict) -> bool:
    """Where a shown marker is refused, put 0 for a figure and leave out anything else (a
    date, an address); False when a problem is not a marker's."""
    changed = False
    for problem in check.problems:
        data = region if problem.part == "region" else period
        path = _key_path(problem.key)
        parent, last = _parent(data, path)
        spec = field_for(PARTS.get(problem.part, ()), tuple(path))
        tries = [_SHOWN_MARKER, *(_zeros(spec) if spec is not None and spec.kind in ("figure", "amount") else [])]
        if parent is None or parent[last] not in tries:
            return False
        following = tries.index(parent[last]) + 1
        if following < len(tries):
            parent[last] = tries[following]
        elif isinstance(parent, dict):
            del parent[last]
        else:
            return False
        changed = True
    return changed


def _zeros(spec) -> list[str]:
    """A figure's stand-ins while it is to fill: 0, then 0 written as its example is (« 0 M$ »)."""
    shaped = re.sub(r"\d+(?:[ ,.]\d+)*", "0", spec.example)
    return ["0"] + ([shaped] if shaped != "0" else [])


def _key_path(dotted: str) -> list[str | int]:
    """``personnel.lieux[2]`` -> ``["personnel", "lieux", 1]``."""
    path: list[str | int] = []
    for part in dotted.split("."):
        name, _, rest = part.partition("[")
        if name:
            path.append(name)
        for index in filter(None, rest.replace("]", "").split("[")):
            path.append(int(index) - 1)
    return path


def _parent(data, path: list[str | int]):
    """The container holding the value at ``path``, and its key; (None, None) if there is none."""
    if not path:
        return None, None
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, None
    try:
        node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None, None
    return node, path[-1]
