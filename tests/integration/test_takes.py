"""Recorded takes with real files and real ffmpeg: importing what phones and recorders make, refusing what
cannot be a take with a message that says why, and the clean-up chain measured on real signals."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import numpy.typing as npt
import pytest
from scipy.signal import correlate

from studio.audio.codec import CANNOT_READ, INCOMPLETE, encode_wav
from studio.audio.loudness import integrated_loudness, true_peak
from studio.audio.mix import resample
from studio.audio.pcm import Pcm
from studio.hashing import content_hash
from studio.messages import Cancelled, StudioError
from studio.speech import cleanup, takes
from studio.speech.cleanup import CleanupSettings, clean_take
from studio.speech.engine import VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.speech.takes import import_take, take_stats
from studio.tasks import CancelToken

RATE = 48_000
SENTENCE = "Xin chào bà con, đây là Đài truyền thanh xã. Hôm nay, Ủy ban nhân dân xã thông báo lịch tiêm chủng."
SINE_RMS_DBFS = -21.07  # ffmpeg's sine source: amplitude 1/8


def ffmpeg(*args: str) -> None:
    """Run the bundled ffmpeg directly (not through the studio), as a recorder or phone app would."""
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", *args, "-y"],
                   check=True)  # fmt: skip


def sine_file(path: Path, seconds: float, rate: int, channels: int, *codec: str) -> Path:
    """A 440 Hz sine at the same level on every channel (``-ac 2`` would put it 3 dB lower on each)."""
    layout = "|".join(f"c{channel}=c0" for channel in range(channels))
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={rate}:duration={seconds}",
           "-af", f"pan={channels}c|{layout}", *codec, str(path))  # fmt: skip
    return path


def mono(samples: npt.ArrayLike) -> Pcm:
    return Pcm.from_mono(samples, RATE)


def seconds(n: float) -> npt.NDArray[np.float64]:
    return np.arange(round(n * RATE)) / RATE


def amplitude(x: npt.NDArray[np.float32], freq: float, start: int) -> float:
    """Amplitude of the ``freq`` component of ``x[start:]`` over whole periods (a lock-in measurement)."""
    period = RATE / freq
    count = int((x.size - start) // period * period)
    t = np.arange(start, start + count) / RATE
    seg = x[start : start + count].astype(np.float64)
    return float(2 * np.hypot(np.mean(seg * np.sin(2 * np.pi * freq * t)), np.mean(seg * np.cos(2 * np.pi * freq * t))))


def band_levels(x: npt.NDArray[np.float32], start: int, stop: int) -> tuple[float, float]:
    """(1 kHz tone, everything else from 100 Hz to 20 kHz) power in dB over ``x[start:stop]``."""
    seg = x[start:stop].astype(np.float64)
    power = np.abs(np.fft.rfft(seg * np.hanning(seg.size))) ** 2
    freqs = np.fft.rfftfreq(seg.size, 1 / RATE)
    tone = (freqs > 950) & (freqs < 1050)
    rest = ((freqs > 100) & (freqs < 900)) | ((freqs > 1100) & (freqs < 20000))
    return float(10 * np.log10(power[tone].sum())), float(10 * np.log10(power[rest].sum()))


@pytest.fixture(scope="module")
def speech() -> Pcm:
    """A few seconds of real speech from the offline voice, at the take rate, −20 LUFS."""
    pcm = resample(EspeakEngine().synthesize(SENTENCE, VoiceParams("vi")), RATE)
    return Pcm(pcm.samples * np.float32(10 ** ((-20 - integrated_loudness(pcm)) / 20)), RATE)


# -- import: every format a phone or recorder writes --------------------------------------------------------

FORMATS = {
    "wav-16bit": ("take.wav", 48000, 1, ["-c:a", "pcm_s16le"]),
    "wav-24bit": ("take.wav", 44100, 2, ["-c:a", "pcm_s24le"]),
    "mp3": ("take.mp3", 44100, 1, ["-c:a", "libmp3lame", "-b:a", "128k"]),
    "m4a-aac-phone": ("take.m4a", 44100, 2, ["-c:a", "aac", "-b:a", "128k"]),
    "ogg-vorbis": ("take.ogg", 48000, 2, ["-c:a", "libvorbis", "-q:a", "5"]),
    "flac": ("take.flac", 22050, 1, ["-c:a", "flac"]),
}


@pytest.mark.parametrize("fmt", FORMATS, ids=list(FORMATS))
def test_import_gives_48k_mono_of_the_right_length_and_level(tmp_path: Path, fmt: str) -> None:
    name, rate, channels, codec = FORMATS[fmt]
    imported = import_take(sine_file(tmp_path / name, 3.0, rate, channels, *codec))
    assert (imported.pcm.rate, imported.pcm.channels) == (48000, 1)
    assert imported.pcm.samples.dtype == np.dtype(np.float32)
    assert imported.pcm.duration == pytest.approx(3.0, abs=0.02)
    assert imported.stats.rms_dbfs == pytest.approx(SINE_RMS_DBFS, abs=0.5)
    assert (imported.source_rate, imported.source_channels) == (rate, channels)
    assert not imported.stats.clipped


def test_phone_speech_recording_imports_at_its_length_and_loudness(tmp_path: Path, speech: Pcm) -> None:
    wav = encode_wav(speech, tmp_path / "source.wav", rate=44100, channels=2)
    phone = tmp_path / "Ghi âm 012.m4a"
    ffmpeg("-i", str(wav), "-c:a", "aac", "-b:a", "96k", str(phone))
    imported = import_take(phone)
    assert imported.pcm.duration == pytest.approx(speech.duration, abs=0.02)
    assert integrated_loudness(imported.pcm) == pytest.approx(-20.0, abs=0.5)
    assert imported.stats.speech_seconds > 0.5 * speech.duration


# -- import: refusals --------------------------------------------------------------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(np.random.default_rng(7).integers(0, 256, 50_000, dtype=np.uint8).tobytes())


def _truncated_mp3(path: Path) -> None:
    full = sine_file(path.with_name("full.mp3"), 20.0, 44100, 1, "-c:a", "libmp3lame", "-b:a", "128k")
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])


def _truncated_wav(path: Path) -> None:
    full = sine_file(path.with_name("full.wav"), 20.0, 44100, 1, "-c:a", "pcm_s16le")
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])


def _truncated_m4a(path: Path) -> None:  # a phone writes the index last: a cut-off copy has none
    full = sine_file(path.with_name("full.m4a"), 20.0, 44100, 2, "-c:a", "aac")
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def _zero_seconds(path: Path) -> None:
    encode_wav(Pcm.silence(0.0, 44100), path)


def _silent(path: Path) -> None:
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", "-c:a", "aac", str(path))


def _too_short(path: Path) -> None:
    sine_file(path, 0.3, 44100, 1, "-c:a", "pcm_s16le")


def _text(path: Path) -> None:
    path.write_text("Bản tin sáng nay gồm các mục sau đây...\n" * 50, "utf-8")


def _picture(path: Path) -> None:
    picture = path.with_name("photo.png")
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", str(picture))
    picture.rename(path)


REFUSALS: dict[str, tuple[str, Callable[[Path], None], str, str]] = {
    "random-bytes": ("bad.m4a", _random_bytes, CANNOT_READ, "cannot be read"),
    "truncated-mp3": ("bad.mp3", _truncated_mp3, INCOMPLETE, "should last 20.0 s, but only 6.6 s play"),
    "truncated-wav": ("bad.wav", _truncated_wav, INCOMPLETE, "should last 20.0 s, but only 6.7 s play"),
    "truncated-m4a": ("bad.m4a", _truncated_m4a, takes.TAKE_CUT_OFF, "none of it can be played"),
    "zero-bytes": ("bad.mp3", _zero_bytes, takes.TAKE_EMPTY, "is empty"),
    "zero-seconds": ("bad.wav", _zero_seconds, takes.TAKE_EMPTY, "is empty"),
    "silent": ("bad.m4a", _silent, takes.TAKE_SILENT, "is silent"),
    "too-short": ("bad.wav", _too_short, takes.TAKE_TOO_SHORT, "lasts 0.30 s; a take must last at least 0.5 s"),
    "text-named-mp3": ("bad.mp3", _text, takes.TAKE_NOT_AUDIO, "not a sound recording"),
    "picture-named-m4a": ("bad.m4a", _picture, takes.TAKE_NOT_AUDIO, "not a sound recording"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_what_cannot_be_a_take_is_refused_with_a_clear_message(tmp_path: Path, case: str) -> None:
    name, make, template, says = REFUSALS[case]
    source = tmp_path / name
    make(source)
    before = source.read_bytes()
    with pytest.raises(StudioError) as caught:
        import_take(source)
    assert caught.value.text == template
    assert name in str(caught.value) and says in str(caught.value)
    assert caught.value.hint, "every refusal tells the officer what to do"
    assert source.read_bytes() == before


def test_31_minute_recording_is_refused_without_decoding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long_take = sine_file(tmp_path / "cả buổi họp.flac", 31 * 60, 8000, 1, "-c:a", "flac")

    def must_not_decode(*args: object, **kwargs: object) -> Pcm:
        raise AssertionError("a file declared 31 minutes long must not be decoded")

    monkeypatch.setattr(takes, "decode", must_not_decode)
    started = time.monotonic()
    with pytest.raises(StudioError) as caught:
        import_take(long_take)
    assert caught.value.text == takes.TAKE_TOO_LONG
    assert "lasts 31.0 minutes; a take may last at most 30 minutes" in str(caught.value)
    assert time.monotonic() - started < 2.0


def test_length_over_the_limit_found_only_by_decoding_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(takes, "MAX_TAKE_SECONDS", 2.0)  # 2.03 s is within the header margin: decoded, then refused
    with pytest.raises(StudioError) as caught:
        import_take(sine_file(tmp_path / "a.wav", 2.03, 44100, 1, "-c:a", "pcm_s16le"))
    assert caught.value.text == takes.TAKE_TOO_LONG


def test_file_over_500_mb_is_refused_before_reading_it(tmp_path: Path) -> None:
    source = tmp_path / "huge.wav"  # sparse: a valid header, then 501 MiB never written to disk
    data_bytes = 501 * 2**20
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 2, 48000, 48000 * 4, 4, 16) + b"data" + struct.pack("<I", data_bytes)  # fmt: skip
    with source.open("wb") as handle:
        handle.write(header)
        handle.truncate(len(header) + data_bytes)
    with pytest.raises(StudioError) as caught:
        import_take(source)
    assert caught.value.text == takes.TAKE_TOO_BIG and "is 501 MB" in str(caught.value)


def test_import_can_be_cancelled(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_take(sine_file(tmp_path / "a.mp3", 2.0, 44100, 1, "-c:a", "libmp3lame"), cancel=token)


# -- take statistics ----------------------------------------------------------------------------------------


def test_full_scale_square_is_clipped_and_a_sine_touching_full_scale_is_not() -> None:
    square = take_stats(mono(np.sign(np.sin(2 * np.pi * 100 * seconds(1.0) + 0.1))))
    assert square.clipped and square.peak_dbfs == pytest.approx(0.0) and square.rms_dbfs == pytest.approx(0.0)
    touching = take_stats(mono(np.sin(2 * np.pi * 1000 * seconds(1.0))))
    assert not touching.clipped and touching.peak_dbfs == pytest.approx(0.0, abs=1e-5)
    half = take_stats(mono(0.5 * np.sin(2 * np.pi * 1000 * seconds(1.0))))
    assert not half.clipped
    assert half.peak_dbfs == pytest.approx(-6.02, abs=0.01) and half.rms_dbfs == pytest.approx(-9.03, abs=0.01)
    assert half.duration_s == pytest.approx(1.0)


def test_noise_floor_and_speech_time_of_a_take_with_pauses() -> None:
    rng = np.random.default_rng(11)
    tone = np.concatenate([np.zeros(2 * RATE), 0.3 * np.sin(2 * np.pi * 1000 * seconds(1.0)), np.zeros(2 * RATE)])
    stats = take_stats(mono(tone + rng.normal(0, 10 ** (-60 / 20), tone.size)))
    assert stats.noise_floor_dbfs == pytest.approx(-60.0, abs=1.0)
    assert stats.speech_seconds == pytest.approx(1.0, abs=0.1)
    assert take_stats(Pcm.silence(0.0, RATE)).peak_dbfs == take_stats(Pcm.silence(1.0, RATE)).peak_dbfs < -100


# -- clean-up ----------------------------------------------------------------------------------------------

RAW_ONLY = CleanupSettings(trim=False, highpass_hz=None, level_lufs=None)


@pytest.mark.parametrize(("noise_dbfs", "offset"), [(None, 0.0), (-55.0, 0.0), (-70.0, 0.05)],
                         ids=["digital-silence", "noisy-room", "dc-offset"])  # fmt: skip
def test_trim_cuts_silence_to_the_sound_plus_margins(noise_dbfs: float | None, offset: float) -> None:
    x = np.concatenate([np.zeros(2 * RATE), 0.3 * np.sin(2 * np.pi * 1000 * seconds(1.0)), np.zeros(2 * RATE)])
    if noise_dbfs is not None:  # silence relative to the take's own floor, not an absolute level
        x = x + np.random.default_rng(5).normal(0, 10 ** (noise_dbfs / 20), x.size)
    x = x + offset  # a cheap microphone's DC offset: the high-pass must not ring at the start
    cleaned = clean_take(mono(x), CleanupSettings(trim_margin_s=0.15))
    assert cleaned.duration == pytest.approx(1.0 + 2 * 0.15, abs=0.05)
    assert clean_take(mono(x), CleanupSettings(trim=False)).duration == pytest.approx(5.0)


def test_a_take_without_any_pause_is_not_trimmed() -> None:
    """A short phrase read in one breath: no quiet part to measure a floor in, so all of it is sound. (Its
    quietest tenth once counted as the "floor" and its slightly softer first and last words were cut.)"""
    t = seconds(1.5)
    envelope = np.where((t < 0.3) | (t > 1.2), 10 ** (-2 / 20), 1.0)  # edges 2 dB softer
    rng = np.random.default_rng(3)
    phrase = 0.3 * envelope * np.sin(2 * np.pi * 440 * t) + rng.normal(0, 1e-4, t.size)
    assert clean_take(mono(phrase), CleanupSettings()).duration == pytest.approx(1.5, abs=0.001)


def test_highpass_removes_mains_hum_and_keeps_the_voice_band() -> None:
    t = seconds(3.0)
    x = (0.3 * np.sin(2 * np.pi * 50 * t) + 0.1 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    out = clean_take(mono(x), CleanupSettings(trim=False, level_lufs=None)).samples[:, 0]
    hum_db = 20 * np.log10(amplitude(out, 50, RATE) / amplitude(x, 50, RATE))
    voice_db = 20 * np.log10(amplitude(out, 1000, RATE) / amplitude(x, 1000, RATE))
    assert hum_db <= -20.0, f"50 Hz only {hum_db:.1f} dB down"
    assert abs(voice_db) <= 0.5, f"1 kHz changed by {voice_db:.2f} dB"


@pytest.mark.parametrize("input_lufs", [-45.0, -30.0, -19.0, -8.0], ids=["very-quiet", "quiet", "normal", "hot"])
def test_levelling_reaches_the_target_under_the_peak_ceiling(speech: Pcm, input_lufs: float) -> None:
    take = Pcm(speech.samples * np.float32(10 ** ((input_lufs + 20) / 20)), RATE)
    cleaned = clean_take(take, CleanupSettings())
    assert integrated_loudness(cleaned) == pytest.approx(-20.0, abs=0.5)
    assert true_peak(cleaned) <= -1.0


def test_true_peak_guard_wins_over_the_loudness_target(speech: Pcm) -> None:
    spiky = speech.samples.copy()
    spiky[RATE, 0] = 0.99  # a plosive straight into the microphone: far above the speech around it
    cleaned = clean_take(Pcm(spiky, RATE), CleanupSettings())
    assert true_peak(cleaned) <= -1.0
    assert integrated_loudness(cleaned) < -20.5


@pytest.mark.parametrize("with_pause", [True, False], ids=["noise-sampled-from-pause", "no-pause"])
def test_denoise_lowers_the_noise_floor_and_keeps_the_tone(with_pause: bool) -> None:
    tone = 0.1 * np.sin(2 * np.pi * 1000 * seconds(5.0))
    if with_pause:
        tone[: RATE] = tone[4 * RATE :] = 0.0
    x = (tone + np.random.default_rng(4).normal(0, 10 ** (-45 / 20), tone.size)).astype(np.float32)
    plain = clean_take(mono(x), RAW_ONLY).samples[:, 0]
    denoised = clean_take(mono(x), CleanupSettings(trim=False, highpass_hz=None, level_lufs=None, denoise=True))
    assert denoised.frames == len(x)
    before = band_levels(plain, int(1.5 * RATE), int(3.5 * RATE))
    after = band_levels(denoised.samples[:, 0], int(1.5 * RATE), int(3.5 * RATE))
    assert after[1] - before[1] <= -6.0, f"noise only {after[1] - before[1]:.1f} dB lower"
    assert abs(after[0] - before[0]) <= 1.0, f"tone changed by {after[0] - before[0]:.2f} dB"


@pytest.mark.parametrize("rate", [48000, 44100])
def test_denoise_keeps_every_frame_in_place(rate: int) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1e-3, 3 * rate).astype(np.float32)
    burst = (rng.normal(0, 0.3, 2400) * np.hanning(2400)).astype(np.float32)
    x[rate : rate + 2400] += burst
    x[-2400:] += burst  # right at the end: must not be lost in the filter's delay
    out = cleanup.denoise(Pcm.from_mono(x, rate)).samples[:, 0]
    assert out.size == x.size
    lag = int(np.argmax(correlate(out.astype(np.float64), x.astype(np.float64), "full", method="fft"))) - (x.size - 1)
    assert lag == 0, f"afftdn's delay is no longer {cleanup.afftdn_latency(rate)} frames at {rate} Hz"
    assert np.sum(out[-2400:] ** 2) == pytest.approx(np.sum(x[-2400:] ** 2), rel=0.05)


def test_clean_take_never_modifies_its_input_and_is_deterministic(speech: Pcm) -> None:
    rng = np.random.default_rng(9)
    pad = np.zeros((RATE, 1), dtype=np.float32)
    raw = np.concatenate([pad, speech.samples * np.float32(0.3), pad])
    raw += rng.normal(0, 10 ** (-50 / 20), raw.shape).astype(np.float32) + 0.2 * np.sin(2 * np.pi * 50 * seconds(
        raw.shape[0] / RATE)).astype(np.float32)[:, None]  # fmt: skip
    take = Pcm(raw, RATE)
    kept = raw.copy()
    everything = CleanupSettings(denoise=True)
    first, second = clean_take(take, everything), clean_take(take, everything)
    assert np.array_equal(take.samples, kept)
    assert not np.shares_memory(first.samples, take.samples)
    assert not np.shares_memory(clean_take(take, RAW_ONLY).samples, take.samples)
    assert hashlib.sha256(first.samples.tobytes()).digest() == hashlib.sha256(second.samples.tobytes()).digest()
    assert first.duration < take.duration - 1.5  # and it did clean: the padding is trimmed


def test_clean_take_can_be_cancelled(speech: Pcm) -> None:
    token = CancelToken()
    token.cancel()
    for settings in (CleanupSettings(), CleanupSettings(denoise=True, highpass_hz=None)):
        with pytest.raises(Cancelled):
            clean_take(speech, settings, cancel=token)


def test_cleanup_settings_content_is_hashable_and_round_trips() -> None:
    default = CleanupSettings()
    assert content_hash(default.content()) == content_hash(CleanupSettings().content())
    changed = [CleanupSettings(trim=False), CleanupSettings(trim_margin_s=0.2), CleanupSettings(highpass_hz=None),
               CleanupSettings(denoise=True), CleanupSettings(level_lufs=-18.0)]  # fmt: skip
    hashes = {content_hash(s.content()) for s in [default, *changed]}
    assert len(hashes) == 1 + len(changed)
    assert all(CleanupSettings.from_content(s.content()) == s for s in [default, *changed])
    assert default.content()["chain"] == cleanup.CHAIN_VERSION
    with pytest.raises(ValueError):
        CleanupSettings(highpass_hz=5000.0)
