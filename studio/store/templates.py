"""Templates for new bulletins: the standard running order the studio ships, and the station's own.

A commune bulletin follows one shape (DOMAIN.md): opening jingle and station ident, greeting and
overview, news items and notices, closing ident and closing jingle. The studio ships that shape with the
usual wording, and an emergency notice; nothing official mandates the words, so a station saves its own
templates from any bulletin ("Save as template"), with its own ident, greetings, phrases recorded in its
languages, and voices. ``{station}``, ``{commune}`` and ``{date}`` in a template's title or text are filled
in when a bulletin is made from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from studio.bulletin import PRIORITIES, SEGMENT_KINDS, BulletinDraft, SegmentDraft, clean_text, new_segment_key
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError
from studio.store.db import Database
from studio.store.models import BulletinTemplate
from studio.store.repo import Repository, StationInfo
from studio.workflow.accounts import Actor
from studio.workflow.states import Action, require

TEMPLATE_NAME_NEEDED = QT_TRANSLATE_NOOP(CONTEXT, "A template needs a name.")
TEMPLATE_EXISTS = QT_TRANSLATE_NOOP(CONTEXT, "There is a template called “{name}” already; choose another name.")
TEMPLATE_MISSING = QT_TRANSLATE_NOOP(CONTEXT, "The template was deleted meanwhile.")
TEMPLATE_BUILT_IN = QT_TRANSLATE_NOOP(CONTEXT, "The studio's own templates cannot be deleted.")

STANDARD = QT_TRANSLATE_NOOP("Templates", "Standard bulletin")
EMERGENCY = QT_TRANSLATE_NOOP("Templates", "Emergency notice")
EMPTY = QT_TRANSLATE_NOOP("Templates", "Empty bulletin")
_PLACES = ("station", "commune", "date")


@dataclass(frozen=True)
class TemplateInfo:
    """A template: ``id`` None for the studio's own (``name`` is then an English label to translate)."""

    id: int | None
    name: str
    content: Mapping[str, Any]

    @property
    def built_in(self) -> bool:
        return self.id is None

    @property
    def segments(self) -> list[Mapping[str, Any]]:
        return list(self.content.get("segments", ()))


def _segment(kind: str, text: str = "") -> dict[str, Any]:
    return {"kind": kind, "text": text, "preset_id": ""}  # "": the station's voice


BUILT_IN: tuple[TemplateInfo, ...] = (
    TemplateInfo(None, STANDARD, {"title": "Bản tin {date}", "priority": "normal", "segments": [
        _segment("ident", "Đây là {station}."),
        _segment("greeting", "Kính thưa bà con nhân dân trong xã! Sau đây là bản tin của {station}."),
        _segment("news"),
        _segment("news"),
        _segment("notice"),
        _segment("closing", "Bản tin đến đây là kết thúc. Cảm ơn bà con đã chú ý lắng nghe."),
    ]}),
    TemplateInfo(None, EMERGENCY, {"title": "Thông báo khẩn {date}", "priority": "emergency", "segments": [
        _segment("ident", "Đây là {station}. Thông báo khẩn."),
        _segment("notice"),
        _segment("closing", "Đề nghị bà con thực hiện nghiêm túc. {station} sẽ tiếp tục thông báo."),
    ]}),
    TemplateInfo(None, EMPTY, {"title": "Bản tin {date}", "priority": "normal", "segments": [_segment("news")]}),
)


def template_content(draft: BulletinDraft) -> dict[str, Any]:
    """A bulletin as a template: its title, priority and segments (wording, voice, timing, recording)."""
    return {"title": draft.title, "priority": draft.priority,
            "segments": [{**segment.content(), "key": segment.key} for segment in draft.segments]}


def fill(text: str, station: StationInfo, today: date) -> str:
    """``{station}``, ``{commune}`` and ``{date}`` filled in; any other brace is left as typed."""
    values = {"station": station.name, "commune": station.commune or station.name,
              "date": today.strftime("%d/%m/%Y")}
    for place in _PLACES:
        text = text.replace("{" + place + "}", values[place])
    return text


def bulletin_from(template: TemplateInfo, station: StationInfo, today: date) -> BulletinDraft:
    """A new bulletin (not saved) in ``template``'s shape for ``station``."""
    content = template.content
    keys = {str(data.get("key")): new_segment_key() for data in template.segments if data.get("key")}
    segments = []
    for data in template.segments:
        kind = str(data.get("kind", "news"))
        segments.append(SegmentDraft(
            fill(str(data.get("text", "")), station, today), str(data.get("preset_id") or station.default_preset),
            kind if kind in SEGMENT_KINDS else "news", str(data.get("source", "tts")), data.get("gap"),
            float(data.get("crossfade", 0.0)), data.get("bed"), data.get("take"),
            keys.get(str(data.get("key")), new_segment_key()),  # fresh keys: takes stay with their bulletin
            keys.get(str(data.get("version_of"))) if data.get("version_of") else None))
    priority = str(content.get("priority", "normal"))
    return BulletinDraft(fill(str(content.get("title", "")), station, today), station.id, tuple(segments),
                         priority if priority in PRIORITIES else "normal")


class TemplateStore:
    """The built-in templates and the station's own (stored, audited)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.repo = Repository(db)

    def templates(self, station_id: int) -> list[TemplateInfo]:
        """The studio's own first, then the station's by name."""
        with self.db.session() as s:
            rows = s.scalars(select(BulletinTemplate).where(BulletinTemplate.station_id == station_id)
                             .order_by(BulletinTemplate.name))
            return [*BUILT_IN, *(TemplateInfo(row.id, row.name, dict(row.content)) for row in rows)]

    def save(self, station_id: int, name: str, draft: BulletinDraft, *, actor: Actor) -> TemplateInfo:
        """Keep ``draft``'s shape and wording as the station's template ``name``."""
        actor = self.repo.fresh(actor)
        require(actor, Action.EDIT)
        name = " ".join(clean_text(name).split())
        if not name:
            raise StudioError(TEMPLATE_NAME_NEEDED)
        with self.db.session() as s:
            taken = s.scalars(select(BulletinTemplate.id).where(BulletinTemplate.station_id == station_id,
                                                                BulletinTemplate.name == name)).first()
            if taken is not None:
                raise StudioError(TEMPLATE_EXISTS, name=name)
            row = BulletinTemplate(station_id=station_id, name=name, content=template_content(draft),
                                   created_by=actor.username)
            s.add(row)
            s.flush()
            Repository._audit(s, actor.username, "template.save", f"template:{row.id}", {"name": name})
            return TemplateInfo(row.id, row.name, dict(row.content))

    def delete(self, template: TemplateInfo, *, actor: Actor) -> None:
        if template.id is None:
            raise StudioError(TEMPLATE_BUILT_IN)
        actor = self.repo.fresh(actor)
        require(actor, Action.EDIT)
        with self.db.session() as s:
            row = s.get(BulletinTemplate, template.id)
            if row is None:
                raise StudioError(TEMPLATE_MISSING)
            Repository._audit(s, actor.username, "template.delete", f"template:{row.id}", {"name": row.name})
            s.delete(row)
