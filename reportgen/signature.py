"""The ministry's signature stand-in, as drawing primitives both writers render.

The official government signature files cannot ship here, so reportgen draws a
faithful stand-in: the ministry's lines, a rule, the "Québec" wordmark and the
flag (blue field, white cross, four fleurs-de-lis). The geometry is computed
once, here, in points with the origin at the bottom left; the PDF writer draws it
as vectors and the Word writer rasterises it at high resolution. Each primitive
says whether it takes the ink colour or the paper colour, so the same drawing
serves in colour (closing signature) and reversed (white on the first-page band).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

__all__ = ["Box", "Polygon", "Label", "Primitive", "SignatureDrawing", "draw_signature"]

INK, PAPER = "ink", "paper"


@dataclass(frozen=True, slots=True)
class Box:
    """A filled rectangle."""
    x: float
    y: float
    width: float
    height: float
    role: str = INK


@dataclass(frozen=True, slots=True)
class Polygon:
    """A filled closed shape: a start point, then segments — a point ``(x, y)`` for a straight
    line, or three points (two controls and the end) for a cubic Bézier curve."""
    start: tuple[float, float]
    segments: tuple[tuple[tuple[float, float], ...], ...]
    role: str = INK

    def flattened(self, steps: int = 12) -> list[tuple[float, float]]:
        """The outline as points only (for a backend that cannot draw curves)."""
        points, here = [self.start], self.start
        for segment in self.segments:
            if len(segment) == 1:
                points.append(segment[0])
            else:
                points.extend(_bezier(here, *segment, steps)[1:])
            here = segment[-1]
        return points


@dataclass(frozen=True, slots=True)
class Label:
    """A line of bold text, ``y`` being its baseline."""
    x: float
    y: float
    text: str
    size: float
    role: str = INK


Primitive = Union[Box, Polygon, Label]


@dataclass(frozen=True, slots=True)
class SignatureDrawing:
    """The primitives and the size of the box they fill."""
    width: float
    height: float
    primitives: tuple[Primitive, ...]


def draw_signature(lines: list[str], wordmark: str, size: float,
                   text_width: Callable[[str, float], float]) -> SignatureDrawing:
    """The signature for ``lines`` at type size ``size``; ``text_width`` measures bold text."""
    leading = size * 1.2
    height = len(lines) * leading
    labels = [Label(0, height - (i + 1) * leading + size * 0.25, line, size) for i, line in enumerate(lines)]
    rule_x = max(text_width(line, size) for line in lines) + size * 0.9
    rule = Box(rule_x, 0, size * 0.08, height)
    word_size = size * 2.1
    word_x = rule_x + size * 0.9
    word_y = height / 2 - word_size * 0.35
    flag_height = word_size * 0.72
    flag_x = word_x + text_width(wordmark, word_size) + size * 0.45
    flag = _flag(flag_x, word_y, flag_height)
    width = flag_x + flag_height * 1.5
    return SignatureDrawing(width, height, (*labels, rule, Label(word_x, word_y, wordmark, word_size), *flag))


def _flag(x: float, y: float, height: float) -> list[Primitive]:
    """The flag pictogram: an ink field, a paper cross, four paper lilies."""
    width = height * 1.5
    bar = height * 0.18
    shapes: list[Primitive] = [
        Box(x, y, width, height),
        Box(x + (width - bar) / 2, y, bar, height, PAPER),
        Box(x, y + (height - bar) / 2, width, bar, PAPER),
    ]
    for cx in (x + width * 0.25, x + width * 0.75):
        for cy in (y + height * 0.25, y + height * 0.75):
            shapes.extend(_lily(cx, cy, height * 0.3))
    return shapes


def _lily(cx: float, cy: float, size: float) -> list[Primitive]:
    """A simplified fleur-de-lis: a central petal, two curling side petals, a band, a foot."""
    def at(px: float, py: float) -> tuple[float, float]:
        return cx + px * size, cy + py * size

    shapes: list[Primitive] = [Polygon(at(0, 0.5), (
        (at(0.2, 0.25), at(0.14, -0.05), at(0, -0.12)),
        (at(-0.14, -0.05), at(-0.2, 0.25), at(0, 0.5))), PAPER)]
    for side in (-1, 1):
        shapes.append(Polygon(at(side * 0.06, -0.1), (
            (at(side * 0.5, -0.02), at(side * 0.55, 0.32), at(side * 0.3, 0.3)),
            (at(side * 0.3, 0.1), at(side * 0.16, 0.0), at(side * 0.02, -0.02))), PAPER))
    shapes.append(Box(cx - size * 0.3, cy - size * 0.2, size * 0.6, size * 0.09, PAPER))
    shapes.append(Polygon(at(-0.06, -0.14), ((at(0.06, -0.14),), (at(0.1, -0.5),), (at(-0.1, -0.5),)), PAPER))
    return shapes


def _bezier(p0, p1, p2, p3, steps: int = 12) -> list[tuple[float, float]]:
    """A cubic Bézier curve flattened into ``steps`` segments."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        points.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                       a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return points
