"""Delivery targets: where finished programmes go, for the installer or the station's administrator.

The rules live in core: :func:`~studio.delivery.targets.validate_config` says what a target needs,
:class:`~studio.store.repo.Repository` stores the settings (only an administrator, every change audited),
:class:`~studio.delivery.credentials.Credentials` keeps the password or token in this computer's credential
store — never in the library, which other PCs and backups read — and the transports test the connection.
This window only asks. Listing and saving run in the task runner's ``db`` pool as ``studio.actor``; a
connection test runs in the ``work`` pool and can be stopped.

"Test connection" first saves what was typed (the hint of a refused login says to type the right password
and press it). An SFTP controller whose key is not trusted yet, or whose key changed, is put in front of the
administrator (:class:`~studio.ui.target_form.HostKeyDialog`) before anything is stored. Someone who may not
change the targets sees them read-only and may still test them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.delivery.sftp import HostKeyChanged, UnknownHostKey, fetch_host_key
from studio.delivery.targets import DEFAULT_PORTS, NEEDS_SECRET, TargetSettings, describe, validate_config
from studio.messages import StudioError
from studio.services import Studio
from studio.store.repo import TargetInfo
from studio.ui.i18n import qt_translate
from studio.ui.login import ERROR_STYLE, fit_to_contents, message_label
from studio.ui.target_form import HostKeyDialog, Picker, TargetForm, kind_label, pick_certificate, pick_folder
from studio.ui.tasks import ExcInfo, Task, TaskFunction, TaskRunner
from studio.workflow.accounts import Actor
from studio.workflow.states import PERMISSIONS, Action, require

NAME, KIND, WHERE, ENABLED = range(4)
SUCCESS_STYLE = "color: #1f5f1f;"


@dataclass(frozen=True)
class TargetRow:
    """One stored target and whether this computer holds its password or token."""

    info: TargetInfo
    secret_stored: bool


@dataclass(frozen=True)
class Listing:
    """A worker's snapshot: who is looking (None: nobody signed in) and the targets."""

    actor: Actor | None
    rows: tuple[TargetRow, ...]

    @property
    def may_change(self) -> bool:
        return self.actor is not None and Action.MANAGE_STATION in PERMISSIONS[self.actor.role]


@dataclass(frozen=True)
class TargetDraft:
    """What the form asks to store; ``secret`` only when one was typed."""

    name: str
    kind: str
    config: dict[str, Any]
    enabled: bool
    secret: str
    is_new: bool
    settings_changed: bool


@dataclass(frozen=True)
class Stored:
    """A stored target, and the credential store's refusal when the secret could not be kept."""

    info: TargetInfo
    secret_problem: StudioError | None


def list_targets(studio: Studio) -> Listing:
    """Worker: the targets (whether each one's secret is on this computer) and who is looking."""
    try:
        actor: Actor | None = studio.actor
    except StudioError:
        actor = None
    return Listing(actor, tuple(TargetRow(info, info.kind in NEEDS_SECRET and studio.credentials.get(info.name)
                                          is not None) for info in studio.repo.targets()))


def store_target(studio: Studio, draft: TargetDraft) -> Stored:
    """Worker: store the settings as the person signed in, then the typed secret in the credential store
    (only once the database accepted the change: a refused change leaves no password behind)."""
    actor = studio.actor
    if draft.is_new:
        info = studio.repo.add_target(studio.station().id, draft.name, draft.kind, draft.config, actor=actor)
        if not draft.enabled:
            info = studio.repo.update_target(draft.name, draft.config, enabled=False, actor=actor)
    elif draft.settings_changed:
        info = studio.repo.update_target(draft.name, draft.config, enabled=draft.enabled, actor=actor)
    else:  # a new password alone changes no row, but needs the same right
        require(studio.repo.fresh(actor), Action.MANAGE_STATION)
        info = studio.repo.target(draft.name)
    if draft.secret and draft.kind in NEEDS_SECRET:
        try:
            studio.credentials.set(draft.name, draft.secret)
        except StudioError as exc:
            return Stored(info, exc)
    return Stored(info, None)


def forget_target(studio: Studio, name: str) -> None:
    """Worker: remove the target, then its secret from this computer."""
    studio.repo.remove_target(name, actor=studio.actor)
    studio.credentials.delete(name)


def pin_host_key(studio: Studio, name: str, fingerprint: str) -> TargetInfo:
    """Worker: trust ``fingerprint`` as the key of the SFTP target ``name`` (its other settings as stored)."""
    target = studio.repo.target(name)
    return studio.repo.update_target(name, {**target.config, "host_key": fingerprint}, actor=studio.actor)


class TargetsDialog(QDialog):
    """The delivery targets: a list, the form of the selected (or a new) target, save, remove, test.

    ``ready`` fires once the first listing is shown and ``refreshed`` after each; ``saved`` with each stored
    :class:`TargetInfo`, ``removed`` with a removed target's name; ``tested`` with the description of a
    working connection, ``test_failed`` with the error of a failed one; ``host_key_asked`` with the
    :class:`HostKeyDialog` shown; ``problem`` with each refusal of a change.
    """

    ready = Signal()
    refreshed = Signal()
    saved = Signal(object)  # TargetInfo
    removed = Signal(str)
    tested = Signal(str)
    test_failed = Signal(object)  # StudioError
    host_key_asked = Signal(object)  # HostKeyDialog
    problem = Signal(object)  # StudioError, or None after a crash

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None, *,
                 folder_picker: Picker = pick_folder, file_picker: Picker = pick_certificate) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.listing: Listing | None = None
        self.reading = True
        self.saving = False
        self.check_task: Task | None = None
        self.host_key_dialog: HostKeyDialog | None = None
        self._select_after: str | None = None
        self._first = True

        self.setWindowTitle(self.tr("Delivery targets"))
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 110, metrics.height() * 26)
        intro = QLabel(self.tr("Where the studio sends finished programmes: a folder, or the commune's broadcast "
                               "controller. Passwords and tokens are kept on this computer only, never in the "
                               "library."), self)
        intro.setWordWrap(True)
        self.note = QLabel(self.tr("Only an administrator can change the delivery targets. You can still test "
                                   "their connection."), self)
        self.note.setWordWrap(True)
        self.note.hide()

        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(4)
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Where"), self.tr("In use")])
        header = self.table.header()
        header.setSectionResizeMode(WHERE, QHeaderView.ResizeMode.Stretch)
        for column in (NAME, KIND, ENABLED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.new_button = QPushButton(self.tr("New target"), self)
        self.new_button.clicked.connect(self.new_target)
        self.remove_button = QPushButton(self.tr("Remove…"), self)
        self.remove_button.clicked.connect(self.remove)

        settings = QGroupBox(self.tr("Settings"), self)
        self.form = TargetForm(settings, folder_picker=folder_picker, file_picker=file_picker)
        self.form.edited.connect(self._update_enabled)
        self.form.trust_requested.connect(self.check_host_key)
        settings_layout = QVBoxLayout(settings)
        settings_layout.addWidget(self.form)
        settings_layout.addStretch(1)

        self.message = message_label(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.result = message_label(self)

        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.stop_button = QPushButton(self.tr("Stop the test"), self)
        self.stop_button.clicked.connect(lambda: self.stop_test())
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(list_buttons)
        middle = QHBoxLayout()
        middle.addLayout(left, 4)
        middle.addWidget(settings, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.note)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self._update_enabled()
        fit_to_contents(self)
        self.load()

    # --- listing ---------------------------------------------------------------------------------
    @property
    def may_change(self) -> bool:
        return self.listing is not None and self.listing.may_change

    @property
    def busy(self) -> bool:
        """Reading or writing the library: the form waits."""
        return self.reading or self.saving

    def load(self, select: str | None = None) -> Task:
        """List the targets again (and who is looking), then show ``select`` (default: the one shown)."""
        if select is not None:
            self._select_after = select
        self.reading = True
        self._update_enabled()
        studio = self.studio
        task = self.runner.call("list delivery targets", lambda: list_targets(studio), pool="db")
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_listed(self, listing: Listing) -> None:
        self.listing = listing
        self.reading = False
        shown = self.form.target.name if self.form.target is not None else None
        wanted = self._select_after or shown
        self._select_after = None
        self.table.blockSignals(True)
        self.table.clear()
        current: TargetRow | None = None
        for row in listing.rows:
            info = row.info
            item = QTreeWidgetItem([info.name, kind_label(info.kind),
                                    describe(TargetSettings(info.name, info.kind, info.config)),
                                    self.tr("Yes") if info.enabled else self.tr("No")])
            item.setData(NAME, Qt.ItemDataRole.UserRole, row)
            item.setToolTip(WHERE, item.text(WHERE))
            self.table.addTopLevelItem(item)
            if info.name == wanted or (wanted is None and current is None and self.form.is_new and self._first):
                self.table.setCurrentItem(item)
                current = row
        self.table.blockSignals(False)
        if current is not None:
            self.form.show_target(current.info, current.secret_stored)
        elif shown is not None or self._first:
            self.form.show_target(None)
        self.note.setVisible(not listing.may_change)
        self._update_enabled()
        first, self._first = self._first, False
        if first:
            fit_to_contents(self)
        self.refreshed.emit()
        if first:
            self.ready.emit()

    @property
    def selected_row(self) -> TargetRow | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        row = item.data(NAME, Qt.ItemDataRole.UserRole)
        return row if isinstance(row, TargetRow) else None

    def select(self, name: str) -> bool:
        """Show the stored target ``name``."""
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None and item.text(NAME) == name:
                self.table.setCurrentItem(item)
                return True
        return False

    def _on_selection_changed(self) -> None:
        row = self.selected_row
        if row is None:
            return
        self._forget_outcome()
        self.form.show_target(row.info, row.secret_stored)
        self._update_enabled()

    def new_target(self) -> None:
        """An empty form for a new target."""
        self._forget_outcome()
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.form.show_target(None)
        self._update_enabled()
        self.form.name_edit.setFocus()

    def _forget_outcome(self) -> None:
        self.stop_test(quietly=True)
        for label in (self.message, self.result):
            label.clear()
            label.hide()
        self.status.clear()

    # --- saving and removing ---------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What is wrong with the form, in the reader's language (empty when it can be stored)."""
        form = self.form
        texts = [] if form.name else [self.tr("Type a name for the target.")]
        return texts + [problem.translated(qt_translate) for problem in validate_config(form.name, form.kind,
                                                                                         form.config())]

    def save(self, then: Callable[[TargetInfo], object] | None = None) -> Task | None:
        """Store the form (and a typed secret) as the person signed in; ``then(stored target)`` after."""
        form = self.form
        if self.busy:
            return None
        problems = self.problems()
        if problems:
            self._show_problem("\n".join(problems))
            return None
        if not form.is_dirty():
            if then is not None and form.target is not None:
                then(form.target)
            return None
        draft = TargetDraft(form.name, form.kind, form.config(), form.enabled, form.secret, form.is_new,
                            form.is_new or form._snapshot() != form._loaded)
        studio = self.studio
        self.saving = True
        self.message.hide()
        self.status.clear()
        self._update_enabled()
        task = self.runner.call("save delivery target", lambda: store_target(studio, draft), pool="db")
        task.succeeded.connect(lambda stored: self._on_stored(stored, draft, then))
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_stored(self, stored: Stored, draft: TargetDraft, then: Callable[[TargetInfo], object] | None) -> None:
        self.saving = False
        self.status.setText(self.tr("“{name}” was saved.").format(name=stored.info.name))
        if stored.secret_problem is not None:
            self._show_problem(stored.secret_problem.translated(qt_translate))
            self.problem.emit(stored.secret_problem)
        elif draft.secret:
            self.form.secret_saved()
        self.form.target = stored.info  # until the listing shows it again: a second save updates it
        self.saved.emit(stored.info)
        self.load(select=stored.info.name)
        if then is not None:
            then(stored.info)

    def confirm_remove(self, name: str) -> bool:
        """Ask before removing (a separate method so tests can answer for the administrator)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove delivery target"),
                          self.tr("Remove “{name}”? Its queued programmes are not sent there any more and its "
                                  "password is deleted from this computer. Programmes already delivered stay on "
                                  "the controller.").format(name=name), QMessageBox.StandardButton.NoButton, self)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is remove

    def remove(self) -> Task | None:
        row = self.selected_row
        if row is None or self.busy or not self.confirm_remove(row.info.name):
            return None
        self._forget_outcome()
        name, studio = row.info.name, self.studio
        self.saving = True
        self._update_enabled()
        task = self.runner.call("remove delivery target", lambda: forget_target(studio, name), pool="db")
        task.succeeded.connect(lambda _none: self._on_removed(name))
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_removed(self, name: str) -> None:
        self.saving = False
        self.status.setText(self.tr("“{name}” was removed.").format(name=name))
        self.form.show_target(None)
        self.removed.emit(name)
        self.load()

    def _on_failed(self, exc: StudioError) -> None:
        self.reading = self.saving = False
        self._show_problem(exc.translated(qt_translate))
        self._update_enabled()
        self.problem.emit(exc)

    def _on_crashed(self, _exc_info: ExcInfo) -> None:  # the crash dialog tells the rest
        self.reading = self.saving = False
        self._show_problem(self.tr("The studio ran into a problem; nothing was changed."))
        self._update_enabled()
        self.problem.emit(None)

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        fit_to_contents(self)

    # --- testing ---------------------------------------------------------------------------------
    def test_connection(self) -> Task | None:
        """Save what was typed (when it may be), then connect, log in and try the folder."""
        if self.check_task is not None or self.busy:
            return None
        self.result.hide()
        if self.may_change and self.form.is_dirty():
            return self.save(then=self._start_check)
        if self.form.target is not None:
            return self._start_check(self.form.target)
        return None

    def _start_check(self, target: TargetInfo) -> Task:
        studio, target_id = self.studio, target.id
        return self._run_check("test delivery target",
                               lambda _progress, cancel: studio.make_target(target_id).check(cancel=cancel),
                               self._on_checked)

    def check_host_key(self) -> Task | None:
        """"Trust…": ask the SFTP controller for its key (nothing is sent) and compare it with the trusted one."""
        if self.check_task is not None or self.busy or not self.may_change:
            return None
        self.result.hide()
        if self.form.is_dirty():
            return self.save(then=self._start_key_lookup)
        return self._start_key_lookup(self.form.target) if self.form.target is not None else None

    def _start_key_lookup(self, target: TargetInfo) -> Task:
        host, port = str(target.config.get("host", "")), int(target.config.get("port", DEFAULT_PORTS["sftp"]))
        pinned = str(target.config.get("host_key") or "")

        def compare(key: tuple[str, str]) -> None:
            key_type, fingerprint = key
            if not pinned:
                self._on_check_failed(UnknownHostKey(host, port, key_type, fingerprint))
            elif pinned.strip().rstrip("=") != fingerprint:
                self._on_check_failed(HostKeyChanged(host, port, key_type, fingerprint, pinned))
            else:
                self._show_result(self.tr("This key is trusted already: {fingerprint}").format(
                    fingerprint=fingerprint), SUCCESS_STYLE)

        return self._run_check("read host key", lambda _progress, _cancel: fetch_host_key(host, port), compare)

    def _run_check(self, name: str, work: TaskFunction, on_success: Callable[[Any], None]) -> Task:
        task = self.runner.run(name, work, pool="work")
        self.check_task = task
        task.succeeded.connect(lambda outcome: self._checked(task) and on_success(outcome))
        task.failed.connect(lambda exc: self._checked(task) and self._on_check_failed(exc))
        task.crashed.connect(lambda _info: self._checked(task) and self._show_result(
            self.tr("The studio ran into a problem during the test."), ERROR_STYLE))
        task.cancelled.connect(lambda: self._checked(task))
        self._show_result(self.tr("Testing the connection…"), "")
        self._update_enabled()
        return task

    def _checked(self, task: Task) -> bool:
        """The test ``task`` ended: True when its outcome is still wanted (it was not stopped or replaced)."""
        if task is not self.check_task:
            return False
        self.check_task = None
        self._update_enabled()
        return True

    def stop_test(self, quietly: bool = False) -> None:
        """Stop waiting for the running test; its late answer is ignored."""
        task, self.check_task = self.check_task, None
        if task is None:
            return
        task.cancel()
        if not quietly:
            self._show_result(self.tr("The test was stopped."), "")
        self._update_enabled()

    def _on_checked(self, description: str) -> None:
        self._show_result(self.tr("The connection works: {description}").format(description=description),
                          SUCCESS_STYLE)
        self.tested.emit(description)

    def _on_check_failed(self, exc: StudioError) -> None:
        self._show_result(exc.translated(qt_translate), ERROR_STYLE)
        self.test_failed.emit(exc)
        if isinstance(exc, UnknownHostKey | HostKeyChanged) and self.may_change and self.form.target is not None:
            self._ask_host_key(exc, self.form.target.name)

    def _show_result(self, text: str, style: str) -> None:
        self.result.setStyleSheet(style)
        self.result.setText(text)
        self.result.show()
        fit_to_contents(self)

    # --- trusting a host key ---------------------------------------------------------------------
    def _ask_host_key(self, error: UnknownHostKey | HostKeyChanged, name: str) -> HostKeyDialog:
        if self.host_key_dialog is not None:
            self.host_key_dialog.deleteLater()
        dialog = HostKeyDialog(error, self)
        self.host_key_dialog = dialog
        dialog.finished.connect(lambda result: self._on_host_key_answer(dialog, name, result))
        dialog.open()
        self.host_key_asked.emit(dialog)
        return dialog

    def _on_host_key_answer(self, dialog: HostKeyDialog, name: str, result: int) -> None:
        if self.host_key_dialog is dialog:
            self.host_key_dialog = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted.value and dialog.may_trust:
            self.trust(name, dialog.fingerprint)

    def trust(self, name: str, fingerprint: str) -> Task | None:
        """Pin ``fingerprint`` as the controller's key of target ``name``, then test the connection again."""
        if self.busy:
            return None
        studio = self.studio
        self.saving = True
        self._update_enabled()
        task = self.runner.call("trust host key", lambda: pin_host_key(studio, name, fingerprint), pool="db")
        task.succeeded.connect(self._on_trusted)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_trusted(self, info: TargetInfo) -> None:
        self.saving = False
        self.status.setText(self.tr("The key {fingerprint} of “{name}” is trusted now.").format(
            fingerprint=info.config.get("host_key", ""), name=info.name))
        if self.form.target is not None and self.form.target.name == info.name:
            self.form.show_target(info, self.form.secret_stored)
        self.saved.emit(info)
        self.load(select=info.name)
        self._start_check(info)

    # --- state -----------------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        may_change = self.may_change
        editable = may_change and not self.busy
        testing = self.check_task is not None
        self.form.set_editable(editable)
        self.form.trust_button.setEnabled(editable and not testing)
        for button in (self.new_button, self.remove_button):
            button.setVisible(may_change)
        self.new_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and self.selected_row is not None)
        self.save_button.setVisible(may_change or self.reading)
        self.save_button.setEnabled(editable)
        self.test_button.setVisible(not testing)
        self.test_button.setEnabled(not self.busy and (self.form.target is not None or may_change))
        self.stop_button.setVisible(testing)
        self.close_button.setEnabled(not self.saving)

    def reject(self) -> None:
        if self.saving:
            return  # closing now would leave the administrator unsure whether the change was stored
        self.stop_test(quietly=True)
        super().reject()
