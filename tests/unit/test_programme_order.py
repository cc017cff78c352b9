"""Bilingual bulletins: where each translation plays, item by item or in language blocks."""

from __future__ import annotations

from studio.bulletin import SegmentDraft
from studio.render import programme_order


def seg(key: str, preset: str = "vi-north-offline", of: str | None = None, kind: str = "news") -> SegmentDraft:
    return SegmentDraft(f"text {key}", preset, kind, key=key, version_of=of)


def language(segment: SegmentDraft) -> str:
    return segment.preset_id.split("-")[0]


SEGMENTS = [
    seg("ident", kind="ident"),
    seg("n1"), seg("n1-thai", "twh-tavt-record", "n1"), seg("n1-mong", "hnj-rpa-record", "n1"),
    seg("n2"), seg("n2-mong", "hnj-rpa-record", "n2"), seg("n2-thai", "twh-tavt-record", "n2"),
    seg("closing", kind="closing"),
]


def keys(order: list[int]) -> list[str]:
    return [SEGMENTS[i].key for i in order]


def test_interleaved_puts_each_translation_after_its_item() -> None:
    assert keys(programme_order(SEGMENTS, "interleaved", language)) == [
        "ident", "n1", "n1-thai", "n1-mong", "n2", "n2-mong", "n2-thai", "closing"]


def test_blocks_play_every_item_then_each_language_in_turn() -> None:
    assert keys(programme_order(SEGMENTS, "blocks", language)) == [
        "ident", "n1", "n2", "n1-thai", "n2-thai", "n1-mong", "n2-mong", "closing"]


def test_translations_listed_before_their_item_still_follow_it() -> None:
    moved = [SEGMENTS[2], *SEGMENTS[:2], *SEGMENTS[3:]]  # the Thái version dragged to the top
    order = programme_order(moved, "interleaved", language)
    assert [moved[i].key for i in order][:4] == ["ident", "n1", "n1-thai", "n1-mong"]


def test_unknown_or_chained_originals_leave_a_segment_where_it_is() -> None:
    odd = [seg("a"), seg("b", of="gone"), seg("c", of="a"), seg("d", of="c")]  # d translates a translation
    assert [odd[i].key for i in programme_order(odd, "interleaved", language)] == ["a", "c", "b", "d"]
    assert sorted(programme_order(odd, "blocks", language)) == [0, 1, 2, 3]  # nothing lost or doubled
