"""Turn administrative Vietnamese into the words an announcer would say, before speech synthesis.

Voices misread digits, dates, document numbers and abbreviations; officers should not have to respell
their bulletins by hand. :func:`normalize` rewrites a text by a fixed sequence of rules (DOMAIN.md,
"Reading numbers and abbreviations aloud"):

1. document numbers ("49/2024/NĐ-CP"), before their codes could be taken for abbreviations;
2. abbreviations from the built-in dictionary plus the station's own;
3. only when ASCII digits remain: bank accounts, phone numbers and hotlines, dates, ranges, "24/7",
   quarters, fractions, "12/12 thôn", times, ordinals, months, units and currency, rates, decimals and
   plain numbers — the most specific first, each consuming its digits so later, vaguer rules never
   see them;
4. Roman numerals after quý / khóa / lần thứ / Đại hội / kỳ / thế kỷ, and I–X in numbered series
   ("báo động II", "Chương III", "đô thị loại IV").

The rules are written once against :class:`~studio.text.offsets.Rewritable`, so the script pipeline runs
them on a tracked text and can point at the original characters behind any word it reports.

Choices where DOMAIN.md leaves room: a rate is "một …" ("30.000đ/kg" → "… đồng một ki-lô-gam"); "24/7"
is "hai mươi bốn trên bảy" in both dialects (a fixed phrase); other slashes between numbers that are not
dates are "trên"; phone numbers pause (a comma) between digit groups; a date without "ngày" gets it;
"có 12/12 thôn", "đạt 19/19 tiêu chí" is "mười hai trên mười hai" (a count, not a date); emergency
numbers after a service's name ("Cứu hỏa 114") and bank accounts are read digit by digit.

Contract: never raises on any ``str``; leaves text without digits, known abbreviations or such Roman
numerals untouched apart from whitespace; output is NFC with single spaces; one output line per input
line; normalising twice gives the same text as once. Idempotence holds because every ASCII digit is
turned into words in one pass, rules only ever consume letters they are bounded by, and words inserted
next to letters or digits are separated by a space.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache

from studio.text.abbreviations import (
    BUILTIN_ABBREVIATIONS,
    RATE_WORDS,
    UNIT_WORDS,
    abbreviation_pattern,
    document_issuer,
)
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
from studio.text.offsets import PlainText, Rewritable, clean_text

__all__ = [
    "Dialect",
    "Normalizer",
    "decimal_to_words",
    "digits_to_words",
    "normalize",
    "normalize_lines",
    "number_to_words",
]

_Replace = Callable[[re.Match[str]], str]

# Token boundaries. "Alnum" is any letter or digit in any script; digits do not glue to abbreviations.
_NO_ALNUM_BEFORE = r"(?<![^\W_])"
_NO_ALNUM_AFTER = r"(?![^\W_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"
# A number starts or ends here, not in the middle of "1.500", "2,5", "22/11" or "14:30".
_NUM_START = r"(?=[0-9])(?<![0-9])(?<![0-9][.,/:-])"  # the lookahead lets re skip ahead fast
_NUM_END = r"(?![0-9])(?![.,/:-][0-9])"
_AMOUNT = r"(?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<frac>[0-9]+))?"

_ASCII_DIGIT = re.compile(r"[0-9]")


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation, longest first so "km2" wins over "km" and "TP." over "TP"."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _first_chars(words: Iterable[str], *, both_cases: bool) -> str:
    """A leading ``(?=[…])`` so that re can skip ahead to candidate positions: without it, a pattern
    that opens with a look-behind is tried at every character, which triples the cost on long text."""
    chars = {w[0] for w in words} | ({w[0].swapcase() for w in words} if both_cases else set())
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


def _context(*words: str) -> str:
    """A whole context word in any letter case (Vietnamese capitalises the first word of a sentence)."""
    return _first_chars(words, both_cases=True) + _NO_ALNUM_BEFORE + "(?i:" + "|".join(words) + ")"


def _ctx(*words: str) -> str:
    return "(?P<ctx>" + _context(*words) + ")"


def _re(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts))


_DOCUMENT = _re(
    _NUM_START,
    r"(?<![^\W_])(?P<num>[0-9]{1,6})(?:(?:/(?P<year>[0-9]{4}))?/",
    r"(?P<code>[A-ZĐ]{2}[A-Za-zĐđ]*[0-9]*(?:-[A-ZĐ][A-Za-zĐđ&]*[0-9]*){0,4})",
    r"|-(?P<ptype>[A-ZĐ]{2}[A-Za-zĐđ]*)/(?P<pissuer>[A-ZĐ]{2}[A-Za-zĐđ]*[0-9]*))",
    _NO_ALNUM_AFTER,
)
# A bank account ("tài khoản số 1234567890") is read digit by digit, in its groups, like a phone number.
_ACCOUNT = _re(
    "(?P<ctx>",
    _context("tài khoản"),
    _NO_ALNUM_AFTER,
    r" ?:? ?(?:(?i:số|là) ?:? ?)?)(?P<n>[0-9]{2,20}(?:[ .-][0-9]{2,6}){0,4})(?![0-9])(?![.,-][0-9])",
)
_PHONE_ONE = r"\+?[0-9]{2,5}(?:[ .-][0-9]{2,5}){0,3}"
_PHONE_LIST_SEP = re.compile(r"( ?(?:,|;|/|hoặc|và) ?)")
_PHONE_CONTEXT = _re(
    "(?P<ctx>",
    _context("điện thoại", "gọi", "đường dây nóng", "hotline", "tổng đài", "sđt", "đt", "fax", "nhắn tin"),
    r"(?<!kêu gọi)(?<!Kêu gọi)(?<!KÊU GỌI)",
    _NO_ALNUM_AFTER,
    r" ?:? ?(?:(?i:ngay|cho|tới|đến|vào|số|qua|là|máy|bàn|trực|của xã|của) ){0,3})",
    f"(?P<nums>{_PHONE_ONE}(?: ?(?:,|;|/|hoặc|và) ?{_PHONE_ONE}){{0,4}})",
    r"(?![0-9])(?![.,-][0-9])",
)
# Emergency numbers are said digit by digit after "số" or a service's name ("Cứu hỏa 114", "Cấp cứu: 115").
_SHORT_CODE = _re(
    "(?:",
    _ctx("số", "công an", "cứu hỏa", "cứu hoả", "chữa cháy", "cấp cứu", "cứu thương", "cứu nạn", "khẩn cấp"),
    r"(?P<sep>:? )|(?P<open>\())(?P<n>11[1-6])(?(open)\)|",
    _NUM_END,
    ")",
)
_PHONE_SHAPE = _re(
    r"(?=[01+(])(?<![0-9+])(?<![0-9][.,-])(?P<p>(?:\+84[ .-]?|(?P<paren>\()?0)[0-9]{2,3}(?(paren)\) ?)",
    r"(?:[ .-]?[0-9]{3,4}){2}|(?:1800|1900)[ .-]?[0-9]{4}(?:[ .-]?[0-9]{2})?)",
    r"(?![0-9])(?![.,-][0-9])",
)
_DASHED_DATE = _re(
    _NUM_START, r"(?P<d>[0-9]{1,2})(?P<sep>[.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})", _NUM_END
)
_RANGE = re.compile(r" ?[-–] ?(?=[0-9])")
_RANGE_START_BEFORE = re.compile(r"[0-9](?:%|'|°C|[a-zđ]{1,3}[²³]?)?$")
_ROUND_THE_CLOCK = _re(_NUM_START, "24/7", _NUM_END)
_QUARTER = _re(_ctx("quý"), r" (?P<q>[1-4]|IV|I{1,3})(?:/(?P<y>[0-9]{4}))?", _NUM_END, _NO_LETTER_AFTER)
_MONTH_YEAR = _re(_NUM_START, r"(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})", _NUM_END)
_SLASHED_DATE = _re(
    _NUM_START, r"(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})(?:/(?P<y>[0-9]{4}|[0-9]{2}))?", _NUM_END
)
# "giảm 1/2 học phí", "1/3 số hộ": a fraction, not the 1st of February, when the words around say so.
_QUANTITY_WORDS = (
    "giảm",
    "tăng",
    "khoảng",
    "chiếm",
    "gần",
    "hơn",
    "còn",
    "bằng",
    "được",
    "trên",
    "dưới",
    "chỉ",
)
_FRACTION = _re(
    _first_chars((*_QUANTITY_WORDS, *"0123456789"), both_cases=True),
    f"(?:{_ctx(*_QUANTITY_WORDS)} )?",
    _NUM_START,
    r"(?P<n>[0-9])/(?P<d>[0-9]{1,2})",
    _NUM_END,
    r"(?(ctx)|(?= (?i:số|tổng số|dân số|diện tích|sản lượng)(?![^\W_])))",
)
# "Xã có 12/12 thôn", "đạt 19/19 tiêu chí": so many out of so many ("trên"), not a date, when a verb of
# having or reaching comes before and a counted noun after.
# fmt: off
_COUNTED_NOUNS = (
    "thôn", "xã", "phường", "thị trấn", "huyện", "tỉnh", "hộ", "người", "tiêu chí", "chỉ tiêu", "đơn vị",
    "trường", "lớp", "đại biểu", "hội viên", "đảng viên", "chi bộ", "tổ", "xóm", "bản", "làng", "ấp",
    "khu dân cư", "tổ dân phố", "cơ sở", "doanh nghiệp", "hợp tác xã", "dự án", "công trình", "học sinh",
    "nội dung", "nhiệm vụ", "câu", "điểm",
)
# fmt: on
_OUT_OF = _re(
    _ctx("có", "đạt", "gồm", "với"),
    " ",
    _NUM_START,
    r"(?P<n>[0-9]{1,3})/(?P<d>[0-9]{1,3})",
    _NUM_END,
    f"(?= (?i:{_alternation(_COUNTED_NOUNS)}){_NO_ALNUM_AFTER})",
)
# Words already said before a number ("ngày 2/9", "tháng 12/2025", "số 49/2024/NĐ-CP") are not repeated.
# They are checked on the text before a match rather than matched, so those patterns start at a digit.
_DAY_WORD_BEFORE = re.compile(_NO_ALNUM_BEFORE + r"(?i:ngày|mùng|mồng) $")
_UNTIL_BEFORE = re.compile(_NO_ALNUM_BEFORE + r"(?i:đến|tới) $")
_NAME_BEFORE = re.compile(_NO_ALNUM_BEFORE + r"(?i:đường|phố|quốc khánh) $")
_MONTH_WORD_BEFORE = re.compile(_NO_ALNUM_BEFORE + r"(?i:tháng) $")
_NUMBER_WORD_BEFORE = re.compile(_NO_ALNUM_BEFORE + r"(?i:số) ?:? ?$")
_CLOCK = _re(
    _NUM_START, r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?P<gm>)(?![0-9])(?![.,:][0-9])"
)
_HOUR_MARK = _re(
    _NUM_START,
    r"(?P<h>[0-9]{1,2})(?:[hH](?:(?P<m>[0-9]{2})(?:'|′|ph|p)?)?|[gG](?P<gm>[0-9]{2}))",
    _NO_ALNUM_AFTER,
)
_MINUTE_WORD_NEXT = re.compile(r" ?(?i:phút)")
_ORDINAL = _re(_ctx("thứ"), r" (?P<n>[0-9]{1,3})(?: đến (?P<n2>[0-9]{1,3}))?", _NUM_END, _NO_LETTER_AFTER)
_MONTH = _re(
    _ctx("tháng"),
    r" (?P<m>[0-9]{1,2})(?: đến (?P<m2>[0-9]{1,2})(?![0-9])(?! (?i:tháng)))?",
    _NUM_END,
    _NO_LETTER_AFTER,
)
_NEGATIVE_TEMPERATURE = re.compile(r"(?=-)(?<![^\s(\[])-(?=[0-9]+(?:,[0-9]+)? ?(?:°|º|℃|oC|độ))")
_LETTER_UNITS = _alternation(u for u in UNIT_WORDS if u != "%")
_UNIT = _re(_NUM_START, _AMOUNT, f" ?(?P<unit>%|(?:{_LETTER_UNITS}){_NO_LETTER_AFTER})")
_RATE = re.compile(r"(?=[ /])(?<=[^\W_]|%) ?/ ?(?P<u>" + _alternation(RATE_WORDS) + ")" + _NO_LETTER_AFTER)
_SLASH_BETWEEN_NUMBERS = re.compile(r"(?<=[0-9])/(?=[0-9])")
_PLUS_BETWEEN_NUMBERS = re.compile(r"(?<=[0-9])\+(?=[0-9])")  # "Km15+200" (a road chainage), "1+1"
_NUMBER = re.compile(r"(?=[0-9])(?<![0-9])(?<![0-9][.,])" + _AMOUNT + r"(?![0-9])(?![.,][0-9])")
_DOTTED = re.compile(r"(?=[0-9])(?<![0-9])(?<![0-9][.,])[0-9]+(?:\.[0-9]+)+(?![0-9])")
_DIGITS = re.compile(r"[0-9]+")
_ROMAN_AFTER = _re(
    _ctx("lần thứ", "thứ", "quý", "khóa", "khoá", "đại hội", "kỳ", "kì", "thế kỷ", "thế kỉ"),
    r" (?P<r>[IVXLCDM]+)",
    _NO_LETTER_AFTER,
)
# Series numbered in Roman in bulletins ("báo động II", "Chương III", "đô thị loại IV", "vùng I"). Only I, V
# and X: after these words C, D, L and M are letters ("hạng C", "loại D"), not 100, 500, 50 and 1000.
_ROMAN_SERIES = _re(
    _ctx("báo động", "chương", "phần", "mục", "phụ lục", "loại", "hạng", "giai đoạn", "đợt", "cấp độ", "cấp",
         "vùng", "nhóm", "tập", "bậc", "khu vực"),
    r" (?P<r>[IVX]+)",
    _NO_LETTER_AFTER,
)


def _pad(m: re.Match[str], words: str) -> str:
    """Keep inserted words from gluing to a neighbouring letter or digit ("5UBND" → "năm Ủy ban …")."""
    s, start, end = m.string, m.start(), m.end()
    if start > 0 and s[start - 1].isalnum() and not words[:1].isspace():
        words = " " + words
    if end < len(s) and s[end].isalnum() and not words[-1:].isspace():
        words += " "
    return words


def _before(pattern: re.Pattern[str], m: re.Match[str]) -> bool:
    """Whether the text just before ``m`` ends with ``pattern`` (which is anchored with ``$``)."""
    return pattern.search(m.string, max(0, m.start() - 16), m.start()) is not None


_clean = clean_text


def _valid_date(day: int, month: int, year: str | None) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    return full_year >= 1 and day <= calendar.monthrange(full_year, month)[1]


class Normalizer:
    """A configured normaliser: dialect, abbreviation dictionary and options, compiled once.

    Build one per preset and reuse it for every segment; :func:`normalize` is the one-off shortcut.
    ``abbreviations`` (the station's) extend and override :data:`BUILTIN_ABBREVIATIONS`; their
    expansions must not contain a key, or normalising twice would expand again. ``read_issuer`` adds
    who issued a document ("… của Chính phủ") when its code names a known issuer.
    """

    def __init__(
        self,
        dialect: Dialect | str = Dialect.NORTH,
        abbreviations: Mapping[str, str] | None = None,
        *,
        read_issuer: bool = False,
    ) -> None:
        self.dialect = Dialect(dialect)
        self.read_issuer = read_issuer
        merged = {_clean(k): _clean(v) for k, v in BUILTIN_ABBREVIATIONS.items()}
        for key, value in (abbreviations or {}).items():
            if _clean(key):
                merged[_clean(key)] = _clean(value)
        self._abbreviations = merged
        self._abbreviation_re = abbreviation_pattern(frozenset(merged))
        self._digit_rules: list[tuple[re.Pattern[str], _Replace]] = [
            (_ACCOUNT, self._account),
            (_PHONE_CONTEXT, self._phone_in_context),
            (_SHORT_CODE, self._short_code),
            (_PHONE_SHAPE, self._phone_shape),
            (_DASHED_DATE, self._date),
            (_RANGE, self._range),
            (_ROUND_THE_CLOCK, self._round_the_clock),
            (_QUARTER, self._quarter),
            (_MONTH_YEAR, self._month_year),
            (_FRACTION, self._fraction),
            (_OUT_OF, self._out_of),
            (_SLASHED_DATE, self._date),
            (_CLOCK, self._time),
            (_HOUR_MARK, self._time),
            (_ORDINAL, self._ordinal),
            (_MONTH, self._month),
            (_NEGATIVE_TEMPERATURE, lambda m: "âm "),
            (_UNIT, lambda m: _pad(m, f"{self._amount(m)} {UNIT_WORDS[m['unit']]}")),
            (_RATE, lambda m: _pad(m, f" một {RATE_WORDS[m['u']]}")),
            (_SLASH_BETWEEN_NUMBERS, lambda m: " trên "),
            (_PLUS_BETWEEN_NUMBERS, lambda m: " cộng "),
            (_NUMBER, lambda m: _pad(m, self._amount(m))),
            (_DOTTED, self._dotted),
            (_DIGITS, lambda m: _pad(m, integer_string_to_words(m.group(), self.dialect))),
        ]

    # -- public -------------------------------------------------------------------------------------

    def normalize(self, text: str) -> str:
        """Normalise every line of ``text``; lines stay lines (``\\n`` count is preserved)."""
        return "\n".join(self.normalize_line(line) for line in text.split("\n"))

    def normalize_line(self, line: str) -> str:
        """Normalise one line; any line break inside it becomes a space, so the result has none."""
        text = PlainText(line)
        self.rewrite(text)
        return text.text

    def rewrite(self, line: Rewritable) -> None:
        """Normalise one line in place: the rules of :meth:`normalize_line`, run on any :class:`Rewritable`
        (the script pipeline passes a tracked text, so problems found later point at the original)."""
        line.clean()
        if _ASCII_DIGIT.search(line.text):
            line.sub(_DOCUMENT, self._document)
        if self._abbreviation_re is not None:
            line.sub(self._abbreviation_re, lambda m: _pad(m, self._abbreviations[m.group()]))
        if _ASCII_DIGIT.search(line.text):
            for pattern, replace in self._digit_rules:
                line.sub(pattern, replace)
        line.sub(_ROMAN_AFTER, self._roman)
        line.sub(_ROMAN_SERIES, self._roman)
        line.clean()

    def normalize_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """One normalised line per input line, lazily (a long script streams through)."""
        for line in lines:
            yield self.normalize_line(line)

    # -- rules --------------------------------------------------------------------------------------

    def _num(self, n: int) -> str:
        return number_to_words(n, self.dialect)

    def _amount(self, m: re.Match[str]) -> str:
        whole = integer_string_to_words(m["int"].replace(".", ""), self.dialect)
        if m["frac"] is None:
            return whole
        return f"{whole} phẩy {fraction_digits_to_words(m['frac'], self.dialect)}"

    def _document(self, m: re.Match[str]) -> str:
        words = [] if _before(_NUMBER_WORD_BEFORE, m) else ["số"]
        words.append(self._num(int(m["num"])))
        if m["year"]:
            words += ["năm", self._num(int(m["year"]))]
        if self.read_issuer:
            issuer = document_issuer(m["code"] or m["pissuer"])
            if issuer:
                words += ["của", issuer]
        return _pad(m, " ".join(words))

    def _round_the_clock(self, m: re.Match[str]) -> str:
        """ "24/7" (always open) is not a date, unless the text says it is: "ngày 24/7", "đến 24/7"."""
        if _before(_DAY_WORD_BEFORE, m) or _before(_UNTIL_BEFORE, m):
            return m.group()
        return _pad(m, "hai mươi bốn trên bảy")

    def _range(self, m: re.Match[str]) -> str:
        """ "6-36 tháng", "7h-11h", "5%-10%" → "… đến …"; a hyphen after anything else is left alone."""
        return " đến " if _before(_RANGE_START_BEFORE, m) else m.group()

    def _phone_in_context(self, m: re.Match[str]) -> str:
        parts = _PHONE_LIST_SEP.split(m["nums"])
        spoken: list[str] = []
        for i in range(0, len(parts), 2):
            number = parts[i]
            digits = re.sub(r"[^0-9]", "", number)
            if not (len(digits) >= 3 and (number[0] in "01+" or len(digits) >= 7)):
                if i == 0:
                    return m.group()  # "gọi 20 người": not a phone number
                spoken.append("".join(parts[i - 1 :]))  # later rules read the rest
                break
            if i:
                spoken.append(parts[i - 1])
            spoken.append(phone_to_words(number))
        return _pad(m, m["ctx"] + "".join(spoken))

    def _account(self, m: re.Match[str]) -> str:
        if len(re.sub(r"[^0-9]", "", m["n"])) < 6 or re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", m["n"]):
            return m.group()  # "tài khoản 100 triệu", "102.345.678 đồng": amounts
        return _pad(m, m["ctx"] + phone_to_words(m["n"]))

    def _short_code(self, m: re.Match[str]) -> str:
        code = digits_to_words(m["n"])
        return _pad(m, f"({code})" if m["open"] else f"{m['ctx']}{m['sep']}{code}")

    def _phone_shape(self, m: re.Match[str]) -> str:
        number = m["p"]
        count = len(re.sub(r"[^0-9]", "", number))
        if number.startswith("+"):
            ok = count in (11, 12)
        elif number[0] in "0(":
            ok = count in (10, 11)
        else:
            ok = count in (8, 10)
        return _pad(m, phone_to_words(number)) if ok else m.group()

    def _date(self, m: re.Match[str]) -> str:
        day, month, year = int(m["d"]), int(m["m"]), m["y"]
        if not _valid_date(day, month, year):
            return m.group()
        words = []
        if not _before(_DAY_WORD_BEFORE, m) and not _before(_NAME_BEFORE, m):
            words.append("ngày")  # "2/9" → "ngày hai tháng chín"; but "đường 3/2", "Quốc khánh 2/9" are names
        words += [self._num(day), "tháng", month_to_words(month, self.dialect)]
        if year is not None:
            words += ["năm", self._num(int(year))]
        return _pad(m, " ".join(words))

    def _month_year(self, m: re.Match[str]) -> str:
        month = int(m["m"])
        if not 1 <= month <= 12:
            return m.group()
        words = f"{month_to_words(month, self.dialect)} năm {self._num(int(m['y']))}"
        return _pad(m, words if _before(_MONTH_WORD_BEFORE, m) else "tháng " + words)

    def _quarter(self, m: re.Match[str]) -> str:
        q = m["q"]
        words = f"{m['ctx']} {self._num(int(q) if q.isdigit() else roman_to_int(q) or 0)}"
        if m["y"]:
            words += f" năm {self._num(int(m['y']))}"
        return _pad(m, words)

    def _fraction(self, m: re.Match[str]) -> str:
        numerator, denominator = int(m["n"]), int(m["d"])
        if not 0 < numerator < denominator <= 10 or _before(_DAY_WORD_BEFORE, m):
            return m.group()
        context = f"{m['ctx']} " if m["ctx"] else ""
        return _pad(m, f"{context}{self._num(numerator)} phần {self._num(denominator)}")

    def _out_of(self, m: re.Match[str]) -> str:
        part, whole = int(m["n"]), int(m["d"])
        if not 0 < part <= whole:
            return m.group()
        return _pad(m, f"{m['ctx']} {self._num(part)} trên {self._num(whole)}")

    def _time(self, m: re.Match[str]) -> str:
        """ "14h30", "14:30", "14g30", "7h15'" → "… giờ … phút"; whole hours are just "… giờ"."""
        hours, minutes, seconds = int(m["h"]), int(m["m"] or m["gm"] or 0), int(m.groupdict().get("s") or 0)
        if hours > 24 or minutes > 59 or seconds > 59:
            return m.group()  # "48h" is a duration: the unit rule reads it
        words = [self._num(hours), "giờ"]
        if minutes:
            words.append(self._num(minutes))
            if not _MINUTE_WORD_NEXT.match(m.string, m.end()):
                words.append("phút")
        if seconds:
            words += [self._num(seconds), "giây"]
        return _pad(m, " ".join(words))

    def _ordinal(self, m: re.Match[str]) -> str:
        words = f"{m['ctx']} {ordinal_to_words(int(m['n']), self.dialect)}"
        if m["n2"] is not None:  # "thứ 2-6" is Monday to Friday: "thứ hai đến thứ sáu"
            second = int(m["n2"])
            weekday = 2 <= second <= 7
            words += f" đến {'thứ ' if weekday else ''}{ordinal_to_words(second, self.dialect)}"
        return _pad(m, words)

    def _month(self, m: re.Match[str]) -> str:
        month = int(m["m"])
        if not 1 <= month <= 12:
            return m.group()
        words = f"{m['ctx']} {month_to_words(month, self.dialect)}"
        if m["m2"] is not None:  # "tháng 4-5" → "tháng tư đến tháng năm"
            second = int(m["m2"])
            words += (
                f" đến tháng {month_to_words(second, self.dialect)}"
                if 1 <= second <= 12
                else (f" đến {self._num(second)}")
            )
        return _pad(m, words)

    def _dotted(self, m: re.Match[str]) -> str:
        parts = m.group().split(".")
        return _pad(m, " chấm ".join(integer_string_to_words(p, self.dialect) for p in parts))

    def _roman(self, m: re.Match[str]) -> str:
        value = roman_to_int(m["r"])
        if value is None:
            return m.group()
        ctx = m["ctx"]
        spoken = ordinal_to_words(value, self.dialect) if ctx.lower().endswith("thứ") else self._num(value)
        return _pad(m, f"{ctx} {spoken}")


@lru_cache(maxsize=8)
def _default_normalizer(dialect: Dialect, read_issuer: bool) -> Normalizer:
    return Normalizer(dialect, read_issuer=read_issuer)


def _normalizer(
    dialect: Dialect | str, abbreviations: Mapping[str, str] | None, read_issuer: bool
) -> Normalizer:
    if not abbreviations:
        return _default_normalizer(Dialect(dialect), read_issuer)
    return Normalizer(dialect, abbreviations, read_issuer=read_issuer)


def normalize(
    text: str,
    *,
    dialect: Dialect | str = Dialect.NORTH,
    abbreviations: Mapping[str, str] | None = None,
    read_issuer: bool = False,
) -> str:
    """Spoken form of ``text`` for a Vietnamese voice (see the module docstring for the contract)."""
    return _normalizer(dialect, abbreviations, read_issuer).normalize(text)


def normalize_lines(
    lines: Iterable[str],
    *,
    dialect: Dialect | str = Dialect.NORTH,
    abbreviations: Mapping[str, str] | None = None,
    read_issuer: bool = False,
) -> Iterator[str]:
    """Exactly one normalised line per input line, none containing a line break."""
    return _normalizer(dialect, abbreviations, read_issuer).normalize_lines(lines)
