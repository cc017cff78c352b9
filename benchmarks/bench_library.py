"""Library search and open with 10,000 bulletins, on SQLite and PostgreSQL, against the same SQL run raw.

    .venv/bin/python -m benchmarks.bench_library [--bulletins 10000] [--repeat 25] [--opens 200]
                                                 [--no-postgres | --postgres-url URL]

Issue 10 asks how the library feels with years of bulletins. The library is filled with ``--bulletins``
bulletins in Vietnamese (3–12 segments of one to five sentences each, some with a Khmer, Cantonese or
recorded minority-language item; mixed states, priorities and dates over three years; one revision each).
The first one per cent go through ``Repository.save``, the studio's own path; the rest are inserted in bulk
with the same folded ``search_text`` that ``save`` writes (checked against the saved ones), for speed.

Measured, each through the studio's real code and, interleaved with it, as the same SQL statement through
the raw DB-API driver (``sqlite3`` / ``psycopg``, one connection, autocommit) on the same database:

- ``Repository.list_bulletins(search, state, priority=…, presets=…, updated_since=…)`` exactly as the
  library panel calls it (``studio/ui/library.py``): the whole list (the library opens, and again after
  every save), searches with and without diacritics ("thong bao" finds "Thông báo"), several words, a rare
  word, no match, and the state, priority, language and date filters;
- ``Repository.load(id)`` as opening a bulletin does (``MainWindow._load``), on ``--opens`` random bulletins.

The ratio (studio ÷ raw, of the medians) is the price of the studio's layers (SQLAlchemy session and ORM,
the UTC conversion, the summaries); the absolute times are what the officer feels. The corpus is dropped and
the garbage collector frozen before measuring, as the studio freezes it once its window is up. Target: a search over
10,000 bulletins answers in under 100 ms (median) on SQLite on this machine. SQLite is a file in a temporary
data directory, as on an officer's PC; PostgreSQL is a throw-away cluster on 127.0.0.1 (``tests/postgres.py``,
fsync off), analysed after the bulk load as autovacuum would soon do.
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text, update

from benchmarks.bench_synthesis import machine
from studio.bulletin import PRIORITIES, BulletinDraft, SegmentDraft
from studio.config import Settings
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.models import Bulletin, Revision, Segment
from studio.text.fold import fold
from studio.workflow.schedule import Schedule

TARGET_MS = 100.0
VIETNAMESE = ("vi-north-offline", "vi-north-female", "vi-north-male", "vi-south-offline", "vi-central-offline")
KHMER = ("km-female", "km-male")

# --- the corpus ------------------------------------------------------------------------------------------------

TOPICS = [
    "lịch tiêm chủng mở rộng cho trẻ em", "kế hoạch ra quân làm đường giao thông nông thôn",
    "tạm ngừng cấp điện để sửa chữa đường dây", "phòng chống rét cho trâu bò", "khám tuyển nghĩa vụ quân sự",
    "phòng chống dịch sốt xuất huyết", "thu thuế sử dụng đất phi nông nghiệp", "cấp đổi căn cước công dân",
    "tập huấn kỹ thuật trồng lúa vụ đông xuân", "phòng chống cháy rừng mùa khô", "diệt chuột bảo vệ mùa màng",
    "bầu cử trưởng thôn nhiệm kỳ mới", "hội thi văn nghệ quần chúng", "vệ sinh môi trường, thu gom rác thải",
    "chi trả trợ cấp cho người cao tuổi", "phòng chống bão và áp thấp nhiệt đới", "an toàn giao thông dịp lễ",
    "tiêm phòng dại cho chó mèo", "đăng ký hộ kinh doanh", "cảnh báo lừa đảo qua điện thoại",
]
SENTENCES = [
    "Ủy ban nhân dân xã {commune} thông báo tới toàn thể bà con nhân dân trong xã được biết.",
    "Trạm y tế xã mở cửa từ {hour} giờ sáng đến mười một giờ trưa các ngày trong tuần, trừ chủ nhật.",
    "Đề nghị các gia đình có trẻ em từ sáu đến ba mươi sáu tháng tuổi đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng.",
    "Hội Nông dân xã tổ chức tập huấn kỹ thuật tại hội trường thôn {village} vào sáng thứ năm tuần này.",
    "Bà con chú ý che chắn chuồng trại, dự trữ rơm rạ và thức ăn cho trâu bò trong những ngày giá rét.",
    "Đoàn Thanh niên ra quân làm đường giao thông nông thôn, mời bà con thôn {village} cùng tham gia.",
    "Ban chỉ huy quân sự xã thông báo lịch khám tuyển nghĩa vụ quân sự cho thanh niên trong độ tuổi.",
    "Chi nhánh điện lực thông báo tạm ngừng cấp điện từ {hour} giờ đến mười lăm giờ ngày {day} tháng {month}.",
    "Mọi thắc mắc xin liên hệ cán bộ văn hóa xã qua số điện thoại của ủy ban trong giờ hành chính.",
    "Theo dự báo của Đài khí tượng thủy văn tỉnh, trong ba ngày tới khu vực xã có mưa to đến rất to.",
    "Các hộ gia đình ở vùng trũng thấp, ven sông suối cần chủ động di chuyển người và tài sản đến nơi an toàn.",
    "Nguy cơ lũ quét và sạt lở đất ở các thôn vùng cao là rất lớn, bà con tuyệt đối không vượt suối khi nước lên.",
    "Đề nghị bà con thực hiện tốt việc phát quang bụi rậm, khơi thông cống rãnh, diệt bọ gậy quanh nhà.",
    "Hạn cuối nộp hồ sơ là ngày {day} tháng {month}, quá thời hạn trên ủy ban sẽ không giải quyết.",
    "Công an xã khuyến cáo bà con không cung cấp mã xác thực, số tài khoản ngân hàng cho người lạ qua điện thoại.",
    "Buổi lễ sẽ được tổ chức tại nhà văn hóa thôn {village} vào lúc {hour} giờ sáng chủ nhật.",
    "Xin trân trọng cảm ơn bà con đã lắng nghe, chúc bà con mạnh khỏe và sản xuất giỏi.",
    "Kính thưa bà con, đây là Đài truyền thanh xã {commune}, bản tin hôm nay gồm các nội dung sau.",
    "Người dân đến làm thủ tục mang theo giấy tờ tùy thân bản chính và sổ hộ khẩu hoặc giấy xác nhận cư trú.",
    "Mỗi hộ cử một người tham gia, mang theo cuốc, xẻng và dụng cụ lao động cần thiết.",
    "Tổ dân phố và các chi hội phối hợp kiểm tra, nhắc nhở các hộ chưa thực hiện.",
    "Sáng nay, đồng chí Chủ tịch Ủy ban nhân dân xã đã đi kiểm tra tình hình sản xuất vụ đông tại các thôn.",
    "Giá lúa thường trên địa bàn tuần qua ổn định, giá phân bón tăng nhẹ so với tháng trước.",
    "Trường mầm non xã thông báo tuyển sinh năm học mới cho trẻ từ hai mươi bốn tháng tuổi.",
]
TITLES = [
    "Thông báo {topic}", "Bản tin sáng {weekday} ngày {day}/{month}", "Bản tin chiều {weekday} ngày {day}/{month}",
    "Khẩn: {topic}", "Kế hoạch {topic} thôn {village}", "Thông báo của Ủy ban nhân dân xã về {topic}",
    "Tin vắn ngày {day}/{month}", "Lịch {topic} tháng {month}",
]
WEEKDAYS = ["thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "chủ nhật"]
COMMUNES = ["Hòa Bình", "Tân Lập", "Đồng Tâm", "Yên Thịnh", "Quảng Phú"]
MINORITY = [
    ("km-female", "សេចក្តីជូនដំណឹងរបស់គណៈកម្មាធិការប្រជាជនឃុំ ស្តីពីកាលវិភាគចាក់ថ្នាំបង្ការសម្រាប់កុមារ។"),
    ("yue-female", "社委會通知：兒童疫苗接種時間表，請家長準時帶小朋友到衛生站。"),
    ("hnj-rpa-record", "Tsab ntawv ceeb toom ntawm pawg thawj tswj hwm zej zos txog kev txhaj tshuaj."),
    ("blt-latn-record", "Pák tinh báo khửn hướn bản, mọi cốn pay hết khuông."),
    ("tyz-record", "Slướng bạo slấư tỉnh: bươn nẩy mì phân phôn slắc."),
]
STATES = [("draft", 30), ("submitted", 8), ("changes_requested", 4), ("approved", 6), ("rendered", 7),
          ("delivered", 40), ("withdrawn", 5)]
PRIORITY_WEIGHTS = [80, 15, 5]


@dataclass(frozen=True)
class Made:
    """A bulletin of the corpus and the row facts the studio's review would have given it."""

    draft: BulletinDraft
    state: str
    updated_at: datetime


def corpus(count: int, station_id: int, schedule: Schedule, *, seed: int = 10) -> list[Made]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    made = []
    for _ in range(count):
        fill = {"topic": rng.choice(TOPICS), "weekday": rng.choice(WEEKDAYS), "day": rng.randint(1, 28),
                "month": rng.randint(1, 12), "village": rng.randint(1, 12), "commune": rng.choice(COMMUNES),
                "hour": rng.choice(["bảy", "tám", "chín", "mười", "mười ba", "mười bốn"])}
        voice = rng.choice(VIETNAMESE)
        segments = []
        for position in range(rng.randint(3, 12)):
            sentences = rng.choices(SENTENCES, k=rng.randint(1, 5))
            kind = "ident" if position == 0 else rng.choice(("news", "news", "notice"))
            segments.append(SegmentDraft(" ".join(s.format(**fill) for s in sentences), voice, kind))
        if rng.random() < 0.12:  # an item in a minority language, after the Vietnamese
            preset, line = rng.choice(MINORITY)
            segments.insert(rng.randint(1, len(segments)), SegmentDraft(line, preset, "notice"))
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
        age = timedelta(days=rng.random() ** 1.5 * 3 * 365, seconds=rng.randint(0, 86_399))
        made.append(Made(BulletinDraft(rng.choice(TITLES).format(**fill), station_id, tuple(segments),
                                       priority=priority, schedule=schedule), state, now - age))
    return made


def folded(draft: BulletinDraft) -> str:
    """What ``Repository.save`` stores as ``search_text`` (checked against it in :func:`populate`)."""
    return fold("\n".join([draft.title, *(seg.text for seg in draft.segments)]))


def populate(studio: Studio, made: list[Made], real: int, batch: int = 500) -> None:
    """The first ``real`` bulletins through ``Repository.save``; the rest in bulk, as ``save`` would write them."""
    saved_ids = [studio.repo.save(item.draft).id for item in made[:real]]
    db = studio.db
    first: tuple[int, BulletinDraft] | None = None
    with db.session() as s:
        for item, bulletin_id in zip(made[:real], saved_ids, strict=True):
            s.execute(update(Bulletin).where(Bulletin.id == bulletin_id).values(
                state=item.state, updated_at=item.updated_at).execution_options(synchronize_session=False))
            stored = s.scalar(text("SELECT search_text FROM bulletin WHERE id = :id"), {"id": bulletin_id})
            assert stored == folded(item.draft), "Repository.save folds differently from this benchmark"
    for start in range(real, len(made), batch):
        chunk = made[start : start + batch]
        with db.session() as s:
            ids = s.scalars(insert(Bulletin).returning(Bulletin.id, sort_by_parameter_order=True), [
                {"uid": f"{start + n:08d}{random.getrandbits(96):024x}", "station_id": item.draft.station_id,
                 "title": item.draft.title, "search_text": folded(item.draft), "state": item.state,
                 "priority": item.draft.priority, "created_at": item.updated_at, "updated_at": item.updated_at,
                 "schedule": item.draft.schedule.content() if item.draft.schedule else None, "version": 1}
                for n, item in enumerate(chunk)]).all()
            s.execute(insert(Segment), [
                {"bulletin_id": bulletin_id, "position": i, "kind": seg.kind, "text": seg.text,
                 "preset_id": seg.preset_id, "source": seg.source, "crossfade": 0.0,
                 "key": f"{bulletin_id:08d}{i:04d}{random.getrandbits(80):020x}"}
                for item, bulletin_id in zip(chunk, ids, strict=True) for i, seg in enumerate(item.draft.segments)])
            s.execute(insert(Revision), [
                {"bulletin_id": bulletin_id, "number": 1, "content_hash": f"{bulletin_id:064x}",
                 "snapshot": item.draft.content(), "created_at": item.updated_at}
                for item, bulletin_id in zip(chunk, ids, strict=True)])
            first = first or (ids[0], chunk[0].draft)
    if first is not None:  # a bulk row opens as the draft it was made from
        assert studio.repo.load(first[0]).content() == first[1].content(), "a bulk row loads differently"


# --- the same queries, raw -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One call of the library panel: ``Repository.list_bulletins`` with these arguments."""

    label: str
    search: str = ""
    state: str | None = None
    priority: str | None = None
    presets: tuple[str, ...] | None = None
    days: int = 0  # the "changed in the last N days" filter (0: any time)

    def since(self, now: datetime) -> datetime | None:
        return now - timedelta(days=self.days) if self.days else None


QUERIES = [
    Query("whole list (library opens, after each save)"),
    Query('search "thong bao" (no diacritics)', "thong bao"),
    Query('search "tiêm chủng" (diacritics)', "tiêm chủng"),
    Query('search "lu quet thon 7" (3 words)', "lu quet thon 7"),
    Query('search "ngay 13/4" (rare)', "ngay 13/4"),
    Query('search "xyz" (no match)', "xyz"),
    Query('state "submitted" (review queue)', state="submitted"),
    Query("emergency + Khmer", priority="emergency", presets=KHMER),
    Query('last 30 days + "dien"', "dien", days=30),
]


class RawLibrary:
    """The library's two statements written by hand and run on the plain DB-API connection."""

    def __init__(self, connection: Any, placeholder: str, sqlite: bool) -> None:
        self.connection = connection
        self.mark = placeholder
        self.sqlite = sqlite

    def listing(self, query: Query, now: datetime) -> list[tuple[Any, ...]]:
        where: list[str] = []
        params: list[Any] = []
        if query.state:
            where.append(f"b.state = {self.mark}")
            params.append(query.state)
        if query.priority:
            where.append(f"b.priority = {self.mark}")
            params.append(query.priority)
        if query.presets is not None:
            marks = ", ".join([self.mark] * len(query.presets))
            where.append(f"EXISTS (SELECT 1 FROM segment p WHERE p.bulletin_id = b.id AND p.preset_id IN ({marks}))")
            params.extend(query.presets)
        since = query.since(now)
        if since is not None:
            where.append(f"b.updated_at >= {self.mark}")
            params.append(since.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else since)
        for word in fold(query.search).split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(f"b.search_text LIKE {self.mark} ESCAPE '\\'")
            params.append(f"%{escaped}%")
        sql = ("SELECT b.id, b.uid, b.title, b.state, b.priority, b.updated_at, "
               "(SELECT count(s.id) FROM segment s WHERE s.bulletin_id = b.id) FROM bulletin b"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY b.updated_at DESC, b.id DESC")
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        cursor.close()
        return rows

    def load(self, bulletin_id: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        cursor = self.connection.cursor()
        cursor.execute("SELECT id, uid, station_id, title, state, priority, updated_at, version, schedule "
                       f"FROM bulletin WHERE id = {self.mark}", (bulletin_id,))
        row = cursor.fetchone()
        cursor.execute("SELECT text, preset_id, kind, source, gap, crossfade, bed, take_sha256, key, position, "
                       f"version_of FROM segment WHERE bulletin_id = {self.mark} ORDER BY position", (bulletin_id,))
        segments = cursor.fetchall()
        cursor.close()
        return row, segments


# --- timing ----------------------------------------------------------------------------------------------------


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Figure:
    label: str
    rows: int
    studio_ms: list[float]
    raw_ms: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.studio_ms) / statistics.median(self.raw_ms)

    def line(self) -> str:
        return (f"{self.label:<46}{self.rows:>7}{statistics.median(self.studio_ms):>9.1f}{p95(self.studio_ms):>8.1f}"
                f"{statistics.median(self.raw_ms):>9.1f}{p95(self.raw_ms):>8.1f}{self.ratio:>8.2f}")


HEADER = (f"{'operation':<46}{'rows':>7}{'studio ms':>17}{'raw SQL ms':>17}{'ratio':>8}\n"
          f"{'':<46}{'':>7}{'median':>9}{'p95':>8}{'median':>9}{'p95':>8}")


def interleaved(studio_call: Callable[[], Any], raw_call: Callable[[], Any], repeat: int) -> tuple[list[float], ...]:
    """``repeat`` timings of each, alternating which goes first; one untimed warm-up of each."""
    studio_call()
    raw_call()
    gc.collect()
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(repeat):
        order = ((0, studio_call), (1, raw_call)) if run % 2 == 0 else ((1, raw_call), (0, studio_call))
        for side, call in order:
            started = time.perf_counter()
            call()
            times[side].append((time.perf_counter() - started) * 1000)
    return times


def measure(studio: Studio, raw: RawLibrary, repeat: int, opens: int, seed: int = 3) -> list[Figure]:
    figures = []
    now = datetime.now(UTC)
    for query in QUERIES:
        def studio_list(query: Query = query) -> list[int]:
            return [b.id for b in studio.repo.list_bulletins(query.search, query.state, priority=query.priority,
                                                             presets=query.presets, updated_since=query.since(now))]

        ours, theirs = studio_list(), [row[0] for row in raw.listing(query, now)]
        assert ours == theirs, f"{query.label}: the studio and the raw statement disagree"

        def raw_list(query: Query = query) -> list[tuple[Any, ...]]:
            return raw.listing(query, now)

        studio_ms, raw_ms = interleaved(studio_list, raw_list, repeat)
        figures.append(Figure(query.label, len(ours), studio_ms, raw_ms))
    ids = [row[0] for row in raw.listing(QUERIES[0], now)]
    chosen = random.Random(seed).sample(ids, min(opens, len(ids)))
    studio.repo.load(chosen[0])
    raw.load(chosen[0])
    gc.collect()
    studio_ms, raw_ms = [], []
    for n, bulletin_id in enumerate(chosen):
        for side in ((0, 1) if n % 2 == 0 else (1, 0)):
            started = time.perf_counter()
            if side == 0:
                draft = studio.repo.load(bulletin_id)
            else:
                row, segments = raw.load(bulletin_id)
            (studio_ms if side == 0 else raw_ms).append((time.perf_counter() - started) * 1000)
        assert draft.id == row[0] and len(draft.segments) == len(segments)
    figures.append(Figure(f"open a bulletin (Repository.load), {len(chosen)} ids", 1, studio_ms, raw_ms))
    return figures


# --- the two databases -----------------------------------------------------------------------------------------


def run(name: str, studio: Studio, connect_raw: Callable[[], RawLibrary], args: argparse.Namespace,
        after_load: Callable[[], None] = lambda: None) -> list[Figure]:
    station = studio.ensure_station()
    made = corpus(args.bulletins, station.id, studio.new_schedule(station))
    started = time.perf_counter()
    populate(studio, made, real=max(1, args.bulletins // 100))
    after_load()
    filled = time.perf_counter() - started
    segments = sum(len(m.draft.segments) for m in made)
    characters = sum(len(folded(m.draft)) for m in made)
    print(f"\n{name}: {len(made):,} bulletins, {segments:,} segments ({segments / len(made):.1f} each), "
          f"{characters / 2**20:.1f} MiB of folded text; filled in {filled:.1f} s (not measured)")
    del made  # the corpus is the benchmark's, not the studio's: its objects must not slow the collector down
    gc.collect()
    gc.freeze()  # as the studio does once its window is up (studio/ui/app.py)
    raw = connect_raw()
    try:
        figures = measure(studio, raw, args.repeat, args.opens)
    finally:
        raw.connection.close()
        gc.unfreeze()
    print(HEADER)
    for figure in figures:
        print(figure.line(), flush=True)
    return figures


def on_sqlite(args: argparse.Namespace, root: Path) -> list[Figure]:
    studio = Studio.open(StudioPaths.under(root / "sqlite"), Settings(None, environ={}))
    try:
        database = studio.paths.database_file

        def connect() -> RawLibrary:
            return RawLibrary(sqlite3.connect(database), "?", sqlite=True)

        figures = run("SQLite (a file in the data directory, WAL)", studio, connect, args)
        print(f"database file: {database.stat().st_size / 2**20:.0f} MiB")
        return figures
    finally:
        studio.close()


@contextmanager
def postgres_server(url: str | None) -> Iterator[str | None]:
    """The admin URL of ``url``'s server, or of a throw-away cluster (None when PostgreSQL is not installed)."""
    if url:
        yield url
        return
    from tests.postgres import find_bindir, temporary_cluster

    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    with temporary_cluster(bindir) as admin:
        yield admin


def on_postgres(args: argparse.Namespace, admin: str) -> list[Figure]:
    import psycopg

    name = f"bench_library_{random.getrandbits(32):08x}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{admin.rsplit('/', 1)[0]}/{name}"
    try:
        with tempfile.TemporaryDirectory(prefix="bench-library-pg-") as home:
            studio = Studio.open(StudioPaths.under(Path(home)), Settings(None, environ={"STUDIO_DATABASE_URL": url}))
            try:
                def analyse() -> None:
                    with studio.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                        conn.execute(text("VACUUM ANALYZE"))

                def connect() -> RawLibrary:
                    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
                    return RawLibrary(psycopg.connect(plain, autocommit=True), "%s", sqlite=False)

                version = studio.db.engine.dialect.server_version_info or ()
                return run(f"PostgreSQL {'.'.join(map(str, version))} (127.0.0.1, throw-away cluster)",
                           studio, connect, args, after_load=analyse)
            finally:
                studio.close()
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulletins", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=25, help="timed runs of each listing, interleaved with raw")
    parser.add_argument("--opens", type=int, default=200, help="random bulletins opened")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--postgres-url", help="an existing server's admin URL (default: a throw-away cluster)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(f"machine: {machine()}")
    print(f"{args.bulletins:,} bulletins; each listing timed {args.repeat}x, interleaved with the same SQL through "
          "the raw driver; times in ms")
    with tempfile.TemporaryDirectory(prefix="bench-library-") as temp:
        sqlite_figures = on_sqlite(args, Path(temp))
    searches = [f for f in sqlite_figures if f.label.startswith("search")]
    worst = max(statistics.median(f.studio_ms) for f in searches)
    print(f"\nslowest search on SQLite: {worst:.1f} ms median (target < {TARGET_MS:.0f} ms): "
          f"{'met' if worst < TARGET_MS else 'NOT met'}")
    if args.no_postgres:
        return 0
    with postgres_server(args.postgres_url) as admin:
        if admin is None:
            print("\nPostgreSQL: not measured (no server binaries; install postgresql or pass --postgres-url)")
            return 0
        on_postgres(args, admin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
