"""Review and approval on a real SQLite file and a real PostgreSQL server: accounts with lockout, the state
machine enforced in core, approvals bound to content, four eyes, and two PCs deciding at once."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.store.db import Database, sqlite_url
from studio.store.repo import Repository, StaleBulletin
from studio.store.review import ReviewStore
from studio.workflow.accounts import AccountLocked, Actor, LockoutPolicy, LoginFailed, Role
from studio.workflow.states import Action, NotAllowed, State

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, studio_paths: StudioPaths) -> Database:
    url = sqlite_url(studio_paths.database_file) if request.param == "sqlite" else request.getfixturevalue(
        "postgres_url")
    database = Database.open(url, backups=studio_paths.backups)
    request.addfinalizer(database.dispose)
    return database


@pytest.fixture
def people(db: Database) -> tuple[ReviewStore, Actor, Actor, Actor]:
    store = ReviewStore(db, LockoutPolicy(max_failures=3, lock_minutes=10))
    admin = store.create_user("quantri", PASSWORD, Role.ADMIN, display_name="Quản trị").actor()
    officer = store.create_user("lan", PASSWORD, Role.OFFICER, display_name="Nguyễn Thị Lan", actor=admin).actor()
    reviewer = store.create_user("hung", PASSWORD, Role.REVIEWER, display_name="Trần Văn Hùng",
                                 actor=admin).actor()
    return store, admin, officer, reviewer


def _bulletin(repo: Repository, author: Actor) -> BulletinDraft:
    station = repo.first_station() or repo.create_station("Đài truyền thanh xã Hòa Bình")
    return repo.save(BulletinDraft("Bản tin sáng", station.id, (
        SegmentDraft("Kính thưa bà con!", "vi-north-offline", "greeting"),
        SegmentDraft("Sáng mai cắt điện từ bảy giờ.", "vi-north-offline", "notice"))), actor=author)


def test_login_right_and_wrong_passwords_never_say_which_part_was_wrong(people, db: Database) -> None:
    store, _, officer, _ = people
    assert store.authenticate("LAN ", PASSWORD) == officer  # names are case- and space-insensitive
    with pytest.raises(LoginFailed) as wrong_password:
        store.authenticate("lan", "sai mật khẩu")
    with pytest.raises(LoginFailed) as no_such_user:
        store.authenticate("khong-co", PASSWORD)
    with pytest.raises(LoginFailed) as odd_name:
        store.authenticate("'; DROP TABLE user_account; --", PASSWORD)
    assert str(wrong_password.value) == str(no_such_user.value) == str(odd_name.value)
    with db.engine.connect() as conn:  # the odd name did nothing to the table, and failures are audited
        assert conn.execute(text("select count(*) from user_account")).scalar() == 3
        actions = [row[0] for row in conn.execute(text("select action from audit_entry order by id"))]
    assert actions.count("login.failed") == 3 and "login.ok" in actions


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(people, db: Database) -> None:
    store = people[0]
    for _ in range(3):
        with pytest.raises(LoginFailed):
            store.authenticate("lan", "sai")
    with pytest.raises(AccountLocked) as locked:
        store.authenticate("lan", PASSWORD)
    assert "10" in str(locked.value)
    with db.engine.begin() as conn:  # ten minutes later
        conn.execute(text("update user_account set locked_until = null where username = 'lan'"))
    assert store.authenticate("lan", PASSWORD).username == "lan"


def test_passwords_are_stored_as_scrypt_hashes_only(people, db: Database) -> None:
    with db.engine.connect() as conn:
        stored = [row[0] for row in conn.execute(text("select password_hash from user_account"))]
    assert all(value.startswith("scrypt$32768$8$1$") and PASSWORD not in value for value in stored)
    assert len(set(stored)) == 3  # salted: the same password gives different hashes


def test_only_an_administrator_creates_accounts_and_the_first_one_is_one(db: Database) -> None:
    store = ReviewStore(db)
    first = store.create_user("dau-tien", PASSWORD, Role.OFFICER)
    assert first.role is Role.ADMIN
    officer = store.create_user("lan", PASSWORD, Role.OFFICER, actor=first.actor()).actor()
    with pytest.raises(NotAllowed):
        store.create_user("khac", PASSWORD, Role.ADMIN, actor=officer)
    with pytest.raises(StudioError):
        store.create_user("lan", PASSWORD, Role.OFFICER, actor=first.actor())  # exists
    with pytest.raises(StudioError):
        store.create_user("x" * 500, PASSWORD, Role.OFFICER, actor=first.actor())
    with pytest.raises(StudioError):
        store.create_user("ngan", "ngắn", Role.OFFICER, actor=first.actor())
    with pytest.raises(StudioError):
        store.set_user("dau-tien", actor=first.actor(), active=False)  # the last administrator


def test_the_whole_review_path_with_four_eyes(people, db: Database) -> None:
    store, _, officer, reviewer = people
    repo = Repository(db)
    draft = _bulletin(repo, officer)
    with pytest.raises(NotAllowed):
        store.act(draft.id, Action.APPROVE, actor=reviewer, version=draft.version, content_hash="h1")  # not submitted
    with pytest.raises(NotAllowed):
        repo.save(replace(draft, title="Sửa"), actor=reviewer)  # reviewers comment, they do not edit
    status = store.act(draft.id, Action.SUBMIT, actor=officer, version=draft.version)
    assert status.state is State.SUBMITTED and [s.bulletin_id for s in store.queue()] == [draft.id]
    with pytest.raises(NotAllowed):
        store.act(draft.id, Action.APPROVE, actor=officer, version=status.version, content_hash="h1")  # role
    with pytest.raises(StudioError):
        store.act(draft.id, Action.REQUEST_CHANGES, actor=reviewer, version=status.version)  # says what
    status = store.act(draft.id, Action.REQUEST_CHANGES, actor=reviewer, version=status.version,
                       comment="Ghi rõ giờ cắt điện.")
    assert status.state is State.CHANGES_REQUESTED and status.note["user"] == "Trần Văn Hùng"
    fixed = repo.save(replace(repo.load(draft.id), segments=(
        draft.segments[0], SegmentDraft("Sáng mai cắt điện từ bảy giờ đến chín giờ.", "vi-north-offline",
                                        "notice"))), actor=officer)
    assert fixed.state == "draft"
    status = store.act(draft.id, Action.SUBMIT, actor=officer, version=fixed.version)
    status = store.act(draft.id, Action.APPROVE, actor=reviewer, version=status.version, content_hash="h2")
    assert status.state is State.APPROVED and status.approved_hash == "h2" and status.approved_by == "Trần Văn Hùng"
    assert [c.text for c in store.comments(draft.id)] == ["Ghi rõ giờ cắt điện."]
    assert [a.decision for a in store.approvals(draft.id)] == ["request_changes", "approve"]
    store.check_deliverable(draft.id, "h2", "h2", actor=officer)
    with pytest.raises(NotAllowed):
        store.check_deliverable(draft.id, "old-render", "h2", actor=officer)  # a render of other content


def test_an_edit_after_approval_voids_it_and_says_why(people, db: Database) -> None:
    store, _, officer, reviewer = people
    repo = Repository(db)
    draft = _bulletin(repo, officer)
    status = store.act(draft.id, Action.SUBMIT, actor=officer, version=draft.version)
    store.act(draft.id, Action.APPROVE, actor=reviewer, version=status.version, content_hash="h")
    unchanged = repo.save(repo.load(draft.id), actor=officer)  # saving the same content changes nothing
    assert unchanged.state == "approved"
    edited = repo.save(replace(unchanged, title="Bản tin sáng (sửa)"), actor=officer)
    status = store.status(draft.id)
    assert edited.state == "draft" and status.approved_hash is None
    assert status.note == {"reason": "edited", "user": "Nguyễn Thị Lan", "was": "approved"}
    with pytest.raises(NotAllowed):
        store.check_deliverable(draft.id, "h", "h", actor=officer)


def test_four_eyes_unless_the_station_runs_single_person_mode(people, db: Database) -> None:
    store, admin, _, _ = people
    repo = Repository(db)
    draft = _bulletin(repo, admin)  # the administrator writes and would approve it
    status = store.act(draft.id, Action.SUBMIT, actor=admin, version=draft.version)
    with pytest.raises(NotAllowed) as refused:
        store.act(draft.id, Action.APPROVE, actor=admin, version=status.version, content_hash="h")
    assert "another reviewer" in str(refused.value)
    with pytest.raises(NotAllowed):
        store.set_single_person_mode(draft.station_id, True, actor=people[2])  # an officer may not
    store.set_single_person_mode(draft.station_id, True, actor=admin)
    status = store.act(draft.id, Action.APPROVE, actor=admin, version=status.version, content_hash="h")
    assert status.state is State.APPROVED and store.approvals(draft.id)[-1].single_person
    with db.engine.connect() as conn:
        details = conn.execute(text("select details from audit_entry where action = 'bulletin.approve'")).scalar()
    assert '"single_person": true' in str(details).lower().replace("'", '"').replace("True", "true")


def test_a_decision_on_an_older_version_is_refused(people, db: Database) -> None:
    store, _, officer, reviewer = people
    repo = Repository(db)
    draft = _bulletin(repo, officer)
    seen = store.act(draft.id, Action.SUBMIT, actor=officer, version=draft.version)
    repo.save(replace(repo.load(draft.id), title="Đổi tiêu đề"), actor=officer)  # changed while reviewing
    with pytest.raises(StaleBulletin):
        store.act(draft.id, Action.APPROVE, actor=reviewer, version=seen.version, content_hash="h")
    assert store.status(draft.id).state is State.DRAFT


def test_review_decisions_do_not_make_the_officers_open_copy_stale(people, db: Database) -> None:
    """Approving changes the state, not the content: the officer's next save of their open copy is no
    conflict (it returns the bulletin to draft, since it changes the content)."""
    store, _, officer, reviewer = people
    repo = Repository(db)
    open_copy = _bulletin(repo, officer)
    status = store.act(open_copy.id, Action.SUBMIT, actor=officer, version=open_copy.version)
    store.act(open_copy.id, Action.APPROVE, actor=reviewer, version=status.version, content_hash="h")
    saved = repo.save(replace(open_copy, title="Sửa sau khi duyệt"), actor=officer)
    assert saved.state == "draft" and saved.version == open_copy.version + 1


def test_two_reviewers_on_two_pcs_cannot_both_decide(people, db: Database) -> None:
    """Two connections decide on the same submitted version at once: exactly one decision lands."""
    store, admin, officer, reviewer = people
    second = store.create_user("mai", PASSWORD, Role.REVIEWER, actor=admin).actor()
    repo = Repository(db)
    draft = _bulletin(repo, officer)
    status = store.act(draft.id, Action.SUBMIT, actor=officer, version=draft.version)
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def decide(actor: Actor, action: Action) -> None:
        other = ReviewStore(db)
        barrier.wait()
        try:
            outcomes.append(other.act(draft.id, action, actor=actor, version=status.version,
                                      seen_state=State.SUBMITTED, content_hash="h",
                                      comment="Cần sửa." if action is Action.REQUEST_CHANGES else ""))
        except (StudioError, Exception) as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=decide, args=(reviewer, Action.APPROVE)),
               threading.Thread(target=decide, args=(second, Action.REQUEST_CHANGES))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    landed = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(landed) == 1, outcomes
    assert len(store.approvals(draft.id)) == 1


def test_lockout_policy_counts_and_expires() -> None:
    from datetime import UTC, datetime

    policy = LockoutPolicy(max_failures=2, lock_minutes=5)
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert policy.after_failure(0, now) == (1, None)
    count, until = policy.after_failure(1, now)
    assert count == 0 and until == now + timedelta(minutes=5)
    assert policy.locked_for(until, now + timedelta(minutes=1)) == 4
    assert policy.locked_for(until, now + timedelta(minutes=5)) == 0


def test_rights_follow_the_database_not_the_login(people, db: Database) -> None:
    """An administrator on another PC demotes or disables someone already logged in: it applies at once."""
    store, admin, officer, reviewer = people
    repo = Repository(db)
    draft = _bulletin(repo, officer)
    store.set_user("lan", actor=admin, role=Role.REVIEWER)
    with pytest.raises(NotAllowed):
        repo.save(replace(draft, title="Sửa"), actor=officer)  # the old login still says "officer"
    store.set_user("hung", actor=admin, active=False)
    with pytest.raises(NotAllowed) as gone:
        store.add_comment(draft.id, "Ý kiến", actor=reviewer)
    assert "log in again" in str(gone.value)
    with pytest.raises(LoginFailed):
        store.authenticate("hung", PASSWORD)
