"""The phrase bank: phrases recorded once per language and reused in every bulletin.

The station ident, the greeting and the closing in Thái or H'Mông are read by an announcer once, approved
once by a reviewer, and then inserted into bulletins as segments playing that exact recording. A phrase is
usable only while its chosen take is the approved one: recording it again needs a new approval, and a
bulletin that already contains the old recording keeps it (its own approval covers that sha256).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from studio.bulletin import SEGMENT_KINDS, SegmentDraft, clean_text, new_segment_key
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.store.db import Database
from studio.store.models import Phrase, Take, utcnow
from studio.store.repo import Repository, StaleBulletin
from studio.workflow.accounts import Actor
from studio.workflow.states import Action, require

PHRASE_MISSING = QT_TRANSLATE_NOOP("Messages", "The phrase was deleted meanwhile.")
PHRASE_STALE = QT_TRANSLATE_NOOP("Messages", "Someone else changed the phrase “{name}” meanwhile; reload it.")
PHRASE_NO_TAKE = QT_TRANSLATE_NOOP("Messages", "The phrase “{name}” has no recording to approve yet.")
PHRASE_NOT_APPROVED = QT_TRANSLATE_NOOP(
    "Messages", "The phrase “{name}” is not approved: a reviewer must listen to its recording first.")
PHRASE_NAME_NEEDED = QT_TRANSLATE_NOOP("Messages", "A phrase needs a name.")
TAKE_NOT_OF_PHRASE = QT_TRANSLATE_NOOP("Messages", "That recording does not belong to the phrase “{name}”.")


@dataclass(frozen=True)
class PhraseInfo:
    id: int | None
    station_id: int
    preset_id: str
    name: str
    kind: str = "ident"
    text: str = ""
    gloss_vi: str = ""
    take_sha256: str | None = None
    approved_sha256: str | None = None
    approved_by: str = ""
    approved_at: datetime | None = None
    version: int = 0

    @property
    def approved(self) -> bool:
        """Usable in bulletins: its current recording is the one a reviewer approved."""
        return self.take_sha256 is not None and self.approved_sha256 == self.take_sha256

    def segment(self) -> SegmentDraft:
        """The phrase as a bulletin segment playing its approved recording."""
        if not self.approved:
            raise StudioError(PHRASE_NOT_APPROVED, name=self.name)
        return SegmentDraft(self.text, self.preset_id, self.kind, "phrase", take=self.approved_sha256,
                            key=new_segment_key())


def _info(row: Phrase) -> PhraseInfo:
    return PhraseInfo(row.id, row.station_id, row.preset_id, row.name, row.kind, row.text, row.gloss_vi,
                      row.take_sha256, row.approved_sha256, row.approved_by, row.approved_at, row.version)


class PhraseStore:
    """Phrases and their approval, checked against the acting person's rights in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.repo = Repository(db)

    def phrases(self, station_id: int, preset_id: str | None = None) -> list[PhraseInfo]:
        with self.db.session() as s:
            query = select(Phrase).where(Phrase.station_id == station_id)
            if preset_id is not None:
                query = query.where(Phrase.preset_id == preset_id)
            return [_info(row) for row in s.scalars(query.order_by(Phrase.preset_id, Phrase.kind, Phrase.name))]

    def get(self, phrase_id: int) -> PhraseInfo:
        with self.db.session() as s:
            row = s.get(Phrase, phrase_id)
            if row is None:
                raise StudioError(PHRASE_MISSING)
            return _info(row)

    def save(self, phrase: PhraseInfo, *, actor: Actor) -> PhraseInfo:
        """Create or update name, kind, text and gloss (the recording is chosen with :meth:`choose_take`)."""
        actor = self.repo.fresh(actor)
        require(actor, Action.EDIT)
        name = clean_text(phrase.name).strip()
        if not name:
            raise StudioError(PHRASE_NAME_NEEDED)
        with self.db.session() as s:
            if phrase.id is None:
                row = Phrase(station_id=phrase.station_id, preset_id=phrase.preset_id, name=name)
                s.add(row)
            else:
                found = s.get(Phrase, phrase.id)
                if found is None:
                    raise StudioError(PHRASE_MISSING)
                if found.version != phrase.version:
                    raise StaleBulletin(PHRASE_STALE, name=found.name)
                row = found
                row.version = row.version + 1
            row.name, row.preset_id = name, phrase.preset_id
            row.kind = phrase.kind if phrase.kind in SEGMENT_KINDS else "ident"
            row.text, row.gloss_vi = clean_text(phrase.text), clean_text(phrase.gloss_vi)
            s.flush()
            Repository._audit(s, actor.username, "phrase.save", f"phrase:{row.id}", {"name": name})
            return _info(row)

    def choose_take(self, phrase_id: int, sha256: str, *, actor: Actor) -> PhraseInfo:
        """Make one of the phrase's takes its recording; a new recording needs a new approval."""
        actor = self.repo.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = s.get(Phrase, phrase_id)
            if row is None:
                raise StudioError(PHRASE_MISSING)
            mine = s.scalars(select(Take.id).where(Take.phrase_id == phrase_id, Take.sha256 == sha256)).first()
            if mine is None:
                raise StudioError(TAKE_NOT_OF_PHRASE, name=row.name)
            row.take_sha256 = sha256
            row.version = row.version + 1
            Repository._audit(s, actor.username, "phrase.take", f"phrase:{row.id}", {"sha256": sha256})
            s.flush()
            return _info(row)

    def approve(self, phrase_id: int, *, actor: Actor) -> PhraseInfo:
        """A reviewer approves the phrase's current recording (only that sha256)."""
        actor = self.repo.fresh(actor)
        require(actor, Action.APPROVE)
        with self.db.session() as s:
            row = s.get(Phrase, phrase_id)
            if row is None:
                raise StudioError(PHRASE_MISSING)
            if row.take_sha256 is None:
                raise StudioError(PHRASE_NO_TAKE, name=row.name)
            row.approved_sha256, row.approved_by, row.approved_at = row.take_sha256, actor.label, utcnow()
            row.version = row.version + 1
            Repository._audit(s, actor.username, "phrase.approve", f"phrase:{row.id}", {"sha256": row.take_sha256})
            s.flush()
            return _info(row)

    def delete(self, phrase_id: int, *, actor: Actor) -> None:
        """Remove a phrase and its takes from the bank (bulletins that use it keep their copy of the audio)."""
        actor = self.repo.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = s.get(Phrase, phrase_id)
            if row is not None:
                Repository._audit(s, actor.username, "phrase.delete", f"phrase:{row.id}", {"name": row.name})
                s.delete(row)
