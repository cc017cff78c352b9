"""Non-destructive clean-up of a recorded take: high-pass, noise reduction, trimming, levelling.

The raw take (as recorded or imported) is kept by the caller; :func:`clean_take` returns a new
:class:`Pcm`, so the officer can change the settings and clean again from the original at any time. The
stages run in the order that lets each one do its job:

1. **High-pass** (6th-order Butterworth, 80 Hz by default, through :func:`studio.audio.voice.process`):
   rumble, handling noise and 50 Hz mains hum (−24 dB at 80 Hz) would otherwise dominate the noise
   estimate and the loudness measurement, and horns cannot play them anyway. Phase is left as it is:
   one causal filter, the same on every take.
2. **Noise reduction** (optional), ffmpeg's ``afftdn`` through :func:`studio.audio.ffmpeg.run_ffmpeg`:
   a tested spectral denoiser instead of hand-written DSP. Its flat default noise model barely touches
   coloured room noise (−1 dB on fan-like noise in our measurements), so it is given the noise
   *spectrum* of the take's own longest clear pause (:func:`_noise_profile`, as its custom ``bn``
   profile), which takes it to −8…−10 dB. Not through ``afftdn``'s own ``sample_noise`` command: sent by
   ``asendcmd``, it lands on a different block from run to run (ffmpeg's decoder and filter threads race),
   and the output changed between identical runs. Without a clear pause the measured noise floor sets
   the flat model. ``afftdn`` delays its output (:func:`afftdn_latency`) and stops when its input stops,
   so the take is padded by that much and the delay cut off again: the result lines up frame for frame.
3. **Trimming** of leading and trailing silence, on 50 ms window levels against the take's own noise floor
   (after the noise reduction), keeping ``trim_margin_s`` each side.
4. **Levelling** to ``level_lufs`` integrated on the studio's BS.1770 meter, by one gain, lowered if needed
   so the true peak stays at or under :data:`TRUE_PEAK_CEILING_DBTP` (a take with very high peaks then
   ends up a little quieter than asked: mastering brings the whole bulletin to its target with a limiter).

Everything is deterministic: the same samples and settings give bit-identical output on the same machine
and ffmpeg build (the cleaned take's sha256 names it in the bulletin and so in the approval hash). Another
PC may differ in the last bits (FFT and SIMD code paths), which is why the cleaned audio is stored and its
hash read from the store, never recomputed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.loudness import SILENCE_DBTP, SILENCE_LUFS, integrated_loudness, true_peak
from studio.audio.pcm import Pcm, Samples
from studio.audio.voice import VoiceProcessing, process
from studio.speech.takes import WINDOW_S, Levels, noise_floor_db, window_levels_db
from studio.tasks import CancelToken

#: Part of :meth:`CleanupSettings.content`: bump when the chain changes what it outputs for the same settings.
CHAIN_VERSION = 1
HIGHPASS_ORDER = 6  # 36 dB/octave: 50 Hz hum −24 dB at an 80 Hz corner, 100 Hz voices −0.3 dB
_EDGE_S = 0.1
TRUE_PEAK_CEILING_DBTP = -1.0
_CEILING_MARGIN_DB = 0.01  # float32 rounding of the gained samples must not cross the ceiling

DENOISE_REDUCTION_DB = 12.0  # afftdn's default: clearly less hiss, without the "underwater" artefacts
_AFFTDN_FLOOR_RANGE = (-80.0, -20.0)  # the noise floors afftdn accepts
# afftdn's 15 noise-profile bands (80 Hz × ~1.5 per band, rounded as af_afftdn.c rounds them) and their edges.
_AFFTDN_BAND_CENTRES_HZ = (80, 120, 180, 270, 410, 620, 930, 1400, 2100, 3150, 4750, 7100, 10700, 16000, 24000)
_AFFTDN_BAND_HALF_WIDTH = 1.224745
_PROFILE_FLOOR_OFFSET_DB = 2.5  # what afftdn adds to a sampled profile's mean when it sets its own floor
_PIPE_FRAMES = 1 << 16
_QUIET_ABOVE_FLOOR_DB = 3.0  # a window this close to the floor belongs to a pause
_PAUSE_BELOW_LOUD_DB = 15.0  # ... provided the take's loud part is at least this much louder
_LOUD_PERCENTILE = 95.0
_MIN_PAUSE_WINDOWS = 6  # 0.3 s of pause at least to sample the noise from
_MAX_PAUSE_WINDOWS = 20  # 1 s is plenty for a stable profile

TRIM_ABOVE_FLOOR_DB = 10.0  # window RMS of a room's noise stays within a few dB of its floor
# A take whose loudest window is this close to its quietest tenth has no pause to measure a floor in (a
# short phrase read without a breath, a held tone): it is all sound, and nothing is trimmed.
TRIM_MIN_RANGE_DB = 6.0
TRIM_MIN_DBFS = -70.0


@dataclass(frozen=True)
class CleanupSettings:
    """How a take is cleaned; ``None`` or ``False`` skips a stage. Stored with the take and hashed."""

    trim: bool = True
    trim_margin_s: float = 0.15
    highpass_hz: float | None = 80.0
    denoise: bool = False
    level_lufs: float | None = -20.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.trim_margin_s <= 5.0:
            raise ValueError("trim margin must be between 0 and 5 s")
        if self.highpass_hz is not None and not 10.0 <= self.highpass_hz <= 1000.0:
            raise ValueError("high-pass frequency must be between 10 and 1000 Hz")
        if self.level_lufs is not None and not -60.0 <= self.level_lufs <= 0.0:
            raise ValueError("level must be between -60 and 0 LUFS")

    def content(self) -> dict[str, Any]:
        """Canonical JSON-able data (for :func:`studio.hashing.content_hash` and the take store)."""
        data: dict[str, Any] = {"chain": CHAIN_VERSION}
        data.update({field.name: getattr(self, field.name) for field in fields(self)})
        return data

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> CleanupSettings:
        """Settings back from :meth:`content` (the ``chain`` version and unknown keys are ignored)."""
        names = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in content.items() if key in names})


def _highpass(pcm: Pcm, corner_hz: float) -> Pcm:
    """The Butterworth high-pass of :func:`studio.audio.voice.process`, started on an odd reflection of the
    take's first :data:`_EDGE_S` seconds (as ``filtfilt`` pads): a DC offset or hum present from the first
    sample would otherwise make the filter ring at the start (−26 dBFS for a 0.05 DC offset, measured) and
    that ring would pass for sound and stop the trimming."""
    preset = VoiceProcessing("take-highpass", highpass_hz=corner_hz, highpass_order=HIGHPASS_ORDER)
    edge = min(pcm.frames - 1, round(_EDGE_S * pcm.rate))
    if edge <= 0:
        return process(pcm, preset)
    head = 2.0 * pcm.samples[:1] - pcm.samples[edge:0:-1]
    filtered = process(Pcm(np.concatenate([head, pcm.samples]), pcm.rate), preset)
    return Pcm(filtered.samples[edge:], pcm.rate)


def _longest_pause(levels: Levels, floor: float) -> tuple[int, int] | None:
    """(first, stop) window indices of the take's longest clear pause (trimmed to 1 s), or None."""
    if levels.size < _MIN_PAUSE_WINDOWS + 2:
        return None
    if float(np.percentile(levels, _LOUD_PERCENTILE)) - floor < _PAUSE_BELOW_LOUD_DB:
        return None  # no pause stands out: a steady signal, or speech without a break
    quiet = np.concatenate([[False], levels <= floor + _QUIET_ABOVE_FLOOR_DB, [False]]).astype(np.int8)
    edges = np.diff(quiet)
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lengths = stops - starts
    best = int(np.argmax(lengths))  # the first of the longest: deterministic
    first, stop = int(starts[best]) + 1, int(stops[best]) - 1  # one window off each edge: no word onsets
    if stop - first < _MIN_PAUSE_WINDOWS:
        return None
    return first, min(stop, first + _MAX_PAUSE_WINDOWS)


def _noise_profile(noise: Samples, rate: int) -> tuple[float, list[float]]:
    """``afftdn``'s ``nf`` and ``bn`` for ``noise``: per band, the level of white noise of the same density.

    Welch's averaged periodogram over the pause gives the power density; each of ``afftdn``'s 15 bands
    (centre ÷ and × √1.5) is read as the dBFS a white noise of that density would have. ``nf`` is their
    mean, ``bn`` each band relative to it (``afftdn`` clips it to ±24 dB). Bands above the Nyquist
    frequency repeat the last one below it, as ``afftdn`` does with its own sampled profiles.
    """
    from scipy.signal import welch  # not at the top: scipy.signal takes about a second to import

    mono = noise.mean(axis=1, dtype=np.float64)
    freqs, density = welch(mono, fs=rate, nperseg=min(2048, mono.size))
    levels: list[float] = []
    for centre in _AFFTDN_BAND_CENTRES_HZ:
        band = (freqs >= centre / _AFFTDN_BAND_HALF_WIDTH) & (freqs <= min(centre * _AFFTDN_BAND_HALF_WIDTH, rate / 2))
        if band.any():
            levels.append(10.0 * math.log10(max(float(density[band].mean()) * rate / 2, 1e-30)))
        else:
            levels.append(levels[-1] if levels else SILENCE_DBTP)
    mean = sum(levels) / len(levels)
    return mean, [min(24.0, max(-24.0, level - mean)) for level in levels]


def _afftdn_filter(pcm: Pcm) -> str:
    """The ``afftdn`` filter for ``pcm``: a profile from its longest clear pause, else a flat one at its floor."""
    levels = window_levels_db(pcm)
    floor = noise_floor_db(levels)
    pause = _longest_pause(levels, floor)
    low, high = _AFFTDN_FLOOR_RANGE
    if pause is None:
        return f"afftdn=nr={DENOISE_REDUCTION_DB:g}:nf={min(high, max(low, floor)):.1f}"
    window = max(1, round(WINDOW_S * pcm.rate))
    level, bands = _noise_profile(pcm.samples[pause[0] * window : pause[1] * window], pcm.rate)
    level += _PROFILE_FLOOR_OFFSET_DB
    return (f"afftdn=nr={DENOISE_REDUCTION_DB:g}:nf={min(high, max(low, level)):.1f}:nt=custom:"
            f"bn={'|'.join(f'{band:.1f}' for band in bands)}")  # fmt: skip


def afftdn_latency(rate: int) -> int:
    """Frames by which ``afftdn`` delays its output: its window is three hops of ``rate / 80``, it emits one."""
    return 2 * int(rate / 80)


def denoise(pcm: Pcm, *, cancel: CancelToken | None = None) -> Pcm:
    """``pcm`` through ffmpeg's ``afftdn`` (−:data:`DENOISE_REDUCTION_DB` dB at most), aligned frame for frame.

    The noise profile comes from the take's longest clear pause when it has one (see the module
    docstring); the result has exactly ``pcm.frames`` frames.
    """
    if pcm.frames == 0:
        return Pcm(pcm.samples.copy(), pcm.rate)
    afftdn = _afftdn_filter(pcm)
    latency = afftdn_latency(pcm.rate)
    padding = np.zeros((latency, pcm.channels), dtype=np.float32)

    def chunks() -> Iterator[bytes]:
        for part in (pcm.samples, padding):
            for start in range(0, part.shape[0], _PIPE_FRAMES):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                yield np.ascontiguousarray(part[start : start + _PIPE_FRAMES], dtype="<f4").tobytes()

    output = bytearray()
    fmt = ["-f", "f32le", "-ar", str(pcm.rate), "-ac", str(pcm.channels)]
    outcome = run_ffmpeg([*fmt, "-i", "pipe:0", "-af", afftdn, *fmt, "pipe:1"], stdin=chunks(),
                         stdout_sink=output.extend, cancel=cancel)  # fmt: skip
    frame_bytes = 4 * pcm.channels
    if not outcome.ok or len(output) < (latency + pcm.frames) * frame_bytes:
        # Our own input, our own filter: a failure here is a bug (or a changed ffmpeg), not a user problem.
        raise RuntimeError(f"afftdn failed (exit {outcome.returncode}): {outcome.stderr_tail}")
    samples = np.frombuffer(output, dtype="<f4", count=pcm.frames * pcm.channels, offset=latency * frame_bytes)
    return Pcm(samples.reshape(pcm.frames, pcm.channels).astype(np.float32), pcm.rate)


def trim(pcm: Pcm, margin_s: float) -> Pcm:
    """Leading and trailing silence cut, relative to the take's own noise floor, ``margin_s`` kept each side.

    Decided on window levels (RMS over :data:`~studio.speech.takes.WINDOW_S`), not on single samples: a
    room's noise has sample peaks ~13 dB over its RMS, which a quiet phone recording's voice may not clear
    by much. Sound is a window at least :data:`TRIM_ABOVE_FLOOR_DB` over the floor, or over the middle
    between floor and loudest window when the voice is quieter than that (and always over
    :data:`TRIM_MIN_DBFS`); the cut then falls on the first and last sample over that level. A take that
    has no such window, or no quiet part at all (:data:`TRIM_MIN_RANGE_DB`), comes back whole: trimming
    never throws a take away.
    """
    levels = window_levels_db(pcm)
    if pcm.frames == 0 or levels.size == 0:
        return Pcm(pcm.samples.copy(), pcm.rate)
    floor, loudest = noise_floor_db(levels), float(levels.max())
    # Over the floor by TRIM_ABOVE_FLOOR_DB, but never above the middle between floor and voice: a quiet
    # recording whose voice is only ~14 dB over the room still has its room cut off.
    threshold = max(TRIM_MIN_DBFS, min(floor + TRIM_ABOVE_FLOOR_DB, (floor + loudest) / 2.0))
    loud = np.flatnonzero(levels > threshold)
    if loud.size == 0 or loudest <= TRIM_MIN_DBFS or loudest - floor < TRIM_MIN_RANGE_DB:
        return Pcm(pcm.samples.copy(), pcm.rate)
    size = min(pcm.frames, max(1, round(WINDOW_S * pcm.rate)))  # as window_levels_db measured
    edge = 10.0 ** (threshold / 20.0)
    first = int(loud[0]) * size  # the sound starts at the first sample over the threshold in its window
    first += int(np.argmax(np.abs(pcm.samples[first:first + size]).max(axis=1) > edge))
    last_window = pcm.samples[int(loud[-1]) * size:(int(loud[-1]) + 1) * size]
    over = np.flatnonzero(np.abs(last_window).max(axis=1) > edge)
    last = int(loud[-1]) * size + (int(over[-1]) if over.size else size - 1)
    margin = max(0, round(margin_s * pcm.rate))
    start, stop = max(0, first - margin), min(pcm.frames, last + 1 + margin)
    return Pcm(pcm.samples[start:stop].copy(), pcm.rate)


def level(pcm: Pcm, target_lufs: float) -> Pcm:
    """``pcm`` times one gain: ``target_lufs`` integrated, unless that would put the true peak over the ceiling.

    Silence (no measurable loudness) comes back unchanged rather than amplified by 50 dB.
    """
    loudness = integrated_loudness(pcm)
    if loudness <= SILENCE_LUFS:
        return Pcm(pcm.samples.copy(), pcm.rate)
    headroom = TRUE_PEAK_CEILING_DBTP - _CEILING_MARGIN_DB - true_peak(pcm)
    gain_db = min(target_lufs - loudness, headroom)
    return Pcm(pcm.samples * np.float32(10.0 ** (gain_db / 20.0)), pcm.rate)


def clean_take(pcm: Pcm, settings: CleanupSettings, *, cancel: CancelToken | None = None) -> Pcm:
    """A cleaned copy of the take ``pcm``: high-pass, noise reduction, trimming, levelling (as enabled).

    ``pcm`` is never modified; the result never shares its memory. Deterministic (see the module
    docstring). Raises :class:`~studio.messages.Cancelled` between stages and during noise reduction.
    """
    out = pcm  # every stage below returns new samples
    if settings.highpass_hz is not None and pcm.frames:
        if cancel is not None:
            cancel.raise_if_cancelled()
        out = _highpass(out, settings.highpass_hz)
    if settings.denoise:
        out = denoise(out, cancel=cancel)
    if settings.trim:
        if cancel is not None:
            cancel.raise_if_cancelled()
        out = trim(out, settings.trim_margin_s)
    if settings.level_lufs is not None and out.frames:
        if cancel is not None:
            cancel.raise_if_cancelled()
        out = level(out, settings.level_lufs)
    return Pcm(pcm.samples.copy(), pcm.rate) if out is pcm else out
