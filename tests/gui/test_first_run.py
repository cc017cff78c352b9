"""The first-run wizard: a new studio asks for its station page by page, checks each page, tests the
controller for real (a Studio Controller API receiver on 127.0.0.1) and sets everything up at Finish."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QWizard

from studio.first_run import (
    ALREADY_SET_UP,
    NO_TIMES,
    PASSWORDS_DIFFER,
    STATION_NAME_NEEDED,
    FirstRunSetup,
    needs_first_run,
    set_up,
)
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.services import DEFAULT_TARGET, Studio
from studio.ui.first_run_wizard import LANGUAGE_CHANGED, FirstRunWizard
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import Role
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated
from tests.servers.http_receiver import running_receiver

PASSWORD = "mật khẩu đủ dài"
THAI = "twh-tavt-record"


@pytest.fixture
def fresh(studio_paths: StudioPaths) -> Iterator[Studio]:
    """A studio opened on an empty data folder: no station, no account."""
    opened = Studio.open(studio_paths)
    yield opened
    opened.close()


def _wizard(qtbot, studio: Studio, runner: TaskRunner, language: str = "en") -> FirstRunWizard:
    wizard = FirstRunWizard(studio, runner, language)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(qtbot, wizard: FirstRunWizard) -> None:
    before = wizard.currentId()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=2000)


def test_the_wizard_checks_each_page_then_sets_up_the_station(qtbot, fresh: Studio, runner: TaskRunner,
                                                              tmp_path: Path) -> None:
    assert needs_first_run(fresh)
    wizard = _wizard(qtbot, fresh, runner)
    _next(qtbot, wizard)  # welcome

    page = wizard.station
    wizard.next()  # no name: the page says so and stays
    assert wizard.currentPage() is page and page.problem.text() == STATION_NAME_NEEDED
    page.name.setText("Đài truyền thanh xã Chiềng Cơi")
    page.commune.setText("Xã Chiềng Cơi")
    page.province.setText("Tỉnh Sơn La")
    _next(qtbot, wizard)

    times = wizard.broadcast
    for check in times.day_checks:
        check.setChecked(False)
    wizard.next()
    assert wizard.currentPage() is times and times.problem.text() == NO_TIMES
    for day in range(7):
        times.day_checks[day].setChecked(day < 5)  # Monday to Friday
    times.time_checks[1].setChecked(True)  # and at 11:15
    times.time_edits[1].setTime(QTime(11, 15))
    times.minutes.setValue(20)
    times.per_day.setValue(3)
    _next(qtbot, wizard)

    wizard.languages.voice.setCurrentIndex(wizard.languages.voice.findData("vi-north-female"))
    wizard.languages.tick(THAI)
    _next(qtbot, wizard)

    account = wizard.account
    account.display_name.setText("Lò Văn Pâng")
    account.username.setText("quantri")
    account.password.setText(PASSWORD)
    account.again.setText(PASSWORD + "x")
    wizard.next()
    assert wizard.currentPage() is account and account.problem.text() == PASSWORDS_DIFFER
    account.again.setText(PASSWORD)
    _next(qtbot, wizard)

    controller = wizard.controller
    with running_receiver(tmp_path / "controller") as receiver:
        controller.connect_box.setChecked(True)
        form = controller.form
        form.kind_combo.setCurrentIndex(form.kind_combo.findData("http"))
        form.url_edit.setText(receiver.url)
        form.secret_edit.setText(receiver.token)
        task = controller.test_connection()
        assert task is not None
        qtbot.waitUntil(lambda: controller.check_task is None, timeout=10_000)
        assert controller.result.text().startswith("The connection works") and receiver.url in controller.result.text()
    assert not fresh.repo.targets()  # only tested: nothing stored before Finish
    _next(qtbot, wizard)

    assert "Đài truyền thanh xã Chiềng Cơi" in wizard.finish.summary.text()
    assert "05:30, 11:15, 17:00" in wizard.finish.summary.text()
    with qtbot.waitSignal(wizard.finished, timeout=20_000) as finished:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert finished.args[0] == QDialog.DialogCode.Accepted

    station = fresh.station()
    assert (station.name, station.commune, station.province) == (
        "Đài truyền thanh xã Chiềng Cơi", "Xã Chiềng Cơi", "Tỉnh Sơn La")
    assert station.default_preset == "vi-north-female" and station.area_presets == (THAI,)
    assert (station.session_minutes, station.sessions_per_day) == (20.0, 3)
    slots = station.schedule_defaults.slots
    assert [s.at for s in slots] == [time(5, 30), time(11, 15), time(17, 0)]
    assert all(s.days == (0, 1, 2, 3, 4) for s in slots)
    admin = fresh.signed_in
    assert admin is not None and (admin.username, admin.role, admin.label) == ("quantri", Role.ADMIN, "Lò Văn Pâng")
    assert sorted(t.name for t in fresh.repo.targets()) == sorted([DEFAULT_TARGET, "controller"])
    assert fresh.credentials.get("controller") == receiver.token
    bulletins = fresh.repo.list_bulletins()
    assert len(bulletins) == 1  # the sample to try
    assert fresh.repo.load(bulletins[0].id).segments[0].preset_id == "vi-north-female"
    assert not needs_first_run(fresh)
    assert fresh.repo.verify_audit().ok
    with pytest.raises(StudioError) as again:
        set_up(fresh, wizard.answers())
    assert again.value.text == ALREADY_SET_UP


def test_nothing_is_written_until_every_answer_is_right(fresh: Studio) -> None:
    answers = FirstRunSetup("Đài xã", admin_username="Quản trị!", admin_password="ngắn", admin_password_again="ngắn",
                            times=(), presets_known=frozenset(fresh.presets))
    problems = [p.text for p in answers.problems()]
    assert NO_TIMES in problems and len(problems) >= 3  # times, user name, password
    with pytest.raises(StudioError):
        set_up(fresh, answers)
    assert needs_first_run(fresh) and fresh.reviews.user_count() == 0 and fresh.repo.first_station() is None


def test_choosing_english_reopens_the_wizard_in_english(qtbot, fresh: Studio, runner: TaskRunner) -> None:
    wizard = _wizard(qtbot, fresh, runner, "vi")
    with qtbot.waitSignal(wizard.finished, timeout=2000) as finished:
        index = wizard.welcome.language.findData("en")
        wizard.welcome.language.setCurrentIndex(index)
        wizard.welcome.language.activated.emit(index)
    assert finished.args[0] == LANGUAGE_CHANGED and wizard.language == "en"


def test_every_page_is_translated_and_fits(qtbot, qapp, fresh: Studio, runner: TaskRunner) -> None:
    with pseudo_vietnamese(qapp, point_size=16):
        wizard = _wizard(qtbot, fresh, runner, "vi")
        wizard.resize(wizard.sizeHint().expandedTo(wizard.size()))
        wizard.station.name.setText("Đài xã")
        wizard.account.username.setText("quantri")
        wizard.account.password.setText(PASSWORD)
        wizard.account.again.setText(PASSWORD)
        wizard.controller.connect_box.setChecked(True)
        while True:
            qtbot.wait(10)
            page = wizard.currentPage()
            assert untranslated(wizard) == [], page.title()
            assert clipped(page) == [], page.title()
            if page is wizard.finish:
                break
            if page is wizard.controller:
                wizard.controller.connect_box.setChecked(False)
            _next(qtbot, wizard)
