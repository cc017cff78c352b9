"""The booth's teleprompter and level meter on their own."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication

from studio.ui.level_meter import CLIP_HOLD_MS, FLOOR_DBFS, LevelMeterWidget, fraction_of
from studio.ui.teleprompter import READING_LINE, Teleprompter

LONG_TEXT = "\n".join(f"Dòng thứ {n}: bà con chú ý lịch tiêm phòng cho gia súc." for n in range(1, 61))


def _prompter(qtbot) -> Teleprompter:
    prompter = Teleprompter()
    qtbot.addWidget(prompter)
    prompter.resize(600, 300)
    prompter.show_text(LONG_TEXT, QFont("Noto Sans"), 24)
    prompter.show()
    qtbot.waitExposed(prompter)
    return prompter


def test_the_text_follows_the_reading_and_stops_when_the_hand_scrolls(qtbot) -> None:
    prompter = _prompter(qtbot)
    bar = prompter.verticalScrollBar()
    assert bar.maximum() > 20 and bar.value() == 0 and prompter.font().pointSize() == 24
    line = prompter.fontMetrics().lineSpacing()
    for fraction in (0.5, 0.8):
        prompter.follow(fraction)
        cursor = QTextCursor(prompter.document())
        cursor.setPosition(round(fraction * (prompter.document().characterCount() - 1)))
        reading_line = prompter.viewport().height() * READING_LINE
        assert abs(prompter.cursorRect(cursor).top() - reading_line) <= line  # on the reading line

    wheel = QWheelEvent(QPointF(10, 10), QPointF(10, 10), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(prompter.viewport(), wheel)  # the announcer scrolls back a little
    by_hand = bar.value()
    prompter.follow(1.0)
    assert prompter.by_hand and bar.value() == by_hand  # the hand wins for the rest of the take

    prompter.rewind()  # a new take
    assert bar.value() == 0 and not prompter.by_hand
    prompter.auto_scroll = False
    prompter.follow(0.5)
    assert bar.value() == 0


def test_the_meter_holds_the_clip_lamp_and_the_peak(qtbot) -> None:
    meter = LevelMeterWidget()
    qtbot.addWidget(meter)
    meter.set_levels(-6.0, -20.0, False)
    meter.set_levels(-30.0, -35.0, False)
    assert meter.held_peak_dbfs == -6.0  # the loud word stays visible for a moment
    assert meter.rms_dbfs == -35.0 and not meter.clip_lit
    meter.set_levels(-0.01, -3.0, True)
    assert meter.clip_lit and "clipped" in meter.toolTip()
    meter.set_levels(-30.0, -35.0, False)
    assert meter.clip_lit  # held for a while after the clip
    qtbot.waitUntil(lambda: not meter.clip_lit, timeout=CLIP_HOLD_MS + 1000)
    meter.reset()
    assert meter.held_peak_dbfs == FLOOR_DBFS
    assert fraction_of(FLOOR_DBFS) == 0.0 and fraction_of(0.0) == 1.0 and fraction_of(-30.0) == 0.5
