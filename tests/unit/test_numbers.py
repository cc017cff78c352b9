"""Vietnamese number words: what listeners hear for amounts, decimals, codes, ordinals and Roman numerals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.text.numbers import (
    Dialect,
    decimal_to_words,
    digits_to_words,
    fraction_digits_to_words,
    integer_string_to_words,
    month_to_words,
    number_to_words,
    ordinal_to_words,
    phone_to_words,
    roman_to_int,
)

NORTH_NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (41, "bốn mươi mốt"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (124, "một trăm hai mươi tư"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1024, "một nghìn không trăm hai mươi tư"),
    (1500, "một nghìn năm trăm"),
    (2005, "hai nghìn không trăm linh năm"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
    (10_000, "mười nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_005, "một trăm nghìn không trăm linh năm"),
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_500_000, "một triệu năm trăm nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_000_050_000, "một tỷ không trăm năm mươi nghìn"),
    (12_345_678_900, "mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (10**18, "một tỷ tỷ"),
]


@pytest.mark.parametrize(("n", "words"), NORTH_NUMBERS)
def test_northern_numbers_follow_the_domain_conventions(n: int, words: str) -> None:
    assert number_to_words(n) == words
    assert number_to_words(n, Dialect.NORTH) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (24, "hai mươi bốn"),
        (105, "một trăm lẻ năm"),
        (1000, "một ngàn"),
        (2005, "hai ngàn không trăm lẻ năm"),
        (2024, "hai ngàn không trăm hai mươi bốn"),
        (1_500_000, "một triệu năm trăm ngàn"),
        (14, "mười bốn"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
    ],
)
def test_southern_numbers_say_ngan_le_and_bon(n: int, words: str) -> None:
    assert number_to_words(n, Dialect.SOUTH) == words


def test_negative_numbers_are_read_with_am() -> None:
    assert number_to_words(-3) == "âm ba"


def test_dialect_is_a_plain_string_enum_for_presets() -> None:
    assert Dialect("south") is Dialect.SOUTH
    assert str(Dialect.NORTH) == "north"


@pytest.mark.parametrize(
    ("whole", "fraction", "words"),
    [
        (2, "5", "hai phẩy năm"),
        (2, "05", "hai phẩy không năm"),
        (3, "14", "ba phẩy mười bốn"),
        (0, "125", "không phẩy một trăm hai mươi lăm"),
        (2, "0", "hai phẩy không"),
        (2, "24", "hai phẩy hai mươi tư"),
        (3, "14159", "ba phẩy một bốn một năm chín"),
    ],
)
def test_decimals_read_leading_zeros_and_short_tails_as_numbers(
    whole: int, fraction: str, words: str
) -> None:
    assert decimal_to_words(whole, fraction) == words


def test_southern_decimal_tail() -> None:
    assert fraction_digits_to_words("24", Dialect.SOUTH) == "hai mươi bốn"


def test_digits_are_read_one_by_one() -> None:
    assert digits_to_words("0912345678") == "không chín một hai ba bốn năm sáu bảy tám"


@pytest.mark.parametrize("bad", ["", "12a", "１２", "٣", "1 2", "-1"])
def test_digit_readers_reject_non_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        digits_to_words(bad)
    with pytest.raises(ValueError):
        integer_string_to_words(bad)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("05", "năm"),  # "thôn 05"
        ("007", "bảy"),
        ("0", "không"),
        ("0123", "không một hai ba"),  # a code, not an amount
        ("2025", "hai nghìn không trăm hai mươi lăm"),
        ("1" * 19, " ".join(["một"] * 19)),  # too long to be an amount
    ],
)
def test_integer_strings_choose_between_amount_and_code(text: str, words: str) -> None:
    assert integer_string_to_words(text) == words


def test_very_long_digit_strings_do_not_hit_the_int_conversion_limit() -> None:
    words = integer_string_to_words("9" * 10_000)
    assert words.count("chín") == 10_000


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("0912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("0912345678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("02343822123", "không hai ba bốn, ba tám hai, hai một hai ba"),
        ("1900 1234", "một chín không không, một hai ba bốn"),
        ("19001234", "một chín không không, một hai ba bốn"),
        ("113", "một một ba"),
        ("+84912345678", "cộng tám bốn, chín một hai, ba bốn năm, sáu bảy tám"),
    ],
)
def test_phone_numbers_are_read_digit_by_digit_in_groups(number: str, words: str) -> None:
    assert phone_to_words(number) == words


@pytest.mark.parametrize(
    ("n", "words"), [(1, "nhất"), (2, "hai"), (4, "tư"), (7, "bảy"), (14, "mười bốn"), (24, "hai mươi tư")]
)
def test_ordinals(n: int, words: str) -> None:
    assert ordinal_to_words(n) == words


def test_ordinal_four_is_tu_in_the_south_too() -> None:
    assert ordinal_to_words(4, Dialect.SOUTH) == "tư"
    assert ordinal_to_words(24, Dialect.SOUTH) == "hai mươi bốn"


@pytest.mark.parametrize(
    ("month", "words"), [(1, "một"), (4, "tư"), (10, "mười"), (11, "mười một"), (12, "mười hai")]
)
def test_month_names(month: int, words: str) -> None:
    assert month_to_words(month) == words


@pytest.mark.parametrize(
    ("roman", "value"),
    [("I", 1), ("IV", 4), ("IX", 9), ("XIII", 13), ("XXI", 21), ("XXIV", 24), ("XL", 40), ("MCMXLV", 1945)],
)
def test_roman_numerals(roman: str, value: int) -> None:
    assert roman_to_int(roman) == value


@pytest.mark.parametrize("not_roman", ["", "IIII", "VX", "IC", "iv", "DI ", "ABC", "MMMM"])
def test_non_canonical_roman_numerals_are_rejected(not_roman: str) -> None:
    assert roman_to_int(not_roman) is None


# -- a reader that turns the words back into a number, to check every reading, not just examples ---------

_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5}
_DIGIT |= {"sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def _parse_triple(words: list[str]) -> int:
    value = 0
    if "trăm" in words:
        i = words.index("trăm")
        assert i == 1, words
        value, words = 100 * _DIGIT[words[0]], words[2:]
    if not words:
        return value
    if words[0] in ("linh", "lẻ"):
        assert len(words) == 2 and words[1] not in ("mốt", "tư", "lăm"), words
        return value + _DIGIT[words[1]]
    if words[0] == "mười":
        assert len(words) <= 2 and words[1:] != ["mốt"] and words[1:] != ["tư"], words
        return value + 10 + (_DIGIT[words[1]] if len(words) == 2 else 0)
    if len(words) >= 2 and words[1] == "mươi":
        assert len(words) <= 3, words
        unit = words[2] if len(words) == 3 else None
        assert unit not in ("một", "năm"), words  # 21 is "mốt", 25 is "lăm"
        return value + 10 * _DIGIT[words[0]] + (_DIGIT[unit] if unit else 0)
    assert len(words) == 1, words
    return value + _DIGIT[words[0]]


def _parse(words: list[str]) -> int:
    if "tỷ" in words:
        i = len(words) - 1 - words[::-1].index("tỷ")
        return _parse(words[:i]) * 10**9 + (_parse(words[i + 1 :]) if words[i + 1 :] else 0)
    total = 0
    for scale, factor in (("triệu", 10**6), ("nghìn", 1000), ("ngàn", 1000)):
        if scale in words:
            i = words.index(scale)
            total += _parse_triple(words[:i]) * factor
            words = words[i + 1 :]
    return total + (_parse_triple(words) if words else 0)


@given(st.integers(min_value=0, max_value=10**15))
def test_every_northern_reading_means_the_number(n: int) -> None:
    words = number_to_words(n).split()
    assert _parse(words) == n
    assert "lẻ" not in words and "ngàn" not in words


@given(st.integers(min_value=0, max_value=10**15))
def test_every_southern_reading_means_the_number(n: int) -> None:
    words = number_to_words(n, Dialect.SOUTH).split()
    assert _parse(words) == n
    assert "linh" not in words and "nghìn" not in words and "tư" not in words
