"""Repositories: the only code that turns rows into the studio's plain values and back.

Callers get frozen snapshots (``BulletinDraft``, ``StationInfo`` …), never live ORM objects, so the
values can travel to worker threads. Saving a bulletin checks the version it was loaded at: if someone
else saved in between, :class:`StaleBulletin` is raised and nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from studio.bulletin import SEGMENT_KINDS, BulletinDraft, SegmentDraft, bulletin_hash
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
    utcnow,
)

NOT_FOUND = QT_TRANSLATE_NOOP("Messages", "Bulletin {ref} was not found.")
STALE = QT_TRANSLATE_NOOP(
    "Messages", "Someone else saved “{title}” while you were editing. Your text is kept; reload to see theirs."
)
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
                       tuple(kind for kind in row.bed_kinds.split(",") if kind))


def _draft(row: Bulletin) -> BulletinDraft:
    return BulletinDraft(
        title=row.title,
        station_id=row.station_id,
        segments=tuple(SegmentDraft(s.text, s.preset_id, s.kind, s.source, s.gap, s.crossfade, s.bed)
                       for s in row.segments),
        priority=row.priority,
        id=row.id,
        uid=row.uid,
        state=row.state,
        version=row.version,
        meta={"updated_at": row.updated_at},
    )


class Repository:
    """Reads and writes the studio's library through short units of work on one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- station -------------------------------------------------------------------------
    def first_station(self) -> StationInfo | None:
        with self.db.session() as s:
            row = s.scalars(select(Station).order_by(Station.id).limit(1)).first()
            return _station_info(row) if row else None

    def create_station(self, name: str, *, commune: str = "", province: str = "", series: str = "",
                       default_preset: str = "vi-north-offline") -> StationInfo:
        with self.db.session() as s:
            row = Station(name=name, commune=commune, province=province, series=series,
                          default_preset=default_preset)
            s.add(row)
            s.flush()
            self._audit(s, "system", "station.create", f"station:{row.id}", {"name": name})
            return _station_info(row)

    def station(self, station_id: int) -> StationInfo:
        with self.db.session() as s:
            row = s.get(Station, station_id)
            if row is None:
                raise StudioError(QT_TRANSLATE_NOOP("Messages", "The station is missing from the database."))
            return _station_info(row)

    def set_station_jingle(self, station_id: int, which: str, jingle_id: str) -> StationInfo:
        """Make ``jingle_id`` the station's ``opening``, ``closing``, ``stinger`` or ``bed`` ("" for none)."""
        with self.db.session() as s:
            row = s.get(Station, station_id)
            if row is None:
                raise StudioError(QT_TRANSLATE_NOOP("Messages", "The station is missing from the database."))
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
            self._audit(s, "officer", "station.jingle", f"station:{row.id}", {which: jingle_id})
            s.flush()
            return _station_info(row)

    def set_bed_kinds(self, station_id: int, kinds: Sequence[str]) -> StationInfo:
        """The segment kinds the station's music bed plays under (a segment may say otherwise)."""
        with self.db.session() as s:
            row = s.get(Station, station_id)
            if row is None:
                raise StudioError(QT_TRANSLATE_NOOP("Messages", "The station is missing from the database."))
            row.bed_kinds = ",".join(kind for kind in SEGMENT_KINDS if kind in kinds)
            self._audit(s, "officer", "station.bed_kinds", f"station:{row.id}", {"kinds": row.bed_kinds})
            s.flush()
            return _station_info(row)

    # --- bulletins -----------------------------------------------------------------------
    def list_bulletins(self, search: str = "") -> list[BulletinSummary]:
        with self.db.session() as s:
            count = (select(func.count(Segment.id)).where(Segment.bulletin_id == Bulletin.id)
                     .correlate(Bulletin).scalar_subquery())
            query = select(Bulletin, count).order_by(Bulletin.updated_at.desc(), Bulletin.id.desc())
            if search.strip():
                like = f"%{search.strip()}%"
                query = query.where(or_(Bulletin.title.ilike(like),
                                        Bulletin.segments.any(Segment.text.ilike(like))))
            return [BulletinSummary(b.id, b.uid, b.title, b.state, b.priority, b.updated_at, n)
                    for b, n in s.execute(query).all()]

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

    def save(self, draft: BulletinDraft, *, actor: str = "officer") -> BulletinDraft:
        """Insert or update; keeps a revision when the content changed. Returns the saved snapshot."""
        with self.db.session() as s:
            if draft.id is None:
                row = Bulletin(station_id=draft.station_id, title=draft.title, priority=draft.priority)
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
                row.updated_at = utcnow()  # always dirty: every save bumps the lock version
                action = "bulletin.save"
            row.segments = [Segment(position=i, kind=seg.kind, text=seg.text, preset_id=seg.preset_id,
                                    source=seg.source, gap=seg.gap, crossfade=seg.crossfade, bed=seg.bed)
                            for i, seg in enumerate(draft.segments)]
            s.flush()
            digest = bulletin_hash(draft)
            last = s.scalars(select(Revision).where(Revision.bulletin_id == row.id)
                             .order_by(Revision.number.desc()).limit(1)).first()
            if last is None or last.content_hash != digest:
                s.add(Revision(bulletin_id=row.id, number=(last.number + 1) if last else 1,
                               content_hash=digest, snapshot=draft.content()))
                self._audit(s, actor, action, f"bulletin:{row.uid}", {"hash": digest})
            s.flush()
            s.refresh(row)
            return _draft(row)

    def delete(self, bulletin_id: int, *, actor: str = "officer") -> None:
        with self.db.session() as s:
            row = s.get(Bulletin, bulletin_id)
            if row is not None:
                self._audit(s, actor, "bulletin.delete", f"bulletin:{row.uid}", {"title": row.title})
                s.delete(row)

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
                   actor: str = "officer") -> RenderInfo:
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

    def add_target(self, station_id: int, name: str, kind: str, config: dict[str, Any]) -> TargetInfo:
        with self.db.session() as s:
            if s.scalars(select(DeliveryTarget).where(DeliveryTarget.name == name)).first() is not None:
                raise StudioError(TARGET_EXISTS, name=name)
            row = DeliveryTarget(station_id=station_id, name=name, kind=kind, config=config)
            s.add(row)
            s.flush()
            self._audit(s, "admin", "target.create", f"target:{name}", {"kind": kind})
            return TargetInfo(row.id, row.name, row.kind, dict(row.config), row.enabled)

    def record_delivery(self, render_id: int, target_id: int, *, ok: bool, error: str = "",
                        actor: str = "officer") -> str:
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
        """Append an audit entry chained to the previous one by hash."""
        prev = s.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first() or ""
        at = utcnow()
        payload = json.dumps([at.isoformat(), actor, action, subject, details, prev],
                             ensure_ascii=False, sort_keys=True, default=str)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        s.add(AuditEntry(at=at, actor=actor, action=action, subject=subject, details=details, prev_hash=prev,
                         hash=digest))
