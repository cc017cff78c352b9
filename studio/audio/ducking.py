"""Ducking: a gain curve that lowers a music bed while the voice speaks and lets it back up in the pauses.

The curve is driven by the speech that is actually heard (an RMS envelope), not by where the items were
placed, so a long silence inside a speech file lets the bed up just as a gap between items does. Bulletins
are rendered, not played live, so the curve looks ahead: the bed is fully down when the voice starts
(it begins to fall ``attack`` seconds earlier) and starts rising when the voice stops. Pauses shorter than
``hold`` are bridged, so the bed does not pump between sentences.

Everything is computed per envelope frame (10 ms) and interpolated to samples with ``np.interp``: no
Python loop over samples or frames, so minutes of audio cost milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FRAME_SECONDS = 0.01  # envelope frame: short enough for a 0.1 s ramp, long enough to hide a 100 Hz period

Gain = npt.NDArray[np.float32]
_CHUNK = 1 << 20


@dataclass(frozen=True)
class DuckingSettings:
    """How far and how fast a bed ducks under speech (defaults: Audacity Auto Duck, −12 dB, 0.5 s fades)."""

    depth_db: float = -12.0  # gain applied to the bed while the voice speaks
    attack: float = 0.5  # seconds the bed takes to go down, ending when the voice starts
    release: float = 0.5  # seconds the bed takes to come back up, starting when the voice stops
    hold: float = 1.0  # pauses shorter than this keep the bed down
    threshold_db: float = -45.0  # envelope RMS (dBFS) above which the voice counts as speaking

    def __post_init__(self) -> None:
        if self.depth_db > 0:
            raise ValueError("ducking depth must be zero or negative dB")
        if self.attack < 0 or self.release < 0 or self.hold < 0:
            raise ValueError("ducking attack, release and hold must not be negative")


def envelope_hop(rate: int) -> int:
    """Frames per envelope frame (10 ms) at ``rate``."""
    return max(1, round(FRAME_SECONDS * rate))


def speech_frames(speech: npt.NDArray[np.floating], rate: int, threshold_db: float) -> npt.NDArray[np.bool_]:
    """Per 10 ms frame: is the RMS of ``speech`` (mono) above ``threshold_db`` dBFS?"""
    return np.asarray(frame_energy(speech, rate) / envelope_hop(rate) > 10.0 ** (threshold_db / 10.0))


def _bridge_short_gaps(present: npt.NDArray[np.bool_], max_gap: int) -> npt.NDArray[np.bool_]:
    """``present`` with every run of False frames shorter than ``max_gap`` between two True frames set True."""
    edges = np.diff(np.concatenate(([1], present.astype(np.int8), [1])))
    gap_starts = np.flatnonzero(edges == -1)
    gap_ends = np.flatnonzero(edges == 1)  # exclusive
    inner = (gap_starts > 0) & (gap_ends < present.shape[0])  # leading/trailing silence is not a pause
    short = inner & (gap_ends - gap_starts < max_gap)
    fill = np.zeros(present.shape[0] + 1, dtype=np.int32)
    np.add.at(fill, gap_starts[short], 1)
    np.add.at(fill, gap_ends[short], -1)
    return np.asarray(present | (np.cumsum(fill[:-1]) > 0))


def frame_energy(speech: npt.NDArray[np.floating], rate: int) -> npt.NDArray[np.float64]:
    """Sum of squares of mono ``speech`` per 10 ms envelope frame (the last frame may be partial)."""
    hop = envelope_hop(rate)
    whole = speech.shape[0] // hop
    blocks = speech[: whole * hop].reshape(whole, hop)
    energy = np.einsum("ij,ij->i", blocks, blocks, dtype=np.float64)  # no float64 copy of the audio
    if speech.shape[0] > whole * hop:
        tail = speech[whole * hop :].astype(np.float64)
        energy = np.append(energy, np.dot(tail, tail))
    return np.asarray(energy)


def duck_curve_db(energy: npt.NDArray[np.float64], rate: int, settings: DuckingSettings) -> npt.NDArray[np.float64]:
    """The ducking gain in dB per envelope frame, from the voice's :func:`frame_energy` per frame.

    0 where no voice is near, ``depth_db`` while the voice speaks (pauses shorter than ``hold``
    included), linear in dB between them: down over the ``attack`` seconds before the voice starts, up
    over the ``release`` seconds after it stops.
    """
    hop = envelope_hop(rate)
    present = np.asarray(energy / hop > 10.0 ** (settings.threshold_db / 10.0))
    if not present.any():
        return np.zeros(present.shape[0], dtype=np.float64)
    frame_seconds = hop / rate
    present = _bridge_short_gaps(present, round(settings.hold / frame_seconds))
    count = present.shape[0]
    index = np.arange(count)
    last = np.maximum.accumulate(np.where(present, index, -(10**9)))
    following = np.minimum.accumulate(np.where(present, index, 10**9)[::-1])[::-1]
    since = np.maximum(index - last - 1, 0) * frame_seconds  # seconds since the voice stopped
    until = (following - index) * frame_seconds  # seconds until the voice starts
    down_after = 1.0 - since / settings.release if settings.release > 0 else (since == 0).astype(np.float64)
    down_before = 1.0 - until / settings.attack if settings.attack > 0 else (until == 0).astype(np.float64)
    amount = np.clip(np.maximum(down_after, down_before), 0.0, 1.0)
    return np.asarray(amount * settings.depth_db)


def gain_from_curve(curve_db: npt.NDArray[np.float64], rate: int, first: int, stop: int) -> Gain:
    """Linear gain for samples ``first``..``stop`` of the signal the per-frame ``curve_db`` describes."""
    edges = np.arange(curve_db.shape[0], dtype=np.float64) * float(envelope_hop(rate))
    positions = np.arange(first, stop, dtype=np.float64)
    # Frame i's value belongs to its start edge, so a ramp begins where the envelope says it does.
    return np.power(10.0, np.interp(positions, edges, curve_db) / 20.0).astype(np.float32)


def duck_gain(speech: npt.NDArray[np.floating], rate: int, settings: DuckingSettings) -> Gain:
    """Linear gain (float32, one value per sample of ``speech``) to multiply a bed by.

    ``speech`` is the mono voice heard over the bed; see :func:`duck_curve_db` for the shape.
    """
    if rate <= 0:
        raise ValueError("sample rate must be positive")
    samples = speech.shape[0]
    if samples == 0:
        return np.zeros(0, dtype=np.float32)
    curve = duck_curve_db(frame_energy(speech, rate), rate, settings)
    if not curve.any():
        return np.ones(samples, dtype=np.float32)
    gain: Gain = np.empty(samples, dtype=np.float32)
    for start in range(0, samples, _CHUNK):  # chunks bound the float64 temporaries on long bulletins
        stop = min(start + _CHUNK, samples)
        gain[start:stop] = gain_from_curve(curve, rate, start, stop)
    return gain
