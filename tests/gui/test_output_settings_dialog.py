"""Output settings: an officer sees the export profile, changes it, and the next render (and launch) uses it."""

from __future__ import annotations

import contextlib
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QGroupBox, QLabel

from studio.config import (
    AUDIO_FORMAT,
    CHANNELS,
    JINGLE_GAP,
    LOUDNESS_TARGET,
    MP3_BITRATE,
    SAMPLE_RATE,
    SEGMENT_GAP,
    TRUE_PEAK_LIMIT,
    VOICE_PROCESSING,
)
from studio.paths import StudioPaths
from studio.services import Studio
from studio.ui.output_settings_dialog import OutputSettingsDialog
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated


def open_dialog(qtbot, studio: Studio) -> OutputSettingsDialog:
    dialog = OutputSettingsDialog(studio)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)


def settings_file(paths: StudioPaths) -> dict:
    path = paths.config / "settings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_shows_the_current_settings_within_their_limits(qtbot, studio: Studio) -> None:
    studio.settings.set(MP3_BITRATE, 96)
    studio.settings.set(SAMPLE_RATE, 48000)
    studio.settings.set(LOUDNESS_TARGET, -14.5)
    studio.settings.set(SEGMENT_GAP, 1.2)
    studio.settings.set(VOICE_PROCESSING, "neutral")
    dialog = open_dialog(qtbot, studio)

    assert dialog.format_combo.currentData() == "mp3" and dialog.format_combo.currentText() == "MP3"
    assert dialog.bitrate_combo.currentData() == 96 and dialog.bitrate_combo.isEnabled()
    assert dialog.sample_rate_combo.currentData() == 48000
    assert dialog.channels_combo.currentText() == "Mono"
    assert dialog.loudness_spin.value() == -14.5 and dialog.peak_spin.value() == -1.0
    assert (dialog.segment_gap_spin.value(), dialog.jingle_gap_spin.value()) == (1.2, 0.4)
    assert dialog.voice_buttons["neutral"].isChecked() and not dialog.voice_buttons["horn"].isChecked()
    # only what the settings accept is offered
    assert [dialog.bitrate_combo.itemData(i) for i in range(dialog.bitrate_combo.count())] == [64, 96, 128, 192]
    assert [dialog.sample_rate_combo.itemData(i) for i in range(dialog.sample_rate_combo.count())] == [
        22050, 44100, 48000]
    assert (dialog.loudness_spin.minimum(), dialog.loudness_spin.maximum()) == (-31.0, -9.0)
    assert (dialog.peak_spin.minimum(), dialog.peak_spin.maximum()) == (-9.0, 0.0)
    assert (dialog.jingle_gap_spin.minimum(), dialog.jingle_gap_spin.maximum()) == (0.0, 10.0)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert "Loudness target (LUFS):" in texts and "Pause between segments (seconds):" in texts  # the settings' own
    assert "Voice processing (horn loudspeakers or neutral)" in {box.title() for box in dialog.findChildren(QGroupBox)}
    assert "−16 is the station default; higher is louder." in texts
    assert "MP3 is compressed: about 0.7 MB per minute." in texts
    assert "out of date" in dialog.note.text() and dialog.note.isVisible()


def test_wav_disables_the_bit_rate_and_says_how_large(qtbot, studio: Studio) -> None:
    dialog = open_dialog(qtbot, studio)
    assert dialog.bitrate_combo.isEnabled()
    choose(dialog.format_combo, "wav")
    assert not dialog.bitrate_combo.isEnabled()
    assert dialog.size_note.text() == "WAV is uncompressed: about 5 MB per minute in mono."
    choose(dialog.channels_combo, 2)
    assert dialog.size_note.text() == "WAV is uncompressed: about 11 MB per minute in stereo."
    choose(dialog.format_combo, "mp3")
    assert dialog.bitrate_combo.isEnabled()
    assert dialog.size_note.text() == "MP3 is compressed: about 1 MB per minute."


def test_ok_writes_the_profile_the_next_render_and_launch_use(qtbot, studio: Studio,
                                                              studio_paths: StudioPaths) -> None:
    before = studio.profile()
    dialog = open_dialog(qtbot, studio)
    choose(dialog.format_combo, "wav")
    choose(dialog.sample_rate_combo, 48000)
    choose(dialog.channels_combo, 2)
    dialog.loudness_spin.setValue(-14.0)
    dialog.peak_spin.setValue(-2.0)
    dialog.voice_buttons["neutral"].setChecked(True)
    dialog.segment_gap_spin.setValue(1.5)
    dialog.jingle_gap_spin.setValue(0.0)
    with qtbot.waitSignal(dialog.changed, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    profile = studio.profile()
    assert (profile.container, profile.sample_rate, profile.channels) == ("wav", 48000, 2)
    assert (profile.loudness_target, profile.true_peak_ceiling, profile.voice_processing) == (-14.0, -2.0, "neutral")
    assert (profile.segment_gap, profile.jingle_gap) == (1.5, 0.0)
    assert profile.suffix == ".wav" and profile.name == "wav-16bit-stereo-48000"
    assert profile.fingerprint_fields() != before.fingerprint_fields()  # older audio files are now out of date

    reopened = Studio.open(studio_paths)  # the next launch reads the same settings.json
    try:
        again = reopened.profile()
        assert (again.container, again.sample_rate, again.channels, again.loudness_target) == ("wav", 48000, 2, -14.0)
    finally:
        reopened.close()
    stored = settings_file(studio_paths)
    assert stored[AUDIO_FORMAT.key] == "wav" and stored[CHANNELS.key] == 2
    assert MP3_BITRATE.key not in stored  # untouched fields are not written


def test_cancel_writes_nothing(qtbot, studio: Studio, studio_paths: StudioPaths) -> None:
    studio.settings.set(SEGMENT_GAP, 0.9)
    before_file = (studio_paths.config / "settings.json").read_bytes()
    before = studio.profile()
    dialog = open_dialog(qtbot, studio)
    choose(dialog.format_combo, "wav")
    choose(dialog.bitrate_combo, 64)
    dialog.loudness_spin.setValue(-20.0)
    dialog.segment_gap_spin.setValue(3.0)
    with qtbot.assertNotEmitted(dialog.changed):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert studio.profile() == before
    assert (studio_paths.config / "settings.json").read_bytes() == before_file


def test_ok_without_changes_writes_nothing(qtbot, studio: Studio, studio_paths: StudioPaths) -> None:
    dialog = open_dialog(qtbot, studio)
    with qtbot.assertNotEmitted(dialog.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not (studio_paths.config / "settings.json").exists()


def test_hand_edited_invalid_values_show_the_defaults(qtbot, studio_paths: StudioPaths) -> None:
    (studio_paths.config / "settings.json").write_text(json.dumps({
        MP3_BITRATE.key: 100, SAMPLE_RATE.key: "fast", CHANNELS.key: 6, LOUDNESS_TARGET.key: -3,
        TRUE_PEAK_LIMIT.key: None, SEGMENT_GAP.key: -1, JINGLE_GAP.key: "0,5", VOICE_PROCESSING.key: "loud",
        AUDIO_FORMAT.key: "ogg", "some.future.key": [1, 2],
    }), encoding="utf-8")
    studio = Studio.open(studio_paths)
    try:
        assert len(studio.settings.problems) == 9
        dialog = open_dialog(qtbot, studio)
        assert dialog.values() == {setting: setting.default for setting in dialog.values()}
        assert dialog.bitrate_combo.currentText() == "128"
        assert dialog.voice_buttons["horn"].isChecked()

        dialog.segment_gap_spin.setValue(2.0)  # the officer changes one thing: only that is written
        with qtbot.waitSignal(dialog.changed, timeout=1000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        stored = settings_file(studio_paths)
        assert stored[SEGMENT_GAP.key] == 2.0 and studio.profile().segment_gap == 2.0
        assert stored["some.future.key"] == [1, 2]  # what a newer version wrote is kept
        assert studio.profile().bitrate_kbps == 128
    finally:
        studio.close()


def test_station_defaults_button_fills_in_the_defaults(qtbot, studio: Studio) -> None:
    studio.settings.set(AUDIO_FORMAT, "wav")
    studio.settings.set(LOUDNESS_TARGET, -20.0)
    dialog = open_dialog(qtbot, studio)
    assert not dialog.bitrate_combo.isEnabled()
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.format_combo.currentData() == "mp3" and dialog.bitrate_combo.isEnabled()
    assert dialog.loudness_spin.value() == -16.0
    assert studio.settings.get(AUDIO_FORMAT) == "wav"  # nothing written before OK
    with qtbot.waitSignal(dialog.changed, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert studio.profile().container == "mp3" and studio.profile().loudness_target == -16.0


def test_a_failed_write_is_shown_and_the_dialog_stays_open(qtbot, studio: Studio,
                                                            studio_paths: StudioPaths) -> None:
    config = studio_paths.config
    config.rmdir()  # nothing is in it yet: a plain file where the folder should be cannot be written into
    config.write_text("not a folder", encoding="utf-8")
    before = studio.profile()
    dialog = open_dialog(qtbot, studio)
    choose(dialog.format_combo, "wav")
    dialog.loudness_spin.setValue(-12.0)
    with qtbot.assertNotEmitted(dialog.changed), qtbot.waitSignal(dialog.problem, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text().startswith(f"The studio cannot write to {config}")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert clipped(dialog) == []
    assert studio.profile() == before  # the next render does not use what could not be saved
    assert dialog.format_combo.currentData() == "wav"  # what the officer chose stays, to try again

    config.unlink()  # the folder is back: OK now saves
    with qtbot.waitSignal(dialog.changed, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isHidden() and dialog.result() == QDialog.DialogCode.Accepted
    assert settings_file(studio_paths)[AUDIO_FORMAT.key] == "wav" and studio.profile().loudness_target == -12.0


def fits(qtbot, dialog: OutputSettingsDialog) -> list[str]:
    """What is cut off once the layout has taken in the latest texts (it settles over a few events)."""
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: clipped(dialog) == [], timeout=2000)
    return clipped(dialog)


@pytest.mark.parametrize(("container", "channels"), [("mp3", 1), ("wav", 1), ("wav", 2)])
def test_texts_fit_when_translated(qtbot, qapp: QApplication, studio: Studio, container: str, channels: int) -> None:
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, studio)
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        choose(dialog.format_combo, container)
        choose(dialog.channels_combo, channels)
        assert untranslated(dialog) == []
        assert fits(qtbot, dialog) == []
        assert dialog.height() < 760 and dialog.width() < 1366  # fits on the commune's 1366×768 screen


def test_window_grows_when_the_file_size_note_needs_another_line(qtbot, qapp: QApplication, studio: Studio) -> None:
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, studio)
        full = dialog.height()
        dialog.resize(dialog.width(), dialog.minimumHeight())  # the officer made it too short
        assert clipped(dialog) != []
        choose(dialog.format_combo, "wav")
        qtbot.waitUntil(lambda: dialog.height() >= full, timeout=2000)
        assert fits(qtbot, dialog) == []
