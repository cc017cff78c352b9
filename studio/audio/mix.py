"""Pure numpy building blocks for assembling a bulletin: resample, remix channels, join, fade, trim.

A bulletin is a sequence of parts (speech per segment, jingles, inserted pauses: a pause is just a silent
:class:`Pcm`) that may arrive at different rates (edge-tts speaks at 24 kHz, recordings at 44.1 or 48 kHz)
and channel counts. Everything here takes and returns :class:`Pcm` values and never touches files, so the
renderer's arithmetic is tested without ffmpeg.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from studio.audio.pcm import Pcm, Samples

# scipy is imported inside the functions that use it: scipy.signal alone takes about a second to import,
# and the studio's window (which imports this module) opens without processing any audio.


def resampled_frames(frames: int, rate: int, new_rate: int) -> int:
    """Length :func:`resample` produces for ``frames`` frames: ``ceil(frames * new_rate / rate)``."""
    common = math.gcd(rate, new_rate)
    up, down = new_rate // common, rate // common
    return -(-frames * up // down)


def resample(pcm: Pcm, rate: int) -> Pcm:
    """``pcm`` at ``rate`` Hz, by polyphase filtering (``scipy.signal.resample_poly``).

    Polyphase keeps the cost proportional to the output length even for awkward ratios such as
    24 kHz → 44.1 kHz (147/80), and its anti-aliasing filter keeps sibilants from folding back as hiss.
    """
    if rate <= 0:
        raise ValueError("sample rate must be positive")
    if rate == pcm.rate:
        return pcm
    common = math.gcd(pcm.rate, rate)
    up, down = rate // common, pcm.rate // common
    if pcm.frames == 0:
        return Pcm(np.zeros((0, pcm.channels), dtype=np.float32), rate)
    from scipy.signal import resample_poly

    samples = resample_poly(pcm.samples, up, down, axis=0)
    return Pcm(np.ascontiguousarray(samples, dtype=np.float32), rate)


def to_channels(pcm: Pcm, channels: int) -> Pcm:
    """``pcm`` with ``channels`` channels.

    Mono is copied to every channel at full level (a voice stays as loud on each horn); several channels
    fold to mono by their mean (never clips; identical channels keep their level). Any other change goes
    through mono, which is all a loudspeaker network needs.
    """
    if channels <= 0:
        raise ValueError("channel count must be positive")
    if channels == pcm.channels:
        return pcm
    mono = pcm.samples if pcm.channels == 1 else pcm.samples.mean(axis=1, dtype=np.float32, keepdims=True)
    if channels == 1:
        return Pcm(np.ascontiguousarray(mono, dtype=np.float32), pcm.rate)
    return Pcm(np.repeat(mono, channels, axis=1), pcm.rate)


def conform(pcm: Pcm, rate: int, channels: int) -> Pcm:
    """``pcm`` at ``rate`` with ``channels`` channels (remixing first when that shrinks the work)."""
    if channels < pcm.channels:
        return resample(to_channels(pcm, channels), rate)
    return to_channels(resample(pcm, rate), channels)


def concatenate(parts: Sequence[Pcm], rate: int, channels: int) -> Pcm:
    """Join ``parts`` end to end at ``rate`` / ``channels``; the output is allocated once.

    Each part is conformed on its own, so a long bulletin never holds more than the output and one
    converted part; the output length is exactly the sum of the conformed part lengths.
    """
    lengths = [resampled_frames(part.frames, part.rate, rate) for part in parts]
    out = np.empty((sum(lengths), channels), dtype=np.float32)
    position = 0
    for part, length in zip(parts, lengths, strict=True):
        converted = conform(part, rate, channels)
        assert converted.frames == length, "resample() and resampled_frames() disagree"
        out[position : position + length] = converted.samples
        position += length
    return Pcm(out, rate)


def ramp(frames: int) -> Samples:
    """Raised-cosine rise from 0 towards 1 over ``frames`` frames: no click, no audible "swell"."""
    steps = (np.arange(frames, dtype=np.float64) + 0.5) / frames
    return (0.5 - 0.5 * np.cos(np.pi * steps)).astype(np.float32)


def fade(pcm: Pcm, fade_in: float = 0.0, fade_out: float = 0.0) -> Pcm:
    """Fade in over the first ``fade_in`` seconds and out over the last ``fade_out`` seconds.

    Fades longer than the audio are shortened to it; if the two overlap, both apply (they multiply).
    """
    if fade_in < 0 or fade_out < 0:
        raise ValueError("fade lengths must not be negative")
    samples = pcm.samples.copy()
    n_in = min(pcm.frames, round(fade_in * pcm.rate))
    n_out = min(pcm.frames, round(fade_out * pcm.rate))
    if n_in:
        samples[:n_in] *= ramp(n_in)[:, np.newaxis]
    if n_out:
        samples[pcm.frames - n_out :] *= ramp(n_out)[::-1, np.newaxis]
    return Pcm(samples, pcm.rate)


def trim_silence(pcm: Pcm, threshold_db: float = -50.0, keep: float = 0.05) -> Pcm:
    """Cut leading and trailing silence (TTS output edges), keeping ``keep`` seconds on each side.

    "Silence" is every frame whose sample peak, over all channels, is at or below ``threshold_db`` dBFS.
    Audio that is silent throughout becomes zero frames long: the caller decides whether that is an
    error. Nothing inside the audio is touched.
    """
    if pcm.frames == 0:
        return pcm
    threshold = 10.0 ** (threshold_db / 20.0)
    loud = np.flatnonzero(np.abs(pcm.samples).max(axis=1) > threshold)
    if loud.size == 0:
        return Pcm(np.zeros((0, pcm.channels), dtype=np.float32), pcm.rate)
    margin = max(0, round(keep * pcm.rate))
    start = max(0, int(loud[0]) - margin)
    stop = min(pcm.frames, int(loud[-1]) + 1 + margin)
    return Pcm(pcm.samples[start:stop].copy(), pcm.rate)
