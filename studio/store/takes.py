"""Recorded takes in the library: every take of a segment is kept, raw and cleaned.

A segment names its chosen take by the cleaned audio's sha256 (:attr:`studio.bulletin.SegmentDraft.take`),
so choosing another take is an edit of the bulletin (and voids an approval), while the takes themselves
— the announcer's work — are never overwritten or lost when the text changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from studio.store.db import Database
from studio.store.models import Take
from studio.store.repo import Repository


@dataclass(frozen=True)
class TakeInfo:
    id: int
    bulletin_id: int | None  # a bulletin's segment (``segment_key``) …
    phrase_id: int | None  # … or a phrase of the phrase bank
    segment_key: str
    sha256: str  # the cleaned audio: what the programme plays
    relpath: str
    raw_sha256: str  # as recorded or imported, kept untouched
    raw_relpath: str
    duration_ms: int
    peak_dbfs: float
    rms_dbfs: float
    clipped: bool
    source: str  # booth | import
    cleanup: dict[str, Any]
    created_at: datetime
    created_by: str


def _info(row: Take) -> TakeInfo:
    return TakeInfo(row.id, row.bulletin_id, row.phrase_id, row.segment_key, row.sha256, row.relpath, row.raw_sha256,
                    row.raw_relpath, row.duration_ms, row.peak_dbfs, row.rms_dbfs, row.clipped, row.source,
                    dict(row.cleanup), row.created_at, row.created_by)


class TakeStore:
    """Rows of :class:`~studio.store.models.Take`; the audio lives in the media store."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, bulletin_id: int | None, segment_key: str, sha256: str, relpath: str, raw_sha256: str,
            raw_relpath: str, duration_ms: int, peak_dbfs: float, rms_dbfs: float, clipped: bool, source: str,
            cleanup: dict[str, Any], actor: str, phrase_id: int | None = None) -> TakeInfo:
        """Record a take of a bulletin's segment, or (``phrase_id``) of a phrase. The same recording kept
        twice (a take recovered after a crash that came just after it was kept) stays one take."""
        with self.db.session() as s:
            same = s.scalars(select(Take).where(Take.bulletin_id == bulletin_id, Take.phrase_id == phrase_id,
                                                Take.segment_key == segment_key, Take.sha256 == sha256,
                                                Take.raw_sha256 == raw_sha256).limit(1)).first()
            if same is not None:
                return _info(same)
            row = Take(bulletin_id=bulletin_id, phrase_id=phrase_id, segment_key=segment_key, sha256=sha256,
                       relpath=relpath, raw_sha256=raw_sha256, raw_relpath=raw_relpath, duration_ms=duration_ms,
                       peak_dbfs=peak_dbfs, rms_dbfs=rms_dbfs, clipped=clipped, source=source, cleanup=cleanup,
                       created_by=actor)
            s.add(row)
            s.flush()
            subject = f"phrase:{phrase_id}" if phrase_id is not None else f"bulletin:{bulletin_id}"
            Repository._audit(s, actor, "take.add", subject,
                              {"segment": segment_key, "sha256": sha256, "raw": raw_sha256, "source": source})
            return _info(row)

    def of_segment(self, bulletin_id: int, segment_key: str) -> list[TakeInfo]:
        """The segment's takes, newest first."""
        with self.db.session() as s:
            rows = s.scalars(select(Take).where(Take.bulletin_id == bulletin_id, Take.segment_key == segment_key)
                             .order_by(Take.id.desc()))
            return [_info(row) for row in rows]

    def of_phrase(self, phrase_id: int) -> list[TakeInfo]:
        """The phrase's takes, newest first."""
        with self.db.session() as s:
            rows = s.scalars(select(Take).where(Take.phrase_id == phrase_id).order_by(Take.id.desc()))
            return [_info(row) for row in rows]

    def by_sha(self, sha256: str) -> TakeInfo | None:
        with self.db.session() as s:
            row = s.scalars(select(Take).where(Take.sha256 == sha256).order_by(Take.id).limit(1)).first()
            return _info(row) if row is not None else None
