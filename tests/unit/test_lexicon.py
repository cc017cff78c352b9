"""Pronunciation lexicons: station rules and preset respellings, their file format and load-time checks."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from studio.text.lexicon import (
    Lexicon,
    Rule,
    RuleError,
    conflicts,
    load_lexicon,
    parse_lexicon,
    preview,
)
from studio.text.lexicon_rules import compile_rule

# A Mường respelling list in the colleague's format (source<TAB>respelling, "#" comments). The pairs are
# illustrative spellings, not a linguistic reference.
MUONG = """\
# Mường → Vietnamese orthography respellings
# source<TAB>respelling
khỏi\tkhói
tác\tnước   # water
cha\tcha
mẹ đẻ\tmệ đẻ
"""


def test_word_rules_match_whole_words_in_any_case_and_keep_the_case() -> None:
    lexicon = Lexicon([Rule.word("lắk", "lắc")])
    assert lexicon.apply("lắk, Lắk, LẮK") == "lắc, Lắc, LẮC"
    assert lexicon.apply("Lắkk và klắk") == "Lắkk và klắk"  # not inside other words
    assert lexicon.apply("Đắk-Lắk") == "Đắk-Lắc"  # a hyphen is a word boundary


def test_multi_word_sources_capitalise_each_word_when_the_text_did() -> None:
    lexicon = Lexicon([Rule.word("đắk lắk", "đắc lắc")])
    assert lexicon.apply("tỉnh Đắk Lắk") == "tỉnh Đắc Lắc"
    assert lexicon.apply("tỉnh đắk lắk") == "tỉnh đắc lắc"
    assert lexicon.apply("Đắk lắk") == "Đắc lắc"
    assert lexicon.apply("ĐẮK LẮK") == "ĐẮC LẮC"
    assert lexicon.apply("Đắk   Lắk") == "Đắc Lắc"  # any run of spaces
    assert lexicon.apply("Đắk\nLắk") == "Đắk\nLắk"  # but not a line break


def test_a_respelling_written_with_capitals_keeps_them() -> None:
    assert Lexicon([Rule.word("dak lak", "Đắc Lắc")]).apply("dak lak") == "Đắc Lắc"


def test_exact_rules_match_only_the_case_written() -> None:
    lexicon = Lexicon([Rule.word("ĐBP", "Điện Biên Phủ", exact=True)])
    assert lexicon.apply("ĐBP và đbp") == "Điện Biên Phủ và đbp"


def test_the_longest_source_wins() -> None:
    lexicon = Lexicon([Rule.word("krông", "crông"), Rule.word("krông pắc", "crông pắc huyện")])
    assert lexicon.apply("Krông Pắc và Krông Búk") == "Crông Pắc Huyện và Crông Búk"


def test_regex_rules_use_groups_and_are_case_sensitive_unless_asked() -> None:
    rule = Rule.regex(r"\bQL ?([0-9]+[A-Z]?)\b", r"Quốc lộ \1")
    assert Lexicon([rule]).apply("QL1A, QL 14, ql 6") == "Quốc lộ 1A, Quốc lộ 14, ql 6"
    loose = Rule.regex(r"\bQL ?([0-9]+)\b", r"Quốc lộ \1", ignore_case=True)
    assert Lexicon([loose]).apply("ql 6") == "Quốc lộ 6"


def test_word_rules_apply_before_regex_rules_in_file_order() -> None:
    lexicon = Lexicon([Rule.regex("b", "c"), Rule.word("a", "b"), Rule.regex("c", "d")])
    assert lexicon.apply("a") == "d"


def test_regex_rules_reach_the_end_of_lines_longer_than_a_window() -> None:
    text = ("bà con " * 1000) + "QL6"
    assert Lexicon([Rule.regex(r"QL(\d)", r"Quốc lộ \1")]).apply(text).endswith("Quốc lộ 6")


def test_muong_respelling_file_loads_in_the_preset_format() -> None:
    raw = "\ufeff" + unicodedata.normalize("NFD", MUONG).replace("\n", "\r\n")  # Notepad: BOM, CRLF, NFD
    load = parse_lexicon(raw, name="muong.tsv")
    assert load.issues == ()
    assert len(load.lexicon) == 4
    assert load.lexicon.apply("Tác khỏi, mẹ đẻ") == "Nước khói, mệ đẻ"


def test_station_file_with_options() -> None:
    text = (
        "ĐBP\tĐiện Biên Phủ\texact\n"
        "QL ?([0-9]+)\tQuốc lộ \\1\tregex\n"
        "km ([0-9]+)\tki-lô-mét \\1\tregex, ignorecase\n"
    )
    lexicon = parse_lexicon(text).lexicon
    assert lexicon.apply("ĐBP, QL 6, Km 12") == "Điện Biên Phủ, Quốc lộ 6, ki-lô-mét 12"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("[abc\tx\tregex", "regex"),
        ("(a+)+b\tx\tregex", "slow-regex"),
        ("(a|aa)*\tx\tregex", "slow-regex"),
        (r"(?:\w+ ?){2,}" + "\tx\tregex", "slow-regex"),
        ("x*\ty\tregex", "empty-match"),
        ("(?=a)\ty\tregex", "empty-match"),
        ("a(b)\t\\2\tregex", "template"),
        ("just one field", "format"),
        ("a\tb\tc\td", "format"),
        ("a\tb\tloud", "option"),
        ("a\tb\tregex exact", "option"),
        ("a\tb\tignorecase", "option"),
        ("(ĐTV)\tx", "source"),
        ("\tx", "source"),
    ],
)
def test_a_bad_rule_is_reported_with_its_line_and_the_rest_still_loads(line: str, code: str) -> None:
    text = f"# station rules\nĐắk\tĐắc\n{line}\nLắk\tLắc\n"
    load = parse_lexicon(text, name="station.tsv")
    assert [(i.line, i.code, i.kept) for i in load.issues] == [(3, code, False)]
    assert str(load.issues[0]).startswith("station.tsv:3: ")
    assert load.lexicon.apply("Đắk Lắk") == "Đắc Lắc"


def test_a_bad_regex_message_says_what_is_wrong() -> None:
    (issue,) = parse_lexicon("[abc\tx\tregex").issues
    assert "[abc" in issue.message and "not a valid regular expression" in issue.message


@pytest.mark.parametrize(
    "pattern",
    [r"QL ?([0-9]+)", r"\d+", r"(ab)+", r"a+b+", r"[(a+)]+", r"\(a+\)+", r"x(a+)?", r"(a+){1}", r"(?:x)+"],
)
def test_ordinary_patterns_are_not_taken_for_slow_ones(pattern: str) -> None:
    assert compile_rule(Rule.regex(pattern, "x")) is not None


def test_an_accepted_pattern_stays_fast_on_hostile_text() -> None:
    lexicon = parse_lexicon("a.*b.*c\tx\tregex").lexicon  # polynomial, bounded by the 2,000-char windows
    started = time.process_time()
    lexicon.apply("a" * 100_000)
    assert time.process_time() - started < 5.0


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("a\tb\nb\ta\n", [1, 2]),  # a cycle
        ("Đắk\tĐắk Đắk\n", [1]),  # its own output
        ("Đắk Lắk\tĐắc Lắc\nlắc\tlạc\n", [1]),  # another rule's source inside the output
        ("x\ty\ny\tz\tregex\nz\tx\tregex\n", [1, 2, 3]),  # a chain back to the start
        ("\\bKCN\\b\tkhu công nghiệp KCN\tregex\n", [1]),  # a regex's literal output matched again
        ("\\bCCN ?([0-9]*)\tcụm công nghiệp \\1 CCN\tregex\n", [1]),  # the same, around a group
    ],
)
def test_rules_whose_output_would_be_rewritten_again_are_detected_at_load(text: str, dropped: list[int]) -> None:
    load = parse_lexicon(text)
    assert sorted(i.line for i in load.issues if i.code == "retrigger") == dropped
    assert all(not i.kept for i in load.issues if i.code == "retrigger")
    assert {r.line for r in load.lexicon.rules}.isdisjoint(dropped)
    once = load.lexicon.apply("a b x y z Đắk Lắk QL6")
    assert load.lexicon.apply(once) == once


def test_a_chain_that_settles_in_one_pass_is_not_a_retrigger() -> None:
    load = parse_lexicon("x\ty\ny\tz\tregex\n")  # x → y → z in one pass; z is stable
    assert load.issues == ()
    assert load.lexicon.apply("x") == "z"


def test_an_output_that_can_complete_another_multi_word_source_is_reported_but_kept() -> None:
    load = parse_lexicon("Đắk\tĐắc\nĐắc Lắk\tĐắc Lắc\n")
    assert [(i.line, i.code, i.kept) for i in load.issues] == [(1, "context", True)]
    assert len(load.lexicon) == 2


def test_a_duplicate_source_is_reported_and_the_later_line_wins() -> None:
    load = parse_lexicon("lắk\tlắc\nLẮK\tlặc\n")
    assert [(i.line, i.code, i.kept) for i in load.issues] == [(2, "duplicate", True)]
    assert load.lexicon.apply("lắk") == "lặc"


def test_preview_shows_what_one_rule_does_to_a_sample() -> None:
    assert preview(Rule.word("mường", "mừng"), "Người Mường, MƯỜNG") == "Người Mừng, MỪNG"
    assert preview(Rule.regex(r"(\d+)/(\d+)", r"\1 trên \2"), "đạt 9/10") == "đạt 9 trên 10"
    nfd = unicodedata.normalize("NFD", "Mường")
    assert preview(Rule.word("mường", "mừng"), nfd) == "Mừng"
    with pytest.raises(RuleError) as error:
        preview(Rule.regex("(a+)+", "x"), "aaa")
    assert error.value.code == "slow-regex"


def test_load_lexicon_reads_files_and_explains_unreadable_ones(tmp_path: Path) -> None:
    good = tmp_path / "lexicon.tsv"
    good.write_text("Krông Pắc\tCrông Pắc\n", encoding="utf-8")
    assert load_lexicon(good).lexicon.apply("huyện Krông Pắc") == "huyện Crông Pắc"
    missing = load_lexicon(tmp_path / "none.tsv")
    assert len(missing.lexicon) == 0 and missing.issues == ()
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes("Đắk\tĐắc\n".encode("utf-16"))
    (issue,) = load_lexicon(latin1).issues
    assert (issue.line, issue.code) == (0, "file") and "UTF-8" in issue.message
    folder = load_lexicon(tmp_path)
    assert [i.code for i in folder.issues] == ["file"]


def test_conflicts_between_a_station_and_a_preset_lexicon_are_reported() -> None:
    station = parse_lexicon("Đắk Lắk\tĐắc Lắc\n", name="station").lexicon
    preset = parse_lexicon("lắc\tlạc\n", name="muong").lexicon
    (issue,) = conflicts(station, preset)
    assert (issue.name, issue.line, issue.code) == ("station", 1, "conflict")
    assert conflicts(station, parse_lexicon(MUONG).lexicon) == []


def test_a_large_respelling_list_loads_and_applies_quickly() -> None:
    lines = [f"từ{i}a\ttiếng{i}b" for i in range(3000)]
    started = time.process_time()
    load = parse_lexicon("\n".join(lines))
    text = " ".join(f"từ{i}a" for i in range(0, 3000, 3)) * 20
    spoken = load.lexicon.apply(text)
    assert time.process_time() - started < 5.0
    assert load.issues == ()
    assert spoken.startswith("tiếng0b tiếng3b")
