"""Finishing a programme in one pass: loudness gain, true-peak limiting, encoding and measuring the file.

A 45-minute session must render in seconds on an old 2-core PC, and the MP3 encoder is the physical floor
(issue 4: at most 1.2× the time ffmpeg alone needs to encode the same PCM). The older
:func:`~studio.audio.master.master_mp3` mastered in several full passes, encoded, decoded the file and
measured it again; on 30 minutes that was ~4× the encoder's time. Here:

1. One K-weighting pass gives the programme's 100 ms hop energies and so its integrated loudness.
2. True peaks are oversampled only where they could reach the ceiling at the highest gain that might be
   applied (:func:`~studio.audio.loudness.frame_true_peaks` with a ``floor``); the rest of the programme
   is too quiet to matter and costs a sample-peak scan.
3. The gain that reaches the target *after* limiting is solved on those numbers, without touching the
   audio again: the limiter curve (one value per 1 ms block) scales each hop's energy by its mean
   squared gain. K-weighting is linear and the gain moves slowly next to a 100 ms hop, so the estimate is
   within a few hundredths of a LU of measuring the limited audio (tests check the file itself).
4. The programme is multiplied by the gain curve chunk by chunk and streamed to one ffmpeg process that
   writes the file *and*, through a loopback decoder (``-dec``, ffmpeg ≥ 7), decodes what it encoded; the
   decoded stream is measured by a :class:`~studio.audio.loudness.LoudnessMeter` as it arrives. The
   report therefore describes the delivered file, measured while the encoder runs, at no extra wall time.
   If the file misses the target (MP3 coding lowers the level ~0.4 LU; a first guess compensates) or its
   true peak is over the ceiling, the encode is redone once with the correction: rare, and visible in the log.

Memory: the programme itself, one float32 per frame of peaks, and chunk-sized temporaries.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from studio.audio.codec import decode, encode_failure, ffmpeg_path
from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.loudness import (
    SILENCE_LUFS,
    LoudnessMeter,
    LoudnessReport,
    _block_energies,
    integrated_from_hops,
    measure,
)
from studio.audio.master import (
    DEFAULT_TARGET_LUFS,
    DEFAULT_TRUE_PEAK_CEILING,
    ENCODE_HEADROOM_DB,
    GainDb,
    _control_block,
    _Limiter,
    _next_gain,
)
from studio.audio.pcm import Pcm
from studio.fileio import replacing
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

MAX_BOOST_DB = 3.0  # extra gain limiting losses may call for (mastered speech: < 1 dB); raised for hot input
DELIVERED_TOLERANCE_LU = 0.2
_ESTIMATE_TOLERANCE_LU = 0.02
_MAX_STEPS = 8
_MAX_ENCODES = 2
_MAX_BOOSTS = 3
_CHUNK_FRAMES = 1 << 17
_METER_BYTES = 1 << 20
# The decoded stream leaves ffmpeg in pieces of this many frames (the last one shorter; the samples are the
# same): the decoder's own 1152-frame pieces reached the studio as ~4.6 KB pipe reads, and reading,
# collecting and joining 76,000 of them for 33 minutes cost ~1 s of CPU (interleaved runs, 2026-11-23:
# the studio's CPU during the encode 4.1 s → 3.0 s, medians of four; ffmpeg's own unchanged).
_HEARD_FRAMES = 65536
_HOP_S = 0.1
_loopback_supported: bool | None = None  # learnt from the first encode: ffmpeg < 7 has no -dec


@dataclass(frozen=True)
class OutputFormat:
    """The delivered file: MP3 (CBR) or 16-bit WAV, at ``rate`` with ``channels``."""

    container: Literal["mp3", "wav"] = "mp3"
    bitrate_kbps: int = 128
    rate: int = 44100
    channels: int = 1

    @property
    def suffix(self) -> str:
        return f".{self.container}"

    def codec_args(self) -> list[str]:
        args = ["-ar", str(self.rate), "-ac", str(self.channels)]
        if self.container == "wav":
            return [*args, "-c:a", "pcm_s16le", "-f", "wav"]
        return [*args, "-c:a", "libmp3lame", "-b:a", f"{self.bitrate_kbps}k", "-write_xing", "1",
                "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3"]

    def expected_loss_db(self) -> float:
        """How much quieter the coded file measures than its input, as a first guess (measured on speech)."""
        if self.container == "wav":
            return 0.0
        return 0.45 if self.bitrate_kbps <= 160 else 0.3

    def peak_headroom_db(self) -> float:
        """Margin under the ceiling for overshoot the coding adds between samples."""
        return ENCODE_HEADROOM_DB if self.container == "mp3" else 0.05


class _Energies:
    """K-weighted energy per limiter control block, and the 100 ms hops made of them.

    The limiter reduces exactly the loudest instants of a hop, so scaling a whole hop's energy by its mean
    squared gain would overestimate what is left (by ~0.6 LU on hot speech); weighting each control block's
    own energy by its gain does not. A hop is the blocks that start in it (its edges off by < 1 block).
    """

    def __init__(self, pcm: Pcm, block: int, hop: int) -> None:
        self.blocks = _block_energies(pcm, block)
        hops = pcm.frames // hop
        self.starts = np.minimum((np.arange(hops, dtype=np.int64) * hop) // block, max(0, self.blocks.size - 1))
        self.counts = np.diff(np.append(self.starts, self.blocks.size)).clip(min=1)

    def loudness(self, curve_db: GainDb | None = None) -> float:
        """Integrated loudness, after the gain ``curve_db`` (dB per control block) if given."""
        if self.blocks.size == 0 or self.starts.size == 0:
            return SILENCE_LUFS
        weighted = self.blocks
        if curve_db is not None:
            weighted = self.blocks * np.power(10.0, curve_db[: self.blocks.size] / 10.0)
        return integrated_from_hops(np.add.reduceat(weighted, self.starts) / self.counts)


def _solve_gain(energies: _Energies, limiter: _Limiter, level: float, want: float, ceiling: float,
                max_gain: float) -> tuple[GainDb, float]:
    """The limiter curve whose result measures ``want`` LUFS (estimated), the gain capped at ``max_gain``;
    and the estimated loudness it gives."""
    gains = [min(max_gain, want - level)]
    levels: list[float] = []
    best: tuple[float, GainDb] | None = None
    for _ in range(_MAX_STEPS):
        curve = limiter.curve_db(gains[-1], ceiling)
        levels.append(energies.loudness(curve))
        if best is None or abs(levels[-1] - want) < abs(best[0] - want):
            best = (levels[-1], curve)
        if abs(levels[-1] - want) <= _ESTIMATE_TOLERANCE_LU:
            break
        following = min(max_gain, _next_gain(gains, levels, want))
        if following == gains[-1]:
            break  # at the cap: the target needs more limiting than the programme can take
        gains.append(following)
    assert best is not None
    log.debug("mastering: %d gain steps, estimate %.2f LUFS for %.2f", len(levels), best[0], want)
    return best[1], best[0]


class _MeterSink:
    """Feeds ffmpeg's decoded float32 stream to a meter in ~1 MB pieces (whole frames only).

    Pieces are joined once and read in place: 350 MB pass through here for 30 minutes of audio, and every
    extra copy is CPU taken from the encoder's neighbour core.
    """

    def __init__(self, meter: LoudnessMeter) -> None:
        self.meter = meter
        self.frame_bytes = 4 * meter.channels
        self.pieces: list[bytes] = []
        self.size = 0

    def __call__(self, chunk: bytes) -> None:
        self.pieces.append(chunk)
        self.size += len(chunk)
        if self.size >= _METER_BYTES:
            self.flush()

    def flush(self) -> None:
        joined = self.pieces[0] if len(self.pieces) == 1 else b"".join(self.pieces)
        whole = len(joined) // self.frame_bytes
        if whole:
            samples = np.frombuffer(joined, dtype="<f4", count=whole * self.meter.channels)
            self.meter.feed(samples.reshape(-1, self.meter.channels))
        rest = joined[whole * self.frame_bytes :]
        self.pieces = [rest] if rest else []
        self.size = len(rest)


def _gained_chunks(pcm: Pcm, limiter: _Limiter | None, linear: GainDb | None,
                   cancel: CancelToken | None) -> Iterator[bytes]:
    """The programme times its gain curve, as little-endian float32, chunk by chunk."""
    for start in range(0, pcm.frames, _CHUNK_FRAMES):
        if cancel is not None:
            cancel.raise_if_cancelled()
        stop = min(pcm.frames, start + _CHUNK_FRAMES)
        chunk = pcm.samples[start:stop]
        if limiter is not None and linear is not None:
            chunk = chunk * limiter.chunk_gain(linear, start, stop)[:, np.newaxis]
        if not np.isfinite(chunk).all():
            raise ValueError("Pcm contains NaN or infinite samples")  # a bug upstream, not a user problem
        yield np.ascontiguousarray(chunk, dtype="<f4").tobytes()


def _encode_measured(pcm: Pcm, limiter: _Limiter | None, linear: GainDb | None, temp: Path, shown: Path,
                     fmt: OutputFormat, cancel: CancelToken | None) -> LoudnessReport:
    """Encode the gained programme to ``temp``; return the loudness of the file as written."""
    global _loopback_supported
    source = ["-f", "f32le", "-ar", str(pcm.rate), "-ac", str(pcm.channels), "-i", "pipe:0",
              "-map", "0:a", "-map_metadata", "-1", *fmt.codec_args(), "-fflags", "+bitexact", "-y",
              ffmpeg_path(temp)]
    if _loopback_supported is not False:
        meter = LoudnessMeter(fmt.rate, fmt.channels)
        sink = _MeterSink(meter)
        loopback = ["-dec", "0:0", "-filter_complex", f"[dec:0]asetnsamples=n={_HEARD_FRAMES}:p=0[heard]",
                    "-map", "[heard]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"]
        outcome = run_ffmpeg([*source, *loopback], stdin=_gained_chunks(pcm, limiter, linear, cancel),
                             stdout_sink=sink, cancel=cancel)
        if outcome.ok:
            _loopback_supported = True
            sink.flush()
            return meter.report()
        if "dec" not in outcome.stderr_tail or _loopback_supported:
            raise encode_failure(outcome.stderr_tail, shown)
        log.info("this ffmpeg has no loopback decoder; the file is measured after encoding")
        _loopback_supported = False
    outcome = run_ffmpeg(source, stdin=_gained_chunks(pcm, limiter, linear, cancel), cancel=cancel)
    if not outcome.ok:
        raise encode_failure(outcome.stderr_tail, shown)
    return measure(decode(temp, cancel=cancel))


def finish(
    pcm: Pcm,
    path: str | os.PathLike[str],
    fmt: OutputFormat = OutputFormat(),
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_ceiling: float = DEFAULT_TRUE_PEAK_CEILING,
    cancel: CancelToken | None = None,
) -> LoudnessReport:
    """Master ``pcm`` to ``target_lufs`` under ``true_peak_ceiling`` and write it to ``path`` as ``fmt``.

    Returns the loudness *of the written file*. ``path`` appears only once the file is complete; cancel
    or failure (full disk, refused folder: a :class:`~studio.messages.StudioError` naming it) leaves
    nothing and an older file at ``path`` as it was. Silence is written as silence.
    """
    path = Path(path)
    energies = _Energies(pcm, _control_block(pcm.rate), round(_HOP_S * pcm.rate))
    level = energies.loudness()
    offset = fmt.expected_loss_db()
    headroom = fmt.peak_headroom_db()
    limiter: _Limiter | None = None
    max_gain = 0.0
    with replacing(path) as temp:
        for attempt in range(_MAX_ENCODES):
            linear = None
            if level > SILENCE_LUFS:
                ceiling = true_peak_ceiling - headroom
                want = target_lufs + offset
                boost = MAX_BOOST_DB
                for _ in range(_MAX_BOOSTS):
                    if limiter is None or want - level + boost > max_gain:
                        max_gain = want - level + boost
                        limiter = _Limiter(pcm.samples, pcm.rate, floor=10.0 ** ((ceiling - max_gain) / 20.0))
                    curve, estimate = _solve_gain(energies, limiter, level, want, ceiling, max_gain)
                    if estimate >= want - _ESTIMATE_TOLERANCE_LU:
                        break
                    boost += MAX_BOOST_DB  # hot material: limiting costs more than the boost allowed for
                linear = np.power(10.0, curve / 20.0)
            if cancel is not None:
                cancel.raise_if_cancelled()
            report = _encode_measured(pcm, limiter, linear, temp, path, fmt, cancel)
            miss = target_lufs - report.integrated_lufs
            excess = report.true_peak_dbtp - true_peak_ceiling
            if report.integrated_lufs <= SILENCE_LUFS or (abs(miss) <= DELIVERED_TOLERANCE_LU and excess <= 0):
                break
            log.info("encode %d of %s missed: %.2f LUFS, %.2f dBTP; correcting", attempt + 1, path.name,
                     report.integrated_lufs, report.true_peak_dbtp)
            offset += miss
            headroom += max(0.0, excess + 0.1)
    return report
