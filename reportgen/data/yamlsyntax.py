"""YAML mistakes told in French, at the line where the mistake starts, with the fix that fits.

The parser notices a mistake where it can no longer go on, which is often a line later
(a missing space after a colon is noticed on the next key) or at the end of the file (an
unclosed quote). Its marks and the source lines are enough to find the line the person
actually typed wrong, and what they meant: a text that starts with a character YAML
reserves, a colon inside a text, a dash without its space, Word's long dash or bullet,
a line indented too far or not enough. The parser's English never reaches the user.

The same module checks what the parser accepts but would print differently from what
was typed (``plain_scalar_problem``): a list item indented too far is glued to the
previous item, and a long dash or a bullet makes a list one long text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

__all__ = ["SyntaxProblem", "explain_syntax_error", "plain_scalar_problem", "reserved_start", "key_path_at"]


@dataclass(frozen=True)
class SyntaxProblem:
    """A mistake in a YAML file: its 1-based line and column, what is wrong, and the fix.
    ``placed`` is False for a line whose indentation is the mistake: the key path its
    indentation suggests would be wrong."""
    line: int
    column: int
    message: str
    hint: str
    placed: bool = True


#: Characters that mean something to YAML at the start of a value, as a person would name them.
_RESERVED = {
    "*": "un astérisque (*)", "&": "une esperluette (&)", "!": "un point d’exclamation (!)",
    "[": "un crochet ([)", "{": "une accolade ({)", "@": "une arobase (@)", "`": "un accent grave (`)",
    "%": "un signe de pourcentage (%)", "|": "une barre verticale (|)", ">": "un chevron (>)",
    '"': "un guillemet droit (\")", "'": "une apostrophe (')",
}
_QUOTE_IT = "mettez ce texte entre guillemets : \"…\""
#: What Word and other editors put where a list item's dash should be.
_FALSE_DASHES = "–—−‒―•·◦▪●‣"
_KEY = re.compile(r"[\w.-]+:(?=\s|$)")
_SPACE_MISSING_AFTER_COLON = re.compile(r"\s*(?:- )*([\w.-]+):(\S.*)")
_WORDS_KEY_MISSING_COLON = re.compile(r"\s*(?:- )*([a-z][a-z0-9_]*) +(\S.{0,40})")


def explain_syntax_error(text: str, error: yaml.MarkedYAMLError) -> SyntaxProblem:
    """The mistake behind a parser error, located where it starts, in French."""
    lines = text.split("\n")
    problem = error.problem or ""
    context = error.context or ""
    mark, start = error.problem_mark, error.context_mark
    at = (mark.line, mark.column) if mark else (0, 0)
    since = (start.line, start.column) if start else at
    earlier = _earlier_dash_problem(lines, at[0])
    if earlier:
        return earlier
    for rule in _RULES:
        found = rule(lines, problem, context, at, since)
        if found:
            return found
    return SyntaxProblem(at[0] + 1, at[1] + 1, "syntaxe YAML invalide",
                         "vérifiez cette ligne et la précédente : une clé suivie de « : » et d’une espace, "
                         "un tiret suivi d’une espace pour chaque élément de liste, des espaces (jamais de "
                         "tabulations) pour le retrait")


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _value_column(line: str) -> int | None:
    """Where the value of a ``key: value`` or ``- value`` line starts (0-based), or None."""
    i = _indent(line)
    while line.startswith("- ", i):
        i += 2
        while line.startswith(" ", i):
            i += 1
    key = _KEY.match(line, i)
    if key:
        i = key.end()
        while i < len(line) and line[i] in " \t":
            i += 1
    return i if i < len(line.rstrip()) else None


def reserved_start(value: str) -> str | None:
    """How a person names the reserved character ``value`` starts with, or None."""
    return _RESERVED.get(value[:1])


def _previous_content(lines: list[str], index: int) -> int | None:
    """The nearest line above ``index`` that holds something other than a comment."""
    for above in range(index - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


# ---------------------------------------------------------------- one rule per kind of mistake

def _tab(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "'\\t'" not in problem and "tab" not in problem:
        return None
    line = _line(lines, at[0])
    column = line.find("\t")
    if column < 0 or line[:column].strip():
        return SyntaxProblem(at[0] + 1, (column if column >= 0 else at[1]) + 1,
                             "tabulation après le deux-points", "remplacez la tabulation par une espace")
    return SyntaxProblem(at[0] + 1, column + 1, "tabulation dans le retrait",
                         "remplacez les tabulations par des espaces")


def _unclosed_quote(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "quoted scalar" not in context or "escape" in problem:
        return None
    opening = _line(lines, since[0])[since[1]:since[1] + 1]
    if opening == "'":
        return SyntaxProblem(since[0] + 1, since[1] + 1,
                             f"cette apostrophe ouverte à la ligne {since[0] + 1} n’est jamais fermée",
                             "un texte n’a pas besoin d’apostrophes autour : retirez celle du début "
                             "(ou, pour la garder, doublez chaque apostrophe du texte : 'l''Estrie')")
    return SyntaxProblem(since[0] + 1, since[1] + 1,
                         f"ce guillemet ouvert à la ligne {since[0] + 1} n’est jamais fermé",
                         "ajoutez le guillemet fermant (\") à la fin du texte, ou retirez celui du début "
                         "(pour citer, employez les guillemets français « »)")


def _quote_left_open(lines, problem, context, at, since) -> SyntaxProblem | None:
    """A quote opened on an earlier line and closed far below by an apostrophe of the text
    (« l'Estrie »): the mistake is where the quote opened, not where the parser stopped."""
    for index in range(at[0], -1, -1):
        line = lines[index] if index < len(lines) else ""
        column = _value_column(line)
        if column is None or line[column] not in "\"'":
            continue
        rest = line[column + 1:].replace(line[column] * 2, "")
        if line[column] in rest:
            return None  # the nearest quoted text closes on its line
        if index == at[0]:
            return None
        return _unclosed_quote(lines, problem, "quoted scalar", at, (index, column))
    return None


def _backslash(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "escape" not in problem:
        return None
    return SyntaxProblem(at[0] + 1, at[1] + 1, "barre oblique inversée (\\) dans un texte entre guillemets",
                         "mettez le texte entre apostrophes ('…') plutôt qu’entre guillemets, "
                         "ou doublez la barre (\\\\)")


def _unclosed_bracket(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "flow" not in context or at[0] == since[0]:
        return None
    line = _line(lines, since[0])
    if "]" in line[since[1]:] or "}" in line[since[1]:]:
        return None  # closed on its line: a text that starts with a link, told by _reserved
    what, closing = (("ce crochet ([) ouvert", "]") if line[since[1]:since[1] + 1] == "["
                     else ("cette accolade ({) ouverte", "}"))
    ending = "fermé" if closing == "]" else "fermée"
    return SyntaxProblem(since[0] + 1, since[1] + 1, f"{what} à la ligne {since[0] + 1} n’est jamais {ending}",
                         f"fermez la liste par {closing} à la fin de la ligne, ou, si c’est un texte, "
                         "mettez-le entre guillemets : \"…\"")


def _reserved(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "found ']'" in problem or "found '}'" in problem:
        return None  # a list closed twice, told by _block_end
    candidates = [at[0]]
    if "scanning" in context and since[0] != at[0]:
        candidates.append(since[0])
    for index in candidates:
        line = _line(lines, index)
        column = _value_column(line)
        if column is None:
            continue
        name = reserved_start(line[column:])
        if name:
            return _reserved_problem(index, column, name, line[column])
    return None


def _reserved_problem(index: int, column: int, name: str, char: str) -> SyntaxProblem:
    if char == '"':
        hint = ("pour citer, employez les guillemets français (« … ») ; sinon, mettez tout "
                "le texte entre apostrophes : '…'")
    elif char == "'":
        hint = ("retirez l’apostrophe du début (un texte n’a pas besoin de guillemets), "
                "ou mettez tout le texte entre guillemets : \"…\"")
    else:
        hint = _QUOTE_IT
    message = {'"': "le guillemet droit (\") qui ouvre ce texte se referme avant la fin du texte",
               "'": "l’apostrophe (') qui ouvre ce texte se referme avant la fin du texte"}.get(
        char, f"un texte qui commence par {name} doit être entre guillemets")
    return SyntaxProblem(index + 1, column + 1, message, hint)


def _colon(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "mapping values are not allowed" not in problem:
        return None
    line = _line(lines, at[0])
    column = _value_column(line)
    if column is not None and column <= at[1]:
        return SyntaxProblem(at[0] + 1, column + 1, "deux-points suivi d’une espace dans un texte",
                             "mettez tout le texte entre guillemets : \"…\"")
    above = _previous_content(lines, at[0])
    if above is None:
        return None
    return _glued_key(lines, above) or _key_missing_colon(lines, above) or _too_far_right(lines, at[0], above)


def _glued_key(lines: list[str], index: int) -> SyntaxProblem | None:
    match = _SPACE_MISSING_AFTER_COLON.fullmatch(lines[index].rstrip())
    if not match or match.group(2).startswith(("/", ":")):
        return None
    key, value = match.groups()
    return SyntaxProblem(index + 1, match.start(2), "il manque une espace après le deux-points",
                         f"écrivez « {key}: {value} »")


def _key_missing_colon(lines: list[str], index: int) -> SyntaxProblem | None:
    line = lines[index].rstrip()
    match = _WORDS_KEY_MISSING_COLON.fullmatch(line)
    if not match or ":" in line:
        return None
    looks_like_key = "_" in match.group(1) or match.group(2)[:1].isdigit() or len(match.group(2).split()) == 1
    if not looks_like_key:  # more likely a text's next line: told by the caller
        return None
    key, value = match.groups()
    return SyntaxProblem(index + 1, match.start(1) + 1, f"il manque le deux-points après « {key} »",
                         f"écrivez « {key}: {value} »")


def _too_far_right(lines: list[str], index: int, above: int) -> SyntaxProblem | None:
    line, previous = lines[index], lines[above]
    if _indent(line) <= _indent(previous) or _value_column(previous) is None:
        return None
    key = _KEY.match(line, _indent(line))
    sibling = _KEY.match(previous, _indent(previous))
    if not key or not sibling:
        return None
    return SyntaxProblem(index + 1, _indent(line) + 1,
                         f"cette ligne est plus en retrait que la ligne {above + 1}",
                         f"alignez « {key.group(0)[:-1]} » sur « {sibling.group(0)[:-1]} » "
                         "(le même nombre d’espaces au début de la ligne)", placed=False)


def _simple_key(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "could not find expected ':'" not in problem:
        return None
    index = since[0]
    line = _line(lines, index)
    found = _dash_problem(line, index) or _glued_key(lines, index)
    if found:
        return found
    found = _key_missing_colon(lines, index)
    if found:
        return found
    above = _previous_content(lines, index)
    if above is not None and _value_column(lines[above]) is not None and _indent(line) <= _indent(lines[above]):
        return SyntaxProblem(index + 1, _indent(line) + 1, "cette ligne n’est ni « clé: valeur » ni « - élément »",
                             f"si elle continue le texte de la ligne {above + 1}, ajoutez des espaces au début "
                             "pour la mettre plus en retrait que la ligne de sa clé ; si c’est une clé, "
                             "ajoutez « : » après son nom")
    return None


def _dash_problem(line: str, index: int) -> SyntaxProblem | None:
    """A list item written with a dash glued to its text, or with a long dash or a bullet."""
    stripped = line.lstrip(" ")
    column = _indent(line) + 1
    if stripped[:1] == "-" and stripped[1:2] not in ("", " ", "-") and not stripped[1:2].isdigit():
        return SyntaxProblem(index + 1, column, "il manque une espace après le tiret",
                             f"écrivez « - {_shortened(stripped[1:].strip())} »")
    if stripped[:1] and stripped[0] in _FALSE_DASHES:
        return SyntaxProblem(index + 1, column, f"élément de liste commencé par « {stripped[0]} »",
                             "un tiret simple (-), pas un tiret long ni une puce, suivi d’une espace")
    return None


#: A line that opens a block text (« texte: >- », « - | »): the lines below it are text.
_BLOCK_TEXT = re.compile(r"(?:.*:|\s*-)\s+[|>][+-]?\d*\s*(?:#.*)?")


def _earlier_dash_problem(lines: list[str], stop: int) -> SyntaxProblem | None:
    """A list item written with a bullet, a long dash or a glued dash above the line where
    the parser stopped: YAML took it as text, so the next item's colon or quote is what it
    trips on, but the mistake, and the fix, is this earlier line."""
    text_indent = None
    for index in range(min(stop, len(lines))):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if text_indent is not None and _indent(line) > text_indent:
            continue  # inside a block text, printed as typed
        text_indent = _indent(line) if _BLOCK_TEXT.fullmatch(line.rstrip()) else None
        stripped = line.lstrip(" ")
        if stripped[:1] in tuple(_FALSE_DASHES) and stripped[1:2] != " ":
            continue  # a text that starts with a dash glued to a word (« –30 % »)
        found = _dash_problem(line, index)
        if found:
            return found
    return None


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _block_end(lines, problem, context, at, since) -> SyntaxProblem | None:
    if "expected <block end>" not in problem:
        return None
    line = _line(lines, at[0])
    if "'-'" in problem:
        return SyntaxProblem(at[0] + 1, at[1] + 1, "élément de liste (-) au milieu de clés",
                             "si c’est une clé, retirez le tiret ; si c’est une liste, placez-la sous sa "
                             "clé, plus en retrait", placed=False)
    if "block mapping start" in problem or "block sequence start" in problem:
        above = [_indent(lines[i]) for i in range(at[0]) if lines[i].strip() and not lines[i].lstrip().startswith("#")]
        widths = sorted({width for width in above if width != _indent(line)})
        choices = " ou ".join(str(width) for width in widths) or "0"
        return SyntaxProblem(at[0] + 1, _indent(line) + 1,
                             f"le retrait de cette ligne ({_indent(line)} espace{'s' if _indent(line) > 1 else ''}) "
                             "ne correspond à aucune ligne au-dessus",
                             f"alignez-la sur les clés de sa section : {choices} espaces au début de la ligne",
                             placed=False)
    if "':'" in problem:
        return SyntaxProblem(at[0] + 1, at[1] + 1, "deux-points sans clé devant",
                             "écrivez le nom de la clé avant « : », ou mettez le texte entre guillemets")
    if "']'" in problem or "'}'" in problem:
        return SyntaxProblem(at[0] + 1, at[1] + 1, f"« {line[at[1]:at[1] + 1]} » fermant en trop",
                             "retirez-le, ou mettez tout le texte entre guillemets : \"…\"")
    return None


_RULES = (_tab, _unclosed_quote, _quote_left_open, _backslash, _unclosed_bracket, _reserved, _colon, _simple_key, _block_end)


# ---------------------------------------------------------------- where a line sits in the file

_ELEMENT = re.compile(r"(- +)|([\w.-]+):(?=\s|$) *")


def _elements(line: str) -> list[tuple[int, str]]:
    """The list items (``-``) and keys a line opens, with their columns: ``  - nom: x`` ->
    ``[(2, "-"), (4, "nom")]``."""
    found, column = [], _indent(line)
    while column < len(line):
        match = _ELEMENT.match(line, column)
        if not match:
            break
        found.append((column, "-" if match.group(1) else match.group(2)))
        column = match.end()
    return found


def key_path_at(lines: list[str], index: int) -> str:
    """The key path a line belongs to, as the schema's messages write it (``bureaux[2].adresse``),
    read from the indentation of the lines above; used where the parser gave no tree."""
    path = _elements(_line(lines, index))
    limit = path[0][0] if path else _indent(_line(lines, index))
    for above in range(index - 1, -1, -1):
        line = lines[above]
        if not line.strip() or line.lstrip().startswith("#") or _indent(line) >= limit:
            continue
        path = [element for element in _elements(line) if element[0] < limit] + path
        limit = _indent(line)
        if limit == 0:
            break
    text = ""
    for column, name in path:
        if name == "-":
            text += f"[{_item_number(lines, index, column)}]"
        else:
            text += f".{name}" if text else name
    return text


def _item_number(lines: list[str], index: int, column: int) -> int:
    """Which item (1-based) of the list whose dashes are at ``column`` holds line ``index``."""
    number = 0
    for above in range(index, -1, -1):
        line = lines[above]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _indent(line) < column:
            break
        if _indent(line) == column and line.lstrip().startswith("- "):
            number += 1
    return max(number, 1)


# ---------------------------------------------------------------- what parses, but not as typed

def plain_scalar_problem(lines: list[str], node: yaml.ScalarNode) -> SyntaxProblem | None:
    """A mistake in an unquoted text that YAML accepts but would print differently from
    what was typed: a value starting with ``&`` (an anchor, silently dropped), a list item
    glued to the previous one, a dash without its space, Word's long dash or bullet."""
    first, column = node.start_mark.line, node.start_mark.column
    line = _line(lines, first)
    if line[column:column + 1] == "&":
        return _reserved_problem(first, column, _RESERVED["&"], "&")
    at_line_start = not line[:column].strip()
    if at_line_start:
        found = _dash_problem(line, first)
        if found:
            return found
    for index in range(first + 1, node.end_mark.line + 1):
        follow = _line(lines, index).lstrip(" ")
        if follow.startswith("- ") or follow == "-":
            item = _previous_item(lines, index)
            return SyntaxProblem(index + 1, _indent(lines[index]) + 1,
                                 "élément de liste plus en retrait que le précédent : il serait collé au texte "
                                 f"de la ligne {first + 1}",
                                 f"alignez son tiret sur celui de la ligne {item + 1}" if item is not None
                                 else "alignez son tiret sur celui de l’élément précédent")
        if follow[:1] and follow[0] in _FALSE_DASHES and follow[1:2] == " ":
            return _dash_problem(lines[index], index)
    return None


def _previous_item(lines: list[str], index: int) -> int | None:
    for above in range(index - 1, -1, -1):
        if lines[above].lstrip(" ").startswith("- "):
            return above
    return None
