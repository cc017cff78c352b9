"""The administrator's accounts dialog: add officers and reviewers, reset, change role, disable, unlock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio.services import Studio
from studio.store.review import LAST_ADMIN, USER_EXISTS
from studio.ui.accounts_dialog import ADD, DISPLAY_NAME, PASSWORD, ROLE, STATE, USERNAME, AccountForm, AccountsDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import BAD_LOGIN, AccountLocked, LoginFailed, Role
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

ADMIN, ADMIN_PW = "quan.tri", "Xa-Hoa-Binh-1"
OFFICER_PW, REVIEWER_PW = "loa-thon-3-moi", "duyet-ban-tin"



@pytest.fixture
def admin(studio: Studio) -> Studio:
    """A station whose administrator is logged in."""
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN, display_name="Phó chủ tịch xã")
    studio.login(ADMIN, ADMIN_PW)
    return studio


def open_dialog(qtbot, studio: Studio, runner: TaskRunner) -> AccountsDialog:
    dialog = AccountsDialog(studio, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: AccountsDialog) -> dict[str, tuple[str, str, str]]:
    """What the table shows: user name -> (full name, role, state)."""
    shown = {}
    for index in range(dialog.table.topLevelItemCount()):
        item = dialog.table.topLevelItem(index)
        shown[item.text(USERNAME)] = (item.text(DISPLAY_NAME), item.text(ROLE), item.text(STATE))
    return shown


def store(qtbot, dialog: AccountsDialog, form: AccountForm, expect: str = "stored") -> None:
    """Press the form's button; ``expect`` is "stored" (the list is read again), "refused" (by the
    database's rules) or "checked" (refused by the form itself, before anything is sent)."""
    if expect == "checked":
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        assert not form.busy and not dialog.busy
        return
    with qtbot.waitSignal(dialog.refreshed if expect == "stored" else dialog.problem, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        assert form.busy and not form.cancel_button.isEnabled() and not dialog.add_button.isEnabled()
        form.reject()  # refused while storing: the answer must find the form
        assert form.isVisible()
    assert not form.busy and not dialog.busy


def add(qtbot, dialog: AccountsDialog, name: str, display: str, role: Role, password: str,
        again: str | None = None, expect: str = "stored") -> AccountForm:
    form = dialog.add_account()
    assert form is not None and form.isVisible() and form is dialog.form
    assert form.windowTitle() == "Add an account"
    qtbot.keyClicks(form.name_edit, name)
    form.display_edit.setText(display)  # typed with the Vietnamese keyboard
    form.role_combo.setCurrentIndex(form.role_combo.findData(role))
    qtbot.keyClicks(form.password_edit, password)
    qtbot.keyClicks(form.again_edit, password if again is None else again)
    store(qtbot, dialog, form, expect)
    return form


def test_adds_an_officer_and_a_reviewer_who_can_then_log_in(qtbot, admin: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, admin, runner)
    assert rows(dialog) == {ADMIN: ("Phó chủ tịch xã", "Administrator", "Active")}
    assert not dialog.note.isVisible() and dialog.add_button.isEnabled()

    form = add(qtbot, dialog, "mai.lo", "Lò Thị Mai", Role.OFFICER, OFFICER_PW, again="typo", expect="checked")
    assert form.isVisible() and "not the same" in form.message.text()
    assert admin.reviews.user_count() == 1
    form.reject()

    form = add(qtbot, dialog, "mai.lo", "Lò Thị Mai", Role.OFFICER, OFFICER_PW)
    assert dialog.form is None  # the form closed once the account was stored
    assert dialog.status.text() == "The account “mai.lo” was added as Officer."
    form = add(qtbot, dialog, "Duyet.Tin", "Hà Văn Duyệt", Role.REVIEWER, REVIEWER_PW)
    assert rows(dialog) == {ADMIN: ("Phó chủ tịch xã", "Administrator", "Active"),
                            "duyet.tin": ("Hà Văn Duyệt", "Reviewer", "Active"),
                            "mai.lo": ("Lò Thị Mai", "Officer", "Active")}
    assert dialog.selected is not None and dialog.selected.info.username == "duyet.tin"

    assert admin.reviews.authenticate("mai.lo", OFFICER_PW).role is Role.OFFICER
    assert admin.reviews.authenticate("duyet.tin", REVIEWER_PW).role is Role.REVIEWER
    assert admin.actor.username == ADMIN  # adding accounts does not change who is logged in


def test_a_name_already_taken_is_refused_in_the_form(qtbot, admin: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, admin, runner)
    form = add(qtbot, dialog, ADMIN, "", Role.OFFICER, OFFICER_PW, expect="refused")
    assert form.isVisible() and form.message.text() == USER_EXISTS.format(name=ADMIN)
    assert form.name_edit.text() == ADMIN and form.ok_button.isEnabled()  # nothing typed is lost
    assert admin.reviews.user_count() == 1


def test_refuses_to_disable_the_last_administrator(qtbot, admin: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.select(ADMIN)
    assert dialog.active_button.text() == "Disable"
    with qtbot.waitSignal(dialog.problem, timeout=10_000):
        qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible()
    assert dialog.message.text() == LAST_ADMIN.format(name=ADMIN)
    assert [u.active for u in admin.reviews.users()] == [True]

    # Demoting the last administrator is refused the same way, inside the role form.
    form = dialog.change_role()
    assert form is not None and form.role == Role.ADMIN
    form.role_combo.setCurrentIndex(form.role_combo.findData(Role.OFFICER))
    store(qtbot, dialog, form, "refused")
    assert form.isVisible() and form.message.text() == LAST_ADMIN.format(name=ADMIN)
    assert admin.actor.role is Role.ADMIN


def test_disable_and_enable_an_account(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.reviews.create_user("mai.lo", OFFICER_PW, Role.OFFICER, actor=admin.actor)
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.select("mai.lo")
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert rows(dialog)["mai.lo"][2] == "Disabled" and dialog.active_button.text() == "Enable"
    with pytest.raises(LoginFailed):
        admin.reviews.authenticate("mai.lo", OFFICER_PW)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert rows(dialog)["mai.lo"][2] == "Active"
    assert admin.reviews.authenticate("mai.lo", OFFICER_PW).username == "mai.lo"


def test_resets_a_password(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.reviews.create_user("mai.lo", OFFICER_PW, Role.OFFICER, actor=admin.actor)
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.select("mai.lo")
    form = dialog.reset_password()
    assert form is not None and form.kind == PASSWORD and "“mai.lo”" in form.intro.text()
    assert not form.name_edit.isVisible() and not form.role_combo.isVisible()
    qtbot.keyClicks(form.password_edit, "short")
    qtbot.keyClicks(form.again_edit, "short")
    store(qtbot, dialog, form, "refused")
    assert form.isVisible() and form.message.text() == "A password needs at least 8 characters."

    for edit in (form.password_edit, form.again_edit):
        edit.clear()
        qtbot.keyClicks(edit, "mat-khau-moi-2025")
    store(qtbot, dialog, form)
    assert dialog.form is None
    assert dialog.status.text() == "The password of “mai.lo” was changed."
    with pytest.raises(LoginFailed) as refused:
        admin.reviews.authenticate("mai.lo", OFFICER_PW)
    assert refused.value.text == BAD_LOGIN
    assert admin.reviews.authenticate("mai.lo", "mat-khau-moi-2025").username == "mai.lo"


def test_changes_a_role(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.reviews.create_user("mai.lo", OFFICER_PW, Role.OFFICER, actor=admin.actor)
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.select("mai.lo")
    form = dialog.change_role()
    assert form is not None and form.role is Role.OFFICER
    assert "sends them for approval" in form.role_help.text()
    form.role_combo.setCurrentIndex(form.role_combo.findData(Role.REVIEWER))
    assert "approves them" in form.role_help.text()
    store(qtbot, dialog, form)
    assert rows(dialog)["mai.lo"][1] == "Reviewer"
    assert dialog.status.text() == "“mai.lo” is now Reviewer."
    assert admin.reviews.authenticate("mai.lo", OFFICER_PW).role is Role.REVIEWER


def test_unlocks_a_locked_account(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.reviews.create_user("mai.lo", OFFICER_PW, Role.OFFICER, actor=admin.actor)
    for _attempt in range(admin.reviews.policy.max_failures):
        with pytest.raises(LoginFailed):
            admin.reviews.authenticate("mai.lo", "guess")
    with pytest.raises(AccountLocked):
        admin.reviews.authenticate("mai.lo", OFFICER_PW)

    dialog = open_dialog(qtbot, admin, runner)
    minutes = admin.reviews.policy.lock_minutes
    assert rows(dialog)["mai.lo"][2] == f"Locked for {minutes} more minutes"
    assert dialog.select(ADMIN) and not dialog.unlock_button.isEnabled()  # nothing to unlock
    assert dialog.select("mai.lo") and dialog.unlock_button.isEnabled()
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert rows(dialog)["mai.lo"][2] == "Active"
    assert dialog.status.text() == "“mai.lo” can log in again."
    assert admin.reviews.authenticate("mai.lo", OFFICER_PW).username == "mai.lo"


def test_someone_who_is_not_an_administrator_only_sees_the_list(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.reviews.create_user("mai.lo", OFFICER_PW, Role.OFFICER, actor=admin.actor)
    admin.login("mai.lo", OFFICER_PW)
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.note.isVisible() and "ask the station's administrator" in dialog.note.text()
    assert set(rows(dialog)) == {ADMIN, "mai.lo"}
    assert not any(button.isVisible() for button in dialog.action_buttons)
    assert dialog.select("mai.lo")
    assert dialog.add_account() is None and dialog.change_role() is None and dialog.reset_password() is None
    assert dialog.toggle_active() is None and dialog.unlock() is None
    assert dialog.form is None
    assert [u.role for u in admin.reviews.users()] == [Role.OFFICER, Role.ADMIN]


def test_long_vietnamese_texts_fit_in_a_large_font(qtbot, qapp: QApplication, admin: Studio,
                                                   runner: TaskRunner) -> None:
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, admin, runner)
        assert dialog.select(ADMIN)
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        form = dialog.add_account()
        assert form is not None and form.kind == ADD
        qtbot.waitExposed(form)
        assert untranslated(form) == []
        assert clipped(form) == []
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)  # no name: the message shows
        assert form.message.isVisible() and clipped(form) == []
        assert form.height() < 760
        form.reject()


def test_the_first_account_made_here_is_the_administrator_and_is_logged_in(qtbot, studio: Studio,
                                                                          runner: TaskRunner) -> None:
    """A window opened before any account existed: the first account added is the administrator's, and its
    owner is signed in at once (otherwise nobody could save anything: the station now has accounts)."""
    dialog = open_dialog(qtbot, studio, runner)
    assert rows(dialog) == {} and dialog.add_button.isEnabled()
    form = dialog.add_account()
    assert form is not None and form.role is Role.ADMIN and not form.role_combo.isEnabled()
    qtbot.keyClicks(form.name_edit, ADMIN)
    qtbot.keyClicks(form.password_edit, ADMIN_PW)
    qtbot.keyClicks(form.again_edit, ADMIN_PW)
    store(qtbot, dialog, form)
    assert rows(dialog) == {ADMIN: ("", "Administrator", "Active")}
    assert studio.actor.username == ADMIN and studio.actor.role is Role.ADMIN
