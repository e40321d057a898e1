"""The signature stand-in as a sharp PNG for Word (600 dpi), from the shared geometry."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from ...brand import Brand
from ...signature import INK, Box, Polygon, SignatureDrawing, draw_signature

__all__ = ["signature_png", "band_png", "DPI"]

DPI = 600
_SCALE = DPI / 72  # pixels per point


def _drawing(brand: Brand, size: float) -> SignatureDrawing:
    path = str(brand.asset(brand.fonts.bold))
    return draw_signature(brand.signature.lines, brand.signature.wordmark, size,
                          lambda text, points: ImageFont.truetype(path, 100).getlength(text) * points / 100)


def _paint(image: Image.Image, drawing: SignatureDrawing, x: float, y: float, ink: str, paper: str,
           brand: Brand) -> None:
    """Draw the primitives with their lower-left corner at (x, y) points from the image's lower left."""
    canvas = ImageDraw.Draw(image)
    height = image.height

    def pixel(px: float, py: float) -> tuple[float, float]:
        return (x + px) * _SCALE, height - (y + py) * _SCALE

    for item in drawing.primitives:
        colour = ink if item.role == INK else paper
        if isinstance(item, Box):
            left, top = pixel(item.x, item.y + item.height)
            canvas.rectangle((left, top, left + item.width * _SCALE, top + item.height * _SCALE), fill=colour)
        elif isinstance(item, Polygon):
            canvas.polygon([pixel(px, py) for px, py in item.flattened()], fill=colour)
        else:
            font = ImageFont.truetype(str(brand.asset(brand.fonts.bold)), round(item.size * _SCALE))
            canvas.text(pixel(item.x, item.y), item.text, font=font, fill=colour, anchor="ls")


def _png(image: Image.Image) -> bytes:
    stream = io.BytesIO()
    image.save(stream, format="PNG", dpi=(DPI, DPI))
    return stream.getvalue()


def _render_signature(brand: Brand) -> tuple[bytes, float, float]:
    drawing = _drawing(brand, brand.sizes.body)
    image = Image.new("RGBA", (round(drawing.width * _SCALE), round(drawing.height * _SCALE)), (0, 0, 0, 0))
    _paint(image, drawing, 0, 0, brand.colours.dark, brand.colours.paper, brand)
    return _png(image), drawing.width, drawing.height


def _render_band(brand: Brand) -> tuple[bytes, float, float]:
    width = brand.page.size_mm[0] / 25.4 * 72
    height = brand.page.margins_mm.top / 25.4 * 72 * 1.1
    image = Image.new("RGB", (round(width * _SCALE), round(height * _SCALE)), brand.colours.dark)
    drawing = _drawing(brand, brand.sizes.small * 1.1)
    left = brand.page.margins_mm.left / 25.4 * 72
    _paint(image, drawing, left, height / 2 - drawing.height / 2, brand.colours.on_dark, brand.colours.dark, brand)
    return _png(image), width, height


_CACHE: dict[tuple[str, str], tuple[bytes, float, float]] = {}


def _cached(render, brand: Brand) -> tuple[bytes, float, float]:
    """Rendering at 600 dpi takes a moment: once per brand and process is enough."""
    key = (render.__name__, brand.model_dump_json())
    if key not in _CACHE:
        _CACHE[key] = render(brand)
    return _CACHE[key]


def signature_png(brand: Brand) -> tuple[bytes, float, float]:
    """The closing signature in colour on a transparent ground: PNG bytes, width and height in points."""
    return _cached(_render_signature, brand)


def band_png(brand: Brand) -> tuple[bytes, float, float]:
    """The first page's band, page-wide, with the signature reversed: PNG bytes, width, height in points."""
    return _cached(_render_band, brand)
