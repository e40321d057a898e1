"""Rendering a layout (a Jinja2 template of markup) with a report's context.

Every ``{{ value }}`` is escaped for the markup unless it is ``Markup`` (rich text
already cleaned by the project), the same idea as Jinja's HTML autoescaping.
Undefined variables are errors that name the layout file and line.

Layouts are written by communications staff and rendered inside long-running
processes, so they run in a sandbox: no attribute starting with ``_``, no Python
internals, no file but the layouts of the same folder (by name), and a bounded
amount of work — loop turns and calls, output size, size of any value made, and
recursion depth. Going past a bound is the layout's located error, never a hung
or exhausted machine.
"""
from __future__ import annotations

import contextvars
import hashlib
import inspect
import os
import re
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from .config import cache_dir
from .context import LAYOUT_HELPERS
from .data.catalog import TO_FILL
from .errors import LayoutError, Location
from .french import NBSP
from .markup import escape_markdown

__all__ = ["LAYOUT_SUFFIX", "layout_path", "render_layout", "layout_parts", "Unfilled", "UNFILLED",
           "MAX_STEPS", "MAX_OUTPUT", "MAX_VALUE"]

LAYOUT_SUFFIX = ".md"
#: Loop turns and calls one rendering may make (a real report makes a few hundred).
MAX_STEPS = 200_000
#: Characters one rendering may produce (a real report makes about 15 000).
MAX_OUTPUT = 2_000_000
#: Characters (or items) of any one value a layout makes.
MAX_VALUE = 1_000_000
#: Nesting of macro calls, includes and recursive loops.
MAX_DEPTH = 100
_LAYOUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.md)?")
#: The filter wrapped around every loop's iterable; its name cannot be written in a layout.
_COUNTED = "tours-comptés"
#: The filter wrapped around every ``~`` concatenation, for the same reason.
_BOUNDED = "taille-bornée"
#: Jinja's filters a layout may use: none that pads to a width, formats or draws at random.
_SAFE_FILTERS = ("abs", "attr", "batch", "capitalize", "count", "default", "d", "dictsort", "e", "escape",
                 "first", "float", "groupby", "int", "items", "join", "last", "length", "list", "lower",
                 "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select",
                 "selectattr", "slice", "sort", "string", "sum", "title", "trim", "truncate", "unique",
                 "upper", "wordcount")
#: Methods of a text a layout may call; the others (center, zfill, format…) can inflate it.
_SAFE_STR_METHODS = frozenset({"lower", "upper", "capitalize", "title", "strip", "lstrip", "rstrip",
                               "startswith", "endswith", "split", "rsplit", "count", "find", "rfind",
                               "isdigit", "isalpha", "isspace", "islower", "isupper"})


class Unfilled(Markup):
    """A value of a draft still to fill: printed as « À REMPLIR » (plain text, so that it reads
    the same wherever a layout puts it), and understood by every layout function (``compte``,
    ``montant``…) that receives it (see ``_passing_unfilled``)."""


UNFILLED = Unfilled(f"«{NBSP}{TO_FILL}{NBSP}»")


#: What a layout function gives for a value still « À REMPLIR », when not the mark itself
#: (or the mark before its plural noun, for those that count something).
_UNFILLED_ANSWERS: dict[str, Callable[[dict], Any]] = {
    "est_zero": lambda given: False,
    "est_pluriel": lambda given: True,
    "accord": lambda given: given.get("pluriel"),
}


def _passing_unfilled(name: str, helper: Callable) -> Callable:
    """Layout function ``name``, except when it receives the « À REMPLIR » mark: a phrase
    that counts keeps its plural noun (« À REMPLIR » ententes), an agreement takes the plural
    form, a test says « not zero, plural », and any other function gives the mark back."""
    def call(*args, **kwargs):
        if not any(isinstance(value, Unfilled) for value in (*args, *kwargs.values())):
            return helper(*args, **kwargs)
        try:
            given = inspect.signature(helper).bind(*args, **kwargs).arguments
        except (TypeError, ValueError):
            given = {}
        if name in _UNFILLED_ANSWERS:
            return _UNFILLED_ANSWERS[name](given)
        if isinstance(given.get("pluriel"), str):
            return Unfilled(f"{UNFILLED} {escape_markdown(given['pluriel'])}")
        return UNFILLED
    call.__doc__, call.__name__ = helper.__doc__, getattr(helper, "__name__", name)
    return call


class _Overrun(Exception):
    """A rendering went past one of its bounds; ``what`` says which, in French."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class _Budget:
    """What one rendering has left: steps (loop turns and calls), and how deep its calls are."""

    def __init__(self):
        self.steps = MAX_STEPS
        self.depth = 0

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _Overrun(f"le gabarit fait trop de tours de boucle ou d’appels (plus de {MAX_STEPS:,})"
                           .replace(",", "\u00a0"))


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("reportgen_layout_budget")


def _current_budget() -> _Budget:
    budget = _budget.get(None)
    if budget is None:  # a template rendered outside render_layout still has bounds
        budget = _Budget()
        _budget.set(budget)
    return budget


def _bounded(value: Any) -> Any:
    """``value`` itself, unless it is a text or a collection larger than MAX_VALUE."""
    if isinstance(value, (str, list, tuple, dict, set, frozenset)) and len(value) > MAX_VALUE:
        raise _too_large()
    return value


def _counted(iterable: Iterable) -> Iterator:
    """Every loop of a layout goes through here: each turn spends one step."""
    budget = _current_budget()
    for item in iterable:
        budget.step()
        yield item


def _too_large() -> _Overrun:
    return _Overrun(f"le gabarit fabrique une valeur trop grande (plus de {MAX_VALUE:,} caractères)"
                    .replace(",", "\u00a0"))


def _guarded_replace(text: Any, old: Any, new: Any, count: int | None = None) -> str:
    """Jinja's ``replace``, refused before it makes a text larger than MAX_VALUE."""
    text, old, new = str(text), str(old), str(new)
    times = text.count(old) if count is None else min(int(count), text.count(old))
    if len(text) + times * max(len(new) - len(old), 0) > MAX_VALUE:
        raise _too_large()
    return text.replace(old, new, -1 if count is None else int(count))


@jinja2.pass_environment
def _guarded_join(env: jinja2.Environment, items: Iterable, separator: Any = "", attribute: Any = None) -> str:
    """Jinja's ``join`` (attributes read through the sandbox), refused before it makes a text
    larger than MAX_VALUE."""
    if attribute is not None:
        items = map(jinja2.filters.make_attrgetter(env, attribute), items)
    parts = [str(item) for item in items]
    if sum(map(len, parts)) + len(str(separator)) * max(len(parts) - 1, 0) > MAX_VALUE:
        raise _too_large()
    return str(separator).join(parts)


def _checked_filter(function: Callable) -> Callable:
    """A Jinja filter whose result is bounded like every other value."""
    def filtered(*args, **kwargs):
        return _bounded(function(*args, **kwargs))
    if hasattr(function, "jinja_pass_arg"):  # the filter still receives its context or environment
        filtered.jinja_pass_arg = function.jinja_pass_arg
    return filtered


class _LayoutLoader(jinja2.BaseLoader):
    """Layouts by name only, from one folder: no path, no parent, no link out of it; as saved
    on any system (a UTF-8 byte order mark is not text, CRLF line endings read as LF)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment, template: str):
        if not _LAYOUT_NAME.fullmatch(template):
            raise jinja2.TemplateNotFound(template)
        name = template if template.endswith(LAYOUT_SUFFIX) else template + LAYOUT_SUFFIX
        path = self.folder / name
        if path.is_symlink() or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        source = path.read_text(encoding="utf-8").removeprefix("\ufeff")  # Notepad's byte order mark
        mtime = path.stat().st_mtime_ns
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime_ns == mtime


class _LayoutEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox layouts run in, with their work bounded (see the module's docstring)."""
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and callable(value) and attr not in _SAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "%" and isinstance(left, str):
            raise _Overrun("le formatage « % » de textes n’est pas permis dans un gabarit")
        if operator_name == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise _Overrun("puissance trop grande dans le gabarit")
        if operator_name == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(times, int):
                    if len(sized) * times > MAX_VALUE:
                        raise _too_large()
        return _bounded(super().call_binop(context, operator_name, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        budget = _current_budget()
        budget.step()
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise _Overrun(f"le gabarit s’appelle lui-même trop profondément (plus de {MAX_DEPTH} niveaux)")
            return _bounded(super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.depth -= 1

    def _parse(self, source, name, filename):
        return _Bounds().visit(super()._parse(source, name, filename))


class _Bounds(NodeTransformer):
    """Rewrites a parsed layout so that each loop turn spends a step and each ``~`` is bounded."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _COUNTED, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return nodes.Filter(node, _BOUNDED, [], [], None, None, lineno=node.lineno)


def _finalize(value: object) -> str:
    _bounded(value)
    if isinstance(value, Markup):
        return str(value)
    return escape_markdown(value)


def _safe_filters(env: jinja2.Environment) -> dict[str, Callable]:
    kept = {name: _checked_filter(env.filters[name]) for name in _SAFE_FILTERS}
    kept.update({"replace": _guarded_replace, "join": _guarded_join, _COUNTED: _counted, _BOUNDED: _bounded})
    return kept


class _CompiledLayouts(jinja2.FileSystemBytecodeCache):
    """Compiled layouts kept between processes: compiling the report's layout takes about
    30 ms, a tenth of a cold build. One file per layout name (so the cache stays small);
    Jinja compiles again when the layout's text changed (it keeps the text's checksum),
    and the key also holds what shapes the compiled code: this module (its sandbox rewrites
    loops and concatenations) and Jinja's version. A cache that cannot be read or written
    is not used; a damaged file is replaced."""

    def __init__(self) -> None:
        super().__init__(str(cache_dir()), "gabarit-%s.jinja")

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{_compiler_stamp()}\0{name}".encode()).hexdigest()[:32]

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a cut or garbled file: unpickling fails in many ways
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=1)
def _compiler_stamp() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()


@lru_cache(maxsize=8)
def _environment(layouts_dir: Path) -> jinja2.Environment:
    env = _LayoutEnvironment(
        loader=_LayoutLoader(layouts_dir),
        bytecode_cache=_CompiledLayouts(),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters = _safe_filters(env)
    helpers = {name: _passing_unfilled(name, helper) for name, helper in LAYOUT_HELPERS.items()}
    env.globals = {"range": _bounded_range, "dict": dict, "namespace": env.globals["namespace"], **helpers}
    env.filters.update(helpers)
    return env


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_STEPS:
        raise _Overrun(f"range() trop grand dans le gabarit ({len(numbers):,} tours ; au plus {MAX_STEPS:,})"
                       .replace(",", "\u00a0"))
    return numbers


def layout_path(layouts_dir: Path, name: str) -> Path:
    """The file of layout ``name``."""
    return layouts_dir / f"{name}{LAYOUT_SUFFIX}"


def layout_parts(layouts_dir: Path, name: str) -> list[str]:
    """The names of the parts (``{% block nom %}``) of layout ``name`` a period may replace."""
    return sorted(_template(layouts_dir, name).blocks)


def _template(layouts_dir: Path, name: str) -> jinja2.Template:
    return _environment(layouts_dir.resolve()).get_template(layout_path(layouts_dir, name).name)


def render_layout(layouts_dir: Path, name: str, context: dict, replacements: dict[str, str] | None = None) -> str:
    """The markup that layout ``name`` produces for ``context``; LayoutError on any failure.

    ``replacements`` maps part names (``{% block nom %}`` in the layout) to markup that
    replaces them for this rendering only; None or empty keeps the layout's own text.
    """
    path = layout_path(layouts_dir, name)
    token = _budget.set(_Budget())
    try:
        template = _template(layouts_dir, name)
        return _render_bounded(template, context, replacements or {})
    except jinja2.TemplateNotFound as error:
        if error.name in (path.name, name):
            known = sorted(p.stem for p in layouts_dir.glob(f"*{LAYOUT_SUFFIX}"))
            raise LayoutError(f"gabarit « {name} » introuvable", Location(path),
                              "gabarits disponibles : " + (", ".join(known) or "aucun")) from None
        raise LayoutError(f"gabarit à inclure « {error.name} » refusé ou introuvable",
                          _where(error, path),
                          "n’incluez que des gabarits du dossier layouts/, par leur nom (exemple : "
                          "{% include \"pied\" %})") from None
    except jinja2.TemplateSyntaxError as error:
        raise LayoutError(_syntax_message(error),
                          Location(Path(error.filename) if error.filename else path, error.lineno),
                          "vérifiez que chaque {{ … }} et {% … %} est bien fermé, et n’utilisez que les "
                          "filtres simples (upper, lower, join, replace…)") from None
    except jinja2.exceptions.SecurityError as error:
        raise LayoutError(_refused_message(error), _where(error, path),
                          "un gabarit n’utilise que les données, les fonctions du README et les filtres "
                          "simples (upper, lower, join…)") from None
    except jinja2.UndefinedError as error:
        raise LayoutError(_undefined_message(error), _where(error, path),
                          "corrigez le nom dans le gabarit, ou ajoutez la donnée au fichier de période "
                          "(ou testez-la avec {% if … is defined %})") from None
    except _Overrun as error:
        raise LayoutError(error.what, _where(error, path),
                          "simplifiez le gabarit : une boucle, une macro ou un texte ne doit pas grandir sans fin") from None
    except (RecursionError, MemoryError) as error:
        raise LayoutError("le gabarit demande trop de mémoire ou s’appelle lui-même sans fin", _where(error, path),
                          "simplifiez le gabarit : une macro ne doit pas s’appeler sans fin") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as error:
        raise LayoutError(f"le gabarit ne peut pas être produit : {error}", _where(error, path)) from None
    finally:
        _budget.reset(token)


def _render_bounded(template: jinja2.Template, context: dict, replacements: dict[str, str]) -> str:
    """Render with the given parts replaced, stopping as soon as the output passes MAX_OUTPUT."""
    ctx = template.new_context(context)
    for part, text in replacements.items():
        ctx.blocks.setdefault(part, []).insert(0, _constant_part(text.rstrip("\n") + "\n"))
    chunks, size = [], 0
    try:
        for chunk in template.root_render_func(ctx):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _Overrun(f"le gabarit produit un texte trop long (plus de {MAX_OUTPUT:,} caractères)"
                               .replace(",", "\u00a0"))
            chunks.append(chunk)
    except Exception:
        template.environment.handle_exception()  # re-raised with the layout's lines in the traceback
    return "".join(chunks)


def _constant_part(text: str) -> Callable:
    def render(context) -> Iterator[str]:
        yield text
    return render


def _where(error: BaseException, path: Path) -> Location:
    """The layout file and line where ``error`` happened (an included layout may be the one)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(LAYOUT_SUFFIX):
            return Location(Path(frame.filename), frame.lineno)
    return Location(path)


def _syntax_message(error: jinja2.TemplateSyntaxError) -> str:
    refused = re.match(r"No (filter|test) named '([^']*)'", error.message or "")
    if refused:
        kind = "filtre" if refused.group(1) == "filter" else "test"
        return f"{kind} « {refused.group(2)} » inconnu ou refusé dans un gabarit"
    return f"erreur de syntaxe dans le gabarit : {error.message}"


def _refused_message(error: jinja2.exceptions.SecurityError) -> str:
    found = re.search(r"attribute '([^']*)'", str(error))
    if found:
        return f"accès refusé à « {found.group(1)} » : un gabarit ne peut pas atteindre le fonctionnement interne"
    return "opération refusée : un gabarit ne peut appeler que les fonctions prévues"


def _undefined_message(error: jinja2.UndefinedError) -> str:
    text = str(error.message or "")
    if "has no attribute" in text:
        name = text.rsplit("attribute", 1)[1].strip(" '\"")
        return f"donnée « {name} » absente ou mal nommée"
    return f"variable « {text.split(chr(39))[1] if chr(39) in text else text} » inconnue"
