"""Rendering a layout (a Jinja2 template of markup) with a report's context.

Every ``{{ value }}`` is escaped for the markup unless it is ``Markup`` (rich text
already cleaned by the project), the same idea as Jinja's HTML autoescaping.
Undefined variables are errors that name the layout file and line.
"""
from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .context import LAYOUT_HELPERS
from .errors import LayoutError, Location
from .markup import escape_markdown

__all__ = ["LAYOUT_SUFFIX", "layout_path", "render_layout"]

LAYOUT_SUFFIX = ".md"


def _finalize(value: object) -> str:
    if isinstance(value, Markup):
        return str(value)
    return escape_markdown(value)


class _LayoutLoader(jinja2.FileSystemLoader):
    """Layouts as saved on any system: a UTF-8 byte order mark (Notepad's) is not text.
    (Jinja reads CRLF line endings as LF by itself.)"""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return source.removeprefix("\ufeff"), filename, uptodate


@lru_cache(maxsize=8)
def _environment(layouts_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_LayoutLoader(layouts_dir),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(LAYOUT_HELPERS)
    env.filters.update(LAYOUT_HELPERS)
    return env


def layout_path(layouts_dir: Path, name: str) -> Path:
    """The file of layout ``name``."""
    return layouts_dir / f"{name}{LAYOUT_SUFFIX}"


def render_layout(layouts_dir: Path, name: str, context: dict) -> str:
    """The markup that layout ``name`` produces for ``context``; LayoutError on any failure."""
    path = layout_path(layouts_dir, name)
    env = _environment(layouts_dir.resolve())
    try:
        template = env.get_template(path.name)
        return template.render(context)
    except jinja2.TemplateNotFound:
        known = sorted(p.stem for p in layouts_dir.glob(f"*{LAYOUT_SUFFIX}"))
        raise LayoutError(f"gabarit « {name} » introuvable", Location(path),
                          "gabarits disponibles : " + (", ".join(known) or "aucun")) from None
    except jinja2.TemplateSyntaxError as error:
        raise LayoutError(f"erreur de syntaxe dans le gabarit : {error.message}",
                          Location(path, error.lineno),
                          "vérifiez que chaque {{ … }} et {% … %} est bien fermé") from None
    except jinja2.UndefinedError as error:
        raise LayoutError(_undefined_message(error), Location(path, _template_line(error, path)),
                          "corrigez le nom dans le gabarit, ou ajoutez la donnée au fichier de période "
                          "(ou testez-la avec {% if … is defined %})") from None
    except (TypeError, ValueError, ArithmeticError) as error:
        raise LayoutError(f"le gabarit ne peut pas être produit : {error}",
                          Location(path, _template_line(error, path))) from None


def _undefined_message(error: jinja2.UndefinedError) -> str:
    text = str(error.message or "")
    if "has no attribute" in text:
        name = text.rsplit("attribute", 1)[1].strip(" '\"")
        return f"donnée « {name} » absente ou mal nommée"
    return f"variable « {text.split(chr(39))[1] if chr(39) in text else text} » inconnue"


def _template_line(error: BaseException, path: Path) -> int | None:
    """The line of the layout where ``error`` happened (Jinja maps frames to template lines)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).name == path.name:
            return frame.lineno
    return None
