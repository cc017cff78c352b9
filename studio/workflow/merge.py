"""Combining two people's changes to one bulletin (several PCs): the second save is refused as stale, and the
officer may *merge* instead of choosing one side or saving a copy.

A three-way merge on the bulletin's parts: title, priority, and each segment. ``base`` is the content both
started from. A part changed on one side only takes that side; changed on both sides to the same value is
fine; changed on both sides differently is a conflict, and then nothing is merged (the officer keeps their
text, looks at the other version, or saves theirs as a copy — the studio never guesses between two
people's sentences). Segments are matched by position when neither side added, removed or moved any;
otherwise only one side may have changed the list of segments.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studio.bulletin import BulletinDraft, SegmentDraft


def _pick(base: Any, mine: Any, theirs: Any) -> tuple[bool, Any]:
    if mine in (theirs, base):
        return True, theirs
    if theirs == base:
        return True, mine
    return False, None


def merge(base: dict[str, Any], mine: BulletinDraft, theirs: BulletinDraft) -> BulletinDraft | None:
    """``theirs`` (id, version and state as stored) with ``mine``'s changes from ``base``; None on conflict."""
    ok_title, title = _pick(base.get("title"), mine.title, theirs.title)
    ok_priority, priority = _pick(base.get("priority"), mine.priority, theirs.priority)
    if not (ok_title and ok_priority):
        return None
    base_segments: list[dict[str, Any]] = list(base.get("segments", []))
    mine_content = [s.content() for s in mine.segments]
    theirs_content = [s.content() for s in theirs.segments]
    segments: tuple[SegmentDraft, ...]
    if len(base_segments) == len(mine_content) == len(theirs_content):
        merged: list[SegmentDraft] = []
        for old, own, other, own_segment, other_segment in zip(base_segments, mine_content, theirs_content,
                                                                 mine.segments, theirs.segments, strict=True):
            if own in (other, old):
                merged.append(other_segment)
            elif other == old:
                merged.append(own_segment)
            else:
                return None
        segments = tuple(merged)
    elif mine_content == base_segments:
        segments = theirs.segments
    elif theirs_content == base_segments:
        segments = mine.segments
    else:
        return None
    return replace(theirs, title=title, priority=priority, segments=segments)
