"""Opening the studio on a thread of its own while the login dialog is up (studio.opening)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from studio.config import UI_LAST_USER, Settings
from studio.first_run import FirstRunSetup, set_up
from studio.messages import Cancelled, StudioError
from studio.opening import LateStudio, StudioOpening
from studio.paths import StudioPaths
from studio.services import Studio


def opening_under(home: Path, **kwargs: object) -> StudioOpening:
    paths = StudioPaths.under(home).ensure()
    return StudioOpening(paths, Settings(paths.config / "settings.json"), **kwargs)  # type: ignore[arg-type]


def test_a_new_studio_opens_in_the_background_as_a_first_run(tmp_path: Path) -> None:
    opening = opening_under(tmp_path / "home")
    heard: list[str] = []
    opening.when_done(lambda: heard.append(threading.current_thread().name))
    assert not opening.started and not opening.done
    try:
        opened = opening.wait(timeout=60)
        assert opened.first_run and opened.studio.repo.first_station() is None  # the wizard makes the station
        assert heard == ["studio-opening"]
        opening.when_done(lambda: heard.append(threading.current_thread().name))  # already done: at once, here
        assert heard == ["studio-opening", threading.current_thread().name]
        assert opening.wait() is opened
    finally:
        opening.close()


def test_a_set_up_studio_opens_with_its_station_and_the_late_studio_speaks_for_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    studio = Studio.open(StudioPaths.under(home))
    try:
        set_up(studio, FirstRunSetup("Đài xã Tân Lập", admin_username="quantri", admin_password="mat-khau-xa",
                                     admin_password_again="mat-khau-xa"))
    finally:
        studio.close()
    opening = opening_under(home)
    late = LateStudio(opening)
    assert late.settings.get(UI_LAST_USER) == "quantri"  # remembered by the set-up; read without opening
    assert late.paths is opening.paths and not opening.started
    try:
        # Anything else waits for the opening, which whoever shows the first window starts (once it painted).
        asked: list[str] = []
        asking = threading.Thread(target=lambda: asked.append(late.station().name))
        asking.start()
        asking.join(0.3)
        assert asking.is_alive() and not opening.started
        opening.start()
        asking.join(30)
        assert asked == ["Đài xã Tân Lập"] and not opening.wait().first_run
        late.login("quantri", "mat-khau-xa")
        assert opening.wait().studio.signed_in is not None
        late.signed_in = None  # written through to the studio
        assert opening.wait().studio.signed_in is None
    finally:
        opening.close()


def test_a_library_that_cannot_be_opened_is_the_error_of_every_wait(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "db-is-a-folder"
    folder.mkdir()
    monkeypatch.setenv("STUDIO_DATABASE_URL", f"sqlite:///{folder}")
    opening = opening_under(tmp_path / "home")
    opening.start()
    with pytest.raises(StudioError):
        opening.wait(timeout=60)
    assert opening.error is not None and isinstance(opening.error[1], StudioError)
    with pytest.raises(StudioError):
        LateStudio(opening).repo  # noqa: B018
    opening.close()  # nothing to close


def test_the_warm_up_imports_after_the_opening_and_a_failing_import_is_only_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "warm_up_probe.py").write_text("import threading\nBY = threading.current_thread().name\n",
                                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    monkeypatch.delitem(sys.modules, "warm_up_probe", raising=False)
    opening = opening_under(tmp_path / "home", warm=("studio.no_such_module", "warm_up_probe"))
    try:
        opening.start()
        opening.join_warm_up(timeout=120)
        assert sys.modules["warm_up_probe"].BY == "studio-opening"
        assert opening.wait().first_run
        assert "could not import studio.no_such_module" in caplog.text
    finally:
        opening.close()
        sys.modules.pop("warm_up_probe", None)


def test_close_waits_for_the_opening_closes_its_studio_and_stops_later_starts(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    closed: list[Studio] = []
    real_open, real_close = Studio.open, Studio.close

    def slow_open(paths: StudioPaths, settings: Settings | None = None) -> Studio:
        release.wait(30)
        return real_open(paths, settings)

    monkeypatch.setattr(Studio, "open", staticmethod(slow_open))
    monkeypatch.setattr(Studio, "close", lambda self: (closed.append(self), real_close(self)))
    opening = opening_under(tmp_path / "home")
    opening.start()
    with pytest.raises(TimeoutError):
        opening.wait(timeout=0.05)
    threading.Timer(0.2, release.set).start()
    opening.close()  # the officer quit at the login while the library was still opening
    assert opening.done and closed == [opening.wait().studio]

    never = opening_under(tmp_path / "other")
    never.close()
    never.start()
    assert not never.started


def test_close_does_not_wait_for_an_opening_that_hangs_which_then_closes_its_own_studio(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    closed: list[Studio] = []
    real_open, real_close = Studio.open, Studio.close

    def hanging_open(paths: StudioPaths, settings: Settings | None = None) -> Studio:
        release.wait(30)  # a database server that does not answer
        return real_open(paths, settings)

    monkeypatch.setattr(Studio, "open", staticmethod(hanging_open))
    monkeypatch.setattr(Studio, "close", lambda self: (closed.append(self), real_close(self)))
    opening = opening_under(tmp_path / "home")
    opening.start()
    started = time.monotonic()
    opening.close(timeout=0.2)  # the officer quit at the login
    assert time.monotonic() - started < 5 and not opening.done and closed == []
    release.set()  # the server answers after all: the opening closes what it opened, once
    opening.join_warm_up(timeout=30)
    assert opening.done and closed == [opening.wait().studio]
    opening.close()
    assert len(closed) == 1


def test_cancel_frees_whoever_waits_for_an_opening_that_never_started_and_keeps_an_open_studio(
        tmp_path: Path) -> None:
    opening = opening_under(tmp_path / "home")
    late = LateStudio(opening)
    outcome: list[object] = []

    def ask() -> None:  # a login's database task, before the first window painted
        try:
            outcome.append(late.reviews)
        except Cancelled as exc:
            outcome.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    asking.join(0.2)
    assert asking.is_alive()
    opening.cancel()  # the officer quit before the opening started
    asking.join(10)
    assert not asking.is_alive() and len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    opening.start()
    assert not opening.started

    opened = opening_under(tmp_path / "other")
    studio = opened.wait().studio
    opened.cancel()  # the window's last tasks still use an open studio …
    assert opened.wait().studio is studio and LateStudio(opened).paths == studio.paths
    assert studio.reviews.user_count() == 0  # still open: a new studio, no accounts yet
    opened.close()  # … until the studio closes
