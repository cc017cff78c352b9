"""Pause markup: what becomes silence, what is refused, and that markup is never read aloud."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.text.pauses import (
    MAX_PAUSE_SECONDS,
    PausePiece,
    TextPiece,
    format_pause,
    parse_pauses,
    split_pauses,
)


@pytest.mark.parametrize(
    ("markup", "seconds"),
    [
        ("[nghỉ 1s]", 1.0),
        ("[nghỉ 500ms]", 0.5),
        ("[nghỉ 1,5 giây]", 1.5),
        ("[pause 2s]", 2.0),
        ("[NGHỈ 3 GIÂY]", 3.0),
        ("[Pause 250 MS]", 0.25),
        ("[  nghỉ   2   s  ]", 2.0),
        ("[nghỉ: 2 giây]", 2.0),
        ("[nghi 2s]", 2.0),  # typed without diacritics
        ("[nghỉ 1.5 sec]", 1.5),
        ("[nghỉ 1.500ms]", 1.5),  # Vietnamese thousands dot
        ("[nghỉ 2]", 2.0),  # no unit: seconds
        ("[nghỉ2s]", 2.0),
        ("[nghỉ 0s]", 0.0),
        ("[nghỉ 30 giây]", 30.0),
        ("[nghỉ 750 mili giây]", 0.75),
        ("[pause 3 seconds]", 3.0),
    ],
)
def test_pause_forms_become_silence_of_that_length(markup: str, seconds: float) -> None:
    text = f"Kính thưa bà con. {markup} Sau đây là tin tức."
    pieces = split_pauses(text)
    assert [type(p) for p in pieces] == [TextPiece, PausePiece, TextPiece]
    pause = pieces[1]
    assert isinstance(pause, PausePiece)
    assert pause.seconds == seconds
    assert text[pause.start : pause.end] == markup
    assert not parse_pauses(text).warnings


def test_text_around_pauses_keeps_its_offsets() -> None:
    text = "Xin chào[nghỉ 1s]bà con[pause 2s][nghỉ 500ms]thân mến"
    pieces = split_pauses(text)
    assert [(type(p).__name__, text[p.start : p.end]) for p in pieces] == [
        ("TextPiece", "Xin chào"),
        ("PausePiece", "[nghỉ 1s]"),
        ("TextPiece", "bà con"),
        ("PausePiece", "[pause 2s]"),
        ("PausePiece", "[nghỉ 500ms]"),
        ("TextPiece", "thân mến"),
    ]


@pytest.mark.parametrize("markup", ["[nghỉ 45s]", "[nghỉ 1 phút]s", "[pause 31 giây]", "[nghỉ 99999999999999999999s]"])
def test_a_pause_is_never_longer_than_30_seconds(markup: str) -> None:
    parsed = parse_pauses(markup)
    pauses = [p for p in parsed.pieces if isinstance(p, PausePiece)]
    if pauses:  # "[nghỉ 1 phút]" is not understood at all (see below)
        assert pauses[0].seconds == MAX_PAUSE_SECONDS
        assert [w.code for w in parsed.warnings] == ["pause-clamped"]
    assert all(p.seconds <= MAX_PAUSE_SECONDS for p in pauses)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Bà con [nghỉ] chú ý", "[nghỉ]"),
        ("Bà con [nghỉ abc] chú ý", "[nghỉ abc]"),
        ("Bà con [nghỉ 2 phút] chú ý", "[nghỉ 2 phút]"),
        ("Bà con [pause -1s] chú ý", "[pause -1s]"),
        ("Bà con [nghỉ 1,5,5s] chú ý", "[nghỉ 1,5,5s]"),
        ("Bà con [pause 2s chú ý", "[pause 2s"),  # never closed
        ("Bà con [nghỉ\n2s] chú ý", "[nghỉ"),  # markup does not span lines
        ("Bà con [nghỉ ngơi] chú ý", "[nghỉ ngơi]"),  # a bracketed note opening like a pause is not read
    ],
)
def test_malformed_markup_is_removed_and_reported_where_it_is(text: str, bad: str) -> None:
    parsed = parse_pauses(text)
    assert [w.code for w in parsed.warnings] == ["pause-malformed"]
    warning = parsed.warnings[0]
    assert text[warning.start : warning.end] == bad
    assert warning.excerpt == bad
    spoken = " ".join(p.text for p in parsed.pieces if isinstance(p, TextPiece))
    assert bad not in spoken
    assert "nghỉ" not in spoken.replace("chú ý", "") and "pause" not in spoken
    assert not any(isinstance(p, PausePiece) for p in parsed.pieces)
    assert "[nghỉ" in warning.message or "[pause" in warning.message


def test_words_either_side_of_removed_markup_do_not_join() -> None:
    assert split_pauses("xin[nghỉ abc]chào") == [TextPiece("xin chào", 0, 17)]


@pytest.mark.parametrize(
    "text",
    ["Bà con nghỉ 2 ngày", "[ảnh minh họa]", "[1]", "[nghỉngơi]", "pause 2s", "[nghiêm 2s]"],
)
def test_text_that_is_not_pause_markup_is_left_alone(text: str) -> None:
    assert split_pauses(text) == [TextPiece(text, 0, len(text))]
    assert not parse_pauses(text).warnings


def test_only_pauses_gives_no_text_pieces() -> None:
    assert split_pauses("[nghỉ 1s][nghỉ 2s]") == [PausePiece(1.0, 0, 9), PausePiece(2.0, 9, 18)]
    assert split_pauses("") == []


def test_clamped_warning_names_the_written_duration() -> None:
    (warning,) = parse_pauses("[nghỉ 45s]").warnings
    assert warning.detail == "45"
    assert "30" in warning.message


@given(st.integers(min_value=0, max_value=30_000))
def test_canonical_markup_reads_back_as_the_same_pause(milliseconds: int) -> None:
    seconds = milliseconds / 1000
    markup = format_pause(seconds)
    assert markup.startswith("[nghỉ ") and "." not in markup
    (pause,) = split_pauses(markup)
    assert isinstance(pause, PausePiece)
    assert pause.seconds == pytest.approx(seconds, abs=1e-9)


@given(st.text())
def test_any_text_splits_without_error_into_pieces_within_it(text: str) -> None:
    parsed = parse_pauses(text)
    last_end = 0
    for piece in parsed.pieces:
        assert last_end <= piece.start < piece.end <= len(text)
        last_end = piece.end
        if isinstance(piece, PausePiece):
            assert 0 <= piece.seconds <= MAX_PAUSE_SECONDS
    for warning in parsed.warnings:
        assert text[warning.start : warning.end] == warning.excerpt
