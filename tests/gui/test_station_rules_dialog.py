"""The station rules: an administrator sets the session cap and single-person mode; an officer cannot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from studio.services import Studio
from studio.ui.station_rules_dialog import StationRulesDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import Role
from studio.workflow.states import NOT_ALLOWED_ROLE
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

ADMIN, ADMIN_PW = "chu.tich", "Hoa-Binh-2024"
OFFICER, OFFICER_PW = "bien.tap", "loa-phuong-1"



@pytest.fixture
def accounts(studio: Studio) -> Studio:
    """A station with an administrator and an officer (nobody logged in yet)."""
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN, display_name="Chủ tịch xã")
    studio.reviews.create_user(OFFICER, OFFICER_PW, Role.OFFICER, display_name="Lò Thị Mai")
    return studio


def open_dialog(qtbot, studio: Studio, runner: TaskRunner) -> StationRulesDialog:
    dialog = StationRulesDialog(studio, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_administrator_saves_rules_the_station_then_has(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(ADMIN, ADMIN_PW)
    dialog = open_dialog(qtbot, accounts, runner)
    assert (dialog.minutes_spin.value(), dialog.per_day_spin.value()) == (15.0, 2)  # a new station's rules
    assert not dialog.block_check.isChecked() and not dialog.single_check.isChecked()
    assert dialog.minutes_spin.isEnabled() and dialog.save_button.isVisible() and not dialog.note.isVisible()
    assert (dialog.minutes_spin.minimum(), dialog.minutes_spin.maximum()) == (1.0, 240.0)
    assert (dialog.per_day_spin.minimum(), dialog.per_day_spin.maximum()) == (1, 24)

    dialog.minutes_spin.setValue(45.5)
    dialog.per_day_spin.setValue(3)
    dialog.block_check.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    station = accounts.repo.station(accounts.station().id)
    assert (station.session_minutes, station.sessions_per_day, station.caps_block) == (45.5, 3, True)
    assert not station.single_person_mode

    again = open_dialog(qtbot, accounts, runner)  # the next look shows what was stored
    assert (again.minutes_spin.value(), again.per_day_spin.value(), again.block_check.isChecked()) == (
        45.5, 3, True)


def test_officer_sees_the_rules_and_is_refused(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(OFFICER, OFFICER_PW)
    dialog = open_dialog(qtbot, accounts, runner)
    assert dialog.note.isVisible()
    assert dialog.note.text() == "Only an administrator can change the station rules."
    assert not dialog.minutes_spin.isEnabled() and not dialog.single_check.isEnabled()
    assert not dialog.save_button.isVisible() and dialog.close_button.text() == "Close"

    # The database decides, not the dialog: a save asked for anyway is refused and said in words.
    dialog.minutes_spin.setValue(60)
    dialog.single_check.setChecked(True)
    with qtbot.waitSignal(dialog.problem, timeout=10_000):
        dialog.save()
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text() == NOT_ALLOWED_ROLE.format(user="Lò Thị Mai", role="officer",
                                                            action="change station rules")
    station = accounts.repo.station(accounts.station().id)
    assert (station.session_minutes, station.single_person_mode) == (15.0, False)
    assert all(entry.action != "station.rules" for entry in accounts.repo.audit_entries())


def test_single_person_mode_is_written_to_the_audit(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(ADMIN, ADMIN_PW)
    dialog = open_dialog(qtbot, accounts, runner)
    assert dialog.single_warning.isVisible()
    assert "every approval made this way is marked in the audit log" in dialog.single_warning.text()
    dialog.single_check.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].single_person_mode and accounts.station().single_person_mode

    entry = accounts.repo.audit_entries()[-1]
    assert (entry.actor, entry.action, entry.subject) == (ADMIN, "station.rules", f"station:{saved.args[0].id}")
    assert entry.details["single_person_mode"] is True
    assert accounts.repo.verify_audit().ok


def test_the_bilingual_order_is_a_station_rule(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(ADMIN, ADMIN_PW)
    dialog = open_dialog(qtbot, accounts, runner)
    assert dialog.order_combo.currentData() == "interleaved"
    dialog.order_combo.setCurrentIndex(dialog.order_combo.findData("blocks"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].bilingual_order == "blocks" == accounts.station().bilingual_order
    assert accounts.repo.audit_entries()[-1].action == "station.bilingual_order"


def test_unchanged_rules_close_without_writing(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(ADMIN, ADMIN_PW)
    dialog = open_dialog(qtbot, accounts, runner)
    before = len(accounts.repo.audit_entries())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(accounts.repo.audit_entries()) == before


def test_texts_fit_when_translated(qtbot, qapp: QApplication, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(OFFICER, OFFICER_PW)  # the longest form: the note for those who may not change it
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, accounts, runner)
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        dialog.per_day_spin.setValue(4)
        with qtbot.waitSignal(dialog.problem, timeout=10_000):
            dialog.save()
        assert clipped(dialog) == []
        assert dialog.height() < 760 and dialog.width() < 1366  # fits on the commune's 1366×768 screen
