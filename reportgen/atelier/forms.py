"""The field catalogue as a form, and a submitted form as values again.

Every input is named ``<part>:<key>``, ``part`` being ``region`` or ``periode`` and ``key``
the key path as ``check``'s messages name it (``chiffres.ententes``, ``projets[2]``,
``bureaux[1].ville``; list positions from 1), so a message finds its field by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..data.fields import PERIOD_FIELDS, REGION_FIELDS, FieldSpec

__all__ = ["PARTS", "Widget", "build_widgets", "form_values", "field_id", "slot_for", "apply_action",
           "LIST_KINDS", "ACTIONS", "submitted", "empty_row", "model_row"]

#: The two files of a report's page, by the name used in the form, with their fields.
PARTS: dict[str, tuple[FieldSpec, ...]] = {"region": REGION_FIELDS, "periode": PERIOD_FIELDS}
LIST_KINDS = ("text_list", "rich_text_list", "records")
#: Row actions a plain form post can ask for (the page's script does them without a round trip).
ACTIONS = ("ajouter", "retirer", "monter", "descendre")
_NAME = re.compile(r"(?P<part>region|periode):(?P<key>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*)")


def field_id(name: str) -> str:
    """An HTML id for the input named ``name`` (``periode:projets[2]`` -> ``f-periode-projets-2``)."""
    return "f-" + re.sub(r"[^a-z0-9_]+", "-", name).strip("-")


@dataclass
class Widget:
    """One thing of the form: a field, a section (``children``) or a list (``rows``).

    ``name`` is the input's name; ``value`` the text shown (a list's rows carry their own).
    A row of a text list is a Widget with the list's spec; a record is a section of its items.
    """
    spec: FieldSpec
    name: str
    value: str = ""
    children: list[Widget] = field(default_factory=list)
    rows: list[Widget] = field(default_factory=list)
    index: int = 0

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def part(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(":", 1)[1]


def model_row(widget: Widget) -> Widget:
    """The empty row a list's « Ajouter » copies (numbered 0, renumbered where it lands)."""
    return empty_row(widget.part, widget.spec, widget.key, 0)


def build_widgets(part: str, data: dict | None) -> list[Widget]:
    """The form of one file: its catalogue fields filled with ``data`` (plain values)."""
    data = data if isinstance(data, dict) else {}
    specs = PARTS[part]
    return [_widget(part, spec, specs, spec.key, data.get(spec.key)) for spec in specs if "." not in spec.key]


def _widget(part: str, spec: FieldSpec, specs: tuple[FieldSpec, ...], key: str, value) -> Widget:
    name = f"{part}:{key}"
    if spec.kind == "section":
        children = [_widget(part, child, specs, f"{key}.{child.key.rsplit('.', 1)[1]}",
                            (value or {}).get(child.key.rsplit(".", 1)[1]) if isinstance(value, dict) else None)
                    for child in specs if child.key.startswith(spec.key + ".") and
                    "." not in child.key[len(spec.key) + 1:]]
        return Widget(spec, name, children=children)
    if spec.kind in LIST_KINDS:
        items = value if isinstance(value, list) else []
        return Widget(spec, name, rows=[_row(part, spec, key, number, item)
                                        for number, item in enumerate(items, 1)])
    return Widget(spec, name, _text(value))


def _row(part: str, spec: FieldSpec, key: str, number: int, item) -> Widget:
    name = f"{part}:{key}[{number}]"
    if spec.kind != "records":
        return Widget(spec, name, _text(item), index=number)
    record = item if isinstance(item, dict) else {}
    children = [Widget(child, f"{name}.{child.key}", _text(record.get(child.key)), index=number)
                for child in spec.items]
    return Widget(spec, name, children=children, index=number)


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def empty_row(part: str, spec: FieldSpec, key: str, number: int) -> Widget:
    """A new row for a list (what « Ajouter » appends)."""
    return _row(part, spec, key, number, {} if spec.kind == "records" else "")


# ---------------------------------------------------------------- submitted form -> values

def form_values(items: list[tuple[str, str]]) -> dict[str, dict]:
    """The values of a submitted form, by part: nested mappings and lists in form order.

    An empty field is None (the key is left out); an empty list row is dropped.
    Names that are not ours are ignored, so no input can reach another key.
    """
    trees: dict[str, dict] = {part: {} for part in PARTS}
    for name, raw in items:
        match = _NAME.fullmatch(name)
        if not match or not _known(match.group("part"), match.group("key")):
            continue
        value = raw.replace("\r\n", "\n").replace("\r", "\n")
        _put(trees[match.group("part")], _steps(match.group("key")), value if value != "" else None)
    return {part: _compact(tree) for part, tree in trees.items()}


def _steps(key: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in key.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    return steps


def _known(part: str, key: str) -> bool:
    names = [step for step in _steps(key) if isinstance(step, str)]
    specs = PARTS[part]
    for length in range(1, len(names) + 1):
        spec = next((s for s in specs if s.key == ".".join(names[:length])), None)
        if spec is None or spec.kind == "section":
            continue
        if spec.items:
            return len(names) == length + 1 and any(item.key == names[-1] for item in spec.items)
        return length == len(names)
    return False


def _put(tree: dict, steps: list[str | int], value) -> None:
    node = tree
    for step in steps[:-1]:
        node = node.setdefault(step, {})  # a list is kept as {index: …} until compacted
    node[steps[-1]] = value


def _compact(node):
    """Index mappings become lists in index order, empty rows dropped; empty sections become None."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        rows = [_compact(node[index]) for index in sorted(node)]
        return [row for row in rows if row not in (None, {})] or None
    compacted = {key: _compact(value) for key, value in node.items()}
    kept = {key: value for key, value in compacted.items() if value is not None}
    return kept or None


def slot_for(part: str, key: str, names: set[str]) -> str:
    """The input (or section, or list) name a message about ``key`` belongs beside: the key
    itself, else its nearest parent on the form, else the part's own place."""
    candidate = key
    while candidate:
        name = f"{part}:{candidate}"
        if name in names:
            return name
        candidate = re.sub(r"(\[\d+\]|\.[a-z_]+|^[a-z_]+)$", "", candidate)
    return f"{part}:"


def apply_action(values: dict[str, dict], action: str) -> bool:
    """Do a row action (``ajouter:periode:projets``, ``retirer:periode:projets[2]``, …) on
    submitted values; False when the action names nothing on the form."""
    verb, _, name = action.partition(":")
    match = _NAME.fullmatch(name)
    if verb not in ACTIONS or not match:
        return False
    part, steps = match.group("part"), _steps(match.group("key"))
    if verb == "ajouter":
        return _add_row(part, values, steps)
    if len(steps) < 2 or not isinstance(steps[-1], int):
        return False
    rows = _lookup(values[part], steps[:-1])
    index = steps[-1] - 1
    if not isinstance(rows, list) or not 0 <= index < len(rows):
        return False
    if verb == "retirer":
        rows.pop(index)
    else:
        other = index - 1 if verb == "monter" else index + 1
        if not 0 <= other < len(rows):
            return False
        rows[index], rows[other] = rows[other], rows[index]
    return True


def _add_row(part: str, values: dict[str, dict], steps: list[str | int]) -> bool:
    spec = next((s for s in PARTS[part] if s.key == ".".join(map(str, steps))), None)
    if spec is None or spec.kind not in LIST_KINDS:
        return False
    parent = values.setdefault(part, {}) or {}
    values[part] = parent
    for step in steps[:-1]:
        parent = parent.setdefault(step, {})
    rows = parent.get(steps[-1]) or []
    rows.append({} if spec.kind == "records" else "")
    parent[steps[-1]] = rows
    return True


def _lookup(tree, steps):
    node = tree
    for step in steps:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def submitted(widgets: list[Widget]) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser sends for these widgets, in page order."""
    pairs: list[tuple[str, str]] = []
    for widget in widgets:
        if widget.children:
            pairs += submitted(widget.children)
        elif widget.kind in LIST_KINDS and widget.index == 0:
            pairs += submitted(widget.rows)
        else:
            pairs.append((widget.name, widget.value))
    return pairs
