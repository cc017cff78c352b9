"""A recording's waveform with a playhead: click to hear it from there.

Used for takes (the booth), jingles (the jingle library) and a segment read aloud (its card). The peaks are
computed off the GUI thread (and cached per file and width by the studio's waveform cache); until they
arrive the strip is empty. ``seek_requested(ms)`` says where the officer clicked, or moved with the arrow keys
(5 s; Home goes back to the start); ``toggle_requested`` is Space (pause / go on). The owner plays and reports
the position back with :meth:`set_position`. The position and length are written in the corner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.services import Studio
from studio.ui.player import clock_text
from studio.ui.tasks import TaskRunner

COLUMNS = 600
STEP_MS = 5000  # an arrow key moves the playhead this far


class WaveformStrip(QWidget):
    seek_requested = Signal(int)  # ms
    toggle_requested = Signal()  # Space: pause, or go on playing
    loaded = Signal()

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None, *,
                 tip: str | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner = studio, runner
        self.path: Path | None = None
        self.duration_ms = 0
        self.position_ms = 0
        self.peaks: Any = None
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(tip or self.tr("Click to hear the take from there"))
        self.setAccessibleName(self.tr("Waveform and playhead"))

    def sizeHint(self) -> QSize:
        return QSize(480, 56)

    def set_audio(self, path: Path | None, duration_ms: int) -> None:
        if path == self.path:
            return
        self.path, self.duration_ms, self.position_ms, self.peaks = path, duration_ms, 0, None
        self.update()
        if path is None:
            return
        studio = self.studio
        task = self.runner.call("waveform", lambda: (path, studio.waveform(path, COLUMNS)), pool="work")
        task.succeeded.connect(self._on_peaks)

    def _on_peaks(self, result: tuple[Path, Any]) -> None:
        path, peaks = result
        if path == self.path:  # not replaced by another take meanwhile
            self.peaks = peaks
            self.update()
            self.loaded.emit()

    def set_position(self, ms: int) -> None:
        self.position_ms = ms
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_requested.emit()
        elif self.duration_ms > 0 and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home):
            step = {Qt.Key.Key_Left: -STEP_MS, Qt.Key.Key_Right: STEP_MS}.get(key)
            target = 0 if step is None else self.position_ms + step
            self.seek_requested.emit(min(max(0, target), self.duration_ms))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.duration_ms > 0 and event.button() == Qt.MouseButton.LeftButton:
            fraction = min(1.0, max(0.0, event.position().x() / max(1, self.width())))
            self.seek_requested.emit(round(fraction * self.duration_ms))
        super().mousePressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#eceff1"))
            middle, half = self.height() / 2, self.height() / 2 - 2
            if self.peaks is not None and len(self.peaks):
                painter.setPen(QColor("#37618e"))
                count = len(self.peaks)
                for x in range(self.width()):
                    low, high = self.peaks[min(count - 1, x * count // max(1, self.width()))]
                    painter.drawLine(QPointF(x, middle - float(high) * half), QPointF(x, middle - float(low) * half))
            if self.duration_ms > 0:
                x = self.width() * min(1.0, self.position_ms / self.duration_ms)
                painter.fillRect(QRectF(x - 1, 0, 2, self.height()), QColor("#c62828"))
                painter.setPen(QColor("#263238"))
                painter.drawText(self.rect().adjusted(4, 2, -4, -2),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 f"{clock_text(self.position_ms)} / {clock_text(self.duration_ms)}")
            if self.hasFocus():
                painter.setPen(self.palette().highlight().color())
                painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        finally:
            painter.end()
