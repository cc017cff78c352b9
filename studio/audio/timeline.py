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

from studio.audio.ducking import DuckingSettings, duck_gain
from studio.audio.mix import conform, fade, resampled_frames
from studio.audio.pcm import Pcm, Samples

ItemKind = Literal["speech", "jingle", "stinger", "silence"]
StartMode = Literal["after", "overlap", "gap"]


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


def _rendered_item(
    item: TimelineItem, rate: int, channels: int, frames: int, xfade_in: int, xfade_out: int
) -> Samples | None:
    """The item's samples with gain, fades and crossfade ramps applied; None for silence."""
    if item.pcm is None:
        return None
    pcm = conform(item.pcm, rate, channels)
    assert pcm.frames == frames, "conform() and item_frames() disagree"
    pcm = fade(pcm, item.fade_in, item.fade_out)
    samples = pcm.samples
    gain = db_to_gain(item.gain_db)
    if gain != 1.0:
        samples *= np.float32(gain)
    if xfade_in:
        samples[:xfade_in] *= _equal_power(xfade_in)[0][:, np.newaxis]
    if xfade_out:
        samples[frames - xfade_out :] *= _equal_power(xfade_out)[1][:, np.newaxis]
    return samples


def _bed_samples(bed: Bed, rate: int, channels: int, frames: int) -> Samples:
    """The bed conformed, looped (or cut) to ``frames``, with gain and fades; zeros after a non-looped end."""
    source = conform(bed.pcm, rate, channels).samples
    out = np.zeros((frames, channels), dtype=np.float32)
    if source.shape[0] == 0 or frames == 0:
        return out
    if bed.loop:
        repeats = -(-frames // source.shape[0])
        out[:] = np.tile(source, (repeats, 1))[:frames]
        heard = frames
    else:
        heard = min(frames, source.shape[0])
        out[:heard] = source[:heard]
    faded = fade(Pcm(out[:heard], rate), bed.fade_in, bed.fade_out).samples
    out[:heard] = faded * np.float32(db_to_gain(bed.gain_db))
    return out


def mix(
    items: Sequence[TimelineItem],
    beds: Sequence[Bed],
    rate: int,
    channels: int,
    ducking: DuckingSettings | None = None,
) -> Pcm:
    """Render the programme at ``rate`` / ``channels``: items laid out by :func:`layout`, beds under them.

    With ``ducking``, each bed is multiplied by :func:`studio.audio.ducking.duck_gain` of the speech items
    heard over it (their mono mix after gain and fades); without it, beds play at their own gain.
    """
    if channels <= 0:
        raise ValueError("channel count must be positive")
    placements = layout(items, rate)
    for bed in beds:
        if bed.last_item >= len(items):
            raise ValueError(f"a bed spans item {bed.last_item}, but the timeline has {len(items)} items")
    total = max((placement.end_frame for placement in placements), default=0)
    out = np.zeros((total, channels), dtype=np.float32)
    speech: Samples | None = None
    if ducking is not None and beds:
        speech = np.zeros((total, 1), dtype=np.float32)
    for number, (item, placement) in enumerate(zip(items, placements, strict=True)):
        following = items[number + 1] if number + 1 < len(items) else None
        xfade_in = round(item.crossfade * rate)
        xfade_out = round(following.crossfade * rate) if following is not None else 0
        samples = _rendered_item(item, rate, channels, placement.frames, xfade_in, min(xfade_out, placement.frames))
        if samples is None:
            continue
        span = slice(placement.start_frame, placement.end_frame)
        out[span] += samples
        if speech is not None and item.kind == "speech":
            speech[span] += samples.mean(axis=1, keepdims=True, dtype=np.float32)
    for bed in beds:
        start = placements[bed.first_item].start_frame
        stop = max(placement.end_frame for placement in placements[bed.first_item : bed.last_item + 1])
        under = _bed_samples(bed, rate, channels, stop - start)
        if speech is not None and ducking is not None:
            under *= duck_gain(speech[start:stop, 0], rate, ducking)[:, np.newaxis]
        out[start:stop] += under
    return Pcm(out, rate)
