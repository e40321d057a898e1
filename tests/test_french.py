"""French (Québec) typography and the forms of figures, dates and lists."""
import datetime as dt
from decimal import Decimal

import pytest

from reportgen.french import (
    NBHYPHEN,
    NBSP,
    NNBSP,
    Figure,
    at_least,
    capitalize_first,
    count,
    format_number,
    join_words,
    long_date,
    money,
    month_year,
    number_in_words,
    tel_uri,
    typeset,
)


@pytest.mark.parametrize("raw, expected", [
    ("Courriel : x", f"Courriel{NBSP}: x"),
    ("Courriel: x", f"Courriel{NBSP}: x"),
    ("notamment :", f"notamment{NBSP}:"),
    ("« Nous sommes fiers »", f"«{NBSP}Nous sommes fiers{NBSP}»"),
    ("«Nous»", f"«{NBSP}Nous{NBSP}»"),
    ("etc. ;", f"etc.{NNBSP};"),
    ("accueillante ;", f"accueillante{NNBSP};"),
    ("Vraiment?", f"Vraiment{NNBSP}?"),
    ("l'Estrie", "l\u2019Estrie"),
    ("16,2 M$", f"16,2{NBSP}M$"),
    ("224 000 $", f"224{NBSP}000{NBSP}$"),
    ("31 mars 2021", f"31{NBSP}mars 2021"),
    ("1er avril", f"1er{NBSP}avril"),
    ("1 833 273-4667", f"1{NBSP}833{NBSP}273{NBHYPHEN}4667"),
    ("directeur régional p. i. de", f"directeur régional p.{NBSP}i. de"),
    ("12:30 et https://x.ca", "12:30 et https://x.ca"),
    ("207 employeurs", "207 employeurs"),
    ("la  région   de", "la région de"),
])
def test_typeset_applies_each_oqlf_rule(raw, expected):
    assert typeset(raw) == expected


def test_typeset_is_idempotent():
    once = typeset("« Courriel : 1 833 273-4667 ; l'Estrie, 16,2 M$ »")
    assert typeset(once) == once


@pytest.mark.parametrize("raw, value, qualifier", [
    (207, Decimal(207), ""), ("1 833", Decimal(1833), ""), ("16,2", Decimal("16.2"), ""),
    ("plus de 200", Decimal(200), "plus de"), ("près de 16 200 000", Decimal(16200000), "près de"),
])
def test_figure_parses_what_staff_write(raw, value, qualifier):
    assert Figure.parse(raw) == Figure(value, qualifier)


@pytest.mark.parametrize("raw", ["beaucoup", "12:30", True, "plus de", "1.2.3"])
def test_figure_refuses_non_numbers(raw):
    with pytest.raises(ValueError):
        Figure.parse(raw)


def test_format_number_groups_thousands_with_no_break_spaces():
    assert format_number(1833273) == f"1{NBSP}833{NBSP}273"
    assert format_number(Decimal("16.2")) == "16,2"
    assert format_number(207) == "207"


def test_small_numbers_in_words_with_gender():
    assert number_in_words(3) == "trois"
    assert number_in_words(11) == "onze"
    assert number_in_words(1) == "un"
    assert number_in_words(1, feminine=True) == "une"


@pytest.mark.parametrize("figure, expected", [
    (3, "trois conseillères et conseillers"),
    (7, "sept conseillères et conseillers"),
    (12, "douze conseillères et conseillers"),
    (14, "14 conseillères et conseillers"),
    (1, "une conseillère ou un conseiller"),
])
def test_count_writes_small_counts_in_words_as_the_reports_do(figure, expected):
    assert count(figure, "conseillère ou un conseiller", "conseillères et conseillers", True) == expected


def test_count_with_qualifiers():
    assert count(Figure(Decimal(200), "plus de"), "personne", "personnes", True) == "plus de 200 personnes"
    assert count(Figure(Decimal(100), "plus de"), "action", "actions", True) == "plus d\u2019une centaine d\u2019actions"
    assert count(Figure(Decimal(100), "près de"), "projet", "projets") == "près d\u2019une centaine de projets"


def test_money_in_millions_and_dollars():
    assert money(16_200_000) == f"16,2{NBSP}M$"
    assert money(Figure(Decimal(16_200_000), "près de")) == f"près de 16,2{NBSP}M$"
    assert money(20_000_000) == f"20{NBSP}M$"
    assert money(224_000) == f"224{NBSP}000{NBSP}$"


@pytest.mark.parametrize("value, expected", [
    (207, Figure(Decimal(200), "plus de")), (200, Figure(Decimal(200))),
    (65, Figure(Decimal(65))), (1450, Figure(Decimal(1400), "plus de")),
])
def test_at_least_rounds_down_and_says_so(value, expected):
    assert at_least(value) == expected


def test_dates_in_french():
    assert long_date(dt.date(2021, 3, 31)) == f"31{NBSP}mars 2021"
    assert long_date(dt.date(2021, 4, 1)) == f"1er{NBSP}avril 2021"
    assert month_year(dt.date(2021, 9, 1)) == "septembre 2021"


def test_join_words():
    assert join_words(["Sherbrooke"]) == "Sherbrooke"
    assert join_words(["Sherbrooke", "Magog", "Richmond"]) == "Sherbrooke, Magog et Richmond"
    assert join_words(["Gaspé", "Carleton-sur-Mer"], each="de") == "de Gaspé et de Carleton-sur-Mer"


def test_tel_uri_and_capitalize():
    assert tel_uri("1 833 273-4667") == "tel:+1-833-273-4667"
    assert tel_uri("(418) 555-1234") == "tel:+1-418-555-1234"
    with pytest.raises(ValueError):
        tel_uri("555-1234")
    assert capitalize_first("ministère de l'Immigration") == "Ministère de l'Immigration"
