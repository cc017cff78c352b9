"""A render lays the bulletin out as a radio programme: stingers, a ducked bed, gaps and crossfades.

The layout recorded with the render is checked against the file itself (ffprobe duration) and against
what the officer set on the segments.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from studio.audio.codec import decode
from studio.bulletin import BulletinDraft, SegmentDraft
from studio.config import VOICE_PROCESSING
from studio.paths import StudioPaths
from studio.programme import ProgrammeLayout
from studio.services import Studio
from tests.oracles import ffprobe

pytestmark = pytest.mark.slow

PRESET = "vi-north-offline"


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


def _bulletin(studio: Studio, *segments: SegmentDraft) -> BulletinDraft:
    return studio.repo.save(BulletinDraft("Bản tin thử", studio.station().id, segments))


NEWS_1 = SegmentDraft("Tin thứ nhất: xã tổ chức tiêm phòng cho trẻ em.", PRESET, "news")
NEWS_2 = SegmentDraft("Tin thứ hai: đường liên thôn đã được sửa xong.", PRESET, "news")
NOTICE = SegmentDraft("Thông báo: sáng mai cắt điện từ bảy giờ đến chín giờ. Đề nghị bà con chú ý.",
                      PRESET, "notice")
CLOSING = SegmentDraft("Buổi phát thanh đến đây là hết.", PRESET, "closing")


def _render(studio: Studio, draft: BulletinDraft) -> ProgrammeLayout:
    info, result = studio.render_bulletin(draft.id or 0)
    layout = studio.layout_of(info)
    assert layout is not None
    assert result.layout is not None and layout == ProgrammeLayout.from_json(result.layout.to_json())
    assert float(ffprobe(result.audio)["format"]["duration"]) == pytest.approx(layout.duration, abs=0.06)
    return layout


def test_stinger_between_news_and_a_ducked_bed_under_the_notice(studio: Studio) -> None:
    layout = _render(studio, _bulletin(studio, NEWS_1, NEWS_2, NOTICE, CLOSING))
    kinds = [(item.kind, item.number) for item in layout.items]
    assert kinds == [("jingle", None), ("speech", 1), ("stinger", None), ("speech", 2), ("silence", None),
                     ("speech", 3), ("silence", None), ("speech", 4), ("jingle", None)]
    assert [bed.label for bed in layout.beds] == ["bed"]
    bed = layout.beds[0]
    notice = layout.items[5]
    assert bed.start == pytest.approx(layout.items[4].start, abs=0.01)  # the intro before the voice
    assert bed.start < notice.start - 1.9 and bed.end > notice.end + 1.4
    assert bed.duck_at(bed.start + 0.5) == 0.0  # full level before anyone speaks
    assert bed.duck_at(notice.start + notice.duration / 2) == pytest.approx(-12.0, abs=0.01)
    assert bed.duck_at(bed.end - 0.05) == 0.0  # back up after the voice
    assert -40.0 <= bed.gain_db <= 0.0
    stinger_gap = layout.items[2].start - layout.items[1].end
    assert stinger_gap == pytest.approx(studio.profile().jingle_gap, abs=0.001)


def test_the_officers_gap_and_crossfade_are_what_the_render_lays_out(studio: Studio) -> None:
    segments = (NEWS_1, replace(NEWS_2, gap=3.0, bed=False), replace(CLOSING, crossfade=0.3))
    studio.set_station_jingle("stinger", "")
    layout = _render(studio, _bulletin(studio, *segments))
    speech = [item for item in layout.items if item.kind == "speech"]
    assert speech[1].gap == pytest.approx(3.0, abs=0.001)
    assert speech[1].start - speech[0].end == pytest.approx(3.0, abs=0.001)
    assert speech[2].crossfade == pytest.approx(0.3, abs=0.001)
    assert speech[1].end - speech[2].start == pytest.approx(0.3, abs=0.001)
    assert layout.beds == ()


def test_changing_the_station_stinger_makes_the_render_out_of_date(studio: Studio) -> None:
    draft = _bulletin(studio, NEWS_1, NEWS_2)
    studio.render_bulletin(draft.id or 0)
    assert studio.current_render(draft.id or 0) is not None
    studio.set_station_jingle("stinger", "")
    assert studio.current_render(draft.id or 0) is None


def test_a_second_render_reuses_voiced_segments_and_sounds_the_same(studio: Studio) -> None:
    """Voicing is cached per segment: the re-render voices nothing and is sample-identical; a change of
    voice processing voices every segment again."""
    draft = _bulletin(studio, NEWS_1, NOTICE)
    cache = studio.voiced_cache
    first = studio.render_draft(draft, studio.paths.renders / "first.mp3")
    assert (cache.hits, cache.misses) == (0, 2)
    second = studio.render_draft(draft, studio.paths.renders / "second.mp3")
    assert (cache.hits, cache.misses) == (2, 2)
    assert decode(first.audio).samples.tobytes() == decode(second.audio).samples.tobytes()
    studio.settings.set(VOICE_PROCESSING, "neutral" if studio.profile().voice_processing == "horn" else "horn")
    studio.render_draft(draft, studio.paths.renders / "third.mp3")
    assert (cache.hits, cache.misses) == (2, 4)
