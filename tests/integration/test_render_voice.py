"""The station's voice processing reaches the rendered file: horn-speaker speech loses its low rumble."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.audio.codec import decode
from studio.config import VOICE_PROCESSING
from studio.paths import StudioPaths
from studio.services import Studio

pytestmark = pytest.mark.slow


def low_to_mid_db(path: Path) -> float:
    pcm = decode(path)
    spectrum = np.abs(np.fft.rfft(pcm.samples[:, 0].astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(pcm.frames, 1 / pcm.rate)
    low = spectrum[(freqs > 40) & (freqs < 110)].sum()
    mid = spectrum[(freqs > 1000) & (freqs < 3000)].sum()
    return float(10 * np.log10(low / mid))


def render_with(studio_paths: StudioPaths, out: Path, choice: str) -> None:
    studio = Studio.open(studio_paths)
    try:
        studio.settings.set(VOICE_PROCESSING, choice)
        station = studio.ensure_station()
        studio.repo.set_station_jingle(station.id, "opening", "")  # speech only: jingles have their own bass
        studio.repo.set_station_jingle(station.id, "closing", "")
        studio.repo.set_station_jingle(station.id, "stinger", "")
        studio.repo.set_station_jingle(station.id, "bed", "")
        studio.render_draft(studio.create_demo(), out)
    finally:
        studio.close()


def test_horn_processing_removes_the_low_rumble_that_neutral_keeps(studio_paths: StudioPaths,
                                                                   tmp_path: Path) -> None:
    render_with(studio_paths, tmp_path / "horn.mp3", "horn")
    render_with(studio_paths, tmp_path / "neutral.mp3", "neutral")
    horn, neutral = low_to_mid_db(tmp_path / "horn.mp3"), low_to_mid_db(tmp_path / "neutral.mp3")
    assert horn < neutral - 10, (horn, neutral)
