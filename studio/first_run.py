"""Setting up a new studio from the first-run wizard's answers: the station, its administrator, its usual
broadcast times and session caps, the languages of its area, the controller, and a sample bulletin.

Everything is checked before anything is written (:meth:`FirstRunSetup.problems`), so a mistake in the
last page never leaves half a station behind. The administrator is the first account: it is created
first and signed in, and everything after it is done (and audited) in its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any

from studio.config import UI_LAST_USER
from studio.delivery.targets import TargetSettings, build_target, validate_config
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError
from studio.workflow.accounts import Actor, Role, check_display_name, check_new_password, normalise_username
from studio.workflow.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, SessionRules
from studio.workflow.schedule import Slot, StationSchedule

if TYPE_CHECKING:
    from studio.services import Studio

STATION_NAME_NEEDED = QT_TRANSLATE_NOOP(CONTEXT, "The station needs a name.")
NO_TIMES = QT_TRANSLATE_NOOP(CONTEXT, "Choose at least one usual broadcast time and one day of the week.")
PASSWORDS_DIFFER = QT_TRANSLATE_NOOP(CONTEXT, "The two passwords are not the same.")
BAD_SESSIONS = QT_TRANSLATE_NOOP(
    CONTEXT, "A session lasts between {low} and {high} minutes, and a station has 1 to 24 sessions a day.")
UNKNOWN_VOICE = QT_TRANSLATE_NOOP(CONTEXT, "The voice “{preset}” is not installed.")
ALREADY_SET_UP = QT_TRANSLATE_NOOP(
    CONTEXT, "This studio is set up already: log in with an account of this station instead.")
DEFAULT_SERIES = "Bản tin"  # the MP3 album when the wizard is left empty: "Bulletin"


@dataclass(frozen=True)
class TargetSetup:
    """The broadcast controller, as the installer typed it (``secret``: its password or token)."""

    name: str
    kind: str
    config: Mapping[str, Any]
    secret: str = ""

    @property
    def settings(self) -> TargetSettings:
        return TargetSettings(self.name, self.kind, self.config)


@dataclass(frozen=True)
class FirstRunSetup:
    station_name: str
    commune: str = ""
    province: str = ""
    series: str = ""
    default_preset: str = "vi-north-offline"
    area_presets: tuple[str, ...] = ()
    times: tuple[time, ...] = (time(5, 30), time(17, 0))
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    session_minutes: float = 15.0
    sessions_per_day: int = 2
    admin_username: str = ""
    admin_password: str = ""
    admin_password_again: str = ""
    admin_display_name: str = ""
    target: TargetSetup | None = None
    sample: bool = True
    presets_known: frozenset[str] = field(default=frozenset(), compare=False)  # empty: not checked

    def station_problems(self) -> list[StudioError]:
        problems: list[StudioError] = []
        if not self.station_name.strip():
            problems.append(StudioError(STATION_NAME_NEEDED))
        if self.presets_known:
            problems += [StudioError(UNKNOWN_VOICE, preset=p) for p in (self.default_preset, *self.area_presets)
                         if p not in self.presets_known]
        return problems

    def schedule_problems(self) -> list[StudioError]:
        problems: list[StudioError] = []
        if not self.times or not self.weekdays:
            problems.append(StudioError(NO_TIMES))
        if not (MIN_SESSION_MINUTES <= self.session_minutes <= MAX_SESSION_MINUTES
                and 1 <= self.sessions_per_day <= 24):
            problems.append(StudioError(BAD_SESSIONS, low=MIN_SESSION_MINUTES, high=MAX_SESSION_MINUTES))
        return problems

    def account_problems(self) -> list[StudioError]:
        problems: list[StudioError] = []
        for check in (lambda: normalise_username(self.admin_username),
                      lambda: check_display_name(self.admin_display_name),
                      lambda: check_new_password(self.admin_password)):
            try:
                check()
            except StudioError as exc:
                problems.append(exc)
        if self.admin_password != self.admin_password_again:
            problems.append(StudioError(PASSWORDS_DIFFER))
        return problems

    def target_problems(self) -> list[StudioError]:
        if self.target is None:
            return []
        return validate_config(self.target.name, self.target.kind, self.target.config)

    def problems(self) -> list[StudioError]:
        """Everything wrong with the answers, page by page; empty when the studio can be set up."""
        return (self.station_problems() + self.schedule_problems() + self.account_problems()
                + self.target_problems())

    @property
    def station_schedule(self) -> StationSchedule:
        return StationSchedule(tuple(Slot(at, days=self.weekdays) for at in sorted(set(self.times))))


def check_target(target: TargetSetup, cancel: Any = None) -> str:
    """Connect to the controller as typed, before anything is stored; what it answered (or DeliveryError)."""
    return build_target(target.settings, target.secret or None, create_folder=True).check(cancel=cancel)


def needs_first_run(studio: Studio) -> bool:
    """A new studio: no station and no account yet (a station whose set-up was cut short has an account,
    and its administrator logs in as usual)."""
    return studio.repo.first_station() is None and studio.reviews.user_count() == 0


def set_up(studio: Studio, setup: FirstRunSetup) -> Actor:
    """Create the studio described by ``setup``; the administrator is signed in on return."""
    problems = setup.problems()
    if problems:
        raise problems[0]
    if not needs_first_run(studio):
        raise StudioError(ALREADY_SET_UP)
    admin = studio.reviews.create_user(setup.admin_username, setup.admin_password, Role.ADMIN,
                                       display_name=setup.admin_display_name).actor()
    studio.signed_in = admin
    station = studio.repo.create_station(setup.station_name.strip(), commune=setup.commune.strip(),
                                         province=setup.province.strip(),
                                         series=setup.series.strip() or DEFAULT_SERIES,
                                         default_preset=setup.default_preset, area_presets=setup.area_presets)
    studio.reviews.set_station_rules(station.id, actor=admin,
                                     rules=SessionRules(setup.session_minutes, setup.sessions_per_day))
    studio.repo.set_station_schedule(station.id, setup.station_schedule, actor=admin)
    studio.ensure_station()  # the outbox folder target every studio has
    if setup.target is not None:
        studio.repo.add_target(station.id, setup.target.name, setup.target.kind, dict(setup.target.config),
                               actor=admin)
        if setup.target.secret:
            studio.credentials.set(setup.target.name, setup.target.secret)
    if setup.sample:
        studio.create_demo()
    studio.settings.remember(UI_LAST_USER, admin.username)  # the next start asks for its password at once
    return admin
