"""Text that remembers where each of its characters came from, so problems point at what was typed.

The script pipeline rewrites a segment several times before a voice sees it (Unicode NFC, the station's
and the preset's lexicons, the normaliser), yet what it reports — an unreadable "@", a malformed pause —
must be highlighted in the text the officer typed. :class:`TrackedText` carries, for every character,
the span of the original text it was produced from: unchanged characters keep their own span, every
character of a replacement gets the span of what it replaced, an insertion gets an empty span where it
was inserted. Spans therefore never decrease from one character to the next, which keeps
:meth:`TrackedText.span` O(1).

:class:`PlainText` has the same small interface (:class:`Rewritable`) without the bookkeeping; the
normaliser's rules are written once against that interface and run on either.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

__all__ = ["Edit", "PlainText", "Replace", "Rewritable", "TrackedText", "clean_text", "nfc_pieces"]

Edit = tuple[int, int, str]  # replace text[start:end] by the string
Replace = Callable[[re.Match[str]], str]

_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFC, every run of whitespace one space, nothing leading or trailing: the normaliser's canonical form."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


class Rewritable(Protocol):
    """A text that rules rewrite in place (see the module docstring)."""

    @property
    def text(self) -> str: ...

    def sub(self, pattern: re.Pattern[str], replace: Replace) -> None: ...

    def edit(self, edits: Iterable[Edit]) -> None: ...

    def clean(self) -> None: ...


class PlainText:
    """:class:`Rewritable` over a bare string: exactly ``re.sub`` and :func:`clean_text`, nothing tracked."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def sub(self, pattern: re.Pattern[str], replace: Replace) -> None:
        self.text = pattern.sub(replace, self.text)

    def edit(self, edits: Iterable[Edit]) -> None:
        parts: list[str] = []
        last = 0
        for start, end, replacement in edits:
            parts += (self.text[last:start], replacement)
            last = end
        if parts:
            self.text = "".join(parts) + self.text[last:]

    def clean(self) -> None:
        self.text = clean_text(self.text)


def nfc_pieces(text: str) -> list[tuple[int, int, str]]:
    """Cut ``text`` into pieces whose NFC forms, concatenated, are the NFC of the whole.

    Pieces start at characters of combining class 0, so an accent is mapped with its letter; where NFC
    also joins two such characters (Hangul jamo, some Indic vowel signs) the cut falls back to before
    whitespace, which never composes with anything, and at worst to the whole text.
    """
    whole = unicodedata.normalize("NFC", text)
    for starts_here in (lambda ch: unicodedata.combining(ch) == 0, str.isspace):
        bounds = [i for i, ch in enumerate(text) if i == 0 or starts_here(ch)] + [len(text)]
        pieces = [(s, e, unicodedata.normalize("NFC", text[s:e])) for s, e in itertools.pairwise(bounds)]
        if "".join(p[2] for p in pieces) == whole:
            return pieces
    return [(0, len(text), whole)]


class TrackedText:
    """A text plus, for each character, the ``(start, end)`` span of the original it came from."""

    __slots__ = ("_end", "_ends", "_starts", "_text")

    def __init__(self, text: str, starts: list[int], ends: list[int], end: int) -> None:
        self._text, self._starts, self._ends, self._end = text, starts, ends, end

    @classmethod
    def original(cls, text: str) -> TrackedText:
        """The NFC form of ``text`` (the pipeline's first step), tracked back to offsets in ``text``."""
        tracked = cls(text, list(range(len(text))), list(range(1, len(text) + 1)), len(text))
        tracked.nfc()
        return tracked

    @classmethod
    def concat(cls, parts: Sequence[TrackedText]) -> TrackedText:
        """Join tracked texts (typically slices of one text, some of them rewritten) in order."""
        starts: list[int] = []
        ends: list[int] = []
        for part in parts:
            starts += part._starts
            ends += part._ends
        return cls("".join(p._text for p in parts), starts, ends, parts[-1]._end if parts else 0)

    @property
    def text(self) -> str:
        return self._text

    def __len__(self) -> int:
        return len(self._text)

    def point(self, index: int) -> int:
        """The original offset at which text position ``index`` (0 ≤ index ≤ len) begins."""
        return self._starts[index] if index < len(self._text) else self._end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that produced ``text[start:end]`` (an empty range gives an empty span)."""
        if start >= end:
            at = self.point(start)
            return at, at
        return self._starts[start], self._ends[end - 1]

    def slice(self, start: int, end: int) -> TrackedText:
        return TrackedText(self._text[start:end], self._starts[start:end], self._ends[start:end], self.point(end))

    def edit(self, edits: Iterable[Edit]) -> None:
        """Apply sorted, non-overlapping replacements; an edit that changes nothing keeps exact spans."""
        text, old_starts, old_ends = self._text, self._starts, self._ends
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = 0
        for start, end, replacement in edits:
            if text[start:end] == replacement:
                continue
            a, b = self.span(start, end)
            parts += (text[last:start], replacement)
            starts += old_starts[last:start]
            starts += [a] * len(replacement)
            ends += old_ends[last:start]
            ends += [b] * len(replacement)
            last = end
        if not parts:
            return
        parts.append(text[last:])
        starts += old_starts[last:]
        ends += old_ends[last:]
        self._text, self._starts, self._ends = "".join(parts), starts, ends

    def sub(self, pattern: re.Pattern[str], replace: Replace) -> None:
        """``re.sub`` with tracking (``finditer`` finds the same matches as ``sub`` since Python 3.7)."""
        self.edit([(m.start(), m.end(), replace(m)) for m in pattern.finditer(self._text)])

    def nfc(self) -> None:
        if not unicodedata.is_normalized("NFC", self._text):
            self.edit(nfc_pieces(self._text))

    def clean(self) -> None:
        """:func:`clean_text`, tracked."""
        self.nfc()
        self.sub(_WHITESPACE, lambda m: " ")
        if self._text.endswith(" "):
            self.edit([(len(self._text) - 1, len(self._text), "")])
        if self._text.startswith(" "):
            self.edit([(0, 1, "")])
