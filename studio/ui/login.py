"""Logging in, and creating the station's first administrator: the door to the studio.

One dialog does both. It first asks the database (in the runner's ``db`` pool) whether any account
exists: if none does, it asks for the administrator's account and logs that account in; otherwise it
asks for a user name and password. Checking a password costs a deliberate tenth of a second or more
(scrypt, see :mod:`studio.workflow.accounts`), so it runs off the GUI thread with the buttons disabled;
the answer, or the reason for a refusal in the officer's language, comes back into the dialog.

:func:`login_at_start` is the start-up step (Quit ends the studio); :func:`switch_user` is the main
window's "Switch user": the person at the PC stays signed in until someone else has logged in, so a
Cancel (or a save still finishing in the background) keeps everything as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.config import UI_LAST_USER
from studio.messages import StudioError
from studio.ui.i18n import qt_translate
from studio.ui.tasks import ExcInfo, Task, TaskRunner
from studio.workflow.accounts import BAD_USERNAME, LONG_NAME, MIN_PASSWORD_CHARS, Actor, Role

if TYPE_CHECKING:  # the dialog may show before the studio's services are imported (see studio.opening)
    from studio.services import Studio

log = logging.getLogger(__name__)

#: What the dialog is doing: asking the database, logging in, creating the first account, or stuck
#: because the database could not be asked (the main button then tries again).
CHECKING, LOGIN, CREATE, UNREACHABLE = "checking", "login", "create", "unreachable"
#: A worker's answer when someone else created the first account meanwhile (a shared database).
ALREADY_SET_UP = "already set up"

ERROR_STYLE = "color: #8b1a1a;"


def password_edit(parent: QWidget) -> QLineEdit:
    """A password field: hidden echo, and with it (Qt sets them for the mode) hidden, sensitive input with no
    predictive text or auto-capitals for input methods."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def show_passwords_with(box: QCheckBox, edits: Iterable[QLineEdit]) -> None:
    """Ticking ``box`` shows what was typed in ``edits`` (easier than guessing at hidden dots)."""
    fields = list(edits)

    def toggle(shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in fields:
            edit.setEchoMode(mode)

    box.toggled.connect(toggle)


def message_label(parent: QWidget) -> QLabel:
    """Where a refusal is shown inside a dialog: wrapped, selectable (to read it out on the phone)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def fit_to_contents(window: QWidget) -> None:
    """Resize ``window`` to what its texts need at its width, within the screen.

    ``adjustSize()`` stops at two thirds of the screen's height: too little for a large font on the
    commune's 1366×768 screens, where wrapped Vietnamese sentences would be cut off.
    """
    layout = window.layout()
    if layout is None:
        return
    for button in window.findChildren(QPushButton):  # a button is never narrower than its words
        button.setMinimumWidth(button.sizeHint().width())
    layout.activate()
    width = max(window.width() if window.isVisible() else 0, window.minimumWidth(),
                layout.totalSizeHint().width(), layout.totalMinimumSize().width())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    height = max(height, window.minimumHeight(), layout.totalMinimumSize().height())
    screen = window.screen()
    if screen is not None:
        height = min(height, screen.availableGeometry().height() - 40)  # leave the title bar visible
    window.resize(width, height)
    layout.activate()  # place the children in the new size now, not at the next event


def _log_in(studio: Studio, username: str, password: str) -> Actor:
    """Worker: check the password (signs the person in on success) and remember the name for next time."""
    actor = studio.login(username, password)
    studio.settings.remember(UI_LAST_USER, actor.username)  # offered next time; tells the next start to ask at once
    return actor


def _create_admin(studio: Studio, username: str, display_name: str, password: str) -> Actor | str:
    """Worker: the first account, an administrator, then logged in; :data:`ALREADY_SET_UP` when another
    PC on the same database created one since the dialog looked."""
    if studio.reviews.user_count():
        return ALREADY_SET_UP
    studio.reviews.create_user(username, password, Role.ADMIN, display_name=display_name)
    return _log_in(studio, username, password)


class LoginDialog(QDialog):
    """User name and password, or the first administrator's account when the database has none.

    Accepted once someone is signed in (``studio.signed_in``, also in :attr:`actor`); rejected by
    Quit/Cancel, which is refused while a password is being checked. ``ready`` fires with the mode once
    the database has answered; ``problem`` with each refusal: a :class:`StudioError` from the database's
    rules, the (translated) text of a refusal by the dialog itself (an empty field, two different
    passwords), or None for a bug, which also goes to the crash dialog through the runner.

    ``expect_accounts``: the studio had accounts at its last start (a name was remembered), so the dialog asks
    for the name and password at once, while the studio may still be opening (``studio`` a
    :class:`~studio.opening.LateStudio`); the count still comes, and no account at all turns the dialog to
    creating the administrator, keeping what was typed.
    """

    ready = Signal(str)
    problem = Signal(object)
    logged_in = Signal(object)  # Actor

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None, *,
                 switching: bool = False, expect_accounts: bool = False) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.switching = switching
        self.mode = CHECKING
        self.busy = False
        self.actor: Actor | None = None
        self.accounts: int | None = None  # how many the database has, once it answered

        # An explicit minimum (both ways): the layout then leaves the window's limits alone while the
        # mode and the message change; fit_to_contents() sizes the window to what the texts need.
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 52, self.fontMetrics().height() * 12)
        self.heading = QLabel(self)
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)

        self.name_edit = QLineEdit(self)
        self.name_edit.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase
                                           | Qt.InputMethodHint.ImhNoPredictiveText
                                           | Qt.InputMethodHint.ImhPreferLowercase)
        self.display_edit = QLineEdit(self)
        self.display_edit.setPlaceholderText(self.tr("for example: Nguyễn Văn An"))
        self.password_edit = password_edit(self)
        self.again_edit = password_edit(self)
        self.show_box = QCheckBox(self.tr("Show the password"), self)
        show_passwords_with(self.show_box, (self.password_edit, self.again_edit))
        self.rules = QLabel(self.tr("User name: small letters and digits without spaces or accents, for "
                                    "example “an.nguyen”. Password: at least {count} characters.")
                            .format(count=MIN_PASSWORD_CHARS), self)
        self.rules.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow(self.tr("User name:"), self.name_edit)
        self.form.addRow(self.tr("Full name:"), self.display_edit)
        self.form.addRow(self.tr("Password:"), self.password_edit)
        self.form.addRow(self.tr("Password again:"), self.again_edit)
        self.form.addRow(self.show_box)

        self.message = message_label(self)
        self.primary_button = QPushButton(self)
        self.primary_button.setDefault(True)  # Enter in any field submits
        self.primary_button.clicked.connect(self.submit)
        self.quit_button = QPushButton(self.tr("Cancel") if switching else self.tr("Quit"), self)
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.primary_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.rules)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)

        if expect_accounts:
            self._show_mode(LOGIN)
            self.check_accounts(wait=False)
        else:
            self._show_mode(CHECKING)
            self.check_accounts()

    # --- modes ---------------------------------------------------------------------------
    def check_accounts(self, *, wait: bool = True) -> Task:
        """Ask the database whether the station has accounts yet; with ``wait`` the dialog waits meanwhile,
        else the officer types while it answers."""
        if wait:
            self._show_mode(CHECKING)
            self._set_busy(True, self.tr("Opening the list of accounts…"))
        studio = self.studio
        task = self.runner.call("count accounts", lambda: studio.reviews.user_count(), pool="db")
        task.succeeded.connect(self._on_counted)
        task.failed.connect(self._on_unreachable)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_counted(self, count: int) -> None:
        self.accounts = count
        if self.mode == LOGIN and (count or self.busy):  # asked at once; a refusal of the login switches
            self.ready.emit(self.mode)
            return
        self._set_busy(False)
        self._show_mode(LOGIN if count else CREATE)
        self.ready.emit(self.mode)

    def _on_unreachable(self, exc: StudioError) -> None:
        if self.mode == LOGIN:  # asked at once: the login's own task meets the same problem and says so
            log.warning("cannot count the accounts: %s", exc)
            return
        self._set_busy(False)
        self._show_mode(UNREACHABLE)
        self._show_problem(exc.translated(qt_translate))
        self.problem.emit(exc)
        self.ready.emit(self.mode)

    def _show_mode(self, mode: str) -> None:
        self.mode = mode
        creating = mode == CREATE
        if creating:
            self.setWindowTitle(self.tr("Create the administrator account"))
            self.heading.setText(self.tr("Create the administrator account"))
            self.intro.setText(self.tr(
                "No one has an account on this studio yet. First create the administrator account. "
                "This account manages the station: it creates the accounts of officers and reviewers."))
            self.primary_button.setText(self.tr("Create and log in"))
        else:
            self.setWindowTitle(self.tr("Switch user") if self.switching else self.tr("Log in"))
            self.heading.setText(self.tr("Commune Radio Studio"))
            self.intro.setText(self.tr("Type your user name and password, then press Log in.")
                               if mode != UNREACHABLE else "")
            self.primary_button.setText(self.tr("Try again") if mode == UNREACHABLE else self.tr("Log in"))
        for field in (self.display_edit, self.again_edit):
            self.form.setRowVisible(field, creating)
        self.rules.setVisible(creating)
        self.intro.setVisible(bool(self.intro.text()))
        for field in (self.name_edit, self.password_edit):
            self.form.setRowVisible(field, mode != UNREACHABLE)
        self.form.setRowVisible(self.show_box, mode != UNREACHABLE)
        if mode == LOGIN and not self.switching and not self.name_edit.text():
            self.name_edit.setText(self.studio.settings.get(UI_LAST_USER))
        if mode in (LOGIN, CREATE):
            self._clear_problem()
            self._focus_first_empty()
        fit_to_contents(self)

    def _focus_first_empty(self) -> None:
        if self.mode == LOGIN and self.name_edit.text():
            self.password_edit.setFocus()
        else:
            self.name_edit.setFocus()

    # --- submitting ----------------------------------------------------------------------
    def submit(self) -> Task | None:
        """Log in (or create the administrator and log in) with what was typed; None when refused here."""
        if self.busy or self.mode == CHECKING:
            return None
        if self.mode == UNREACHABLE:
            return self.check_accounts()
        name, password = self.name_edit.text(), self.password_edit.text()
        if not name.strip():
            self._refuse(self.tr("Type your user name."), self.name_edit)
            return None
        if not password:
            self._refuse(self.tr("Type your password."), self.password_edit)
            return None
        studio = self.studio
        if self.mode == CREATE:
            if password != self.again_edit.text():
                self.again_edit.clear()
                self._refuse(self.tr("The two passwords are not the same. Type the password again in the "
                                     "second box."), self.again_edit)
                return None
            display = self.display_edit.text()
            self._set_busy(True, self.tr("Creating the account…"))
            task = self.runner.call("create administrator", lambda: _create_admin(studio, name, display, password),
                                    pool="db")
        else:
            self._set_busy(True, self.tr("Checking the password…"))
            task = self.runner.call("log in", lambda: _log_in(studio, name, password), pool="db")
        task.succeeded.connect(self._on_answer)
        task.failed.connect(self._on_refused)
        task.crashed.connect(self._on_crashed)
        return task

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self._show_problem(text)
        field.setFocus()
        self.problem.emit(text)

    def _on_answer(self, answer: Actor | str) -> None:
        self._set_busy(False)
        if not isinstance(answer, Actor):  # ALREADY_SET_UP: the name typed may be someone else's now
            self.password_edit.clear()
            self.again_edit.clear()
            self._show_mode(LOGIN)
            self._show_problem(self.tr("An administrator account was created on another computer in the "
                                       "meantime. Log in with your account."))
            self.ready.emit(self.mode)
            return
        self.actor = answer
        for edit in (self.password_edit, self.again_edit):
            edit.clear()
        self.logged_in.emit(answer)
        self.accept()

    def _on_refused(self, exc: StudioError) -> None:
        self._set_busy(False)
        if self.mode == LOGIN and self.accounts == 0:  # asked at once, but the station has no account at all
            self.password_edit.clear()
            self._show_mode(CREATE)
            self.ready.emit(self.mode)
            return
        self._show_problem(exc.translated(qt_translate))
        if self.mode == CREATE and exc.text in (BAD_USERNAME, LONG_NAME):
            field = self.name_edit if exc.text == BAD_USERNAME else self.display_edit
            field.setFocus()
            field.selectAll()
        else:
            if self.mode == LOGIN:
                self.password_edit.clear()
            self.password_edit.setFocus()
            self.password_edit.selectAll()
        self.problem.emit(exc)

    def _on_crashed(self, _exc_info: ExcInfo) -> None:
        self._set_busy(False)
        if self.mode == CHECKING:
            self._show_mode(UNREACHABLE)
        self._show_problem(self.tr("The studio ran into a problem. Try again; if it happens again, send the "
                                   "details shown to the person who looks after this computer."))
        self.problem.emit(None)

    # --- state ---------------------------------------------------------------------------
    def _set_busy(self, busy: bool, note: str = "") -> None:
        self.busy = busy
        for widget in (self.primary_button, self.name_edit, self.display_edit, self.password_edit,
                       self.again_edit, self.show_box):
            widget.setEnabled(not busy)
        self.quit_button.setEnabled(not busy or self.mode == CHECKING)  # a database that hangs: still Quit
        if busy:
            self.message.setStyleSheet("")
            self.message.setText(note)
            self.message.setVisible(bool(note))
        else:
            self._clear_problem()
            self._focus_first_empty()

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
        fit_to_contents(self)

    def _clear_problem(self) -> None:
        self.message.clear()
        self.message.hide()

    def reject(self) -> None:
        """Quit or Cancel; not while a password is being checked (the answer would come to nobody)."""
        if self.busy and self.mode != CHECKING:
            return
        super().reject()


def login_at_start(studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> bool:
    """The start-up step before the main window: True once someone is signed in, False on Quit."""
    dialog = LoginDialog(studio, runner, parent, expect_accounts=bool(studio.settings.get(UI_LAST_USER)))
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def switch_user(parent: QWidget | None, studio: Studio, runner: TaskRunner) -> bool:
    """Let someone else log in at this PC; True once someone has (perhaps the same person again).

    The current person stays signed in until the new login succeeds (a save finishing in the background
    is still theirs); Cancel keeps them. The caller refreshes what depends on the person (the title,
    what their role may do) when this returns True.
    """
    previous = studio.signed_in
    dialog = LoginDialog(studio, runner, parent, switching=True)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    if not accepted:
        studio.signed_in = previous
    return accepted
