"""A recording's waveform with a playhead: click to hear it from there.

The peaks are computed off the GUI thread (and cached per file and width by the studio's waveform cache);
until they arrive the strip is empty. ``seek_requested(ms)`` says where the officer clicked; the owner plays
from there and reports the position back with :meth:`set_position`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.services import Studio
from studio.ui.tasks import TaskRunner

COLUMNS = 600


class WaveformStrip(QWidget):
    seek_requested = Signal(int)  # ms
    loaded = Signal()

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner = studio, runner
        self.path: Path | None = None
        self.duration_ms = 0
        self.position_ms = 0
        self.peaks: Any = None
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to hear the take from there"))

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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.duration_ms > 0 and event.button() == Qt.MouseButton.LeftButton:
            fraction = min(1.0, max(0.0, event.position().x() / max(1, self.width())))
            self.seek_requested.emit(round(fraction * self.duration_ms))
        super().mousePressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
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
        painter.end()
