"""The audit chain on a real SQLite file and a real PostgreSQL server: rows edited or deleted behind the
studio's back are caught by ``studio audit verify``, exports hold exactly the chosen days, and two PCs
appending at once do not fork the chain."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.paths import StudioPaths
from studio.store.db import Database, sqlite_url
from studio.store.models import AuditEntry
from studio.store.repo import Repository
from studio.workflow.audit import BROKEN_LINK, EDITED, canonical_details, entry_hash

TRICKY_DETAILS = {
    "lufs": -16.049999999999997, "tiny": 1e-7, "big": 12345678901234567890, "neg_zero": -0.0,
    "nested": {"b": [1, 2.5, None, True], "a": "Đài truyền thanh xã Hòa Bình"},
    "html": "<b>x</b>", "sql": "'; DROP TABLE audit_entry; --", "z": "last", "A": "first",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, studio_paths: StudioPaths) -> str:
    if request.param == "sqlite":
        return sqlite_url(studio_paths.database_file)
    pg_url: str = request.getfixturevalue("postgres_url")
    # The server hands times back in its own zone; Vietnam's must not change a single hash.
    admin = create_engine(request.getfixturevalue("postgres_server"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{pg_url.rsplit("/", 1)[1]}" SET timezone TO \'Asia/Ho_Chi_Minh\''))
    admin.dispose()
    return pg_url


@pytest.fixture
def db(request: pytest.FixtureRequest, url: str, studio_paths: StudioPaths) -> Database:
    database = Database.open(url, backups=studio_paths.backups)
    request.addfinalizer(database.dispose)
    return database


def studio_cli(paths: StudioPaths, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDIO_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    env.pop("STUDIO_DATABASE_URL", None)
    if not url.startswith("sqlite"):
        env["STUDIO_DATABASE_URL"] = url
    home = paths.data.parent
    return subprocess.run([sys.executable, "-m", "studio", "--data-dir", str(home), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def real_work(repo: Repository) -> None:
    """Entries made the way the studio makes them."""
    station = repo.create_station("Đài truyền thanh xã Hòa Bình", commune="Xã Hòa Bình")
    draft = repo.save(BulletinDraft("Bản tin sáng", station.id,
                                    (SegmentDraft("Kính thưa bà con!", "vi-north-offline", "greeting"),)))
    draft = repo.save(draft.with_segments((SegmentDraft("Thông báo lịch tiêm chủng.", "vi-north-offline"),)))
    other = repo.save(BulletinDraft("Bản tin chiều", station.id, ()))
    repo.delete(other.id or 0)
    repo.set_bed_kinds(station.id, ["notice"])
    repo.append_audit("Nguyễn Văn An", "note", "bulletin:x", TRICKY_DETAILS)


def ids(db: Database) -> list[int]:
    with db.engine.connect() as conn:
        return list(conn.execute(text("select id from audit_entry order by id")).scalars())


def test_chain_of_real_work_verifies_streamed_in_small_batches(db: Database) -> None:
    repo = Repository(db)
    real_work(repo)
    for batch in (1000, 3):
        report = repo.verify_audit(batch=batch)
        assert report.ok, report
        assert report.count == len(ids(db)) >= 7
    entries = repo.audit_entries()
    assert report.last_hash == entries[-1].hash
    assert entries[-1].details == TRICKY_DETAILS
    assert entries[-1].at.utcoffset() is not None


@pytest.mark.parametrize("assignment", ["actor = 'mallory'", "subject = 'bulletin:other'",
                                        "details = '{\"hash\": \"0000\"}'", "action = 'bulletin.create'"])
def test_a_row_edited_in_sql_is_found(db: Database, assignment: str) -> None:
    repo = Repository(db)
    real_work(repo)
    victim = ids(db)[2]
    with db.engine.begin() as conn:
        conn.execute(text(f"update audit_entry set {assignment} where id = :id"), {"id": victim})
    report = repo.verify_audit()
    assert (report.ok, report.broken_id, report.problem) == (False, victim, EDITED)


def test_cli_verify_names_a_row_edited_in_sql(db: Database, studio_paths: StudioPaths, url: str) -> None:
    real_work(Repository(db))
    intact = studio_cli(studio_paths, url, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "The audit log is intact" in intact.stdout

    victim = ids(db)[3]
    with db.engine.begin() as conn:
        conn.execute(text("update audit_entry set actor = 'mallory' where id = :id"), {"id": victim})
    broken = studio_cli(studio_paths, url, "audit", "verify")
    assert broken.returncode == 1
    assert f"broken at entry {victim}: the entry was changed" in broken.stderr


def test_cli_verify_names_the_successor_of_a_row_deleted_in_sql(db: Database, studio_paths: StudioPaths,
                                                                 url: str) -> None:
    real_work(Repository(db))
    rows = ids(db)
    with db.engine.begin() as conn:
        conn.execute(text("delete from audit_entry where id = :id"), {"id": rows[2]})
    assert Repository(db).verify_audit().problem == BROKEN_LINK
    proc = studio_cli(studio_paths, url, "audit", "verify")
    assert proc.returncode == 1
    assert f"broken at entry {rows[3]}: an entry before it was deleted" in proc.stderr


def _append_at(db: Database, at: datetime, actor: str) -> None:
    """A valid entry with a chosen time (the studio always stamps 'now')."""
    with db.session() as s:
        prev = s.query(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1).scalar() or ""
        details = canonical_details({"at": at.isoformat()})
        s.add(AuditEntry(at=at, actor=actor, action="note", subject="", details=details, prev_hash=prev,
                         hash=entry_hash(at, actor, "note", "", details, prev)))


def test_export_holds_exactly_the_vietnam_days_asked_for(db: Database, studio_paths: StudioPaths, url: str,
                                                         tmp_path: Path) -> None:
    repo = Repository(db)
    repo.create_station("Đài truyền thanh xã Hòa Bình")
    moments = {  # UTC instants around the edges of 9 May 2025 in Vietnam (UTC+7)
        "before": datetime(2025, 5, 8, 16, 59, 59, 999999, tzinfo=UTC),
        "Trần Thị Bích": datetime(2025, 5, 8, 17, 0, tzinfo=UTC),
        "<script>alert('x')</script>": datetime(2025, 5, 9, 16, 59, 59, 500000, tzinfo=UTC),
        "after": datetime(2025, 5, 9, 17, 0, tzinfo=UTC),
    }
    for actor, at in moments.items():
        _append_at(db, at, actor)

    out_csv = tmp_path / "nhat-ky.csv"
    proc = studio_cli(studio_paths, url, "audit", "export", "--from", "2025-05-09", "--to", "2025-05-09",
                      "--csv", str(out_csv))
    assert proc.returncode == 0, proc.stderr
    assert "Wrote 2 audit entries from 2025-05-09 to 2025-05-09" in proc.stdout
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r[:2] for r in rows[1:]] == [["2025-05-09 00:00:00", "Trần Thị Bích"],
                                         ["2025-05-09 23:59:59", "<script>alert('x')</script>"]]

    out_html = tmp_path / "nhat-ky.html"
    proc = studio_cli(studio_paths, url, "audit", "export", "--from", "2025-05-09", "--to", "2025-05-09",
                      "--html", str(out_html))
    assert proc.returncode == 0, proc.stderr
    page = out_html.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "Trần Thị Bích" in page
    assert "before" not in page and "after" not in page
    assert "Đài truyền thanh xã Hòa Bình" in page and "Toàn bộ nhật ký nguyên vẹn" in page
    in_range = repo.audit_entries(datetime(2025, 5, 8, 17, tzinfo=UTC), datetime(2025, 5, 9, 17, tzinfo=UTC))
    assert [e.actor for e in in_range] == ["Trần Thị Bích", "<script>alert('x')</script>"]
    assert in_range[-1].hash in page


def test_export_rejects_a_backwards_range(db: Database, studio_paths: StudioPaths, url: str,
                                          tmp_path: Path) -> None:
    proc = studio_cli(studio_paths, url, "audit", "export", "--from", "2025-05-10", "--to", "2025-05-09",
                      "--csv", str(tmp_path / "x.csv"))
    assert proc.returncode == 1
    assert "is after the last day" in proc.stderr
    assert not (tmp_path / "x.csv").exists()


def test_two_pcs_appending_at_once_do_not_fork_the_chain(url: str, studio_paths: StudioPaths) -> None:
    """Two engines (two PCs), 50 entries each, started together: one unbroken chain of 100."""
    databases = [Database.open(url, backups=studio_paths.backups) for _ in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(pc: int) -> None:
        try:
            repo = Repository(databases[pc])
            start.wait()
            for i in range(50):
                repo.append_audit(f"pc{pc}", "note", f"entry:{i}", {"pc": pc, "i": i})
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(pc,)) for pc in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        report = Repository(databases[0]).verify_audit()
        assert report.ok, report
        assert report.count == 100
        entries = Repository(databases[0]).audit_entries()
        assert len({e.prev_hash for e in entries}) == 100
        assert {e.actor for e in entries} == {"pc0", "pc1"}
    finally:
        for database in databases:
            database.dispose()
