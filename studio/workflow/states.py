"""The review state machine and who may move a bulletin through it (enforced here, not by hiding buttons).

::

    draft ──submit──> submitted ──approve──> approved ──render──> rendered ──deliver──> delivered
      ^                   │                     │                    │
      └──── edit ─────────┴── request changes ──┴─── edit (returns to draft, the approval is void) ─┘
    any state but delivered ──withdraw──> withdrawn ──reopen──> draft

Approval is bound to content: it records the hash of everything that shapes the broadcast
(:func:`studio.render.render_fingerprint`). Any saved change to that content after approval sends the
bulletin back to draft; a render is deliverable only while the bulletin is approved and the render's own
fingerprint is the approved one.

Four eyes: a reviewer cannot approve a bulletin they wrote or last edited. A station run by one person
may switch on *single-person mode*; each approval made under it says so in the audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.workflow.accounts import Actor, Role


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    RENDERED = "rendered"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"


STATE_NAMES = {
    State.DRAFT: QT_TRANSLATE_NOOP("States", "Draft"),
    State.SUBMITTED: QT_TRANSLATE_NOOP("States", "Waiting for approval"),
    State.CHANGES_REQUESTED: QT_TRANSLATE_NOOP("States", "Changes requested"),
    State.APPROVED: QT_TRANSLATE_NOOP("States", "Approved"),
    State.RENDERED: QT_TRANSLATE_NOOP("States", "Approved and rendered"),
    State.DELIVERED: QT_TRANSLATE_NOOP("States", "Delivered"),
    State.WITHDRAWN: QT_TRANSLATE_NOOP("States", "Withdrawn"),
}


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    COMMENT = "comment"
    RENDER = "render"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    MANAGE_USERS = "manage_users"
    MANAGE_STATION = "manage_station"


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OFFICER: frozenset({Action.EDIT, Action.SUBMIT, Action.COMMENT, Action.RENDER, Action.DELIVER,
                             Action.WITHDRAW, Action.REOPEN}),
    Role.REVIEWER: frozenset({Action.APPROVE, Action.REQUEST_CHANGES, Action.COMMENT, Action.RENDER,
                              Action.WITHDRAW}),
    Role.ADMIN: frozenset(Action),
}

# (from, action) -> to. EDIT is handled by :func:`after_edit` (it only changes state when content changes).
TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.CHANGES_REQUESTED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.APPROVE): State.APPROVED,
    # Approving again: a preset, jingle or output setting changed since (not saved with the bulletin, so the
    # bulletin did not return to draft); the new approval binds the new fingerprint.
    (State.APPROVED, Action.APPROVE): State.APPROVED,
    (State.RENDERED, Action.APPROVE): State.APPROVED,
    (State.SUBMITTED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.APPROVED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.RENDERED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.APPROVED, Action.RENDER): State.RENDERED,
    (State.RENDERED, Action.RENDER): State.RENDERED,
    (State.APPROVED, Action.DELIVER): State.DELIVERED,
    (State.RENDERED, Action.DELIVER): State.DELIVERED,
    (State.DELIVERED, Action.DELIVER): State.DELIVERED,
    (State.WITHDRAWN, Action.REOPEN): State.DRAFT,
    **{(state, Action.WITHDRAW): State.WITHDRAWN
       for state in State if state not in (State.WITHDRAWN,)},
}

NOT_ALLOWED_ROLE = QT_TRANSLATE_NOOP("Messages", "{user} ({role}) may not {action}.")
NOT_ALLOWED_STATE = QT_TRANSLATE_NOOP("Messages", "“{title}” is “{state}”: it cannot {action} now.")
FOUR_EYES = QT_TRANSLATE_NOOP(
    "Messages", "{user} wrote or last edited “{title}” and so cannot approve it: another reviewer must.")
FOUR_EYES_HINT = QT_TRANSLATE_NOOP(
    "Messages", "A station with a single person may turn on single-person mode in the station rules; every "
    "approval made that way is marked in the audit.")
SYSTEM_CANNOT_APPROVE = QT_TRANSLATE_NOOP("Messages", "Only a person can approve a bulletin.")
NOT_APPROVED = QT_TRANSLATE_NOOP("Messages", "“{title}” is not approved: only an approved bulletin can be delivered.")
RENDER_NOT_APPROVED = QT_TRANSLATE_NOOP(
    "Messages", "This file of “{title}” was made from other content than the approved one and cannot be delivered.")
RENDER_NOT_APPROVED_HINT = QT_TRANSLATE_NOOP("Messages", "Render the bulletin again, then deliver the new file.")
REASON_EDITED = QT_TRANSLATE_NOOP("States", "Changed after approval by {user}: it must be approved again.")
REASON_CHANGES = QT_TRANSLATE_NOOP("States", "{user} asked for changes.")

ACTION_NAMES = {
    Action.EDIT: QT_TRANSLATE_NOOP("Actions", "edit bulletins"),
    Action.SUBMIT: QT_TRANSLATE_NOOP("Actions", "submit for approval"),
    Action.APPROVE: QT_TRANSLATE_NOOP("Actions", "approve"),
    Action.REQUEST_CHANGES: QT_TRANSLATE_NOOP("Actions", "request changes"),
    Action.COMMENT: QT_TRANSLATE_NOOP("Actions", "comment"),
    Action.RENDER: QT_TRANSLATE_NOOP("Actions", "render"),
    Action.DELIVER: QT_TRANSLATE_NOOP("Actions", "deliver"),
    Action.WITHDRAW: QT_TRANSLATE_NOOP("Actions", "withdraw"),
    Action.REOPEN: QT_TRANSLATE_NOOP("Actions", "reopen"),
    Action.MANAGE_USERS: QT_TRANSLATE_NOOP("Actions", "manage accounts"),
    Action.MANAGE_STATION: QT_TRANSLATE_NOOP("Actions", "change station rules"),
}


# Vietnamese forms for messages built in core (StudioError's ``X_vi`` arguments; see studio.messages).
ACTION_NAMES_VI = {
    Action.EDIT: "sửa bản tin", Action.SUBMIT: "gửi duyệt", Action.APPROVE: "phê duyệt",
    Action.REQUEST_CHANGES: "yêu cầu sửa", Action.COMMENT: "góp ý", Action.RENDER: "tạo tệp âm thanh",
    Action.DELIVER: "gửi đi phát", Action.WITHDRAW: "rút lại", Action.REOPEN: "mở lại",
    Action.MANAGE_USERS: "quản lý tài khoản", Action.MANAGE_STATION: "thay đổi quy định của đài",
}
ROLE_NAMES_VI = {Role.OFFICER: "cán bộ biên tập", Role.REVIEWER: "người phê duyệt", Role.ADMIN: "quản trị viên"}
STATE_NAMES_VI = {
    State.DRAFT: "Bản nháp", State.SUBMITTED: "Chờ phê duyệt", State.CHANGES_REQUESTED: "Cần sửa",
    State.APPROVED: "Đã duyệt", State.RENDERED: "Đã duyệt và tạo tệp", State.DELIVERED: "Đã gửi đi phát",
    State.WITHDRAWN: "Đã rút lại",
}


class NotAllowed(StudioError):
    """The actor's role, the bulletin's state or the four-eyes rule forbids the action."""


@dataclass(frozen=True)
class BulletinFacts:
    """What the rules need to know about a bulletin."""

    title: str
    state: State
    created_by: int | None
    updated_by: int | None
    approved_hash: str | None = None


@dataclass(frozen=True)
class Decision:
    state: State
    single_person: bool = False  # an approval allowed only by the station's single-person mode


def _words(actor: Actor, action: Action) -> dict[str, str]:
    return {"user": actor.label, "role": actor.role.value, "role_vi": ROLE_NAMES_VI[actor.role],
            "action": ACTION_NAMES[action], "action_vi": ACTION_NAMES_VI[action]}


def require(actor: Actor, action: Action) -> None:
    """Raise :class:`NotAllowed` unless the actor's role includes ``action``."""
    if action not in PERMISSIONS[actor.role]:
        raise NotAllowed(NOT_ALLOWED_ROLE, **_words(actor, action))


def decide(actor: Actor, action: Action, bulletin: BulletinFacts, *, single_person_mode: bool = False) -> Decision:
    """The state ``action`` by ``actor`` leads to, or :class:`NotAllowed` saying why not."""
    require(actor, action)
    words = {**_words(actor, action), "title": bulletin.title, "state": STATE_NAMES[bulletin.state],
             "state_vi": STATE_NAMES_VI[bulletin.state]}
    if action is Action.COMMENT:
        return Decision(bulletin.state)
    if action is Action.DELIVER and bulletin.state not in (State.APPROVED, State.RENDERED, State.DELIVERED):
        raise NotAllowed(NOT_APPROVED, **words)
    if action is Action.RENDER and bulletin.state not in (State.APPROVED, State.RENDERED):
        return Decision(bulletin.state)  # rendering to listen: allowed in any state, changes nothing
    target = TRANSITIONS.get((bulletin.state, action))
    if target is None:
        raise NotAllowed(NOT_ALLOWED_STATE, **words)
    single = False
    if action is Action.APPROVE:
        if actor.is_system:
            raise NotAllowed(SYSTEM_CANNOT_APPROVE)
        if actor.id in (bulletin.created_by, bulletin.updated_by):
            if not single_person_mode:
                raise NotAllowed(FOUR_EYES, hint=FOUR_EYES_HINT, **words)
            single = True
    return Decision(target, single)


def after_edit(state: State, content_changed: bool) -> State:
    """The state after a save: any change of content voids a submission or an approval."""
    if not content_changed:
        return state
    if state in (State.SUBMITTED, State.APPROVED, State.RENDERED, State.DELIVERED, State.CHANGES_REQUESTED):
        return State.DRAFT
    return state


def deliverable(bulletin: BulletinFacts, render_hash: str, current_hash: str) -> None:
    """Raise :class:`NotAllowed` unless the render was made from the approved content and that content is
    still the bulletin's."""
    words = {"title": bulletin.title}
    if bulletin.state not in (State.APPROVED, State.RENDERED, State.DELIVERED) or bulletin.approved_hash is None:
        raise NotAllowed(NOT_APPROVED, **words)
    if current_hash != bulletin.approved_hash or render_hash != bulletin.approved_hash:
        raise NotAllowed(RENDER_NOT_APPROVED, hint=RENDER_NOT_APPROVED_HINT, **words)
