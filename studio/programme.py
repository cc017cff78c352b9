"""The laid-out programme of a render: what plays when, for the timeline view and the render record.

A render knows exactly where every item landed (after gaps, crossfades and stingers) and how deep the
music bed was ducked at each moment; :class:`ProgrammeLayout` keeps that as plain values, stored as JSON
with the render, so the timeline can be drawn again (on this PC or a reviewer's) without re-rendering.
Times are seconds from the start of the programme file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

LAYOUT_VERSION = 1
MAX_DUCK_POINTS = 4000  # enough for one point per 0.5 s of a 30-minute bed


@dataclass(frozen=True)
class LayoutItem:
    """One item on the timeline.

    ``kind``: "speech", "jingle" (opening/closing), "stinger" or "silence". For speech ``number`` is the
    segment's 1-based number as the officer sees it and ``segment_kind`` its kind (news, notice …);
    ``label`` names the jingle or the voice preset. ``gap`` is the silence laid before the item,
    ``crossfade`` how long it blends with the item before it.
    """

    kind: str
    start: float
    duration: float
    number: int | None = None
    segment_kind: str = ""
    label: str = ""
    gap: float = 0.0
    crossfade: float = 0.0

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class BedLane:
    """A music bed from ``start`` to ``end`` at ``gain_db``; ``duck`` holds (time, extra gain in dB ≤ 0)
    points of its ducking curve, linear between points (0 dB where the bed plays at its own level)."""

    start: float
    end: float
    label: str
    gain_db: float
    duck: tuple[tuple[float, float], ...] = ()

    def duck_at(self, time: float) -> float:
        """The ducking gain (dB) at ``time``, linear between points."""
        points = self.duck
        if not points or time <= points[0][0]:
            return points[0][1] if points else 0.0
        for (t0, g0), (t1, g1) in itertools.pairwise(points):
            if time <= t1:
                return g0 if t1 == t0 else g0 + (g1 - g0) * (time - t0) / (t1 - t0)
        return points[-1][1]


@dataclass(frozen=True)
class ProgrammeLayout:
    duration: float
    items: tuple[LayoutItem, ...] = ()
    beds: tuple[BedLane, ...] = ()

    def item_at(self, time: float) -> LayoutItem | None:
        """The non-silent item playing at ``time`` (the later one during a crossfade)."""
        found = None
        for item in self.items:
            if item.kind != "silence" and item.start <= time < item.end:
                found = item
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "version": LAYOUT_VERSION,
            "duration": round(self.duration, 4),
            "items": [{"kind": i.kind, "start": round(i.start, 4), "duration": round(i.duration, 4),
                       "number": i.number, "segment_kind": i.segment_kind, "label": i.label,
                       "gap": round(i.gap, 4), "crossfade": round(i.crossfade, 4)} for i in self.items],
            "beds": [{"start": round(b.start, 4), "end": round(b.end, 4), "label": b.label,
                      "gain_db": round(b.gain_db, 2),
                      "duck": [[round(t, 3), round(g, 2)] for t, g in b.duck]} for b in self.beds],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProgrammeLayout:
        """Read :meth:`to_json` output; unknown keys are ignored, a newer or damaged layout raises ValueError."""
        try:
            if int(data.get("version", 0)) > LAYOUT_VERSION:
                raise ValueError("layout written by a newer studio")
            items = tuple(
                LayoutItem(str(i["kind"]), float(i["start"]), float(i["duration"]),
                           None if i.get("number") is None else int(i["number"]), str(i.get("segment_kind", "")),
                           str(i.get("label", "")), float(i.get("gap", 0.0)), float(i.get("crossfade", 0.0)))
                for i in data.get("items", ()))
            beds = tuple(
                BedLane(float(b["start"]), float(b["end"]), str(b.get("label", "")), float(b.get("gain_db", 0.0)),
                        tuple((float(t), float(g)) for t, g in b.get("duck", ())))
                for b in data.get("beds", ()))
            return cls(float(data["duration"]), items, beds)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"damaged programme layout: {exc}") from exc
