"""The task panel: every long job in one place, with its progress and a Cancel button.

Renders, segments being read aloud, takes being cleaned, connection tests and programmes on their way to
the controller each get a row while they run: what it is, how far it got, and Cancel. Quick jobs (a
database read, a save) never show: a job appears once it has run for :data:`SHOW_AFTER_MS`. Uploads come
from the outbox (their Cancel takes the programme out of the outbox, as the outbox window does).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from studio.i18n import QT_TRANSLATE_NOOP
from studio.services import Studio
from studio.ui.outbox_bridge import OutboxBridge
from studio.ui.outbox_window import acting_person
from studio.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 400
TICK_MS = 250  # how often the bars move
#: The runner's task names the panel shows, and how it calls them.
LONG_TASKS = {
    "render": QT_TRANSLATE_NOOP("TaskPanel", "Creating the audio file"),
    "listen to segment": QT_TRANSLATE_NOOP("TaskPanel", "Reading a segment aloud"),
    "keep take": QT_TRANSLATE_NOOP("TaskPanel", "Cleaning and keeping a take"),
    "queue delivery": QT_TRANSLATE_NOOP("TaskPanel", "Preparing the programme for sending"),
    "test controller": QT_TRANSLATE_NOOP("TaskPanel", "Testing the connection to the controller"),
    "test delivery target": QT_TRANSLATE_NOOP("TaskPanel", "Testing the connection to the controller"),
    "export bundle": QT_TRANSLATE_NOOP("TaskPanel", "Writing a bulletin file"),
    "import bundle": QT_TRANSLATE_NOOP("TaskPanel", "Checking a bulletin file"),
}
UPLOAD = QT_TRANSLATE_NOOP("TaskPanel", "Sending programme (job {job}) to the controller")


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskPanel", text)


class TaskRow(QWidget):
    """One job: its name, a progress bar (busy until the job reports a fraction) and Cancel."""

    def __init__(self, text: str, cancel: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction: float | None = None
        self.label = QLabel(text, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setMaximumWidth(260)
        self.cancel_button = QPushButton(QCoreApplication.translate("TaskPanel", "Cancel"), self)
        self.cancel_button.clicked.connect(cancel)
        self.cancel_button.clicked.connect(lambda: self.cancel_button.setEnabled(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)

    def set_fraction(self, fraction: float) -> None:
        """Note how far the job got; the bar shows it at the panel's next tick (a progress bar repaints the
        window the moment its value changes, and uploads report ten times a second)."""
        self.fraction = max(0.0, min(1.0, fraction))

    def show_fraction(self) -> None:
        if self.fraction is None:
            return
        if self.bar.maximum() != 100:
            self.bar.setRange(0, 100)
        self.bar.setValue(round(self.fraction * 100))  # whole percents: fewer visible changes


class TaskPanel(QWidget):
    """Rows for the runner's long tasks and the outbox's uploads; hidden while nothing long runs."""

    changed = Signal(int)  # how many rows show

    def __init__(self, studio: Studio, runner: TaskRunner, bridge: OutboxBridge | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner = studio, runner
        self.rows: dict[object, TaskRow] = {}  # Task, or ("upload", job id)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._layout.setSpacing(2)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self._tick)
        runner.started.connect(self._on_started)
        if bridge is not None:
            bridge.progress.connect(self._on_upload_progress)
            bridge.jobChanged.connect(self._on_job_changed)
        self.hide()

    # --- the runner's tasks ---------------------------------------------------------------------
    def _on_started(self, task: Task) -> None:
        if task.name not in LONG_TASKS:
            return
        fraction: list[float] = []
        task.progress.connect(lambda value, _label, _args: self._progress(task, value, fraction))
        task.done.connect(lambda: self._remove(task))
        QTimer.singleShot(SHOW_AFTER_MS, self, lambda: self._show_task(task, fraction))

    def _show_task(self, task: Task, fraction: list[float]) -> None:
        if not task.running or task in self.rows:
            return
        row = self._add(task, _tr(LONG_TASKS[task.name]), task.cancel)
        if fraction:
            row.set_fraction(fraction[-1])

    def _progress(self, task: Task, value: float, seen: list[float]) -> None:
        seen[:] = [value]
        row = self.rows.get(task)
        if row is not None:
            row.set_fraction(value)

    # --- uploads ----------------------------------------------------------------------------------
    def _on_upload_progress(self, job_id: int, done: int, total: int, _speed: float) -> None:
        key = ("upload", job_id)
        row = self.rows.get(key)
        if row is None:
            row = self._add(key, _tr(UPLOAD).format(job=job_id), lambda: self.cancel_upload(job_id))
        if total > 0:
            row.set_fraction(done / total)

    def _on_job_changed(self, job_id: int) -> None:
        self._remove(("upload", job_id))  # started again, it reports progress again

    def cancel_upload(self, job_id: int) -> Task:
        studio = self.studio
        task = self.runner.call("cancel upload", lambda: studio.outbox.cancel(job_id, actor=acting_person(studio)),
                                pool="db")
        task.failed.connect(lambda exc: log.warning("cancel of job %d refused: %s", job_id, exc))
        return task

    # --- rows -------------------------------------------------------------------------------------
    def _tick(self) -> None:
        for row in self.rows.values():
            row.show_fraction()

    def _add(self, key: object, text: str, cancel: Callable[[], None]) -> TaskRow:
        row = TaskRow(text, cancel, self)
        self.rows[key] = row
        self._layout.addWidget(row)
        self.ticker.start()
        self.show()
        self.changed.emit(len(self.rows))
        return row

    def _remove(self, key: object) -> None:
        row = self.rows.pop(key, None)
        if row is None:
            return
        self._layout.removeWidget(row)
        row.deleteLater()
        if not self.rows:
            self.ticker.stop()
        self.setVisible(bool(self.rows))
        self.changed.emit(len(self.rows))

    def row_texts(self) -> list[str]:
        return [row.label.text() for row in self.rows.values()]

