"""One-pass finishing (gain, limiter, encode, measuring the file while it is encoded), by ffmpeg's meter."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from studio.audio.finish import OutputFormat, _encode_measured, finish
from studio.audio.loudness import SILENCE_LUFS
from studio.audio.pcm import Pcm
from studio.messages import DISK_FULL, Cancelled, StudioError
from studio.tasks import CancelToken
from tests.integration.test_mastering import CEILING, TARGET, ebur128_file, hot_clipped, scaled_to, speech_like

SPEECH = speech_like(20, 44100, 0)


def _mixed() -> Pcm:
    """A quiet read, then a loud one, then music-like tone: items the studio would string together."""
    quiet = scaled_to(speech_like(10, 44100, 1), -30.0)
    loud = scaled_to(speech_like(10, 44100, 2), -8.0)
    t = np.arange(5 * 44100) / 44100
    tone = Pcm.from_mono(0.3 * np.sin(2 * np.pi * 220 * t) * np.sin(2 * np.pi * 0.5 * t) ** 2, 44100)
    return Pcm(np.concatenate([quiet.samples, loud.samples, tone.samples]), 44100)


@pytest.mark.parametrize("pcm", [
    pytest.param(SPEECH, id="speech"),
    pytest.param(hot_clipped(SPEECH), id="plus-20dB-clipped"),
    pytest.param(scaled_to(SPEECH, -40.0), id="quiet--40LUFS"),
    pytest.param(scaled_to(SPEECH, -6.0), id="loud--6LUFS"),
    pytest.param(_mixed(), id="mixed"),
])
def test_the_file_is_on_target_under_the_ceiling_and_the_report_describes_it(pcm: Pcm, tmp_path: Path) -> None:
    path = tmp_path / "bulletin.mp3"
    report = finish(pcm, path, target_lufs=TARGET, true_peak_ceiling=CEILING)
    oracle = ebur128_file(path)
    assert oracle.integrated == pytest.approx(TARGET, abs=0.5)
    assert oracle.true_peak <= CEILING
    assert report.integrated_lufs == pytest.approx(oracle.integrated, abs=0.1)
    assert report.true_peak_dbtp == pytest.approx(oracle.true_peak, abs=0.3)
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.mp3"]


@pytest.mark.parametrize("fmt", [OutputFormat("mp3", 64, 22050, 1), OutputFormat("mp3", 192, 48000, 2),
                                 OutputFormat("wav", rate=48000, channels=2)], ids=str)
def test_other_export_profiles(fmt: OutputFormat, tmp_path: Path) -> None:
    stereo = Pcm(np.repeat(SPEECH.samples, 2, axis=1), 44100) if fmt.channels == 2 else SPEECH
    path = tmp_path / f"b{fmt.suffix}"
    report = finish(stereo, path, fmt, target_lufs=-18.0, true_peak_ceiling=-2.0)
    oracle = ebur128_file(path)
    assert oracle.integrated == pytest.approx(-18.0, abs=0.5)
    assert oracle.true_peak <= -2.0
    assert report.integrated_lufs == pytest.approx(oracle.integrated, abs=0.1)


def test_silence_is_written_as_silence(tmp_path: Path) -> None:
    report = finish(Pcm.silence(3.0, 44100), tmp_path / "s.mp3")
    assert report.integrated_lufs == SILENCE_LUFS
    assert (tmp_path / "s.mp3").stat().st_size > 1000


def test_cancel_leaves_nothing(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        finish(SPEECH, tmp_path / "b.mp3", cancel=token)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_gives_the_disk_full_message() -> None:
    with pytest.raises(StudioError) as caught:
        _encode_measured(SPEECH, None, None, Path("/dev/full"), Path("b.mp3"), OutputFormat(), None)
    assert caught.value.text == DISK_FULL
