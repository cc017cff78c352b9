"""A bulletin of 10,000 segments: the repository stores and loads it whole (it may arrive from another PC's
database or an older studio), but the studio refuses to make one — a bulletin holds at most MAX_SEGMENTS
segments, whatever makes it (a save, a template, a bulletin file) — and refuses to render one, at once and
with a message. Time and peak memory are printed (``-s``) for docs/quality.md."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from studio.bulletin import MAX_SEGMENTS, TOO_MANY_SEGMENTS, BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.render import TOO_MANY
from studio.services import Studio

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

T = TypeVar("T")
COUNT = 10_000


def measured(what: str, job: Callable[[], T]) -> T:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return job()
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"\n{what}: {seconds:.2f} s, peak Python memory {peak / 2**20:.0f} MB")


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    opened = Studio.open(StudioPaths.under(tmp_path / "home").ensure())
    opened.ensure_library()
    yield opened
    opened.close()


def huge(studio: Studio, count: int = COUNT) -> BulletinDraft:
    station = studio.station()
    segments = tuple(SegmentDraft(f"Tin số {i}: UBND xã thông báo lịch tiêm chủng ngày 2/9 tại thôn {i % 12}.",
                                  station.default_preset, "news") for i in range(count))
    return BulletinDraft(f"Bản tin {count} đoạn", station.id, segments, schedule=studio.new_schedule(station))


def test_the_repository_keeps_a_10000_segment_bulletin_whole(studio: Studio) -> None:
    draft = huge(studio)
    saved = measured(f"repository save, {COUNT} segments", lambda: studio.repo.save(draft))
    loaded = measured(f"repository load, {COUNT} segments", lambda: studio.repo.load(saved.id or 0))
    assert [s.text for s in loaded.segments] == [s.text for s in draft.segments]
    assert len({s.key for s in loaded.segments}) == COUNT


def test_the_studio_refuses_to_make_or_render_a_bulletin_over_the_limit(studio: Studio, tmp_path: Path) -> None:
    before = studio.repo.list_bulletins()
    with pytest.raises(StudioError) as refused:
        measured("save_bulletin refusing 10,000 segments", lambda: studio.save_bulletin(huge(studio)))
    assert refused.value.text == TOO_MANY_SEGMENTS
    assert f"has {COUNT} segments; a bulletin holds at most {MAX_SEGMENTS}" in str(refused.value)
    assert "Split it into several bulletins" in str(refused.value)
    assert studio.repo.list_bulletins() == before  # nothing half-saved

    at_limit = studio.save_bulletin(huge(studio, MAX_SEGMENTS))  # the limit itself is fine
    assert len(studio.repo.load(at_limit.id or 0).segments) == MAX_SEGMENTS
    extra = SegmentDraft("Thêm một tin.", at_limit.segments[0].preset_id)
    one_more = at_limit.with_segments([*at_limit.segments, extra])
    with pytest.raises(StudioError):
        studio.save_bulletin(one_more)
    assert len(studio.repo.load(at_limit.id or 0).segments) == MAX_SEGMENTS  # the stored version is intact

    stored = studio.repo.save(huge(studio))  # e.g. from another PC's database
    started = time.perf_counter()
    with pytest.raises(StudioError) as unrenderable:
        studio.render_bulletin(stored.id or 0)
    assert unrenderable.value.text == TOO_MANY and time.perf_counter() - started < 30
