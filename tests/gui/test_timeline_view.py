"""The programme timeline: items where they played, the waveform read in the background, the bed and its
ducking, and every change the officer drags or picks reaching the bulletin as an ordinary, saved edit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu

from studio.audio.codec import encode_wav
from studio.audio.pcm import Pcm
from studio.programme import BedLane, LayoutItem, ProgrammeLayout
from studio.services import Studio
from studio.ui.tasks import TaskRunner
from studio.ui.timeline_view import (
    BED_H,
    BED_TOP,
    ITEMS_H,
    ITEMS_TOP,
    PLAYHEAD_COLOUR,
    RULER_TOP,
    WAVE_COLOUR,
    WAVE_H,
    WAVE_TOP,
    TimelineView,
    item_colour,
)

from .conftest import open_window

RATE = 8000
DURATION = 12.0
LAYOUT = ProgrammeLayout(DURATION, items=(
    LayoutItem("jingle", 0.0, 2.0, label="opening"),
    LayoutItem("speech", 2.5, 3.0, 1, "ident", "vi-north", gap=0.5),
    LayoutItem("stinger", 5.5, 0.5, label="stinger"),
    LayoutItem("speech", 6.5, 2.0, 2, "news", "vi-north", gap=0.5),
    LayoutItem("speech", 8.0, 3.0, 3, "notice", "vi-north", crossfade=0.5),
    LayoutItem("jingle", 11.0, 1.0, label="closing"),
), beds=(BedLane(2.0, 11.0, "bed", -18.0, ((2.0, 0.0), (2.5, -12.0), (11.0, -12.0))),))
ITEMS_Y = ITEMS_TOP + ITEMS_H // 2
WAVE_Y = WAVE_TOP + WAVE_H // 2
# QtMultimedia on a machine without a sound server looks for PipeWire, then PulseAudio, and says so.
NO_SOUND_SERVER = (r"Couldn't (load|resolve) pipewire", r"PulseAudioService", r"No audio device detected")


@pytest.fixture
def audio(tmp_path: Path) -> Path:
    """12 s: a loud tone for the first 6 s, then silence."""
    t = np.arange(int(DURATION * RATE)) / RATE
    samples = np.where(t < 6.0, 0.8 * np.sin(2 * np.pi * 440 * t), 0.0).astype(np.float32)
    return encode_wav(Pcm(samples[:, None], RATE), tmp_path / "programme.wav")


@pytest.fixture
def peak_threads() -> list[threading.Thread]:
    return []


@pytest.fixture
def view(qtbot, studio: Studio, peak_threads: list[threading.Thread]) -> Iterator[TimelineView]:
    runner = TaskRunner()

    def peaks_of(path: Path, columns: int) -> np.ndarray:
        peak_threads.append(threading.current_thread())
        return studio.waveform(path, columns)

    timeline = TimelineView(runner, peaks_of)
    qtbot.addWidget(timeline)
    timeline.resize(1000, timeline.height())
    timeline.show()
    qtbot.waitExposed(timeline)
    yield timeline
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)  # no report may reach a closed view
    runner.shutdown()


@pytest.fixture
def shown(qtbot, view: TimelineView, audio: Path) -> TimelineView:
    """The view showing LAYOUT over the test audio, waveform loaded."""
    with qtbot.waitSignal(view.waveformLoaded, timeout=10_000):
        view.set_programme(LAYOUT, audio)
    return view


def _item(number: int) -> LayoutItem:
    return next(i for i in LAYOUT.items if i.number == number)


def _pixel(view: TimelineView, x: float, y: float) -> QColor:
    image: QImage = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(x * ratio), round(y * ratio))


def _drag(qtbot, view: TimelineView, start: QPoint, end: QPoint, steps: int = 6) -> None:
    target = view.viewport()
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, steps + 1):
        qtbot.mouseMove(target, QPoint(start.x() + (end.x() - start.x()) * k // steps, end.y()))
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=end)


def _trigger_in_menu(text: str, seen: dict[str, bool]) -> None:
    """Pick ``text`` in the context menu that is open now (recording the actions' check marks)."""
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    seen.update({name: a.isChecked() for name, a in actions.items()})
    menu.close()
    actions[text].trigger()


def _context_menu(qtbot, view: TimelineView, pos: QPoint, text: str) -> dict[str, bool]:
    seen: dict[str, bool] = {}
    QTimer.singleShot(50, lambda: _trigger_in_menu(text, seen))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen


def _wheel(view: TimelineView, x: int, steps: float, modifiers: Qt.KeyboardModifier) -> None:
    pos = QPointF(x, WAVE_Y)
    event = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(), QPoint(0, round(120 * steps)),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_items_are_drawn_where_they_played(shown: TimelineView) -> None:
    view = shown
    scale = (view.viewport().width() - 20) / DURATION
    assert view.scale == pytest.approx(scale)  # the whole programme fits the width
    base = view.palette().base().color()
    for item in LAYOUT.items:
        left = view.x_of(item.start)
        assert left == pytest.approx(10 + item.start * scale)
        middle = view.x_of(item.start + item.duration * 0.6)
        assert view.item_at(QPointF(middle, ITEMS_Y)) == item
        assert _pixel(view, middle, ITEMS_TOP + 3) == item_colour(item), item
    # each kind of segment has its own colour; jingles are apart from speech
    colours = {item_colour(i).name() for i in LAYOUT.items}
    assert len(colours) == 5
    # the pause before segment 1 (2.0–2.5 s) is empty
    assert _pixel(view, view.x_of(2.25), ITEMS_TOP + 3) == base
    # segment 3 starts 0.5 s before segment 2 ends: the overlap is drawn on segment 3, the later one
    assert view.item_at(QPointF(view.x_of(8.2), ITEMS_Y)) == _item(3)
    assert _pixel(view, view.x_of(8.2), ITEMS_TOP + 3) != item_colour(_item(3))  # hatched crossfade
    # the bed: at its full level at 2.1 s, 12 dB lower under speech (the fill starts lower down)
    def fill_top(time: float) -> int:
        x = view.x_of(time)
        return next(y for y in range(BED_TOP, BED_TOP + BED_H)
                    if _pixel(view, x, y).green() < base.green() - 40)
    assert fill_top(4.0) - fill_top(2.05) >= 5
    assert _pixel(view, view.x_of(11.5), BED_TOP + BED_H - 3) == base  # no bed under the closing jingle


def test_click_on_the_time_axis_or_waveform_seeks(qtbot, shown: TimelineView) -> None:
    view = shown
    ms_per_px = 1000 / view.scale
    for time, y in ((7.3, WAVE_Y), (3.0, RULER_TOP + 8), (10.2, BED_TOP + 10)):
        x = round(view.x_of(time))
        with qtbot.waitSignal(view.seekRequested, timeout=1000) as seek:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
        assert abs(seek.args[0] - time * 1000) <= ms_per_px, (time, seek.args)


def test_drag_a_segment_onto_another_moves_it(qtbot, shown: TimelineView) -> None:
    view = shown
    start = QPoint(round(view.x_of(4.0)), ITEMS_Y)  # segment 1
    with qtbot.waitSignal(view.moveRequested, timeout=1000) as moved:
        _drag(qtbot, view, start, QPoint(round(view.x_of(9.5)), ITEMS_Y))  # over segment 3
    assert moved.args == [1, 3]
    with qtbot.waitSignal(view.moveRequested, timeout=1000) as moved:
        _drag(qtbot, view, QPoint(round(view.x_of(9.5)), ITEMS_Y), QPoint(round(view.x_of(7.0)), WAVE_Y))
    assert moved.args == [3, 2]  # dropping a little below the lane still counts
    with qtbot.assertNotEmitted(view.moveRequested), qtbot.assertNotEmitted(view.seekRequested):
        _drag(qtbot, view, start, QPoint(round(view.x_of(4.6)), ITEMS_Y))  # still on itself
        _drag(qtbot, view, start, QPoint(round(view.x_of(5.8)), ITEMS_Y))  # onto the stinger


def test_drag_the_gap_handle(qtbot, shown: TimelineView) -> None:
    view = shown
    handle = QPoint(round(view.x_of(_item(2).start)), ITEMS_Y)
    assert view.handle_at(handle) == _item(2)
    with qtbot.waitSignal(view.gapChanged, timeout=1000) as changed:
        _drag(qtbot, view, handle, QPoint(round(view.x_of(_item(2).start + 1.5)), ITEMS_Y))
    assert changed.args[0] == 2 and changed.args[1] == pytest.approx(2.0)  # 0.5 s + 1.5 s

    # dragged left past the end of the stinger before it: a 0.8 s crossfade
    with qtbot.assertNotEmitted(view.gapChanged), qtbot.waitSignal(view.crossfadeChanged, timeout=1000) as xf:
        _drag(qtbot, view, handle, QPoint(round(view.x_of(_item(2).start - 1.3)), ITEMS_Y))
    assert xf.args[0] == 2 and xf.args[1] == pytest.approx(0.8)

    # segment 3 crossfades 0.5 s; pulled 1.2 s right it gets a 0.7 s pause instead
    handle3 = QPoint(round(view.x_of(_item(3).start)), ITEMS_Y)
    with qtbot.waitSignal(view.gapChanged, timeout=1000) as changed:
        _drag(qtbot, view, handle3, QPoint(round(view.x_of(_item(3).start + 1.2)), ITEMS_Y))
    assert changed.args[0] == 3 and changed.args[1] == pytest.approx(0.7)

    # limits: at most 10 s of pause
    with qtbot.waitSignal(view.gapChanged, timeout=1000) as changed:
        _drag(qtbot, view, handle, QPoint(view.viewport().width() - 1, ITEMS_Y))
    assert changed.args[1] == pytest.approx(min(10.0, 0.5 + view.time_at(view.viewport().width() - 1)
                                                - _item(2).start), abs=0.1)


def test_pause_before_a_bed_lead_in_is_the_segments_pause(qtbot, view: TimelineView, audio: Path) -> None:
    """Where a bed starts under a segment, the render lays the segment's pause before the bed's lead-in."""
    speech = LayoutItem("speech", 5.0, 3.0, 1, "notice", gap=0.0)
    layout = ProgrammeLayout(DURATION, items=(
        LayoutItem("jingle", 0.0, 2.3), LayoutItem("silence", 3.0, 2.0, gap=0.7), speech,
    ), beds=(BedLane(3.0, 9.0, "bed", -20.0),))
    view.set_programme(layout, audio)
    assert view.pause_before(speech) == pytest.approx(0.7)
    handle = QPoint(round(view.x_of(5.0)), ITEMS_Y)
    with qtbot.waitSignal(view.gapChanged, timeout=1000) as changed:
        _drag(qtbot, view, handle, QPoint(round(view.x_of(6.0)), ITEMS_Y))
    assert changed.args[0] == 1 and changed.args[1] == pytest.approx(1.7)
    with qtbot.waitSignal(view.crossfadeChanged, timeout=1000) as changed:  # at most back to the start
        _drag(qtbot, view, handle, QPoint(0, ITEMS_Y))
    assert changed.args[1] == pytest.approx(4.3)


# The offscreen platform cannot raise a popup menu or give it the keyboard, and says so.
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")
def test_context_menu_sets_the_music_bed(qtbot, shown: TimelineView) -> None:
    view = shown
    pos = QPoint(round(view.x_of(7.0)), ITEMS_Y)  # segment 2, under the bed in this render
    with qtbot.waitSignal(view.bedChanged, timeout=5000) as changed:
        seen = _context_menu(qtbot, view, pos, "Music bed under this segment")
    assert seen["Music bed under this segment"] and seen["Music bed: the station's rule"]
    assert changed.args == [2, False]

    view.set_bed_choice(lambda number: False if number == 2 else None)
    with qtbot.waitSignal(view.bedChanged, timeout=5000) as changed:
        seen = _context_menu(qtbot, view, pos, "Music bed under this segment")
    assert not seen["Music bed under this segment"] and not seen["Music bed: the station's rule"]
    assert changed.args == [2, True]

    with qtbot.waitSignal(view.bedChanged, timeout=5000) as changed:
        _context_menu(qtbot, view, pos, "Music bed: the station's rule")
    assert changed.args == [2, None]

    with qtbot.waitSignal(view.seekRequested, timeout=5000) as seek:
        _context_menu(qtbot, view, pos, "Play from the start of segment 2")
    assert seek.args == [6500]


def test_ctrl_wheel_zooms_around_the_pointer_and_wheel_scrolls(qtbot, shown: TimelineView) -> None:
    view = shown
    fit = view.scale
    bar = view.horizontalScrollBar()
    assert bar.maximum() == 0
    x = round(view.x_of(3.0))
    anchor = view.time_at(x)
    _wheel(view, x, 2, Qt.KeyboardModifier.ControlModifier)
    assert view.scale == pytest.approx(fit * 1.25 ** 2)
    assert bar.maximum() > 0
    assert view.time_at(x) == pytest.approx(anchor, abs=1 / view.scale)  # the time under the pointer stays
    assert view.x_of(6.5) - view.x_of(2.5) == pytest.approx(4.0 * view.scale)

    before = bar.value()
    _wheel(view, x, -1, Qt.KeyboardModifier.NoModifier)  # a plain wheel scrolls forward in time
    assert bar.value() > before
    assert view.time_at(x) > 3.0

    _wheel(view, x, -10, Qt.KeyboardModifier.ControlModifier)  # never smaller than the whole programme
    assert view.scale == pytest.approx(fit) and bar.maximum() == 0


def test_waveform_is_read_in_a_worker_and_drawn(qtbot, view: TimelineView, audio: Path,
                                                peak_threads: list[threading.Thread]) -> None:
    with qtbot.waitSignal(view.waveformLoaded, timeout=10_000):
        view.set_programme(LAYOUT, audio)
        assert view.waveform_state == "loading" and view.peaks is None
    assert peak_threads and all(t is not threading.main_thread() for t in peak_threads)
    assert view.peaks is not None and view.peaks.shape == (1200, 2)
    assert view.peaks[:500, 1].max() == pytest.approx(0.8, abs=0.02)

    def wave_pixels(time: float) -> int:
        x = view.x_of(time)
        return sum(_pixel(view, x, y) == WAVE_COLOUR for y in range(WAVE_TOP, WAVE_TOP + WAVE_H))

    assert wave_pixels(3.0) > WAVE_H * 0.6  # the tone fills most of the lane
    assert wave_pixels(9.0) <= 2  # silence: a line at most

    # the same programme again: nothing is read again; a missing file: no waveform, no crash
    view.set_programme(LAYOUT, audio)
    assert len(peak_threads) == 1 and view.waveform_state == "ready"
    with qtbot.waitSignal(view.waveformLoaded, timeout=10_000):
        view.set_programme(LAYOUT, audio.with_name("missing.wav"))
    assert view.waveform_state == "failed" and view.peaks is None


def test_playhead_follows_the_player(shown: TimelineView) -> None:
    view = shown
    view.set_position(4000)
    x = view.x_of(4.0)
    assert _pixel(view, x, WAVE_TOP + 2) == PLAYHEAD_COLOUR
    view.set_position(9000)
    assert _pixel(view, x, WAVE_TOP + 2) != PLAYHEAD_COLOUR
    assert _pixel(view, view.x_of(9.0), WAVE_TOP + 2) == PLAYHEAD_COLOUR


def test_out_of_date_render_is_dimmed(shown: TimelineView) -> None:
    view = shown
    x = view.x_of(7.0)
    colour = item_colour(_item(2))
    assert _pixel(view, x, ITEMS_TOP + 3) == colour
    view.set_outdated(True)
    dimmed = _pixel(view, x, ITEMS_TOP + 3)
    base = view.palette().base().color()
    assert dimmed != colour
    assert dimmed.red() == pytest.approx(0.4 * colour.red() + 0.6 * base.red(), abs=3)
    image = view.viewport().grab().toImage()
    rows = [[x for x in range(image.width()) if image.pixelColor(x, y) == QColor("#fff6da")]
            for y in range(WAVE_TOP, WAVE_TOP + WAVE_H)]
    note = max(rows, key=len)
    assert len(note) > 100  # the note's box sits across the middle of the waveform
    assert abs((note[0] + note[-1]) / 2 - image.width() / 2) < 3
    view.set_outdated(False)
    assert _pixel(view, x, ITEMS_TOP + 3) == colour


def test_placeholder_without_a_layout(qtbot, view: TimelineView, audio: Path) -> None:
    base = view.palette().base().color()

    def text_pixels() -> int:
        image = view.viewport().grab().toImage()
        return sum(image.pixelColor(x, y) != base for x in range(0, image.width(), 2)
                   for y in range(0, image.height(), 2))

    view.set_programme(None, None)
    assert "once it has an audio file" in view.placeholder_text()
    assert text_pixels() > 20
    view.set_programme(None, audio)  # a render made before timelines were recorded
    assert "Create the audio file again" in view.placeholder_text()
    assert view.waveform_state == "none"
    with qtbot.assertNotEmitted(view.seekRequested):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, WAVE_Y))
    assert view.item_at(QPoint(300, ITEMS_Y)) is None and view.menu_at(QPoint(300, ITEMS_Y)) is None


# --- through the window --------------------------------------------------------------------------

def _demo_layout(studio: Studio, duration: float) -> ProgrammeLayout:
    """A layout for the demo's five segments over ``duration`` (renders record their own soon)."""
    kinds = [s.kind for s in studio.repo.load(studio.repo.list_bulletins()[0].id).segments]
    slot = duration / len(kinds)
    items = tuple(LayoutItem("speech", n * slot + 0.4, slot - 0.4, n + 1, kind, gap=0.4)
                  for n, kind in enumerate(kinds))
    return ProgrammeLayout(duration, items)


@pytest.fixture
def rendered(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> Studio:
    """The demo bulletin rendered; its layout as the render recorded it (or a stand-in while renders
    do not record one)."""
    bulletin_id = studio.repo.list_bulletins()[0].id
    info, _ = studio.render_bulletin(bulletin_id)
    if studio.layout_of(info) is None:
        stand_in = _demo_layout(studio, info.duration_ms / 1000)
        monkeypatch.setattr(studio, "layout_of", lambda info: Studio.layout_of(info) or stand_in)
    return studio


def test_gap_dragged_on_the_timeline_is_saved_with_the_bulletin(qtbot, rendered: Studio) -> None:
    studio = rendered
    window = open_window(qtbot, studio, autosave_ms=100)
    timeline = window.timeline
    bulletin_id = window.editor.bulletin_id
    qtbot.waitUntil(lambda: timeline.programme is not None and timeline.waveform_state == "ready", timeout=10_000)
    assert timeline.audio == studio.render_file(studio.repo.latest_render(bulletin_id))
    assert not timeline.outdated and window.editor.segment_at(3).gap is None
    item = next(i for i in timeline.programme.items if i.number == 3)
    handle = QPoint(round(timeline.x_of(item.start)), ITEMS_Y)
    with qtbot.waitSignal(timeline.gapChanged, timeout=1000):
        _drag(qtbot, timeline, handle, QPoint(round(timeline.x_of(item.start + 2.0)), ITEMS_Y))

    card = window.editor.cards[2]
    expected = window.editor.segment_at(3).gap
    assert expected == pytest.approx(item.gap + 2.0, abs=1 / timeline.scale + 0.05)  # 1 px, snapped to 0.1 s
    assert card.timing.gap.value() == pytest.approx(expected)  # the card's own control shows it
    assert window.saver.state == "dirty" and timeline.outdated
    assert "create the audio file again" in window.render_bar.result.text()
    qtbot.waitUntil(lambda: studio.repo.load(bulletin_id).segments[2].gap == pytest.approx(expected),
                    timeout=5000)
    stored = studio.repo.load(bulletin_id).segments
    assert [s.gap for i, s in enumerate(stored) if i != 2] == [None] * 4

    # the bed and the order, through the same path
    window.editor.set_bed(3, False)
    window.editor.move_segment_to(3, 1)
    qtbot.waitUntil(lambda: studio.repo.load(bulletin_id).segments[0].bed is False, timeout=5000)
    assert studio.repo.load(bulletin_id).segments[0].gap == pytest.approx(expected)
    window.close()


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_click_on_the_timeline_plays_from_there(qtbot, rendered: Studio) -> None:
    window = open_window(qtbot, rendered)
    timeline, player = window.timeline, window.player
    qtbot.waitUntil(lambda: timeline.programme is not None, timeout=10_000)
    x = round(timeline.x_of(20.0))
    with qtbot.waitSignal(player.playing_changed, timeout=10_000):
        qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, WAVE_Y))
    qtbot.waitUntil(lambda: player.position() > 20_200, timeout=10_000)
    assert player.position() < 30_000 and player.slider.value() >= 20_000 - 1000 / timeline.scale
    qtbot.waitUntil(lambda: timeline.position_ms is not None and timeline.position_ms > 20_200)
    player.toggle()
    window.close()
