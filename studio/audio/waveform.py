"""Waveform overviews: min/max peaks per pixel column, and a cache so a long bed is decoded only once.

:func:`peaks` is pure and vectorised (``numpy.minimum.reduceat``), so a 15-minute stereo bed at 48 kHz
is summarised in a few tens of milliseconds. :class:`WaveformCache` keys each overview by the sha256 of
the audio file's bytes and the column count: the same content under another name hits the cache, an
edited file does not. Entries are ``.npy`` files written atomically; a damaged one is recomputed.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.audio.codec import decode
from studio.audio.pcm import Pcm
from studio.fileio import sha256_of, write_bytes_atomically

log = logging.getLogger(__name__)

Peaks = npt.NDArray[np.float32]


def peaks(pcm: Pcm, columns: int) -> Peaks:
    """``(columns, 2)`` float32: the lowest and highest sample (over all channels) under each column.

    Frames are split into ``columns`` contiguous runs of nearly equal length. With more columns than
    frames, neighbouring columns show the same sample, so the drawing stretches instead of leaving gaps.
    Silence (no frames) is all zeros.
    """
    if columns <= 0:
        raise ValueError("columns must be positive")
    result = np.zeros((columns, 2), dtype=np.float32)
    if pcm.frames == 0:
        return result
    starts = (np.arange(columns, dtype=np.int64) * pcm.frames) // columns
    result[:, 0] = np.minimum.reduceat(pcm.samples.min(axis=1), starts)
    result[:, 1] = np.maximum.reduceat(pcm.samples.max(axis=1), starts)
    return result



class WaveformCache:
    """Peaks of audio files, computed once per file content and column count, kept under ``root``.

    The file's sha256 is remembered for its (path, size, modification time) during the cache's life, so
    repainting a bed does not hash it again either.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._hashes: dict[tuple[str, int, int], str] = {}

    def _sha256(self, path: Path) -> str:
        stat = path.stat()
        key = (os.fspath(path.absolute()), stat.st_size, stat.st_mtime_ns)
        if key not in self._hashes:
            self._hashes[key] = sha256_of(path)
        return self._hashes[key]

    def entry_path(self, audio_path: Path, columns: int) -> Path:
        return self.root / f"{self._sha256(audio_path)}-{columns}.npy"

    def get_or_compute(self, audio_path: Path, columns: int, decode_fn: Callable[[Path], Pcm] = decode) -> Peaks:
        """Peaks of ``audio_path`` from the cache, or decoded with ``decode_fn``, stored, and returned.

        ``decode_fn`` raises :class:`~studio.messages.StudioError` for an unreadable file; nothing is stored then.
        """
        if columns <= 0:
            raise ValueError("columns must be positive")
        entry = self.entry_path(audio_path, columns)
        cached = self._load(entry, columns)
        if cached is not None:
            return cached
        result = peaks(decode_fn(audio_path), columns)
        buffer = io.BytesIO()
        np.save(buffer, result, allow_pickle=False)
        self.root.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(entry, buffer.getvalue())
        return result

    @staticmethod
    def _load(entry: Path, columns: int) -> Peaks | None:
        try:
            data = np.load(entry, allow_pickle=False)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError) as exc:
            log.warning("damaged waveform cache entry %s: %s", entry, exc)
            return None
        if (
            not isinstance(data, np.ndarray)
            or data.shape != (columns, 2)
            or data.dtype != np.float32
            or not np.isfinite(data).all()
        ):
            log.warning("damaged waveform cache entry %s", entry)
            return None
        return data
