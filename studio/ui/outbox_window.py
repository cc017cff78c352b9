"""The outbox window: what is on its way to the commune's controller, what arrived, and what needs a person.

The table shows the outbox's jobs (unfinished ones first, in the order the workers take them), with live
progress from the :class:`~studio.ui.outbox_bridge.OutboxBridge`: a progress report only repaints a cell,
it never reads the database. The table is read again in the ``db`` pool when the bridge says a job changed
(one read at a time: reports that arrive meanwhile are folded into one more read) and every
:data:`REFRESH_MS` otherwise, for jobs queued or finished on another PC. "Retry now", "Cancel" and
"Withdraw from controller" run in the ``db`` pool as the person logged in, then wake the workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.messages import StudioError
from studio.services import Studio
from studio.store.outbox import Job, JobEvent, JobState
from studio.ui.banner import MessageBanner
from studio.ui.i18n import qt_translate
from studio.ui.outbox_bridge import OutboxBridge
from studio.ui.outbox_history import OutboxHistoryDialog
from studio.ui.outbox_model import (
    ATTEMPTS,
    NEXT_ATTEMPT,
    PRIORITY,
    PROGRESS,
    STATE,
    TARGET,
    TITLE,
    OutboxTableModel,
    ProgressDelegate,
    read_jobs,
)
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.states import Action, require

log = logging.getLogger(__name__)

REFRESH_MS = 10_000
RETRYABLE = (JobState.WAITING, JobState.FAILED)
CANCELLABLE = (JobState.QUEUED, JobState.WAITING, JobState.FAILED, JobState.SENDING)


def acting_person(studio: Studio) -> str:
    """Worker: the user name of the person logged in, if they may deliver (else :class:`NotAllowed`)."""
    actor = studio.repo.fresh(studio.actor)
    require(actor, Action.DELIVER)
    return actor.username


# --- the window -----------------------------------------------------------------------------------
class OutboxWindow(QDialog):
    """The outbox as a table with the officer's actions on the selected job (see the module docstring)."""

    refreshed = Signal()  # the table shows a fresh read
    acted = Signal(str)  # "retry" | "cancel" | "withdraw": the action is recorded and the workers woken
    problem = Signal(object)  # StudioError, also shown in the window's banner

    def __init__(self, studio: Studio, runner: TaskRunner, bridge: OutboxBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.bridge = bridge
        self.history_dialog: OutboxHistoryDialog | None = None
        self._refreshing = False
        self._refresh_again = False
        self._acting = False
        self._unknown: set[int] = set()  # jobs heard of in a progress report before a read showed them
        self.setWindowTitle(self.tr("Outbox"))
        # An explicit minimum stops the layout from changing the window's limits while it is shown.
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 90, metrics.height() * 16)
        self.resize(1080, 460)

        self.banner = MessageBanner(self)
        self.model = OutboxTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((TITLE, 220), (TARGET, 110), (PRIORITY, 90), (STATE, 130), (PROGRESS, 210),
                              (ATTEMPTS, 70), (NEXT_ATTEMPT, 100)):
            self.table.setColumnWidth(column, width)

        self.retry_button = QPushButton(self.tr("Retry now"), self)
        self.retry_button.setToolTip(self.tr("Send the selected programme again at once"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Do not send the selected programme"))
        self.withdraw_button = QPushButton(self.tr("Withdraw from controller"), self)
        self.withdraw_button.setToolTip(self.tr("Remove the delivered programme from this target's controller"))
        self.history_button = QPushButton(self.tr("History"), self)
        self.history_button.setToolTip(self.tr("Every delivery step of the selected programme"))
        self.finished_check = QCheckBox(self.tr("Show finished"), self)
        self.finished_check.setChecked(True)
        close = QPushButton(self.tr("Close"), self)

        buttons = QHBoxLayout()
        for button in (self.retry_button, self.cancel_button, self.withdraw_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.finished_check)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.retry_button.clicked.connect(self.retry_now)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.history_button.clicked.connect(self.show_history)
        self.finished_check.toggled.connect(lambda _on: self.refresh())
        close.clicked.connect(self.close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        bridge.jobChanged.connect(self._on_job_changed)
        bridge.progress.connect(self._on_progress)
        self._update_buttons()

    # --- showing ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> Task | None:
        """Read the jobs in the ``db`` pool; while a read is under way, ask for one more after it."""
        if self._refreshing:
            self._refresh_again = True
            return None
        self._refreshing = True
        outbox, finished = self.studio.outbox, self.finished_check.isChecked()
        task = self.runner.call("read outbox", lambda: read_jobs(outbox, finished=finished), pool="db")
        task.succeeded.connect(self._on_jobs)
        task.failed.connect(self._on_refresh_failed)
        task.crashed.connect(lambda _exc_info: self._refresh_done())
        return task

    @property
    def refreshing(self) -> bool:
        return self._refreshing

    def _on_jobs(self, jobs: list[Job]) -> None:
        selected = self.selected_job()
        self.model.set_jobs(jobs)
        self._unknown.difference_update(job.id for job in jobs)
        if selected is not None:
            self.select_job(selected.id)
        self._refresh_done()
        self.refreshed.emit()

    def _on_refresh_failed(self, exc: StudioError) -> None:
        log.info("outbox read failed: %s", exc)
        self._show_problem(exc)
        self._refresh_done()

    def _refresh_done(self) -> None:
        self._refreshing = False
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _on_job_changed(self, _job_id: int) -> None:
        if self.isVisible():
            self.refresh()

    def _on_progress(self, job_id: int, done: int, total: int, speed: float) -> None:
        if not self.model.set_progress(job_id, done, total, speed) and job_id not in self._unknown:
            self._unknown.add(job_id)  # a job queued meanwhile (perhaps on another PC): read once
            if self.isVisible():
                self.refresh()

    # --- selection -------------------------------------------------------------------------------
    def selected_job(self) -> Job | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job_at(rows[0].row()) if rows else None

    def select_job(self, job_id: int) -> bool:
        """Select the row of ``job_id``; False when the table does not show it."""
        row = self.model.row_of(job_id)
        if row < 0:
            self.table.clearSelection()
            return False
        self.table.selectRow(row)
        return True

    def _update_buttons(self) -> None:
        job = self.selected_job()
        idle = not self._acting
        self.retry_button.setEnabled(idle and job is not None and job.state in RETRYABLE)
        self.cancel_button.setEnabled(idle and job is not None and job.state in CANCELLABLE)
        self.withdraw_button.setEnabled(idle and job is not None and job.kind == "deliver"
                                        and job.state is JobState.DONE)
        self.history_button.setEnabled(job is not None)

    # --- the officer's actions -------------------------------------------------------------------
    def retry_now(self) -> Task | None:
        """Queue the selected waiting or failed job again at once (after fixing a password, say)."""
        job = self.selected_job()
        if job is None or job.state not in RETRYABLE:
            return None
        studio, job_id = self.studio, job.id
        return self._act("retry", lambda: [studio.outbox.retry_now(job_id, actor=acting_person(studio))])

    def cancel_job(self) -> Task | None:
        """Do not send the selected job (one being sent stops at its next progress report)."""
        job = self.selected_job()
        if job is None or job.state not in CANCELLABLE:
            return None
        studio, job_id = self.studio, job.id
        return self._act("cancel", lambda: [studio.outbox.cancel(job_id, actor=acting_person(studio))])

    def withdraw(self) -> Task | None:
        """Queue the removal of the selected delivered programme from its target's controller."""
        job = self.selected_job()
        if job is None or job.kind != "deliver" or job.state is not JobState.DONE:
            return None
        studio, bulletin_id, target = self.studio, job.bulletin_id, job.target_name
        return self._act("withdraw", lambda: studio.withdraw_programme(bulletin_id, [target]))

    def _act(self, what: str, fn: Callable[[], Sequence[Job | None]]) -> Task:
        self._acting = True
        self._update_buttons()
        task = self.runner.call(f"outbox {what}", fn, pool="db")
        task.succeeded.connect(lambda jobs: self._on_acted(what, jobs))
        task.failed.connect(self._on_act_failed)
        task.crashed.connect(lambda _exc_info: self._act_done())
        return task

    def _on_acted(self, what: str, jobs: Sequence[Job | None]) -> None:
        self._act_done()
        self.banner.clear()
        targets = {job.target_id for job in jobs if job is not None}
        if targets:
            self.bridge.wake(targets)
        self.refresh()
        self.acted.emit(what)

    def _on_act_failed(self, exc: StudioError) -> None:
        self._act_done()
        self._show_problem(exc)

    def _act_done(self) -> None:
        self._acting = False
        self._update_buttons()

    def show_history(self) -> Task | None:
        """Open the delivery history of the selected job's programme (read in the ``db`` pool)."""
        job = self.selected_job()
        if job is None:
            return None
        outbox, bulletin_id, title = self.studio.outbox, job.bulletin_id, job.title
        task = self.runner.call("outbox history", lambda: outbox.history(bulletin_id=bulletin_id), pool="db")
        task.succeeded.connect(lambda events: self._open_history(title, events))
        task.failed.connect(self._show_problem)
        return task

    def _open_history(self, title: str, events: Sequence[JobEvent]) -> None:
        if self.history_dialog is not None:
            self.history_dialog.close()
            self.history_dialog.deleteLater()
        self.history_dialog = OutboxHistoryDialog(title, events, self)
        self.history_dialog.show()

    def _show_problem(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(qt_translate))
        self.problem.emit(exc)
