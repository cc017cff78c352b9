"""The officer's main job in the window: edit, save, make the audio file, listen — without freezing."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.render import EMPTY_BULLETIN, EMPTY_BULLETIN_HINT
from studio.services import Studio
from studio.store.repo import STALE
from studio.store.templates import BUILT_IN, EMPTY
from studio.ui.i18n import load_catalogue
from studio.ui.main_window import MainWindow
from studio.ui.player import clock_text

from .conftest import open_window

NEW_TEXT = "Từ 8h00 ngày 2/9, nhà văn hóa thôn Đông mở cửa đón bà con."


def _vi(context: str, text: str) -> str:
    tr = load_catalogue("vi")
    assert tr is not None
    return tr(context, text)


def test_window_opens_on_the_demo_bulletin(window: MainWindow, studio: Studio) -> None:
    demo = studio.repo.list_bulletins()[0]
    assert window.editor.title.text() == demo.title
    assert len(window.editor.cards) == 5
    assert window.library.model.rowCount() == 1
    assert window.render_action.isEnabled()
    assert not window.player.play_button.isEnabled()  # nothing rendered yet


def test_render_edited_bulletin_without_blocking_the_window(qtbot, window: MainWindow,
                                                            studio: Studio) -> None:
    card = window.editor.cards[3]
    card.text.setPlainText(NEW_TEXT)
    card.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(card.text, " Xin moi ba con.")
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))

    steps: list[str] = []
    show_progress = window.render_bar.set_progress
    window.render_bar.set_progress = lambda fraction, text: (steps.append(text), show_progress(fraction, text))

    heartbeat.start()
    started = time.monotonic()
    with qtbot.waitSignal(window.render_finished, timeout=60_000) as blocker:
        window.render_action.trigger()
        assert not window.render_action.isEnabled()
    heartbeat.stop()

    info = blocker.args[0]
    elapsed = time.monotonic() - started
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert len(ticks) >= min(20, elapsed / 0.05), "the GUI thread stopped processing timers during the render"
    assert max(gaps) < 0.2, f"the GUI thread was blocked for {max(gaps) * 1000:.0f} ms"

    # Segments are read concurrently; the label names the first segment still being read (shown at most ten
    # times a second: a quick reading may show one).
    reading = [int(step.rsplit(" ", 1)[1]) for step in steps if step.startswith("Reading segment ")]
    assert reading and reading == sorted(reading) and steps[-1] == "Done"
    stored = studio.repo.load(info.bulletin_id)
    assert stored.segments[3].text == NEW_TEXT + " Xin moi ba con."  # Render saved first
    assert info.content_hash == studio.fingerprint(stored)
    mp3 = studio.media.path(info.relpath)
    assert mp3.is_file() and mp3.stat().st_size > 10_000
    assert mp3.read_bytes()[:3] == b"ID3"
    assert window.player.play_button.isEnabled()
    assert window.player.source == mp3
    shown = window.render_bar.result.text()
    assert clock_text(info.duration_ms) in shown and "LUFS" in shown
    assert window.render_action.isEnabled() and not window.render_bar.busy


@pytest.mark.usefixtures("speech_held_until_cancelled")
def test_cancel_render_returns_to_idle_and_records_nothing(qtbot, window: MainWindow, studio: Studio) -> None:
    bulletin_id = window.editor.bulletin_id
    with qtbot.waitSignal(window.render_ended, timeout=60_000) as ended:
        window.render_action.trigger()
        qtbot.waitUntil(lambda: window.render_task is not None, timeout=10_000)
        qtbot.mouseClick(window.render_bar.cancel_button, Qt.MouseButton.LeftButton)
    assert ended.args == ["cancelled"]
    assert studio.repo.latest_render(bulletin_id) is None
    assert window.render_action.isEnabled()
    assert not window.render_bar.busy and window.render_bar.progress.isHidden()
    assert not window.player.play_button.isEnabled()
    assert "Cancelled" in window.render_bar.result.text()


def test_empty_bulletin_explains_in_vietnamese(qtbot, window_vi: MainWindow, studio: Studio) -> None:
    window = window_vi
    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        window.library.create_bulletin(next(t for t in BUILT_IN if t.name == EMPTY))
    title = loaded.args[0].title
    assert title.startswith("Bản tin mới")
    with qtbot.waitSignal(window.render_ended, timeout=30_000) as ended:
        window.render_action.trigger()
    assert ended.args == ["error"]
    expected = (_vi("Messages", EMPTY_BULLETIN).format(title=title) + "\n"
                + _vi("Messages", EMPTY_BULLETIN_HINT))
    assert window.banner.level == "error"
    assert window.banner.text == expected
    assert expected != EMPTY_BULLETIN.format(title=title)  # really translated
    assert window.render_action.text() == "Tạo tệp âm thanh"


def test_stale_save_keeps_the_officers_text(qtbot, window_vi: MainWindow, studio: Studio) -> None:
    window = window_vi
    bulletin_id = window.editor.bulletin_id
    window.editor.cards[0].text.setPlainText(NEW_TEXT)
    elsewhere = studio.repo.load(bulletin_id)
    studio.repo.save(replace(elsewhere, title="Bản tin sửa ở máy khác"))

    with qtbot.waitSignal(window.saver.conflict, timeout=10_000):
        window.save_action.trigger()
    assert window.banner.text.startswith(_vi("Messages", STALE).format(title="Bản tin sửa ở máy khác")[:20])
    assert window.banner.level == "warning"
    assert window.editor.cards[0].text.toPlainText() == NEW_TEXT
    assert studio.repo.load(bulletin_id).segments[0].text != NEW_TEXT

    keep_mine = window.banner.action_buttons()[0]
    assert keep_mine.text() == "Giữ bản của tôi"
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        qtbot.mouseClick(keep_mine, Qt.MouseButton.LeftButton)
    assert studio.repo.load(bulletin_id).segments[0].text == NEW_TEXT
    assert window.saver.state == "clean"


def test_autosave_after_typing_stops(qtbot, studio: Studio) -> None:
    window = open_window(qtbot, studio, autosave_ms=100)
    bulletin_id = window.editor.bulletin_id
    qtbot.keyClicks(window.editor.title, " (sua)")
    assert window.saver.state == "dirty"
    qtbot.waitUntil(lambda: studio.repo.load(bulletin_id).title.endswith(" (sua)"), timeout=5000)
    qtbot.waitUntil(lambda: window.saver.state == "clean")
    window.close()


def test_segments_can_be_added_moved_and_removed(qtbot, window: MainWindow, studio: Studio) -> None:
    editor = window.editor
    first, second = editor.cards[0].segment(), editor.cards[1].segment()
    qtbot.mouseClick(editor.cards[0].down, Qt.MouseButton.LeftButton)
    assert [c.segment() for c in editor.cards[:2]] == [second, first]
    card = editor.add_segment()
    card.text.setPlainText("Đoạn cuối.")
    card.kind.setCurrentIndex(card.kind.findData("closing"))
    assert len(editor.cards) == 6
    qtbot.mouseClick(editor.cards[2].remove, Qt.MouseButton.LeftButton)
    assert len(editor.cards) == 5
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()
    stored = studio.repo.load(editor.bulletin_id)
    assert stored.segments[0] == second and stored.segments[1] == first
    assert stored.segments[-1].text == "Đoạn cuối." and stored.segments[-1].kind == "closing"


def test_library_search_new_and_delete(qtbot, window: MainWindow, studio: Studio,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    library = window.library
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("tiêm chủng")
    assert library.model.rowCount() == 1
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("không có chữ này")
    assert library.model.rowCount() == 0

    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        qtbot.mouseClick(library.new_button, Qt.MouseButton.LeftButton)
    created = loaded.args[0]
    assert library.search.text() == ""
    qtbot.waitUntil(lambda: library.model.rowCount() == 2)
    assert library.selected_id() == created.id

    opened: list[object] = []
    window.bulletin_loaded.connect(opened.append)
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("Nghị định 49")  # only the sample bulletin matches
    assert library.model.rowCount() == 1 and library.selected_id() is None
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.clear()
    assert library.selected_id() == created.id == window.editor.bulletin_id
    assert opened == []  # searching never switched the open bulletin

    monkeypatch.setattr(library, "confirm_delete", lambda title: title == created.title)
    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000):
        qtbot.mouseClick(library.delete_button, Qt.MouseButton.LeftButton)
    assert [s.id for s in studio.repo.list_bulletins()] != [created.id]
    assert len(studio.repo.list_bulletins()) == 1
    qtbot.waitUntil(lambda: library.model.rowCount() == 1)
    assert window.editor.bulletin_id == library.selected_id() != created.id


# QtMultimedia on a machine without a sound server: it looks for PipeWire, then PulseAudio, and says so.
# Playback still runs (against no device), which is what this test checks.
@pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) pipewire", r"PulseAudioService",
                           r"No audio device detected")
def test_existing_render_is_offered_for_listening(qtbot, studio: Studio) -> None:
    bulletin_id = studio.repo.list_bulletins()[0].id
    info, _ = studio.render_bulletin(bulletin_id)
    window = open_window(qtbot, studio)
    player = window.player
    assert player.source == studio.media.path(info.relpath)
    assert player.play_button.isEnabled()
    assert clock_text(info.duration_ms) in window.render_bar.result.text()
    with qtbot.waitSignal(player.playing_changed, timeout=10_000):
        qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.position() > 200, timeout=10_000)
    assert player.slider.value() > 0
    qtbot.mouseClick(player.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not player.is_playing() and player.position() < 100)
    assert player.slider.value() == 0
    window.close()


def test_closing_saves_the_last_keystrokes(qtbot, studio: Studio) -> None:
    window = open_window(qtbot, studio)
    bulletin_id = window.editor.bulletin_id
    window.editor.cards[1].text.setPlainText(NEW_TEXT)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert studio.repo.load(bulletin_id).segments[1].text == NEW_TEXT


def test_closing_with_unsaveable_text_asks_first(qtbot, window: MainWindow, studio: Studio,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    bulletin_id = window.editor.bulletin_id
    window.editor.cards[1].text.setPlainText(NEW_TEXT)
    studio.repo.save(replace(studio.repo.load(bulletin_id), title="Sửa ở máy khác"))
    with qtbot.waitSignal(window.saver.conflict, timeout=10_000):
        window.save_action.trigger()
    answers = [False, True]
    monkeypatch.setattr(window, "confirm_discard", lambda: answers.pop(0))
    window.close()
    assert window.isVisible() and window.editor.cards[1].text.toPlainText() == NEW_TEXT
    window.close()
    assert not window.isVisible() and answers == []


def test_station_logo_is_checked_then_used_for_sent_programmes(qtbot, window: MainWindow, studio: Studio,
                                                               tmp_path) -> None:
    from tests.integration.test_package import png

    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_bytes(b"GIF89a not really")
    task = window.choose_logo(not_a_picture)
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert "is not a PNG or JPEG" in window.banner.text and studio.station_logo() is None
    picture = tmp_path / "real.png"
    picture.write_bytes(png())
    task = window.choose_logo(picture)
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert studio.station_logo() == png()
    assert "Station logo saved" in window.statusBar().currentMessage()


def test_the_library_finds_bulletins_typed_without_diacritics_and_filters_them(
        qtbot, window: MainWindow, studio: Studio) -> None:
    library = window.library
    station = studio.station()
    urgent = studio.save_bulletin(BulletinDraft("Thông báo khẩn: bão số 5", station.id, (
        SegmentDraft("Đề nghị bà con thôn Đông chằng chống nhà cửa.", station.default_preset, "notice"),
        SegmentDraft("ꪒꪾꪉ ꪩꪺꪉ", "twh-tavt-record", "notice")), priority="emergency"))
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.refresh()
    assert library.model.rowCount() == 2

    def shown() -> set[int]:
        return {library.model.summary(row).id for row in range(library.model.rowCount())}

    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("chang chong THON dong")  # no diacritics, other case, words apart
    assert shown() == {urgent.id}
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("tiem chung")  # the sample's vaccination notice
    assert shown() == {1}
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.clear()

    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.priority_filter.setCurrentIndex(library.priority_filter.findData("emergency"))
    assert shown() == {urgent.id}
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.priority_filter.setCurrentIndex(0)
    thai = next(i for i in range(library.language_filter.count())
                if "twh-tavt-record" in (library.language_filter.itemData(i) or []))
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.language_filter.setCurrentIndex(thai)
    assert shown() == {urgent.id}
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.language_filter.setCurrentIndex(0)
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.period_filter.setCurrentIndex(library.period_filter.findData(1))  # changed today
    assert shown() == {1, urgent.id}
    assert studio.repo.list_bulletins(updated_since=datetime.now(UTC) + timedelta(days=1)) == []


def test_text_size_and_language_are_chosen_in_the_view_menu_and_remembered(qtbot, window: MainWindow,
                                                                            studio: Studio) -> None:
    from PySide6.QtWidgets import QApplication

    from studio.config import UI_FONT_SIZE, UI_LANGUAGE

    before = QApplication.font()
    try:
        start = before.pointSize()
        window.bigger_action.trigger()
        window.bigger_action.trigger()
        assert QApplication.font().pointSize() == start + 2 == studio.settings.get(UI_FONT_SIZE)
        assert window.editor.title.font().pointSize() > start  # the window follows at once
        window.smaller_action.trigger()
        assert QApplication.font().pointSize() == start + 1
        assert window.set_text_size(99) == UI_FONT_SIZE.maximum  # within the setting's limits
        window.normal_size_action.trigger()
        assert studio.settings.get(UI_FONT_SIZE) == UI_FONT_SIZE.default
    finally:
        QApplication.setFont(before)
    window.language_actions["vi"].trigger()
    assert studio.settings.get(UI_LANGUAGE) == "vi" and window.language_actions["vi"].isChecked()
    assert not window.language_actions["en"].isChecked() and "next start" in window.banner.text


def test_the_sidebar_leads_to_the_review_queue_and_back(qtbot, window: MainWindow, studio: Studio) -> None:
    library = window.library
    with qtbot.waitSignal(library.loaded, timeout=5000):
        library.search.setText("không có chữ này")
    with qtbot.waitSignal(library.loaded, timeout=5000):
        window.review_place.trigger()
    assert library.state_filter.currentData() == "submitted" and library.search.text() == ""
    assert library.model.rowCount() == 0  # nothing submitted yet
    with qtbot.waitSignal(library.loaded, timeout=5000):
        window.bulletins_place.trigger()
    assert library.state_filter.currentData() == "" and library.model.rowCount() == 1
    assert {a.text() for a in window.sidebar.actions()} >= {"Bulletins", "To review", "Outbox", "Phrases", "Help"}
    outbox = next(a for a in window.sidebar.actions() if a.text() == "Outbox")
    outbox.trigger()
    assert window.dialogs["outbox"].isVisible()
    window.dialogs["outbox"].close()
