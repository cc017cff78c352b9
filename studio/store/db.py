"""Database engine, sessions and start-up migrations.

SQLite (the default, one file in the data directory) runs in WAL mode with foreign keys on and a busy
timeout so the GUI's reader and a worker's writer do not trip over each other. PostgreSQL is chosen by
URL (``STUDIO_DATABASE_URL``) and shares models and migrations. Before migrating an existing SQLite
file the studio copies it to ``backups/``; a failed migration therefore leaves the old file usable.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import DISK_FULL, DISK_FULL_HINT, StudioError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Opening an up-to-date database compares with this and does not load alembic (a tenth of
# a second of the window's start-up); tests/integration/test_store.py checks it against alembic's own head.
HEAD_REVISION = "0008"

DB_UNREACHABLE = QT_TRANSLATE_NOOP("Messages", "The studio's database cannot be opened: {reason}")
DB_UNREACHABLE_HINT = QT_TRANSLATE_NOOP(
    "Messages", "If the database is on another computer, check the network and the address in the settings."
)
MIGRATION_FAILED = QT_TRANSLATE_NOOP(
    "Messages", "Updating the database failed; your data is unchanged. A copy is kept in {backup}."
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the studio's connection settings applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision alembic stamped in the database (None for a new or foreign database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None  # several heads: not a schema the studio made


def head_revision() -> str | None:
    """The newest revision among the migration scripts, as alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _backup_sqlite(engine: Engine, backups: Path) -> Path | None:
    """Copy the SQLite file with SQLite's online backup API (consistent even in WAL mode)."""
    database = engine.url.database
    if not database or database == ":memory:" or not Path(database).exists():
        return None
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = backups / f"{Path(database).stem}-before-migration-{stamp}.sqlite3"
    src = sqlite3.connect(database)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def migrate(engine: Engine, backups: Path | None = None) -> None:
    """Bring the schema to the newest version; back up an existing SQLite file first."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise StudioError(DB_UNREACHABLE, hint=DB_UNREACHABLE_HINT, reason=_short(exc)) from exc
    if current == HEAD_REVISION:
        return
    head = head_revision()
    backup: Path | None = None
    if current is not None and engine.url.get_backend_name() == "sqlite" and backups is not None:
        backup = _backup_sqlite(engine, backups)
        log.info("database backed up to %s before migrating %s -> %s", backup, current, head)
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except (SQLAlchemyError, RuntimeError) as exc:  # RuntimeError: rows left without a parent (env.py)
        log.exception("migration failed")
        if backup is not None:
            shutil.copyfile(backup, engine.url.database or "")
        raise StudioError(MIGRATION_FAILED, backup=backup or "-") from exc


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@dataclass
class Database:
    """The engine plus a session factory; built once in the composition root and passed around."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str, *, backups: Path | None = None, run_migrations: bool = True) -> Database:
        engine = make_engine(url)
        if run_migrations:
            migrate(engine, backups)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any exception."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except (OperationalError, InterfaceError) as exc:
            # The server went away or the file became unusable mid-session: say so, do not crash.
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            log.warning("database problem: %s", exc)
            if getattr(exc.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:  # the disk, not the database
                raise StudioError(DISK_FULL, hint=DISK_FULL_HINT, path=self.engine.url.database or "-") from exc
            raise StudioError(DB_UNREACHABLE, hint=DB_UNREACHABLE_HINT, reason=_short(exc)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
