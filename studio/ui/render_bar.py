"""The strip under the editor that shows a render's progress, its Cancel button and its outcome."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from studio.store.repo import RenderInfo
from studio.ui.player import clock_text


class RenderBar(QWidget):
    """Idle: says what the last render was. Busy: a progress bar, the step's label and Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = False
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.step = QLabel(self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Stop making the audio file"))
        self.cancel_button.clicked.connect(self._on_cancel)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setObjectName("renderResult")

        busy_row = QHBoxLayout()
        busy_row.addWidget(self.step)
        busy_row.addWidget(self.progress, 1)
        busy_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(busy_row)
        layout.addWidget(self.result)
        self.show_idle("")

    def start(self) -> None:
        self.busy = True
        self.progress.setValue(0)
        self.step.setText(self.tr("Starting…"))
        self.result.clear()
        for widget in (self.progress, self.step, self.cancel_button):
            widget.show()
        self.cancel_button.setEnabled(True)
        self.result.hide()

    def set_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(min(max(fraction, 0.0), 1.0) * 1000))
        self.step.setText(text)

    def show_idle(self, text: str) -> None:
        """Back to rest; ``text`` says how the last attempt ended (may be empty)."""
        self.busy = False
        for widget in (self.progress, self.step, self.cancel_button):
            widget.hide()
        self.result.setText(text)
        self.result.setVisible(bool(text))

    def show_render(self, info: RenderInfo | None, *, outdated: bool = False) -> None:
        """Describe ``info`` (None: the bulletin has no recording yet)."""
        if info is None:
            self.show_idle(self.tr("No audio file yet. Press “Create audio file” (Ctrl+R) to make one."))
            return
        locale = QLocale()
        text = self.tr("Audio file ready: {duration} long, loudness {lufs} LUFS, peak {peak} dBTP.").format(
            duration=clock_text(info.duration_ms),
            lufs=locale.toString(info.integrated_lufs, "f", 1),
            peak=locale.toString(info.true_peak_dbtp, "f", 1),
        )
        if outdated:
            text += " " + self.tr("The text has changed since; create the audio file again.")
        self.show_idle(text)

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.step.setText(self.tr("Cancelling…"))
        self.cancel_requested.emit()
