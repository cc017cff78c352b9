"""A bulletin's schedule in the editor and the station's broadcast defaults: the officer edits when and
where a bulletin plays, the change is saved like typing (and voids an approval), and the administrator
sets the times and loudspeaker zones new bulletins start with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog

from studio.services import Studio
from studio.ui.i18n import load_catalogue
from studio.ui.main_window import MainWindow
from studio.ui.schedule_editor import ScheduleDialog, ScheduleEditor, occurrence_text, summary_text
from studio.ui.station_schedule_dialog import StationScheduleDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import Role
from studio.workflow.schedule import NO_END, Schedule, Slot, StationSchedule, Zone
from studio.workflow.states import NOT_ALLOWED_ROLE, Action, State
from tests.gui.conftest import open_window
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

ADMIN, OFFICER, REVIEWER, PASSWORD = "quantri", "lan", "hung", "mật khẩu đủ dài"
ZONES = (Zone("thon-1", "Thôn 1"), Zone("thon-3", "Thôn 3"))
ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.fixture
def accounts(studio: Studio) -> Studio:
    """An administrator, an officer and a reviewer (nobody logged in yet); the station knows two zones."""
    admin = studio.reviews.create_user(ADMIN, PASSWORD, Role.ADMIN).actor()
    studio.reviews.create_user(OFFICER, PASSWORD, Role.OFFICER, display_name="Nguyễn Thị Lan", actor=admin)
    studio.reviews.create_user(REVIEWER, PASSWORD, Role.REVIEWER, display_name="Trần Văn Hùng", actor=admin)
    studio.repo.set_station_schedule(studio.station().id, StationSchedule(zones=ZONES), actor=admin)
    return studio


def open_schedule(qtbot, editor: ScheduleEditor) -> ScheduleDialog:
    with qtbot.waitSignal(editor.dialog_opened, timeout=10_000) as opened:
        qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
    dialog: ScheduleDialog = opened.args[0]
    qtbot.waitExposed(dialog)
    return dialog


def open_station_dialog(qtbot, studio: Studio, runner: TaskRunner) -> StationScheduleDialog:
    dialog = StationScheduleDialog(studio, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def close(window: MainWindow) -> None:
    window.close()
    window.runner.shutdown()


def test_officer_edits_the_schedule_and_it_is_saved_and_loaded_back(qtbot, accounts: Studio) -> None:
    accounts.login(OFFICER, PASSWORD)
    window = open_window(qtbot, accounts)
    bulletin_id = window.editor.bulletin_id
    editor = window.editor.schedule_editor
    assert editor.summary.text().startswith("05:30 and 17:00, Mon–Sat · ")  # the demo: the station's usual
    assert editor.summary.text().endswith(" · all loudspeaker zones")

    dialog = open_schedule(qtbot, editor)
    assert [row.slot() for row in dialog.slots.rows] == [Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5)),
                                                         Slot(time(17, 0), days=(0, 1, 2, 3, 4, 5))]
    assert [dialog.zones.item(i).text() for i in range(dialog.zones.count())] == ["Thôn 1", "Thôn 3"]
    dialog.from_edit.setDate(QDate(2030, 11, 25))  # a Monday
    dialog.until_edit.setDate(QDate(2030, 12, 1))
    dialog.slots.rows[0].day_boxes[6].setChecked(True)  # 05:30 on Sundays too
    dated = dialog.slots.add_slot()
    dated.kind.setCurrentIndex(dated.kind.findData("date"))
    dated.time_edit.setTime(QTime(19, 30))
    dated.date_edit.setDate(QDate(2030, 11, 27))
    dialog.repeat.setValue(2)
    dialog.zones.item(1).setCheckState(Qt.CheckState.Checked)
    expected = Schedule((Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5, 6)), Slot(time(17, 0), days=(0, 1, 2, 3, 4, 5)),
                         Slot(time(19, 30), date=date(2030, 11, 27))),
                        date(2030, 11, 25), date(2030, 12, 1), (ZONES[1],), 2)
    assert dialog.schedule() == expected
    assert dialog.ok_button.isEnabled() and not dialog.problems.isVisible()
    moments = expected.occurrences()
    assert dialog.preview.text().splitlines() == [occurrence_text(m) for m in moments[:5]] + [
        f"… and {len(moments) - 5} more"]

    with qtbot.waitSignal(window.editor.edited, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and window.saver.state == "dirty"
    assert window.editor.current_draft().schedule == expected
    assert editor.summary.text() == summary_text(expected)
    assert editor.summary.text().startswith("05:30, every day; 17:00, Mon–Sat; 19:30, ")
    assert editor.summary.text().endswith(" · 2 times each · Thôn 3")

    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()
    stored = accounts.repo.load(bulletin_id)
    assert stored.schedule == expected
    window.editor.set_draft(None)
    window.editor.set_draft(stored)
    assert window.editor.current_draft().schedule == expected and not window.editor.is_dirty()
    assert editor.summary.text() == summary_text(expected)
    close(window)


def test_weekly_slots_without_an_end_keep_ok_disabled_in_vietnamese(qtbot, window_vi: MainWindow) -> None:
    window = window_vi
    editor = window.editor.schedule_editor
    summary = editor.summary.text()
    assert summary.startswith("05:30") and "T2–T7" in summary  # the catalogue's weekday labels
    assert not any(day in summary.replace("–", " ").replace(",", " ").split() for day in ENGLISH_DAYS)
    before = window.editor.current_draft().schedule
    assert f"{before.valid_from:%d/%m}–{before.valid_until:%d/%m}" in summary  # Vietnamese day/month

    dialog = open_schedule(qtbot, editor)
    assert [box.text() for box in dialog.slots.rows[0].day_boxes] == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    dialog.until_check.setChecked(False)
    translated = load_catalogue("vi")("Messages", NO_END)
    assert translated != NO_END
    assert dialog.problems.isVisible() and translated in dialog.problems.text()
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # Enter in the dialog: refused while there are problems
    assert dialog.isVisible()

    dialog.until_check.setChecked(True)
    assert not dialog.problems.isVisible() and dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.editor.current_draft().schedule == before and window.saver.state == "clean"


def test_changing_the_schedule_after_approval_returns_the_bulletin_to_draft(qtbot, accounts: Studio) -> None:
    accounts.login(OFFICER, PASSWORD)
    window = open_window(qtbot, accounts)
    bulletin_id = window.editor.bulletin_id
    accounts.review(bulletin_id, Action.SUBMIT, version=accounts.repo.load(bulletin_id).version)
    accounts.login(REVIEWER, PASSWORD)
    accounts.review(bulletin_id, Action.APPROVE, version=accounts.repo.load(bulletin_id).version)
    assert accounts.approval_is_current(bulletin_id)

    accounts.login(OFFICER, PASSWORD)
    window.on_user_changed()
    qtbot.waitUntil(lambda: window.review.view is not None and window.review.view.status.state is State.APPROVED,
                    timeout=10_000)
    dialog = open_schedule(qtbot, window.editor.schedule_editor)
    dialog.slots.rows[1].time_edit.setTime(QTime(17, 30))  # the afternoon slot moves half an hour
    with qtbot.waitSignal(window.editor.edited, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()

    assert accounts.repo.load(bulletin_id).schedule.slots[1].at == time(17, 30)
    assert accounts.reviews.status(bulletin_id).state is State.DRAFT
    assert not accounts.approval_is_current(bulletin_id)
    close(window)


def test_a_bulletin_without_a_schedule_can_take_the_stations_times(qtbot, accounts: Studio) -> None:
    accounts.login(OFFICER, PASSWORD)
    demo = accounts.repo.load(1)
    accounts.save_bulletin(replace(demo, schedule=None))
    window = open_window(qtbot, accounts)
    editor = window.editor.schedule_editor
    assert editor.schedule() is None
    assert editor.summary.text() == "No fixed time (the controller's operator decides)"
    assert editor.usual_button.isVisibleTo(window)

    with qtbot.waitSignal(window.editor.edited, timeout=10_000):
        qtbot.mouseClick(editor.usual_button, Qt.MouseButton.LeftButton)
    assert window.editor.current_draft().schedule == Studio.new_schedule(accounts.station())
    assert window.editor.current_draft().schedule.zones == ()  # a new schedule: every zone
    assert not editor.usual_button.isVisibleTo(window)
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()
    assert accounts.repo.load(1).schedule == Studio.new_schedule(accounts.station())
    close(window)


def test_station_defaults_are_saved_and_new_bulletins_start_with_them(qtbot, accounts: Studio,
                                                                       runner: TaskRunner) -> None:
    accounts.login(ADMIN, PASSWORD)
    dialog = open_station_dialog(qtbot, accounts, runner)
    assert [row.slot() for row in dialog.slots.rows] == list(StationSchedule().slots)
    assert not dialog.slots.rows[0].kind.isVisibleTo(dialog)  # the usual times are weekly
    assert (dialog.valid_days.value(), dialog.offset.value(), dialog.offset.text()) == (7, 7, "UTC+07:00")
    assert dialog.zone_rows() == [("thon-1", "Thôn 1"), ("thon-3", "Thôn 3")]
    assert not dialog.note.isVisible() and dialog.save_button.isVisible()

    dialog.slots.remove_row(dialog.slots.rows[1])
    dialog.slots.rows[0].time_edit.setTime(QTime(6, 0))
    dialog.slots.rows[0].day_boxes[6].setChecked(True)
    dialog.valid_days.setValue(14)
    dialog.offset.lineEdit().selectAll()
    qtbot.keyClicks(dialog.offset.lineEdit(), "UTC-05:00")
    assert dialog.offset.value() == -5
    dialog.offset.setValue(7)
    row = dialog.add_zone()
    dialog.zones.item(row, 0).setText("thon-1")  # a second zone with the same id
    dialog.zones.item(row, 1).setText("Thôn 5")
    assert "Zone 3: the id “thon-1” is used twice." in dialog.problems.text()
    assert not dialog.save_button.isEnabled()
    dialog.zones.item(row, 0).setText("thon-5")
    assert not dialog.problems.isVisible() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    zones = (*ZONES, Zone("thon-5", "Thôn 5"))
    station = accounts.station()
    assert station.schedule_defaults == StationSchedule((Slot(time(6, 0), days=tuple(range(7))),), 14, zones, 420)
    assert accounts.repo.audit_entries()[-1].action == "station.schedule"
    today = date(2030, 11, 25)
    assert Studio.new_schedule(station, datetime(2030, 11, 25, 3, 0, tzinfo=UTC)) == Schedule(
        (Slot(time(6, 0), days=tuple(range(7))),), today, date(2030, 12, 8))

    accounts.login(OFFICER, PASSWORD)  # a new bulletin, written by the officer, starts with the new times
    window = open_window(qtbot, accounts)
    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        window.new_action.trigger()
    assert loaded.args[0].schedule.slots == (Slot(time(6, 0), days=tuple(range(7))),)
    assert window.editor.schedule_editor.summary.text().startswith("06:00, every day · ")
    dialog = open_schedule(qtbot, window.editor.schedule_editor)  # the zones to choose from
    assert [dialog.zones.item(i).text() for i in range(dialog.zones.count())] == ["Thôn 1", "Thôn 3", "Thôn 5"]
    dialog.reject()
    close(window)


def test_officer_sees_the_station_defaults_read_only(qtbot, accounts: Studio, runner: TaskRunner) -> None:
    accounts.login(OFFICER, PASSWORD)
    dialog = open_station_dialog(qtbot, accounts, runner)
    assert dialog.note.isVisible()
    assert dialog.note.text() == "Only an administrator can change the station's broadcast times and zones."
    assert not dialog.slots.rows[0].time_edit.isEnabled() and not dialog.slots.add_button.isVisible()
    assert not dialog.valid_days.isEnabled() and not dialog.offset.isEnabled()
    assert not dialog.add_zone_button.isVisible()
    assert dialog.zones.editTriggers() == dialog.zones.EditTrigger.NoEditTriggers
    assert not dialog.save_button.isVisible() and dialog.close_button.text() == "Close"

    dialog.valid_days.setValue(30)  # the database decides, not the dialog
    with qtbot.waitSignal(dialog.problem, timeout=10_000):
        dialog.save()
    assert dialog.isVisible() and dialog.message.text() == NOT_ALLOWED_ROLE.format(
        user="Nguyễn Thị Lan", role="officer", action="change station rules")
    assert accounts.station().schedule_defaults.valid_days == 7


def test_schedule_dialogs_fit_when_translated(qtbot, qapp: QApplication, accounts: Studio,
                                              runner: TaskRunner) -> None:
    """The fullest forms: three times, a problem and a long preview; the station dialog with a zone
    problem, and read-only with its note."""
    schedule = Schedule((Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5)), Slot(time(17, 0), days=(0, 1, 2, 3, 4, 5)),
                         Slot(time(19, 0), date=date(2030, 12, 27))), date(2030, 11, 25), date(2030, 12, 1),
                        (ZONES[0],), 3)

    def fits(dialog: QDialog) -> None:
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        assert dialog.layout().totalMinimumSize().height() <= dialog.height()  # nothing squeezed
        assert dialog.height() < 760 and dialog.width() < 1366  # the commune's 1366×768 screen

    with pseudo_vietnamese(qapp, point_size=16):
        dialog = ScheduleDialog(schedule, StationSchedule(zones=ZONES))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.problems.isVisible() and len(dialog.preview.text().splitlines()) == 6
        fits(dialog)

        accounts.login(ADMIN, PASSWORD)
        station = open_station_dialog(qtbot, accounts, runner)
        station.add_zone()
        assert station.problems.isVisible()
        fits(station)
        station.reject()

        accounts.login(OFFICER, PASSWORD)
        fits(open_station_dialog(qtbot, accounts, runner))


def test_read_only_schedule_is_shown_not_changed(qtbot, window: MainWindow) -> None:
    editor = window.editor.schedule_editor
    before = editor.schedule()
    editor.set_read_only(True)
    assert editor.edit_button.text() == "Show schedule…"
    dialog = open_schedule(qtbot, editor)
    assert not dialog.ok_button.isVisible() and dialog.close_button.text() == "Close"
    assert not dialog.slots.rows[0].time_edit.isEnabled() and not dialog.slots.add_button.isVisible()
    assert not dialog.from_check.isEnabled() and not dialog.zones.isEnabled()
    dialog.accept()  # even when asked, a read-only dialog changes nothing
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert editor.schedule() == before and window.saver.state == "clean"
