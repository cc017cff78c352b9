"""What changed between two saved revisions of a bulletin: its settings, and each segment's text and settings.

A reviewer compares revisions to see what the officer changed since the last approval, so the diff
reads the way the officer edited: segments are matched by their text, not their position (a segment
inserted at the top is one insertion, a segment moved down is one move), and a matched segment's text
is compared word by word. Settings are compared with their defaults filled in, because a snapshot
(:meth:`~studio.bulletin.BulletinDraft.content`) leaves out timing fields that are at their default:
"absent" and "default" mean the same and must not show as a change.

Everything here is plain data and pure functions, so the comparison runs in a worker thread and in
tests without Qt. Long texts are first compared sentence by sentence, so a 200 kB segment costs little
more than reading it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any, Literal

from studio.bulletin import BulletinDraft, SegmentDraft

TextTag = Literal["equal", "insert", "delete", "replace"]
SegmentStatus = Literal["equal", "changed", "inserted", "deleted"]

#: Above this many tokens (words, punctuation, spaces) on either side, text is compared sentence by
#: sentence first and word by word only within sentences that differ.
WORD_LEVEL_LIMIT = 1200
#: Share of words two segments (or sentences) must have in common to count as one edited, not replaced.
SIMILAR = 0.5
#: Largest block of unmatched segments (old × new) paired by best similarity; bigger ones pair in order.
MAX_PAIRING = 10_000
_SOFT_CHUNK, _HARD_CHUNK = 64, 256
_SENTENCE_END = frozenset(".!?…;:")


@dataclass(frozen=True)
class RevisionInfo:
    """One saved revision, as a list of revisions shows it. ``created_at`` is an aware (UTC) time;
    ``author`` the display name of who saved it ("" when unknown or the account is gone)."""

    number: int
    created_at: datetime
    author: str = ""
    content_hash: str = ""


@dataclass(frozen=True)
class TextOp:
    """A run of text: ``equal`` (``old == new``), ``insert`` (``old == ""``), ``delete`` (``new == ""``)
    or ``replace``. Joining the ``old`` parts gives the old text exactly, the ``new`` parts the new one."""

    tag: TextTag
    old: str
    new: str


@dataclass(frozen=True)
class SettingChange:
    """A setting (``title``, ``priority``, ``preset_id``, ``gap`` …) whose value differs, defaults filled in."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class SegmentDiff:
    """One segment in the comparison: matched in both revisions, or only in one.

    ``old_index``/``new_index`` are its 0-based positions (None where it is absent). ``moved`` is set when
    it changed places relative to the segments around it. ``old``/``new`` hold all its settings (text
    excluded), defaults filled in, for showing its voice and kind next to the text.
    """

    status: SegmentStatus
    old_index: int | None
    new_index: int | None
    text: tuple[TextOp, ...] = ()
    settings: tuple[SettingChange, ...] = ()
    moved: bool = False
    old: Mapping[str, object] | None = None
    new: Mapping[str, object] | None = None

    @property
    def changed(self) -> bool:
        return self.status != "equal" or self.moved


@dataclass(frozen=True)
class RevisionDiff:
    """The whole comparison: bulletin settings that changed, then every segment in reading order (the new
    order, with removed segments where they used to be)."""

    settings: tuple[SettingChange, ...]
    segments: tuple[SegmentDiff, ...]

    @property
    def changed(self) -> bool:
        return bool(self.settings) or any(s.changed for s in self.segments)

    def count(self, status: SegmentStatus) -> int:
        return sum(1 for s in self.segments if s.status == status)

    @property
    def moved(self) -> int:
        return sum(1 for s in self.segments if s.moved)


# --- settings ----------------------------------------------------------------------------------
def _defaults(cls: type) -> tuple[list[str], dict[str, object]]:
    """Field order and defaults of a draft class: the one place they are declared (fields that are not
    compared, such as a segment's key, are not content and are left out)."""
    order = [f.name for f in fields(cls) if f.compare]
    return order, {f.name: f.default for f in fields(cls) if f.compare and f.default is not MISSING}


SEGMENT_ORDER, SEGMENT_DEFAULTS = _defaults(SegmentDraft)
BULLETIN_ORDER, BULLETIN_DEFAULTS = _defaults(BulletinDraft)


def segment_settings(segment: Mapping[str, Any]) -> dict[str, object]:
    """A segment's settings (everything but its text), defaults filled in."""
    settings = {key: value for key, value in SEGMENT_DEFAULTS.items() if key != "text"}
    settings.update((key, value) for key, value in segment.items() if key != "text")
    return settings


def _same(old: object, new: object) -> bool:
    if isinstance(old, bool) != isinstance(new, bool):  # True == 1 in Python, not in a setting
        return False
    return old == new


def compare_settings(old: Mapping[str, object], new: Mapping[str, object],
                     order: Sequence[str] = ()) -> tuple[SettingChange, ...]:
    """Changed keys of two settings mappings, in ``order`` and then alphabetically (missing keys are None)."""
    known = [key for key in order if key in old or key in new]
    rest = sorted((set(old) | set(new)) - set(known))
    return tuple(SettingChange(key, old.get(key), new.get(key)) for key in known + rest
                 if not _same(old.get(key), new.get(key)))


def _bulletin_settings(snapshot: Mapping[str, Any], keys: set[str]) -> dict[str, object]:
    """The snapshot's values of ``keys`` (those of both snapshots), defaults filled in."""
    settings = {key: BULLETIN_DEFAULTS[key] for key in keys if key in BULLETIN_DEFAULTS}
    settings.update((key, snapshot[key]) for key in keys if key in snapshot)
    return settings


def _segments(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    listed = snapshot.get("segments") or []
    return [s for s in listed if isinstance(s, Mapping)]


# --- tokens and similarity ------------------------------------------------------------------------
@cache
def _token_pattern() -> re.Pattern[str]:
    """Words (letters, digits and their combining marks: Vietnamese tones in NFD, Khmer and Tai Viet
    vowel signs), runs of whitespace, and single punctuation marks."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000)
                    if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me") and not chr(c).isalnum())
    escaped = re.escape(marks)
    return re.compile(rf"[\w{escaped}]+|\s+|[^\w\s{escaped}]")


def tokenize(text: str) -> list[str]:
    """``text`` (NFC) as words, whitespace runs and punctuation; joining the tokens gives the text back."""
    return _token_pattern().findall(unicodedata.normalize("NFC", text))


def _words(tokens: Sequence[str]) -> Counter[str]:
    return Counter(t.casefold() for t in tokens if not t.isspace())


def similarity(old: Counter[str], new: Counter[str]) -> float:
    """Share of words in common (0–1), ignoring order: cheap enough for any length of text."""
    total = old.total() + new.total()
    if not total:
        return 1.0
    return 2 * (old & new).total() / total


# --- aligning sequences of items (segments, sentences) ----------------------------------------
Pair = tuple[int | None, int | None]


def _pair_block(old: Sequence[Counter[str]], new: Sequence[Counter[str]], i0: int, j0: int) -> list[Pair]:
    """Pair the unmatched items of a replaced block where they are similar, keeping their order.

    Small blocks take the order-preserving pairing with the greatest total similarity; big ones pair
    position by position. Unpaired old items come before unpaired new ones at the same place.
    """
    m, n = len(old), len(new)
    if m * n > MAX_PAIRING:
        pairs: list[Pair] = []
        for k in range(max(m, n)):
            if k < m and k < n and similarity(old[k], new[k]) >= SIMILAR:
                pairs.append((i0 + k, j0 + k))
            else:
                pairs += [(i0 + k, None)] if k < m else []
                pairs += [(None, j0 + k)] if k < n else []
        return pairs
    sim = [[similarity(a, b) for b in new] for a in old]
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            if sim[i - 1][j - 1] >= SIMILAR:
                best = max(best, score[i - 1][j - 1] + sim[i - 1][j - 1])
            score[i][j] = best
    steps: list[Pair] = []
    i, j = m, n
    while i or j:
        if i and j and sim[i - 1][j - 1] >= SIMILAR and score[i][j] == score[i - 1][j - 1] + sim[i - 1][j - 1]:
            steps.append((i0 + i - 1, j0 + j - 1))
            i, j = i - 1, j - 1
        elif j and score[i][j] == score[i][j - 1]:
            steps.append((None, j0 + j - 1))
            j -= 1
        else:
            steps.append((i0 + i - 1, None))
            i -= 1
    steps.reverse()
    return steps


def align(old_keys: Sequence[Hashable], new_keys: Sequence[Hashable], old_words: Sequence[Counter[str]],
          new_words: Sequence[Counter[str]], *, autojunk: bool) -> list[Pair]:
    """Match two sequences: identical items by :class:`difflib.SequenceMatcher`, then similar ones among
    what is left in each replaced block. Returns (old index, new index) pairs in order, None for absent."""
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=autojunk)
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        elif tag == "delete":
            pairs += [(i, None) for i in range(i1, i2)]
        elif tag == "insert":
            pairs += [(None, j) for j in range(j1, j2)]
        else:
            pairs += _pair_block(old_words[i1:i2], new_words[j1:j2], i1, j1)
    return pairs


# --- text ----------------------------------------------------------------------------------------
def _op(old: str, new: str) -> TextOp:
    if old == new:
        return TextOp("equal", old, new)
    return TextOp("insert" if not old else "delete" if not new else "replace", old, new)


def _tidy(ops: list[TextOp]) -> tuple[TextOp, ...]:
    """Merge neighbouring changes, and changes separated only by whitespace, into one run each."""
    out: list[TextOp] = []
    for op in ops:
        if not op.old and not op.new:
            continue
        if out and (op.tag == "equal") == (out[-1].tag == "equal"):  # two equal runs, or two changes
            out[-1] = _op(out[-1].old + op.old, out[-1].new + op.new)
        elif (op.tag != "equal" and len(out) >= 2 and out[-1].tag == "equal" and out[-1].old.isspace()
              and out[-2].tag != "equal"):
            gap = out.pop()
            out[-1] = _op(out[-1].old + gap.old + op.old, out[-1].new + gap.new + op.new)
        else:
            out.append(op)
    return tuple(out)


_SLIDE = 64  # characters an insertion or removal may slide to sit on a better boundary


def _boundary_score(text: str, at: int, whole: bool) -> int:
    """How natural a cut of ``text`` before index ``at`` is (after diff-match-patch's semantic cleanup):
    the text's edge 6, blank line 5, line break 4, after a sentence 3, at a space 2, at punctuation 1,
    inside a word 0. ``whole``: ``text`` reaches the real edge of the text on the side cut at."""
    if at <= 0 or at >= len(text):
        return 6 if whole else 0
    one, two = text[at - 1], text[at]
    if text[max(0, at - 2):at] == "\n\n" or text[at:at + 2] == "\n\n":
        return 5
    if one == "\n" or two == "\n":
        return 4
    if not one.isalnum() and not one.isspace() and two.isspace():
        return 3
    if one.isspace() or two.isspace():
        return 2
    return 1 if not one.isalnum() or not two.isalnum() else 0


def _slide(before: str, edit: str, after: str) -> tuple[str, str, str]:
    """Slide a lone insertion or removal between two equal runs to its most natural place: "A. B." →
    "A. C. B." marks " C." inserted, not ". C". The texts joined stay the same; words are never split."""
    left, right = before[-_SLIDE:], after[:_SLIDE]
    text, n = left + edit + right, len(edit)
    start = len(left)
    while start > 0 and text[start - 1] == text[start + n - 1]:
        start -= 1
    at_start, at_end = len(left) == len(before), len(right) == len(after)

    def score(pos: int) -> int:
        first, second = _boundary_score(text, pos, at_start), _boundary_score(text, pos + n, at_end)
        return -1 if pos != len(left) and (first == 0 or second == 0) else first + second

    best, best_score, pos = start, score(start), start
    while pos + n < len(text) and text[pos] == text[pos + n]:
        pos += 1
        if score(pos) >= best_score:
            best, best_score = pos, score(pos)
    if best == len(left):
        return before, edit, after
    return (before[:len(before) - len(left)] + text[:best], text[best:best + n],
            text[best + n:] + after[len(right):])


def _slide_all(ops: tuple[TextOp, ...]) -> list[TextOp]:
    out = list(ops)
    for k, op in enumerate(out):
        if op.tag not in ("insert", "delete"):
            continue
        before = out[k - 1].old if k > 0 and out[k - 1].tag == "equal" else None
        after = out[k + 1].old if k + 1 < len(out) and out[k + 1].tag == "equal" else None
        if (k > 0 and before is None) or (k + 1 < len(out) and after is None):
            continue
        new_before, edit, new_after = _slide(before or "", op.old or op.new, after or "")
        if k > 0:
            out[k - 1] = _op(new_before, new_before)
        out[k] = _op("", edit) if op.tag == "insert" else _op(edit, "")
        if k + 1 < len(out):
            out[k + 1] = _op(new_after, new_after)
    return out


def _word_ops(old: Sequence[str], new: Sequence[str]) -> list[TextOp]:
    # Whitespace is junk: it cannot anchor a match (every gap between words would), only extend one.
    # No autojunk: in short Vietnamese text the most frequent syllables ("của", "và") must still match.
    matcher = difflib.SequenceMatcher(str.isspace, old, new, autojunk=False)
    return [_op("".join(old[i1:i2]), "".join(new[j1:j2])) for _tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def _chunks(tokens: Sequence[str]) -> list[list[str]]:
    """Sentences (and lines), each with its trailing whitespace. A run-on text is cut after words
    chosen by their content, so cuts stay put when words are inserted before them."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        current.append(token)
        if not token.isspace():
            continue
        previous = current[-2] if len(current) > 1 else ""
        if ("\n" in token or previous in _SENTENCE_END or len(current) >= _HARD_CHUNK
                or (len(current) >= _SOFT_CHUNK and zlib.crc32(previous.encode("utf-8")) % 16 == 0)):
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _chunked_ops(old: Sequence[str], new: Sequence[str]) -> list[TextOp]:
    """Long texts: sentences matched first (autojunk on: a sentence repeated all over is boilerplate and
    must not make the matcher quadratic), then words within sentence blocks that differ."""
    old_chunks, new_chunks = _chunks(old), _chunks(new)
    old_keys = ["".join(c) for c in old_chunks]
    new_keys = ["".join(c) for c in new_chunks]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=True)
    ops: list[TextOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_keys[i1:i2]), "".join(new_keys[j1:j2])
        if tag != "replace":
            ops.append(_op(old_text, new_text))
            continue
        old_tokens = [t for c in old_chunks[i1:i2] for t in c]
        new_tokens = [t for c in new_chunks[j1:j2] for t in c]
        if len(old_tokens) <= WORD_LEVEL_LIMIT and len(new_tokens) <= WORD_LEVEL_LIMIT:
            ops += _word_ops(old_tokens, new_tokens)
            continue
        old_words = [_words(c) for c in old_chunks[i1:i2]]
        new_words = [_words(c) for c in new_chunks[j1:j2]]
        for i, j in _pair_block(old_words, new_words, i1, j1):
            if i is not None and j is not None:
                ops += _word_ops(old_chunks[i], new_chunks[j])
            else:
                ops.append(_op(old_keys[i] if i is not None else "", new_keys[j] if j is not None else ""))
    return ops


def diff_text(old: str, new: str) -> tuple[TextOp, ...]:
    """Word-level differences of two texts (compared in NFC), whitespace kept for display."""
    old, new = unicodedata.normalize("NFC", old), unicodedata.normalize("NFC", new)
    if old == new:
        return (TextOp("equal", old, new),) if old else ()
    a, b = tokenize(old), tokenize(new)
    prefix = 0
    while prefix < len(a) and prefix < len(b) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(a) - prefix and suffix < len(b) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    ops = [_op("".join(a[:prefix]), "".join(b[:prefix]))]
    if not middle_a or not middle_b:
        ops.append(_op("".join(middle_a), "".join(middle_b)))
    elif len(middle_a) <= WORD_LEVEL_LIMIT and len(middle_b) <= WORD_LEVEL_LIMIT:
        ops += _word_ops(middle_a, middle_b)
    else:
        ops += _chunked_ops(middle_a, middle_b)
    ops.append(_op("".join(a[len(a) - suffix:]), "".join(b[len(b) - suffix:])))
    return _tidy(_slide_all(_tidy(ops)))


# --- segments and the whole bulletin ---------------------------------------------------------------
def _text(segment: Mapping[str, Any]) -> str:
    return unicodedata.normalize("NFC", str(segment.get("text") or ""))


def _moves(pairs: list[Pair], old_texts: Sequence[str], new_texts: Sequence[str],
           old_words: Sequence[Counter[str]], new_words: Sequence[Counter[str]]) -> dict[int, int]:
    """Removed and inserted segments that are one segment moved: new index → old index."""
    removed = [i for i, j in pairs if j is None and i is not None]
    inserted = [j for i, j in pairs if i is None and j is not None]
    moves: dict[int, int] = {}
    by_text: dict[str, list[int]] = {}
    for i in removed:
        by_text.setdefault(old_texts[i], []).append(i)
    for j in inserted:
        if by_text.get(new_texts[j]):
            moves[j] = by_text[new_texts[j]].pop(0)
    left_old = [i for i in removed if i not in moves.values()]
    left_new = [j for j in inserted if j not in moves]
    if len(left_old) * len(left_new) <= MAX_PAIRING:
        candidates = sorted(((similarity(old_words[i], new_words[j]), i, j) for i in left_old for j in left_new),
                            key=lambda c: (-c[0], c[2], c[1]))
        taken: set[int] = set()
        for score, i, j in candidates:
            if score >= SIMILAR and i not in taken and j not in moves:
                moves[j] = i
                taken.add(i)
    return moves


def _segment_diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, old_index: int | None,
                  new_index: int | None, moved: bool = False) -> SegmentDiff:
    if new is None:
        assert old is not None
        text = _text(old)
        return SegmentDiff("deleted", old_index, None, (_op(text, ""),) if text else (), old=segment_settings(old))
    if old is None:
        text = _text(new)
        return SegmentDiff("inserted", None, new_index, (_op("", text),) if text else (), new=segment_settings(new))
    old_settings, new_settings = segment_settings(old), segment_settings(new)
    ops = diff_text(_text(old), _text(new))
    settings = compare_settings(old_settings, new_settings, SEGMENT_ORDER)
    changed = bool(settings) or any(op.tag != "equal" for op in ops)
    return SegmentDiff("changed" if changed else "equal", old_index, new_index, ops, settings, moved,
                       old_settings, new_settings)


def diff_revisions(old: Mapping[str, Any], new: Mapping[str, Any]) -> RevisionDiff:
    """Compare two revision snapshots (:meth:`BulletinDraft.content` data).

    Bulletin settings are every top-level key but ``segments``, compared generically. Segments are matched
    by text (identical first, then similar), so insertions, removals and moves show as such; a removed
    and an inserted segment with the same or similar text are reported as one moved segment.
    """
    keys = (set(old) | set(new)) - {"segments"}
    settings = compare_settings(_bulletin_settings(old, keys), _bulletin_settings(new, keys), BULLETIN_ORDER)
    old_segments, new_segments = _segments(old), _segments(new)
    old_texts, new_texts = [_text(s) for s in old_segments], [_text(s) for s in new_segments]
    old_words = [_words(tokenize(t)) for t in old_texts]
    new_words = [_words(tokenize(t)) for t in new_texts]
    pairs = align(old_texts, new_texts, old_words, new_words, autojunk=False)
    moves = _moves(pairs, old_texts, new_texts, old_words, new_words)
    moved_from = set(moves.values())
    segments: list[SegmentDiff] = []
    for i, j in pairs:
        if j is None:
            if i is not None and i not in moved_from:
                segments.append(_segment_diff(old_segments[i], None, i, None))
        elif i is None and j in moves:
            segments.append(_segment_diff(old_segments[moves[j]], new_segments[j], moves[j], j, moved=True))
        else:
            segments.append(_segment_diff(old_segments[i] if i is not None else None, new_segments[j], i, j))
    return RevisionDiff(settings, tuple(segments))


#: Loads the revisions of a bulletin, oldest first (for the comparison window; may be slow).
LoadRevisions = Callable[[int], list[RevisionInfo]]
#: Loads one revision's snapshot by bulletin id and revision number.
LoadSnapshot = Callable[[int, int], Mapping[str, Any]]
