"""Bulletins as plain values: what the editor edits, the store saves and the renderer reads.

These frozen dataclasses cross thread boundaries (a render worker gets a snapshot, never a live ORM
object). :func:`content_hash` is the fingerprint of everything that shapes the broadcast; revisions,
renders and (later) approvals are bound to it.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from studio.hashing import content_hash
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.workflow.schedule import Schedule

MAX_GAP = 10.0  # seconds of silence an officer may put before a segment
# A bulletin is read top to bottom in minutes (3–15, DOMAIN.md); 500 items is far beyond any programme, and
# the editor builds one card per segment (a few seconds for 500): more is refused where a bulletin is made.
MAX_SEGMENTS = 500
TOO_MANY_SEGMENTS = QT_TRANSLATE_NOOP(
    "Messages", "The bulletin “{title}” has {count} segments; a bulletin holds at most {limit}."
)
TOO_MANY_SEGMENTS_HINT = QT_TRANSLATE_NOOP("Messages", "Split it into several bulletins.")
MAX_CROSSFADE = 5.0
PRIORITIES = ("normal", "priority", "emergency")
SEGMENT_KINDS = ("ident", "greeting", "news", "notice", "closing")
SEGMENT_KIND_LABELS = {
    "ident": QT_TRANSLATE_NOOP("Bulletin", "Station ident"),
    "greeting": QT_TRANSLATE_NOOP("Bulletin", "Greeting"),
    "news": QT_TRANSLATE_NOOP("Bulletin", "News item"),
    "notice": QT_TRANSLATE_NOOP("Bulletin", "Notice"),
    "closing": QT_TRANSLATE_NOOP("Bulletin", "Closing"),
}
PRIORITY_LABELS = {
    "normal": QT_TRANSLATE_NOOP("Bulletin", "Normal"),
    "priority": QT_TRANSLATE_NOOP("Bulletin", "Priority"),
    "emergency": QT_TRANSLATE_NOOP("Bulletin", "Emergency"),
}


def new_segment_key() -> str:
    """A segment's lasting name: its takes stay with it while text, order and voice change."""
    return uuid.uuid4().hex


def clean_text(text: str) -> str:
    """Store text as NFC with Unix newlines: the same words always hash the same way."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class SegmentDraft:
    """One spoken item. ``preset_id`` picks language, engine and voice.

    Its place on the programme timeline: ``gap`` seconds of silence before it (None: the station's
    default gap), or a ``crossfade`` of that many seconds with the item before it (a crossfade replaces
    the gap); ``bed`` puts the station's music bed under it (None: the station's rule for its kind).

    ``take`` is the sha256 of the chosen recorded take (its cleaned audio in the media library): when set,
    the programme plays the recording instead of a synthetic voice, and the approval covers that exact
    recording. ``key`` names the segment across saves (its takes belong to it); it is not content.
    ``version_of`` makes the segment a translation of another one (that segment's key): the same item in
    another language, placed by the station's bilingual order (after its original, or in language blocks).
    """

    text: str
    preset_id: str
    kind: str = "news"
    source: str = "tts"
    gap: float | None = None
    crossfade: float = 0.0
    bed: bool | None = None
    take: str | None = None
    key: str = field(default="", compare=False)
    version_of: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_text(self.text))
        if self.kind not in SEGMENT_KINDS:
            object.__setattr__(self, "kind", "news")
        if self.gap is not None:
            object.__setattr__(self, "gap", min(MAX_GAP, max(0.0, round(float(self.gap), 3))))
        object.__setattr__(self, "crossfade", min(MAX_CROSSFADE, max(0.0, round(float(self.crossfade), 3))))

    def content(self) -> dict[str, Any]:
        """The segment as canonical data; timeline fields only when set, so older content hashes stay valid."""
        data: dict[str, Any] = {"text": self.text, "preset_id": self.preset_id, "kind": self.kind,
                                "source": self.source}
        if self.gap is not None:
            data["gap"] = self.gap
        if self.crossfade:
            data["crossfade"] = self.crossfade
        if self.bed is not None:
            data["bed"] = self.bed
        if self.take is not None:
            data["take"] = self.take
        if self.version_of is not None:
            data["version_of"] = self.version_of
        return data


def check_segment_count(title: str, count: int) -> None:
    """Raise :class:`StudioError` for a bulletin of more than :data:`MAX_SEGMENTS` segments (whatever made it:
    a template, a text file, another PC's database, a bulletin file)."""
    if count > MAX_SEGMENTS:
        raise StudioError(TOO_MANY_SEGMENTS, hint=TOO_MANY_SEGMENTS_HINT, title=title or "-", count=count,
                          limit=MAX_SEGMENTS)


@dataclass(frozen=True)
class BulletinDraft:
    """A bulletin's content plus the identifiers needed to save it again.

    ``id`` is None until first saved; ``version`` is the optimistic-lock version it was loaded at.
    """

    title: str
    station_id: int
    segments: tuple[SegmentDraft, ...] = ()
    priority: str = "normal"
    id: int | None = None
    uid: str = ""
    state: str = "draft"
    version: int = 0
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    schedule: Schedule | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", clean_text(self.title).strip())
        if self.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {self.priority!r}")

    def with_segments(self, segments: list[SegmentDraft] | tuple[SegmentDraft, ...]) -> BulletinDraft:
        return replace(self, segments=tuple(segments))

    def content(self) -> dict[str, Any]:
        """Everything the officer edits, as canonical JSON-able data: the sound (:meth:`sound_content`) and,
        when set, the schedule (only when set, so older content hashes stay valid)."""
        data = self.sound_content()
        if self.schedule is not None:
            data["schedule"] = self.schedule.content()
        return data

    def sound_content(self) -> dict[str, Any]:
        """What shapes the broadcast sound: a render is bound to it; the schedule is not part of it (moving
        a slot needs a new approval, not a new render)."""
        return {
            "title": self.title,
            "priority": self.priority,
            "segments": [s.content() for s in self.segments],
        }


def bulletin_hash(bulletin: BulletinDraft) -> str:
    return content_hash(bulletin.content())
