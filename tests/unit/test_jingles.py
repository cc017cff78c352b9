"""The shipped jingles: clean, level, the right shape, and reproducible from scripts/make_jingles.py."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest

from tests.scripts import imported_script

ROOT = Path(__file__).resolve().parents[2]
JINGLES = ROOT / "assets" / "jingles"
SCRIPT = ROOT / "scripts" / "make_jingles.py"
DURATIONS = {"opening": (6.0, 8.0), "closing": (5.0, 6.0), "stinger": (1.5, 2.0), "bed": (29.99, 30.01)}
ONE_SHOTS = ("opening", "closing", "stinger")


@pytest.fixture(scope="module")
def make_jingles() -> Iterator[ModuleType]:
    """The generator script, imported from its file (scripts/ is not a package)."""
    with imported_script(SCRIPT) as module:
        yield module


@pytest.fixture(scope="module")
def fresh(make_jingles: ModuleType) -> dict[str, bytes]:
    generated: dict[str, bytes] = make_jingles.generate()
    return generated


def read(name: str) -> tuple[wave._wave_params, npt.NDArray[np.float64]]:
    with wave.open(str(JINGLES / f"{name}.wav"), "rb") as handle:
        params = handle.getparams()
        frames = handle.readframes(params.nframes)
    return params, np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0


def db(value: float) -> float:
    return 20.0 * float(np.log10(value + 1e-12))


def rms_db(x: npt.NDArray[np.float64]) -> float:
    return db(float(np.sqrt(np.mean(np.square(x)))))


@pytest.mark.parametrize("name", list(DURATIONS))
def test_jingle_is_44k1_mono_16bit_of_the_expected_length(name: str) -> None:
    params, samples = read(name)
    assert (params.nchannels, params.sampwidth, params.framerate, params.comptype) == (1, 2, 44100, "NONE")
    low, high = DURATIONS[name]
    assert low <= len(samples) / 44100 <= high


@pytest.mark.parametrize("name", list(DURATIONS))
def test_jingle_is_level_and_clean(name: str) -> None:
    _, x = read(name)
    assert db(float(np.max(np.abs(x)))) < -1.0  # no clipping, headroom for MP3 encoding
    assert abs(float(np.mean(x))) < 1e-3  # no DC offset pushing the horn's cone
    loudness = pyloudnorm.Meter(44100).integrated_loudness(x)
    assert -17.5 <= loudness <= -15.0, loudness
    blocks = x[: len(x) // 441 * 441].reshape(-1, 441)
    body = blocks[5 : len(blocks) * 3 // 4]  # after the lead-in, before the fade-out
    assert not np.all(body == 0, axis=1).any(), "a 10 ms dropout inside the jingle"


@pytest.mark.parametrize("name", ONE_SHOTS)
def test_one_shot_starts_and_ends_in_silence(name: str) -> None:
    _, x = read(name)
    ten_ms = 441
    assert rms_db(x[:ten_ms]) < -60.0, "click at the start"
    assert rms_db(x[-ten_ms:]) < -60.0, "click at the end"
    assert rms_db(x) > -30.0  # and there is something in between


def test_bed_loops_without_a_jump() -> None:
    _, x = read("bed")
    assert rms_db(x[:441]) > -40.0  # a loop is never silent at its seam, so the seam must be smooth
    curvature = np.abs(np.diff(x, 2))
    seam = np.abs(np.diff(np.concatenate([x[-2:], x[:2]]), 2))
    assert seam.max() <= np.percentile(curvature, 99)
    assert abs(x[0] - x[-1]) <= np.abs(np.diff(x)).max()


def test_jingles_stay_small() -> None:
    total = sum(path.stat().st_size for path in JINGLES.glob("*.wav"))
    assert total < 4_000_000


def test_readme_states_the_licence() -> None:
    text = (JINGLES / "README.md").read_text(encoding="utf-8")
    assert "GPL-3.0-or-later" in text
    assert all(f"{name}.wav" in text for name in DURATIONS)


def test_regenerating_gives_identical_bytes(fresh: dict[str, bytes]) -> None:
    assert set(fresh) == set(DURATIONS)
    for name, data in fresh.items():
        assert (JINGLES / f"{name}.wav").read_bytes() == data, f"{name}.wav is not what the script makes"


def test_check_mode_reports_a_changed_file(
    make_jingles: ModuleType, fresh: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(make_jingles, "generate", lambda: fresh)  # reuse the one fresh generation
    assert make_jingles.main(["--out", str(tmp_path)]) == 0
    assert make_jingles.main(["--check", "--out", str(tmp_path)]) == 0
    stinger = tmp_path / "stinger.wav"
    stinger.write_bytes(stinger.read_bytes()[:-2] + b"\x01\x00")
    assert make_jingles.main(["--check", "--out", str(tmp_path)]) == 1
    (tmp_path / "bed.wav").unlink()
    assert make_jingles.check(tmp_path) == ["stinger", "bed"]
