"""The audit chain's rules, on plain values: what counts as an edit, a deletion, a reordering."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from studio.workflow.audit import (
    BROKEN_LINK,
    EDITED,
    GENESIS,
    AuditRecord,
    ChainReport,
    audit_csv,
    audit_html,
    canonical_details,
    canonical_time,
    day_bounds,
    entry_hash,
    verify_chain,
)

START = datetime(2026, 5, 9, 0, 30, tzinfo=UTC)


def chain(n: int, *, actor: str = "can-bo") -> list[AuditRecord]:
    records: list[AuditRecord] = []
    prev = GENESIS
    for i in range(n):
        at = START + timedelta(minutes=i, microseconds=i)
        details = canonical_details({"n": i, "lufs": -16.05 + i / 10})
        digest = entry_hash(at, actor, "bulletin.save", f"bulletin:{i}", details, prev)
        records.append(AuditRecord(i + 1, at, actor, "bulletin.save", f"bulletin:{i}", details, prev, digest))
        prev = digest
    return records


def test_intact_chain_is_ok_and_reports_the_final_hash() -> None:
    records = chain(5)
    assert verify_chain(records) == ChainReport(True, 5, records[-1].hash)


def test_empty_chain_is_intact() -> None:
    assert verify_chain([]) == ChainReport(True, 0, GENESIS)


def test_edited_entry_is_named() -> None:
    records = chain(5)
    records[2] = replace(records[2], actor="mallory")
    report = verify_chain(records)
    assert (report.ok, report.broken_id, report.problem) == (False, 3, EDITED)
    assert report.last_hash == records[1].hash


@pytest.mark.parametrize("change", [
    {"details": {"n": 2, "lufs": -15.85}},
    {"at": START + timedelta(minutes=2, microseconds=3)},  # one microsecond off
    {"prev_hash": "0" * 64},
    {"subject": "bulletin:other"},
])
def test_any_field_edit_breaks_the_entry(change: dict[str, object]) -> None:
    records = chain(4)
    records[2] = replace(records[2], **change)  # type: ignore[arg-type]
    assert (verify_chain(records).broken_id, verify_chain(records).problem) == (3, EDITED)


def test_edit_with_a_recomputed_hash_breaks_the_next_link() -> None:
    records = chain(4)
    forged = replace(records[1], actor="mallory")
    records[1] = replace(forged, hash=entry_hash(forged.at, forged.actor, forged.action, forged.subject,
                                                 forged.details, forged.prev_hash))
    report = verify_chain(records)
    assert (report.broken_id, report.problem) == (3, BROKEN_LINK)


def test_deleted_entry_is_found_at_its_successor() -> None:
    records = chain(5)
    del records[2]
    report = verify_chain(records)
    assert (report.ok, report.broken_id, report.problem, report.count) == (False, 4, BROKEN_LINK, 3)


def test_deleting_the_first_entries_is_found() -> None:
    report = verify_chain(chain(5)[2:])
    assert (report.broken_id, report.problem) == (3, BROKEN_LINK)


def test_reordered_entries_are_found() -> None:
    records = chain(5)
    records[1], records[2] = records[2], records[1]
    report = verify_chain(records)
    assert (report.broken_id, report.problem) == (3, BROKEN_LINK)


def test_a_fork_two_entries_on_one_predecessor_is_found() -> None:
    records = chain(3)
    twin_at = records[2].at + timedelta(seconds=1)
    twin = AuditRecord(4, twin_at, "pc2", "bulletin.save", "x", {}, records[1].hash,
                       entry_hash(twin_at, "pc2", "bulletin.save", "x", {}, records[1].hash))
    report = verify_chain([*records, twin])
    assert (report.broken_id, report.problem) == (4, BROKEN_LINK)


def test_hash_does_not_depend_on_the_zone_the_time_comes_back_in() -> None:
    vietnam = timezone(timedelta(hours=7))
    at = datetime(2026, 5, 9, 7, 0, tzinfo=UTC)
    assert canonical_time(at) == canonical_time(at.astimezone(vietnam)) == "2026-05-09T07:00:00.000000Z"
    assert entry_hash(at, "a", "b", "c", {}, "") == entry_hash(at.astimezone(vietnam), "a", "b", "c", {}, "")
    with pytest.raises(ValueError):
        canonical_time(at.replace(tzinfo=None))


def test_details_are_stored_as_a_json_column_returns_them() -> None:
    stored = canonical_details({"b": (1, 2), 3: "ba", "lufs": -16.049999999999997, "tiny": 1e-7})
    assert stored == {"b": [1, 2], "3": "ba", "lufs": -16.049999999999997, "tiny": 1e-7}
    shuffled = dict(reversed(stored.items()))
    assert entry_hash(START, "a", "b", "c", stored, "") == entry_hash(START, "a", "b", "c", shuffled, "")
    with pytest.raises(ValueError):
        canonical_details({"loudness": math.nan})


def test_day_bounds_are_vietnam_calendar_days() -> None:
    since, until = day_bounds(date(2026, 5, 9), date(2026, 5, 10))
    assert since == datetime(2026, 5, 8, 17, 0, tzinfo=UTC)
    assert until == datetime(2026, 5, 10, 17, 0, tzinfo=UTC)


def test_csv_has_a_bom_vietnam_times_and_no_live_formulas() -> None:
    records = chain(2, actor="Nguyễn Thị Hòa")
    records[1] = replace(records[1], actor="=HYPERLINK(\"http://x\")")
    data = audit_csv(records)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "Thời gian (giờ Việt Nam)"
    assert rows[1][:3] == ["2026-05-09 07:30:00", "Nguyễn Thị Hòa", "bulletin.save"]
    assert rows[2][1] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][5] == records[0].hash
    assert '"lufs": -16.05' in rows[1][4]


def test_html_escapes_everything_and_states_the_verification() -> None:
    records = chain(2)
    records[0] = replace(records[0], actor="<script>alert('x')</script>",
                         details={"note": "</td><img src=x onerror=alert(1)>"})
    page = audit_html(records, station="Đài xã <b>Hòa Bình</b>", first=date(2026, 5, 9), last=date(2026, 5, 9),
                      report=ChainReport(False, 1, "", 1, EDITED), generated_at=START)
    assert "<script>" not in page and "<img" not in page and "<b>Hòa" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Đài xã &lt;b&gt;Hòa Bình&lt;/b&gt;" in page
    assert "Từ ngày 09/05/2026 đến ngày 09/05/2026" in page
    assert "KHÔNG còn nguyên vẹn" in page and "mục số 1" in page
    assert records[-1].hash in page
    assert "@media print" in page


def test_html_of_an_empty_range_says_so() -> None:
    page = audit_html([], station="Đài xã", first=date(2026, 5, 9), last=date(2026, 5, 9),
                      report=ChainReport(True, 0, ""), generated_at=START)
    assert "Không có thao tác nào" in page and "nguyên vẹn" in page
