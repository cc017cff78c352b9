"""Loudness measurement: ITU-R BS.1770-4 integrated loudness and true peak, EBU Tech 3342 loudness range.

These numbers decide how loud every bulletin leaves the studio and are written into the tags and the
sidecar for the playout side, so they are checked in the tests against two independent meters (ffmpeg's
``ebur128`` filter and ``pyloudnorm``, within 0.1 LU on speech, music and silence-heavy material).

Why not ``pyloudnorm``: it loops over gating blocks in Python and filters each channel in two passes; on 30
minutes of 44.1 kHz mono it takes 2.5–3.4 s here against 0.29 s for this meter on two cores (0.45 s on one),
and mastering measures a bulletin several times (benchmarks/bench_loudness.py). This meter filters once,
chunk by chunk with carried state (one pass, in float64, a chunk's size of memory), sums the K-weighted
power per 100 ms hop and forms the 400 ms blocks with 75 % overlap from a cumulative sum of those hops: no
Python loop over blocks. Long audio is cut in parts filtered in parallel threads (``lfilter`` releases the
GIL; ``sosfilt`` does not, and float32 filtering was no faster): each part after the first starts its filter
:data:`_WARM_UP_S` early from rest. The K-weighting's slowest mode (the 38 Hz high pass, a double pole)
decays as ``t·e^(−240 t)``: after 1 s the start-up difference is ~1e-100 of the signal, far below float64
rounding, so the split changes nothing. The K-weighting biquads are computed for the actual sample rate from
the analogue prototype by the bilinear transform, with the constants of libebur128 (ffmpeg) and of
pyloudnorm's ``DeMan`` filter; they reproduce the BS.1770 coefficient table at 48 kHz (pyloudnorm's default
RBJ-cookbook filter reads ~0.04 LU low). :func:`hop_energies` and :func:`integrated_from_hops` expose the
two halves, so mastering can predict the loudness after a gain curve without filtering again.

True peak oversamples with the polyphase interpolator of ``resample_poly`` (≥ 4x), evaluated as one small
matrix product per 8 frames, and only where it can matter: an interpolated value is a weighted sum of the
±10 input frames around it, so it is at most ``sum(|weights of its phase|)`` (2.24 at 4x) times their
largest magnitude. Frames whose bound is below a ``floor`` keep their sample peak; :func:`true_peak` uses
the signal's sample peak as floor (a true peak is never below it), which leaves ~7 % of speech to
oversample: 0.44 s for 30 minutes, where oversampling it all with ``resample_poly`` took 7.7 s (and the
matrix form takes 2.2 s). Exact means the values of ``resample_poly`` to float32 rounding.
:class:`LoudnessMeter` measures the same figures on a stream of chunks.

Channels are weighted per BS.1770 (1.0 for L, R, C; 1.41 for surrounds). A mono file is measured as one
channel of weight 1, like ffmpeg's ``ebur128`` without ``dualmono``: a mono −16 LUFS file sounds as loud on
one horn as a stereo −16 LUFS file on two.

Silence has no loudness. Rather than ``-inf`` (which JSON cannot hold and which turns gains into
infinities), measurements are floored: :data:`SILENCE_LUFS` (the BS.1770 absolute gate, below which
nothing counts) and :data:`SILENCE_DBTP`. Audio shorter than one 400 ms gating block is measured as a
single block of its own length.
"""

from __future__ import annotations

import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from studio.audio.pcm import Pcm, Samples
from studio.tasks import worker_initializer

# scipy is imported inside the functions that use it: scipy.signal alone takes about a second to import,
# and the studio's window (which imports this module) opens without processing any audio.

SILENCE_LUFS = -70.0  # the absolute gate: an integrated loudness at or below this means "silence"
SILENCE_DBTP = -144.0  # below the 24-bit noise floor; true peak of digital silence
REPLAYGAIN_REFERENCE_LUFS = -18.0  # ReplayGain 2.0

_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_HOPS_PER_BLOCK = 4  # 400 ms gating blocks overlapping by 75 %: a new block every 100 ms hop
_RELATIVE_GATE_LRA = -20.0
_SHORT_TERM_HOPS = 30  # 3 s short-term window, in 100 ms hops (Tech 3342: at least 10 Hz)
_HOP_S = 0.1
_CHANNEL_WEIGHTS = (1.0, 1.0, 1.0, 1.41, 1.41)
_CHUNK_FRAMES = 1 << 18
_WARM_UP_S = 1.0  # filter start-up before a parallel part: see the module docstring
_PART_MIN_S = 30.0  # parts filtered in parallel are at least this long
_MAX_PARTS = 4
_TRUE_PEAK_MIN_RATE = 176_400  # oversample 44.1/48 kHz by 4 (BS.1770-4 Annex 2), lower rates by more
_PEAK_ROW = 8  # frames interpolated per matrix row
_PEAK_BLOCK = 64  # frames per bound check: small blocks leave fewer frames to oversample
_MATMUL_BATCH = 1 << 19
_BOUND_MARGIN = 1.0 + 1e-4  # float32 rounding in the interpolation, with room to spare


Energies = npt.NDArray[np.float64]
Peaks = npt.NDArray[np.float32]


@dataclass(frozen=True)
class LoudnessReport:
    """Measured loudness of finished audio: what the tags, the sidecar and the render log record."""

    integrated_lufs: float
    true_peak_dbtp: float
    loudness_range_lu: float
    replaygain_db: float  # gain a ReplayGain 2 player applies: REPLAYGAIN_REFERENCE_LUFS - integrated


def _lufs(mean_square: float) -> float:
    return -0.691 + 10.0 * math.log10(mean_square) if mean_square > 0 else -math.inf


def _channel_weights(channels: int) -> npt.NDArray[np.float64]:
    return np.array([_CHANNEL_WEIGHTS[c] if c < len(_CHANNEL_WEIGHTS) else 1.0 for c in range(channels)])


# K-weighting prototypes (libebur128, pyloudnorm "DeMan"): a +4 dB high shelf, then a ~38 Hz high pass.
_SHELF_HZ = 1681.974450955533
_SHELF_GAIN_DB = 3.999843853973347
_SHELF_Q = 0.7071752369554196
_SHELF_BAND_EXPONENT = 0.4996667741545416
_HIGH_PASS_HZ = 38.13547087602444
_HIGH_PASS_Q = 0.5003270373238773


def _k_weighting_sos(rate: int) -> npt.NDArray[np.float64]:
    """The two K-weighting biquads for ``rate`` as second-order sections (BS.1770-4 Annex 1)."""
    k = math.tan(math.pi * _SHELF_HZ / rate)
    vh = 10.0 ** (_SHELF_GAIN_DB / 20.0)
    vb = vh**_SHELF_BAND_EXPONENT
    a0 = 1.0 + k / _SHELF_Q + k * k
    shelf = [(vh + vb * k / _SHELF_Q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / _SHELF_Q + k * k) / a0,
             1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / _SHELF_Q + k * k) / a0]
    k = math.tan(math.pi * _HIGH_PASS_HZ / rate)
    a0 = 1.0 + k / _HIGH_PASS_Q + k * k
    high_pass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / _HIGH_PASS_Q + k * k) / a0]
    return np.array([shelf, high_pass], dtype=np.float64)


class _KWeighting:
    """The K-weighting filter of one rate as a 4th-order ``lfilter`` (float64), with the channel weights.

    One ``lfilter`` is ~25 % faster than ``sosfilt`` and within ~1e-11 of it on full-scale noise at 44.1 kHz.
    Signals are filtered channel-major, ``(channels, frames)``, so each hop of a channel is contiguous.
    """

    def __init__(self, rate: int, channels: int) -> None:
        from scipy.signal import sos2tf

        self.b, self.a = sos2tf(_k_weighting_sos(rate))
        self.weights = _channel_weights(channels)
        self.channels = channels

    def rest(self) -> Energies:
        return np.zeros((self.channels, len(self.a) - 1), dtype=np.float64)

    def filter(self, frames: Samples, state: Energies) -> tuple[Energies, Energies]:
        """K-weighted ``frames`` (channel-major float64) and the filter state after them."""
        from scipy.signal import lfilter

        planar = np.ascontiguousarray(frames.T, dtype=np.float64)
        filtered, state = lfilter(self.b, self.a, planar, axis=1, zi=state)
        return filtered, state

    def power(self, filtered: Energies, block: int) -> Energies:
        """Channel-weighted sum of squares of each ``block`` frames of ``filtered`` (whole blocks only)."""
        total = np.zeros(filtered.shape[1] // block, dtype=np.float64)
        for channel in range(self.channels):
            rows = filtered[channel, : total.size * block].reshape(-1, block)
            total += self.weights[channel] * np.einsum("ij,ij->i", rows, rows)
        return total


def _energies_of_part(pcm: Pcm, kweighting: _KWeighting, block: int, first: int, last: int) -> Energies:
    """Mean weighted K-weighted power of blocks ``first`` to ``last`` (the filter warmed up before)."""
    start = first * block
    state = kweighting.rest()
    if start > 0:
        _, state = kweighting.filter(pcm.samples[max(0, start - round(_WARM_UP_S * pcm.rate)) : start], state)
    energies = np.empty(last - first, dtype=np.float64)
    step = max(1, _CHUNK_FRAMES // block)
    for index in range(first, last, step):
        stop = min(last, index + step)
        filtered, state = kweighting.filter(pcm.samples[index * block : stop * block], state)
        energies[index - first : stop - first] = kweighting.power(filtered, block)
    energies /= block
    return energies


def _block_energies(pcm: Pcm, block: int) -> Energies:
    """K-weighted, channel-weighted mean square of each whole block of ``block`` frames (tail dropped).

    Long audio is cut in up to one part per core (at least :data:`_PART_MIN_S` each), filtered in threads.
    """
    count = pcm.frames // block if block > 0 else 0
    if count == 0:
        return np.zeros(0, dtype=np.float64)
    kweighting = _KWeighting(pcm.rate, pcm.channels)
    parts = max(1, min(_MAX_PARTS, os.cpu_count() or 1, int(count * block / (_PART_MIN_S * pcm.rate))))
    if parts == 1:
        return _energies_of_part(pcm, kweighting, block, 0, count)
    bounds = [count * part // parts for part in range(parts + 1)]
    with ThreadPoolExecutor(parts, initializer=worker_initializer()) as pool:
        pieces = pool.map(lambda part: _energies_of_part(pcm, kweighting, block, bounds[part], bounds[part + 1]),
                          range(parts))
        return np.concatenate(list(pieces))


def hop_energies(pcm: Pcm) -> Energies:
    """K-weighted, channel-weighted mean square of each 100 ms hop (``round(rate / 10)`` frames; tail dropped).

    The raw material of every loudness figure here: a gain ``g`` on a hop multiplies its energy by ``g²``,
    so mastering can feed scaled energies to :func:`integrated_from_hops` instead of measuring again: exact
    for one gain, and within ~0.002 LU on speech for gains that jump by up to 9 dB from hop to hop (the
    filter's memory carries a little of each hop into the next).
    """
    return _block_energies(pcm, round(_HOP_S * pcm.rate))


def integrated_from_hops(energies: Energies) -> float:
    """Gated integrated loudness in LUFS (BS.1770-4) from :func:`hop_energies`; :data:`SILENCE_LUFS` floor.

    Fewer than four hops (audio under 400 ms) are measured as one block of their length.
    """
    if energies.size == 0:
        return SILENCE_LUFS
    if energies.size < _HOPS_PER_BLOCK:
        blocks = np.array([energies.mean()])
    else:
        sums = np.concatenate([[0.0], np.cumsum(energies)])
        blocks = np.maximum(sums[_HOPS_PER_BLOCK:] - sums[:-_HOPS_PER_BLOCK], 0.0) / _HOPS_PER_BLOCK
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(blocks)
    above_absolute = blocks[levels > _ABSOLUTE_GATE]
    if above_absolute.size == 0:
        return SILENCE_LUFS
    relative_gate = _lufs(float(above_absolute.mean())) + _RELATIVE_GATE
    gated = blocks[(levels > _ABSOLUTE_GATE) & (levels > relative_gate)]
    value = _lufs(float(gated.mean()))
    return value if value > SILENCE_LUFS else SILENCE_LUFS


def integrated_loudness(pcm: Pcm) -> float:
    """Gated integrated loudness in LUFS (BS.1770-4); :data:`SILENCE_LUFS` for silence.

    Blocks are 4 hops of ``round(rate / 10)`` frames: exactly 400 ms at every rate divisible by 10.
    """
    if pcm.frames < _HOPS_PER_BLOCK * round(_HOP_S * pcm.rate):
        return integrated_from_hops(_block_energies(pcm, pcm.frames))
    return integrated_from_hops(hop_energies(pcm))


def _range_from_hops(energies: Energies) -> float:
    if energies.size < _SHORT_TERM_HOPS:
        return 0.0
    sums = np.concatenate([[0.0], np.cumsum(energies)])
    short_term = np.maximum(sums[_SHORT_TERM_HOPS:] - sums[:-_SHORT_TERM_HOPS], 0.0) / _SHORT_TERM_HOPS
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(short_term)
    above_absolute = short_term[levels > _ABSOLUTE_GATE]
    if above_absolute.size == 0:
        return 0.0
    relative_gate = _lufs(float(above_absolute.mean())) + _RELATIVE_GATE_LRA
    gated = levels[(levels > _ABSOLUTE_GATE) & (levels >= relative_gate)]
    low, high = np.percentile(gated, [10.0, 95.0])
    return float(high - low)


def loudness_range(pcm: Pcm) -> float:
    """Loudness range in LU (EBU Tech 3342): spread of 3 s short-term loudness, 10th to 95th percentile.

    Short-term values are taken every 100 ms, gated at −70 LUFS absolute and −20 LU below their power
    mean. Audio shorter than one 3 s window, or silent, has a range of 0.
    """
    return _range_from_hops(hop_energies(pcm))


def oversampling_factor(rate: int) -> int:
    """4 for 44.1 and 48 kHz as BS.1770-4 Annex 2 asks; more for lower rates, so peaks between samples
    of a 24 kHz TTS file are found as well as those of a 48 kHz one."""
    return max(4, math.ceil(_TRUE_PEAK_MIN_RATE / rate))


@dataclass(frozen=True)
class _Interpolator:
    """``resample_poly(x, up, 1)`` (its Kaiser-windowed sinc, in float32) as a matrix on rows of input.

    A row of ``_PEAK_ROW + 2 * span`` input frames gives the ``up`` phases of its ``_PEAK_ROW`` middle
    frames, phase-major; ``gain`` bounds any output by the largest input magnitude within ``span`` frames.
    """

    up: int
    span: int
    gain: float
    matrix: npt.NDArray[np.float32]


@functools.lru_cache(maxsize=8)
def _interpolator(up: int) -> _Interpolator:
    from scipy.signal import resample_poly

    reach = 16  # more than resample_poly's ±10 frames
    impulse = np.zeros(2 * reach + 1, dtype=np.float32)
    impulse[reach] = 1.0
    # taps[reach + d, p]: weight of input frame i - d in phase p of output frame i
    taps = resample_poly(impulse, up, 1).reshape(2 * reach + 1, up)
    used = np.flatnonzero(np.any(taps != 0.0, axis=1)) - reach
    span = int(np.abs(used).max())
    assert span < min(reach, _PEAK_BLOCK), "the interpolator reaches further than the bound looks"
    gain = float(np.abs(taps.astype(np.float64)).sum(axis=0).max()) * _BOUND_MARGIN
    matrix = np.zeros((_PEAK_ROW + 2 * span, up, _PEAK_ROW), dtype=np.float32)
    for frame in range(_PEAK_ROW):
        for offset in range(-span, span + 1):
            matrix[frame + span - offset, :, frame] = taps[offset + reach]
    return _Interpolator(up, span, gain, matrix.reshape(_PEAK_ROW + 2 * span, up * _PEAK_ROW))


def _row_abs_max(rows: Samples) -> Peaks:
    """``abs(rows).max(axis=1)``, column by column: numpy reduces a short inner axis ~8x slower."""
    result = np.abs(rows[:, 0]).astype(np.float32)
    for column in range(1, rows.shape[1]):
        np.maximum(result, np.abs(rows[:, column]), out=result)
    return result


def _candidates(block_peaks: Peaks, before: float, after: float, interpolator: _Interpolator,
                floor: float) -> npt.NDArray[np.intp]:
    """Blocks whose interpolated values may exceed ``floor``: the bound of their ±``span`` neighbourhood
    (within the adjacent blocks; ``before`` and ``after`` are the peaks of the context) is above it."""
    near = block_peaks.copy()
    np.maximum(near[1:], block_peaks[:-1], out=near[1:])
    np.maximum(near[:-1], block_peaks[1:], out=near[:-1])
    near[0] = max(near[0], before)
    near[-1] = max(near[-1], after)
    return np.flatnonzero(near * interpolator.gain > floor)


def _matmul_in_batches(rows: npt.NDArray[np.float32], matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``rows @ matrix`` as a stack of products of at most :data:`_MATMUL_BATCH` multiply-adds each.

    OpenBLAS hands a big product to all cores, which costs 3-10x more when other programs keep them busy
    (its threads spin); products this small take its single-threaded small-matrix path.
    """
    count = max(1, _MATMUL_BATCH // matrix.size)
    whole = rows.shape[0] // count * count
    stacked = (rows[:whole].reshape(-1, count, rows.shape[1]) @ matrix).reshape(whole, matrix.shape[1])
    return np.concatenate([stacked, rows[whole:] @ matrix]) if whole < rows.shape[0] else stacked


def _interpolated_blocks(extended: Samples, blocks: npt.NDArray[np.intp], interpolator: _Interpolator) -> Peaks:
    """Largest oversampled magnitude (all phases and channels) of each frame of ``blocks``, ``(blocks, frames)``.

    ``extended`` holds ``span`` frames of context before its first block and at least as many after its last.
    """
    span, up = interpolator.span, interpolator.up
    per_block = _PEAK_BLOCK // _PEAK_ROW
    rows = (blocks[:, np.newaxis] * per_block + np.arange(per_block)).reshape(-1)
    found: Peaks | None = None
    for channel in range(extended.shape[1]):
        windows = sliding_window_view(extended[:, channel], _PEAK_ROW + 2 * span)[::_PEAK_ROW]
        phases = _matmul_in_batches(windows[rows], interpolator.matrix).reshape(-1, up, _PEAK_ROW)
        loudest = np.maximum(np.abs(phases[:, 0]), np.abs(phases[:, 1]))
        for phase in range(2, up):
            np.maximum(loudest, np.abs(phases[:, phase]), out=loudest)
        found = loudest if found is None else np.maximum(found, loudest, out=found)
    assert found is not None
    return found.reshape(-1, _PEAK_BLOCK)


def _padded(extended: Samples, span: int) -> tuple[Samples, int, int]:
    """``extended`` with zeros after it so that its middle is whole blocks; the middle's length and blocks.

    Blocks of :data:`_PEAK_BLOCK` frames start at the first middle frame; callers keep that a multiple of
    the block in the whole signal, so every frame is interpolated from the same rows whoever asks.
    """
    core = extended.shape[0] - 2 * span
    blocks = -(-core // _PEAK_BLOCK)
    room = blocks * _PEAK_BLOCK + 2 * span - extended.shape[0]
    if room > 0:
        extended = np.concatenate([extended, np.zeros((room, extended.shape[1]), dtype=np.float32)])
    return extended, core, blocks


def _region_true_peaks(extended: Samples, interpolator: _Interpolator, floor: float) -> Peaks:
    """Per-frame true peaks of the middle of ``extended`` (``span`` frames of context each side, zeros
    beyond the signal), exact where they may exceed ``floor``, else the sample peaks (see frame_true_peaks)."""
    span = interpolator.span
    extended, core, blocks = _padded(extended, span)
    magnitudes = _row_abs_max(extended)
    peaks = magnitudes[span : span + blocks * _PEAK_BLOCK].copy()
    peaks[core:] = 0.0
    by_block = peaks.reshape(blocks, _PEAK_BLOCK)
    before, after = float(magnitudes[:span].max(initial=0.0)), float(magnitudes[span + core :].max(initial=0.0))
    candidates = _candidates(by_block.max(axis=1), before, after, interpolator, floor)
    if candidates.size:
        found = _interpolated_blocks(extended, candidates, interpolator)
        by_block[candidates] = np.maximum(by_block[candidates], found)
    return peaks[:core]


def _region_true_peak(extended: Samples, interpolator: _Interpolator, floor: float) -> float:
    """The largest interpolated value in the middle of ``extended`` if it exceeds ``floor``, else 0."""
    span = interpolator.span
    extended, core, blocks = _padded(extended, span)
    middle = extended[span : span + blocks * _PEAK_BLOCK].reshape(blocks, -1)
    block_peaks = np.maximum(middle.max(axis=1), -middle.min(axis=1))
    if core % _PEAK_BLOCK:  # the padding after the last frame belongs to the context
        block_peaks[-1] = _sample_peak(extended[span + core - core % _PEAK_BLOCK : span + core])
    before = _sample_peak(extended[:span])
    after = _sample_peak(extended[span + core :])
    candidates = _candidates(block_peaks, before, after, interpolator, floor)
    if candidates.size == 0:
        return 0.0
    found = _interpolated_blocks(extended, candidates, interpolator)
    if core % _PEAK_BLOCK and candidates[-1] == blocks - 1:
        found[-1, core % _PEAK_BLOCK :] = 0.0  # interpolated after the last frame: not the signal's
    return float(found.max())


def _sample_peak(samples: Samples) -> float:
    return max(float(samples.max()), -float(samples.min())) if samples.size else 0.0


def _with_context(samples: Samples, start: int, stop: int, span: int) -> Samples:
    """``samples[start - span : stop + span]``, zero-padded beyond the signal."""
    low, high = max(0, start - span), min(samples.shape[0], stop + span)
    if low == start - span and high == stop + span:
        return samples[low:high]
    out = np.zeros((stop - start + 2 * span, samples.shape[1]), dtype=np.float32)
    out[low - (start - span) : high - (start - span)] = samples[low:high]
    return out


def frame_true_peaks(samples: Samples, rate: int, *, floor: float = 0.0, per: int = 1) -> Peaks:
    """Per input frame, the largest absolute value of the oversampled signal around it, over all channels.

    The limiter needs peaks frame by frame, :func:`true_peak` only their maximum. Oversampling is the
    polyphase interpolation of ``resample_poly`` (to within float32 rounding, ~1e-7), never below the
    sample peak. A frame whose true peak exceeds ``floor`` (linear) gets that exact value; any other frame
    gets a value between its sample peak and ``floor`` (its sample peak: its neighbourhood is too quiet for
    an interpolated value to exceed ``floor``, so it is not oversampled). A caller that only cares about
    peaks over a ceiling passes the ceiling and saves most of the work.

    With ``per`` > 1, one value per ``per`` frames (the last group may be shorter): the largest of theirs.
    The limiter asks for its control blocks this way; the per-frame values then only ever exist one chunk
    at a time, not as one float per frame of the programme.
    """
    if per < 1:
        raise ValueError("per must be at least one frame")
    interpolator = _interpolator(oversampling_factor(rate))
    frames = samples.shape[0]
    peaks = np.empty(-(-frames // per), dtype=np.float32)
    # Chunks start on whole interpolation blocks (see _padded) and whole groups of ``per`` frames.
    step = max(1, _CHUNK_FRAMES // math.lcm(_PEAK_BLOCK, per)) * math.lcm(_PEAK_BLOCK, per)

    def chunk(start: int) -> None:  # chunks are independent: numpy releases the GIL, so on every core
        stop = min(frames, start + step)
        extended = _with_context(samples, start, stop, interpolator.span)
        found = _region_true_peaks(extended, interpolator, floor)
        if per > 1:
            found = np.maximum.reduceat(found, np.arange(0, found.size, per))
        peaks[start // per : -(-stop // per)] = found

    starts = range(0, frames, step)
    workers = min(_MAX_PARTS, os.cpu_count() or 1, len(starts))
    if workers <= 1:
        for start in starts:
            chunk(start)
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="true-peak", initializer=worker_initializer()) as pool:
            list(pool.map(chunk, starts))
    return peaks


def _dbtp(peak: float) -> float:
    return max(SILENCE_DBTP, 20.0 * math.log10(peak)) if peak > 0 else SILENCE_DBTP


def true_peak(pcm: Pcm) -> float:
    """True peak in dBTP (BS.1770-4 Annex 2, oversampled ≥ 4x); :data:`SILENCE_DBTP` for silence.

    Only the neighbourhoods that could beat the sample peak are oversampled; the result is exact.
    """
    floor = _sample_peak(pcm.samples)
    if floor == 0.0:
        return SILENCE_DBTP
    interpolator = _interpolator(oversampling_factor(pcm.rate))
    peak = floor
    for start in range(0, pcm.frames, _CHUNK_FRAMES):
        stop = min(pcm.frames, start + _CHUNK_FRAMES)
        extended = _with_context(pcm.samples, start, stop, interpolator.span)
        peak = max(peak, _region_true_peak(extended, interpolator, floor))
    return _dbtp(peak)


def _report(integrated: float, peak_dbtp: float, range_lu: float) -> LoudnessReport:
    return LoudnessReport(integrated_lufs=integrated, true_peak_dbtp=peak_dbtp, loudness_range_lu=range_lu,
                          replaygain_db=REPLAYGAIN_REFERENCE_LUFS - integrated)


def measure(pcm: Pcm) -> LoudnessReport:
    """All loudness figures of ``pcm`` at once."""
    if pcm.frames < _HOPS_PER_BLOCK * round(_HOP_S * pcm.rate):
        return _report(integrated_loudness(pcm), true_peak(pcm), 0.0)
    energies = hop_energies(pcm)
    return _report(integrated_from_hops(energies), true_peak(pcm), _range_from_hops(energies))


class LoudnessMeter:
    """Loudness of a programme that arrives in chunks, as the render pipeline sends it to the encoder.

    :meth:`report` gives what :func:`measure` gives on the concatenated chunks (to float rounding, far
    within 1e-6 LU and dB): the filter state, the unfinished 100 ms hop and the frames still waiting for the
    interpolator's right context are carried from one chunk to the next. Memory grows by about one float
    per 100 ms. Not thread-safe.
    """

    def __init__(self, rate: int, channels: int) -> None:
        if rate <= 0 or channels <= 0:
            raise ValueError("a loudness meter needs a positive rate and channel count")
        self.rate = rate
        self.channels = channels
        self._hop = round(_HOP_S * rate)
        self._kweighting = _KWeighting(rate, channels)
        self._state = self._kweighting.rest()
        self._unfinished = np.zeros((channels, 0), dtype=np.float64)  # filtered frames of the current hop
        self._energies: list[Energies] = []
        self._frames = 0
        self._interpolator = _interpolator(oversampling_factor(rate))
        span = self._interpolator.span
        self._context = np.zeros((span, channels), dtype=np.float32)  # frames before the waiting ones
        self._waiting = np.zeros((0, channels), dtype=np.float32)  # from a multiple of _PEAK_BLOCK on
        self._head = np.zeros((0, channels), dtype=np.float32)  # the first frames fed: a meter before needs them
        self._sample_peak = 0.0
        self._true_peak = 0.0

    def warm(self, samples: Samples) -> None:
        """Take ``samples`` as what came just before the first frame to be fed, without measuring them: the
        filter and the interpolator start where a meter fed them too would be (see :meth:`followed_by`)."""
        samples = np.asarray(samples, dtype=np.float32)
        if self._frames or samples.ndim != 2 or samples.shape[1] != self.channels:
            raise ValueError("only a meter not fed yet can be warmed, with frames of its channel count")
        _, self._state = self._kweighting.filter(samples, self._state)
        span = self._interpolator.span
        self._context = np.concatenate([self._context, samples])[-span:].copy()

    def feed(self, samples: Samples) -> None:
        """Measure the next ``(frames, channels)`` chunk (any length, float32)."""
        if samples.ndim != 2 or samples.shape[1] != self.channels:
            raise ValueError(f"expected samples shaped (frames, {self.channels})")
        samples = np.asarray(samples, dtype=np.float32)
        span = self._interpolator.span
        if self._head.shape[0] < span:
            self._head = np.concatenate([self._head, samples[: span - self._head.shape[0]]])
        for start in range(0, samples.shape[0], _CHUNK_FRAMES):
            chunk = samples[start : start + _CHUNK_FRAMES]
            self._feed_loudness(chunk)
            self._feed_peaks(chunk)
        self._frames += samples.shape[0]

    def _feed_loudness(self, chunk: Samples) -> None:
        filtered, self._state = self._kweighting.filter(chunk, self._state)
        if self._unfinished.shape[1]:
            filtered = np.concatenate([self._unfinished, filtered], axis=1)
        whole = filtered.shape[1] // self._hop * self._hop
        if whole:
            self._energies.append(self._kweighting.power(filtered, self._hop) / self._hop)
        self._unfinished = filtered[:, whole:].copy()

    def _feed_peaks(self, chunk: Samples) -> None:
        self._sample_peak = max(self._sample_peak, _sample_peak(chunk))
        waiting = np.concatenate([self._waiting, chunk])
        span = self._interpolator.span
        ready = max(0, waiting.shape[0] - span) // _PEAK_BLOCK * _PEAK_BLOCK
        if ready:
            # Only what could beat the loudest value found so far is oversampled: the floor only ever rises.
            extended = np.concatenate([self._context, waiting[: ready + span]])
            floor = max(self._sample_peak, self._true_peak)
            self._true_peak = max(self._true_peak, _region_true_peak(extended, self._interpolator, floor))
            self._context = waiting[ready - span : ready].copy()
            waiting = waiting[ready:]
        self._waiting = waiting.copy()

    def _peak(self, after: Samples | None = None) -> float:
        """The largest (true or sample) peak of what was fed, ``after`` being the frames that follow it
        (silence when None: the end of the programme)."""
        span = self._interpolator.span
        peak = max(self._true_peak, self._sample_peak)
        if self._waiting.shape[0]:
            silence = np.zeros((span, self.channels), dtype=np.float32)
            right = silence if after is None else np.concatenate([after[:span], silence])[:span]
            extended = np.concatenate([self._context, self._waiting, right])
            peak = max(peak, _region_true_peak(extended, self._interpolator, peak))
        return peak

    def report(self) -> LoudnessReport:
        """The figures of everything fed so far (feeding may go on afterwards)."""
        return self._figures(self._energies, self._frames, self._unfinished, self._peak())

    def followed_by(self, later: LoudnessMeter) -> LoudnessReport:
        """The figures of this meter's frames followed by ``later``'s, as one meter fed both gives them.

        ``later`` was warmed (:meth:`warm`) with this meter's last frames; this meter was fed whole 100 ms
        hops. Two meters can so measure two parts of a programme as they arrive from two places at once.
        """
        if self._unfinished.shape[1] or (later.rate, later.channels) != (self.rate, self.channels):
            raise ValueError("meters join at a whole hop, at the same rate and channel count")
        peak = max(self._peak(later._head), later._peak())
        return self._figures([*self._energies, *later._energies], self._frames + later._frames, later._unfinished,
                             peak)

    def _figures(self, hops: list[Energies], frames: int, unfinished: Energies, peak: float) -> LoudnessReport:
        energies = np.concatenate([np.zeros(0), *hops])
        if frames < _HOPS_PER_BLOCK * self._hop:
            total = float(energies.sum()) * self._hop + float(self._kweighting.power(unfinished, 1).sum())
            integrated = integrated_from_hops(np.array([total / frames])) if frames else SILENCE_LUFS
            return _report(integrated, _dbtp(peak), 0.0)
        return _report(integrated_from_hops(energies), _dbtp(peak), _range_from_hops(energies))
