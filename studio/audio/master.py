"""Mastering: bring a finished mix to the station's loudness target under a true-peak ceiling.

Horn loudspeakers want every bulletin equally loud (DOMAIN "Sound": −16 LUFS integrated, −1 dBTP by
default, both station settings). :func:`master` applies one gain to reach the target and lets a look-ahead
true-peak limiter catch the peaks that gain pushed over the ceiling. Limiting lowers the loudness, so the
gain is corrected (secant steps: when the limiter works hard, 1 dB more gain may give only 0.3 LU more) and
the limiter run again *from the original samples*, never limiting twice, until the result is within
:data:`LOUDNESS_TOLERANCE_LU`.

MP3 coding changes the waveform: at 128 kbps LAME lowers the level by ~0.45 dB and can raise true peaks
between samples. Hence two defences:

* the limiter's ceiling sits :data:`ENCODE_HEADROOM_DB` below the requested one, so that even
  :func:`master` followed by a plain :func:`~studio.audio.codec.encode_mp3` respects the ceiling in the file;
* :func:`master_mp3` encodes, decodes what it wrote, measures it, and corrects once or twice, so the
  *delivered* MP3 is on target; its report describes that file, which is what the tags must say.

The limiter is vectorised (no per-sample Python loop): the gain each frame needs comes from oversampled
peaks; it is held, given a linear-in-dB release by a sliding minimum, and smoothed ahead of each peak by a
minimum filter and two moving averages, at a control rate of one point per :data:`CONTROL_S`. Each step
can only lower the gain below what every frame needs, so the ceiling holds by construction; a final
true-peak measurement checks it (and would trim the rest; on the test material it never had to).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.audio.codec import decode, encode_mp3
from studio.audio.loudness import (
    REPLAYGAIN_REFERENCE_LUFS,
    SILENCE_LUFS,
    LoudnessReport,
    frame_true_peaks,
    integrated_loudness,
    loudness_range,
    measure,
    true_peak,
)
from studio.audio.pcm import Pcm, Samples
from studio.fileio import replacing
from studio.tasks import CancelToken, worker_initializer

DEFAULT_TARGET_LUFS = -16.0
DEFAULT_TRUE_PEAK_CEILING = -1.0
ENCODE_HEADROOM_DB = 0.5  # MP3 128 kbps true-peak overshoot on speech-like material measured ≤ 0.35 dB
LOUDNESS_TOLERANCE_LU = 0.3
LOOKAHEAD_S = 0.005  # the gain starts falling this long before a peak: a smooth attack, no click
HOLD_S = 0.010  # keep a reduction for about one voice period, so the gain does not follow the pitch
RELEASE_DB_PER_S = 40.0  # recover 3 dB in 75 ms: the 50–100 ms release usual for speech
DELIVERED_TOLERANCE_LU = 0.2
_MAX_PASSES = 6
_MAX_ENCODES = 3
_MAX_STEP_DB = 12.0
_CHUNK_FRAMES = 1 << 18
_MAX_PARTS = 4
_PART_MIN_POINTS = 1 << 20  # below ~4 minutes of control points, threads cost more than they save
# Limiter gain resolution: 44 frames at 44.1 kHz, interpolated linearly between points; the 5 ms attack spans
# several. On five minutes of limited speech, 0.25 ms points changed the output by -49 dB (relative energy,
# all of it below 8 kHz: the envelope, not a zipper) with the same true peak, at four times the cost.
CONTROL_S = 0.001

GainDb = npt.NDArray[np.float64]

# scipy is imported inside the functions that use it: the studio's window imports this module and opens
# without mastering any audio (scipy takes about a second to import).


def _trailing_min(values: GainDb, span: int) -> GainDb:
    """Minimum of ``values[i - span : i + 1]`` for every ``i``."""
    from scipy.ndimage import minimum_filter1d

    size = span + 1
    return np.asarray(minimum_filter1d(values, size=size, origin=(size - 1) // 2, mode="nearest"))


def limiter_gain_db(peaks: npt.NDArray[np.float32], rate: float, ceiling_dbtp: float) -> GainDb:
    """Gain in dB (≤ 0) for each point of ``peaks`` so that ``peaks * gain`` stays under ``ceiling_dbtp``.

    ``peaks`` are true peaks sampled at ``rate`` points per second (per frame, or per control block).
    Every stage (hold, release, attack) only reaches a bounded distance from a point that needs a
    reduction, and the gain is exactly 0 dB further away. So when few points need one (mastered speech:
    the peaks of some syllables), only the regions around them are computed, packed one after another
    with zero padding longer than that reach between them: the same result for a fraction of the work.
    """
    with np.errstate(divide="ignore"):
        needed = np.minimum(0.0, ceiling_dbtp - 20.0 * np.log10(peaks.astype(np.float64)))
    if needed.size == 0 or needed.min() >= 0.0:
        return np.zeros(needed.size, dtype=np.float64)
    reach = _limiter_reach(float(needed.min()), rate)
    active = np.flatnonzero(needed < 0.0)
    # Regions [i - reach, i + reach] around the active points, merged where they touch.
    breaks = np.flatnonzero(np.diff(active) > 2 * reach + 1)
    firsts = np.maximum(0, active[np.concatenate(([0], breaks + 1))] - reach)
    lasts = np.minimum(needed.size, active[np.concatenate((breaks, [active.size - 1]))] + reach + 1)
    if int((lasts - firsts).sum()) + reach * firsts.size > needed.size * 3 // 4:
        return _parallel_dense(needed, rate, reach)
    # Padding between regions, none at the signal's own ends (where the filters extend the edge value).
    pad = np.zeros(reach, dtype=np.float64)
    parts: list[GainDb] = []
    for first, last in zip(firsts, lasts, strict=True):
        if first > 0:
            parts.append(pad)
        parts.append(needed[first:last])
    if lasts[-1] < needed.size:
        parts.append(pad)
    gain = _dense_limiter_gain_db(np.concatenate(parts), rate)
    out = np.zeros(needed.size, dtype=np.float64)
    position = 0
    for first, last in zip(firsts, lasts, strict=True):
        position += reach if first > 0 else 0
        out[first:last] = gain[position : position + last - first]
        position += last - first
    return out


def _parallel_dense(needed: GainDb, rate: float, reach: int) -> GainDb:
    """:func:`_dense_limiter_gain_db` computed in one part per core (the filters release the GIL).

    A point's gain depends only on the points within ``reach`` of it, so each part is computed with
    ``reach`` points of its neighbours on either side and only its own points are kept: the same result.
    """
    parts = max(1, min(_MAX_PARTS, os.cpu_count() or 1, needed.size // _PART_MIN_POINTS))
    if parts == 1:
        return _dense_limiter_gain_db(needed, rate)
    bounds = [needed.size * part // parts for part in range(parts + 1)]
    out = np.empty(needed.size, dtype=np.float64)

    def part(index: int) -> None:
        first, last = bounds[index], bounds[index + 1]
        low, high = max(0, first - reach), min(needed.size, last + reach)
        out[first:last] = _dense_limiter_gain_db(needed[low:high], rate)[first - low : last - low]

    with ThreadPoolExecutor(parts, thread_name_prefix="limiter", initializer=worker_initializer()) as pool:
        list(pool.map(part, range(parts)))
    return out


def _limiter_reach(deepest_db: float, rate: float) -> int:
    """How many points from a reduction the limiter's gain can differ from 0 dB (hold, release, attack)."""
    hold = max(1, round(HOLD_S * rate))
    release = math.ceil(-deepest_db / (RELEASE_DB_PER_S / rate)) + 1
    box = max(1, round(LOOKAHEAD_S * rate / 2)) | 1
    return hold + release + 3 * box + 4


def _dense_limiter_gain_db(needed: GainDb, rate: float) -> GainDb:
    """:func:`limiter_gain_db` from the reduction each point needs (dB ≤ 0), computed everywhere."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    held = _trailing_min(needed, max(1, round(HOLD_S * rate)))
    # Linear release in dB: gain[i] = min over j ≤ i of held[j] + slope * (i - j), i.e. a sliding minimum
    # of held[j] - slope * j. The window only needs to reach as far back as the deepest reduction takes.
    slope = RELEASE_DB_PER_S / rate
    span = math.ceil(-held.min() / slope) + 1
    ramp = slope * np.arange(held.size, dtype=np.float64)
    released = _trailing_min(held - ramp, span) + ramp
    # Attack: two centred moving averages of width b spread each drop over 2(b - 1) points before and after
    # it; a centred minimum over the same reach first makes sure the average never exceeds what is needed.
    box = max(1, round(LOOKAHEAD_S * rate / 2)) | 1
    reach = box - 1
    floor = minimum_filter1d(released, size=2 * reach + 1, mode="nearest")
    smooth = uniform_filter1d(uniform_filter1d(floor, box, mode="nearest"), box, mode="nearest")
    return np.asarray(np.minimum(smooth, 0.0))


def _control_block(rate: int) -> int:
    """Frames per limiter control point."""
    return max(1, round(CONTROL_S * rate))


class _Limiter:
    """The limiter for one signal: peaks analysed once, then applied at any input gain.

    The gain is computed at a control rate (one point per :data:`CONTROL_S`, a block of a few frames) and
    interpolated linearly between block centres; a 3-point minimum first makes sure no interpolated
    value exceeds what the frames of its block need. Peaks scale with the input gain, so trying another
    gain needs no new oversampling.
    """

    def __init__(self, samples: Samples, rate: int, floor: float = 0.0) -> None:
        self.samples = samples
        self.rate = rate
        self.block = _control_block(rate)
        self.peaks = frame_true_peaks(samples, rate, floor=floor, per=self.block)
        self.centres = np.arange(0, samples.shape[0], self.block) + (self.block - 1) / 2.0

    def curve_db(self, gain_db: float, ceiling_dbtp: float) -> GainDb:
        """The limiter's gain in dB per control block (input gain included) for ``gain_db`` of input gain."""
        from scipy.ndimage import minimum_filter1d

        scale = np.float32(10.0 ** (gain_db / 20.0))
        curve = limiter_gain_db(self.peaks * scale, self.rate / self.block, ceiling_dbtp)
        return np.asarray(minimum_filter1d(curve, size=3, mode="nearest") + gain_db)

    def chunk_gain(self, linear: GainDb, start: int, stop: int) -> npt.NDArray[np.float32]:
        """Linear gain for frames ``start``..``stop`` from a linear control curve (interpolated between centres)."""
        return np.interp(np.arange(start, stop), self.centres, linear).astype(np.float32)

    def apply(self, gain_db: float, ceiling_dbtp: float) -> Samples:
        linear = np.power(10.0, self.curve_db(gain_db, ceiling_dbtp) / 20.0)
        out = np.empty_like(self.samples)
        frames = self.samples.shape[0]
        for start in range(0, frames, _CHUNK_FRAMES):
            stop = min(frames, start + _CHUNK_FRAMES)
            gain = self.chunk_gain(linear, start, stop)
            np.multiply(self.samples[start:stop], gain[:, np.newaxis], out=out[start:stop])
        return out


def _trim_to_ceiling(samples: Samples, rate: int, ceiling_dbtp: float) -> tuple[Samples, float]:
    """Scale down by whatever little the gain changes between frames let through; return the true peak."""
    peak = true_peak(Pcm(samples, rate))
    if peak > ceiling_dbtp:
        trim_db = ceiling_dbtp - peak - 0.001
        samples = samples * np.float32(10.0 ** (trim_db / 20.0))
        peak += trim_db  # true peak scales with the signal: no second oversampling pass needed
    return samples, peak


def limit(samples: Samples, rate: int, ceiling_dbtp: float) -> tuple[Samples, float]:
    """Look-ahead true-peak limiter, channels linked. Returns the limited samples and their true peak."""
    return _trim_to_ceiling(_Limiter(samples, rate).apply(0.0, ceiling_dbtp), rate, ceiling_dbtp)


def _next_gain(gains: list[float], levels: list[float], target: float) -> float:
    """Secant step towards ``target`` on the measured gain → loudness curve (slope kept in [0.1, 1])."""
    slope = 1.0
    if len(gains) >= 2 and gains[-1] != gains[-2]:
        slope = min(1.0, max(0.1, (levels[-1] - levels[-2]) / (gains[-1] - gains[-2])))
    step = (target - levels[-1]) / slope
    return gains[-1] + max(-_MAX_STEP_DB, min(_MAX_STEP_DB, step))


def _master(pcm: Pcm, target_lufs: float, ceiling_dbtp: float) -> tuple[Pcm, LoudnessReport]:
    """:func:`master` with the limiter ceiling given directly (no encoding headroom subtracted)."""
    level = integrated_loudness(pcm)
    if level <= SILENCE_LUFS:
        return pcm, measure(pcm)
    limiter = _Limiter(pcm.samples, pcm.rate)
    gains = [target_lufs - level]
    levels: list[float] = []
    best: tuple[float, Samples, float] | None = None
    for _ in range(_MAX_PASSES):
        candidate = limiter.apply(gains[-1], ceiling_dbtp)
        levels.append(integrated_loudness(Pcm(candidate, pcm.rate)))
        if best is None or abs(levels[-1] - target_lufs) < abs(best[0] - target_lufs):
            best = (levels[-1], candidate, gains[-1])
        if abs(levels[-1] - target_lufs) <= LOUDNESS_TOLERANCE_LU / 3:
            break
        gains.append(_next_gain(gains, levels, target_lufs))
    assert best is not None
    samples, peak = _trim_to_ceiling(best[1], pcm.rate, ceiling_dbtp)
    result = Pcm(samples, pcm.rate)
    level = integrated_loudness(result) if samples is not best[1] else best[0]
    report = LoudnessReport(
        integrated_lufs=level,
        true_peak_dbtp=peak,
        loudness_range_lu=loudness_range(result),
        replaygain_db=REPLAYGAIN_REFERENCE_LUFS - level,
    )
    return result, report


def master(
    pcm: Pcm,
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_ceiling: float = DEFAULT_TRUE_PEAK_CEILING,
) -> tuple[Pcm, LoudnessReport]:
    """``pcm`` at ``target_lufs`` integrated, true peaks ≤ ``true_peak_ceiling`` − :data:`ENCODE_HEADROOM_DB`.

    The report is measured on the returned audio. Silence comes back unchanged (nothing to normalise).
    If only very hard limiting could reach the target, the loudness after ``_MAX_PASSES`` corrections is
    what the report says; the true-peak ceiling is never given up.
    """
    return _master(pcm, target_lufs, true_peak_ceiling - ENCODE_HEADROOM_DB)


def _expected_mp3_loss_db(bitrate_kbps: int) -> float:
    """How much quieter LAME's CBR output measures than its input (speech, measured), as a first guess."""
    if bitrate_kbps <= 160:
        return 0.45
    return 0.28 if bitrate_kbps < 256 else 0.0


def master_mp3(
    pcm: Pcm,
    path: str | os.PathLike[str],
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_ceiling: float = DEFAULT_TRUE_PEAK_CEILING,
    bitrate_kbps: int = 128,
    rate: int = 44100,
    channels: int = 1,
    cancel: CancelToken | None = None,
) -> LoudnessReport:
    """Master ``pcm``, encode it to ``path`` as MP3, and make sure the *file* meets target and ceiling.

    The written file is decoded and measured; if it misses the loudness by more than
    :data:`DELIVERED_TOLERANCE_LU` or its true peak is over the ceiling, mastering is redone with the
    correction and the file encoded again (at most ``_MAX_ENCODES`` times). Returns the report *of the
    file*, for the tags and the sidecar. ``path`` appears only once the file is final; cancel or failure
    leaves nothing (same guarantees as :func:`~studio.audio.codec.encode_mp3`).
    """
    path = Path(path)
    level_offset = _expected_mp3_loss_db(bitrate_kbps)
    headroom = ENCODE_HEADROOM_DB
    with replacing(path) as temp:
        for _ in range(_MAX_ENCODES):
            mastered, _report = _master(pcm, target_lufs + level_offset, true_peak_ceiling - headroom)
            if cancel is not None:
                cancel.raise_if_cancelled()
            encode_mp3(mastered, temp, bitrate_kbps=bitrate_kbps, rate=rate, channels=channels, cancel=cancel)
            report = measure(decode(temp, cancel=cancel))
            loudness_miss = target_lufs - report.integrated_lufs
            peak_excess = report.true_peak_dbtp - true_peak_ceiling
            if abs(loudness_miss) <= DELIVERED_TOLERANCE_LU and peak_excess <= 0.0:
                break
            if report.integrated_lufs <= SILENCE_LUFS:
                break  # silence stays silence
            level_offset += loudness_miss
            headroom += max(0.0, peak_excess + 0.1)
    return report
