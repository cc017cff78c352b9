"""The outbox window's table: jobs in the officer's words, live progress, the progress bar delegate.

The model holds the jobs of the last read (plain immutable :class:`~studio.store.outbox.Job` values) and the
progress heard from the bridge since; a progress report repaints one cell and never reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from studio.bulletin import PRIORITY_LABELS
from studio.i18n import QT_TRANSLATE_NOOP
from studio.store.outbox import Job, JobState, OutboxStore
from studio.ui.i18n import qt_translate
from studio.workflow.audit import local_time

CONTEXT = "OutboxWindow"
UNFINISHED_LIMIT = 1000
FINISHED_LIMIT = 200

TITLE, TARGET, PRIORITY, STATE, PROGRESS, ATTEMPTS, NEXT_ATTEMPT, ERROR = range(8)
HEADERS = (
    QT_TRANSLATE_NOOP(CONTEXT, "Programme"),
    QT_TRANSLATE_NOOP(CONTEXT, "Target"),
    QT_TRANSLATE_NOOP(CONTEXT, "Priority"),
    QT_TRANSLATE_NOOP(CONTEXT, "State"),
    QT_TRANSLATE_NOOP(CONTEXT, "Progress"),
    QT_TRANSLATE_NOOP(CONTEXT, "Attempts"),
    QT_TRANSLATE_NOOP(CONTEXT, "Next attempt"),
    QT_TRANSLATE_NOOP(CONTEXT, "Last error"),
)
STATE_LABELS = {
    JobState.QUEUED: QT_TRANSLATE_NOOP(CONTEXT, "Waiting to send"),
    JobState.SENDING: QT_TRANSLATE_NOOP(CONTEXT, "Sending"),
    JobState.WAITING: QT_TRANSLATE_NOOP(CONTEXT, "Waiting to retry"),
    JobState.DONE: QT_TRANSLATE_NOOP(CONTEXT, "Delivered"),
    JobState.FAILED: QT_TRANSLATE_NOOP(CONTEXT, "Needs attention"),
    JobState.CANCELLED: QT_TRANSLATE_NOOP(CONTEXT, "Cancelled"),
}
WITHDRAW_LABELS = {
    JobState.QUEUED: QT_TRANSLATE_NOOP(CONTEXT, "Waiting to withdraw"),
    JobState.SENDING: QT_TRANSLATE_NOOP(CONTEXT, "Withdrawing from the controller"),
    JobState.DONE: QT_TRANSLATE_NOOP(CONTEXT, "Withdrawn from the controller"),
}
DONE_OF_TOTAL = QT_TRANSLATE_NOOP(CONTEXT, "{done} of {total}")
SPEED = QT_TRANSLATE_NOOP(CONTEXT, "{speed} KiB/s")
UNFINISHED = (JobState.QUEUED, JobState.SENDING, JobState.WAITING, JobState.FAILED)

EMERGENCY_BACKGROUND = QColor("#fde8e8")
EMERGENCY_TEXT = QColor("#8b1010")


def _translate(text: str, context: str = CONTEXT) -> str:
    return QCoreApplication.translate(context, text)


def state_text(job: Job) -> str:
    """The job's state in the officer's words (a withdrawal says so)."""
    label = WITHDRAW_LABELS.get(job.state) if job.kind == "withdraw" else None
    return _translate(label or STATE_LABELS[job.state])


def error_text(job: Job) -> str:
    """The job's last failure, translated (message and hint), or "" when it has none."""
    error = job.error_message()
    if error is not None:
        return error.translated(qt_translate)
    return job.last_error


def size_text(size: int) -> str:
    return QLocale().formattedDataSize(max(0, size), 1)


def queue_order(jobs: Sequence[Job]) -> list[Job]:
    """Unfinished jobs first, in the order the workers take them (emergency first, then oldest); finished
    ones after them, newest first."""
    def key(job: Job) -> tuple[int, int, int]:
        if job.state in UNFINISHED:
            return 0, job.rank, job.id
        return 1, 0, -job.id

    return sorted(jobs, key=key)


def read_jobs(outbox: OutboxStore, *, finished: bool) -> list[Job]:
    """Worker: every unfinished job (however old: a failed one waits for a person) and, with ``finished``,
    the newest :data:`FINISHED_LIMIT` delivered or cancelled ones."""
    jobs = outbox.jobs(states=[state.value for state in UNFINISHED], limit=UNFINISHED_LIMIT)
    if finished:
        jobs += outbox.jobs(states=[JobState.DONE.value, JobState.CANCELLED.value], limit=FINISHED_LIMIT)
    return jobs


class OutboxTableModel(QAbstractTableModel):
    """The jobs read last, plus live progress (done, total, speed) heard since, per job."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._rows: dict[int, int] = {}
        self._live: dict[int, tuple[int, int, float]] = {}

    def set_jobs(self, jobs: Sequence[Job]) -> None:
        self.beginResetModel()
        self._jobs = queue_order(jobs)
        self._rows = {job.id: row for row, job in enumerate(self._jobs)}
        # Live figures outlast a read only while the job is still being sent.
        self._live = {job_id: live for job_id, live in self._live.items()
                      if job_id in self._rows and self._jobs[self._rows[job_id]].state in
                      (JobState.SENDING, JobState.QUEUED)}
        self.endResetModel()

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def job_at(self, row: int) -> Job:
        return self._jobs[row]

    def job(self, job_id: int) -> Job | None:
        row = self._rows.get(job_id)
        return None if row is None else self._jobs[row]

    def row_of(self, job_id: int) -> int:
        return self._rows.get(job_id, -1)

    def set_progress(self, job_id: int, done: int, total: int, speed: float) -> bool:
        """Show bytes sent for ``job_id``; False when the job is not in the table (yet)."""
        row = self._rows.get(job_id)
        if row is None:
            return False
        self._live[job_id] = (done, total, speed)
        index = self.index(row, PROGRESS)
        self.dataChanged.emit(index, index)
        return True

    def text(self, job_id: int, column: int) -> str:
        """What a cell of the job's row shows ("" when the job is not in the table)."""
        row = self._rows.get(job_id)
        return "" if row is None else str(self.data(self.index(row, column)) or "")

    # --- Qt's side ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return _translate(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._jobs):
            return None
        job, column = self._jobs[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (ERROR, TITLE):
            return error_text(job) if column == ERROR else job.title
        if role == Qt.ItemDataRole.UserRole and column == PROGRESS:
            return self._fraction(job)
        emergency = job.priority == "emergency"
        if role == Qt.ItemDataRole.BackgroundRole and emergency and column in (TITLE, PRIORITY):
            return QBrush(EMERGENCY_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and emergency and column in (TITLE, PRIORITY):
            return QBrush(EMERGENCY_TEXT)
        if role == Qt.ItemDataRole.FontRole and emergency and column in (TITLE, PRIORITY):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ATTEMPTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, job: Job, column: int) -> str:
        if column == TITLE:
            return job.title
        if column == TARGET:
            return job.target_name
        if column == PRIORITY:
            return _translate(PRIORITY_LABELS.get(job.priority, job.priority), "Bulletin")
        if column == STATE:
            return state_text(job)
        if column == PROGRESS:
            return self._progress_text(job)
        if column == ATTEMPTS:
            return QLocale().toString(job.attempts)
        if column == NEXT_ATTEMPT:
            return _when(job.next_attempt_at) if job.state is JobState.WAITING else ""
        if column == ERROR:
            return error_text(job).split("\n", 1)[0] if job.state is not JobState.DONE else ""
        return ""

    def _progress_text(self, job: Job) -> str:
        if job.kind == "withdraw":
            return ""
        if job.state is JobState.DONE:
            return size_text(job.size_bytes)
        live = self._live.get(job.id)
        done, total, speed = live if live is not None else (job.bytes_done, job.size_bytes, 0.0)
        text = _translate(DONE_OF_TOTAL).format(done=size_text(done), total=size_text(total or job.size_bytes))
        if live is not None and job.state in (JobState.SENDING, JobState.QUEUED) and speed > 0:
            text += " · " + _translate(SPEED).format(speed=QLocale().toString(speed / 1024, "f", 0))
        return text

    def _fraction(self, job: Job) -> float | None:
        if job.kind == "withdraw" or job.state is JobState.CANCELLED:
            return None
        if job.state is JobState.DONE:
            return 1.0
        live = self._live.get(job.id)
        done, total = (live[0], live[1]) if live is not None else (job.bytes_done, job.size_bytes)
        total = total or job.size_bytes
        return min(1.0, done / total) if total > 0 else 0.0


def _when(at: datetime | None) -> str:
    """A time later today as ``14:05:30``, another day as ``25/11 14:05`` (Vietnam time, as the audit log)."""
    if at is None:
        return ""
    local, today = local_time(at), local_time(datetime.now(at.tzinfo))
    return local.strftime("%H:%M:%S") if local.date() == today.date() else local.strftime("%d/%m %H:%M")


class ProgressDelegate(QStyledItemDelegate):
    """Draws the progress column as a progress bar carrying the cell's text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        fraction = index.data(Qt.ItemDataRole.UserRole)
        if fraction is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(option.rect.adjusted(2, 3, -2, -3))
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = round(float(fraction) * 1000)
        bar.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


