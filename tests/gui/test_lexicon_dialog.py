"""The station's pronunciation rules: edit, check, try on a sample, listen, save — and renders use them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from studio.bulletin import SegmentDraft
from studio.services import Studio
from studio.text.lexicon import load_lexicon
from studio.text.lexicon_rules import Rule
from studio.ui.i18n import load_catalogue
from studio.ui.lexicon_dialog import KIND, REPLACEMENT, SOURCE, LexiconDialog
from studio.ui.listen import IDLE, PLAYING, PREPARING
from studio.ui.main_window import MainWindow
from tests.gui.conftest import NO_SOUND_SERVER

SAMPLE = "Huyện Krông Pắc, thôn 5 có 12 hộ."
REGEX = r"thôn (\d+)"


def _open(qtbot, window: MainWindow) -> LexiconDialog:
    window.lexicon_action.trigger()
    dialog = window.lexicon_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    return dialog


def _add(dialog: LexiconDialog, source: str, replacement: str, kind: str = "word") -> int:
    """Type a rule into a new row, as the officer does (edit the cells, pick the kind)."""
    row = dialog.add_rule()
    dialog.table.item(row, SOURCE).setText(source)
    dialog.table.item(row, REPLACEMENT).setText(replacement)
    combo = dialog.table.cellWidget(row, KIND)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(kind))
    return row


def _save(qtbot, dialog: LexiconDialog) -> None:
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.dirty and not dialog.save_button.isEnabled()


def test_saved_rules_are_written_reloaded_and_used(qtbot, window: MainWindow, studio: Studio) -> None:
    path = studio.paths.config / "lexicon.tsv"
    segment = SegmentDraft(SAMPLE, studio.station().default_preset)
    assert "Krông Pắk" not in studio.prepare(segment).spoken_text
    dialog = _open(qtbot, window)
    assert dialog.table.rowCount() == 0 and not path.exists()
    _add(dialog, "Krông Pắc", "Krông Pắk")
    _add(dialog, REGEX, r"thôn số \1", "regex")
    assert [dialog.check_text(row) for row in range(2)] == ["", ""]
    _save(qtbot, dialog)

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and "chữ viết<TAB>cách đọc" in text and "source<TAB>replacement" in text
    rule_lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert rule_lines == ["Krông Pắc\tKrông Pắk", "thôn (\\d+)\tthôn số \\1\tregex"]
    loaded = load_lexicon(path)
    assert loaded.issues == ()
    assert [(r.source, r.replacement, r.kind, r.ignore_case) for r in loaded.lexicon.rules] == [
        (r.source, r.replacement, r.kind, r.ignore_case)
        for r in (Rule.word("Krông Pắc", "Krông Pắk"), Rule.regex(REGEX, r"thôn số \1"))]

    # The studio reloaded its lexicons: the next preview and render say the new forms.
    assert studio.lexicons.station is not None and len(studio.lexicons.station) == 2
    spoken = studio.prepare(segment).spoken_text
    assert "Krông Pắk" in spoken and "thôn số năm" in spoken
    # Opened again, the dialog shows what was saved.
    dialog.reject()
    reopened = _open(qtbot, window)
    assert reopened is not dialog
    assert [reopened.rule_row(row) for row in range(reopened.table.rowCount())] == [
        ("Krông Pắc", "Krông Pắk", "word"), (REGEX, r"thôn số \1", "regex")]
    assert not reopened.dirty


def test_bad_regex_is_flagged_in_its_row_and_the_rest_still_saves(qtbot, window: MainWindow,
                                                                  studio: Studio) -> None:
    dialog = _open(qtbot, window)
    good = _add(dialog, "Krông Pắc", "Krông Pắk")
    slow = _add(dialog, "(a+)+", "a", "regex")
    broken = _add(dialog, "([", "x", "regex")
    assert dialog.check_text(good) == ""
    assert "hang" in dialog.check_text(slow)
    assert "repeats a group" in dialog.table.item(slow, 3).toolTip()  # the loader's own words
    assert dialog.check_text(broken) == "Not a valid regular expression."
    _save(qtbot, dialog)

    text = (studio.paths.config / "lexicon.tsv").read_text(encoding="utf-8")
    assert "(a+)+\ta\tregex" in text and "([\tx\tregex" in text  # kept in the file, to be fixed later
    assert studio.lexicons.station is not None
    assert [r.source for r in studio.lexicons.station.rules] == ["Krông Pắc"]
    assert len(studio.lexicons.issues) == 2
    # Fixing the row clears its flag.
    dialog.table.item(slow, SOURCE).setText("a+")
    dialog.table.item(slow, REPLACEMENT).setText("a")
    assert dialog.check_text(slow) == "" and dialog.dirty


def test_preview_shows_the_rules_and_the_spoken_form_before_saving(qtbot, window: MainWindow,
                                                                   studio: Studio) -> None:
    dialog = _open(qtbot, window)
    _add(dialog, "Krông Pắc", "Krông Pắk")
    _add(dialog, REGEX, r"thôn số \1", "regex")
    dialog.sample.setText(SAMPLE)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.applied.text() == "Huyện Krông Pắk, thôn số 5 có 12 hộ."
    assert dialog.spoken.text() == "Huyện Krông Pắk, thôn số năm có mười hai hộ."
    assert not (studio.paths.config / "lexicon.tsv").exists()  # tried, not saved
    assert studio.lexicons.station is None or len(studio.lexicons.station) == 0


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_listen_reads_the_sample_with_an_offline_voice(qtbot, window: MainWindow,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _open(qtbot, window)
    assert dialog.preset_id == "vi-north-offline"
    _add(dialog, "Krông Pắc", "Krông Pắk")
    dialog.sample.setText(SAMPLE)
    listener = dialog.listener
    qtbot.mouseClick(dialog.listen_button, Qt.MouseButton.LeftButton)
    assert dialog.listen_button.text() == "Preparing…"
    qtbot.waitUntil(lambda: listener.source is not None, timeout=30_000)
    wav = listener.source
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 20_000
    qtbot.waitUntil(lambda: listener.state == PLAYING, timeout=10_000)
    assert dialog.listen_button.text() == "Stop"
    assert dialog.message.isHidden()

    # One sound at a time: listening to a segment of the bulletin stops the sample.
    qtbot.mouseClick(window.editor.cards[0].listen, Qt.MouseButton.LeftButton)
    assert listener.state == IDLE and dialog.listen_button.text() == "Listen"
    assert window.editor.listener.state == PREPARING

    asked: list[bool] = []
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(True) or False)
    dialog.reject()  # unsaved rule: asks first
    assert asked == [True] and dialog.isVisible()


def test_dialog_speaks_vietnamese(qtbot, window_vi: MainWindow) -> None:
    tr = load_catalogue("vi")
    assert tr is not None
    assert window_vi.lexicon_action.text() == "Quy tắc phát âm…"
    dialog = _open(qtbot, window_vi)
    assert dialog.windowTitle() == "Quy tắc phát âm"
    assert dialog.preview_button.text() == "Xem trước" and dialog.listen_button.text() == "Nghe thử"
    assert dialog.save_button.text() == "Lưu"
    row = _add(dialog, "([", "x", "regex")
    expected = tr("LexiconDialog", "Not a valid regular expression.")
    assert expected != "Not a valid regular expression." and dialog.check_text(row) == expected
    slow = _add(dialog, "(a+)+", "a", "regex")
    assert "treo" in dialog.check_text(slow)
    dialog.dirty = False
    dialog.reject()
