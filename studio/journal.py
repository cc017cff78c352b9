"""The typing journal: the open bulletin as it stands on screen, kept on the local disk within a second of
every change, so a crash or a power cut loses at most the last second or two of typing.

The database is saved a moment after typing stops (each save is a revision in the bulletin's history);
the journal is the cheap, frequent copy in between. One small JSON file per bulletin in
``<data>/unsaved``, replaced atomically (written beside, synced, renamed): a cut mid-write leaves the
previous copy whole. The file goes once the bulletin is saved; a file still there at the next start
holds text the database never got, and the window offers it back.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.fileio import replacing
from studio.workflow.schedule import Schedule

log = logging.getLogger(__name__)

JOURNAL_FORMAT = 1
_SEGMENT_FIELDS = {f.name for f in fields(SegmentDraft)} - {"key"}


@dataclass(frozen=True)
class JournalEntry:
    """A bulletin as it was on screen at ``written_at``, never saved to the database."""

    path: Path
    draft: BulletinDraft
    written_at: datetime


def record_of(draft: BulletinDraft, now: datetime | None = None) -> dict[str, Any]:
    """What the journal keeps: the content, the segments' keys (their takes belong to them) and the ids
    and version the bulletin was loaded at."""
    return {"format": JOURNAL_FORMAT, "id": draft.id, "uid": draft.uid, "station_id": draft.station_id,
            "version": draft.version, "state": draft.state, "keys": [s.key for s in draft.segments],
            "written_at": (now or datetime.now(UTC)).isoformat(), "content": draft.content()}


def draft_of(record: dict[str, Any]) -> BulletinDraft:
    """The bulletin back from :func:`record_of` (``ValueError``/``KeyError``/``TypeError`` when damaged)."""
    content = record["content"]
    keys = list(record.get("keys") or [])
    segments = []
    for index, data in enumerate(content.get("segments", [])):
        known = {name: value for name, value in data.items() if name in _SEGMENT_FIELDS}
        segments.append(SegmentDraft(**known, key=keys[index] if index < len(keys) else ""))
    schedule = Schedule.from_content(content["schedule"]) if content.get("schedule") else None
    return BulletinDraft(content.get("title", ""), int(record["station_id"]), tuple(segments),
                         content.get("priority", "normal"), record.get("id"), record.get("uid", ""),
                         record.get("state", "draft"), int(record.get("version", 0)), schedule=schedule)


class Journal:
    """The journal files in ``folder``; safe to use from one thread at a time (the window's journal thread)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, draft: BulletinDraft) -> Path:
        return self.folder / f"{draft.uid or 'new'}.json"

    def keep(self, draft: BulletinDraft) -> Path:
        """Write ``draft`` over its previous journal copy (atomically). Raises StudioError (disk full …)."""
        path = self.path_for(draft)
        self.folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(record_of(draft), ensure_ascii=False, indent=1)
        with replacing(path) as temp:
            temp.write_text(data, encoding="utf-8")
        return path

    def forget(self, draft: BulletinDraft) -> None:
        """The bulletin is saved: its journal copy goes."""
        try:
            self.path_for(draft).unlink(missing_ok=True)
        except OSError as exc:  # harmless: found identical to the database at the next start, and removed
            log.warning("cannot remove the journal copy of %s: %s", draft.uid, exc)

    def entries(self) -> list[JournalEntry]:
        """Every bulletin copy in the journal, oldest first. A damaged file (cut off by a crash before the
        journal wrote atomically, or edited by hand) is set aside as ``.damaged`` and skipped."""
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        found: list[JournalEntry] = []
        for path in paths:
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                entry = JournalEntry(path, draft_of(record), datetime.fromisoformat(record["written_at"]))
            except OSError as exc:
                log.warning("cannot read journal copy %s: %s", path, exc)
                continue
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("journal copy %s is damaged (%s); set aside", path, exc)
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_suffix(".damaged"))
                continue
            found.append(entry)
        return sorted(found, key=lambda entry: entry.written_at)

    def discard(self, entry: JournalEntry) -> None:
        try:
            entry.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot remove journal copy %s: %s", entry.path, exc)
