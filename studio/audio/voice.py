"""Voice processing for horn loudspeakers: cut the rumble, lift the presence band, even out the level.

Outdoor horns reproduce little below ~150 Hz (energy there only heats the amplifier) and intelligibility
lives at 500 Hz–2 kHz, 2 kHz most of all. The ``horn`` preset therefore high-passes the voice, adds a
gentle presence peak at 2 kHz and compresses it so quiet and loud sentences carry alike. ``neutral`` leaves
the audio untouched. Loudness normalisation stays the mastering stage's job.

All filtering is vectorised (``scipy.signal.sosfilt``/``lfilter`` in float64); the compressor's detector is
a fast and a slow one-pole RMS smoother, their maximum giving a quick attack and a slow release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from studio.audio.pcm import Pcm

# scipy is imported inside the functions that use it: scipy.signal alone takes about a second to import,
# and the studio's window (which imports this module) opens without processing any audio.

Signal = npt.NDArray[np.float64]


@dataclass(frozen=True)
class VoiceProcessing:
    """A voice-processing chain; a stage with a zero/None parameter is skipped."""

    name: str
    highpass_hz: float | None = None
    highpass_order: int = 4
    presence_hz: float = 2000.0
    presence_db: float = 0.0
    presence_q: float = 1.4
    threshold_db: float = -24.0  # RMS dBFS above which the compressor works
    ratio: float = 1.0  # 1 = no compression
    attack: float = 0.010
    release: float = 0.150
    makeup_db: float = 0.0

    def __post_init__(self) -> None:
        if self.ratio < 1.0:
            raise ValueError("compression ratio must be at least 1")
        if self.attack <= 0 or self.release <= 0:
            raise ValueError("compressor attack and release must be positive")
        if self.highpass_hz is not None and self.highpass_hz <= 0:
            raise ValueError("high-pass frequency must be positive")

    @classmethod
    def neutral(cls) -> VoiceProcessing:
        """No processing: the audio passes through unchanged."""
        return cls("neutral")

    @classmethod
    def horn(cls) -> VoiceProcessing:
        """High-pass 150 Hz (4th-order Butterworth), +3 dB at 2 kHz, 3:1 above −24 dBFS, +4 dB make-up."""
        return cls("horn", highpass_hz=150.0, presence_db=3.0, threshold_db=-24.0, ratio=3.0, makeup_db=4.0)


def _peaking(rate: int, freq: float, gain_db: float, q: float) -> tuple[Signal, Signal]:
    """RBJ-cookbook peaking biquad (b, a), normalised so a[0] = 1."""
    amplitude = 10.0 ** (gain_db / 40.0)
    omega = 2.0 * math.pi * freq / rate
    alpha = math.sin(omega) / (2.0 * q)
    b = np.array([1 + alpha * amplitude, -2 * math.cos(omega), 1 - alpha * amplitude])
    a = np.array([1 + alpha / amplitude, -2 * math.cos(omega), 1 - alpha / amplitude])
    return b / a[0], a / a[0]


def _smoothed(power: Signal, seconds: float, rate: int) -> Signal:
    """One-pole low-pass of ``power`` with time constant ``seconds``."""
    from scipy.signal import lfilter

    pole = math.exp(-1.0 / (seconds * rate))
    result: Signal = lfilter([1.0 - pole], [1.0, -pole], power)
    return result


def compressor_gain(signal: Signal, rate: int, preset: VoiceProcessing) -> Signal:
    """Per-frame linear gain of the compressor for ``signal`` (frames, channels), linked over channels."""
    power = np.mean(np.square(signal), axis=1)
    envelope = np.maximum(_smoothed(power, preset.attack, rate), _smoothed(power, preset.release, rate))
    level_db = 10.0 * np.log10(np.maximum(envelope, 1e-12))
    over = np.maximum(level_db - preset.threshold_db, 0.0)
    gain_db = preset.makeup_db - over * (1.0 - 1.0 / preset.ratio)
    gain: Signal = np.power(10.0, gain_db / 20.0)
    return gain


def process(pcm: Pcm, preset: VoiceProcessing) -> Pcm:
    """``pcm`` through ``preset``'s chain: high-pass, presence peak, compressor (each only if enabled)."""
    if pcm.frames == 0:
        return pcm
    active_compressor = preset.ratio > 1.0 or preset.makeup_db != 0.0
    if preset.highpass_hz is None and preset.presence_db == 0.0 and not active_compressor:
        return pcm
    from scipy.signal import butter, lfilter, sosfilt

    signal: Signal = pcm.samples.astype(np.float64)
    if preset.highpass_hz is not None:
        if preset.highpass_hz >= pcm.rate / 2:
            raise ValueError("high-pass frequency must be below half the sample rate")
        sos = butter(preset.highpass_order, preset.highpass_hz, btype="highpass", fs=pcm.rate, output="sos")
        signal = sosfilt(sos, signal, axis=0)
    if preset.presence_db != 0.0 and preset.presence_hz < pcm.rate / 2:
        b, a = _peaking(pcm.rate, preset.presence_hz, preset.presence_db, preset.presence_q)
        signal = lfilter(b, a, signal, axis=0)
    if active_compressor:
        signal = signal * compressor_gain(signal, pcm.rate, preset)[:, np.newaxis]
    return Pcm(np.ascontiguousarray(signal, dtype=np.float32), pcm.rate)
