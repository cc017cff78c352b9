"""Broadcast rules of a station: how long a session may be (DOMAIN "Broadcast rules": e.g. 15 minutes in Hà Nội's
urban wards, 45 in Vĩnh Phúc). A programme over the cap gets a warning, or is refused for delivery when the
station says caps are binding. An emergency programme is never held back by a cap: it must go out.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import Notice
from studio.workflow.states import NotAllowed

OVER_CAP = QT_TRANSLATE_NOOP(
    "Messages", "The programme lasts {length}, longer than the station's session of {cap} minutes.")
OVER_CAP_BLOCKED = QT_TRANSLATE_NOOP(
    "Messages", "“{title}” lasts {length}, longer than the station's session of {cap} minutes, and the station "
    "does not allow longer sessions.")
OVER_CAP_HINT = QT_TRANSLATE_NOOP("Messages", "Shorten it or split it into two bulletins.")
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
