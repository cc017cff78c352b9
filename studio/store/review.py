"""Accounts, review decisions and comments in the database; the rules themselves are in :mod:`studio.workflow`.

Every decision is taken inside the unit of work that writes it: the bulletin row is read (locked on
PostgreSQL), :func:`studio.workflow.states.decide` says yes or no, and the new state, the approval record
and the audit entry are written together or not at all. Two reviewers on two PCs cannot both move the
same bulletin from the same state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.store.db import Database
from studio.store.models import Approval, Bulletin, Comment, Revision, Station, User, utcnow
from studio.store.repo import NOT_FOUND, STALE, Repository, StaleBulletin
from studio.workflow.accounts import (
    BAD_LOGIN,
    BAD_LOGIN_HINT,
    LOCKED,
    LOCKED_HINT,
    MAX_USERNAME_CHARS,
    AccountLocked,
    Actor,
    LockoutPolicy,
    LoginFailed,
    Role,
    check_display_name,
    hash_password,
    needs_rehash,
    normalise_username,
    verify_password,
)
from studio.workflow.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, SessionRules
from studio.workflow.states import Action, BulletinFacts, NotAllowed, State, decide, deliverable, require

USER_EXISTS = QT_TRANSLATE_NOOP("Messages", "There is already an account called “{name}”.")
USER_NOT_FOUND = QT_TRANSLATE_NOOP("Messages", "There is no account called “{name}”.")
LAST_ADMIN = QT_TRANSLATE_NOOP(
    "Messages", "“{name}” is the last administrator: the station needs one, so this account stays an active "
    "administrator.")
EMPTY_COMMENT = QT_TRANSLATE_NOOP("Messages", "Write what should change before sending the bulletin back.")
LONG_COMMENT = QT_TRANSLATE_NOOP("Messages", "A comment can have at most {limit} characters.")
CHANGED_WHILE_REVIEWING = QT_TRANSLATE_NOOP(
    "Messages", "“{title}” was changed while you were reviewing it. Read the new version, then decide again.")
BAD_RULES = QT_TRANSLATE_NOOP(
    "Messages", "A session lasts {low} to {high} minutes, and a station has 1 to 24 sessions a day.")
MAX_COMMENT_CHARS = 20_000


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None

    def actor(self) -> Actor:
        return Actor(self.id, self.username, self.role, self.display_name)


@dataclass(frozen=True)
class ReviewStatus:
    """Where a bulletin stands in review, for badges and the review panel."""

    bulletin_id: int
    title: str
    state: State
    version: int
    created_by: int | None
    updated_by: int | None
    approved_hash: str | None
    approved_by: str
    approved_at: datetime | None
    note: dict[str, str]  # why it is in this state: {"reason": "edited" | "changes", "user": "..."} or {}

    def facts(self) -> BulletinFacts:
        return BulletinFacts(self.title, self.state, self.created_by, self.updated_by, self.approved_hash)


@dataclass(frozen=True)
class CommentInfo:
    id: int
    segment_position: int | None
    revision_number: int
    author: str
    at: datetime
    text: str
    resolved: bool


@dataclass(frozen=True)
class ApprovalInfo:
    revision_number: int
    content_hash: str
    reviewer: str
    at: datetime
    decision: str
    comment: str
    single_person: bool


def _user_info(row: User) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name, Role(row.role), row.active, row.locked_until)


def _note(row: Bulletin) -> dict[str, str]:
    try:
        note = json.loads(row.state_note) if row.state_note else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in note.items()} if isinstance(note, dict) else {}


def _status(s: Session, row: Bulletin) -> ReviewStatus:
    approver = s.get(User, row.approved_by) if row.approved_by is not None else None
    return ReviewStatus(row.id, row.title, State(row.state), row.version, row.created_by, row.updated_by,
                        row.approved_hash, (approver.display_name or approver.username) if approver else "",
                        row.approved_at, _note(row))


def _check_comment(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > MAX_COMMENT_CHARS:
        raise StudioError(LONG_COMMENT, limit=MAX_COMMENT_CHARS)
    return cleaned


class ReviewStore:
    """Accounts (login with lockout), review transitions bound to content, comments and approvals."""

    def __init__(self, db: Database, policy: LockoutPolicy | None = None) -> None:
        self.db = db
        self.policy = policy or LockoutPolicy()

    # --- accounts ------------------------------------------------------------------------
    def user_count(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count(User.id))) or 0)

    def users(self) -> list[UserInfo]:
        with self.db.session() as s:
            return [_user_info(row) for row in s.scalars(select(User).order_by(User.username))]

    def create_user(self, username: str, password: str, role: Role, *, display_name: str = "",
                    actor: Actor | None = None) -> UserInfo:
        """A new account. The very first account is always an administrator's."""
        name = normalise_username(username)
        display = check_display_name(display_name)
        hashed = hash_password(password)  # checks the length, before anything is written
        with self.db.session() as s:
            if s.scalar(select(func.count(User.id))):
                acting = Repository.current(s, actor) if actor is not None else Actor.system()
                require(acting, Action.MANAGE_USERS)  # the studio itself: the installer's CLI on this PC
            elif role is not Role.ADMIN:
                role = Role.ADMIN  # the first account administers the station
            if s.scalars(select(User.id).where(User.username == name)).first() is not None:
                raise StudioError(USER_EXISTS, name=name)
            row = User(username=name, display_name=display, role=role.value, password_hash=hashed)
            s.add(row)
            s.flush()
            Repository._audit(s, actor.username if actor else name, "user.create", f"user:{name}",
                              {"role": role.value})
            return _user_info(row)

    def authenticate(self, username: str, password: str) -> Actor:
        """The account's actor if the password is right; :class:`LoginFailed` (never saying which part was
        wrong) or :class:`AccountLocked` otherwise. Failures are counted and audited."""
        try:
            name = normalise_username(username)
        except StudioError:
            verify_password(password, None)  # same time as a real check
            with self.db.session() as s:
                shown = username[:MAX_USERNAME_CHARS]
                Repository._audit(s, shown, "login.failed", f"user:{shown}", {"known": False})
            raise LoginFailed(BAD_LOGIN, hint=BAD_LOGIN_HINT) from None
        error: StudioError
        with self.db.session() as s:  # the failure count and the audit entry are committed, then raised
            row = s.scalars(select(User).where(User.username == name).with_for_update()).first()
            now = utcnow()
            if row is None or not row.active:
                verify_password(password, None)
                Repository._audit(s, name, "login.failed", f"user:{name}", {"known": row is not None})
                error = LoginFailed(BAD_LOGIN, hint=BAD_LOGIN_HINT)
            elif minutes := self.policy.locked_for(row.locked_until, now):
                Repository._audit(s, name, "login.locked", f"user:{name}", {})
                error = AccountLocked(LOCKED, hint=LOCKED_HINT, minutes=minutes)
            elif not verify_password(password, row.password_hash):
                row.failed_logins, row.locked_until = self.policy.after_failure(row.failed_logins, now)
                Repository._audit(s, name, "login.failed", f"user:{name}",
                                  {"locked": row.locked_until is not None})
                error = LoginFailed(BAD_LOGIN, hint=BAD_LOGIN_HINT)
            else:
                row.failed_logins, row.locked_until = 0, None
                if needs_rehash(row.password_hash):
                    row.password_hash = hash_password(password)
                Repository._audit(s, name, "login.ok", f"user:{name}", {})
                return _user_info(row).actor()
        raise error

    def set_password(self, username: str, password: str, *, actor: Actor) -> None:
        """A new password: the account's own, or any account's for an administrator."""
        name = normalise_username(username)
        actor = Repository(self.db).fresh(actor)
        if actor.username != name:
            require(actor, Action.MANAGE_USERS)
        hashed = hash_password(password)
        with self.db.session() as s:
            row = self._user(s, name)
            row.password_hash, row.failed_logins, row.locked_until = hashed, 0, None
            Repository._audit(s, actor.username, "user.password", f"user:{name}", {})

    def set_user(self, username: str, *, actor: Actor, role: Role | None = None, active: bool | None = None,
                 unlock: bool = False) -> UserInfo:
        actor = Repository(self.db).fresh(actor)
        require(actor, Action.MANAGE_USERS)
        name = normalise_username(username)
        with self.db.session() as s:
            row = self._user(s, name)
            demoted = (role is not None and role is not Role.ADMIN) or active is False
            if row.role == Role.ADMIN.value and demoted:
                admins = s.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active))
                if (admins or 0) <= 1:
                    raise StudioError(LAST_ADMIN, name=name)
            changes: dict[str, object] = {}
            if role is not None:
                row.role = changes["role"] = role.value
            if active is not None:
                row.active = changes["active"] = active
            if unlock:
                row.failed_logins, row.locked_until = 0, None
                changes["unlocked"] = True
            Repository._audit(s, actor.username, "user.change", f"user:{name}", changes)
            s.flush()
            return _user_info(row)

    @staticmethod
    def _user(s: Session, name: str) -> User:
        row = s.scalars(select(User).where(User.username == name)).first()
        if row is None:
            raise StudioError(USER_NOT_FOUND, name=name)
        return row

    # --- review --------------------------------------------------------------------------
    def status(self, bulletin_id: int) -> ReviewStatus:
        with self.db.session() as s:
            return _status(s, self._bulletin(s, bulletin_id))

    def queue(self) -> list[ReviewStatus]:
        """Bulletins waiting for a reviewer, oldest first."""
        with self.db.session() as s:
            rows = s.scalars(select(Bulletin).where(Bulletin.state == State.SUBMITTED.value)
                             .order_by(Bulletin.updated_at, Bulletin.id))
            return [_status(s, row) for row in rows]

    @staticmethod
    def _bulletin(s: Session, bulletin_id: int, *, lock: bool = False) -> Bulletin:
        locking = lock and s.bind is not None and s.bind.dialect.name == "postgresql"
        row = s.get(Bulletin, bulletin_id, with_for_update=locking)
        if row is None:
            raise StudioError(NOT_FOUND, ref=bulletin_id)
        return row

    def act(self, bulletin_id: int, action: Action, *, actor: Actor, version: int | None = None,
            seen_state: State | None = None, content_hash: str | None = None, comment: str = "") -> ReviewStatus:
        """Move the bulletin by ``action`` (submit, approve, request changes, withdraw, reopen).

        ``version`` is the bulletin version the person looked at and ``seen_state`` the state they saw: if
        it was saved or decided on since (another reviewer on another PC), the decision is refused
        (:class:`StaleBulletin`). Approving needs ``content_hash``, the render fingerprint of that
        version (everything that shapes the broadcast); the approval is bound to it.
        """
        text = _check_comment(comment)
        if action is Action.REQUEST_CHANGES and not text:
            raise StudioError(EMPTY_COMMENT)
        with self.db.session() as s:
            actor = Repository.current(s, actor)
            row = self._bulletin(s, bulletin_id, lock=True)
            if (version is not None and row.version != version) or (
                    seen_state is not None and row.state != seen_state.value):
                raise StaleBulletin(CHANGED_WHILE_REVIEWING if action in (Action.APPROVE, Action.REQUEST_CHANGES)
                                    else STALE, title=row.title)
            station = s.get(Station, row.station_id)
            single_mode = bool(station and station.single_person_mode)
            facts = _status(s, row).facts()
            decision = decide(actor, action, facts, single_person_mode=single_mode)
            revision = s.scalar(select(func.max(Revision.number)).where(Revision.bulletin_id == row.id)) or 0
            details: dict[str, object] = {"from": row.state, "to": decision.state.value, "revision": revision}
            values: dict[str, object] = {"state": decision.state.value, "state_note": ""}
            if action is Action.APPROVE:
                if content_hash is None:
                    raise ValueError("approving needs the content hash of what was reviewed")
                values.update(approved_hash=content_hash, approved_by=actor.id, approved_at=utcnow())
                details.update(hash=content_hash, single_person=decision.single_person)
            if action in (Action.REQUEST_CHANGES, Action.WITHDRAW, Action.REOPEN):
                values.update(approved_hash=None, approved_by=None, approved_at=None)
            if action is Action.REQUEST_CHANGES:
                values["state_note"] = json.dumps({"reason": "changes", "user": actor.label}, ensure_ascii=False)
            if not self._move(s, row, values):
                raise StaleBulletin(CHANGED_WHILE_REVIEWING, title=row.title)
            if action in (Action.APPROVE, Action.REQUEST_CHANGES):
                s.add(Approval(bulletin_id=row.id, revision_number=revision, content_hash=content_hash or "",
                               reviewer_id=actor.id, reviewer_name=actor.label, decision=action.value,
                               comment=text, single_person=decision.single_person))
            if text:
                s.add(Comment(bulletin_id=row.id, revision_number=revision, author_id=actor.id,
                              author_name=actor.label, text=text))
                details["comment"] = text[:200]
            Repository._audit(s, actor.username, f"bulletin.{action.value}", f"bulletin:{row.uid}", details)
            s.flush()
            return _status(s, row)

    @staticmethod
    def _move(s: Session, row: Bulletin, values: dict[str, object]) -> bool:
        """Write ``values`` only if the bulletin is still in the state and version it was read in.

        A compare-and-set in the database itself: on SQLite a read takes no lock, so two PCs may both have
        read "submitted"; only the first UPDATE still matches. (The lock version is not raised: a decision
        does not change the content, see models.Bulletin.)
        """
        still = (Bulletin.id == row.id, Bulletin.state == row.state, Bulletin.version == row.version)
        statement = update(Bulletin).where(*still).values(**values).execution_options(synchronize_session=False)
        done = cast(CursorResult[Any], s.execute(statement))
        s.refresh(row)
        return done.rowcount == 1

    def mark_rendered(self, bulletin_id: int, render_hash: str, *, actor: Actor) -> None:
        """An approved bulletin whose render matches the approval becomes "rendered"."""
        with self.db.session() as s:
            row = self._bulletin(s, bulletin_id, lock=True)
            approved = row.state == State.APPROVED.value and row.approved_hash == render_hash
            if approved and self._move(s, row, {"state": State.RENDERED.value}):  # else decided meanwhile
                Repository._audit(s, actor.username, "bulletin.rendered", f"bulletin:{row.uid}", {"hash": render_hash})

    def check_deliverable(self, bulletin_id: int, render_hash: str, current_hash: str, *, actor: Actor) -> None:
        """Raise :class:`NotAllowed` unless ``actor`` may deliver this render of the bulletin now."""
        actor = Repository(self.db).fresh(actor)
        require(actor, Action.DELIVER)
        deliverable(self.status(bulletin_id).facts(), render_hash, current_hash)

    def mark_delivered(self, bulletin_id: int, *, actor: Actor) -> None:
        with self.db.session() as s:
            row = self._bulletin(s, bulletin_id, lock=True)
            deliverable_now = row.state in (State.APPROVED.value, State.RENDERED.value)
            if deliverable_now and self._move(s, row, {"state": State.DELIVERED.value}):
                Repository._audit(s, actor.username, "bulletin.delivered", f"bulletin:{row.uid}", {})

    # --- comments ------------------------------------------------------------------------
    def add_comment(self, bulletin_id: int, text: str, *, actor: Actor,
                    segment_position: int | None = None) -> CommentInfo:
        actor = Repository(self.db).fresh(actor)
        require(actor, Action.COMMENT)
        cleaned = _check_comment(text)
        if not cleaned:
            raise StudioError(EMPTY_COMMENT)
        with self.db.session() as s:
            row = self._bulletin(s, bulletin_id)
            revision = s.scalar(select(func.max(Revision.number)).where(Revision.bulletin_id == row.id)) or 0
            comment = Comment(bulletin_id=row.id, segment_position=segment_position, revision_number=revision,
                              author_id=actor.id, author_name=actor.label, text=cleaned)
            s.add(comment)
            s.flush()
            Repository._audit(s, actor.username, "comment.add", f"bulletin:{row.uid}",
                              {"segment": segment_position, "text": cleaned[:200]})
            return CommentInfo(comment.id, segment_position, revision, actor.label, comment.at, cleaned, False)

    def comments(self, bulletin_id: int) -> list[CommentInfo]:
        with self.db.session() as s:
            rows = s.scalars(select(Comment).where(Comment.bulletin_id == bulletin_id).order_by(Comment.id))
            return [CommentInfo(c.id, c.segment_position, c.revision_number, c.author_name, c.at, c.text,
                                c.resolved) for c in rows]

    def approvals(self, bulletin_id: int) -> list[ApprovalInfo]:
        with self.db.session() as s:
            rows = s.scalars(select(Approval).where(Approval.bulletin_id == bulletin_id).order_by(Approval.id))
            return [ApprovalInfo(a.revision_number, a.content_hash, a.reviewer_name, a.at, a.decision, a.comment,
                                 a.single_person) for a in rows]

    # --- station rules -------------------------------------------------------------------
    def set_station_rules(self, station_id: int, *, actor: Actor, rules: SessionRules | None = None,
                          single_person_mode: bool | None = None) -> None:
        """The station's session caps and whether one person may both write and approve (audited)."""
        actor = Repository(self.db).fresh(actor)
        require(actor, Action.MANAGE_STATION)
        if rules is not None and not (MIN_SESSION_MINUTES <= rules.minutes <= MAX_SESSION_MINUTES
                                      and 1 <= rules.per_day <= 24):
            raise StudioError(BAD_RULES, low=f"{MIN_SESSION_MINUTES:g}", high=f"{MAX_SESSION_MINUTES:g}")
        with self.db.session() as s:
            row = s.get(Station, station_id)
            if row is None:
                raise StudioError(QT_TRANSLATE_NOOP("Messages", "The station is missing from the database."))
            changes: dict[str, object] = {}
            if rules is not None:
                row.session_minutes, row.sessions_per_day, row.caps_block = rules.minutes, rules.per_day, rules.binding
                changes.update(session_minutes=rules.minutes, sessions_per_day=rules.per_day, caps_block=rules.binding)
            if single_person_mode is not None:
                row.single_person_mode = changes["single_person_mode"] = single_person_mode
            Repository._audit(s, actor.username, "station.rules", f"station:{row.id}", changes)

    def set_single_person_mode(self, station_id: int, enabled: bool, *, actor: Actor) -> None:
        self.set_station_rules(station_id, actor=actor, single_person_mode=enabled)


__all__ = ["ApprovalInfo", "CommentInfo", "NotAllowed", "ReviewStatus", "ReviewStore", "UserInfo"]
