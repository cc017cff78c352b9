"""The review rules in core: who may do what in which state, four eyes, edits voiding approval, session caps."""

from __future__ import annotations

import unicodedata

import pytest

from studio.workflow.accounts import Actor, Role, hash_password, needs_rehash, normalise_username, verify_password
from studio.workflow.rules import SessionRules, check_session, length_text, session_notices
from studio.workflow.states import (
    PERMISSIONS,
    Action,
    BulletinFacts,
    NotAllowed,
    State,
    after_edit,
    decide,
    deliverable,
)

OFFICER = Actor(1, "lan", Role.OFFICER)
REVIEWER = Actor(2, "hung", Role.REVIEWER)
ADMIN = Actor(3, "quantri", Role.ADMIN)


def facts(state: State, author: int | None = 1, approved: str | None = None) -> BulletinFacts:
    return BulletinFacts("Bản tin", state, author, author, approved)


@pytest.mark.parametrize(("actor", "action", "state", "expected"), [
    (OFFICER, Action.SUBMIT, State.DRAFT, State.SUBMITTED),
    (OFFICER, Action.SUBMIT, State.CHANGES_REQUESTED, State.SUBMITTED),
    (REVIEWER, Action.APPROVE, State.SUBMITTED, State.APPROVED),
    (REVIEWER, Action.REQUEST_CHANGES, State.SUBMITTED, State.CHANGES_REQUESTED),
    (REVIEWER, Action.REQUEST_CHANGES, State.APPROVED, State.CHANGES_REQUESTED),
    (OFFICER, Action.DELIVER, State.RENDERED, State.DELIVERED),
    (OFFICER, Action.WITHDRAW, State.DELIVERED, State.WITHDRAWN),
    (OFFICER, Action.REOPEN, State.WITHDRAWN, State.DRAFT),
    (REVIEWER, Action.RENDER, State.DRAFT, State.DRAFT),  # listening to a draft changes nothing
    (OFFICER, Action.RENDER, State.APPROVED, State.RENDERED),
])
def test_allowed_transitions(actor: Actor, action: Action, state: State, expected: State) -> None:
    assert decide(actor, action, facts(state, author=9)).state is expected


@pytest.mark.parametrize(("actor", "action", "state"), [
    (OFFICER, Action.APPROVE, State.SUBMITTED),  # role
    (REVIEWER, Action.SUBMIT, State.DRAFT),  # role
    (REVIEWER, Action.DELIVER, State.APPROVED),  # role
    (REVIEWER, Action.APPROVE, State.DRAFT),  # state: not submitted
    (OFFICER, Action.DELIVER, State.DRAFT),  # only approved content is delivered
    (OFFICER, Action.DELIVER, State.SUBMITTED),
    (OFFICER, Action.SUBMIT, State.APPROVED),
    (OFFICER, Action.WITHDRAW, State.WITHDRAWN),
])
def test_refused_transitions(actor: Actor, action: Action, state: State) -> None:
    with pytest.raises(NotAllowed):
        decide(actor, action, facts(state, author=9))


def test_four_eyes_and_single_person_mode() -> None:
    own = facts(State.SUBMITTED, author=REVIEWER.id)
    with pytest.raises(NotAllowed):
        decide(REVIEWER, Action.APPROVE, own)
    decision = decide(REVIEWER, Action.APPROVE, own, single_person_mode=True)
    assert decision.state is State.APPROVED and decision.single_person
    assert not decide(REVIEWER, Action.APPROVE, facts(State.SUBMITTED, author=1)).single_person
    with pytest.raises(NotAllowed):  # the studio itself never approves
        decide(Actor.system(), Action.APPROVE, facts(State.SUBMITTED, author=None), single_person_mode=True)


def test_only_administrators_manage_accounts_and_station_rules() -> None:
    assert {role for role, allowed in PERMISSIONS.items() if Action.MANAGE_USERS in allowed} == {Role.ADMIN}
    assert {role for role, allowed in PERMISSIONS.items() if Action.MANAGE_STATION in allowed} == {Role.ADMIN}


@pytest.mark.parametrize("state", list(State))
def test_a_content_change_voids_any_submission_or_approval(state: State) -> None:
    after = after_edit(state, content_changed=True)
    assert after is (State.WITHDRAWN if state is State.WITHDRAWN else State.DRAFT)
    assert after_edit(state, content_changed=False) is state


def test_deliverable_only_for_the_approved_content() -> None:
    approved = facts(State.APPROVED, approved="h")
    deliverable(approved, "h", "h")
    for render, current in (("x", "h"), ("h", "x")):
        with pytest.raises(NotAllowed):
            deliverable(approved, render, current)
    with pytest.raises(NotAllowed):
        deliverable(facts(State.SUBMITTED), "h", "h")


def test_session_caps_warn_or_block_but_never_hold_an_emergency() -> None:
    warning = SessionRules(15, 2, binding=False)
    binding = SessionRules(15, 2, binding=True)
    assert session_notices(15 * 60, "normal", warning) == []
    [notice] = session_notices(17 * 60 + 20, "normal", warning)
    assert notice.args == {"length": "17:20", "cap": "15"}
    check_session("Bản tin", 17 * 60, "normal", warning)  # a warning only
    with pytest.raises(NotAllowed) as refused:
        check_session("Bản tin", 17 * 60, "priority", binding)
    assert "17:00" in str(refused.value)
    check_session("Lũ quét", 40 * 60, "emergency", binding)  # an emergency goes out anyway
    assert length_text(59.6) == "1:00"


def test_passwords_usernames_and_rehash() -> None:
    stored = hash_password("Mật khẩu 2026")
    assert verify_password("Mật khẩu 2026", stored)
    # The same letters typed decomposed (another keyboard/IME) are the same password.
    assert verify_password(unicodedata.normalize("NFD", "Mật khẩu 2026"), stored)
    assert not verify_password("mật khẩu 2026", stored)
    assert not verify_password("x" * 5000, stored)
    assert not verify_password("anything", "md5$garbage")
    assert not needs_rehash(stored) and needs_rehash("scrypt$1024$8$1$a$b")
    assert normalise_username("  Lan.Nguyen ") == "lan.nguyen"
    for bad in ("", "có dấu", "a b", "x" * 65, "'; drop table user_account; --"):
        with pytest.raises(Exception):  # noqa: B017 - StudioError with the rule in words
            normalise_username(bad)


def test_a_schedule_may_not_ask_for_more_sessions_or_longer_ones_than_the_station_allows() -> None:
    from datetime import date, time

    from studio.workflow.rules import REPEATS_OVER_CAP, TOO_MANY_SESSIONS, check_schedule, schedule_problems
    from studio.workflow.schedule import Schedule, Slot

    rules = SessionRules(minutes=15, per_day=2, binding=True)
    usual = Schedule((Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5)), Slot(time(17, 0), days=(0, 1, 2, 3, 4, 5))),
                     date(2026, 11, 23), date(2026, 11, 29))
    assert schedule_problems("Tin", usual, 600, rules) == []
    crowded = Schedule((*usual.slots, Slot(time(11, 0), date=date(2026, 11, 25))), usual.valid_from,
                       usual.valid_until)
    [problem] = schedule_problems("Tin", crowded, 600, rules)
    assert problem.text == TOO_MANY_SESSIONS and problem.args_map["date"] == "25/11/2026"
    assert problem.args_map["count"] == "3"
    twice = Schedule(usual.slots, usual.valid_from, usual.valid_until, repeat=2)
    [long] = schedule_problems("Tin", twice, 600, rules)  # 2 × 10 minutes in a 15-minute session
    assert long.text == REPEATS_OVER_CAP and long.args_map["length"] == "20:00"
    with pytest.raises(NotAllowed):
        check_schedule("Tin", crowded, 600, "normal", rules)
    check_schedule("Lũ quét", crowded, 600, "emergency", rules)  # an emergency always goes out
    check_schedule("Tin", crowded, 600, "normal", SessionRules(15, 2, binding=False))  # a warning station
