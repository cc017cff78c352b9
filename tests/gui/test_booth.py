"""The recording booth driven the way an officer uses it, recording for real from the test microphone.

The session's private PulseAudio daemon has a pipe source as its microphone (``tests/pulse.py``); the test
plays tones into it, presses the booth's keys, and checks what lands in the library and in the rendered
programme with numpy, not with the studio's own code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
import numpy.typing as npt
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaDevices

from studio.bulletin import SegmentDraft
from studio.config import RECORDING_COUNT_IN, RECORDING_DEVICE
from studio.programme import LayoutItem
from studio.services import Studio
from studio.speech.takes import TAKE_NOT_AUDIO
from studio.ui.booth import COUNTING, IDLE, RECORDING, TAKE_RECOVERED, BoothDialog, booth_folder
from studio.ui.library import local_time_text
from studio.ui.main_window import MainWindow
from studio.ui.phrase_bank import PhraseBankDialog
from studio.ui.recorder import MICROPHONE_LOST, MICROPHONE_UNAVAILABLE, NO_MICROPHONE, device_key
from studio.workflow.accounts import Role
from tests.gui.conftest import open_window
from tests.pulse import MICROPHONE, RATE, private_daemon, sine

pytestmark = [pytest.mark.slow, pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) pipewire")]
PASSWORD = "mật khẩu đủ dài"
ROOT = Path(__file__).resolve().parents[2]
RECORD_PRESET = "twh-tavt-record"  # Thái (Tai Dam): no voice, an announcer records it
STEP_MS = 60  # the count-in's beat in these tests (an officer gets a second per number)


@pytest.fixture
def people(studio: Studio) -> Iterator[None]:
    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    studio.reviews.create_user("lan", PASSWORD, Role.OFFICER, display_name="Lò Thị Lan", actor=admin)
    studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, display_name="Cầm Văn Hùng", actor=admin)
    studio.login("lan", PASSWORD)
    yield


@pytest.fixture
def officer_window(qtbot, studio: Studio, people: None) -> Iterator[MainWindow]:
    main = open_window(qtbot, studio)
    yield main
    if main.booth is not None:
        main.booth.close()
    main.close()
    main.runner.shutdown()


def decode_mono(path: Path, rate: int = RATE) -> npt.NDArray[np.float64]:
    """Any audio file as mono float samples, through ffmpeg itself."""
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(rate), "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def dominant_frequency(samples: npt.NDArray[np.float64], rate: int = RATE) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum[1:]) + 1) * rate / samples.size


def rms_db(samples: npt.NDArray[np.float64]) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples * samples)) + 1e-12))


def open_booth(qtbot, window: MainWindow, number: int) -> BoothDialog:
    card = window.editor.cards[number - 1]
    card.record.click()
    qtbot.waitUntil(lambda: window.booth is not None and window.booth.isVisible(), timeout=10_000)
    booth = window.booth
    assert booth is not None
    booth.activateWindow()  # the offscreen platform does not activate new windows by itself
    qtbot.waitUntil(booth.isActiveWindow, timeout=5000)
    booth.count_in_step_ms = STEP_MS
    return booth


def render_segment(qtbot, window: MainWindow, studio: Studio,
                   number: int) -> tuple[LayoutItem, npt.NDArray[np.float64]]:
    """Save, render, and return segment ``number``'s place in the programme and its sound (edges left out)."""
    qtbot.waitUntil(lambda: not window.editor.is_dirty(), timeout=10_000)
    with qtbot.waitSignal(window.render_finished, timeout=120_000) as rendered:
        window.render_action.trigger()
    info = rendered.args[0]
    layout = studio.layout_of(info)
    assert layout is not None
    item = next(i for i in layout.items if i.kind == "speech" and i.number == number)
    audio = decode_mono(studio.render_file(info))
    return item, audio[int((item.start + 0.3) * RATE):int((item.end - 0.3) * RATE)]


def record_take(qtbot, booth: BoothDialog, seconds: float, *, key: Any = Qt.Key.Key_Space) -> None:
    """Press ``key`` (record), live through the count-in, read for ``seconds``, press Space (stop)."""
    takes_before = len(booth.takes)
    states: list[str] = []
    booth.state_changed.connect(states.append)
    qtbot.keyClick(booth, key)
    qtbot.waitUntil(lambda: booth.state == RECORDING, timeout=5000)
    assert states[:2] == ([COUNTING, RECORDING] if booth.count_in.isChecked() else [RECORDING])
    qtbot.waitUntil(lambda: booth.recorder.elapsed_s >= seconds, timeout=int(seconds * 1000) + 5000)
    qtbot.keyClick(booth, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: booth.state == IDLE and booth.keeping == 0 and len(booth.takes) == takes_before + 1,
                    timeout=20_000)
    booth.state_changed.disconnect(states.append)


def test_record_retake_choose_and_render_a_segment(qtbot, officer_window: MainWindow, studio: Studio,
                                                   mic: Any) -> None:
    window = officer_window
    booth = open_booth(qtbot, window, 2)
    card = window.editor.cards[1]
    assert booth.subject.text == card.text.toPlainText() and booth.prompter.toPlainText() == booth.subject.text
    assert booth.isModal() or booth.windowModality() == Qt.WindowModality.WindowModal

    # The microphone is listed and chosen; the choice is remembered on this PC.
    ids = [booth.device.itemData(i) for i in range(booth.device.count())]
    assert MICROPHONE in ids or "" in ids
    booth.select_device(MICROPHONE if MICROPHONE in ids else "")
    assert studio.settings.get(RECORDING_DEVICE) == (MICROPHONE if MICROPHONE in ids else "")

    # First take: a 440 Hz tone at -12 dBFS, after a 3-2-1 count-in.
    counted: list[str] = []
    booth.state_changed.connect(lambda _state: counted.append(booth.status.text()))
    mic.hold(sine(440, -12.0, 1.0))
    record_take(qtbot, booth, 1.5)
    assert "3" in counted[0]
    assert -16 < booth.meter.rms_dbfs < -13 and -13.5 < booth.meter.peak_dbfs < -10.5
    assert not booth.meter.clip_lit
    first = booth.takes[0]
    assert first.source == "booth" and 1.2 <= first.duration_ms / 1000 <= 2.2
    assert booth.chosen == first.sha256 and card.take == first.sha256  # the first take is used at once
    assert not list(booth_folder(studio).glob("*.wav"))  # in the library now, not left in the booth folder

    # Second take 660 Hz, then "R" while recording: the 660 Hz take is kept and a third starts at once.
    mic.hold(sine(660, -12.0, 1.0))
    qtbot.keyClick(booth, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: booth.state == RECORDING and booth.recorder.elapsed_s >= 1.2, timeout=8000)
    mic.hold(sine(880, -12.0, 1.0))
    qtbot.keyClick(booth, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: booth.state == RECORDING and booth.recorder.elapsed_s >= 1.2, timeout=8000)
    qtbot.keyClick(booth, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: booth.state == IDLE and booth.keeping == 0 and len(booth.takes) == 3, timeout=20_000)
    assert booth.take_list.topLevelItemCount() == 3
    frequencies = [dominant_frequency(decode_mono(studio.media.path(t.relpath))) for t in booth.takes]
    assert [round(f / 10) * 10 for f in frequencies] == [880, 660, 440]  # newest first
    assert booth.chosen == first.sha256  # later takes wait to be chosen

    # Listen to the 660 Hz take, then use it (U).
    second = booth.takes[1]
    booth.select_take(second.sha256)
    qtbot.waitUntil(lambda: booth.wave.peaks is not None, timeout=10_000)  # its waveform, under the list
    assert booth.wave.duration_ms == second.duration_ms
    qtbot.keyClick(booth, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: booth.playing is not None, timeout=5000)
    qtbot.mouseClick(booth.wave, Qt.MouseButton.LeftButton, pos=QPoint(booth.wave.width() // 2, 10))
    qtbot.waitUntil(lambda: booth.wave.position_ms >= second.duration_ms * 0.45, timeout=5000)  # from the middle
    qtbot.keyClick(booth, Qt.Key.Key_U)
    assert card.take == second.sha256
    assert booth.take_list.topLevelItem(1).text(0) == "★"
    qtbot.keyClick(booth, Qt.Key.Key_Escape)
    assert not booth.isVisible()

    # The bulletin plays the chosen take where segment 2 stands.
    item, middle = render_segment(qtbot, window, studio, 2)
    assert abs(dominant_frequency(middle) - 660) < 10
    assert abs(item.duration - second.duration_ms / 1000) < 0.1
    stored = studio.repo.load(window.editor.bulletin_id or 0)
    assert stored.segments[1].take == second.sha256


def test_a_phrase_is_recorded_approved_by_a_reviewer_and_inserted(qtbot, officer_window: MainWindow, studio: Studio,
                                                                   mic: Any) -> None:
    window = officer_window
    window.phrase_action.trigger()
    bank = window.dialogs["phrases"]
    assert isinstance(bank, PhraseBankDialog)
    qtbot.waitUntil(lambda: bank.current is None and bank.list.count() == 0, timeout=5000)
    bank.new_button.click()
    bank.name.setText("Giới thiệu đài (Thái)")
    bank.preset.setCurrentIndex(bank.preset.findData(RECORD_PRESET))
    bank.text.setPlainText("ꪒꪾꪉ ꪩꪺꪉ ꪕꪱꪉ")
    bank.gloss.setPlainText("Đây là Đài truyền thanh xã")
    assert not bank.approve_button.isVisible()  # an officer records; a reviewer approves
    bank.record_button.click()  # saves the new phrase first
    qtbot.waitUntil(lambda: bank.booth is not None and bank.booth.isVisible(), timeout=10_000)
    booth = bank.booth
    assert booth is not None and booth.subject.phrase_id is not None
    booth.count_in_step_ms = STEP_MS
    booth.count_in.setChecked(False)  # remembered: the next booth starts at once too
    assert studio.settings.get(RECORDING_COUNT_IN) is False

    mic.hold(sine(523, -12.0, 1.0))
    record_take(qtbot, booth, 1.2, key=Qt.Key.Key_R)  # R from idle records too
    take = booth.takes[0]
    qtbot.waitUntil(lambda: bank.current is not None and bank.current.take_sha256 == take.sha256, timeout=5000)
    booth.close()
    assert "reviewer" in bank.state.text()
    assert not bank.insert_button.isEnabled()  # not approved: it cannot go into a bulletin

    # The reviewer listens, then approves.
    studio.login("hung", PASSWORD)
    bank._update_buttons()
    assert bank.approve_button.isVisible() and not bank.approve_button.isEnabled()  # not heard yet
    bank.listen_button.click()
    assert bank.approve_button.isEnabled()
    bank.approve_button.click()
    qtbot.waitUntil(lambda: bank.current is not None and bank.current.approved, timeout=5000)
    assert "Cầm Văn Hùng" in bank.state.text()

    # The officer inserts it after segment 1.
    studio.login("lan", PASSWORD)
    window.editor.cards[0].text.setFocus()
    count = len(window.editor.cards)
    bank.insert_button.click()
    assert len(window.editor.cards) == count + 1
    inserted = window.editor.cards[1].segment()
    assert (inserted.take, inserted.source, inserted.preset_id) == (take.sha256, "phrase", RECORD_PRESET)
    _item, middle = render_segment(qtbot, window, studio, 2)
    assert abs(dominant_frequency(middle) - 523) < 10


def test_imports_refuse_a_corrupt_file_and_keep_a_good_one(qtbot, officer_window: MainWindow, studio: Studio,
                                                           tmp_path: Path) -> None:
    booth = open_booth(qtbot, officer_window, 1)
    document = tmp_path / "ban-tin.mp3"
    document.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 64)  # a document renamed by mistake
    booth.import_file(document)
    qtbot.waitUntil(lambda: booth.keeping == 0 and booth.banner.text != "", timeout=10_000)
    assert booth.banner.level == "error"
    assert booth.banner.text.startswith(TAKE_NOT_AUDIO.format(name=document.name))
    assert booth.takes == [] and document.exists()  # nothing added; the officer's file untouched

    phone = tmp_path / "dien-thoai.m4a"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "sine=frequency=330:duration=2:sample_rate=44100", "-c:a", "aac", str(phone)], check=True)
    booth.import_file(phone)
    qtbot.waitUntil(lambda: len(booth.takes) == 1, timeout=20_000)
    take = booth.takes[0]
    assert take.source == "import" and "imported" in booth.take_list.topLevelItem(0).text(5)
    assert abs(dominant_frequency(decode_mono(studio.media.path(take.relpath))) - 330) < 5
    assert phone.exists() and officer_window.editor.cards[0].take == take.sha256

    # Cleaned again with noise reduction: a new take from the same original recording.
    booth.denoise.setChecked(True)
    booth.select_take(take.sha256)
    booth.reclean_button.click()
    qtbot.waitUntil(lambda: len(booth.takes) == 2, timeout=30_000)
    again = booth.takes[0]
    assert again.raw_sha256 == take.raw_sha256 and again.cleanup["denoise"] is True
    assert "noise reduced" in booth.take_list.topLevelItem(0).text(5)


def test_a_take_left_behind_by_a_crash_is_recovered(qtbot, officer_window: MainWindow, studio: Studio,
                                                    tmp_path: Path) -> None:
    window = officer_window
    card = window.editor.cards[2]
    from studio.ui.booth import BoothSubject

    stem = BoothSubject("", "", "", bulletin_id=window.editor.bulletin_id, segment_key=card.key).file_stem
    folder = booth_folder(studio)
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / f"{stem}20261122-101500-000000.wav"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "sine=frequency=500:duration=2:sample_rate=48000", "-c:a", "pcm_s16le", str(left)], check=True)
    silent = folder / f"{stem}20261122-101600-000000.wav"  # pressed Space twice by mistake: nothing to keep
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "anullsrc=r=48000:cl=mono", "-t", "1", "-c:a", "pcm_s16le", str(silent)], check=True)
    recorded_at = datetime(2026, 11, 22, 3, 15, tzinfo=UTC)  # 10:15 in Hanoi
    os.utime(left, (recorded_at.timestamp(), recorded_at.timestamp()))
    booth = open_booth(qtbot, window, 3)
    qtbot.waitUntil(lambda: len(booth.takes) == 1 and booth.keeping == 0, timeout=20_000)
    assert booth.banner.text == TAKE_RECOVERED.format(when=local_time_text(recorded_at))  # the silent one: no word
    assert not left.exists() and not silent.exists()
    assert abs(dominant_frequency(decode_mono(studio.media.path(booth.takes[0].relpath))) - 500) < 5


BOOTH_WITHOUT_MICROPHONE = """
import json, subprocess, sys
from pathlib import Path
import imageio_ffmpeg
from PySide6.QtWidgets import QApplication
from studio.paths import StudioPaths
from studio.programme import LayoutItem
from studio.services import Studio
from studio.ui.booth import BoothDialog, BoothSubject
from studio.ui.tasks import TaskRunner

app = QApplication([])
home = Path(sys.argv[1])
studio = Studio.open(StudioPaths.under(home))
draft = studio.create_demo()
runner = TaskRunner()
booth = BoothDialog(studio, runner, BoothSubject("Segment 1", draft.segments[0].text, draft.segments[0].preset_id,
                                                 bulletin_id=draft.id, segment_key=draft.segments[0].key))
booth.show()
booth.count_in.setChecked(False)
booth.record()
report = {"devices": booth.device.count(), "picker_enabled": booth.device.isEnabled(),
          "explained": booth.no_device.text() if booth.no_device.isVisible() else "",
          "state": booth.state, "banner": booth.banner.text, "import_enabled": booth.import_button.isEnabled()}
phone = home / "phone.wav"
subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=330:duration=2", str(phone)], check=True)
booth.import_file(phone)
deadline = 200
while not booth.takes and deadline:
    app.processEvents()
    import time; time.sleep(0.1); deadline -= 1
report["imported"] = len(booth.takes)
runner.shutdown()
studio.close()
print(json.dumps(report))
"""


def test_without_a_microphone_the_booth_says_so_and_imports_still_work(request: pytest.FixtureRequest,
                                                                       tmp_path: Path) -> None:
    """In a process of its own, against a sound server with no microphone at all (Qt talks to one sound
    server per process, and does not notice a PulseAudio source going away)."""
    request.getfixturevalue("pulseaudio")
    with private_daemon(microphone=False) as bare:
        env = {**os.environ, **bare.client_env, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([sys.executable, "-c", BOOTH_WITHOUT_MICROPHONE, str(tmp_path)], capture_output=True,
                                text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["devices"] == 0 and not report["picker_enabled"]
    assert report["explained"].startswith("No microphone is connected")
    assert report["state"] == IDLE and report["banner"].startswith(NO_MICROPHONE)
    assert report["import_enabled"] and report["imported"] == 1


@pytest.mark.qt_log_ignore("Stream failed to connect", "pipewire")
def test_a_microphone_unplugged_while_the_booth_is_open(qtbot, officer_window: MainWindow, pulseaudio: Any,
                                                        mic: Any) -> None:
    """PulseAudio tells Qt nothing when a source goes away: Record then fails with a clear message, or the
    take ends by itself on the dead air, and the booth records again once the microphone is back."""
    booth = open_booth(qtbot, officer_window, 1)
    booth.count_in.setChecked(False)
    pulseaudio.remove_microphone()
    qtbot.keyClick(booth, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: booth.state == IDLE and booth.keeping == 0 and booth.banner.text != "", timeout=15_000)
    assert booth.banner.level == "error"
    assert any(booth.banner.text.startswith(text.split("“")[0]) for text in (NO_MICROPHONE, MICROPHONE_UNAVAILABLE,
                                                                             MICROPHONE_LOST)), booth.banner.text
    pulseaudio.add_microphone()
    mic.hold(sine(440, -12.0, 1.0))
    qtbot.waitUntil(lambda: device_key(QMediaDevices.defaultAudioInput()) == MICROPHONE, timeout=5000)
    record_take(qtbot, booth, 1.0)
    assert booth.takes and booth.takes[0].duration_ms >= 900


def test_the_segment_is_inserted_where_the_officer_is_writing(qtbot, officer_window: MainWindow) -> None:
    editor = officer_window.editor
    editor.cards[0].text.setFocus()
    card = editor.insert_segment(SegmentDraft("Xin chào", "vi-north-edge", "greeting"))
    assert card is editor.cards[1]

