"""Accounts: who may use the studio and in which role, for the station's administrator.

The rules live in :class:`~studio.store.review.ReviewStore` (who may manage accounts, the last
administrator who cannot be disabled or demoted, password lengths); this dialog only asks. Every
listing and change runs in the task runner's ``db`` pool as ``studio.actor``, so the database answers
in the order the administrator clicked and a refusal comes back as a translated message in the dialog.
Setting a password hashes it (scrypt, a noticeable moment on a slow PC): the form waits with its
buttons disabled and closes only once the account is stored, so a refused entry is never lost.

Someone who may not manage accounts sees the list read-only, with a note saying whom to ask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.services import Studio
from studio.store.models import utcnow
from studio.store.review import UserInfo
from studio.ui.i18n import qt_translate
from studio.ui.login import ERROR_STYLE, fit_to_contents, message_label, password_edit, show_passwords_with
from studio.ui.tasks import ExcInfo, Task, TaskRunner
from studio.workflow.accounts import MIN_PASSWORD_CHARS, ROLE_NAMES, Actor, Role
from studio.workflow.states import PERMISSIONS, Action

log = logging.getLogger(__name__)

USERNAME, DISPLAY_NAME, ROLE, STATE = range(4)
ADD, PASSWORD, CHANGE_ROLE = "add", "password", "role"

#: What each role does, in the words an officer uses (shown under the role choice).
ROLE_HELP = {
    Role.OFFICER: QT_TRANSLATE_NOOP("Roles", "Writes, records and renders bulletins, and sends them for approval."),
    Role.REVIEWER: QT_TRANSLATE_NOOP("Roles", "Reads bulletins, then approves them or sends them back with "
                                     "comments."),
    Role.ADMIN: QT_TRANSLATE_NOOP("Roles", "Manages the accounts and the station's rules; may also write and "
                                  "approve."),
}


def role_name(role: Role) -> str:
    return QCoreApplication.translate("Roles", ROLE_NAMES[role])


@dataclass(frozen=True)
class AccountRow:
    """One account as listed: its facts and, when locked, the whole minutes left."""

    info: UserInfo
    locked_minutes: int


@dataclass(frozen=True)
class Listing:
    """A worker's snapshot for the dialog: who is looking (None: nobody signed in) and the accounts."""

    actor: Actor | None
    rows: tuple[AccountRow, ...]

    @property
    def may_manage(self) -> bool:
        return self.actor is not None and Action.MANAGE_USERS in PERMISSIONS[self.actor.role]


def _listing(studio: Studio) -> Listing:
    try:
        actor: Actor | None = studio.actor
    except StudioError:
        actor = None
    now = utcnow()
    policy = studio.reviews.policy
    return Listing(actor, tuple(AccountRow(info, policy.locked_for(info.locked_until, now))
                                for info in studio.reviews.users()))


class AccountForm(QDialog):
    """The fields of one account change: a new account, a new password, or a new role.

    ``submitted`` carries ``(user name, full name, role, password)`` once what was typed agrees with
    itself; the accounts dialog stores it and then calls :meth:`finish` (success) or :meth:`show_problem`.
    """

    submitted = Signal(object)

    def __init__(self, kind: str, parent: QWidget | None = None, *, account: UserInfo | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.account = account
        self.busy = False
        self.role_locked = False
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 50, self.fontMetrics().height() * 6)
        shown = account.display_name or account.username if account else ""
        titles = {ADD: self.tr("Add an account"), PASSWORD: self.tr("Reset the password"),
                  CHANGE_ROLE: self.tr("Change the role")}
        self.setWindowTitle(titles[kind])
        intros = {
            ADD: self.tr("The new person logs in with this user name and password. Give them the password "
                         "in person."),
            PASSWORD: self.tr("A new password for “{name}”. Give it to them in person; the account is also "
                              "unlocked.").format(name=shown),
            CHANGE_ROLE: self.tr("What “{name}” may do in the studio:").format(name=shown),
        }
        self.intro = QLabel(intros[kind], self)
        self.intro.setWordWrap(True)

        self.name_edit = QLineEdit(self)
        self.name_edit.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase
                                           | Qt.InputMethodHint.ImhPreferLowercase)
        self.display_edit = QLineEdit(self)
        self.display_edit.setPlaceholderText(self.tr("for example: Trần Thị Bình"))
        self.role_combo = QComboBox(self)
        for role in (Role.OFFICER, Role.REVIEWER, Role.ADMIN):
            self.role_combo.addItem(role_name(role), role)
        if account is not None:
            self.role_combo.setCurrentIndex(self.role_combo.findData(account.role))
        self.role_help = QLabel(self)
        self.role_help.setWordWrap(True)
        self.role_combo.currentIndexChanged.connect(self._explain_role)
        self._explain_role()
        self.password_edit = password_edit(self)
        self.again_edit = password_edit(self)
        self.show_box = QCheckBox(self.tr("Show the password"), self)
        show_passwords_with(self.show_box, (self.password_edit, self.again_edit))
        self.rules = QLabel(self.tr("User name: small letters and digits without spaces or accents, for "
                                    "example “binh.tran”. Password: at least {count} characters.")
                            .format(count=MIN_PASSWORD_CHARS) if kind == ADD else
                            self.tr("At least {count} characters.").format(count=MIN_PASSWORD_CHARS), self)
        self.rules.setWordWrap(True)

        # Wrapped explanations go between the forms, not into them: a QFormLayout gives a wrapped label
        # less height than it needs, and a large font would cut the last line off.
        who, password = QFormLayout(), QFormLayout()
        body = QVBoxLayout()
        if kind == ADD:
            who.addRow(self.tr("User name:"), self.name_edit)
            who.addRow(self.tr("Full name:"), self.display_edit)
        if kind in (ADD, CHANGE_ROLE):
            who.addRow(self.tr("Role:"), self.role_combo)
            body.addLayout(who)
            body.addWidget(self.role_help)
        if kind in (ADD, PASSWORD):
            password.addRow(self.tr("Password:"), self.password_edit)
            password.addRow(self.tr("Password again:"), self.again_edit)
            password.addRow(self.show_box)
            body.addLayout(password)
            body.addWidget(self.rules)
        captions = [form.labelForField(field) for form in (who, password)
                    for field in (self.name_edit, self.display_edit, self.role_combo, self.password_edit,
                                  self.again_edit)]
        present = [caption for caption in captions if caption is not None]
        for caption in present:  # the two forms' fields line up
            caption.setMinimumWidth(max(other.sizeHint().width() for other in present))
        for form in (who, password):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for widget in (self.name_edit, self.display_edit, self.role_combo, self.role_help, self.password_edit,
                       self.again_edit, self.show_box, self.rules):
            if body.indexOf(widget) < 0 and who.indexOf(widget) < 0 and password.indexOf(widget) < 0:
                widget.hide()

        self.message = message_label(self)
        actions = {ADD: self.tr("Add the account"), PASSWORD: self.tr("Set the password"),
                   CHANGE_ROLE: self.tr("Change the role")}
        self.ok_button = QPushButton(actions[kind], self)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(body)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        (self.name_edit if kind == ADD else self.password_edit if kind == PASSWORD else self.role_combo).setFocus()
        fit_to_contents(self)

    @property
    def role(self) -> Role:
        return Role(self.role_combo.currentData())

    def lock_role(self, role: Role) -> None:
        """Only ``role`` is possible (the station's first account is its administrator's)."""
        self.role_combo.setCurrentIndex(self.role_combo.findData(role))
        self.role_locked = True
        self.role_combo.setEnabled(False)

    def _explain_role(self) -> None:
        self.role_help.setText(QCoreApplication.translate("Roles", ROLE_HELP[self.role]))

    def submit(self) -> None:
        if self.busy:
            return
        if self.kind == ADD and not self.name_edit.text().strip():
            self.show_problem(self.tr("Type a user name."))
            self.name_edit.setFocus()
            return
        if self.kind in (ADD, PASSWORD):
            if not self.password_edit.text():
                self.show_problem(self.tr("Type a password."))
                self.password_edit.setFocus()
                return
            if self.password_edit.text() != self.again_edit.text():
                self.again_edit.clear()
                self.show_problem(self.tr("The two passwords are not the same. Type the password again in the "
                                          "second box."))
                self.again_edit.setFocus()
                return
        self.set_busy(True)
        self.submitted.emit((self.name_edit.text(), self.display_edit.text(), self.role, self.password_edit.text()))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.ok_button, self.cancel_button, self.name_edit, self.display_edit, self.password_edit,
                       self.again_edit):
            widget.setEnabled(not busy)
        self.role_combo.setEnabled(not busy and not self.role_locked)
        if busy:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Saving…"))
            self.message.show()

    def show_problem(self, text: str) -> None:
        self.set_busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
        fit_to_contents(self)

    def finish(self) -> None:
        self.set_busy(False)
        self.accept()

    def reject(self) -> None:
        if not self.busy:  # the change is on its way: its answer must find the form
            super().reject()


class AccountsDialog(QDialog):
    """The station's accounts: add, reset a password, change a role, disable or enable, unlock.

    ``refreshed`` fires after each listing, ``changed`` with the stored :class:`UserInfo` (or the user
    name, for a password) after each change, ``problem`` with each refusal.
    """

    refreshed = Signal()
    changed = Signal(object)
    problem = Signal(object)

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.listing: Listing | None = None
        self.busy = False
        self.form: AccountForm | None = None
        self._select_after: str | None = None
        self._pending: tuple[bool | None, bool] = (None, False)  # the running change: (active, unlock)

        self.setWindowTitle(self.tr("Accounts"))
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 22)
        self.intro = QLabel(self.tr("The people who use this studio. Each logs in with their own name and "
                                    "password; the role says what they may do."), self)
        self.intro.setWordWrap(True)
        self.note = QLabel(self.tr("Only an administrator can change accounts. To add an account, change a "
                                   "role or reset a password, ask the station's administrator."), self)
        self.note.setWordWrap(True)
        self.note.hide()

        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(4)
        self.table.setHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Role"), self.tr("State")])
        self.table.header().setSectionResizeMode(DISPLAY_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (USERNAME, ROLE, STATE):
            self.table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item, _column: self.change_role())

        self.add_button = QPushButton(self.tr("Add account…"), self)
        self.add_button.clicked.connect(self.add_account)
        self.password_button = QPushButton(self.tr("Reset password…"), self)
        self.password_button.clicked.connect(self.reset_password)
        self.role_button = QPushButton(self.tr("Change role…"), self)
        self.role_button.clicked.connect(self.change_role)
        self.active_button = QPushButton(self.tr("Disable"), self)
        self.active_button.setToolTip(self.tr("A disabled account cannot log in; its work stays in the studio."))
        self.active_button.clicked.connect(self.toggle_active)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setToolTip(self.tr("Let a person locked out after wrong passwords try again now."))
        self.unlock_button.clicked.connect(self.unlock)
        self.action_buttons = (self.add_button, self.password_button, self.role_button, self.active_button,
                               self.unlock_button)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.message = message_label(self)
        self.message.setStyleSheet(ERROR_STYLE)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        actions = QVBoxLayout()
        for button in self.action_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.note)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(self.minimumSize().width() + 80, self.minimumSize().height() + 60)

        self._update_buttons()
        self.refresh()

    # --- listing -------------------------------------------------------------------------
    @property
    def may_manage(self) -> bool:
        return self.listing is not None and self.listing.may_manage

    def refresh(self) -> Task:
        """List the accounts again (and who is looking, which decides whether they may change them)."""
        self._set_busy(True)
        if self.listing is None:
            self.status.setText(self.tr("Opening the list of accounts…"))
        studio = self.studio
        task = self.runner.call("list accounts", lambda: _listing(studio), pool="db")
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_listed(self, listing: Listing) -> None:
        self._set_busy(False)
        self.listing = listing
        wanted = self._select_after or (self.selected.info.username if self.selected else None)
        self._select_after = None
        self.table.clear()
        for row in listing.rows:
            item = QTreeWidgetItem([row.info.username, row.info.display_name, role_name(row.info.role),
                                    self._state_text(row)])
            item.setData(USERNAME, Qt.ItemDataRole.UserRole, row)
            self.table.addTopLevelItem(item)
            if row.info.username == wanted:
                self.table.setCurrentItem(item)
        if self.status.text() == self.tr("Opening the list of accounts…"):
            self.status.clear()
        self.note.setVisible(not listing.may_manage)
        for button in self.action_buttons:
            button.setVisible(listing.may_manage)
        self._update_buttons()
        self.refreshed.emit()

    def _state_text(self, row: AccountRow) -> str:
        if not row.info.active:
            return self.tr("Disabled")
        if row.locked_minutes:
            return self.tr("Locked for {minutes} more minutes").format(minutes=row.locked_minutes)
        return self.tr("Active")

    @property
    def selected(self) -> AccountRow | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        row = item.data(USERNAME, Qt.ItemDataRole.UserRole)
        return row if isinstance(row, AccountRow) else None

    def select(self, username: str) -> bool:
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None and item.text(USERNAME) == username:
                self.table.setCurrentItem(item)
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.selected
        ready = self.may_manage and not self.busy
        self.add_button.setEnabled(ready)
        for button in (self.password_button, self.role_button, self.active_button):
            button.setEnabled(ready and row is not None)
        self.unlock_button.setEnabled(ready and row is not None and row.locked_minutes > 0)
        active = row is None or row.info.active
        self.active_button.setText(self.tr("Disable") if active else self.tr("Enable"))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    # --- changes -------------------------------------------------------------------------
    def add_account(self) -> AccountForm | None:
        form = AccountForm(ADD, self)
        if self.listing is not None and not self.listing.rows:  # the first account administers the station
            form.lock_role(Role.ADMIN)
        return self._open_form(form)

    def reset_password(self) -> AccountForm | None:
        row = self.selected
        return self._open_form(AccountForm(PASSWORD, self, account=row.info)) if row else None

    def change_role(self) -> AccountForm | None:
        row = self.selected
        if row is None or not self.may_manage:
            return None
        return self._open_form(AccountForm(CHANGE_ROLE, self, account=row.info))

    def _open_form(self, form: AccountForm) -> AccountForm | None:
        if not self.may_manage or self.busy:
            form.deleteLater()
            return None
        self.message.hide()
        self.form = form
        form.submitted.connect(lambda values: self._store(form, values))
        form.finished.connect(lambda _result: self._forget_form(form))
        form.open()
        return form

    def _forget_form(self, form: AccountForm) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _store(self, form: AccountForm, values: tuple[str, str, Role, str]) -> Task:
        name, display, role, password = values
        studio = self.studio
        username = form.account.username if form.account is not None else name

        def work() -> UserInfo | str:
            if form.kind == ADD:
                actor = studio.actor
                info = studio.reviews.create_user(name, password, role, display_name=display, actor=actor)
                if actor.is_system:  # the station's first account (an administrator's): its owner is here
                    studio.login(name, password)
                return info
            if form.kind == PASSWORD:
                studio.reviews.set_password(username, password, actor=studio.actor)
                return username
            return studio.reviews.set_user(username, actor=studio.actor, role=role)

        self._set_busy(True)
        task = self.runner.call(f"account: {form.kind}", work, pool="db")
        task.succeeded.connect(self._on_form_stored)
        task.failed.connect(self._on_form_refused)
        task.crashed.connect(self._on_form_crashed)
        return task

    def _on_form_stored(self, result: UserInfo | str) -> None:
        form = self.form
        kind = form.kind if form is not None else ""
        if kind == ADD and isinstance(result, UserInfo):
            self._say(self.tr("The account “{name}” was added as {role}.")
                      .format(name=result.username, role=role_name(result.role)))
            self._select_after = result.username
        elif kind == PASSWORD:
            self._say(self.tr("The password of “{name}” was changed.").format(name=result))
        elif isinstance(result, UserInfo):
            self._say(self.tr("“{name}” is now {role}.").format(name=result.username, role=role_name(result.role)))
        if isinstance(result, UserInfo):
            self._follow_own_account(result)
        if form is not None:
            form.finish()
        self.changed.emit(result)
        self.refresh()

    def _on_form_refused(self, exc: StudioError) -> None:
        self._set_busy(False)
        if self.form is not None:
            self.form.show_problem(exc.translated(qt_translate))
        self.problem.emit(exc)

    def _on_form_crashed(self, _exc_info: ExcInfo) -> None:
        self._set_busy(False)
        if self.form is not None:
            self.form.show_problem(self.tr("The studio ran into a problem; nothing was changed."))
        self.problem.emit(None)

    def toggle_active(self) -> Task | None:
        row = self.selected
        if row is None:
            return None
        return self._change(row.info.username, active=not row.info.active)

    def unlock(self) -> Task | None:
        row = self.selected
        if row is None:
            return None
        return self._change(row.info.username, unlock=True)

    def _change(self, username: str, *, active: bool | None = None, unlock: bool = False) -> Task | None:
        if not self.may_manage or self.busy:
            return None
        self.message.hide()
        studio = self.studio
        self._set_busy(True)
        task = self.runner.call("account: change",
                                lambda: studio.reviews.set_user(username, actor=studio.actor, active=active,
                                                                unlock=unlock), pool="db")
        self._pending = (active, unlock)
        task.succeeded.connect(self._on_changed)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_changed(self, info: UserInfo) -> None:
        active, unlock = self._pending
        name = info.display_name or info.username
        if unlock:
            self._say(self.tr("“{name}” can log in again.").format(name=name))
        elif active:
            self._say(self.tr("“{name}” can use the studio again.").format(name=name))
        else:
            self._say(self.tr("“{name}” can no longer log in.").format(name=name))
        self._follow_own_account(info)
        self.changed.emit(info)
        self.refresh()

    def _follow_own_account(self, info: UserInfo) -> None:
        """The signed-in person changed their own role: what they may do follows at once."""
        signed_in = self.studio.signed_in
        if signed_in is not None and signed_in.id == info.id:
            self.studio.signed_in = info.actor()

    def _on_failed(self, exc: StudioError) -> None:
        self._set_busy(False)
        self.status.clear()
        self.message.setText(exc.translated(qt_translate))
        self.message.show()
        self.problem.emit(exc)

    def _on_crashed(self, _exc_info: ExcInfo) -> None:
        self._set_busy(False)
        self.status.clear()
        self.message.setText(self.tr("The studio ran into a problem; nothing was changed."))
        self.message.show()
        self.problem.emit(None)

    def _say(self, text: str) -> None:
        self.message.hide()
        self.status.setText(text)
