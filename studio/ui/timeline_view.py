"""The programme on a time axis: where each item of a render landed, its waveform, the music bed and how far
the bed was lowered under speech — with handles to change the running order, the pauses and the crossfades.

The view only shows a :class:`~studio.programme.ProgrammeLayout` and *asks* for changes through signals;
the window applies them to the bulletin in the editor, so they are saved like any other edit and the shown
render becomes out of date (drawn dimmed until the officer renders again). The waveform is read in the task
runner, never on the GUI thread, at a fixed resolution per second and reduced to pixels when painting, so
zooming never decodes the file again.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFrame, QMenu, QToolTip, QWidget

from studio.audio.waveform import Peaks
from studio.bulletin import MAX_CROSSFADE, MAX_GAP, SEGMENT_KIND_LABELS
from studio.messages import StudioError
from studio.programme import LayoutItem, ProgrammeLayout
from studio.ui.player import clock_text
from studio.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PeaksFunction = Callable[[Path, int], Peaks]
BedChoice = Callable[[int], bool | None]

# Lanes, top to bottom (viewport pixels).
RULER_TOP, RULER_H = 0, 18
ITEMS_TOP, ITEMS_H = 20, 30
WAVE_TOP, WAVE_H = 52, 56
BED_TOP, BED_H = 110, 26
CONTENT_H = BED_TOP + BED_H + 4
MARGIN = 10  # pixels left of time 0 and right of the end: room for the first handle
HANDLE_PX = 5  # grab distance of a gap handle either side of an item's left edge
MAX_SCALE = 400.0  # pixels per second at the deepest zoom
PEAKS_PER_SECOND = 100
MAX_PEAK_COLUMNS = 200_000
BED_DB_RANGE = 40.0  # the bed lane shows 0 dB (top) to -40 dB (bottom)
SNAP = 0.1  # seconds: gaps and crossfades dragged on the timeline snap to a tenth of a second
RULER_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800)

KIND_COLOURS = {
    "ident": QColor("#f2b56b"),
    "greeting": QColor("#9fd49a"),
    "news": QColor("#8db8e8"),
    "notice": QColor("#f0d36a"),
    "closing": QColor("#e79a9a"),
}
SPEECH_COLOUR = QColor("#b7c7d8")  # a speech item of a kind this version does not know
JINGLE_COLOUR = QColor("#a7a2c9")
STINGER_COLOUR = QColor("#cfc8e6")
WAVE_COLOUR = QColor("#3d5a80")
BED_COLOUR = QColor("#5f9e6e")
PLAYHEAD_COLOUR = QColor("#d62828")


def snap(seconds: float) -> float:
    return round(round(seconds / SNAP) * SNAP, 3)


def item_colour(item: LayoutItem) -> QColor:
    if item.kind == "speech":
        return KIND_COLOURS.get(item.segment_kind, SPEECH_COLOUR)
    return STINGER_COLOUR if item.kind == "stinger" else JINGLE_COLOUR


@dataclass
class _Drag:
    """A mouse press in progress: ``gap`` (a handle), ``move`` (a speech item) or ``seek`` (anywhere else)."""

    mode: str
    press_x: float
    x: float
    item: LayoutItem | None = None
    moved: bool = False


class TimelineView(QAbstractScrollArea):
    """Shows one render's programme; every change the officer makes on it is a signal, never an edit.

    ``seekRequested(ms)``: play from there. ``moveRequested(from, to)``: put segment ``from`` (1-based) in
    segment ``to``'s place. ``gapChanged(number, seconds)`` / ``crossfadeChanged(number, seconds)``: the pause
    before a segment, or its overlap with the item before. ``bedChanged(number, value)``: music bed under
    the segment (True / False / None for the station's rule).
    """

    seekRequested = Signal(int)
    moveRequested = Signal(int, int)
    gapChanged = Signal(int, float)
    crossfadeChanged = Signal(int, float)
    bedChanged = Signal(int, object)
    waveformLoaded = Signal()

    def __init__(self, runner: TaskRunner, peaks_of: PeaksFunction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._peaks_of = peaks_of
        self._bed_choice: BedChoice | None = None
        self.programme: ProgrammeLayout | None = None
        self.audio: Path | None = None
        self.peaks: Peaks | None = None
        self.waveform_state = "none"  # none | loading | ready | failed
        self._peaks_key: tuple[Path, int] | None = None
        self.outdated = False
        self.position_ms: int | None = None
        self.scale = 1.0  # pixels per second
        self._fit = True
        self._drag: _Drag | None = None
        # The ruler, waveform, items and beds as last painted, and what they were painted from: repaints
        # (the playhead moving, a progress bar elsewhere in the window) only copy them.
        self._layer: QPixmap | None = None
        self._layer_from: tuple[object, ...] = ()

        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.horizontalScrollBar().setSingleStep(20)
        self.setFixedHeight(CONTENT_H + 2 * self.frameWidth() + self.horizontalScrollBar().sizeHint().height())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.setAccessibleName(self.tr("Timeline of the audio file"))

    # --- what is shown -------------------------------------------------------------------------
    def set_programme(self, programme: ProgrammeLayout | None, audio: Path | None) -> None:
        """Show ``programme`` laid out in ``audio`` (None, None: no render; a layout of None with a file:
        a render made before timelines were recorded). The waveform is fetched in the background; the
        zoom is kept when the same programme is shown again."""
        if programme == self.programme and audio == self.audio:
            return
        self._drag = None
        self.programme = programme
        self.audio = audio
        if programme is None or audio is None:
            self.peaks, self._peaks_key, self.waveform_state = None, None, "none"
        else:
            key = (audio, self.peak_columns(programme.duration))
            if key != self._peaks_key:
                self._fetch_waveform(key)
        self._fit = True
        self._layout_scale()
        self.viewport().update()

    def set_outdated(self, outdated: bool) -> None:
        """The bulletin changed since this render: draw it dimmed, with a note to render again."""
        if outdated != self.outdated:
            self.outdated = outdated
            self.viewport().update()

    def set_position(self, ms: int | None) -> None:
        """Move the playhead (the player's position); keeps it in view while it plays."""
        self.position_ms = ms
        if ms is not None and self.programme is not None and self._drag is None and not self._fit:
            x = self.x_of(ms / 1000)
            width = self.viewport().width()
            if x < 0 or x > width - MARGIN:
                bar = self.horizontalScrollBar()
                bar.setValue(round(bar.value() + x - width / 4))
        self.viewport().update()

    def set_bed_choice(self, choice: BedChoice | None) -> None:
        """Where the context menu reads a segment's own bed setting (True / False / None) from."""
        self._bed_choice = choice

    @staticmethod
    def peak_columns(duration: float) -> int:
        return int(min(MAX_PEAK_COLUMNS, max(64, math.ceil(duration * PEAKS_PER_SECOND))))

    def _fetch_waveform(self, key: tuple[Path, int]) -> None:
        self.peaks, self._peaks_key, self.waveform_state = None, key, "loading"
        audio, columns = key
        peaks_of = self._peaks_of

        def work() -> tuple[tuple[Path, int], Peaks | None]:
            try:
                return key, peaks_of(audio, columns)
            except (OSError, StudioError) as exc:  # no waveform; the player reports an unreadable file
                log.warning("no waveform for %s: %s", audio, exc)
                return key, None

        task = self.runner.call("waveform", work)
        task.succeeded.connect(self._on_peaks)

    def _on_peaks(self, result: tuple[tuple[Path, int], Peaks | None]) -> None:
        key, peaks = result
        if key != self._peaks_key:
            return  # another render is shown by now
        self.peaks = peaks
        self.waveform_state = "ready" if peaks is not None else "failed"
        self.viewport().update()
        self.waveformLoaded.emit()

    # --- geometry ------------------------------------------------------------------------------
    def fit_scale(self) -> float:
        duration = self.programme.duration if self.programme is not None else 0.0
        return max(1e-3, (self.viewport().width() - 2 * MARGIN) / max(duration, 0.1))

    def _layout_scale(self) -> None:
        if self._fit:
            self.scale = self.fit_scale()
        bar = self.horizontalScrollBar()
        duration = self.programme.duration if self.programme is not None else 0.0
        content = 2 * MARGIN + duration * self.scale
        bar.setRange(0, max(0, math.ceil(content - self.viewport().width())))
        bar.setPageStep(max(1, self.viewport().width()))

    def x_of(self, time: float) -> float:
        """Viewport x of ``time`` (seconds from the start of the file)."""
        return MARGIN + time * self.scale - self.horizontalScrollBar().value()

    def time_at(self, x: float) -> float:
        """Seconds at viewport ``x``, within the programme."""
        duration = self.programme.duration if self.programme is not None else 0.0
        return min(max((x + self.horizontalScrollBar().value() - MARGIN) / self.scale, 0.0), duration)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom around ``anchor_x`` (the viewport centre by default): the time under it stays put."""
        if self.programme is None:
            return
        anchor = self.viewport().width() / 2 if anchor_x is None else anchor_x
        time = (anchor + self.horizontalScrollBar().value() - MARGIN) / self.scale
        fit = self.fit_scale()
        self.scale = min(max(self.scale * factor, fit), max(fit, MAX_SCALE))
        self._fit = self.scale <= fit
        self._layout_scale()
        self.horizontalScrollBar().setValue(round(MARGIN + time * self.scale - anchor))
        self.viewport().update()

    def item_rect(self, item: LayoutItem) -> QRectF:
        return QRectF(self.x_of(item.start), ITEMS_TOP, max(1.0, item.duration * self.scale), ITEMS_H)

    def speech_items(self) -> list[LayoutItem]:
        if self.programme is None:
            return []
        return [i for i in self.programme.items if i.kind == "speech" and i.number is not None]

    def item_at(self, pos: QPoint | QPointF) -> LayoutItem | None:
        """The non-silent item drawn at ``pos`` in the items lane (the later one where two overlap)."""
        if self.programme is None or not ITEMS_TOP <= pos.y() < ITEMS_TOP + ITEMS_H:
            return None
        found = None
        for item in self.programme.items:
            if item.kind != "silence" and self.item_rect(item).left() <= pos.x() < self.item_rect(item).right():
                found = item
        return found

    def handle_at(self, pos: QPoint | QPointF) -> LayoutItem | None:
        """The speech item whose gap handle (its left edge) is at ``pos``."""
        if not ITEMS_TOP <= pos.y() < ITEMS_TOP + ITEMS_H:
            return None
        near = [(abs(self.x_of(i.start) - pos.x()), i) for i in self.speech_items()]
        near = [(d, i) for d, i in near if d <= HANDLE_PX]
        return min(near, key=lambda pair: pair[0])[1] if near else None

    def _speech_at_time(self, time: float) -> LayoutItem | None:
        found = None
        for item in self.speech_items():
            if item.start <= time < item.end:
                found = item
        return found

    def pause_before(self, item: LayoutItem) -> float:
        """The pause the render laid before ``item`` for the officer's setting: its gap in seconds, or minus
        its crossfade. Where a music bed starts under the item, that pause lies before the bed's lead-in."""
        items = self.programme.items if self.programme is not None else ()
        index = items.index(item) if item in items else 0
        before = items[index - 1] if index > 0 else None
        if (before is not None and before.kind == "silence" and before.duration > 0 and not item.gap
                and not item.crossfade):
            return before.gap
        return item.gap - item.crossfade

    def _gap_value(self, drag: _Drag) -> float:
        """The signed pause the gap drag sets: seconds of silence (≥ 0) or of crossfade (< 0)."""
        assert drag.item is not None
        item = drag.item
        base = self.pause_before(item)
        value = base + (drag.x - drag.press_x) / self.scale
        lowest = max(-MAX_CROSSFADE, base - item.start)  # never before the start of the programme
        return snap(min(max(value, lowest), MAX_GAP))

    # --- mouse and keys ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        if self.programme is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        handle = self.handle_at(pos)
        item = self.item_at(pos)
        if handle is not None:
            self._drag = _Drag("gap", pos.x(), pos.x(), handle)
        elif item is not None and item.kind == "speech" and item.number is not None:
            self._drag = _Drag("move", pos.x(), pos.x(), item)
        else:
            self._drag = _Drag("seek", pos.x(), pos.x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        drag = self._drag
        if drag is None:
            self._update_cursor(pos)
            return
        drag.x = pos.x()
        if abs(drag.x - drag.press_x) >= QApplication.startDragDistance():
            drag.moved = True
        if drag.mode == "move" and drag.moved:
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif drag.mode == "seek":
            drag.moved = False  # a click on the ruler or waveform seeks where it is released
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        drag.x = event.position().x()
        item = drag.item
        if drag.mode == "gap" and drag.moved and item is not None and item.number is not None:
            value = self._gap_value(drag)
            if value != snap(self.pause_before(item)):
                if value >= 0:
                    self.gapChanged.emit(item.number, value)
                else:
                    self.crossfadeChanged.emit(item.number, -value)
        elif drag.mode == "move" and drag.moved and item is not None and item.number is not None:
            target = self._speech_at_time(self.time_at(drag.x))
            if target is not None and target.number is not None and target.number != item.number:
                self.moveRequested.emit(item.number, target.number)
        elif not drag.moved:
            self.seekRequested.emit(round(self.time_at(drag.x) * 1000))
        self._update_cursor(event.position())
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().unsetCursor()
            self.viewport().update()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.5)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / 1.5)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if delta.y():
                self.zoom_by(1.25 ** (delta.y() / 120), event.position().x())
            event.accept()
            return
        step = delta.x() or delta.y()  # a plain wheel scrolls along the time axis
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() - round(step / 120 * bar.singleStep() * 3))
        event.accept()

    def _update_cursor(self, pos: QPointF) -> None:
        if self.programme is None:
            self.viewport().unsetCursor()
        elif self.handle_at(pos) is not None:
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        elif (item := self.item_at(pos)) is not None and item.kind == "speech":
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_scale()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # --- menu and tooltips ---------------------------------------------------------------------
    def menu_at(self, pos: QPoint | QPointF) -> QMenu | None:
        """The context menu for viewport ``pos`` (None where there is nothing to offer)."""
        if self.programme is None:
            return None
        menu = QMenu(self)
        time = self.time_at(pos.x())
        play = menu.addAction(self.tr("Play from here"))
        play.triggered.connect(lambda: self.seekRequested.emit(round(time * 1000)))
        item = self.item_at(pos)
        if item is None or item.kind != "speech" or item.number is None:
            return menu
        number = item.number
        start = menu.addAction(self.tr("Play from the start of segment {number}").format(number=number))
        start.triggered.connect(lambda: self.seekRequested.emit(round(item.start * 1000)))
        menu.addSeparator()
        choice = self._bed_choice(number) if self._bed_choice is not None else None
        bed = menu.addAction(self.tr("Music bed under this segment"))
        bed.setCheckable(True)
        bed.setChecked(choice if choice is not None else self.bed_under(item))
        bed.triggered.connect(lambda checked: self.bedChanged.emit(number, bool(checked)))
        default = menu.addAction(self.tr("Music bed: the station's rule"))
        default.setCheckable(True)
        default.setChecked(choice is None)
        default.setToolTip(self.tr("The station's settings decide which kinds of segment get the bed"))
        default.triggered.connect(lambda: self.bedChanged.emit(number, None))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.menu_at(event.pos())
        if menu is None:
            return
        menu.exec(event.globalPos())
        menu.deleteLater()

    def bed_under(self, item: LayoutItem) -> bool:
        """Whether a music bed plays under most of ``item`` in this render."""
        if self.programme is None:
            return False
        covered = sum(max(0.0, min(b.end, item.end) - max(b.start, item.start)) for b in self.programme.beds)
        return covered > item.duration / 2

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPointF) -> str:
        if self.programme is None:
            return ""
        handle = self.handle_at(pos)
        if handle is not None:
            return self.tr("Drag to change the pause before segment {number}; drag left over the item before "
                           "to blend them (crossfade)").format(number=handle.number)
        item = self.item_at(pos)
        if item is not None:
            span = f"{clock_text(round(item.start * 1000))}–{clock_text(round(item.end * 1000))}"
            if item.kind == "speech":
                kind = SEGMENT_KIND_LABELS.get(item.segment_kind, "")
                return self.tr("Segment {number} ({kind}), {span}. Drag it onto another segment to move it.").format(
                    number=item.number, kind=QApplication.translate("Bulletin", kind) if kind else "", span=span)
            return f"{item.label}, {span}" if item.label else span
        if BED_TOP <= pos.y() < BED_TOP + BED_H:
            time = self.time_at(pos.x())
            for bed in self.programme.beds:
                if bed.start <= time < bed.end:
                    level = f"{bed.gain_db + bed.duck_at(time):.0f} dB"
                    return self.tr("Music bed “{name}” here at {level}; it is lowered under speech.").format(
                        name=bed.label, level=level)
        return ""

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        # Ended explicitly, not when the Python object goes: anything holding this frame a little longer (a
        # traceback, a profiler, a stack sampler) would otherwise leave the painter active after the event,
        # and Qt crashes painting the next widget into the same backing store.
        painter = QPainter(self.viewport())
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        if self.programme is None:
            self._layer = None
            painter.fillRect(self.viewport().rect(), self.palette().base())
            self._paint_placeholder(painter)
            return
        painter.drawPixmap(0, 0, self._programme_layer())
        font = QFont(self.font())  # the notes are written in the items' font, as the layer left it
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        self._paint_drag(painter)
        self._paint_playhead(painter)
        if self.outdated:
            self._paint_note(painter, self.tr("Out of date — render again to update the timeline"))

    def _programme_layer(self) -> QPixmap:
        """The programme drawn without the playhead, drag or note: painted again only when something it is
        drawn from changed (it takes about 10 ms; copying it, a fraction of one)."""
        ratio = self.viewport().devicePixelRatioF()
        drawn_from = (self.programme, self.peaks, self.waveform_state, self.outdated, self.scale,
                      self.horizontalScrollBar().value(), self.viewport().size().toTuple(), ratio,
                      self.palette().cacheKey(), self.font().key())
        layer, previous = self._layer, self._layer_from
        if (layer is not None and len(previous) == len(drawn_from) and previous[0] is drawn_from[0]
                and previous[1] is drawn_from[1] and previous[2:] == drawn_from[2:]):
            return layer
        size = self.viewport().size()
        layer = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
        layer.setDevicePixelRatio(ratio)
        layer.fill(self.palette().base().color())
        painter = QPainter(layer)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            if self.outdated:
                painter.setOpacity(0.4)
            self._paint_ruler(painter)
            self._paint_waveform(painter)
            self._paint_items(painter)
            self._paint_beds(painter)
        finally:
            painter.end()
        self._layer, self._layer_from = layer, drawn_from
        return layer

    def placeholder_text(self) -> str:
        if self.audio is None:
            return self.tr("The timeline of the bulletin appears here once it has an audio file.")
        return self.tr("This audio file was made before the studio kept timelines. "
                       "Create the audio file again to see its timeline.")

    def _paint_placeholder(self, painter: QPainter) -> None:
        text = self.placeholder_text()
        painter.setPen(self.palette().placeholderText().color())
        rect = self.viewport().rect().adjusted(12, 0, -12, 0)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def _visible_times(self) -> tuple[float, float]:
        return self.time_at(0), self.time_at(self.viewport().width())

    def _paint_ruler(self, painter: QPainter) -> None:
        text_colour = self.palette().text().color()
        painter.setPen(QPen(text_colour, 1))
        bottom = RULER_TOP + RULER_H - 1
        painter.drawLine(0, bottom, self.viewport().width(), bottom)
        step = next((s for s in RULER_STEPS if s * self.scale >= 56), RULER_STEPS[-1])
        t0, t1 = self._visible_times()
        duration = self.programme.duration if self.programme is not None else 0.0
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        first = math.floor(t0 / step * 2) / 2 * step
        ticks = int((t1 - first) / (step / 2)) + 2
        for k in range(ticks):
            time = first + k * step / 2
            if time > duration:
                break
            x = round(self.x_of(time))
            major = abs(time / step - round(time / step)) < 1e-6
            painter.drawLine(x, bottom - (6 if major else 3), x, bottom)
            if major:
                painter.drawText(x + 3, RULER_TOP + RULER_H - 5, clock_text(round(time * 1000)))

    def _paint_items(self, painter: QPainter) -> None:
        assert self.programme is not None
        width = self.viewport().width()
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        text_colour = QColor("#1b1b1b")
        for item in self.programme.items:
            if item.kind == "silence":
                continue
            rect = self.item_rect(item)
            if rect.right() < 0 or rect.left() > width:
                continue
            colour = item_colour(item)
            painter.fillRect(rect, colour)
            painter.setPen(QPen(colour.darker(150), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if item.crossfade > 0:  # the overlap with the item before, hatched
                overlap = QRectF(rect.left(), rect.top(), item.crossfade * self.scale, rect.height())
                painter.fillRect(overlap, QColor(0, 0, 0, 40))
                painter.fillRect(overlap, Qt.BrushStyle.BDiagPattern)
            if item.kind == "speech":  # the gap handle
                painter.fillRect(QRectF(rect.left(), rect.top(), 3, rect.height()), colour.darker(170))
                kind = SEGMENT_KIND_LABELS.get(item.segment_kind)
                label = f"{item.number}"
                if kind:
                    label += " · " + QApplication.translate("Bulletin", kind)
            else:
                label = item.label
            visible = QRectF(max(rect.left(), 0.0), rect.top(), 0.0, rect.height())
            visible.setRight(min(rect.right(), float(width)))  # the label stays in view when scrolled
            room = int(visible.width()) - 8
            if label and room > 0:
                shown = label
                if metrics.horizontalAdvance(label) > room:  # the number alone, else as much as fits
                    number = str(item.number) if item.number is not None else ""
                    fits = number and metrics.horizontalAdvance(number) <= room
                    shown = number if fits else metrics.elidedText(label, Qt.TextElideMode.ElideRight, room)
                painter.setPen(text_colour)
                painter.drawText(visible.adjusted(5, 0, -3, 0),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown)

    def _paint_waveform(self, painter: QPainter) -> None:
        assert self.programme is not None
        lane = QRectF(0, WAVE_TOP, self.viewport().width(), WAVE_H)
        painter.fillRect(lane, self.palette().alternateBase())
        middle = WAVE_TOP + WAVE_H / 2
        painter.setPen(QPen(WAVE_COLOUR.lighter(160), 1))
        painter.drawLine(QPointF(self.x_of(0), middle), QPointF(self.x_of(self.programme.duration), middle))
        if self.peaks is None:
            if self.waveform_state == "loading":
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(lane, Qt.AlignmentFlag.AlignCenter, self.tr("Reading the waveform…"))
            return
        columns = self.wave_columns()
        if columns is None:
            return
        xs, lows, highs = columns
        half = WAVE_H / 2 - 2
        top = [QPointF(x, middle - hi * half) for x, hi in zip(xs, highs, strict=True)]
        bottom = [QPointF(x + 1, middle - lo * half) for x, lo in zip(xs[::-1], lows[::-1], strict=True)]
        painter.setPen(QPen(WAVE_COLOUR, 1))
        painter.setBrush(WAVE_COLOUR)
        painter.drawPolygon(QPolygonF([*top, *bottom]))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def wave_columns(self) -> tuple[list[float], np.ndarray, np.ndarray] | None:
        """Per visible pixel: its x, and the lowest and highest sample under it (from the peaks)."""
        if self.peaks is None or self.programme is None or len(self.peaks) == 0:
            return None
        duration = max(self.programme.duration, 1e-6)
        x0 = max(0, math.floor(self.x_of(0)))
        x1 = min(self.viewport().width(), math.ceil(self.x_of(duration)))
        if x1 <= x0:
            return None
        pixels = np.arange(x0, x1 + 1, dtype=np.float64)
        times = (pixels + self.horizontalScrollBar().value() - MARGIN) / self.scale
        count = len(self.peaks)
        index = np.clip((times / duration * count).astype(np.int64), 0, count - 1)
        starts = index[:-1]
        lows = np.minimum.reduceat(self.peaks[:, 0], starts)
        highs = np.maximum.reduceat(self.peaks[:, 1], starts)
        # reduceat reduces each start up to the next one; the last pixel stops at its own right edge
        ends = np.maximum(index[1:], starts + 1)
        last = slice(int(starts[-1]), int(ends[-1]))
        lows[-1], highs[-1] = self.peaks[last, 0].min(), self.peaks[last, 1].max()
        return [float(x) for x in pixels[:-1]], np.clip(lows, -1, 1), np.clip(highs, -1, 1)

    def _bed_y(self, level_db: float) -> float:
        return BED_TOP + 2 + (BED_H - 4) * min(max(-level_db / BED_DB_RANGE, 0.0), 1.0)

    def _paint_beds(self, painter: QPainter) -> None:
        assert self.programme is not None
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawLine(0, BED_TOP - 1, self.viewport().width(), BED_TOP - 1)
        if not self.programme.beds:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(QRectF(6, BED_TOP, self.viewport().width() - 12, BED_H),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             self.tr("No music bed"))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for bed in self.programme.beds:
            left, right = self.x_of(bed.start), self.x_of(bed.end)
            if right < 0 or left > self.viewport().width():
                continue
            painter.fillRect(QRectF(left, BED_TOP, right - left, BED_H), QColor(BED_COLOUR.red(), BED_COLOUR.green(),
                                                                              BED_COLOUR.blue(), 30))
            times = [bed.start, *(t for t, _ in bed.duck if bed.start < t < bed.end), bed.end]
            line = [QPointF(self.x_of(t), self._bed_y(bed.gain_db + bed.duck_at(t))) for t in times]
            area = QPolygonF([*line, QPointF(right, BED_TOP + BED_H), QPointF(left, BED_TOP + BED_H)])
            fill = QColor(BED_COLOUR)
            fill.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawPolygon(area)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(BED_COLOUR.darker(140), 1.5))
            painter.drawPolyline(QPolygonF(line))
            if bed.label and right - left > 60:
                painter.setPen(self.palette().text().color())
                painter.drawText(QRectF(max(left, 0) + 4, BED_TOP, right - max(left, 0) - 8, BED_H - 2),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, bed.label)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_drag(self, painter: QPainter) -> None:
        drag = self._drag
        if drag is None or not drag.moved or drag.item is None:
            return
        item = drag.item
        rect = self.item_rect(item)
        if drag.mode == "gap":
            value = self._gap_value(drag)
            start = item.start + value - self.pause_before(item)
            ghost = QRectF(self.x_of(start), rect.top(), rect.width(), rect.height())
            text = (self.tr("Pause {seconds} s") if value >= 0 else self.tr("Crossfade {seconds} s")).format(
                seconds=f"{abs(value):.1f}")
        else:
            ghost = rect.translated(drag.x - drag.press_x, 0)
            target = self._speech_at_time(self.time_at(drag.x))
            text = ""
            if target is not None and target.number != item.number:
                marker = self.x_of(target.start if (target.number or 0) < (item.number or 0) else target.end)
                painter.fillRect(QRectF(marker - 2, ITEMS_TOP - 2, 4, ITEMS_H + 4), self.palette().highlight())
                text = self.tr("Move to place {number}").format(number=target.number)
        painter.setPen(QPen(self.palette().highlight().color(), 2, Qt.PenStyle.DashLine))
        painter.drawRect(ghost)
        if text:
            self._paint_note(painter, text, QPointF(ghost.left(), WAVE_TOP + 2))

    def _paint_playhead(self, painter: QPainter) -> None:
        if self.position_ms is None:
            return
        x = self.x_of(self.position_ms / 1000)
        if 0 <= x <= self.viewport().width():
            painter.setPen(QPen(PLAYHEAD_COLOUR, 2))
            painter.drawLine(QPointF(x, RULER_TOP), QPointF(x, BED_TOP + BED_H))

    def _paint_note(self, painter: QPainter, text: str, at: QPointF | None = None) -> None:
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(text) + 14, metrics.height() + 6
        if at is None:
            at = QPointF((self.viewport().width() - width) / 2, WAVE_TOP + (WAVE_H - height) / 2)
        left = min(max(at.x(), 2.0), max(2.0, self.viewport().width() - width - 2))
        box = QRectF(left, at.y(), width, height)
        painter.setPen(QPen(QColor("#e5c45c"), 1))
        painter.setBrush(QColor("#fff6da"))
        painter.drawRoundedRect(box, 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QColor("#5a4300"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
