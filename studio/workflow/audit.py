"""The tamper-evident audit log: how an entry is hashed, how the chain is checked, how it is exported.

Every entry's hash covers its own fields and the previous entry's hash, so changing, deleting or
reordering a stored row breaks the chain at that row. Verification recomputes each hash from what the
database hands back, on SQLite and on PostgreSQL alike, so the hashed form is canonical:

- the time as UTC ISO 8601 with microseconds (``2026-05-09T07:30:05.123456Z``), whatever zone the
  driver returns it in;
- ``details`` as JSON with sorted keys and no NaN/Infinity; :func:`canonical_details` gives the value to
  *store* as well, so what is hashed is exactly what a JSON column returns (tuples become lists, keys
  strings, values JSON cannot hold their text);
- a version tag first, so a later change of form can be told apart.

Row ids are not hashed and gaps in them prove nothing (a PostgreSQL sequence skips on rollback); only the
hash links are evidence. The chain cannot reveal that the *newest* entries were removed: the final hash
printed on an export is the anchor to compare against.

Exports are for the commune's records: a CSV that Excel on Windows opens with Vietnamese intact (UTF-8
with a byte order mark) and a printable HTML page. Times there are Vietnam local time.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HASH_FORM = "studio-audit/2"
GENESIS = ""  # the prev_hash of the first entry

EDITED = "edited"  # the entry's hash does not match its fields
BROKEN_LINK = "deleted/reordered"  # the entry does not follow the one before it


def _vietnam_zone() -> tzinfo:
    """Asia/Ho_Chi_Minh from the system or the ``tzdata`` package; UTC+7 (unchanged since 1975) without either."""
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # pragma: no cover - Windows without tzdata
        return timezone(timedelta(hours=7), "ICT")


VIETNAM = _vietnam_zone()


@dataclass(frozen=True)
class AuditRecord:
    """One stored audit entry, as read back from the database."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of :func:`verify_chain`.

    ``count`` is the number of entries read up to and including ``broken_id`` (all of them when ``ok``);
    ``last_hash`` is the hash of the last intact entry. ``problem`` is :data:`EDITED` or :data:`BROKEN_LINK`.
    """

    ok: bool
    count: int
    last_hash: str
    broken_id: int | None = None
    problem: str | None = None


def canonical_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime: audit times are aware UTC")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` as a JSON column will return it: store this value and hash this value.

    NaN and infinities are refused (PostgreSQL's JSON type rejects them), so every stored value survives
    the round trip through either database unchanged.
    """
    text = json.dumps(details, ensure_ascii=False, default=str, allow_nan=False)
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError("audit details must be a mapping")
    return value


def entry_hash(at: datetime, actor: str, action: str, subject: str, details: Mapping[str, Any],
               prev_hash: str) -> str:
    """The sha256 (hex) that chains an entry to ``prev_hash``; ``details`` as :func:`canonical_details` gave it.

    Lenient on purpose (any JSON value, even one edited into the database by hand, hashes without an
    error): strictness belongs to appending, where :func:`canonical_details` is applied.
    """
    payload = json.dumps([HASH_FORM, canonical_time(at), actor, action, subject, details, prev_hash],
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record_hash(record: AuditRecord) -> str:
    return entry_hash(record.at, record.actor, record.action, record.subject, record.details, record.prev_hash)


def verify_chain(entries: Iterable[AuditRecord], *, start_hash: str = GENESIS) -> ChainReport:
    """Check entries in id order; stop at the first that was edited or does not follow its predecessor.

    ``start_hash`` is the hash the first entry must point back to: :data:`GENESIS` for the whole log.
    ``entries`` may be a stream: it is read once, one entry at a time.
    """
    previous = start_hash
    count = 0
    for record in entries:
        count += 1
        if record_hash(record) != record.hash:
            return ChainReport(False, count, previous, record.id, EDITED)
        if record.prev_hash != previous:
            return ChainReport(False, count, previous, record.id, BROKEN_LINK)
        previous = record.hash
    return ChainReport(True, count, previous)


# --- dates -------------------------------------------------------------------------------------------
def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds ``[since, until)`` covering Vietnam calendar days ``first`` to ``last`` inclusive."""
    since = datetime.combine(first, time(), VIETNAM).astimezone(UTC)
    until = datetime.combine(last + timedelta(days=1), time(), VIETNAM).astimezone(UTC)
    return since, until


def local_time(at: datetime) -> datetime:
    return at.astimezone(VIETNAM)


# --- exports -----------------------------------------------------------------------------------------
CSV_HEADER = ("Thời gian (giờ Việt Nam)", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết", "Mã băm")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text Excel will not run as a formula (OWASP's advice: prefix an apostrophe)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def details_text(details: Mapping[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


def audit_csv(entries: Iterable[AuditRecord]) -> bytes:
    """The entries as CSV: UTF-8 with a byte order mark, CRLF lines, times in Vietnam local time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for record in entries:
        writer.writerow([local_time(record.at).strftime("%Y-%m-%d %H:%M:%S"), _cell(record.actor),
                         _cell(record.action), _cell(record.subject), _cell(details_text(record.details)),
                         record.hash])
    return buffer.getvalue().encode("utf-8-sig")


ACTION_LABELS = {
    "station.create": "Tạo đài",
    "station.jingle": "Đổi nhạc hiệu",
    "station.bed_kinds": "Đổi loại mục có nhạc nền",
    "bulletin.create": "Tạo bản tin",
    "bulletin.save": "Lưu bản tin",
    "bulletin.delete": "Xóa bản tin",
    "render.create": "Dựng âm thanh",
    "target.create": "Thêm nơi nhận",
    "delivery.done": "Gửi thành công",
    "delivery.failed": "Gửi thất bại",
}

PROBLEM_LABELS = {
    EDITED: "mục này đã bị sửa sau khi ghi",
    BROKEN_LINK: "mục đứng trước đã bị xóa hoặc thứ tự các mục bị đảo",
}

_PRINT_CSS = """
body { font-family: "Times New Roman", "Noto Serif", serif; font-size: 12pt; margin: 1.5cm; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 .3em; text-transform: uppercase; }
p.station, p.range { text-align: center; margin: .2em 0; }
table { width: 100%; border-collapse: collapse; margin: 1em 0; font-size: 10pt; }
th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.time { white-space: nowrap; }
code, td.details { font-family: "Consolas", "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.action small { color: #444; }
.ok { font-weight: bold; }
.broken { font-weight: bold; color: #a00; }
.signatures { display: flex; justify-content: space-around; margin-top: 2em; text-align: center; }
.signatures div { width: 40%; min-height: 6em; }
@page { size: A4 landscape; margin: 1.2cm; }
@media print { body { margin: 0; } }
"""


def _verification_html(report: ChainReport) -> str:
    if report.ok:
        return (f'<span class="ok">Toàn bộ nhật ký nguyên vẹn</span> ({report.count} mục đã được kiểm tra; '
                f"chưa phát hiện mục nào bị sửa, xóa hay đảo thứ tự).")
    problem = PROBLEM_LABELS.get(report.problem or "", report.problem or "")
    return (f'<span class="broken">Nhật ký KHÔNG còn nguyên vẹn</span>: tại mục số {report.broken_id}, '
            f"{html.escape(problem)}.")


def _head_html(report: ChainReport) -> str:
    if not report.ok:
        return ""
    return f"<p>Mã băm cuối của toàn bộ nhật ký: <code>{html.escape(report.last_hash or '—')}</code></p>"


def audit_html(entries: Sequence[AuditRecord], *, station: str, first: date, last: date, report: ChainReport,
               generated_at: datetime) -> str:
    """A printable page of ``entries`` (Vietnamese headings), every value HTML-escaped.

    ``report`` is the verification of the whole log at export time; the page also prints the hash of the
    last entry in the range, so a later reader can check the log still contains it unchanged.
    """
    esc = html.escape
    rows = []
    for record in entries:
        label = ACTION_LABELS.get(record.action)
        action = (f"{esc(label)}<br><small>{esc(record.action)}</small>" if label else esc(record.action))
        rows.append(
            "<tr>"
            f'<td class="id">{record.id}</td>'
            f'<td class="time">{local_time(record.at).strftime("%d/%m/%Y %H:%M:%S")}</td>'
            f'<td class="actor">{esc(record.actor)}</td>'
            f'<td class="action">{action}</td>'
            f'<td class="subject">{esc(record.subject)}</td>'
            f'<td class="details">{esc(details_text(record.details))}</td>'
            "</tr>")
    body = "\n".join(rows) or '<tr><td colspan="6">Không có thao tác nào trong khoảng thời gian này.</td></tr>'
    final = entries[-1].hash if entries else "—"
    title = "Nhật ký thao tác"
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{esc(title)} – {esc(station)} – {first:%d/%m/%Y}–{last:%d/%m/%Y}</title>
<style>{_PRINT_CSS}</style>
</head>
<body>
<h1>{esc(title)}</h1>
<p class="station">{esc(station)}</p>
<p class="range">Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y} (giờ Việt Nam)</p>
<table>
<thead><tr><th>Số</th><th>Thời gian</th><th>Người thực hiện</th><th>Thao tác</th><th>Đối tượng</th>
<th>Chi tiết</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
<p>Số mục trong khoảng thời gian: {len(entries)}.</p>
<p>Kiểm tra chuỗi mã băm: {_verification_html(report)}</p>
<p>Mã băm của mục cuối cùng trong khoảng thời gian: <code>{esc(final)}</code></p>
{_head_html(report)}
<p>Xuất lúc {local_time(generated_at):%H:%M:%S ngày %d/%m/%Y}.</p>
<div class="signatures"><div><strong>Người lập</strong><br><em>(Ký, ghi rõ họ tên)</em></div>
<div><strong>Lãnh đạo UBND xã</strong><br><em>(Ký, ghi rõ họ tên, đóng dấu)</em></div></div>
</body>
</html>
"""
