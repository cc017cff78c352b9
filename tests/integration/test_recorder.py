"""Recording for real: the recorder against a PulseAudio daemon whose microphone the test speaks into.

The session's private daemon (``tests/pulse.py``, started by ``conftest.pulse_daemon``) has a pipe source
as its default microphone; :class:`~tests.pulse.Microphone` feeds it in real time. Files are checked with
Python's own ``wave`` module and numpy, not with the recorder's code; the studio's decoder is checked to
read what a crash would leave.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PySide6.QtCore import QTimer
from scipy.signal import correlate, resample_poly

from studio.audio.codec import decode
from studio.config import RECORDING_DEVICE, Settings
from studio.messages import DISK_FULL, StudioError
from studio.speech.engine import VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.ui.recorder import (
    DEAD_AIR_S,
    MICROPHONE_LOST,
    NO_MICROPHONE,
    NO_MICROPHONE_HINT,
    STALL_TIMEOUT_S,
    LevelMeter,
    Recorder,
    TakeInfo,
    to_mono_int16,
)
from tests.pulse import MICROPHONE, RATE, Microphone, PulseServer, private_daemon, sine, square, to_int16

ROOT = Path(__file__).resolve().parents[2]
# QtMultimedia looks for PipeWire before PulseAudio, and says so when it first loads in this process.
pytestmark = pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) pipewire")

TONE_DBFS = -12.0
SINE_RMS_DB = -3.01  # a sine's RMS sits 3 dB under its peak


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def recorder(qtbot, mic: Microphone) -> Iterator[Recorder]:
    rec = Recorder(Settings(None))
    yield rec
    if rec.is_recording:
        rec.stop()
    rec.deleteLater()


@pytest.fixture
def readings(recorder: Recorder) -> list[tuple[float, float, bool]]:
    """The level meter's readings: (peak dBFS, RMS dBFS, clipped)."""
    seen: list[tuple[float, float, bool]] = []
    recorder.levels.connect(lambda peak, rms, clipped: seen.append((peak, rms, clipped)))
    return seen


@pytest.fixture
def ended(recorder: Recorder) -> list[object]:
    """What the recorder said when a take ended by itself: [TakeInfo, StudioError]."""
    seen: list[object] = []
    recorder.stopped.connect(seen.append)
    recorder.failed.connect(seen.append)
    return seen


def record(qtbot, recorder: Recorder, path: Path, seconds: float) -> TakeInfo:
    with qtbot.waitSignal(recorder.stopped, timeout=5000):
        recorder.start(path)
        qtbot.waitUntil(lambda: recorder.elapsed_s >= seconds, timeout=int(seconds * 1000) + 5000)
        take = recorder.stop()
    return take


# -- independent measurements ------------------------------------------------------------------------


def read_wav(path: Path) -> npt.NDArray[np.int16]:
    """16-bit mono samples through Python's ``wave`` module, which trusts the header's data size."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)


def level_db(samples: npt.ArrayLike) -> float:
    x = np.asarray(samples, dtype=np.float64)
    return float(20 * np.log10(np.sqrt(np.mean(x * x)) / 32768))


def dominant_frequency(samples: npt.NDArray[np.int16], rate: int = RATE) -> float:
    """The strongest frequency (Hann window, parabolic interpolation between FFT bins)."""
    x = samples.astype(np.float64) * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(x))
    k = int(np.argmax(spectrum[1:])) + 1
    a, b, c = np.log(spectrum[k - 1:k + 2] + 1e-12)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return float((k + offset) * rate / samples.size)


# -- the level meter alone -----------------------------------------------------------------------


def test_clipping_is_three_full_scale_samples_in_a_row_even_across_chunks() -> None:
    def clipped(*chunks: list[int]) -> bool:
        meter = LevelMeter(RATE)
        for chunk in chunks:
            meter.feed(np.array(chunk, dtype=np.int16))
        return meter.clipped

    assert not clipped([0, 32767, 32767, 0, 32767, 32767, 0])  # loud, but never three in a row
    assert clipped([0, 32767, 32767, 32767, 0])
    assert clipped([-32768, -32768, -32767])  # negative full scale (abs does not overflow)
    assert clipped([0, 32767], [32767], [32767, 0])  # a run split over three chunks
    assert clipped([32400] * 3)  # within 0.1 dB of full scale
    assert not clipped([32300] * 3)  # 0.13 dB under: loud, not clipped
    meter = LevelMeter(RATE)
    assert meter.feed(np.zeros(100, dtype=np.int16)) is None  # under one 50 ms window: no reading yet
    reading = meter.feed(np.full(2400, 16384, dtype=np.int16))
    assert reading is not None and abs(reading.peak_dbfs - -6.02) < 0.01 and not reading.clipped


def test_microphones_that_only_offer_other_formats_are_written_as_16_bit_mono() -> None:
    """Some devices (Windows shared mode) deliver float or 32-bit, or stereo: the WAV is 16-bit mono anyway."""
    from PySide6.QtMultimedia import QAudioFormat

    def fmt(kind: QAudioFormat.SampleFormat, channels: int) -> QAudioFormat:
        f = QAudioFormat()
        f.setSampleRate(RATE)
        f.setChannelCount(channels)
        f.setSampleFormat(kind)
        return f

    stereo = np.array([[0.5, 0.25], [-1.0, -1.0], [1.5, 0.0]], dtype=np.float32)  # 1.5: beyond full scale
    assert to_mono_int16(stereo.tobytes(), fmt(QAudioFormat.SampleFormat.Float, 2)).tolist() == [12288, -32768, 16384]
    wide = np.array([0x7FFF0000, -0x80000000, 0x00010000], dtype=np.int32)
    assert to_mono_int16(wide.tobytes(), fmt(QAudioFormat.SampleFormat.Int32, 1)).tolist() == [32767, -32768, 1]
    bytes8 = np.array([128, 255, 0], dtype=np.uint8)
    assert to_mono_int16(bytes8.tobytes(), fmt(QAudioFormat.SampleFormat.UInt8, 1)).tolist() == [0, 32512, -32768]


# -- recording from the microphone -------------------------------------------------------------------


def test_the_chosen_microphone_is_listed_and_remembered(qtbot, recorder: Recorder, mic: Microphone,
                                                        tmp_path: Path) -> None:
    assert (MICROPHONE, "Test microphone") in recorder.devices()
    assert recorder.devices()[0][0] == MICROPHONE  # the default first
    settings_file = tmp_path / "settings.json"
    chooser = Recorder(Settings(settings_file))
    chooser.select_device(MICROPHONE)
    assert Settings(settings_file).get(RECORDING_DEVICE) == MICROPHONE
    assert Recorder(Settings(settings_file)).device_id == MICROPHONE
    # A remembered microphone that is not plugged in today: the take comes from the default one.
    gone = Settings(tmp_path / "gone.json")
    gone.set(RECORDING_DEVICE, "usb-microphone-left-at-home")
    mic.hold(sine(1000, TONE_DBFS, 1.0))
    take = record(qtbot, Recorder(Settings(tmp_path / "gone.json")), tmp_path / "take.wav", 0.3)
    assert take.duration_s >= 0.3 and abs(take.peak_dbfs - TONE_DBFS) < 1


@pytest.mark.slow
def test_a_tone_is_recorded_with_its_frequency_duration_and_level(qtbot, recorder: Recorder, mic: Microphone,
                                                                  readings: list, tmp_path: Path) -> None:
    mic.hold(sine(1000, TONE_DBFS, 1.0))  # exactly 1000 periods: repeats seamlessly
    elapsed: list[float] = []
    recorder.elapsed.connect(elapsed.append)
    take = record(qtbot, recorder, tmp_path / "tone.wav", 2.0)

    samples = read_wav(take.path)
    assert abs(samples.size / RATE - 2.0) <= 0.3
    assert take.duration_s == samples.size / RATE
    steady = samples[RATE // 10:]  # the first 100 ms may still hold silence from before the tone
    assert abs(dominant_frequency(steady) - 1000) <= 5
    assert abs(level_db(steady) - (TONE_DBFS + SINE_RMS_DB)) <= 1
    assert abs(take.peak_dbfs - TONE_DBFS) <= 0.2 and abs(take.rms_dbfs - (TONE_DBFS + SINE_RMS_DB)) <= 1
    assert not take.clipped
    assert 30 <= len(readings) <= 50  # about 20 a second
    peak, rms, _ = readings[-1]
    assert abs(peak - TONE_DBFS) <= 1 and abs(rms - (TONE_DBFS + SINE_RMS_DB)) <= 1
    assert not any(clipped for _, _, clipped in readings)
    assert abs(elapsed[-1] - take.duration_s) <= 0.1


@pytest.mark.slow
def test_a_take_cut_off_mid_write_is_readable_up_to_the_cut(qtbot, recorder: Recorder, mic: Microphone,
                                                            tmp_path: Path) -> None:
    """What a crash or a power cut leaves: the file as it stands mid-take, header never patched."""
    mic.hold(sine(1000, TONE_DBFS, 1.0))
    path = tmp_path / "take.wav"
    recorder.start(path)
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 1.05, timeout=5000)
    snapshot = path.read_bytes()
    recorder.stop()
    assert snapshot[4:8] == snapshot[40:44] == b"\xff\xff\xff\xff"  # sizes still "unknown"
    cut = tmp_path / "crashed.wav"
    cut.write_bytes(snapshot[:len(snapshot) - 1])  # and cut in the middle of a sample
    expected_s = (len(snapshot) - 1 - 44) // 2 / RATE
    assert expected_s >= 1.0
    pcm = decode(cut)
    assert pcm.rate == RATE and abs(pcm.duration - expected_s) < 0.001
    heard = to_int16(pcm.samples[:, 0])
    assert abs(dominant_frequency(heard[RATE // 10:]) - 1000) <= 5
    assert abs(level_db(heard[RATE // 10:]) - (TONE_DBFS + SINE_RMS_DB)) <= 1


def test_a_full_scale_square_wave_lights_the_clip_indicator(qtbot, recorder: Recorder, mic: Microphone,
                                                             readings: list, tmp_path: Path) -> None:
    mic.hold(square(500, 0.1))
    take = record(qtbot, recorder, tmp_path / "square.wav", 0.5)
    assert take.clipped and take.peak_dbfs > -0.01
    assert any(clipped for _, _, clipped in readings)
    assert np.count_nonzero(np.abs(read_wav(take.path).astype(np.int32)) == 32767) > 0.8 * take.duration_s * RATE


@pytest.fixture(scope="module")
def speech() -> npt.NDArray[np.int16]:
    """A Vietnamese sentence from the offline voice, at 48 kHz, peaking at -6 dBFS, with microphone noise."""
    pcm = EspeakEngine().synthesize("Xin chào bà con, đây là Đài truyền thanh xã.", VoiceParams("vi"))
    ratio = Fraction(RATE, pcm.rate)
    x = resample_poly(pcm.samples[:, 0].astype(np.float64), ratio.numerator, ratio.denominator)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    x = x[loud[0]:loud[-1] + 1]
    x *= 10 ** (-6 / 20) / np.abs(x).max()
    return to_int16(x + np.random.default_rng(2).normal(0, 1 / 32768, x.size))


@pytest.mark.slow
def test_recorded_speech_is_what_was_said(qtbot, recorder: Recorder, mic: Microphone, speech: npt.NDArray[np.int16],
                                          tmp_path: Path) -> None:
    spoken_s = speech.size / RATE
    assert 2.0 < spoken_s < 5.0
    path = tmp_path / "speech.wav"
    # A sound card that hands over 100 ms at a time (Qt 6.11's PulseAudio source kept 21 ms of each and
    # dropped the rest), and the window busy for half a second mid-sentence: no sound may be lost.
    mic.chunk_s = 0.1
    with qtbot.waitSignal(recorder.stopped, timeout=5000):
        recorder.start(path)
        qtbot.waitUntil(lambda: recorder.elapsed_s >= 0.3, timeout=5000)
        said = mic.say(speech)
        QTimer.singleShot(800, lambda: time.sleep(0.5))
        qtbot.waitUntil(said.is_set, timeout=int(spoken_s * 1000) + 5000)
        end = recorder.elapsed_s + 0.4  # what is still on its way from the FIFO
        qtbot.waitUntil(lambda: recorder.elapsed_s >= end, timeout=5000)
        take = recorder.stop()

    recorded = read_wav(path).astype(np.float64)
    fed = speech.astype(np.float64)
    assert abs(recorded.size / RATE - (0.3 + spoken_s + 0.4)) <= 0.3
    scores = correlate(recorded, fed, mode="valid", method="fft")
    lag = int(np.argmax(scores))
    aligned = recorded[lag:lag + fed.size]
    similarity = float(aligned @ fed / np.sqrt((aligned @ aligned) * (fed @ fed)))
    assert similarity > 0.99, similarity
    assert 0.2 <= lag / RATE <= 0.8
    sounding = np.flatnonzero(np.abs(recorded) > 0.01 * 32768)
    assert abs((sounding[-1] - sounding[0]) / RATE - spoken_s) <= 0.05  # the speech lasts as long as it was said
    assert abs(level_db(aligned) - level_db(fed)) <= 0.5
    assert abs(take.peak_dbfs - -6.0) <= 0.5 and not take.clipped


@pytest.mark.slow
def test_unplugging_the_microphone_mid_take_keeps_the_take(qtbot, pulseaudio: PulseServer, recorder: Recorder,
                                                           mic: Microphone, ended: list, tmp_path: Path) -> None:
    mic.hold(sine(1000, TONE_DBFS, 1.0))
    path = tmp_path / "take.wav"
    recorder.start(path)
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 1.0, timeout=5000)
    before, asked = recorder.elapsed_s, time.monotonic()
    # PulseAudio moves the take to the speakers' monitor and tells Qt nothing: the recorder notices
    # the digital silence (DEAD_AIR_S) and cuts it off.
    with qtbot.waitSignals([recorder.stopped, recorder.failed], order="strict", timeout=int(DEAD_AIR_S * 1000) + 5000):
        pulseaudio.remove_microphone()
        unplugged = before + time.monotonic() - asked  # pactl returns once the source is gone
    take, error = ended
    assert isinstance(error, StudioError) and error.text == MICROPHONE_LOST
    assert "Test microphone" in str(error) and "kept" in str(error) and "0:01" in str(error)
    assert not recorder.is_recording and recorder.stop() == take
    samples = read_wav(path)  # header patched: sizes match what was recorded
    assert samples.size == round(take.duration_s * RATE)
    assert before <= take.duration_s <= unplugged + 0.1  # everything up to the unplugging, nothing invented
    assert abs(dominant_frequency(samples[RATE // 10:]) - 1000) <= 5
    assert abs(decode(path).duration - take.duration_s) < 0.001


@pytest.mark.slow
def test_a_microphone_that_stops_sending_sound_ends_the_take(qtbot, pulseaudio: PulseServer, recorder: Recorder,
                                                             mic: Microphone, ended: list, tmp_path: Path) -> None:
    """A driver that hangs (here the whole sound server, frozen for 1.5 s): no sound arrives, the take ends.

    The server is thawed from another thread: ending the take stops Qt's audio source, which waits for
    the server (up to libpulse's 30 s timeout) on the GUI thread.
    """
    mic.hold(sine(1000, TONE_DBFS, 1.0))
    path = tmp_path / "take.wav"
    recorder.start(path)
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 0.5, timeout=5000)
    before = recorder.elapsed_s
    thaw = threading.Timer(STALL_TIMEOUT_S + 0.5, os.kill, (pulseaudio.process.pid, signal.SIGCONT))
    os.kill(pulseaudio.process.pid, signal.SIGSTOP)
    thaw.start()
    try:
        with qtbot.waitSignals([recorder.stopped, recorder.failed], order="strict", timeout=5000):
            pass
    finally:
        thaw.join()
        qtbot.waitUntil(lambda: mic.behind_s < 0.05, timeout=5000)  # the FIFO's backlog is gone
    take, error = ended
    assert isinstance(error, StudioError) and error.text == MICROPHONE_LOST
    assert before <= take.duration_s <= before + 0.2
    assert read_wav(path).size == round(take.duration_s * RATE)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 128 KiB tmpfs (1.4 s of 48 kHz 16-bit mono), mounted for the test: a disk that fills up."""
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()
    mount = shutil.which("mount")
    result = subprocess.run([mount or "mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mountpoint)],
                            capture_output=True, text=True) if mount else None
    if result is None or result.returncode != 0:
        reason = f"cannot mount a tmpfs here (needs root): {result.stderr.strip() if result else 'no mount'}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


@pytest.mark.slow
def test_a_full_disk_mid_take_keeps_what_was_written(qtbot, recorder: Recorder, mic: Microphone, ended: list,
                                                     small_disk: Path) -> None:
    mic.hold(sine(1000, TONE_DBFS, 1.0))
    path = small_disk / "take.wav"
    with qtbot.waitSignals([recorder.stopped, recorder.failed], order="strict", timeout=5000):
        recorder.start(path)
    take, error = ended
    assert isinstance(error, StudioError) and error.text == DISK_FULL and str(path) in str(error)
    size = path.stat().st_size
    assert 128 * 1024 - 4096 <= size <= 128 * 1024
    samples = read_wav(path)
    assert samples.size * 2 + 44 == size and samples.size == round(take.duration_s * RATE)
    assert abs(dominant_frequency(samples[RATE // 10:]) - 1000) <= 5
    assert abs(decode(path).duration - take.duration_s) < 0.001


NO_MICROPHONE_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from studio.messages import StudioError
from studio.ui.recorder import Recorder

app = QCoreApplication([])
recorder = Recorder()
path = Path(sys.argv[1])
report = {"devices": recorder.devices(), "errors": []}
for attempt in range(2):
    try:
        recorder.start(path)
    except StudioError as exc:
        report["errors"].append([exc.text, exc.hint])
report["recording"] = recorder.is_recording
report["file_left"] = path.exists()
print(json.dumps(report))
"""


@pytest.mark.parametrize("situation", ["no sound server", "no microphone"])
def test_without_a_microphone_recording_says_so_clearly(request: pytest.FixtureRequest, tmp_path: Path,
                                                        situation: str) -> None:
    """In a process of its own: Qt talks to one sound server per process, this session's has a microphone."""
    take = tmp_path / "take.wav"

    def run(server: str) -> dict[str, object]:
        env = {**os.environ, "PULSE_SERVER": server, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([sys.executable, "-c", NO_MICROPHONE_SCRIPT, str(take)], capture_output=True,
                                text=True, timeout=60, env=env, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    if situation == "no sound server":
        report = run(f"unix:{tmp_path / 'nothing-listens-here'}")
    else:
        request.getfixturevalue("pulseaudio")  # PulseAudio installed (else skipped, or failed in CI)
        with private_daemon(microphone=False) as bare:
            assert bare.sources() == ["studio_test_speakers.monitor"]  # only what the speakers play
            report = run(bare.client_env["PULSE_SERVER"])
    assert report == {"devices": [], "errors": [[NO_MICROPHONE, NO_MICROPHONE_HINT]] * 2, "recording": False,
                      "file_left": False}


def test_a_test_run_that_crashes_leaves_no_sound_server_behind(pulseaudio: PulseServer) -> None:
    """The private daemon ends with the process that started it, even when that process dies without its
    cleanup (a segfault, kill -9 at a timeout): it never exits by itself."""
    code = ("import os, sys, time\n"
            "from tests.pulse import private_daemon\n"
            "with private_daemon(microphone=False) as server:\n"
            "    print(server.process.pid, flush=True)\n"
            "    time.sleep(60)\n")
    crashing = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert crashing.stdout is not None
        daemon = int(crashing.stdout.readline())
        os.kill(daemon, 0)  # running
        crashing.kill()  # no finally, no terminate(): what a crash leaves
        crashing.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(daemon, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(daemon, signal.SIGKILL)
            pytest.fail("the sound server outlived the test process that started it")
    finally:
        if crashing.poll() is None:
            crashing.kill()
        crashing.communicate(timeout=10)
