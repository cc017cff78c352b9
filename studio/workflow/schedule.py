"""When and where a bulletin plays: broadcast slots, validity, loudspeaker zones and repeats.

A :class:`Schedule` travels with the bulletin, is covered by the reviewer's approval (see
:func:`approval_hash`: changing a slot after approval needs a new approval, but not a new render, because
the sound is the same) and reaches the controller in the sidecar and the audio file's tags.

Slots are local wall-clock times in the commune (Vietnam keeps UTC+07:00 all year; the station's offset is a
setting): either on given weekdays (the usual 05:30 and 17:00, Monday to Saturday) or on one date. Weekly
slots only make sense within a validity window, so a schedule with weekly slots must end: a notice about
next week's vaccination should not play in March. Pure values, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from studio.hashing import content_hash
from studio.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Schedule"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = (
    QT_TRANSLATE_NOOP(CONTEXT, "Mon"), QT_TRANSLATE_NOOP(CONTEXT, "Tue"), QT_TRANSLATE_NOOP(CONTEXT, "Wed"),
    QT_TRANSLATE_NOOP(CONTEXT, "Thu"), QT_TRANSLATE_NOOP(CONTEXT, "Fri"), QT_TRANSLATE_NOOP(CONTEXT, "Sat"),
    QT_TRANSLATE_NOOP(CONTEXT, "Sun"),
)
MAX_SLOTS = 50
MAX_REPEAT = 5
MAX_WEEKLY_DAYS = 92
"""A weekly schedule may run at most one quarter: longer campaigns are approved again, season by season."""
MAX_ZONES = 200
DEFAULT_UTC_OFFSET_MINUTES = 7 * 60
DEFAULT_VALID_DAYS = 7

NO_END = QT_TRANSLATE_NOOP("Messages", "Weekly slots need a last day (“valid until”).")
ENDS_BEFORE_START = QT_TRANSLATE_NOOP("Messages", "The last day is before the first day.")
TOO_LONG = QT_TRANSLATE_NOOP(
    "Messages", "Weekly slots may run at most {days} days; approve the bulletin again after that.")
NO_DAYS = QT_TRANSLATE_NOOP("Messages", "The slot at {time} has no weekday ticked.")
OUTSIDE = QT_TRANSLATE_NOOP("Messages", "The slot on {date} is outside the days the bulletin is valid.")
TOO_MANY_SLOTS = QT_TRANSLATE_NOOP("Messages", "At most {limit} slots.")


@dataclass(frozen=True, order=True)
class Slot:
    """One broadcast time: ``at`` on ``date`` (a one-off slot), or on each of ``days`` (0 = Monday)."""

    at: time
    date: date | None = None
    days: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", self.at.replace(second=0, microsecond=0, tzinfo=None))
        object.__setattr__(self, "days", tuple(sorted({int(d) for d in self.days if 0 <= int(d) <= 6})))
        if self.date is not None:
            object.__setattr__(self, "days", ())

    @property
    def weekly(self) -> bool:
        return self.date is None

    def content(self) -> dict[str, Any]:
        data: dict[str, Any] = {"time": self.at.strftime("%H:%M")}
        if self.date is not None:
            data["date"] = self.date.isoformat()
        else:
            data["days"] = [WEEKDAYS[d] for d in self.days]
        return data

    @classmethod
    def from_content(cls, data: Mapping[str, Any]) -> Slot:
        at = time.fromisoformat(str(data["time"]))
        if data.get("date"):
            return cls(at, date=date.fromisoformat(str(data["date"])))
        return cls(at, days=tuple(WEEKDAYS.index(str(d)) for d in data.get("days", ())))

    def label(self) -> str:
        """``05:30 Mon–Sat`` / ``17:00 2026-11-25`` (English; the UI builds its own translated label)."""
        when = self.date.isoformat() if self.date else days_text(self.days, ("Mon", "Tue", "Wed", "Thu", "Fri",
                                                                             "Sat", "Sun"))
        return f"{self.at.strftime('%H:%M')} {when}"


@dataclass(frozen=True)
class Zone:
    """A loudspeaker cluster of the commune's system, as the controller knows it (``id``) and as people
    call it (``name``, e.g. "Thôn 3")."""

    id: str
    name: str

    def content(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Schedule:
    """When, where and how often the programme plays. ``zones`` empty: every loudspeaker. No slots: the
    controller's operator decides (normal priority) or it plays on arrival (emergency)."""

    slots: tuple[Slot, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    zones: tuple[Zone, ...] = ()
    repeat: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", tuple(sorted(set(self.slots), key=_slot_order)))
        object.__setattr__(self, "repeat", min(MAX_REPEAT, max(1, int(self.repeat))))

    def content(self) -> dict[str, Any]:
        """Canonical data: what the approval hash covers and the database stores."""
        return {
            "slots": [slot.content() for slot in self.slots],
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "zones": [zone.content() for zone in self.zones],
            "repeat": self.repeat,
        }

    @classmethod
    def from_content(cls, data: Mapping[str, Any]) -> Schedule:
        """Read :meth:`content` output; raises ``ValueError`` on damaged data."""
        try:
            return cls(
                tuple(Slot.from_content(s) for s in data.get("slots", ())),
                date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None,
                date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None,
                tuple(Zone(str(z["id"]), str(z.get("name", z["id"]))) for z in data.get("zones", ())),
                int(data.get("repeat", 1)),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"damaged schedule: {exc}") from exc

    def problems(self) -> list[tuple[str, dict[str, str]]]:
        """What makes the schedule unusable, as (English template, arguments) for the officer."""
        found: list[tuple[str, dict[str, str]]] = []
        if len(self.slots) > MAX_SLOTS:
            found.append((TOO_MANY_SLOTS, {"limit": str(MAX_SLOTS)}))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            found.append((ENDS_BEFORE_START, {}))
        weekly = [slot for slot in self.slots if slot.weekly]
        if weekly and self.valid_until is None:
            found.append((NO_END, {}))
        if weekly and self.valid_until is not None:
            start = self.valid_from or self.valid_until
            if (self.valid_until - start).days + 1 > MAX_WEEKLY_DAYS:
                found.append((TOO_LONG, {"days": str(MAX_WEEKLY_DAYS)}))
        for slot in weekly:
            if not slot.days:
                found.append((NO_DAYS, {"time": slot.at.strftime("%H:%M")}))
        for slot in self.slots:
            if slot.date is not None and not self.covers(slot.date):
                found.append((OUTSIDE, {"date": slot.date.isoformat()}))
        return found

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until)

    def occurrences(self, utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> list[datetime]:
        """Every concrete broadcast time, in order, as local times carrying the station's UTC offset.

        Weekly slots are expanded over the validity window (bounded by :data:`MAX_WEEKLY_DAYS`)."""
        zone = timezone(timedelta(minutes=utc_offset_minutes))
        moments: set[datetime] = set()
        for slot in self.slots:
            if slot.date is not None:
                if self.covers(slot.date):
                    moments.add(datetime.combine(slot.date, slot.at, zone))
                continue
            if self.valid_until is None or not slot.days:
                continue
            first = self.valid_from or self.valid_until
            days = min((self.valid_until - first).days + 1, MAX_WEEKLY_DAYS)
            for offset in range(max(0, days)):
                day = first + timedelta(days=offset)
                if day.weekday() in slot.days:
                    moments.add(datetime.combine(day, slot.at, zone))
        return sorted(moments)

    def summary(self) -> str:
        """One line for the audio file's tag (English words, readable by anyone): slots, validity, repeats,
        zones."""
        parts = [", ".join(slot.label() for slot in self.slots) or "no fixed slot"]
        if self.valid_from or self.valid_until:
            parts.append(f"valid {self.valid_from or '…'} to {self.valid_until or '…'}")
        if self.repeat > 1:
            parts.append(f"{self.repeat} times per slot")
        parts.append("zones: " + (", ".join(zone.name for zone in self.zones) or "all"))
        return "; ".join(parts)

    def for_dates(self, first: date, days: int = DEFAULT_VALID_DAYS) -> Schedule:
        """This schedule (a station's default slots and zones) made valid from ``first`` for ``days`` days."""
        return replace(self, valid_from=first, valid_until=first + timedelta(days=max(1, days) - 1))


def days_text(days: Iterable[int], names: tuple[str, ...]) -> str:
    """``Mon–Sat``, ``Mon, Wed, Fri`` or ``every day``: consecutive runs of three or more become a range."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "every day" if names[0] == "Mon" else "/".join(names)
    runs: list[list[int]] = []
    for day in chosen:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            words.extend(names[d] for d in run)
    return ", ".join(words)


@dataclass(frozen=True)
class StationSchedule:
    """A station's defaults for new bulletins: the usual slots (05:30 and 17:00, Monday to Saturday), how
    many days a bulletin stays valid, the loudspeaker zones the controller knows, and the local UTC offset."""

    slots: tuple[Slot, ...] = (Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5)), Slot(time(17, 0), days=(0, 1, 2, 3, 4, 5)))
    valid_days: int = DEFAULT_VALID_DAYS
    zones: tuple[Zone, ...] = field(default=())
    utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES

    def new_schedule(self, today: date) -> Schedule:
        """The schedule a new bulletin starts with: the usual slots, valid from today, every zone."""
        return Schedule(self.slots).for_dates(today, self.valid_days)

    def content(self) -> dict[str, Any]:
        return {"slots": [slot.content() for slot in self.slots], "valid_days": self.valid_days,
                "zones": [zone.content() for zone in self.zones], "utc_offset_minutes": self.utc_offset_minutes}

    @classmethod
    def from_content(cls, data: Mapping[str, Any] | None) -> StationSchedule:
        """Read :meth:`content` output; missing or damaged data gives the defaults."""
        if not data:
            return cls()
        try:
            return cls(tuple(Slot.from_content(s) for s in data.get("slots", ())),
                       max(1, min(MAX_WEEKLY_DAYS, int(data.get("valid_days", DEFAULT_VALID_DAYS)))),
                       tuple(Zone(str(z["id"]), str(z.get("name", z["id"]))) for z in data.get("zones", ())),
                       int(data.get("utc_offset_minutes", DEFAULT_UTC_OFFSET_MINUTES)))
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def local_today(self, now: datetime) -> date:
        return now.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes))).date()


def approval_hash(sound_fingerprint: str, schedule: Schedule | None) -> str:
    """What a reviewer's approval binds: the sound (the render fingerprint) and, when the bulletin has one,
    its schedule. A bulletin without a schedule binds the sound alone (approvals made before schedules
    existed stay valid)."""
    if schedule is None:
        return sound_fingerprint
    return content_hash({"sound": sound_fingerprint, "schedule": schedule.content()})


def _slot_order(slot: Slot) -> tuple[int, str, time, tuple[int, ...]]:
    return (0 if slot.weekly else 1, slot.date.isoformat() if slot.date else "", slot.at, slot.days)
