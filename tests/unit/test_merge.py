"""Three-way merge of two people's edits to one bulletin: disjoint changes combine, overlapping ones refuse."""

from __future__ import annotations

from dataclasses import replace

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.workflow.merge import merge

P = "vi-north-offline"
BASE = BulletinDraft("Bản tin sáng", 1, (SegmentDraft("Một.", P, "news"), SegmentDraft("Hai.", P, "news"),
                                         SegmentDraft("Ba.", P, "notice")), id=7, version=3)


def _with(draft: BulletinDraft, index: int, text: str) -> BulletinDraft:
    segments = list(draft.segments)
    segments[index] = replace(segments[index], text=text)
    return replace(draft, segments=tuple(segments))


def test_edits_to_different_segments_combine_on_top_of_the_stored_version() -> None:
    mine = _with(BASE, 0, "Một, đã sửa.")
    theirs = replace(_with(BASE, 2, "Ba, máy khác sửa."), version=4, title="Bản tin sáng thứ hai")
    merged = merge(BASE.content(), mine, theirs)
    assert merged is not None
    assert [s.text for s in merged.segments] == ["Một, đã sửa.", "Hai.", "Ba, máy khác sửa."]
    assert merged.title == "Bản tin sáng thứ hai" and merged.version == 4


def test_the_same_segment_changed_differently_is_a_conflict() -> None:
    assert merge(BASE.content(), _with(BASE, 1, "Hai A."), _with(BASE, 1, "Hai B.")) is None
    assert merge(BASE.content(), _with(BASE, 1, "Hai A."), _with(BASE, 1, "Hai A.")) is not None  # same change
    assert merge(BASE.content(), replace(BASE, title="A"), replace(BASE, title="B")) is None


def test_segment_list_changes_merge_only_when_one_side_touched_segments() -> None:
    added = replace(BASE, segments=(*BASE.segments, SegmentDraft("Bốn.", P, "closing")))
    merged = merge(BASE.content(), added, replace(BASE, priority="priority"))
    assert merged is not None and len(merged.segments) == 4 and merged.priority == "priority"
    assert merge(BASE.content(), added, _with(BASE, 0, "Một khác.")) is None
