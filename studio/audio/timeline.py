"""A programme timeline: speech, jingles, stingers and pauses placed one after another, with music beds under them.

Each item starts relative to the end of the item before it: right after it, after a gap, overlapping its
tail, or crossfading with it. :func:`layout` turns that into frame positions (pure arithmetic, checked), and
:func:`mix` renders the programme into one output buffer allocated once: every item and bed is added in
place, so a 30-minute bulletin costs one output plus one item's worth of memory, never a quadratic chain of
concatenations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from studio.audio.ducking import DuckingSettings, duck_curve_db, envelope_hop, frame_energy, gain_from_curve
from studio.audio.mix import conform, fade, ramp, resampled_frames
from studio.audio.pcm import Pcm, Samples

ItemKind = Literal["speech", "jingle", "stinger", "silence"]
StartMode = Literal["after", "overlap", "gap"]
_CHUNK = 1 << 18


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


@dataclass(frozen=True, eq=False)
class TimelineItem:
    """One piece of the programme and where it starts relative to the end of the previous item.

    ``start="after"``: when the previous item ends; ``"gap"``: ``offset`` seconds (≥ 0) after it ends;
    ``"overlap"``: ``offset`` seconds before it ends. ``crossfade`` > 0 makes the item start ``crossfade``
    seconds before the previous one ends and blends the two with equal-power (sine/cosine) ramps over that
    span; it combines with ``"after"`` or with an ``"overlap"`` of the same length. A ``"silence"`` item has
    no audio, only ``seconds``. ``fade_in``/``fade_out`` are raised-cosine fades of the item itself.
    """

    kind: ItemKind
    pcm: Pcm | None = None
    seconds: float = 0.0
    start: StartMode = "after"
    offset: float = 0.0
    gain_db: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    crossfade: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("speech", "jingle", "stinger", "silence"):
            raise ValueError(f"unknown timeline item kind {self.kind!r}")
        if self.start not in ("after", "overlap", "gap"):
            raise ValueError(f"unknown start mode {self.start!r}")
        if self.kind == "silence":
            if self.pcm is not None:
                raise ValueError("a silence item carries no audio, only seconds")
            if self.seconds < 0:
                raise ValueError("a silence item cannot last a negative number of seconds")
        elif self.pcm is None:
            raise ValueError(f"a {self.kind} item needs audio")
        if self.fade_in < 0 or self.fade_out < 0 or self.crossfade < 0:
            raise ValueError("fades and crossfades must not be negative")


@dataclass(frozen=True, eq=False)
class Bed:
    """Music under items ``first_item``..``last_item`` (inclusive indices), looped to fill them if ``loop``.

    It sits ``gain_db`` under full level (default −16 dB: beds sit 12–20 dB under the voice), fades in and
    out at its ends and is ducked under the speech above it when :func:`mix` gets ducking settings.
    """

    pcm: Pcm
    first_item: int
    last_item: int
    gain_db: float = -16.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    loop: bool = True

    def __post_init__(self) -> None:
        if self.first_item < 0 or self.last_item < self.first_item:
            raise ValueError("a bed must span items first_item..last_item with 0 ≤ first_item ≤ last_item")
        if self.fade_in < 0 or self.fade_out < 0:
            raise ValueError("bed fades must not be negative")


@dataclass(frozen=True)
class Placement:
    """Where an item lands in the output, in frames at the programme rate."""

    start_frame: int
    frames: int

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.frames


def item_frames(item: TimelineItem, rate: int) -> int:
    """Length of ``item`` at ``rate``: exactly what :func:`studio.audio.mix.conform` will produce."""
    if item.pcm is None:
        return max(0, round(item.seconds * rate))
    return resampled_frames(item.pcm.frames, item.pcm.rate, rate)


def layout(items: Sequence[TimelineItem], rate: int) -> list[Placement]:
    """Frame position and length of every item at ``rate``; :class:`ValueError` for impossible timelines."""
    if rate <= 0:
        raise ValueError("sample rate must be positive")
    placements: list[Placement] = []
    for number, item in enumerate(items):
        frames = item_frames(item, rate)
        offset = round(item.offset * rate)
        xfade = round(item.crossfade * rate)
        label = f"item {number} ({item.kind})"
        if item.start == "gap" and item.offset < 0:
            raise ValueError(f"{label}: a gap cannot be negative ({item.offset} s); use an overlap")
        if item.start == "overlap" and item.offset < 0:
            raise ValueError(f"{label}: an overlap cannot be negative ({item.offset} s); use a gap")
        if item.start == "after" and item.offset != 0:
            raise ValueError(f"{label}: start 'after' takes no offset; use a gap or an overlap")
        if xfade:
            if item.start == "gap":
                raise ValueError(f"{label}: cannot crossfade across a gap")
            if item.start == "overlap" and offset != xfade:
                raise ValueError(f"{label}: an overlap and a crossfade of different lengths")
            if xfade > frames:
                raise ValueError(f"{label}: the crossfade ({item.crossfade} s) is longer than the item")
        back = xfade if xfade else (offset if item.start == "overlap" else 0)
        if not placements:
            if back:
                raise ValueError(f"{label}: the first item has nothing to overlap or crossfade with")
            placements.append(Placement(offset if item.start == "gap" else 0, frames))
            continue
        previous = placements[-1]
        if back > previous.frames:
            raise ValueError(
                f"{label}: overlaps the previous item by {back / rate:.3f} s, "
                f"longer than that item ({previous.frames / rate:.3f} s)"
            )
        if item.start == "gap":
            placements.append(Placement(previous.end_frame + offset, frames))
        else:
            placements.append(Placement(previous.end_frame - back, frames))
    return placements


def _equal_power(frames: int) -> tuple[Samples, Samples]:
    """Sine rise and cosine fall over ``frames``: their powers sum to 1, so uncorrelated audio keeps its level."""
    phase = (np.arange(frames, dtype=np.float64) + 0.5) / frames * (np.pi / 2.0)
    return np.sin(phase).astype(np.float32), np.cos(phase).astype(np.float32)


def _rendered_item(item: TimelineItem, rate: int, channels: int, frames: int, xfade_in: int,
                   xfade_out: int) -> Samples | None:
    """The item's samples with gain, fades and crossfade ramps applied; None for silence.

    The item's own audio is never modified: when nothing needs changing it is returned as it is.
    """
    if item.pcm is None:
        return None
    pcm = conform(item.pcm, rate, channels)
    assert pcm.frames == frames, "conform() and item_frames() disagree"
    gain = db_to_gain(item.gain_db)
    if not (item.fade_in or item.fade_out or xfade_in or xfade_out or gain != 1.0):
        return pcm.samples
    samples = fade(pcm, item.fade_in, item.fade_out).samples  # a copy
    if gain != 1.0:
        samples *= np.float32(gain)
    if xfade_in:
        samples[:xfade_in] *= _equal_power(xfade_in)[0][:, np.newaxis]
    if xfade_out:
        samples[frames - xfade_out :] *= _equal_power(xfade_out)[1][:, np.newaxis]
    return samples


@dataclass(frozen=True)
class BedCurve:
    """Where a bed played (frames) and the knees of its ducking curve: (frame, dB) points, linear between."""

    start_frame: int
    stop_frame: int
    knees: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Mixed:
    pcm: Pcm
    placements: list[Placement]
    beds: list[BedCurve]


def _knees(curve_db: npt.NDArray[np.float64], origin: int, first_frame: int, hop: int,
           stop: int) -> tuple[tuple[int, float], ...]:
    """The points where a per-envelope-frame curve (frame 0 at ``origin``) changes slope, from
    ``first_frame`` to ``stop``: the curve is exactly linear between them."""
    if curve_db.size == 0:
        return ()
    bends = np.flatnonzero(np.abs(np.diff(curve_db, n=2)) > 1e-9) + 1
    keep = np.unique(np.concatenate(([0], bends, [curve_db.size - 1])))
    points = [(max(first_frame, origin + int(k) * hop), float(curve_db[k])) for k in keep]
    points.append((stop, float(curve_db[-1])))
    return tuple(points)


def _add_bed(out: Samples, bed: Bed, start: int, stop: int, rate: int, curve: npt.NDArray[np.float64] | None,
             curve_origin: int) -> None:
    """Add ``bed`` (looped or cut, with gain, fades and ducking) to ``out[start:stop]`` chunk by chunk.

    ``curve`` is the ducking curve in dB per envelope frame, its frame 0 at ``curve_origin``.
    """
    channels = out.shape[1]
    source = conform(bed.pcm, rate, channels).samples
    length = source.shape[0]
    span = stop - start
    heard = span if bed.loop else min(span, length)
    if length == 0 or heard <= 0:
        return
    n_in = min(heard, round(bed.fade_in * rate))
    n_out = min(heard, round(bed.fade_out * rate))
    gain = np.float32(db_to_gain(bed.gain_db))
    for first in range(0, heard, _CHUNK):
        last = min(heard, first + _CHUNK)
        chunk = source[np.arange(first, last) % length] * gain
        if n_in > first:
            ramp_stop = min(last, n_in)
            chunk[: ramp_stop - first] *= ramp(n_in)[first:ramp_stop, np.newaxis]
        if last > heard - n_out:
            ramp_start = max(first, heard - n_out)
            chunk[ramp_start - first :] *= ramp(n_out)[::-1][ramp_start - (heard - n_out) : last - (heard - n_out),
                                                                np.newaxis]
        if curve is not None:
            chunk *= gain_from_curve(curve, rate, start + first - curve_origin, start + last - curve_origin)[:, None]
        out[start + first : start + last] += chunk


def mix_programme(
    items: Sequence[TimelineItem],
    beds: Sequence[Bed],
    rate: int,
    channels: int,
    ducking: DuckingSettings | None = None,
) -> Mixed:
    """Render the programme at ``rate`` / ``channels``: items laid out by :func:`layout`, beds under them.

    With ``ducking``, each bed follows :func:`studio.audio.ducking.duck_curve_db` of the speech items
    heard over it (the energy of their mono mix after gain and fades, per 10 ms); without it, beds play
    at their own gain. Memory: the output, plus one item or one bed chunk at a time; the speech envelope
    is kept per 10 ms frame, not per sample.
    """
    if channels <= 0:
        raise ValueError("channel count must be positive")
    placements = layout(items, rate)
    for bed in beds:
        if bed.last_item >= len(items):
            raise ValueError(f"a bed spans item {bed.last_item}, but the timeline has {len(items)} items")
    total = max((placement.end_frame for placement in placements), default=0)
    out = np.zeros((total, channels), dtype=np.float32)
    hop = envelope_hop(rate)
    energy: npt.NDArray[np.float64] | None = None
    if ducking is not None and beds:
        energy = np.zeros(total // hop + 2, dtype=np.float64)
    for number, (item, placement) in enumerate(zip(items, placements, strict=True)):
        following = items[number + 1] if number + 1 < len(items) else None
        xfade_in = round(item.crossfade * rate)
        xfade_out = round(following.crossfade * rate) if following is not None else 0
        samples = _rendered_item(item, rate, channels, placement.frames, xfade_in, min(xfade_out, placement.frames))
        if samples is None:
            continue
        out[placement.start_frame : placement.end_frame] += samples
        if energy is not None and item.kind == "speech":
            lead = placement.start_frame % hop  # measure on the programme's own 10 ms grid
            mono = samples.mean(axis=1, dtype=np.float32) if channels > 1 else samples[:, 0]
            frames = frame_energy(np.concatenate((np.zeros(lead, dtype=np.float32), mono)), rate)
            first = placement.start_frame // hop
            energy[first : first + frames.size] += frames
        del samples
    curves: list[BedCurve] = []
    for bed in beds:
        start = placements[bed.first_item].start_frame
        stop = max(placement.end_frame for placement in placements[bed.first_item : bed.last_item + 1])
        curve = None
        origin = (start // hop) * hop
        if energy is not None and ducking is not None:
            curve = duck_curve_db(energy[start // hop : -(-stop // hop)], rate, ducking)
        _add_bed(out, bed, start, stop, rate, curve, origin)
        curves.append(BedCurve(start, stop, _knees(curve, origin, start, hop, stop) if curve is not None else
                               ((start, 0.0), (stop, 0.0))))
    return Mixed(Pcm(out, rate), placements, curves)


def mix(
    items: Sequence[TimelineItem],
    beds: Sequence[Bed],
    rate: int,
    channels: int,
    ducking: DuckingSettings | None = None,
) -> Pcm:
    """:func:`mix_programme`'s audio alone."""
    return mix_programme(items, beds, rate, channels, ducking).pcm
