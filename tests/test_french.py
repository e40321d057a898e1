"""French (Québec) typography and the forms of figures, dates and lists."""
import datetime as dt
from decimal import Decimal

import pytest

from reportgen.french import (
    NumberError,
    NBHYPHEN,
    NBSP,
    NNBSP,
    Figure,
    at_least,
    capitalize_first,
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


@pytest.mark.parametrize("raw, message, hint", [
    ("1,234", "« 1,234 » : en français, la virgule marque les décimales et les milliers se séparent par une "
     "espace", "écrivez 1 234 (avec une espace) ; pour une décimale, une virgule suivie d’un ou deux chiffres (16,2)"),
    ("plus de 1.500", "« plus de 1.500 » : en français, la virgule marque les décimales et les milliers se "
     "séparent par une espace", "écrivez plus de 1 500 (avec une espace) ; pour une décimale, une virgule suivie "
     "d’un ou deux chiffres (16,2)"),
    ("16.2", "« 16.2 » : en français, la décimale suit une virgule, pas un point", "écrivez 16,2"),
    ("18 33", "« 18 33 » : les espaces séparent les chiffres par groupes de trois", "écrivez 1 833"),
])
def test_a_number_that_could_be_misread_is_refused_with_the_fix(raw, message, hint):
    with pytest.raises(NumberError) as caught:
        Figure.parse(raw)
    assert (str(caught.value), caught.value.hint) == (message, hint)


def test_a_count_is_a_whole_number():
    assert Figure.parse_count("plus de 1 833") == Figure(Decimal(1833), "plus de")
    with pytest.raises(NumberError) as caught:
        Figure.parse_count("16,2")
    assert str(caught.value) == "« 16,2 » : un nombre entier est attendu ici (exemples : 207, 1 833, plus de 200)"


@pytest.mark.parametrize("raw, value, qualifier", [
    ("16 200 000", 16_200_000, ""), ("16200000", 16_200_000, ""), ("16 200 000 $", 16_200_000, ""),
    ("224 000 $", 224_000, ""), ("1 234,50 $", Decimal("1234.50"), ""), ("16,2 M$", 16_200_000, ""),
    ("16 M$", 16_000_000, ""), ("1,05 M$", 1_050_000, ""), ("250 k$", 250_000, ""),
    ("près de 16,2 M$", 16_200_000, "près de"), ("plus de 16 200 000", 16_200_000, "plus de"),
    (f"16,2{NBSP}M$", 16_200_000, ""), (0, 0, ""), ("0", 0, ""), ("0 $", 0, ""),
])
def test_an_amount_carries_its_unit_and_scale(raw, value, qualifier):
    assert Figure.parse_amount(raw) == Figure(Decimal(value), qualifier)


@pytest.mark.parametrize("raw, hint", [
    ("16,2", "pour des millions de dollars, écrivez « 16,2 M$ » ; pour des dollars, « 16,2 $ »"),
    ("près de 16", "pour des millions de dollars, écrivez « près de 16 M$ » ; pour des dollars, « près de 16 $ »"),
])
def test_an_amount_without_its_unit_is_refused_rather_than_printed_in_dollars(raw, hint):
    with pytest.raises(NumberError) as caught:
        Figure.parse_amount(raw)
    assert (str(caught.value), caught.value.hint) == (f"« {raw} » : un montant s’écrit avec son unité", hint)


def test_format_number_groups_thousands_with_no_break_spaces():
    assert format_number(1833273) == f"1{NBSP}833{NBSP}273"
    assert format_number(Decimal("16.2")) == "16,2"
    assert format_number(207) == "207"


def test_small_numbers_in_words_with_gender():
    assert number_in_words(3) == "trois"
    assert number_in_words(11) == "onze"
    assert number_in_words(1) == "un"
    assert number_in_words(1, feminine=True) == "une"


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
