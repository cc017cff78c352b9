"""Jingles and music: the library by category, imports checked with real files, the station's choices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from studio.audio import jingles
from studio.audio.codec import CANNOT_READ, INCOMPLETE, encode_wav
from studio.audio.pcm import Pcm
from studio.bulletin import SEGMENT_KINDS
from studio.messages import StudioError
from studio.services import Studio
from studio.ui.i18n import load_catalogue
from studio.ui.jingle_dialog import LENGTH, NAME, ORIGIN, SOUND, JingleDialog, length_text
from studio.ui.main_window import MainWindow
from tests.gui.conftest import NO_SOUND_SERVER
from tests.integration.test_jingle_library import make_mp3, six_hour_wav, station_state, tone


def _open(qtbot, window: MainWindow) -> JingleDialog:
    window.jingle_action.trigger()
    dialog = window.jingle_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.station is not None, timeout=20_000)
    return dialog


def _rows(dialog: JingleDialog, category: str) -> list[list[str]]:
    tree = dialog.lists[category]
    return [[tree.topLevelItem(r).text(c) for c in (NAME, LENGTH, SOUND, ORIGIN)]
            for r in range(tree.topLevelItemCount())]


def _import(qtbot, dialog: JingleDialog, path: Path, category: str, name: str) -> None:
    """Import through the button, the officer answering the file and name questions."""
    dialog.show_category(category)
    dialog.choose_file = lambda _category: path  # type: ignore[method-assign]
    dialog.ask_name = lambda _default: name  # type: ignore[method-assign]
    with qtbot.waitSignals([dialog.library_changed], timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy


def _choose(qtbot, dialog: JingleDialog, role: str, jingle_id: str) -> None:
    with qtbot.waitSignal(dialog.station_changed, timeout=10_000):
        dialog.set_role(role, jingle_id)


def test_library_is_listed_by_category(qtbot, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Openings", "Closings", "Stingers", "Music beds"]
    assert _rows(dialog, "opening") == [["Studio opening", "0:07.0", "44.1 kHz, mono", "Comes with the studio"]]
    assert _rows(dialog, "bed") == [["Studio music bed", "0:30", "44.1 kHz, mono", "Comes with the studio"]]
    assert [len(_rows(dialog, c)) for c in ("closing", "stinger")] == [1, 1]
    # The demo station plays the studio's own jingles; none of its choices is "missing".
    assert [dialog.role_combos[r].currentText() for r in ("opening", "closing", "stinger", "bed")] == [
        "Studio opening", "Studio closing", "Studio stinger", "Studio music bed"]
    assert length_text(1.84) == "0:01.8" and length_text(754.6) == "12:35"


def test_good_stinger_is_imported_into_its_category(qtbot, window: MainWindow, studio: Studio,
                                                    tmp_path: Path) -> None:
    dialog = _open(qtbot, window)
    dialog.show_category("opening")  # whatever tab is open, the import goes where the officer chose
    source = encode_wav(tone(1.5, rate=22050, channels=2), tmp_path / "chuong.wav")
    _import(qtbot, dialog, source, "stinger", "Chuông ngắt tin")

    stored = [j for j in studio.jingles.list("stinger") if not j.shipped]
    assert [j.name for j in stored] == ["Chuông ngắt tin"] and stored[0].path.is_file()
    assert dialog.current_category() == "stinger"
    rows = _rows(dialog, "stinger")
    assert rows[1][:3] == ["Chuông ngắt tin", "0:01.5", "22.05 kHz, stereo"]
    assert rows[1][3].startswith("Imported ")
    assert dialog.selected_jingle() == stored[0] and dialog.remove_button.isEnabled()
    assert dialog.status.text() == "“Chuông ngắt tin” was imported." and dialog.message.isHidden()
    assert len(_rows(dialog, "opening")) == 1
    # It can be chosen as the station's stinger straight away.
    assert dialog.role_combos["stinger"].findData(stored[0].id) >= 0


def _corrupt(path: Path) -> None:
    path.write_bytes(np.random.default_rng(7).integers(0, 256, 50_000, dtype=np.uint8).tobytes())


def _truncated(path: Path) -> None:
    full = make_mp3(path.with_name("full.mp3"), 20.0).read_bytes()
    path.write_bytes(full[: len(full) // 3])


def _zero_seconds(path: Path) -> None:
    encode_wav(Pcm.silence(0.0, 44100), path)


def _six_hours(path: Path) -> None:
    six_hour_wav(path)


def _odd_rate(path: Path) -> None:
    encode_wav(tone(2.0, rate=4000, freq=300), path)


def _eight_channels(path: Path) -> None:
    encode_wav(tone(2.0, channels=8), path)


@pytest.mark.parametrize(
    ("make", "file", "category", "template", "detail"),
    [
        (_corrupt, "hong.mp3", "opening", CANNOT_READ, "may be damaged"),
        (_truncated, "cut.mp3", "bed", INCOMPLETE, "is incomplete"),
        (_zero_seconds, "empty.wav", "stinger", jingles.TOO_SHORT, "at least 0.2 s"),
        (_six_hours, "ca ngay.wav", "bed", jingles.TOO_LONG, "lasts 21600.0 s"),
        (_odd_rate, "phone.wav", "opening", jingles.BAD_RATE, "4000 Hz"),
        (_eight_channels, "surround.wav", "closing", jingles.TOO_MANY_CHANNELS, "8 channels"),
    ],
    ids=["corrupt-mp3", "truncated-mp3", "zero-seconds", "six-hours", "4-khz", "8-channels"],
)
def test_bad_file_is_refused_with_a_message_and_nothing_kept(
    qtbot, window: MainWindow, studio: Studio, tmp_path: Path, make: Callable[[Path], None], file: str,
    category: str, template: str, detail: str,
) -> None:
    dialog = _open(qtbot, window)
    source = tmp_path / file
    make(source)
    before_files, before_ids = station_state(studio.jingles.station), [j.id for j in studio.jingles.list()]
    with qtbot.waitSignal(dialog.import_failed, timeout=60_000) as refused:
        dialog.import_file(source, category, "Thử")
    exc = refused.args[0]
    assert isinstance(exc, StudioError) and exc.text == template
    assert dialog.message.isVisible() and detail in dialog.message.text()
    assert exc.hint and dialog.message.text() == exc.translated()  # the hint says what to do
    assert station_state(studio.jingles.station) == before_files
    assert [j.id for j in studio.jingles.list()] == before_ids
    assert all(len(_rows(dialog, c)) == 1 for c in jingles.CATEGORIES)
    assert not dialog.busy and dialog.import_button.isEnabled()


def test_refusal_is_explained_in_vietnamese(qtbot, window_vi: MainWindow, studio: Studio,
                                            tmp_path: Path) -> None:
    tr = load_catalogue("vi")
    assert tr is not None
    dialog = _open(qtbot, window_vi)
    source = encode_wav(tone(2.0, channels=8), tmp_path / "vom.wav")
    with qtbot.waitSignal(dialog.import_failed, timeout=30_000) as refused:
        dialog.import_file(source, "opening", "Vòm")
    assert dialog.message.text() == refused.args[0].translated(tr)
    assert "8 kênh" in dialog.message.text()


def test_station_choices_are_stored(qtbot, window: MainWindow, studio: Studio, tmp_path: Path) -> None:
    dialog = _open(qtbot, window)
    _import(qtbot, dialog, encode_wav(tone(1.0), tmp_path / "s.wav"), "stinger", "Chuông")
    stinger = next(j for j in studio.jingles.list("stinger") if not j.shipped)

    _choose(qtbot, dialog, "stinger", stinger.id)
    _choose(qtbot, dialog, "closing", "")
    assert studio.station().stinger_jingle == stinger.id and studio.station().closing_jingle == ""
    assert dialog.set_role("stinger", stinger.id) is None  # already so: nothing written

    # The combo box is what the officer uses: picking "None" for the opening stores it.
    combo = dialog.role_combos["opening"]
    with qtbot.waitSignal(dialog.station_changed, timeout=10_000):
        combo.setCurrentIndex(combo.findData(""))
        combo.activated.emit(combo.currentIndex())
    assert studio.station().opening_jingle == ""

    # The bed under news items and not under notices (the demo's default).
    assert studio.station().bed_kinds == ("notice",)
    assert dialog.bed_checks["notice"].isChecked() and not dialog.bed_checks["news"].isChecked()
    for kind in ("news", "notice"):
        with qtbot.waitSignal(dialog.station_changed, timeout=10_000):
            qtbot.mouseClick(dialog.bed_checks[kind], Qt.MouseButton.LeftButton)
    assert studio.station().bed_kinds == ("news",)

    # No bed: nothing to tick. Reopened, the dialog shows what is stored.
    _choose(qtbot, dialog, "bed", "")
    assert not any(check.isEnabled() for check in dialog.bed_checks.values())
    dialog.reject()
    again = _open(qtbot, window)
    assert again is not dialog
    assert again.role_combos["stinger"].currentText() == "Chuông"
    assert again.role_combos["closing"].currentText() == "None"
    assert again.role_combos["bed"].currentText() == "None"
    assert [k for k in SEGMENT_KINDS if again.bed_checks[k].isChecked()] == ["news"]


def test_remove_asks_and_the_station_falls_back_to_the_studios_own(
    qtbot, window: MainWindow, studio: Studio, tmp_path: Path
) -> None:
    dialog = _open(qtbot, window)
    _import(qtbot, dialog, encode_wav(tone(2.0), tmp_path / "o.wav"), "opening", "Nhạc hiệu xã")
    mine = next(j for j in studio.jingles.list("opening") if not j.shipped)
    _choose(qtbot, dialog, "opening", mine.id)
    dialog.select(mine.id)

    asked: list[tuple[str, list[str]]] = []
    answers = [False, True]
    dialog.confirm_remove = lambda j, roles: asked.append((j.id, roles)) or answers.pop(0)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)  # "Keep it"
    assert asked == [(mine.id, ["opening"])] and mine.path.is_file()
    with qtbot.waitSignal(dialog.station_changed, timeout=10_000) as changed:
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].opening_jingle == "shipped-opening"
    assert studio.station().opening_jingle == "shipped-opening"
    assert not mine.path.exists() and mine.id not in [j.id for j in studio.jingles.list()]
    assert [row[0] for row in _rows(dialog, "opening")] == ["Studio opening"]
    assert dialog.role_combos["opening"].currentText() == "Studio opening"
    assert dialog.status.text() == "“Nhạc hiệu xã” was removed."


def test_shipped_jingles_cannot_be_removed(qtbot, window: MainWindow, studio: Studio) -> None:
    dialog = _open(qtbot, window)
    shipped = studio.jingles.list("closing")[0]
    dialog.select(shipped.id)
    assert dialog.selected_jingle() == shipped
    assert not dialog.remove_button.isEnabled()
    assert dialog.remove_button.toolTip() == "The studio's own jingles cannot be removed."
    dialog.confirm_remove = lambda *_args: pytest.fail("asked to remove a shipped jingle")  # type: ignore[method-assign]
    assert dialog.remove_selected() is None
    assert shipped.path.is_file() and studio.jingles.list("closing") == [shipped]


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_listen_plays_the_selected_jingle_and_stops(qtbot, window: MainWindow, studio: Studio) -> None:
    dialog = _open(qtbot, window)
    assert not dialog.listen_button.isEnabled()  # nothing selected yet
    dialog.select(studio.jingles.list("bed")[0].id)
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000) as started:
        qtbot.mouseClick(dialog.listen_button, Qt.MouseButton.LeftButton)
    assert started.args == [True] and dialog.listen_button.text() == "Stop"
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000) as stopped:
        qtbot.mouseClick(dialog.listen_button, Qt.MouseButton.LeftButton)
    assert stopped.args == [False] and dialog.listen_button.text() == "Listen"

    # One sound at a time: a segment being listened to stops the jingle.
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000):
        dialog.listen()
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000) as hushed:
        qtbot.mouseClick(window.editor.cards[0].listen, Qt.MouseButton.LeftButton)
    assert hushed.args == [False]
    window.editor.listener.stop()


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_the_jingle_s_waveform_has_a_playhead_to_seek_and_pause(qtbot, window: MainWindow, studio: Studio) -> None:
    dialog = _open(qtbot, window)
    bed = studio.jingles.list("bed")[0]
    dialog.select(bed.id)
    assert dialog.wave.path == bed.path and dialog.wave.duration_ms == round(bed.duration * 1000)
    qtbot.waitUntil(lambda: dialog.wave.peaks is not None, timeout=10_000)

    dialog.wave.setFocus()
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000) as started:
        qtbot.keyClick(dialog.wave, Qt.Key.Key_Right)  # 5 s on: it plays from there
    assert started.args == [True]
    qtbot.waitUntil(lambda: dialog._player.position() >= 5000, timeout=5_000)
    assert dialog.wave.position_ms >= 5000
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000) as paused:
        qtbot.keyClick(dialog.wave, Qt.Key.Key_Space)
    assert paused.args == [False]
    held = dialog._player.position()
    assert held >= 5000  # paused, not rewound

    # A click three quarters along plays from three quarters of the bed.
    with qtbot.waitSignal(dialog.playing_changed, timeout=10_000):
        qtbot.mouseClick(dialog.wave, Qt.MouseButton.LeftButton, pos=QPoint(dialog.wave.width() * 3 // 4, 10))
    qtbot.waitUntil(lambda: dialog._player.position() >= dialog.wave.duration_ms * 0.74, timeout=5_000)
    dialog.listen()  # Stop
    qtbot.waitUntil(lambda: not dialog.playing, timeout=5_000)
