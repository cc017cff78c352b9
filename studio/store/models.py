"""The studio's tables. Same models on SQLite (one PC) and PostgreSQL (several PCs).

Rows hold text and metadata; audio lives in content-addressed files referenced by
:class:`MediaAsset`. Anything two people can edit carries a ``version`` column used for optimistic
locking (SQLAlchemy's ``version_id_col``): a stale save raises instead of silently overwriting.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every database: SQLite stores no zone and would hand back naive times."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: the studio stores aware UTC times only")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON}


class Station(Base):
    """The commune's station: its name is the MP3 artist, its series the album."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    commune: Mapped[str] = mapped_column(String(200), default="")
    province: Mapped[str] = mapped_column(String(200), default="")
    series: Mapped[str] = mapped_column(String(200), default="")
    default_preset: Mapped[str] = mapped_column(String(64), default="vi-north-offline")
    opening_jingle: Mapped[str] = mapped_column(String(200), default="opening")
    closing_jingle: Mapped[str] = mapped_column(String(200), default="closing")
    stinger_jingle: Mapped[str] = mapped_column(String(200), default="stinger", server_default="stinger")
    bed_jingle: Mapped[str] = mapped_column(String(200), default="bed", server_default="bed")
    bed_kinds: Mapped[str] = mapped_column(String(200), default="notice", server_default="notice")
    single_person_mode: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    session_minutes: Mapped[float] = mapped_column(Float, default=15.0, server_default="15")
    sessions_per_day: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    caps_block: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    schedule_defaults: Mapped[dict | None] = mapped_column(JSON, default=None)  # type: ignore[type-arg]
    bilingual_order: Mapped[str] = mapped_column(String(20), default="interleaved", server_default="interleaved")
    area_presets: Mapped[str] = mapped_column(String(500), default="", server_default="")  # comma-separated ids
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="officer")
    password_hash: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class Bulletin(Base):
    """A programme being written. ``uid`` names the delivered files (``<uid>.mp3``/``.json``)."""

    __tablename__ = "bulletin"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # title and texts, folded
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    priority: Mapped[str] = mapped_column(String(20), default="normal")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    state_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # why it is in its state
    schedule: Mapped[dict | None] = mapped_column(JSON, default=None)  # type: ignore[type-arg]
    version: Mapped[int] = mapped_column(Integer, default=1)

    station: Mapped[Station] = relationship()
    segments: Mapped[list[Segment]] = relationship(
        back_populates="bulletin", order_by="Segment.position", cascade="all, delete-orphan"
    )
    # The lock version counts *content* saves only (the repository raises it): a review decision or a render
    # changing ``state`` must not make the officer's open copy stale. Every UPDATE still checks it.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Segment(Base):
    """One spoken item of a bulletin, in one language preset."""

    __tablename__ = "segment"
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="news")
    text: Mapped[str] = mapped_column(Text, default="")
    preset_id: Mapped[str] = mapped_column(String(64), default="vi-north-offline")
    source: Mapped[str] = mapped_column(String(20), default="tts")
    gap: Mapped[float | None] = mapped_column(Float, default=None)
    crossfade: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    bed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    take_asset_id: Mapped[int | None] = mapped_column(ForeignKey("media_asset.id", ondelete="RESTRICT"))
    key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    take_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    version_of: Mapped[str | None] = mapped_column(String(32), default=None)  # the key of the original

    bulletin: Mapped[Bulletin] = relationship(back_populates="segments")


class Phrase(Base):
    """A phrase recorded once and reused (the station ident, greetings, closings, standard notices) in one
    language preset, with its text and a Vietnamese gloss. A reviewer approves its audio once; another
    recording needs a new approval (``approved_sha256`` must equal ``take_sha256``)."""

    __tablename__ = "phrase"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    preset_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="ident")
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    gloss_vi: Mapped[str] = mapped_column(Text, default="")
    take_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    approved_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class BulletinTemplate(Base):
    """A station's own template for new bulletins: a title, a priority and segments (kind, voice, wording;
    a phrase's recording too), as :func:`studio.store.templates.template_content` writes them."""

    __tablename__ = "bulletin_template"
    __table_args__ = (UniqueConstraint("station_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class Take(Base):
    """One recording of a segment (from the booth or imported), kept for good: the raw file and its cleaned
    version are content-addressed media; the segment chooses one by the cleaned audio's sha256."""

    __tablename__ = "take"
    id: Mapped[int] = mapped_column(primary_key=True)
    # a take belongs to a bulletin's segment or to a phrase of the phrase bank
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    # SET NULL: a deleted phrase's recordings stay playable in the bulletins that contain them
    phrase_id: Mapped[int | None] = mapped_column(ForeignKey("phrase.id", ondelete="SET NULL"), index=True)
    segment_key: Mapped[str] = mapped_column(String(32), index=True)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_relpath: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    relpath: Mapped[str] = mapped_column(String(300))
    duration_ms: Mapped[int] = mapped_column(Integer)
    peak_dbfs: Mapped[float] = mapped_column(Float)
    rms_dbfs: Mapped[float] = mapped_column(Float)
    clipped: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="booth")  # booth | import
    cleanup: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Revision(Base):
    """A saved snapshot of a bulletin's whole content; kept forever, numbered per bulletin."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("bulletin_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    content_hash: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]


class Comment(Base):
    """A reviewer's (or officer's) remark on a bulletin or one of its segments, at a revision."""

    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    segment_position: Mapped[int | None] = mapped_column(Integer, default=None)  # None: the whole bulletin
    revision_number: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200), default="")  # kept if the account goes
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Approval(Base):
    """One review decision, bound to the content it was made on (``content_hash``)."""

    __tablename__ = "approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[str] = mapped_column(String(30))  # approved | changes_requested
    comment: Mapped[str] = mapped_column(Text, default="")
    single_person: Mapped[bool] = mapped_column(Boolean, default=False)


class MediaAsset(Base):
    """An audio file stored once under its sha256; rows point at it, nothing overwrites it."""

    __tablename__ = "media_asset"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    relpath: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Render(Base):
    """A finished programme file with its measured loudness and the hash of what it was made from."""

    __tablename__ = "render"
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("media_asset.id", ondelete="RESTRICT"))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(Integer)
    integrated_lufs: Mapped[float] = mapped_column(Float)
    true_peak_dbtp: Mapped[float] = mapped_column(Float)
    loudness_range: Mapped[float] = mapped_column(Float, default=0.0)
    profile: Mapped[str] = mapped_column(String(60))
    sidecar: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    layout: Mapped[dict | None] = mapped_column(JSON, default=None)  # type: ignore[type-arg]

    asset: Mapped[MediaAsset] = relationship()


class DeliveryTarget(Base):
    """Where finished programmes go: ``kind`` is folder/sftp/ftp/http, ``config`` its settings."""

    __tablename__ = "delivery_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Delivery(Base):
    """One job of the outbox: deliver (or withdraw) one programme package to one target.

    The package (the render re-tagged with its schedule and approval, and its sidecar) is frozen when the
    job is queued, so every retry sends identical bytes. ``rank`` orders each target's queue (0 emergency,
    1 priority, 2 normal); ``lease_owner``/``lease_until`` mark the worker sending it, so a crashed
    studio's job is picked up again. States: queued, sending, waiting (backing off), done, failed (a person
    must act), cancelled.
    """

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_queue", "target_id", "state", "rank", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    render_id: Mapped[int] = mapped_column(ForeignKey("render.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("delivery_target.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="deliver", server_default="deliver")
    programme_id: Mapped[str] = mapped_column(String(128), default="", server_default="")
    rank: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[dict | None] = mapped_column(JSON, default=None)  # type: ignore[type-arg]
    approval_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    package_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    package_relpath: Mapped[str] = mapped_column(String(300), default="", server_default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    sidecar_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    lease_owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)


class DeliveryEvent(Base):
    """The history of a delivery job: queued, started, retry, delivered, failed, cancelled, withdrawn."""

    __tablename__ = "delivery_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100), default="")


class AuditEntry(Base):
    """Append-only record of who did what; each entry's hash covers the previous entry's hash."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # exports select a range of days
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
