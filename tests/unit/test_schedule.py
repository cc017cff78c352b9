"""The schedule model: slots, validity, expansion to concrete times, and what the approval binds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.workflow.schedule import (
    ENDS_BEFORE_START,
    NO_DAYS,
    NO_END,
    OUTSIDE,
    TOO_LONG,
    Schedule,
    Slot,
    StationSchedule,
    Zone,
    approval_hash,
)

MON_SAT = (0, 1, 2, 3, 4, 5)
ICT = timezone(timedelta(hours=7))


def test_station_defaults_are_the_usual_slots_monday_to_saturday() -> None:
    schedule = StationSchedule().new_schedule(date(2026, 11, 23))  # a Monday
    assert [s.label() for s in schedule.slots] == ["05:30 Mon–Sat", "17:00 Mon–Sat"]
    assert (schedule.valid_from, schedule.valid_until) == (date(2026, 11, 23), date(2026, 11, 29))
    times = schedule.occurrences()
    assert len(times) == 12  # six days, two slots, no Sunday
    assert times[0] == datetime(2026, 11, 23, 5, 30, tzinfo=ICT)
    assert all(t.weekday() != 6 for t in times)
    assert times[-1] == datetime(2026, 11, 28, 17, 0, tzinfo=ICT)


def test_the_communes_today_is_local_time() -> None:
    late_evening_utc = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # 03:00 on the 23rd in Vietnam
    assert StationSchedule().local_today(late_evening_utc) == date(2026, 11, 23)


def test_dated_slots_and_weekly_slots_merge_without_duplicates() -> None:
    schedule = Schedule((Slot(time(5, 30), days=(0,)), Slot(time(5, 30), date=date(2026, 11, 23)),
                         Slot(time(19, 15), date=date(2026, 11, 24))),
                        date(2026, 11, 23), date(2026, 11, 24))
    assert schedule.occurrences() == [datetime(2026, 11, 23, 5, 30, tzinfo=ICT),
                                      datetime(2026, 11, 24, 19, 15, tzinfo=ICT)]
    assert schedule.problems() == []


def test_unusable_schedules_are_explained() -> None:
    assert (NO_END, {}) in Schedule((Slot(time(5, 30), days=MON_SAT),)).problems()
    backwards = Schedule((), date(2026, 11, 30), date(2026, 11, 1))
    assert (ENDS_BEFORE_START, {}) in backwards.problems()
    too_long = Schedule((Slot(time(5, 30), days=MON_SAT),), date(2026, 1, 1), date(2026, 12, 31))
    assert (TOO_LONG, {"days": "92"}) in too_long.problems()
    assert len(too_long.occurrences()) <= 92 * 1
    no_days = Schedule((Slot(time(6, 0)),), date(2026, 11, 23), date(2026, 11, 24))
    assert (NO_DAYS, {"time": "06:00"}) in no_days.problems()
    outside = Schedule((Slot(time(6, 0), date=date(2026, 12, 24)),), date(2026, 11, 23), date(2026, 11, 24))
    assert (OUTSIDE, {"date": "2026-12-24"}) in outside.problems()
    assert outside.occurrences() == []


def test_content_round_trips_and_is_canonical() -> None:
    schedule = Schedule((Slot(time(17, 0), days=(5, 0, 1)), Slot(time(5, 30), days=MON_SAT)),
                        date(2026, 11, 23), date(2026, 11, 29), (Zone("z3", "Thôn 3"),), repeat=2)
    again = Schedule.from_content(schedule.content())
    assert again == schedule
    # the order slots were entered in does not change the content
    reordered = Schedule((schedule.slots[1], schedule.slots[0]), schedule.valid_from, schedule.valid_until,
                         schedule.zones, 2)
    assert reordered.content() == schedule.content()
    assert "Thôn 3" in schedule.summary() and "2 times per slot" in schedule.summary()


def test_approval_binds_the_schedule_but_a_render_does_not() -> None:
    week = StationSchedule().new_schedule(date(2026, 11, 23))
    draft = BulletinDraft("Tin", 1, (SegmentDraft("Xin chào", "vi-north-offline"),), schedule=week)
    moved = BulletinDraft("Tin", 1, draft.segments, schedule=week.for_dates(date(2026, 11, 30)))
    assert draft.sound_content() == moved.sound_content()
    assert draft.content() != moved.content()
    sound = "a" * 64
    assert approval_hash(sound, draft.schedule) != approval_hash(sound, moved.schedule)
    assert approval_hash(sound, None) == sound  # approvals from before schedules existed stay valid
