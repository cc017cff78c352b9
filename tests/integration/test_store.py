"""The library on a real SQLite file and a real PostgreSQL server: same models, same migrations."""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.store.db import HEAD_REVISION, Database, current_revision, head_revision, sqlite_url
from studio.store.repo import Repository, StaleBulletin

TABLES = {"station", "user_account", "bulletin", "segment", "revision", "media_asset", "render",
          "delivery_target", "delivery", "audit_entry", "comment", "approval", "alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, studio_paths: StudioPaths) -> Database:
    if request.param == "sqlite":
        url = sqlite_url(studio_paths.database_file)
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database.open(url, backups=studio_paths.backups)
    request.addfinalizer(database.dispose)
    return database


def _bulletin(repo: Repository, title: str = "Bản tin sáng") -> BulletinDraft:
    station = repo.first_station() or repo.create_station("Đài truyền thanh xã Hòa Bình")
    segments = (SegmentDraft("Đây là Đài truyền thanh xã Hòa Bình.", "vi-north-offline", "ident"),
                SegmentDraft("Kính thưa bà con!", "vi-south-offline", "greeting"))
    return repo.save(BulletinDraft(title, station.id, segments))


def test_migration_creates_every_table_at_head(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    with db.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head_revision()


def test_start_up_knows_the_newest_migration(db: Database) -> None:
    """Opening an up-to-date database skips alembic when it sees HEAD_REVISION: it must be alembic's head."""
    assert head_revision() == HEAD_REVISION, "a migration was added: set studio.store.db.HEAD_REVISION to it"
    assert current_revision(db.engine) == HEAD_REVISION


def test_migrations_build_exactly_the_models(db: Database) -> None:
    """No drift between the models and the migrations (alembic's own comparison), on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from studio.store.models import Base

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_saved_bulletin_reads_back_with_vietnamese_text_and_order(db: Database) -> None:
    repo = Repository(db)
    saved = _bulletin(repo)
    loaded = repo.load(saved.id or 0)
    assert loaded.title == "Bản tin sáng"
    assert [s.text for s in loaded.segments] == ["Đây là Đài truyền thanh xã Hòa Bình.", "Kính thưa bà con!"]
    assert [s.preset_id for s in loaded.segments] == ["vi-north-offline", "vi-south-offline"]
    assert len(loaded.uid) == 32


def test_reorder_and_edit_keep_a_revision_per_content_change(db: Database) -> None:
    repo = Repository(db)
    saved = _bulletin(repo)
    assert saved.id is not None
    reordered = repo.save(saved.with_segments(tuple(reversed(saved.segments))))
    assert [s.kind for s in repo.load(saved.id).segments] == ["greeting", "ident"]
    repo.save(reordered)  # unchanged content: no new revision
    assert repo.revision_count(saved.id) == 2


def test_stale_save_is_refused_and_changes_nothing(db: Database) -> None:
    repo = Repository(db)
    first = _bulletin(repo)
    mine = first.with_segments((SegmentDraft("Bản của tôi", "vi-north-offline"),))
    theirs = first.with_segments((SegmentDraft("Bản của người khác", "vi-north-offline"),))
    repo.save(theirs)
    with pytest.raises(StaleBulletin) as caught:
        repo.save(mine)
    assert "Bản tin sáng" in str(caught.value)
    assert first.id is not None
    assert repo.load(first.id).segments[0].text == "Bản của người khác"


def test_search_finds_title_and_segment_text(db: Database) -> None:
    repo = Repository(db)
    _bulletin(repo, "Thông báo tiêm chủng")
    _bulletin(repo, "Bản tin chiều")
    assert [b.title for b in repo.list_bulletins("tiêm")] == ["Thông báo tiêm chủng"]
    assert len(repo.list_bulletins("Hòa Bình")) == 2
    assert {b.segment_count for b in repo.list_bulletins()} == {2}


def test_resolve_accepts_number_and_uid_prefix(db: Database) -> None:
    repo = Repository(db)
    saved = _bulletin(repo)
    assert repo.resolve(str(saved.id)) == saved.id
    assert repo.resolve(saved.uid[:8]) == saved.id
    with pytest.raises(StudioError, match="not found"):
        repo.resolve("999999")


def test_audit_entries_are_chained(db: Database) -> None:
    repo = Repository(db)
    _bulletin(repo)
    with db.engine.connect() as conn:
        rows = conn.execute(text("select prev_hash, hash from audit_entry order by id")).all()
    assert len(rows) >= 2
    assert rows[0][0] == ""
    for previous, current in itertools.pairwise(rows):
        assert current[0] == previous[1]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(studio_paths: StudioPaths) -> None:
    database = Database.open(sqlite_url(studio_paths.database_file))
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_a_failed_migration_leaves_the_old_file_usable(studio_paths: StudioPaths, tmp_path: Path) -> None:
    path = studio_paths.database_file
    database = Database.open(sqlite_url(path))
    Repository(database).create_station("Đài xã")
    database.dispose()
    # Pretend the file was made by an unknown, newer schema: opening must refuse, not damage it.
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num='ffffffff'")
    con.commit()
    con.close()
    with pytest.raises(Exception):  # noqa: B017 - alembic raises its own error for an unknown revision
        Database.open(sqlite_url(path), backups=studio_paths.backups)
    con = sqlite3.connect(path)
    assert con.execute("select name from station").fetchall() == [("Đài xã",)]
    con.close()


def test_unreachable_postgres_gives_a_clear_message(studio_paths: StudioPaths) -> None:
    with pytest.raises(StudioError, match="database cannot be opened"):
        Database.open("postgresql+psycopg://nobody@127.0.0.1:9/none")


@pytest.mark.postgres
def test_server_lost_mid_session_gives_a_clear_message(postgres_url: str, postgres_server: str) -> None:
    from sqlalchemy import create_engine

    database = Database.open(postgres_url)
    repo = Repository(database)
    _bulletin(repo)
    name = postgres_url.rsplit("/", 1)[1]
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    with pytest.raises(StudioError, match="database cannot be opened"):
        repo.list_bulletins()
    database.dispose()


def test_times_come_back_as_aware_utc(db: Database) -> None:
    repo = Repository(db)
    saved = _bulletin(repo)
    moment = repo.list_bulletins()[0].updated_at
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert saved.meta["updated_at"].tzinfo is not None


def test_timeline_fields_round_trip_and_leave_old_content_hashes_alone(db: Database) -> None:
    repo = Repository(db)
    saved = _bulletin(repo)
    plain_hash = saved.segments[0].content()
    assert set(plain_hash) == {"text", "preset_id", "kind", "source"}  # unchanged for segments made before
    timed = (replace(saved.segments[0], gap=2.5), replace(saved.segments[1], crossfade=1.25, bed=False))
    loaded = repo.load(repo.save(saved.with_segments(timed)).id or 0)
    assert [(s.gap, s.crossfade, s.bed) for s in loaded.segments] == [(2.5, 0.0, None), (None, 1.25, False)]
    assert repo.revision_count(saved.id or 0) == 2


def test_gap_and_crossfade_are_kept_within_their_limits() -> None:
    assert SegmentDraft("a", "p", gap=-3).gap == 0.0
    assert SegmentDraft("a", "p", gap=99).gap == 10.0
    assert SegmentDraft("a", "p", crossfade=9).crossfade == 5.0


def test_station_jingle_roles_and_bed_kinds_persist(db: Database) -> None:
    repo = Repository(db)
    station = repo.create_station("Đài xã An Phú")
    assert (station.stinger_jingle, station.bed_jingle, station.bed_kinds) == ("stinger", "bed", ("notice",))
    repo.set_station_jingle(station.id, "stinger", "")
    repo.set_station_jingle(station.id, "bed", "bed-0123")
    repo.set_bed_kinds(station.id, ["news", "notice", "bogus"])
    again = repo.station(station.id)
    assert (again.stinger_jingle, again.bed_jingle, again.bed_kinds) == ("", "bed-0123", ("news", "notice"))


def test_bulletins_saved_before_folded_search_are_found_without_diacritics(db: Database) -> None:
    """Migration 0008 folds the bulletins already in the library (downgraded to 0007 and back up here)."""
    from alembic import command

    from studio.store.db import alembic_config

    repo = Repository(db)
    saved = _bulletin(repo, "Lịch tiêm chủng tháng Mười Một")
    command.downgrade(alembic_config(db.engine), "0007")
    command.upgrade(alembic_config(db.engine), "head")
    # SQLite drops and copies a table to drop a column: its segments must survive that (no cascade).
    assert repo.load(saved.id).content() == saved.content()
    assert [b.id for b in repo.list_bulletins("tiem chung thang muoi mot")] == [saved.id]
    assert [b.id for b in repo.list_bulletins("KÍNH THƯA")] == [saved.id]  # the texts too, any case
    assert repo.list_bulletins("tiem_chung") == []  # LIKE's wildcards are plain letters here


def test_has_bulletins_says_whether_the_library_is_empty(db: Database) -> None:
    repo = Repository(db)
    assert not repo.has_bulletins()
    _bulletin(repo)
    assert repo.has_bulletins()
