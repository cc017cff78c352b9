"""The speech cache: exact keys, lossless-enough storage, LRU eviction, damage tolerated."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from studio.audio.pcm import Pcm
from studio.speech.cache import SynthesisCache, cache_key
from studio.speech.engine import VoiceParams


def tone(seconds: float = 0.5, rate: int = 24000) -> Pcm:
    t = np.arange(int(seconds * rate)) / rate
    return Pcm.from_mono(0.5 * np.sin(2 * np.pi * 440 * t), rate)


def test_key_changes_with_everything_that_changes_the_sound() -> None:
    base = cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural"))
    variants = [
        cache_key("Xin chào!", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural")),
        cache_key("Xin chào", "espeak", "7.3", VoiceParams("vi-VN-HoaiMyNeural")),
        cache_key("Xin chào", "edge", "7.4", VoiceParams("vi-VN-HoaiMyNeural")),
        cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-NamMinhNeural")),
        cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural", rate=10)),
        cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural", pitch=-5)),
        cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural", volume=5)),
    ]
    assert len({base, *variants}) == 1 + len(variants)
    assert base == cache_key("Xin chào", "edge", "7.3", VoiceParams("vi-VN-HoaiMyNeural"))


def test_round_trip_within_16_bit_precision(tmp_path: Path) -> None:
    cache = SynthesisCache(tmp_path, 10 << 20)
    pcm = tone()
    cache.put("ab" * 32, pcm)
    back = cache.get("ab" * 32)
    assert back is not None and back.rate == 24000 and back.frames == pcm.frames
    assert np.max(np.abs(back.samples - pcm.samples)) < 1 / 16384
    assert cache.get("cd" * 32) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_least_recently_used_entries_are_evicted_first(tmp_path: Path) -> None:
    one = tone(1.0)  # 48 kB as 16-bit WAV
    cache = SynthesisCache(tmp_path, 150_000)  # three entries fit, four do not
    keys = [f"{i:02d}" * 32 for i in range(3)]
    for age, key in enumerate(keys):
        cache.put(key, one)
        path = tmp_path / key[:2] / f"{key}.wav"
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get(keys[0]) is not None  # now the most recently used
    cache.put("99" * 32, one)
    assert cache.get(keys[1]) is None  # the oldest untouched one went
    assert cache.get(keys[0]) is not None
    assert cache.size_bytes() <= 150_000


def test_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = SynthesisCache(tmp_path, 10 << 20)
    path = tmp_path / "ef" / f"{'ef' * 32}.wav"
    path.parent.mkdir()
    path.write_bytes(b"RIFF\x00garbage")
    assert cache.get("ef" * 32) is None
    assert not path.exists()


def test_unwritable_cache_does_not_raise(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    SynthesisCache(blocker, 1 << 20).put("ab" * 32, tone())
