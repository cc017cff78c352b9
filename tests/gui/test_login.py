"""The login: the first administrator on a new station, wrong passwords, lockout, switching user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from studio.config import UI_LAST_USER, Settings
from studio.services import Studio
from studio.ui.login import CHECKING, CREATE, LOGIN, LoginDialog, login_at_start, switch_user
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import (
    BAD_LOGIN,
    BAD_LOGIN_HINT,
    BAD_USERNAME,
    LONG_PASSWORD,
    MAX_PASSWORD_CHARS,
    MAX_USERNAME_CHARS,
    Role,
)
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

ADMIN, ADMIN_PW = "chu.tich", "Hoa-Binh-2024"
OFFICER, OFFICER_PW = "bien.tap", "loa-phuong-1"
WRONG = f"{BAD_LOGIN}\n{BAD_LOGIN_HINT}"



@pytest.fixture
def accounts(studio: Studio) -> Studio:
    """A station with an administrator and an officer (nobody logged in yet)."""
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN, display_name="Chủ tịch xã")
    studio.reviews.create_user(OFFICER, OFFICER_PW, Role.OFFICER, display_name="Lò Thị Mai")
    return studio


def open_dialog(qtbot, studio: Studio, runner: TaskRunner, *, switching: bool = False) -> LoginDialog:
    dialog = LoginDialog(studio, runner, switching=switching)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.mode != CHECKING, timeout=10_000)
    return dialog


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    field.clear()
    if len(text) > 200 or not text.isascii():
        field.setText(text)  # a paste, or typed with the Vietnamese keyboard (QTest types ASCII only)
    else:
        qtbot.keyClicks(field, text)


def enter(qtbot, dialog: LoginDialog) -> None:
    """Press Enter in the password box and wait for the answer."""
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.busy, "Enter did not submit"
    assert not dialog.primary_button.isEnabled() and not dialog.quit_button.isEnabled()
    dialog.reject()  # refused while the password is checked: the answer must find the dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def log_in(qtbot, dialog: LoginDialog, name: str, password: str) -> None:
    type_into(qtbot, dialog.name_edit, name)
    type_into(qtbot, dialog.password_edit, password)
    enter(qtbot, dialog)


def test_first_run_creates_the_administrator_and_logs_in(qtbot, studio: Studio, runner: TaskRunner) -> None:
    assert studio.reviews.user_count() == 0
    dialog = open_dialog(qtbot, studio, runner)
    assert dialog.mode == CREATE
    assert dialog.windowTitle() == "Create the administrator account"
    assert "it creates the accounts of officers and reviewers" in dialog.intro.text()
    assert dialog.display_edit.isVisible() and dialog.again_edit.isVisible()
    assert dialog.focusWidget() is dialog.name_edit

    type_into(qtbot, dialog.name_edit, "Chu.Tich")
    type_into(qtbot, dialog.display_edit, "Nguyễn Văn An")
    type_into(qtbot, dialog.password_edit, ADMIN_PW)
    type_into(qtbot, dialog.again_edit, ADMIN_PW + "x")
    qtbot.mouseClick(dialog.primary_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and "not the same" in dialog.message.text()
    assert dialog.again_edit.text() == "" and dialog.focusWidget() is dialog.again_edit
    assert dialog.isVisible() and not dialog.busy

    type_into(qtbot, dialog.again_edit, ADMIN_PW)
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_box.setChecked(True)
    assert dialog.again_edit.echoMode() == QLineEdit.EchoMode.Normal
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000):
        qtbot.mouseClick(dialog.primary_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    actor = studio.actor
    assert (actor.username, actor.role, actor.display_name) == ("chu.tich", Role.ADMIN, "Nguyễn Văn An")
    assert [u.username for u in studio.reviews.users()] == ["chu.tich"]
    assert Settings(studio.paths.config / "settings.json").get(UI_LAST_USER) == "chu.tich"


def test_wrong_password_or_name_show_the_same_message_and_keep_the_dialog(qtbot, accounts: Studio,
                                                                       runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, accounts, runner)
    assert dialog.mode == LOGIN and dialog.windowTitle() == "Log in"
    assert not dialog.display_edit.isVisible() and not dialog.again_edit.isVisible()

    log_in(qtbot, dialog, ADMIN, "not-the-password")
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text() == WRONG
    assert dialog.password_edit.text() == "" and dialog.focusWidget() is dialog.password_edit
    assert dialog.name_edit.text() == ADMIN  # only the password is typed again
    log_in(qtbot, dialog, "nobody.here", "not-the-password")
    assert dialog.message.text() == WRONG
    assert accounts.signed_in is None

    type_into(qtbot, dialog.password_edit, "")
    qtbot.mouseClick(dialog.primary_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Type your password." and not dialog.busy


@pytest.mark.parametrize("name", ["x" * 10_000, "admin' OR '1'='1'; DROP TABLE user_account; --",
                                  "  ", "Chủ Tịch", "a\u0000b", "📻"])
def test_odd_names_get_the_normal_message(qtbot, accounts: Studio, runner: TaskRunner, name: str) -> None:
    dialog = open_dialog(qtbot, accounts, runner)
    dialog.name_edit.setText(name)  # pasted
    dialog.password_edit.setText("y" * 10_000)
    if name.strip():
        enter(qtbot, dialog)
        assert dialog.message.text() == WRONG
    else:
        qtbot.mouseClick(dialog.primary_button, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == "Type your user name."
    assert dialog.isVisible()
    log_in(qtbot, dialog, ADMIN, "x" * 10_000)
    assert dialog.message.text() == WRONG
    assert [u.username for u in accounts.reviews.users()] == [OFFICER, ADMIN]  # nothing dropped


def test_odd_input_when_creating_the_administrator(qtbot, studio: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, studio, runner)
    assert dialog.mode == CREATE
    for name, password, expected in (
            ("x" * 10_000, ADMIN_PW, BAD_USERNAME.format(limit=MAX_USERNAME_CHARS)),
            ("admin'; DROP TABLE user_account; --", ADMIN_PW, BAD_USERNAME.format(limit=MAX_USERNAME_CHARS)),
            ("quan.tri", "p" * 10_000, LONG_PASSWORD.format(limit=MAX_PASSWORD_CHARS))):
        type_into(qtbot, dialog.name_edit, name)
        type_into(qtbot, dialog.password_edit, password)
        type_into(qtbot, dialog.again_edit, password)
        qtbot.mouseClick(dialog.primary_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        assert dialog.message.text() == expected and dialog.isVisible()
    assert studio.reviews.user_count() == 0


def test_lockout_after_repeated_failures_shows_the_minutes(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, accounts, runner)
    for _attempt in range(accounts.reviews.policy.max_failures):
        log_in(qtbot, dialog, OFFICER, "guess")
        assert dialog.message.text() == WRONG
    log_in(qtbot, dialog, OFFICER, OFFICER_PW)  # even the right password waits now
    minutes = accounts.reviews.policy.lock_minutes
    assert dialog.message.text().startswith(f"This account is locked for {minutes} more minutes")
    assert "ask the administrator to unlock it" in dialog.message.text()
    assert dialog.isVisible() and accounts.signed_in is None


def test_right_password_logs_in_and_the_name_is_remembered(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, accounts, runner)
    assert dialog.name_edit.text() == "" and dialog.focusWidget() is dialog.name_edit
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        log_in(qtbot, dialog, " Bien.Tap ", OFFICER_PW)
    assert accounts.actor.username == OFFICER and accounts.actor.role is Role.OFFICER
    assert dialog.actor == accounts.actor

    again = open_dialog(qtbot, accounts, runner)
    assert again.name_edit.text() == OFFICER
    assert again.focusWidget() is again.password_edit
    switching = open_dialog(qtbot, accounts, runner, switching=True)
    assert switching.name_edit.text() == "" and switching.windowTitle() == "Switch user"


def test_asked_at_once_the_officer_types_while_the_accounts_are_counted(qtbot, accounts: Studio,
                                                                         runner: TaskRunner) -> None:
    """At start, when someone logged in here before: the name and password at once (the studio may still be
    opening); the count comes later and changes nothing that was typed."""
    accounts.settings.set(UI_LAST_USER, OFFICER)
    dialog = LoginDialog(accounts, runner, expect_accounts=True)
    qtbot.addWidget(dialog)
    modes: list[str] = []
    dialog.ready.connect(modes.append)
    dialog.show()
    assert dialog.mode == LOGIN and not dialog.busy and dialog.password_edit.isEnabled()
    assert dialog.name_edit.text() == OFFICER and dialog.focusWidget() is dialog.password_edit
    dialog.name_edit.setText(ADMIN)  # someone else at the PC today
    qtbot.waitUntil(lambda: modes == [LOGIN], timeout=10_000)
    assert dialog.accounts == 2 and dialog.mode == LOGIN and dialog.name_edit.text() == ADMIN
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        log_in(qtbot, dialog, ADMIN, ADMIN_PW)
    assert accounts.actor.username == ADMIN


def asked_at_once(qtbot, studio: Studio, runner: TaskRunner, name: str) -> LoginDialog:
    """The start-up login that asks before the accounts are counted, shown, with ``name`` typed."""
    dialog = LoginDialog(studio, runner, expect_accounts=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText(name)
    return dialog


def test_asked_at_once_but_without_accounts_it_turns_to_creating_the_administrator(qtbot, studio: Studio,
                                                                                  runner: TaskRunner) -> None:
    dialog = asked_at_once(qtbot, studio, runner, "quan.tri")
    qtbot.waitUntil(lambda: dialog.mode == CREATE, timeout=10_000)
    assert dialog.name_edit.text() == "quan.tri" and dialog.again_edit.isVisible()
    assert dialog.primary_button.text() == "Create and log in"


def test_a_login_sent_before_the_count_on_a_studio_without_accounts_turns_to_creating(qtbot, studio: Studio,
                                                                                     runner: TaskRunner) -> None:
    dialog = asked_at_once(qtbot, studio, runner, "quan.tri")
    dialog.password_edit.setText("mat-khau-xa")
    assert dialog.submit() is not None and dialog.busy  # before the count's answer reached the dialog
    qtbot.waitUntil(lambda: dialog.mode == CREATE and not dialog.busy, timeout=10_000)
    assert dialog.name_edit.text() == "quan.tri" and dialog.password_edit.text() == ""
    assert studio.signed_in is None and studio.reviews.user_count() == 0


def answer_modal(qtbot, act: Callable[[LoginDialog], None]) -> None:
    """Once the modal login dialog has asked the database, do ``act`` on it (the test waits in exec())."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog) or dialog.mode == CHECKING:
            QTimer.singleShot(10, attempt)
            return
        act(dialog)

    QTimer.singleShot(0, attempt)


def test_quit_at_start_returns_false(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    answer_modal(qtbot, lambda dialog: dialog.quit_button.click())
    assert login_at_start(accounts, runner) is False
    assert accounts.signed_in is None


def test_start_continues_once_logged_in(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    def fill(dialog: LoginDialog) -> None:
        dialog.name_edit.setText(ADMIN)
        dialog.password_edit.setText(ADMIN_PW)
        dialog.primary_button.click()

    answer_modal(qtbot, fill)
    assert login_at_start(accounts, runner) is True
    assert accounts.actor.username == ADMIN


def test_switch_user_changes_the_actor_and_cancel_keeps_the_previous(qtbot, accounts: Studio,
                                                                    runner: TaskRunner) -> None:
    accounts.login(ADMIN, ADMIN_PW)
    answer_modal(qtbot, lambda dialog: dialog.quit_button.click())
    assert switch_user(None, accounts, runner) is False
    assert accounts.actor.username == ADMIN

    attempts: list[str] = []

    def wrong_then_right(dialog: LoginDialog) -> None:
        assert dialog.quit_button.text() == "Cancel"
        if not attempts:
            dialog.name_edit.setText(OFFICER)
            dialog.password_edit.setText("wrong")
            dialog.problem.connect(lambda exc: attempts.append(exc.translated()))
            dialog.problem.connect(lambda _exc: wrong_then_right(dialog))
            dialog.primary_button.click()
        elif len(attempts) == 1:
            assert accounts.actor.username == ADMIN  # still the administrator after a wrong password
            dialog.password_edit.setText(OFFICER_PW)
            dialog.primary_button.click()

    answer_modal(qtbot, wrong_then_right)
    assert switch_user(None, accounts, runner) is True
    assert attempts == [WRONG]
    assert accounts.actor.username == OFFICER and accounts.actor.role is Role.OFFICER


@pytest.mark.parametrize("mode", [CREATE, LOGIN])
def test_long_vietnamese_texts_fit_in_a_large_font(qtbot, qapp: QApplication, studio: Studio, runner: TaskRunner,
                                                   mode: str) -> None:
    if mode == LOGIN:
        studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN)
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, studio, runner)
        assert dialog.mode == mode
        assert untranslated(dialog) == []
        # Qt places widgets through posted layout events: the first dialog of a session (fonts still being
        # loaded) may need a moment; what must hold is that it settles with nothing cut off.
        qtbot.waitUntil(lambda: clipped(dialog) == [], timeout=3000)
        if mode == CREATE:
            dialog.again_edit.setText("short")
        log_in(qtbot, dialog, ADMIN, "a wrong password" if mode == LOGIN else "short")
        assert dialog.message.isVisible() and dialog.message.text().startswith("Ặ")
        assert clipped(dialog) == []
        assert dialog.height() < 760  # fits on the commune's 1366×768 screen
        assert dialog.font().pointSize() == 16 and dialog.heading.font().pointSizeF() > 16


def test_the_password_fields_keep_what_is_typed_from_input_methods_until_shown(
        qtbot, accounts: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, accounts, runner)
    private = (Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
               | Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhNoAutoUppercase)
    for field in (dialog.password_edit, dialog.again_edit):
        assert field.inputMethodHints() & private == private  # no predictions learnt, no capitals added
    dialog.show_box.setChecked(True)  # "show the password": the officer wants to see what was typed
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_box.setChecked(False)
    assert dialog.password_edit.inputMethodHints() & private == private
    name_hints = dialog.name_edit.inputMethodHints()
    assert name_hints & Qt.InputMethodHint.ImhNoAutoUppercase and name_hints & Qt.InputMethodHint.ImhPreferLowercase
