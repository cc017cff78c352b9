"""Repositories: the only code that turns rows into the studio's plain values and back.

Callers get frozen snapshots (``BulletinDraft``, ``StationInfo`` …), never live ORM objects, so the
values can travel to worker threads. Saving a bulletin checks the version it was loaded at: if someone
else saved in between, :class:`StaleBulletin` is raised and nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Row, false, func, select, update
from sqlalchemy.orm import Session, selectinload

from studio.bulletin import SEGMENT_KINDS, BulletinDraft, SegmentDraft, bulletin_hash, new_segment_key
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.store.db import Database
from studio.store.models import (
    AuditEntry,
    Bulletin,
    Delivery,
    DeliveryTarget,
    MediaAsset,
    Render,
    Revision,
    Segment,
    Station,
    User,
    utcnow,
)
from studio.text.fold import fold
from studio.workflow.accounts import Actor, Role
from studio.workflow.audit import GENESIS, AuditRecord, ChainReport, canonical_details, entry_hash, verify_chain
from studio.workflow.diff import RevisionInfo
from studio.workflow.rules import SessionRules
from studio.workflow.schedule import Schedule, StationSchedule
from studio.workflow.states import Action, NotAllowed, State, after_edit, require

log = logging.getLogger(__name__)

NOT_FOUND = QT_TRANSLATE_NOOP("Messages", "Bulletin {ref} was not found.")
STALE = QT_TRANSLATE_NOOP(
    "Messages", "Someone else saved “{title}” while you were editing. Your text is kept; reload to see theirs."
)
ACCOUNT_GONE = QT_TRANSLATE_NOOP(
    "Messages", "The account of {user} was disabled or removed meanwhile: log in again with another account.")
BILINGUAL_ORDERS = ("interleaved", "blocks")
STATION_MISSING = QT_TRANSLATE_NOOP("Messages", "The station is missing from the database.")
TARGET_NOT_FOUND = QT_TRANSLATE_NOOP("Messages", "There is no delivery target called “{name}”.")
TARGET_EXISTS = QT_TRANSLATE_NOOP("Messages", "A delivery target called “{name}” already exists.")


class StaleBulletin(StudioError):
    """The bulletin changed in the database since it was loaded."""


@dataclass(frozen=True)
class StationInfo:
    id: int
    name: str
    commune: str
    province: str
    series: str
    default_preset: str
    opening_jingle: str
    closing_jingle: str
    stinger_jingle: str = ""
    bed_jingle: str = ""
    bed_kinds: tuple[str, ...] = ()
    single_person_mode: bool = False
    session_minutes: float = 15.0
    sessions_per_day: int = 2
    caps_block: bool = False
    schedule_defaults: StationSchedule = field(default_factory=StationSchedule)
    bilingual_order: str = "interleaved"  # a translation after its original | "blocks": one language after another
    area_presets: tuple[str, ...] = ()  # the minority languages spoken in the commune (preset ids)

    @property
    def session_rules(self) -> SessionRules:
        return SessionRules(self.session_minutes, self.sessions_per_day, self.caps_block)


@dataclass(frozen=True)
class BulletinSummary:
    id: int
    uid: str
    title: str
    state: str
    priority: str
    updated_at: datetime
    segment_count: int


@dataclass(frozen=True)
class RenderInfo:
    id: int
    bulletin_id: int
    content_hash: str
    sha256: str
    relpath: str
    duration_ms: int
    integrated_lufs: float
    true_peak_dbtp: float
    sidecar: dict[str, Any]
    created_at: datetime
    layout: dict[str, Any] | None = None  # ProgrammeLayout.to_json() of the render, for the timeline view


@dataclass(frozen=True)
class TargetInfo:
    id: int
    name: str
    kind: str
    config: dict[str, Any]
    enabled: bool


def _station_info(row: Station) -> StationInfo:
    return StationInfo(row.id, row.name, row.commune, row.province, row.series, row.default_preset,
                       row.opening_jingle, row.closing_jingle, row.stinger_jingle, row.bed_jingle,
                       tuple(kind for kind in row.bed_kinds.split(",") if kind), row.single_person_mode,
                       row.session_minutes, row.sessions_per_day, row.caps_block,
                       StationSchedule.from_content(row.schedule_defaults), row.bilingual_order,
                       tuple(preset for preset in row.area_presets.split(",") if preset))


def _station_row(s: Session, station_id: int) -> Station:
    row = s.get(Station, station_id)
    if row is None:
        raise StudioError(STATION_MISSING)
    return row


def _schedule(row: Bulletin) -> Schedule | None:
    if not row.schedule:
        return None
    try:
        return Schedule.from_content(row.schedule)
    except ValueError as exc:  # never expected: only the studio writes it; an approval then stops matching
        log.warning("bulletin %s: %s", row.uid, exc)
        return None


def _draft(row: Bulletin) -> BulletinDraft:
    return BulletinDraft(
        title=row.title,
        station_id=row.station_id,
        segments=tuple(SegmentDraft(s.text, s.preset_id, s.kind, s.source, s.gap, s.crossfade, s.bed,
                                    s.take_sha256, s.key or f"position-{s.position}", s.version_of)
                       for s in row.segments),
        priority=row.priority,
        id=row.id,
        uid=row.uid,
        state=row.state,
        version=row.version,
        meta={"updated_at": row.updated_at},
        schedule=_schedule(row),
    )


class Repository:
    """Reads and writes the studio's library through short units of work on one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- who acts ------------------------------------------------------------------------
    @staticmethod
    def current(s: Session, actor: Actor) -> Actor:
        """``actor`` with the role the database gives them *now*: an account demoted, disabled or removed
        from another PC loses its rights at once, not at its next login. The studio itself is unchanged."""
        if actor.is_system:
            return actor
        row = s.get(User, actor.id)
        if row is None or not row.active:
            raise NotAllowed(ACCOUNT_GONE, user=actor.label)
        return Actor(row.id, row.username, Role(row.role), row.display_name)

    def fresh(self, actor: Actor | None) -> Actor:
        """:meth:`current` in a unit of work of its own (None: the studio itself)."""
        if actor is None or actor.is_system:
            return actor or Actor.system()
        with self.db.session() as s:
            return self.current(s, actor)

    # --- station -------------------------------------------------------------------------
    def first_station(self) -> StationInfo | None:
        with self.db.session() as s:
            row = s.scalars(select(Station).order_by(Station.id).limit(1)).first()
            return _station_info(row) if row else None

    def create_station(self, name: str, *, commune: str = "", province: str = "", series: str = "",
                       default_preset: str = "vi-north-offline", area_presets: Sequence[str] = ()) -> StationInfo:
        with self.db.session() as s:
            row = Station(name=name, commune=commune, province=province, series=series,
                          default_preset=default_preset, area_presets=",".join(area_presets))
            s.add(row)
            s.flush()
            self._audit(s, "system", "station.create", f"station:{row.id}", {"name": name})
            return _station_info(row)

    def station(self, station_id: int) -> StationInfo:
        with self.db.session() as s:
            row = _station_row(s, station_id)
            return _station_info(row)

    def set_station_jingle(self, station_id: int, which: str, jingle_id: str, *,
                           actor: Actor | None = None) -> StationInfo:
        """Make ``jingle_id`` the station's ``opening``, ``closing``, ``stinger`` or ``bed`` ("" for none)."""
        actor = self.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = _station_row(s, station_id)
            if which == "opening":
                row.opening_jingle = jingle_id
            elif which == "closing":
                row.closing_jingle = jingle_id
            elif which == "stinger":
                row.stinger_jingle = jingle_id
            elif which == "bed":
                row.bed_jingle = jingle_id
            else:
                raise ValueError(which)
            self._audit(s, actor.username, "station.jingle", f"station:{row.id}", {which: jingle_id})
            s.flush()
            return _station_info(row)

    def set_bed_kinds(self, station_id: int, kinds: Sequence[str], *, actor: Actor | None = None) -> StationInfo:
        """The segment kinds the station's music bed plays under (a segment may say otherwise)."""
        actor = self.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = _station_row(s, station_id)
            row.bed_kinds = ",".join(kind for kind in SEGMENT_KINDS if kind in kinds)
            self._audit(s, actor.username, "station.bed_kinds", f"station:{row.id}", {"kinds": row.bed_kinds})
            s.flush()
            return _station_info(row)

    def set_station_schedule(self, station_id: int, defaults: StationSchedule, *,
                             actor: Actor | None = None) -> StationInfo:
        """The station's usual slots, validity days, loudspeaker zones and UTC offset (administrators)."""
        actor = self.fresh(actor)
        require(actor, Action.MANAGE_STATION)
        with self.db.session() as s:
            row = _station_row(s, station_id)
            row.schedule_defaults = defaults.content()
            row.version = row.version + 1
            self._audit(s, actor.username, "station.schedule", f"station:{row.id}", defaults.content())
            s.flush()
            return _station_info(row)

    def set_bilingual_order(self, station_id: int, order: str, *, actor: Actor | None = None) -> StationInfo:
        """How a bilingual bulletin is laid out: each translation right after its item ("interleaved") or all
        items in Vietnamese, then in each other language ("blocks")."""
        if order not in BILINGUAL_ORDERS:
            raise ValueError(order)
        actor = self.fresh(actor)
        require(actor, Action.MANAGE_STATION)
        with self.db.session() as s:
            row = _station_row(s, station_id)
            row.bilingual_order = order
            row.version = row.version + 1
            self._audit(s, actor.username, "station.bilingual_order", f"station:{row.id}", {"order": order})
            s.flush()
            return _station_info(row)

    # --- bulletins -----------------------------------------------------------------------
    def has_bulletins(self) -> bool:
        """Whether the library holds any bulletin (the start-up check; listing 10,000 to see this took 85 ms)."""
        with self.db.session() as s:
            return s.execute(select(Bulletin.id).limit(1)).first() is not None

    def list_bulletins(self, search: str = "", state: str | None = None, *, priority: str | None = None,
                       presets: Sequence[str] | None = None,
                       updated_since: datetime | None = None) -> list[BulletinSummary]:
        """Newest first. ``search`` in titles and texts, with or without diacritics ("tiem chung" finds
        "tiêm chủng"); ``state`` (e.g. "submitted": the review queue), ``priority``, ``presets`` (a segment
        in one of these voices or languages), ``updated_since``."""
        with self.db.session() as s:
            count = (select(func.count(Segment.id)).where(Segment.bulletin_id == Bulletin.id)
                     .correlate(Bulletin).scalar_subquery())
            # The summary's columns only: whole rows (folded texts, schedule JSON) made listing 10,000 bulletins
            # 7-11x slower than its SQL (benchmarks/bench_library.py).
            query = (select(Bulletin.id, Bulletin.uid, Bulletin.title, Bulletin.state, Bulletin.priority,
                            Bulletin.updated_at, count)
                     .order_by(Bulletin.updated_at.desc(), Bulletin.id.desc()))
            if state:
                query = query.where(Bulletin.state == state)
            if priority:
                query = query.where(Bulletin.priority == priority)
            if presets is not None:
                query = query.where(Bulletin.segments.any(Segment.preset_id.in_(list(presets))))
            if updated_since is not None:
                query = query.where(Bulletin.updated_at >= updated_since)
            for word in fold(search).split():  # every word, anywhere: "tiem thon 3" finds "Thôn 3 … tiêm"
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                query = query.where(Bulletin.search_text.like(f"%{escaped}%", escape="\\"))
            return [BulletinSummary(*row) for row in s.execute(query).all()]

    def change_marker(self, bulletin_id: int | None = None) -> tuple[object, ...]:
        """A cheap stamp of the library (and of one bulletin's version and state): when it differs from the
        last one, something was saved or decided, maybe on another PC. One query, no rows loaded."""
        with self.db.session() as s:
            count, newest = s.execute(select(func.count(Bulletin.id), func.max(Bulletin.updated_at))).one()
            mine: tuple[object, ...] = ()
            if bulletin_id is not None:
                row = s.execute(select(Bulletin.version, Bulletin.state).where(Bulletin.id == bulletin_id)).first()
                mine = tuple(row) if row is not None else ("gone",)
            return (count, newest, *mine)

    def resolve(self, ref: str | int) -> int:
        """A bulletin id from what a user types: its number or its uid (or a unique uid prefix)."""
        text = str(ref).strip()
        with self.db.session() as s:
            if text.isdigit() and s.get(Bulletin, int(text)) is not None:
                return int(text)
            if len(text) >= 4:
                ids = s.scalars(select(Bulletin.id).where(Bulletin.uid.startswith(text.lower()))).all()
                if len(ids) == 1:
                    return ids[0]
        raise StudioError(NOT_FOUND, ref=text)

    def load(self, bulletin_id: int) -> BulletinDraft:
        with self.db.session() as s:
            row = s.get(Bulletin, bulletin_id, options=[selectinload(Bulletin.segments)])
            if row is None:
                raise StudioError(NOT_FOUND, ref=bulletin_id)
            return _draft(row)

    def save(self, draft: BulletinDraft, *, actor: Actor | None = None) -> BulletinDraft:
        """Insert or update; keeps a revision when the content changed. Returns the saved snapshot.

        ``actor`` (default: the studio itself) needs the right to edit. A change of content voids a
        submission or an approval: the bulletin returns to draft, and its note says who changed it.
        """
        actor = self.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            if draft.id is None:
                row = Bulletin(station_id=draft.station_id, title=draft.title, priority=draft.priority,
                               created_by=actor.id,
                               schedule=draft.schedule.content() if draft.schedule is not None else None)
                s.add(row)
                action = "bulletin.create"
            else:
                found = s.get(Bulletin, draft.id, options=[selectinload(Bulletin.segments)],
                              with_for_update=s.bind is not None and s.bind.dialect.name == "postgresql")
                if found is None:
                    raise StudioError(NOT_FOUND, ref=draft.id)
                row = found
                if row.version != draft.version:
                    raise StaleBulletin(STALE, title=row.title)
                row.title = draft.title
                row.priority = draft.priority
                row.schedule = draft.schedule.content() if draft.schedule is not None else None
                row.updated_at = utcnow()
                row.version = row.version + 1  # every save raises the lock version (models.Bulletin)
                action = "bulletin.save"
            row.search_text = fold("\n".join([draft.title, *(seg.text for seg in draft.segments)]))
            row.segments = [Segment(position=i, kind=seg.kind, text=seg.text, preset_id=seg.preset_id,
                                    source=seg.source, gap=seg.gap, crossfade=seg.crossfade, bed=seg.bed,
                                    key=seg.key or new_segment_key(), take_sha256=seg.take,
                                    version_of=seg.version_of)
                            for i, seg in enumerate(draft.segments)]
            s.flush()
            digest = bulletin_hash(draft)
            last = s.scalars(select(Revision).where(Revision.bulletin_id == row.id)
                             .order_by(Revision.number.desc()).limit(1)).first()
            if last is None or last.content_hash != digest:
                s.add(Revision(bulletin_id=row.id, number=(last.number + 1) if last else 1,
                               content_hash=digest, snapshot=draft.content(), author_id=actor.id))
                row.updated_by = actor.id
                state = after_edit(State(row.state), content_changed=last is not None)
                if state.value != row.state:
                    row.state_note = json.dumps({"reason": "edited", "user": actor.label, "was": row.state},
                                                ensure_ascii=False)
                    row.state, row.approved_hash, row.approved_by, row.approved_at = state.value, None, None, None
                self._audit(s, actor.username, action, f"bulletin:{row.uid}", {"hash": digest})
            s.flush()
            s.refresh(row)
            return _draft(row)

    def delete(self, bulletin_id: int, *, actor: Actor | None = None) -> None:
        actor = self.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = s.get(Bulletin, bulletin_id)
            if row is not None:
                s.delete(row)  # before the audit entry: row locks first, then the log's lock
                self._audit(s, actor.username, "bulletin.delete", f"bulletin:{row.uid}", {"title": row.title})

    def revisions(self, bulletin_id: int) -> list[RevisionInfo]:
        """Every saved revision of the bulletin, oldest first, with who saved it."""
        with self.db.session() as s:
            rows = s.execute(select(Revision.number, Revision.created_at, User.display_name, User.username,
                                    Revision.content_hash)
                             .outerjoin(User, User.id == Revision.author_id)
                             .where(Revision.bulletin_id == bulletin_id).order_by(Revision.number)).all()
            return [RevisionInfo(number, at, display or username or "", digest)
                    for number, at, display, username, digest in rows]

    def revision_snapshot(self, bulletin_id: int, number: int) -> dict[str, Any]:
        """The bulletin's content as saved in revision ``number`` (BulletinDraft.content() form)."""
        with self.db.session() as s:
            snapshot = s.scalars(select(Revision.snapshot).where(Revision.bulletin_id == bulletin_id,
                                                                 Revision.number == number)).first()
            if snapshot is None:
                raise StudioError(NOT_FOUND, ref=f"{bulletin_id}#{number}")
            return dict(snapshot)

    def revision_count(self, bulletin_id: int) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count(Revision.id)).where(Revision.bulletin_id == bulletin_id)) or 0)

    # --- media and renders ---------------------------------------------------------------
    def add_media(self, sha256: str, kind: str, relpath: str, size_bytes: int, duration_ms: int) -> int:
        with self.db.session() as s:
            existing = s.scalars(select(MediaAsset).where(MediaAsset.sha256 == sha256)).first()
            if existing is not None:
                return existing.id
            row = MediaAsset(sha256=sha256, kind=kind, relpath=relpath, size_bytes=size_bytes,
                             duration_ms=duration_ms)
            s.add(row)
            s.flush()
            return row.id

    def add_render(self, bulletin_id: int, asset_id: int, content_hash: str, *, duration_ms: int,
                   integrated_lufs: float, true_peak_dbtp: float, loudness_range: float, profile: str,
                   sidecar: dict[str, Any], layout: dict[str, Any] | None = None,
                   actor: str = "system") -> RenderInfo:
        with self.db.session() as s:
            row = Render(bulletin_id=bulletin_id, asset_id=asset_id, content_hash=content_hash,
                         duration_ms=duration_ms, integrated_lufs=integrated_lufs, true_peak_dbtp=true_peak_dbtp,
                         loudness_range=loudness_range, profile=profile, sidecar=sidecar, layout=layout)
            s.add(row)
            s.flush()
            asset = s.get(MediaAsset, asset_id)
            assert asset is not None
            self._audit(s, actor, "render.create", f"render:{row.id}", {"sha256": asset.sha256})
            return self._render_info(row, asset)

    def latest_render(self, bulletin_id: int, content_hash: str | None = None) -> RenderInfo | None:
        with self.db.session() as s:
            query = select(Render).where(Render.bulletin_id == bulletin_id)
            if content_hash is not None:
                query = query.where(Render.content_hash == content_hash)
            row = s.scalars(query.order_by(Render.id.desc()).limit(1)).first()
            if row is None:
                return None
            return self._render_info(row, row.asset)

    @staticmethod
    def _render_info(row: Render, asset: MediaAsset) -> RenderInfo:
        return RenderInfo(row.id, row.bulletin_id, row.content_hash, asset.sha256, asset.relpath, row.duration_ms,
                          row.integrated_lufs, row.true_peak_dbtp, dict(row.sidecar), row.created_at,
                          dict(row.layout) if row.layout else None)

    # --- delivery targets ----------------------------------------------------------------
    def targets(self) -> list[TargetInfo]:
        with self.db.session() as s:
            rows = s.scalars(select(DeliveryTarget).order_by(DeliveryTarget.name)).all()
            return [TargetInfo(r.id, r.name, r.kind, dict(r.config), r.enabled) for r in rows]

    def target(self, name: str) -> TargetInfo:
        for target in self.targets():
            if target.name == name:
                return target
        raise StudioError(TARGET_NOT_FOUND, name=name)

    def add_target(self, station_id: int, name: str, kind: str, config: dict[str, Any], *,
                   actor: Actor | None = None) -> TargetInfo:
        actor = self.fresh(actor)
        require(actor, Action.MANAGE_STATION)
        with self.db.session() as s:
            if s.scalars(select(DeliveryTarget).where(DeliveryTarget.name == name)).first() is not None:
                raise StudioError(TARGET_EXISTS, name=name)
            row = DeliveryTarget(station_id=station_id, name=name, kind=kind, config=config)
            s.add(row)
            s.flush()
            self._audit(s, actor.username, "target.create", f"target:{name}", {"kind": kind})
            return TargetInfo(row.id, row.name, row.kind, dict(row.config), row.enabled)

    def update_target(self, name: str, config: dict[str, Any], *, enabled: bool | None = None,
                      actor: Actor | None = None) -> TargetInfo:
        """Change a target's settings (address, folder, pinned host key …) or switch it on or off."""
        actor = self.fresh(actor)
        require(actor, Action.MANAGE_STATION)
        with self.db.session() as s:
            row = s.scalars(select(DeliveryTarget).where(DeliveryTarget.name == name)).first()
            if row is None:
                raise StudioError(TARGET_NOT_FOUND, name=name)
            row.config = dict(config)
            if enabled is not None:
                row.enabled = enabled
            s.flush()
            self._audit(s, actor.username, "target.update", f"target:{name}",
                        {"config": dict(config), "enabled": row.enabled})
            return TargetInfo(row.id, row.name, row.kind, dict(row.config), row.enabled)

    def remove_target(self, name: str, *, actor: Actor | None = None) -> None:
        """Forget a target and its delivery history (its delivered programmes stay on the controller)."""
        actor = self.fresh(actor)
        require(actor, Action.MANAGE_STATION)
        with self.db.session() as s:
            row = s.scalars(select(DeliveryTarget).where(DeliveryTarget.name == name)).first()
            if row is None:
                raise StudioError(TARGET_NOT_FOUND, name=name)
            s.delete(row)
            self._audit(s, actor.username, "target.remove", f"target:{name}", {})

    def record_delivery(self, render_id: int, target_id: int, *, ok: bool, error: str = "",
                        actor: str = "system") -> str:
        """Record an attempt; returns the delivery state. One row per (render, target)."""
        with self.db.session() as s:
            row = s.scalars(select(Delivery).where(Delivery.render_id == render_id,
                                                   Delivery.target_id == target_id)).first()
            if row is None:
                row = Delivery(render_id=render_id, target_id=target_id)
                s.add(row)
            row.attempts = (row.attempts or 0) + 1
            row.state = "done" if ok else "failed"
            row.last_error = error
            row.completed_at = utcnow() if ok else None
            s.flush()
            self._audit(s, actor, "delivery.done" if ok else "delivery.failed", f"render:{render_id}",
                        {"target": target_id, "error": error})
            return row.state

    # --- audit ---------------------------------------------------------------------------
    @staticmethod
    def _audit(s: Session, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
        """Append an audit entry chained to the previous one by hash (see :mod:`studio.workflow.audit`).

        The unit of work's own changes are flushed first, so its row locks come before the log's lock
        (one order everywhere: no deadlock); the log stays locked until the unit commits, so two PCs
        cannot both chain onto the same entry.
        """
        s.flush()
        at = _lock_audit_log(s)
        prev = s.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first() or GENESIS
        stored = canonical_details(details)
        s.add(AuditEntry(at=at, actor=actor, action=action, subject=subject, details=stored, prev_hash=prev,
                         hash=entry_hash(at, actor, action, subject, stored, prev)))
        s.flush()

    def append_audit(self, actor: str, action: str, subject: str = "",
                     details: dict[str, Any] | None = None) -> None:
        """Record an event that changes no other row (its own unit of work)."""
        with self.db.session() as s:
            self._audit(s, actor, action, subject, details or {})

    def audit_entries(self, since: datetime | None = None, until: datetime | None = None) -> list[AuditRecord]:
        """Entries with ``since <= at < until`` (either bound optional), in chain order."""
        query = select(*_AUDIT_COLUMNS).order_by(AuditEntry.id)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        with self.db.session() as s:
            return [_audit_record(row) for row in s.execute(query)]

    def verify_audit(self, *, batch: int = 1000) -> ChainReport:
        """Check the whole chain, streaming it ``batch`` rows at a time (a server-side cursor on PostgreSQL)."""
        query = select(*_AUDIT_COLUMNS).order_by(AuditEntry.id).execution_options(yield_per=batch)
        with self.db.session() as s:
            result = s.execute(query)
            try:
                return verify_chain(_audit_record(row) for row in result)
            finally:
                result.close()  # it may stop at a break: release the server-side cursor now


# pg_advisory_xact_lock key of the audit log: the first 8 bytes of sha256("studio.audit_entry"), signed.
AUDIT_LOCK_KEY = int.from_bytes(hashlib.sha256(b"studio.audit_entry").digest()[:8], "big", signed=True)
_AUDIT_COLUMNS = (AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.subject,
                  AuditEntry.details, AuditEntry.prev_hash, AuditEntry.hash)


def _lock_audit_log(s: Session) -> datetime:
    """Hold the audit log against other writers until ``s`` ends; returns the entry's time.

    PostgreSQL: a transaction-level advisory lock, and the server's clock, so entries from several PCs
    are in time order. SQLite: a write statement that changes nothing takes the database's write lock
    (a plain read would not: pysqlite begins the transaction only at the first write).
    """
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        s.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK_KEY)))
        now = s.scalar(select(func.clock_timestamp(type_=DateTime(timezone=True))))
        if isinstance(now, datetime) and now.tzinfo is not None:
            return now.astimezone(UTC)
    elif dialect == "sqlite":
        s.execute(update(AuditEntry).where(false()).values(hash=AuditEntry.hash)
                  .execution_options(synchronize_session=False))
    return utcnow()


def _audit_record(row: Row[Any]) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash, row.hash)
