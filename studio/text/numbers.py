"""Vietnamese number words, the way an announcer reads them on a commune loudspeaker.

Speech engines read digits badly ("2005" as "hai không không năm", "24" with the wrong regional word), so
the normaliser turns every number into words before synthesis. The rules follow DOMAIN.md: Northern by
default ("nghìn", "linh", "hai mươi tư"); the Southern preset says "ngàn", "lẻ", "hai mươi bốn". Only
the words that listeners hear differ between dialects; the arithmetic is the same.

Everything here is pure and total over valid input; invalid input raises ``ValueError`` so a caller's
mistake is loud. The text normaliser only passes bounded digit strings, so it never triggers one.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "DIGIT_WORDS",
    "Dialect",
    "decimal_to_words",
    "digits_to_words",
    "fraction_digits_to_words",
    "integer_string_to_words",
    "month_to_words",
    "number_to_words",
    "ordinal_to_words",
    "phone_to_words",
    "roman_to_int",
]


class Dialect(StrEnum):
    """Which regional reading the voice preset wants; stored in presets as the plain string value."""

    NORTH = "north"
    SOUTH = "south"


DIGIT_WORDS: tuple[str, ...] = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

_BILLION = 10**9
# Longer digit strings are identifiers (account, citizen ID), not amounts: nobody says "một tỷ tỷ tỷ".
MAX_SPOKEN_DIGITS = 18
# Longer decimal tails ("3,14159") are read digit by digit, as people do.
MAX_FRACTION_AS_NUMBER = 3

_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _thousand(dialect: Dialect) -> str:
    return "ngàn" if dialect is Dialect.SOUTH else "nghìn"


def _zero_tens(dialect: Dialect) -> str:
    """The word for an empty tens place before a unit: 105 is "một trăm linh năm" / "một trăm lẻ năm"."""
    return "lẻ" if dialect is Dialect.SOUTH else "linh"


def _read_triple(n: int, dialect: Dialect, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000. ``full`` reads an empty hundreds place ("không trăm"), which every group
    after the first needs: 2005 is "hai nghìn không trăm linh năm", never "hai nghìn linh năm"."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(_zero_tens(dialect))
            words.append(DIGIT_WORDS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            # 11 is "mười một" (never "mốt"), 14 "mười bốn" (never "tư"), 15 "mười lăm".
            words.append("lăm" if units == 5 else DIGIT_WORDS[units])
    else:
        words += [DIGIT_WORDS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append("bốn" if dialect is Dialect.SOUTH else "tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGIT_WORDS[units])
    return words


def _below_billion(n: int, dialect: Dialect, *, full: bool) -> list[str]:
    """Words for 0 < n < 10⁹. Empty groups are skipped ("một triệu", not "một triệu không nghìn…")."""
    groups = ((n // 1_000_000, "triệu"), (n // 1000 % 1000, _thousand(dialect)), (n % 1000, ""))
    words: list[str] = []
    for value, scale in groups:
        if not value:
            continue
        words += _read_triple(value, dialect, full=full)
        if scale:
            words.append(scale)
        full = True
    return words


def _words(n: int, dialect: Dialect, *, full: bool) -> list[str]:
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = [*_words(high, dialect, full=full), "tỷ"]
        if low:
            words += _below_billion(low, dialect, full=True)
        return words
    return _below_billion(n, dialect, full=full)


def number_to_words(n: int, dialect: Dialect = Dialect.NORTH) -> str:
    """Read an integer aloud: 1500000 → "một triệu năm trăm nghìn", -5 → "âm năm".

    Beyond a billion the scale words repeat ("một nghìn tỷ", "một tỷ tỷ"), as Vietnamese does.
    """
    if n < 0:
        return "âm " + number_to_words(-n, dialect)
    if n == 0:
        return DIGIT_WORDS[0]
    return " ".join(_words(n, dialect, full=False))


def _check_digits(s: str) -> None:
    if not s or not (s.isascii() and s.isdigit()):
        raise ValueError(f"expected ASCII digits, got {s!r}")


def digits_to_words(s: str) -> str:
    """Read a digit string one digit at a time, as phone numbers and hotlines are read:
    "0912345678" → "không chín một hai ba bốn năm sáu bảy tám". ``s`` must be ASCII digits only."""
    _check_digits(s)
    return " ".join(DIGIT_WORDS[int(c)] for c in s)


def integer_string_to_words(s: str, dialect: Dialect = Dialect.NORTH) -> str:
    """Read a digit string found in text, choosing between an amount and a code.

    Short strings with leading zeros are amounts ("05 hộ" → "năm hộ"); longer zero-led strings and
    anything over :data:`MAX_SPOKEN_DIGITS` digits are codes, read digit by digit. This also keeps
    ``int()`` away from arbitrarily long input.
    """
    _check_digits(s)
    if len(s) > MAX_SPOKEN_DIGITS or (s[0] == "0" and len(s) > 3):
        return digits_to_words(s)
    return number_to_words(int(s), dialect)


def fraction_digits_to_words(fraction: str, dialect: Dialect = Dialect.NORTH) -> str:
    """Read the part after the decimal comma: leading zeros are spoken ("05" → "không năm"), a short
    rest is read as a number ("25" → "hai mươi lăm"), a long tail digit by digit."""
    _check_digits(fraction)
    if len(fraction) > MAX_FRACTION_AS_NUMBER:
        return digits_to_words(fraction)
    rest = fraction.lstrip("0")
    words = [DIGIT_WORDS[0]] * (len(fraction) - len(rest))
    if rest:
        words.append(number_to_words(int(rest), dialect))
    return " ".join(words)


def decimal_to_words(whole: int, fraction: str, dialect: Dialect = Dialect.NORTH) -> str:
    """Read a decimal written with the Vietnamese decimal comma: ``(2, "05")`` → "hai phẩy không năm".

    ``fraction`` is a string because its leading zeros are spoken.
    """
    return f"{number_to_words(whole, dialect)} phẩy {fraction_digits_to_words(fraction, dialect)}"


def ordinal_to_words(n: int, dialect: Dialect = Dialect.NORTH) -> str:
    """The word after "thứ": 1 → "nhất", 4 → "tư" (in both dialects: "thứ tư"), otherwise the number."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return number_to_words(n, dialect)


def month_to_words(month: int, dialect: Dialect = Dialect.NORTH) -> str:
    """The word after "tháng": April is "tháng tư" everywhere; other months are plain numbers."""
    return "tư" if month == 4 else number_to_words(month, dialect)


def roman_to_int(s: str) -> int | None:
    """Value of a canonical upper-case Roman numeral ("XXI" → 21), or None if ``s`` is not one.

    Only canonical forms are accepted, so words that merely consist of the letters I, V, X, L, C, D, M
    are not mistaken for numbers.
    """
    if not s or _ROMAN.fullmatch(s) is None:
        return None
    total = 0
    for i, ch in enumerate(s):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _phone_groups(number: str) -> list[str]:
    """Digit groups as written; an unbroken number is grouped as people dictate it (0912 345 678)."""
    groups = re.findall(r"[0-9]+", number)
    if number.startswith("+") and groups and groups[0].startswith("84") and len(groups[0]) > 2:
        groups = ["84", groups[0][2:], *groups[1:]]
    if groups and len(groups[-1]) >= 8:
        last = groups.pop()
        if len(last) == 8:
            groups += [last[:4], last[4:]]
        elif len(last) == 9:
            groups += [last[:3], last[3:6], last[6:]]
        else:
            groups += [last[:4], last[4:7], last[7:]]
    return groups


def phone_to_words(number: str) -> str:
    """Read a phone number or hotline digit by digit, with a comma (a pause) between digit groups so a
    listener can write it down: "0912 345 678" → "không chín một hai, ba bốn năm, sáu bảy tám".

    Separators (space, dot, hyphen) are kept as group breaks; a leading "+" is read "cộng".
    """
    groups = _phone_groups(number)
    if not groups:
        raise ValueError(f"no digits in {number!r}")
    words = ", ".join(digits_to_words(g) for g in groups)
    return "cộng " + words if number.startswith("+") else words
