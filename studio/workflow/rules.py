"""Broadcast rules of a station: how long a session may be (DOMAIN "Broadcast rules": e.g. 15 minutes in Hà Nội's
urban wards, 45 in Vĩnh Phúc). A programme over the cap gets a warning, or is refused for delivery when the
station says caps are binding. An emergency programme is never held back by a cap: it must go out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import Notice
from studio.workflow.schedule import DEFAULT_UTC_OFFSET_MINUTES, Schedule
from studio.workflow.states import NotAllowed

OVER_CAP = QT_TRANSLATE_NOOP(
    "Messages", "The programme lasts {length}, longer than the station's session of {cap} minutes.")
OVER_CAP_BLOCKED = QT_TRANSLATE_NOOP(
    "Messages", "“{title}” lasts {length}, longer than the station's session of {cap} minutes, and the station "
    "does not allow longer sessions.")
OVER_CAP_HINT = QT_TRANSLATE_NOOP("Messages", "Shorten it or split it into two bulletins.")
TOO_MANY_SESSIONS = QT_TRANSLATE_NOOP(
    "Messages", "“{title}” is scheduled {count} times on {date}, more than the station's {cap} sessions a day.")
TOO_MANY_SESSIONS_HINT = QT_TRANSLATE_NOOP("Messages", "Remove some broadcast times from its schedule.")
REPEATS_OVER_CAP = QT_TRANSLATE_NOOP(
    "Messages", "“{title}” played {repeat} times in a row lasts {length}, longer than the station's session of "
    "{cap} minutes.")
REPEATS_OVER_CAP_HINT = QT_TRANSLATE_NOOP("Messages", "Play it fewer times at each broadcast time.")
MIN_SESSION_MINUTES = 1.0
MAX_SESSION_MINUTES = 240.0


@dataclass(frozen=True)
class SessionRules:
    minutes: float = 15.0
    per_day: int = 2
    binding: bool = False  # True: over the cap is refused (except emergencies); False: a warning


def length_text(seconds: float) -> str:
    """``17:20`` style (minutes:seconds), the same in Vietnamese."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def session_notices(duration_s: float, priority: str, rules: SessionRules) -> list[Notice]:
    """A warning when a programme of ``duration_s`` seconds is over the session cap."""
    if duration_s <= rules.minutes * 60 + 0.5:
        return []
    return [Notice(OVER_CAP, {"length": length_text(duration_s), "cap": f"{rules.minutes:g}"})]


def check_session(title: str, duration_s: float, priority: str, rules: SessionRules) -> None:
    """Raise :class:`NotAllowed` when the cap binds and the programme is over it (never for an emergency)."""
    if rules.binding and priority != "emergency" and session_notices(duration_s, priority, rules):
        raise NotAllowed(OVER_CAP_BLOCKED, hint=OVER_CAP_HINT, title=title, length=length_text(duration_s),
                         cap=f"{rules.minutes:g}")


def schedule_problems(title: str, schedule: Schedule | None, duration_s: float, rules: SessionRules,
                      utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> list[NotAllowed]:
    """How a schedule breaks the station's caps: more broadcast times on one day than sessions a day, or
    repeats that make one broadcast longer than a session."""
    found: list[NotAllowed] = []
    if schedule is None:
        return found
    per_day = Counter(moment.date() for moment in schedule.occurrences(utc_offset_minutes))
    if per_day:
        day, count = max(per_day.items(), key=lambda item: (item[1], -item[0].toordinal()))
        if count > rules.per_day:
            found.append(NotAllowed(TOO_MANY_SESSIONS, hint=TOO_MANY_SESSIONS_HINT, title=title, count=count,
                                    date=day.strftime("%d/%m/%Y"), cap=rules.per_day))
    if schedule.repeat > 1 and duration_s * schedule.repeat > rules.minutes * 60 + 0.5:
        found.append(NotAllowed(REPEATS_OVER_CAP, hint=REPEATS_OVER_CAP_HINT, title=title, repeat=schedule.repeat,
                                length=length_text(duration_s * schedule.repeat), cap=f"{rules.minutes:g}"))
    return found


def check_schedule(title: str, schedule: Schedule | None, duration_s: float, priority: str, rules: SessionRules,
                   utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> None:
    """Raise the first of :func:`schedule_problems` when the caps bind (never for an emergency)."""
    if rules.binding and priority != "emergency":
        problems = schedule_problems(title, schedule, duration_s, rules, utc_offset_minutes)
        if problems:
            raise problems[0]
