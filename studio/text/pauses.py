"""Pause markup in a script: "[nghỉ 1s]" becomes silence, and is never read aloud.

An announcer pauses between notices, after a date, before a phone number. edge-tts rejects SSML
``<break>`` and eSpeak would read the brackets, so the officer writes the pause in the text and the
render inserts silence between the text pieces around it (DOMAIN.md, "Sound").

Accepted forms, case-insensitive, spaces anywhere inside the brackets, on one line:
``[nghỉ 1s]``, ``[nghỉ 500ms]``, ``[nghỉ 1,5 giây]``, ``[Nghỉ: 2 giây]``, ``[nghi 2s]`` (typed without
diacritics), ``[pause 2s]``, ``[pause 1.5 sec]``. The number uses the Vietnamese decimal comma; a dot
followed by exactly three digits groups thousands ("1.500ms"), any other dot is a decimal point. A
number without a unit is seconds. Units: ms, mili giây, millisecond(s); s, sec, second(s), giây.

A pause lasts 0–30 s: a longer one is shortened to 30 s and reported (the officer probably mistyped a
unit). Anything that opens like pause markup but is not well formed ("[nghỉ]", "[nghỉ 2 phút]",
"[pause 2s" without its bracket) is *removed* rather than read aloud, and reported with its position
so the editor can highlight it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "MAX_PAUSE_SECONDS",
    "PauseParse",
    "PausePiece",
    "TextPiece",
    "TextWarning",
    "format_pause",
    "parse_pauses",
    "split_pauses",
]

MAX_PAUSE_SECONDS = 30.0

_SP = r"[^\S\n]*"
_UNIT = r"ms|mili[ -]?gi[aâ]y|milli?seconds?|s|secs?|seconds?|gi[aâ]y"
_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{3})+(?![.,]?[0-9])|[0-9]+(?:[.,][0-9]+)?"
_DURATION = re.compile(f"(?i){_SP}:?{_SP}(?P<num>{_NUMBER}){_SP}(?P<unit>{_UNIT})?{_SP}")
# An opening "[nghỉ" either closes within 40 characters on its line (then the whole bracket is markup,
# well formed or not) or does not (then the opening and a duration right after it are removed).
_MARKUP = re.compile(
    rf"\[{_SP}(?i:nghỉ|nghi|pause)(?![^\W\d_])"
    rf"(?:(?P<body>[^\[\]\n]{{0,40}})\]|{_SP}:?{_SP}(?:(?:{_NUMBER}){_SP}(?i:{_UNIT})?(?![^\W\d_]))?)"
)


@dataclass(frozen=True)
class TextPiece:
    """Text to be spoken, from ``start`` to ``end`` of the text it was cut from.

    From :func:`split_pauses`, ``text`` is that stretch with any malformed markup in it replaced by a space
    (so the words around it do not join); from
    the script pipeline it is the spoken form and the offsets are in the officer's original text.
    """

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PausePiece:
    """Silence of ``seconds`` (0–30), written at ``start``–``end``."""

    seconds: float
    start: int
    end: int


@dataclass(frozen=True)
class TextWarning:
    """Something in the text the officer should look at, at ``start``–``end`` of their text.

    ``code`` is stable for the UI to translate: ``pause-malformed`` (removed, not read),
    ``pause-clamped`` (``detail`` is the written number of seconds) and ``unreadable`` (``detail`` is
    the kind: symbol, foreign, abbreviation, url, email). :attr:`message` is the English text for logs.
    """

    code: str
    start: int
    end: int
    excerpt: str
    detail: str = ""

    @property
    def message(self) -> str:
        where = f"at {self.start}–{self.end}"
        if self.code == "pause-malformed":
            return f"Pause markup {self.excerpt!r} {where} is not understood and was left out."
        if self.code == "pause-clamped":
            return f"Pause {self.excerpt!r} {where} ({self.detail} s) was shortened to {MAX_PAUSE_SECONDS:g} s."
        return f"The voice will probably misread {self.excerpt!r} {where} ({self.detail})."


@dataclass(frozen=True)
class PauseParse:
    """Text and pause pieces in order, the malformed markup that was cut out, and what to report."""

    pieces: tuple[TextPiece | PausePiece, ...]
    removed: tuple[tuple[int, int], ...]
    warnings: tuple[TextWarning, ...]


def _seconds(number: str, unit: str | None) -> float:
    if "," in number:
        value = float(number.replace(",", "."))
    elif re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", number):
        value = float(number.replace(".", ""))
    else:
        value = float(number)
    if unit and unit.lower().startswith("m"):
        value /= 1000
    return value


def parse_pauses(text: str) -> PauseParse:
    """Cut ``text`` at pause markup (see the module docstring). Never raises."""
    pieces: list[TextPiece | PausePiece] = []
    removed: list[tuple[int, int]] = []
    warnings: list[TextWarning] = []
    text_start = 0
    kept: list[str] = []
    cursor = 0

    def flush(end: int) -> None:
        nonlocal text_start
        kept.append(text[cursor:end])
        spoken = " ".join(kept)
        if spoken:
            pieces.append(TextPiece(spoken, text_start, end))
        kept.clear()

    for m in _MARKUP.finditer(text):
        start, end = m.span()
        duration = _DURATION.fullmatch(m["body"]) if m["body"] is not None else None
        if duration is None:
            removed.append((start, end))
            warnings.append(TextWarning("pause-malformed", start, end, m.group()))
            kept.append(text[cursor:start])
            cursor = end
            continue
        seconds = _seconds(duration["num"], duration["unit"])
        if seconds > MAX_PAUSE_SECONDS:
            warnings.append(TextWarning("pause-clamped", start, end, m.group(), f"{seconds:g}"))
            seconds = MAX_PAUSE_SECONDS
        flush(start)
        pieces.append(PausePiece(round(seconds, 3), start, end))
        text_start = cursor = end
    flush(len(text))
    return PauseParse(tuple(pieces), tuple(removed), tuple(warnings))


def split_pauses(text: str) -> list[TextPiece | PausePiece]:
    """Text and pause pieces of ``text`` in order; malformed markup is left out (see :func:`parse_pauses`
    for the warnings). Empty stretches between adjacent pauses give no text piece."""
    return list(parse_pauses(text).pieces)


def format_pause(seconds: float) -> str:
    """Canonical markup for a pause, which :func:`split_pauses` reads back as the same duration."""
    value = f"{round(seconds, 3):.3f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"[nghỉ {value} giây]"
