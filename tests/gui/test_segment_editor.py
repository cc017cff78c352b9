"""Writing a segment: the live spoken preview, marks on what the voice would misread, fonts, reading time,
listening to one segment, and the notes a render leaves."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFontDatabase, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.render import FELL_BACK, SKIPPED_EMPTY
from studio.services import NOTHING_TO_SPEAK_RECORD, Studio
from studio.ui import fonts as ui_fonts
from studio.ui.i18n import load_catalogue
from studio.ui.listen import IDLE, PLAYING, PREPARING
from studio.ui.main_window import MainWindow
from studio.ui.preset_picker import RECORD_HEADER_ROLE, PresetPicker
from studio.ui.preview import PAUSE_MALFORMED, UNREADABLE, Mark, analyse_segment
from studio.ui.segment_widget import SegmentCard

from .conftest import open_window

PHONE = "Gọi 0912 345 678 lúc 14h30 #khẩn"
TAI_VIET = "ꪀꪱꪙ ꪹꪀꪷ"  # Tai Viet letters: no Vietnamese font has them
# QtMultimedia on a machine without a sound server looks for PipeWire, then PulseAudio, and says so.
NO_SOUND_SERVER = (r"Couldn't (load|resolve) pipewire", r"PulseAudioService", r"No audio device detected")


def _vi(context: str, text: str) -> str:
    tr = load_catalogue("vi")
    assert tr is not None
    return tr(context, text)


def _settled(card: SegmentCard) -> bool:
    """The card shows the analysis of exactly what is in its editor now."""
    analysis = card.analysis
    return (not card.analyser.busy and analysis is not None
            and analysis.text == card.text.toPlainText() and analysis.preset_id == card.preset.currentData())


def _type_into(qtbot, card: SegmentCard, text: str) -> None:
    """Type ``text`` key by key (QTest only has keys for ASCII: other letters arrive as an input method's)."""
    card.text.clear()
    card.text.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(card.text, ch)
        else:
            card.text.insertPlainText(ch)


def _formatted_ranges(card: SegmentCard) -> list[tuple[int, int]]:
    """(start, end) of every range the editor paints marked, in its current positions."""
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in card.text.extraSelections()]


def _use_preset(qtbot, card: SegmentCard, preset_id: str) -> None:
    index = card.preset.findData(preset_id)
    assert index >= 0, preset_id
    card.preset.setCurrentIndex(index)
    qtbot.waitUntil(lambda: _settled(card), timeout=10_000)


# The offscreen platform cannot raise the tooltip's window, and says so.
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")
def test_preview_reads_numbers_and_marks_the_symbol(qtbot, window_vi: MainWindow) -> None:
    card = window_vi.editor.cards[2]
    _type_into(qtbot, card, PHONE)
    assert card.text.toPlainText() == PHONE
    assert card.analyser.timer.remainingTime() > 150, "the preview waits until typing stops"
    assert "không chín một hai" not in card.preview.text

    qtbot.waitUntil(lambda: "mười bốn giờ ba mươi phút" in card.preview.text, timeout=5000)
    assert "Gọi không chín một hai" in card.preview.text
    assert "ba bốn năm" in card.preview.text and "sáu bảy tám" in card.preview.text
    assert card.preview.isVisibleTo(card) and card.preview.isReadOnly()

    sharp = PHONE.index("#")
    assert card.marks.marks == [Mark(sharp, sharp + 1, UNREADABLE, "symbol")]
    assert _formatted_ranges(card) == [(sharp, sharp + 1)]  # only "#" is drawn marked, not "khẩn"

    # Pointing at the "#" explains, in Vietnamese, why it is marked.
    cursor = QTextCursor(card.text.document())
    cursor.setPosition(sharp)
    point = card.text.cursorRect(cursor).center() + QPoint(2, 0)
    viewport = card.text.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
    tip = _vi("SegmentIssues", "The voice will skip or misread this symbol. Write it out in words.")
    assert tip.startswith("Giọng đọc")
    assert QToolTip.text() == tip
    QToolTip.hideText()


def test_marks_follow_typing_and_never_count_as_edits(qtbot, window: MainWindow) -> None:
    card = window.editor.cards[0]
    card.text.setPlainText(PHONE)
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    sharp = PHONE.index("#")
    found = card.marks.marks
    assert found == [Mark(sharp, sharp + 1, UNREADABLE, "symbol")]
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()
    qtbot.waitUntil(lambda: window.saver.state == "clean")
    edits: list[None] = []
    window.editor.edited.connect(lambda: edits.append(None))
    card.marks.set_marks([])  # painting marks is not an edit: nothing to save
    card.marks.set_marks(found)
    assert edits == [] and window.saver.state == "clean" and not window.editor.is_dirty()

    cursor = card.text.textCursor()
    cursor.setPosition(0)
    cursor.insertText("Xin ")
    cursor.setPosition(sharp + 5)
    cursor.insertText("*")  # typed right after the "#": the mark does not stretch over it
    assert card.marks.marks == [Mark(sharp + 4, sharp + 5, UNREADABLE, "symbol")]
    assert _formatted_ranges(card) == [(sharp + 4, sharp + 5)]
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    assert card.marks.marks == [Mark(sharp + 4, sharp + 6, UNREADABLE, "symbol")]  # "#*" now


def test_malformed_pause_is_marked_and_left_out(qtbot, window: MainWindow) -> None:
    card = window.editor.cards[1]
    text = "Kính thưa bà con [nghỉ abc] xin mời [nghỉ 2 giây] dự họp."
    card.text.setPlainText(text)
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    start = text.index("[nghỉ abc]")
    assert card.marks.marks == [Mark(start, start + len("[nghỉ abc]"), PAUSE_MALFORMED, "")]
    assert _formatted_ranges(card) == [(start, start + len("[nghỉ abc]"))]
    assert "abc" not in card.preview.text
    assert "[nghỉ 2 giây]" in card.preview.text  # a good pause stays a pause


def test_reading_time_grows_with_the_text(qtbot, window_vi: MainWindow) -> None:
    editor = window_vi.editor
    qtbot.waitUntil(lambda: all(_settled(c) for c in editor.cards), timeout=10_000)
    card = editor.cards[0]
    card.text.setPlainText("Xin chào bà con.")
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    short, short_label = card.seconds, card.reading_time.text()
    assert short is not None and short > 0 and short_label.startswith("≈ 0:0")
    total_before = editor.total_seconds()
    assert editor.total_time.text() == f"Thời lượng đọc: ≈ {_clock(total_before)}"

    card.text.setPlainText("Xin chào bà con. " * 40 + "Hội nghị bắt đầu lúc 14h30 ngày 22/11/2026.")
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    assert card.seconds > short * 20
    assert card.reading_time.text() != short_label
    assert editor.total_seconds() == pytest.approx(total_before - short + card.seconds)
    assert sum(c.seconds for c in editor.cards) == pytest.approx(editor.total_seconds())
    assert editor.total_time.text() == f"Thời lượng đọc: ≈ {_clock(editor.total_seconds())}"


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def test_font_warning_for_letters_the_preset_font_lacks(qtbot, window_vi: MainWindow, studio: Studio) -> None:
    card = window_vi.editor.cards[0]
    assert studio.presets[card.preset.currentData()].font == "Noto Sans"
    card.text.setPlainText(f"Bà con bản {TAI_VIET} chú ý.")
    qtbot.waitUntil(lambda: _settled(card), timeout=5000)
    assert card.font_warning.isVisibleTo(card)
    warning = card.font_warning.text()
    assert warning.startswith("Phông chữ “Noto Sans” không có các ký tự: ")
    assert all(ch in warning for ch in TAI_VIET.replace(" ", ""))

    _use_preset(qtbot, card, "blt-tavt-record")
    assert not card.font_warning.isVisibleTo(card)
    assert card.text.font().family() == "Tai Heritage Pro"
    assert card.preview_caption.text() == _vi("SegmentCard", "An announcer records this segment; no voice reads "
                                                             "it.")
    assert not card.preview.isVisibleTo(card)
    assert card.reading_time.text().startswith("≈ ")  # the announcer's reading time still counts


def test_bundled_fonts_are_registered_once(qtbot, window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    registered = QApplication.instance().property("studioBundledFonts")
    bundled = sorted(ui_fonts.bundled_fonts_folder().glob("*.ttf"))
    assert sorted(registered) == sorted(str(p.resolve()) for p in bundled)
    assert ["Tai Heritage Pro"] in registered.values() and ["Noto Sans Cham"] in registered.values()

    calls: list[str] = []
    add = QFontDatabase.addApplicationFont
    monkeypatch.setattr(QFontDatabase, "addApplicationFont", lambda path: (calls.append(path), add(path))[1])
    assert "Noto Sans Khmer" in ui_fonts.register_bundled_fonts()
    assert calls == []  # already there: nothing loaded twice
    (tmp_path / "Cham.ttf").write_bytes((ui_fonts.bundled_fonts_folder() / "NotoSansCham-Regular.ttf").read_bytes())
    assert ui_fonts.register_bundled_fonts(tmp_path) == ["Noto Sans Cham"]
    assert ui_fonts.register_bundled_fonts(tmp_path) == ["Noto Sans Cham"]
    assert calls == [str((tmp_path / "Cham.ttf").resolve())]


def test_preset_picker_order_and_recorded_languages(qtbot, window_vi: MainWindow, studio: Studio) -> None:
    shuffled = dict(reversed(list(studio.presets.items())))  # a station's own presets come in any order
    picker = PresetPicker(shuffled, "vi", "vi-north-offline")
    qtbot.addWidget(picker)
    ids = [picker.itemData(i) for i in range(picker.count())]
    header = next(i for i in range(picker.count()) if picker.itemData(i, RECORD_HEADER_ROLE))
    voiced = [i for i in ids[:header] if i]
    recorded = [i for i in ids[header + 1:] if i]
    assert voiced == sorted(voiced, key=lambda i: studio.presets[i].order)
    assert recorded == sorted(recorded, key=lambda i: studio.presets[i].order)
    assert all(studio.presets[i].synthesised for i in voiced)
    assert {studio.presets[i].mode for i in recorded} == {"record"}
    assert set(voiced + recorded) == set(studio.presets)
    assert picker.itemText(header) == "Thu âm bởi phát thanh viên (không có giọng máy):"
    assert not picker.model().item(header).isEnabled()
    first_recorded = header + 1
    assert not picker.itemIcon(first_recorded).isNull() and picker.itemIcon(0).isNull()
    assert picker.itemText(0) == studio.presets[voiced[0]].name_vi
    assert picker.currentData() == "vi-north-offline"
    card_picker = window_vi.editor.cards[0].preset
    assert [card_picker.itemData(i) for i in range(card_picker.count())] == ids


def test_new_segments_use_the_stations_voice(qtbot, window: MainWindow, studio: Studio) -> None:
    station = studio.repo.create_station("Đài xã Tân Lập", commune="Xã Tân Lập",
                                         default_preset="vi-south-offline")
    saved = studio.repo.save(BulletinDraft("Bản tin Tân Lập", station.id,
                                           (SegmentDraft("Xin chào.", "km-female"),)))
    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000):
        window.open_bulletin(saved.id)
    card = window.editor.add_segment()
    assert card.preset.currentData() == "vi-south-offline"
    assert card.segment().preset_id == "vi-south-offline"


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_listen_reads_one_segment_offline(qtbot, window_vi: MainWindow) -> None:
    card = window_vi.editor.cards[0]
    _use_preset(qtbot, card, "vi-north-offline")
    card.text.setPlainText("Xin chào bà con, hôm nay trời nắng.")
    listener = window_vi.editor.listener
    states: list[str] = []
    listener.state_changed.connect(lambda owner, state: owner is card and states.append(state))

    qtbot.mouseClick(card.listen, Qt.MouseButton.LeftButton)
    assert card.listen_state == PREPARING and card.listen.text() == "Đang chuẩn bị…"
    qtbot.waitUntil(lambda: listener.source is not None, timeout=30_000)
    wav = listener.source
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 20_000
    qtbot.waitUntil(lambda: PLAYING in states, timeout=10_000)
    qtbot.waitUntil(lambda: card.listen_state == IDLE, timeout=20_000)  # played to the end
    assert states == [PREPARING, PLAYING, IDLE]
    assert card.listen.text() == "Nghe thử"
    assert window_vi.banner.level != "error"

    # What was heard stays on the card as a waveform with a playhead: a click plays it on from there.
    assert card.wave is not None and card.wave.isVisible() and card.wave.path == wav
    assert card.wave.duration_ms == listener.duration_ms > 1000
    qtbot.mouseClick(card.wave, Qt.MouseButton.LeftButton, pos=QPoint(card.wave.width() // 2, 10))
    qtbot.waitUntil(lambda: listener.state == PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: card.wave.position_ms >= listener.duration_ms * 0.45, timeout=5_000)
    listener.pause_or_go_on(card)  # Space: pause
    qtbot.waitUntil(lambda: listener.state == IDLE, timeout=5_000)
    card.text.setPlainText("Xin chào bà con.")  # not what was heard any more
    assert not card.wave.isVisible()


def test_listen_pressed_twice_cancels(qtbot, window: MainWindow) -> None:
    card = window.editor.cards[3]
    listener = window.editor.listener
    qtbot.mouseClick(card.listen, Qt.MouseButton.LeftButton)
    assert card.listen_state == PREPARING
    qtbot.mouseClick(card.listen, Qt.MouseButton.LeftButton)
    assert card.listen_state == IDLE and card.listen.text() == "Listen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)
    assert listener.source is None and listener.state == IDLE  # nothing played


def test_listen_to_a_recorded_language_explains_in_vietnamese(qtbot, window_vi: MainWindow,
                                                              studio: Studio) -> None:
    card = window_vi.editor.cards[0]
    _use_preset(qtbot, card, "blt-tavt-record")
    with qtbot.waitSignal(window_vi.editor.problem, timeout=10_000):
        qtbot.mouseClick(card.listen, Qt.MouseButton.LeftButton)
    preset = studio.presets["blt-tavt-record"]
    expected = _vi("Messages", NOTHING_TO_SPEAK_RECORD).format(preset=preset.name_en, preset_vi=preset.name_vi)
    assert preset.name_vi in expected and preset.name_en not in expected
    assert window_vi.banner.level == "error" and window_vi.banner.text == expected
    assert card.listen_state == IDLE and card.listen.text() == "Nghe thử"


def test_render_notices_are_shown(qtbot, window_vi: MainWindow) -> None:
    window_vi.editor.cards[1].text.setPlainText("!!! ???")  # nothing a voice could read
    with qtbot.waitSignal(window_vi.render_finished, timeout=60_000):
        window_vi.render_action.trigger()
    expected = _vi("Messages", SKIPPED_EMPTY).format(number=2)
    assert expected.startswith("Đoạn 2")
    assert window_vi.banner.isVisible() and window_vi.banner.level == "info"
    assert expected in window_vi.banner.text.split("\n")


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_offline_fallback_is_shown_for_render_and_listen(qtbot, studio: Studio, vietnamese: None) -> None:
    from tests.edge_server import unreachable_service

    bulletin_id = studio.repo.list_bulletins()[0].id
    draft = studio.repo.load(bulletin_id)
    online = tuple(SegmentDraft(s.text, "vi-north-female" if n == 2 else s.preset_id, s.kind)
                   for n, s in enumerate(draft.segments, start=1))
    studio.repo.save(draft.with_segments(online))
    with unreachable_service():
        window = open_window(qtbot, studio, language="vi")
        with qtbot.waitSignal(window.render_finished, timeout=120_000):
            window.render_action.trigger()
        fell_back = _vi("Messages", FELL_BACK)
        assert fell_back != FELL_BACK
        assert fell_back.format(number=2) in window.banner.text.split("\n")

        window.banner.clear()
        card = window.editor.cards[1]
        with qtbot.waitSignal(window.editor.notices, timeout=60_000):
            qtbot.mouseClick(card.listen, Qt.MouseButton.LeftButton)
        assert window.banner.text == fell_back.format(number=2)  # the card's own number, not "1"
        qtbot.waitUntil(lambda: window.editor.listener.state == PLAYING, timeout=10_000)
        window.editor.listener.stop()
        window.close()


def test_marks_point_into_decomposed_text(studio: Studio) -> None:
    """Text pasted from a PDF often carries separate accents (NFD); marks still land on what was typed."""
    decomposed = unicodedata.normalize("NFD", "Kính gửi bà con xã Hòa Bình #khẩn")
    assert len(decomposed) > len(unicodedata.normalize("NFC", decomposed))
    result = analyse_segment(studio, decomposed, "vi-north-offline")
    sharp = decomposed.index("#")
    assert result.marks == (Mark(sharp, sharp + 1, UNREADABLE, "symbol"),)


def test_a_translation_is_added_marked_and_saved(qtbot, window: MainWindow, studio: Studio) -> None:
    editor = window.editor
    original = editor.cards[1]
    count = len(editor.cards)
    editor.area_presets = ("tyz-record",)  # the commune speaks Tày (the first-run wizard asked)
    original.translate.click()
    assert len(editor.cards) == count + 1
    translation = editor.cards[2]
    assert translation.version_of == original.key and translation.text.hasFocus()
    assert translation.preset.currentData() == "tyz-record"  # a translation starts in the area's language
    assert translation.translation_mark.text() == "↳ translation of segment 2"
    assert translation.translate.isHidden()  # no translation of a translation
    _type_into(qtbot, translation, "ꪒꪾꪉ ꪩꪺꪉ")

    # Another segment is marked as a translation of segment 1 in its timing panel.
    other = editor.cards[3]
    other.timing_button.setChecked(True)
    index = other.original.findData(editor.cards[0].key)
    assert index > 0 and other.original.findData(translation.key) < 0  # a translation is no original
    other.original.setCurrentIndex(index)
    other.original.activated.emit(index)
    assert other.version_of == editor.cards[0].key
    assert other.translation_mark.text() == "↳ translation of segment 1"

    window.saver.save_now()
    qtbot.waitUntil(lambda: not editor.is_dirty(), timeout=10_000)
    stored = studio.repo.load(editor.bulletin_id or 0)
    assert stored.segments[2].version_of == stored.segments[1].key
    assert stored.segments[3].version_of == stored.segments[0].key

    # Removing the original makes its translation an item of its own.
    editor.remove_segment(editor.cards[1])
    assert editor.cards[1].version_of is None and not editor.cards[1].translation_mark.isVisible()
