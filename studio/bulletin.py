"""Bulletins as plain values: what the editor edits, the store saves and the renderer reads.

These frozen dataclasses cross thread boundaries (a render worker gets a snapshot, never a live ORM
object). :func:`content_hash` is the fingerprint of everything that shapes the broadcast; revisions,
renders and (later) approvals are bound to it.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from studio.i18n import QT_TRANSLATE_NOOP

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


def clean_text(text: str) -> str:
    """Store text as NFC with Unix newlines: the same words always hash the same way."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class SegmentDraft:
    """One spoken item. ``preset_id`` picks language, engine and voice."""

    text: str
    preset_id: str
    kind: str = "news"
    source: str = "tts"

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_text(self.text))
        if self.kind not in SEGMENT_KINDS:
            object.__setattr__(self, "kind", "news")


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", clean_text(self.title).strip())
        if self.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {self.priority!r}")

    def with_segments(self, segments: list[SegmentDraft] | tuple[SegmentDraft, ...]) -> BulletinDraft:
        return replace(self, segments=tuple(segments))

    def content(self) -> dict[str, Any]:
        """Everything that shapes the broadcast, as canonical JSON-able data."""
        return {
            "title": self.title,
            "priority": self.priority,
            "segments": [asdict(s) for s in self.segments],
        }


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def bulletin_hash(bulletin: BulletinDraft) -> str:
    return content_hash(bulletin.content())
