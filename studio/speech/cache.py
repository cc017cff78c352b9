"""Synthesised speech, kept so that re-rendering an unchanged bulletin costs no network and no CPU.

The key covers everything that changes the sound: the normalised text, the engine and its version, the
voice and its parameters. Entries are 16-bit WAV files named by that key (content-addressed by input);
the least recently used entries are evicted when the cache grows past its size cap. A damaged entry is
treated as a miss and removed, never as an error.

The render keeps a second cache of this kind for *voiced* items (a segment's speech assembled with its
pauses and passed through the station's voice processing at the programme's rate), keyed by the speech
keys and everything else that shapes them: re-rendering after one edit voices only the edited segment.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import wave
from pathlib import Path

import numpy as np

from studio.audio.pcm import Pcm
from studio.fileio import replacing
from studio.messages import StudioError
from studio.speech.engine import VoiceParams

log = logging.getLogger(__name__)

SUFFIX = ".wav"


def cache_key(text: str, engine_id: str, engine_version: str, params: VoiceParams) -> str:
    """sha256 over a canonical description of the request."""
    payload = json.dumps(
        {"text": text, "engine": engine_id, "version": engine_version, "voice": params.voice,
         "rate": params.rate, "pitch": params.pitch, "volume": params.volume},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _as_int16(pcm: Pcm) -> np.ndarray:
    return np.clip(np.round(pcm.samples * 32767.0), -32768, 32767).astype("<i2")


def _from_int16(ints: np.ndarray) -> np.ndarray:
    """16-bit samples as float32, divided in place (a 30-minute render reads 200 cache entries)."""
    samples = ints.astype(np.float32)
    np.divide(samples, np.float32(32767.0), out=samples)
    return samples


def stored(pcm: Pcm) -> Pcm:
    """``pcm`` as the cache keeps it (16-bit): what :meth:`SynthesisCache.get` will return for it."""
    return Pcm(_from_int16(_as_int16(pcm)).reshape(-1, pcm.channels), pcm.rate)


class SynthesisCache:
    """A folder of ``<key[:2]>/<key>.wav`` files with a total size cap (least recently used go first)."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self._total: int | None = None  # bytes on disk, scanned once, then kept up to date by put/evict

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> Pcm | None:
        path = self._path(key)
        try:
            with wave.open(str(path), "rb") as reader:
                rate, channels = reader.getframerate(), reader.getnchannels()
                if reader.getsampwidth() != 2:
                    raise wave.Error("not 16-bit")
                raw = reader.readframes(reader.getnframes())
            os.utime(path)  # mark as recently used
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, EOFError, wave.Error) as exc:
            log.warning("dropping damaged cache entry %s: %s", path, exc)
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return Pcm(_from_int16(np.frombuffer(raw, dtype="<i2")).reshape(-1, channels), rate)

    def put(self, key: str, pcm: Pcm) -> None:
        """Store ``pcm`` (a full disk only costs the cache entry: the render goes on)."""
        path = self._path(key)
        data = _as_int16(pcm)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(path) as temp, wave.open(str(temp), "wb") as writer:
                writer.setnchannels(pcm.channels)
                writer.setsampwidth(2)
                writer.setframerate(pcm.rate)
                writer.writeframes(data.tobytes())
        except (StudioError, OSError, wave.Error) as exc:  # a cache write must never fail a render
            log.warning("could not cache speech %s: %s", key, exc)
            return
        with self._lock:
            if self._total is None:
                self._total = self.size_bytes()
            else:
                self._total += path.stat().st_size
            over = self._total > self.max_bytes
        if over:
            self.evict()

    def size_bytes(self) -> int:
        return sum(entry.stat().st_size for entry in self._entries())

    def _entries(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob(f"*/*{SUFFIX}") if p.is_file()]

    def evict(self) -> int:
        """Remove least recently used entries until the cache fits its cap; returns how many went."""
        with self._lock:
            entries: list[tuple[float, int, Path]] = []
            for path in self._entries():
                try:
                    stat = path.stat()
                except OSError:
                    continue
                entries.append((stat.st_mtime, stat.st_size, path))
            total = sum(size for _, size, _ in entries)
            removed = 0
            for _, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                path.unlink(missing_ok=True)
                total -= size
                removed += 1
            self._total = total
            return removed
