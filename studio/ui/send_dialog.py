""""Send to controller…": put an approved bulletin into the outbox for the targets the officer ticks.

The dialog shows what will go (title, priority, when it plays) and where (every enabled target, ticked).
Sending runs :meth:`~studio.services.Studio.queue_delivery` as a cancellable task: it may make the audio
file first, so its progress is shown. What the core refuses (not approved, approval no longer current,
the station's session limits, a schedule problem) is shown translated in the dialog; what was queued is
reported per target, and the outbox's workers are woken at once.
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import PRIORITY_LABELS, BulletinDraft
from studio.messages import StudioError
from studio.services import Studio
from studio.store.outbox import Job, JobState
from studio.store.repo import TargetInfo
from studio.ui.banner import MessageBanner
from studio.ui.i18n import qt_translate
from studio.ui.outbox_bridge import OutboxBridge
from studio.ui.schedule_editor import summary_text
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.schedule import Schedule

Queued = list[tuple[Job, bool]]


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def progress_label(label: str, args: Mapping[str, object] | None) -> str:
    """A core progress label (context "Progress"), translated and filled in (missing arguments left out)."""
    text = QCoreApplication.translate("Progress", label)
    with contextlib.suppress(ValueError, IndexError):
        text = string.Formatter().vformat(text, (), _Blank({k: str(v) for k, v in (args or {}).items()}))
    return " ".join(text.split())


class SendDialog(QDialog):
    """Choose the targets of one bulletin and queue it (see the module docstring)."""

    loaded = Signal()
    queued = Signal(object)  # list of (Job, newly queued)
    ended = Signal(str)  # "ok" | "error" | "cancelled" | "crash"

    def __init__(self, studio: Studio, runner: TaskRunner, bridge: OutboxBridge, bulletin_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.bridge = bridge
        self.bulletin_id = bulletin_id
        self.draft: BulletinDraft | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Send to controller"))
        # An explicit minimum stops the layout from changing the window's limits while it is shown.
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 64, self.fontMetrics().height() * 22)
        self.resize(560, 440)

        self.banner = MessageBanner(self)
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.priority_label = QLabel(self)
        self.schedule_label = QLabel(self)
        self.schedule_label.setWordWrap(True)
        self.targets = QListWidget(self)
        self.targets.itemChanged.connect(lambda _item: self._update_buttons())
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.step = QLabel(self)
        self.report = QLabel(self)
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Cancel"), self)

        form = QFormLayout()
        form.addRow(self.tr("Programme:"), self.title_label)
        form.addRow(self.tr("Priority:"), self.priority_label)
        form.addRow(self.tr("Plays:"), self.schedule_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Send to these targets:"), self))
        layout.addWidget(self.targets, 1)
        layout.addWidget(self.step)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        self.step.hide()
        self.progress.hide()
        self.report.hide()

        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self._on_close_clicked)
        self.send_button.setEnabled(False)
        self._load()

    # --- what and where --------------------------------------------------------------------------
    def _load(self) -> None:
        studio, bulletin_id = self.studio, self.bulletin_id

        def read() -> tuple[BulletinDraft, list[TargetInfo]]:
            return studio.repo.load(bulletin_id), [t for t in studio.repo.targets() if t.enabled]

        task = self.runner.call("read bulletin and targets", read, pool="db")
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self._on_failed)

    def _on_loaded(self, outcome: tuple[BulletinDraft, list[TargetInfo]]) -> None:
        draft, targets = outcome
        self.draft = draft
        self.title_label.setText(draft.title)
        self.priority_label.setText(QCoreApplication.translate("Bulletin", PRIORITY_LABELS[draft.priority]))
        if draft.priority == "emergency":
            self.priority_label.setStyleSheet("color: #8b1010; font-weight: bold;")
        self.schedule_label.setText(self.schedule_text(draft.schedule, draft.priority))
        self.targets.blockSignals(True)
        for target in targets:
            item = QListWidgetItem(target.name, self.targets)
            item.setData(Qt.ItemDataRole.UserRole, target.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.targets.blockSignals(False)
        if not targets:
            self.banner.show_message("warning", self.tr(
                "No delivery target is set up. Ask the installer to add the commune's controller."))
        self._update_buttons()
        self.loaded.emit()

    def schedule_text(self, schedule: Schedule | None, priority: str) -> str:
        """When the programme plays, in the officer's words (the editor's summary); an emergency without a
        fixed time plays as soon as it arrives."""
        if priority == "emergency" and (schedule is None or not schedule.slots):
            return self.tr("as soon as it arrives")
        return summary_text(schedule)

    def ticked(self) -> list[str]:
        """The names of the ticked targets, in list order."""
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in
                (self.targets.item(row) for row in range(self.targets.count()))
                if item.checkState() == Qt.CheckState.Checked]

    def set_ticked(self, names: Sequence[str]) -> None:
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in names
                               else Qt.CheckState.Unchecked)

    # --- sending ---------------------------------------------------------------------------------
    def send(self) -> Task | None:
        """Queue the bulletin for the ticked targets (making its audio file first if needed)."""
        names = self.ticked()
        if self.task is not None or not names or self.draft is None:
            return None
        studio, bulletin_id = self.studio, self.bulletin_id
        self.banner.clear()
        self.report.hide()
        self.progress.setValue(0)
        self.step.setText(self.tr("Preparing the programme…"))
        for widget in (self.progress, self.step):
            widget.show()
        task = self.runner.run("queue delivery", lambda progress, cancel: studio.queue_delivery(
            bulletin_id, names, progress=progress, cancel=cancel))
        self.task = task
        bridge = self.bridge  # woken even if the dialog was closed meanwhile
        task.succeeded.connect(lambda outcome: bridge.wake({job.target_id for job, _created in outcome}))
        task.progress.connect(self._on_progress)
        task.succeeded.connect(self._on_queued)
        task.failed.connect(self._on_send_failed)
        task.cancelled.connect(self._on_cancelled)
        task.crashed.connect(self._on_crashed)
        self._update_buttons()
        return task

    def _on_progress(self, fraction: float, label: str, args: object) -> None:
        self.progress.setValue(round(min(max(fraction, 0.0), 1.0) * 1000))
        self.step.setText(progress_label(label, args if isinstance(args, Mapping) else None))

    def _on_queued(self, outcome: Queued) -> None:
        self._finish()
        lines = []
        for job, created in outcome:
            if created:
                line = self.tr("{target}: queued")
            elif job.state is JobState.DONE:
                line = self.tr("{target}: already delivered")
            else:
                line = self.tr("{target}: already in the outbox")
            lines.append(line.format(target=job.target_name))
        self.report.setText("\n".join(lines))
        self.report.show()
        self.send_button.hide()
        self.close_button.setText(self.tr("Close"))
        self.queued.emit(outcome)
        self.ended.emit("ok")

    def _on_send_failed(self, exc: StudioError) -> None:
        self._finish()
        self.banner.show_message("error", exc.translated(qt_translate))
        self.ended.emit("error")

    def _on_cancelled(self) -> None:
        self._finish()
        self.banner.show_message("info", self.tr("Cancelled. Nothing was put in the outbox."))
        self.ended.emit("cancelled")

    def _on_crashed(self, _exc_info: object) -> None:  # the crash dialog says the rest
        self._finish()
        self.ended.emit("crash")

    def _on_failed(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(qt_translate))

    def _finish(self) -> None:
        self.task = None
        self.step.hide()
        self.progress.hide()
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.task is None
        self.send_button.setEnabled(idle and self.draft is not None and bool(self.ticked()))
        self.targets.setEnabled(idle)

    def _on_close_clicked(self) -> None:
        if self.task is not None:
            self.task.cancel()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None:
            self.task.cancel()
        super().closeEvent(event)


def send_bulletin(parent: QWidget, studio: Studio, runner: TaskRunner, bridge: OutboxBridge,
                  bulletin_id: int) -> SendDialog:
    """Open "Send to controller…" for ``bulletin_id`` (non-modal; deleted when closed)."""
    dialog = SendDialog(studio, runner, bridge, bulletin_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
