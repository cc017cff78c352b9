"""What the fuzzer found, kept as plain regression tests (each failed before its fix)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from studio.audio.codec import CANNOT_READ, decode
from studio.audio.jingles import JingleLibrary
from studio.messages import StudioError
from studio.paths import assets_dir
from studio.speech.takes import import_take


def float_wav(path: Path, samples: np.ndarray, rate: int = 48_000) -> Path:
    """A mono IEEE-float WAV (format 3) holding exactly ``samples``, NaN and infinities included."""
    data = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


@pytest.fixture
def damaged_float_wav(tmp_path: Path) -> Path:
    """Two seconds of tone whose bytes were damaged into NaN and infinity in places (a float WAV with
    flipped bytes, as the fuzzer made it): before, decoding returned those samples, and the jingle import
    failed later with "ValueError: Pcm contains NaN or infinite samples" instead of a message."""
    t = np.arange(96_000) / 48_000
    samples = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    samples[[1000, 50_000]] = np.nan
    samples[70_000] = np.inf
    return float_wav(tmp_path / "nhac-hieu.wav", samples)


def test_a_float_wav_with_nan_samples_is_a_damaged_file(damaged_float_wav: Path) -> None:
    with pytest.raises(StudioError) as caught:
        decode(damaged_float_wav)
    assert caught.value.text == CANNOT_READ and "nhac-hieu.wav" in str(caught.value)


def test_such_a_file_is_refused_as_a_jingle_and_as_a_take(damaged_float_wav: Path, tmp_path: Path) -> None:
    library = JingleLibrary(assets_dir() / "jingles", tmp_path / "station")
    with pytest.raises(StudioError):
        library.import_file(damaged_float_wav, "stinger", "Nhạc chuyển")
    assert [j for j in library.list() if not j.shipped] == []
    with pytest.raises(StudioError):
        import_take(damaged_float_wav)


def test_the_same_tone_without_the_damage_imports(tmp_path: Path) -> None:
    t = np.arange(96_000) / 48_000
    clean = float_wav(tmp_path / "clean.wav", (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    jingle = JingleLibrary(assets_dir() / "jingles", tmp_path / "station").import_file(clean, "stinger", "Nhạc")
    assert abs(jingle.duration - 2.0) < 0.01


def test_a_bulletin_file_whose_zip_directory_points_nowhere_is_damaged(tmp_path: Path) -> None:
    """A fuzzed .bantin whose central directory gives an impossible offset: zipfile's seek raised a bare
    OSError (EINVAL) out of the import; it is a damaged file, said in words."""
    from studio.bundle.archive import open_bundle
    from studio.bundle.manifest import BundleError

    kept = Path(__file__).parent / "data" / "bundle-oserror.bantin"
    with pytest.raises(BundleError) as caught, open_bundle(kept):
        pass
    assert caught.value.problem == "corrupt"
    assert caught.value.translated()
