"""The recording level meter: how loud the announcer is, and a red lamp when the sound clipped.

A horizontal bar from -60 dBFS to 0 dBFS: the average level (RMS) as a filled bar, green in the range a
voice should sit in, yellow when loud, red near full scale; the loudest recent sample (peak) as a thin
line that falls back slowly, so a short loud word stays visible long enough to see. The "CLIP" lamp stays
lit for two seconds after a clipped sample, long enough to notice while reading.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DBFS = -60.0
LOUD_DBFS = -12.0  # RMS above this is loud for speech (the bar turns yellow)
HOT_DBFS = -3.0  # … and above this, red
PEAK_HOLD_S = 1.0
PEAK_FALL_DB_PER_S = 20.0
CLIP_HOLD_MS = 2000
_TICKS = (-48, -36, -24, -18, -12, -6, -3, 0)


def fraction_of(dbfs: float) -> float:
    """Where ``dbfs`` sits on the meter, 0 (floor) to 1 (full scale)."""
    return min(1.0, max(0.0, (dbfs - FLOOR_DBFS) / -FLOOR_DBFS))


class LevelMeterWidget(QWidget):
    """Shows the recorder's readings (:meth:`set_levels`); :meth:`reset` before a new take."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peak_dbfs = FLOOR_DBFS
        self.rms_dbfs = FLOOR_DBFS
        self.held_peak_dbfs = FLOOR_DBFS
        self._held_at = 0.0
        self.clip_lit = False
        self._clip_timer = QTimer(self)
        self._clip_timer.setSingleShot(True)
        self._clip_timer.setInterval(CLIP_HOLD_MS)
        self._clip_timer.timeout.connect(self._clip_off)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(34)
        self.setAccessibleName(self.tr("Recording level"))
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(360, 34)

    def set_levels(self, peak_dbfs: float, rms_dbfs: float, clipped: bool) -> None:
        now = time.monotonic()
        self.peak_dbfs, self.rms_dbfs = peak_dbfs, rms_dbfs
        falling = self.held_peak_dbfs - max(0.0, now - self._held_at - PEAK_HOLD_S) * PEAK_FALL_DB_PER_S
        if peak_dbfs >= falling:
            self.held_peak_dbfs, self._held_at = peak_dbfs, now
        else:
            self.held_peak_dbfs = falling
        if clipped:
            self.clip_lit = True
            self._clip_timer.start()
        self._describe()
        self.update()

    def reset(self) -> None:
        self.peak_dbfs = self.rms_dbfs = self.held_peak_dbfs = FLOOR_DBFS
        self._clip_off()

    def _clip_off(self) -> None:
        self._clip_timer.stop()
        self.clip_lit = False
        self._describe()
        self.update()

    def _describe(self) -> None:
        text = self.tr("Level {rms:.0f} dB, peak {peak:.0f} dB").format(
            rms=max(self.rms_dbfs, FLOOR_DBFS), peak=max(self.peak_dbfs, FLOOR_DBFS))
        if self.clip_lit:
            text += " — " + self.tr("too loud: the sound clipped")
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        lamp_width = 52
        bar = QRectF(0, 2, self.width() - lamp_width - 6, self.height() - 14)
        painter.fillRect(bar, QColor("#263238"))
        filled = bar.adjusted(0, 0, -(1 - fraction_of(self.rms_dbfs)) * bar.width(), 0)
        color = "#43a047" if self.rms_dbfs < LOUD_DBFS else "#fbc02d" if self.rms_dbfs < HOT_DBFS else "#e53935"
        painter.fillRect(filled, QColor(color))
        peak_x = bar.left() + fraction_of(self.held_peak_dbfs) * bar.width()
        if self.held_peak_dbfs > FLOOR_DBFS:
            painter.fillRect(QRectF(peak_x - 1.5, bar.top(), 3, bar.height()), QColor("#eceff1"))
        painter.setPen(self.palette().windowText().color())
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        painter.setFont(font)
        for tick in _TICKS:
            x = bar.left() + fraction_of(tick) * bar.width()
            painter.drawLine(int(x), int(bar.bottom()), int(x), int(bar.bottom()) + 3)
            label = QRectF(x - 15, bar.bottom() + 2, 30, 12)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, str(tick))
        lamp = QRectF(self.width() - lamp_width, 2, lamp_width, self.height() - 14)
        painter.fillRect(lamp, QColor("#d32f2f" if self.clip_lit else "#5d4037"))
        painter.setPen(QColor("#ffffff" if self.clip_lit else "#a1887f"))
        painter.drawText(lamp, Qt.AlignmentFlag.AlignCenter, self.tr("CLIP"))
        painter.end()
