"""Markup text (what a layout renders) -> the document model.

The markup is CommonMark (markdown-it-py, raw HTML off) with two additions:
block attributes (``{.role}`` on the line before a paragraph or list) and
directives (``::: name`` … ``:::``) for the ministry's designed blocks:

    ::: chiffres          key figures: a list whose items start with **number**
    ::: citation          a quotation; its paragraph marked {.attribution} says who
    ::: coordonnees       contact lines "Label : value"
    ::: signature         the ministry's closing signature (content from the brand)
    ::: image CHEMIN      a picture from assets/; its paragraph is the alternative text
    ::: saut-de-page      start a new page

Data values reach the markup escaped (``escape_markdown``), so they can never
change the document's structure; rich-text fields go through
``clean_inline_markdown``, which keeps emphasis, strong and safe links only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin

from .assets import resolve_asset
from .errors import Location, MarkupError
from .french import typeset
from .model import (
    Block,
    BulletList,
    ContactLine,
    Contacts,
    Emph,
    Heading,
    Image,
    Inline,
    KeyFigure,
    KeyFigures,
    LineBreak,
    Link,
    PageBreak,
    Paragraph,
    Quote,
    Signature,
    Strong,
    Text,
    plain_text,
)

__all__ = ["parse_markup", "locate_in_layout", "escape_markdown", "clean_inline_markdown", "check_url",
           "DIRECTIVES", "LINK_SCHEMES"]

LINK_SCHEMES = ("https", "http", "mailto", "tel")
DIRECTIVES = ("chiffres", "citation", "coordonnees", "signature", "image", "saut-de-page")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # Every link becomes a token so check_url can refuse a bad one with a message,
    # rather than markdown-it silently leaving it as text.
    md.validateLink = lambda url: True
    md.use(attrs_block_plugin)
    md.use(container_plugin, name="directive", validate=lambda params, *_: bool(params.strip()))
    return md


_PARSER = _make_parser()


# ---------------------------------------------------------------- data into markup

def escape_markdown(value: object) -> str:
    """A data value as literal markup text: every ASCII punctuation mark escaped,
    line breaks folded into spaces, so no value can start a list, a link or a heading."""
    text = re.sub(r"\s+", " ", str(value))
    return _PUNCTUATION.sub(r"\\\1", text)


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute https, http, mailto or tel address; else raise ValueError."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES or re.search(r"[\s<>\"\\\x00-\x1f]", url):
        raise ValueError(f"adresse de lien refusée « {url} » : une adresse complète "
                         "en https://, http://, mailto: ou tel: est attendue")
    return url


def clean_inline_markdown(text: str) -> str:
    """Rich text from data, reduced to safe inline markup: *emphasis*, **strong**,
    [links](https://…); everything else comes out as literal text. Raise ValueError
    on an image or a link to a refused address."""
    out, hrefs = [], []
    for token in _PARSER.parseInline(text)[0].children or []:
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(escape_markdown(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind in ("em_open", "em_close"):
            out.append("*")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind == "link_open":
            hrefs.append(check_url(token.attrs["href"]))
            out.append("[")
        elif kind == "link_close":
            out.append(f"](<{hrefs.pop()}>)")
        elif kind == "image":
            raise ValueError("les images ne sont pas permises dans un texte")
        else:
            out.append(escape_markdown(token.content))
    return "".join(out).strip()


# ---------------------------------------------------------------- markup into the model

@dataclass(frozen=True)
class _Origin:
    """The layout a markup text was rendered from, that text's lines (to trace errors back),
    and the assets folder pictures come from."""
    path: Path
    lines: tuple[str, ...]
    assets: Path | None


def parse_markup(text: str, source: Path, assets_dir: Path | None = None) -> tuple[Block, ...]:
    """Parse a layout's rendered markup; ``source`` (the layout) is named in errors.
    ``assets_dir`` is where ``::: image`` finds its files (None: pictures are refused)."""
    tree = SyntaxTreeNode(_PARSER.parse(text))
    return tuple(_blocks(tree.children, _Origin(source, tuple(text.splitlines()), assets_dir)))


def locate_in_layout(source: Path, needle: str) -> Location:
    """The first line of the layout that contains ``needle`` (the markup is rendered from the
    layout, so a literal piece of it points back to its line); no line if it is not found."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    needle = needle.strip()
    line = next((number for number, text in enumerate(lines, 1) if needle and needle in text), None)
    return Location(source, line)


def _error(node: SyntaxTreeNode, source: _Origin, message: str, hint: str = "", needle: str = "") -> MarkupError:
    excerpt = " ".join((node.content or _node_text(node))[:60].split())
    where = f" (texte produit : « {excerpt} »)" if excerpt else ""
    if not needle and node.map:
        needle = source.lines[node.map[0]]  # the markup line that opened the block
    return MarkupError(message + where, locate_in_layout(source.path, needle or excerpt[:30]), hint)


def _node_text(node: SyntaxTreeNode) -> str:
    if node.type == "inline":
        return node.content
    return " ".join(_node_text(child) for child in node.children)


def _blocks(nodes, source: _Origin) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        builder = _BLOCK_BUILDERS.get(node.type)
        if builder is None:
            raise _error(node, source, f"bloc non pris en charge dans un gabarit : {node.type}",
                         "utilisez des titres (#), des paragraphes, des listes (-) ou une directive ::: "
                         + ", ".join(DIRECTIVES))
        blocks.append(builder(node, source))
    return blocks


def _role(node: SyntaxTreeNode) -> str:
    return str(node.attrs.get("class", ""))


def _heading(node, source) -> Heading:
    return Heading(int(node.tag[1]), _inlines(node.children[0], source))


def _paragraph(node, source) -> Paragraph:
    return Paragraph(_inlines(node.children[0], source), _role(node))


def _item_inlines(item: SyntaxTreeNode, source: _Origin) -> tuple[Inline, ...]:
    """A list item's paragraphs as one run of inlines, separated by line breaks."""
    parts: list[Inline] = []
    for child in item.children:
        if child.type != "paragraph":
            raise _error(child, source, "une liste ne peut contenir que du texte",
                         "les listes imbriquées ne sont pas prises en charge")
        if parts:
            parts.append(LineBreak())
        parts.extend(_inlines(child.children[0], source))
    return tuple(parts)


def _bullet_list(node, source) -> BulletList:
    return BulletList(tuple(_item_inlines(item, source) for item in node.children), _role(node))


def _directive(node, source) -> Block:
    name = node.info.split(maxsplit=1)[0] if node.info.strip() else ""
    builder = _DIRECTIVE_BUILDERS.get(name)
    if builder is None:
        raise _error(node, source, f"directive inconnue « ::: {name} »",
                     "directives connues : " + ", ".join(DIRECTIVES), needle=f"::: {name}")
    return builder(node, source)


def _key_figures(node, source) -> KeyFigures:
    lists = [child for child in node.children if child.type == "bullet_list"]
    if len(lists) != 1 or len(node.children) != 1:
        raise _error(node, source, "« ::: chiffres » attend une seule liste",
                     "écrivez un élément par chiffre : - **207** employeurs accompagnés")
    figures = []
    for item in lists[0].children:
        inlines = _item_inlines(item, source)
        if not inlines or not isinstance(inlines[0], Strong):
            raise _error(item, source, "un chiffre clé doit commencer par le nombre en gras",
                         "exemple : - **207** employeurs accompagnés")
        label = _strip_leading_space(inlines[1:])
        figures.append(KeyFigure(plain_text(inlines[0].children), label))
    return KeyFigures(tuple(figures))


def _quote(node, source) -> Quote:
    paragraphs = [_paragraph(child, source) for child in node.children if child.type == "paragraph"]
    if len(paragraphs) != len(node.children) or not paragraphs:
        raise _error(node, source, "« ::: citation » attend des paragraphes",
                     "le texte cité, puis un paragraphe précédé de {.attribution}")
    said = [p for p in paragraphs if p.role != "attribution"]
    by = [p for p in paragraphs if p.role == "attribution"]
    return Quote(_joined(said), _joined(by))


def _joined(paragraphs: list[Paragraph]) -> tuple[Inline, ...]:
    parts: list[Inline] = []
    for paragraph in paragraphs:
        if parts:
            parts.append(LineBreak())
        parts.extend(paragraph.inlines)
    return tuple(parts)


def _contacts(node, source) -> Contacts:
    lines = []
    for item in (node.children[0].children if node.children else []):
        inlines = _item_inlines(item, source)
        first = inlines[0] if inlines else None
        if not isinstance(first, Text) or ":" not in first.text:
            raise _error(item, source, "une ligne de coordonnées s’écrit « Libellé : valeur »",
                         "exemple : - Courriel : [nom@mifi.gouv.qc.ca](mailto:nom@mifi.gouv.qc.ca)")
        label, _, rest = first.text.partition(":")
        value = ((Text(rest.lstrip()),) if rest.strip() else ()) + inlines[1:]
        lines.append(ContactLine(label.strip(), value))
    if not lines or node.children[0].type != "bullet_list":
        raise _error(node, source, "« ::: coordonnees » attend une liste de lignes « Libellé : valeur »")
    return Contacts(tuple(lines))


def _empty_directive(block: Block):
    def build(node, source) -> Block:
        if node.children:
            raise _error(node, source, f"« ::: {node.info.strip()} » ne prend pas de contenu")
        return block
    return build


def _image(node, source: _Origin) -> Image:
    parts = node.info.split(maxsplit=1)
    relative = re.sub(r"\\(.)", r"\1", parts[1].strip()) if len(parts) == 2 else ""
    paragraphs = [child for child in node.children if child.type == "paragraph"]
    alt = " ".join(plain_text(_inlines(p.children[0], source)) for p in paragraphs).strip()
    if not relative or not alt or len(paragraphs) != len(node.children):
        raise _error(node, source, "« ::: image » attend un chemin et un texte de remplacement",
                     "::: image images/carte.png, puis une ligne qui dit ce que montre l’image, puis :::",
                     needle="::: image")
    if source.assets is None:
        raise _error(node, source, "les images ne sont pas permises ici", needle="::: image")
    try:
        path = resolve_asset(source.assets, relative, image=True)
    except ValueError as error:
        raise _error(node, source, str(error), needle="::: image") from None
    return Image(str(path), alt)


_BLOCK_BUILDERS = {
    "heading": _heading, "paragraph": _paragraph, "bullet_list": _bullet_list,
    "container_directive": _directive,
}
_DIRECTIVE_BUILDERS = {
    "chiffres": _key_figures, "citation": _quote, "coordonnees": _contacts,
    "signature": _empty_directive(Signature()), "saut-de-page": _empty_directive(PageBreak()),
    "image": _image,
}


# ---------------------------------------------------------------- inlines

def _inlines(inline: SyntaxTreeNode, source: _Origin) -> tuple[Inline, ...]:
    return _merge_text(_inline_children(inline.children, source))


def _inline_children(nodes, source: _Origin) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "code_inline"):
            out.append(Text(node.content))
        elif kind == "softbreak":
            out.append(Text(" "))
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "em":
            out.append(Emph(_merge_text(_inline_children(node.children, source))))
        elif kind == "strong":
            out.append(Strong(_merge_text(_inline_children(node.children, source))))
        elif kind == "link":
            out.append(Link(_checked_url(node, source), _merge_text(_inline_children(node.children, source))))
        else:
            raise _error(node, source, f"élément non pris en charge dans un texte : {kind}",
                         "seuls l’italique (*…*), le gras (**…**) et les liens ([…](https://…)) sont permis",
                         needle="![" if kind == "image" else "")
    return out


def _checked_url(node: SyntaxTreeNode, source: _Origin) -> str:
    href = str(node.attrs.get("href", ""))
    try:
        return check_url(href)
    except ValueError as error:
        raise MarkupError(str(error), locate_in_layout(source.path, href)) from None


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring Text runs and typeset them once, so rules see whole phrases."""
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(Text(typeset(n.text)) if isinstance(n, Text) else n for n in merged if n != Text(""))


def _strip_leading_space(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if inlines and isinstance(inlines[0], Text):
        return (Text(inlines[0].text.lstrip()),) + inlines[1:]
    return inlines

