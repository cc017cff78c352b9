"""The station's broadcast defaults, for its administrator: usual times, validity, zones and time zone.

What a new bulletin starts with (:meth:`Studio.new_schedule`): the usual weekly broadcast times, how
many days it stays valid, the loudspeaker zones the controller knows (id as the controller spells it,
name as people say it) and the commune's UTC offset. Bulletins already written keep their own schedule.
Stored by :meth:`Repository.set_station_schedule` (administrators only, audited); like
:mod:`studio.ui.station_rules_dialog` (both are :class:`~studio.ui.station_dialog.StationSettingsDialog`),
reading and saving run in the ``db`` pool as ``studio.actor``, others see the defaults read-only, and a
refusal is shown in the dialog, which stays open.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.login import ERROR_STYLE
from studio.ui.schedule_editor import SlotListEditor, grow_to_fit, refit, show_problems
from studio.ui.station_dialog import StationSettingsDialog
from studio.workflow.schedule import (
    MAX_SLOTS,
    MAX_WEEKLY_DAYS,
    MAX_ZONES,
    NO_DAYS,
    TOO_MANY_SLOTS,
    StationSchedule,
    Zone,
)

MIN_OFFSET_HOURS, MAX_OFFSET_HOURS = -12, 14
ZONE_ID, ZONE_NAME = 0, 1
EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
_OFFSET = re.compile(r"\s*(?:UTC)?\s*([+\-−]?)\s*(\d{0,2})(?::(\d{0,2}))?\s*", re.IGNORECASE)


def save_schedule_defaults(studio: Studio, station_id: int, defaults: StationSchedule) -> StationInfo:
    """Worker: store the defaults as the person signed in (refused unless an administrator)."""
    return studio.repo.set_station_schedule(station_id, defaults, actor=studio.actor)


class UtcOffsetSpin(QSpinBox):
    """Whole hours from UTC, shown as ``UTC+07:00`` (Vietnam all year)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(MIN_OFFSET_HOURS, MAX_OFFSET_HOURS)
        self.setValue(7)

    def textFromValue(self, value: int) -> str:
        return f"UTC{'+' if value >= 0 else '−'}{abs(value):02d}:00"

    def valueFromText(self, text: str) -> int:
        match = _OFFSET.fullmatch(text)
        if match is None or not match.group(2):
            return self.value()
        hours = int(match.group(2))
        return -hours if match.group(1) in ("-", "−") else hours

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        match = _OFFSET.fullmatch(text)
        if match is None:
            return QValidator.State.Invalid, text, pos
        if not match.group(2):
            return QValidator.State.Intermediate, text, pos
        value = self.valueFromText(text)
        state = (QValidator.State.Acceptable if self.minimum() <= value <= self.maximum()
                 else QValidator.State.Intermediate)
        return state, text, pos


class StationScheduleDialog(StationSettingsDialog):
    """The station's usual broadcast times, validity days, loudspeaker zones and UTC offset.

    ``ready`` fires once the stored defaults are shown; ``saved`` with the stored :class:`StationInfo`
    just before the dialog closes; ``problem`` with each refusal (a :class:`StudioError`), shown here.
    """

    READ_TASK = "read station schedule"
    SAVE_TASK = "save station schedule"

    def _build(self) -> None:
        self.setWindowTitle(self.tr("Broadcast times and loudspeaker zones"))
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 80, metrics.height() * 24)
        intro = QLabel(self.tr("What a new bulletin starts with. Bulletins already written keep their own "
                               "schedule."), self)
        intro.setWordWrap(True)

        times = QGroupBox(self.tr("Usual broadcast times"), self)
        self.slots = SlotListEditor(allow_dates=False, parent=times)
        QVBoxLayout(times).addWidget(self.slots)

        self.valid_days = QSpinBox(self)
        self.valid_days.setRange(1, MAX_WEEKLY_DAYS)
        self.valid_days.setSuffix(self.tr(" days"))
        self.offset = UtcOffsetSpin(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("A new bulletin is valid for:"), self.valid_days)
        form.addRow(self.tr("Local time:"), self.offset)

        zones = QGroupBox(self.tr("Loudspeaker zones"), self)
        zones_note = QLabel(self.tr("Id: as the broadcast controller knows the zone. Name: as people call it, "
                                    "e.g. “Thôn 3”."), zones)
        zones_note.setWordWrap(True)
        self.zones = QTableWidget(0, 2, zones)
        self.zones.setHorizontalHeaderLabels([self.tr("Id"), self.tr("Name")])
        self.zones.horizontalHeader().setSectionResizeMode(ZONE_NAME, QHeaderView.ResizeMode.Stretch)
        self.zones.verticalHeader().setVisible(False)
        self.zones.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.zones.setMinimumHeight(metrics.height() * 5)
        self.add_zone_button = QPushButton(self.tr("Add zone"), zones)
        self.add_zone_button.clicked.connect(lambda: self.add_zone())
        self.remove_zone_button = QPushButton(self.tr("Remove zone"), zones)
        self.remove_zone_button.clicked.connect(self.remove_selected_zone)
        zone_buttons = QVBoxLayout()
        zone_buttons.addWidget(self.add_zone_button)
        zone_buttons.addWidget(self.remove_zone_button)
        zone_buttons.addStretch(1)
        table_row = QHBoxLayout()
        table_row.addWidget(self.zones, 1)
        table_row.addLayout(zone_buttons)
        zones_layout = QVBoxLayout(zones)
        zones_layout.addWidget(zones_note)
        zones_layout.addLayout(table_row, 1)

        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.hide()
        self._add_footer(self.tr("Only an administrator can change the station's broadcast times and zones."))

        left = QVBoxLayout()  # beside the zones: the dialog must fit a 1366×768 screen in a large font
        left.addLayout(form)
        left.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addLayout(left)
        bottom.addWidget(zones, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(times)
        layout.addLayout(bottom, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.slots.changed.connect(self._check)
        self.zones.itemChanged.connect(self._check)
        self.zones.itemSelectionChanged.connect(self._update_enabled)

    def _button_texts(self) -> tuple[str, str, str]:
        return self.tr("Save"), self.tr("Cancel"), self.tr("Close")

    def _refit(self) -> None:
        refit(self)

    # --- reading ---------------------------------------------------------------------------------
    def show_station(self, station: StationInfo) -> None:
        self.station = station
        defaults = station.schedule_defaults
        self.slots.set_slots(defaults.slots)
        self.valid_days.setValue(defaults.valid_days)
        self.offset.setValue(round(defaults.utc_offset_minutes / 60))
        self.zones.blockSignals(True)
        self.zones.setRowCount(0)
        for zone in defaults.zones:
            self.add_zone(zone, edit=False)
        self.zones.blockSignals(False)
        self._check()

    # --- zones -----------------------------------------------------------------------------------
    def add_zone(self, zone: Zone | None = None, *, edit: bool = True) -> int:
        """A row for ``zone`` (an empty one to type in when None); its row number."""
        row = self.zones.rowCount()
        self.zones.insertRow(row)
        self.zones.setItem(row, ZONE_ID, QTableWidgetItem(zone.id if zone else ""))
        self.zones.setItem(row, ZONE_NAME, QTableWidgetItem(zone.name if zone else ""))
        if edit:
            self.zones.setCurrentCell(row, ZONE_ID)
            self.zones.editItem(self.zones.item(row, ZONE_ID))
        self._check()
        return row

    def remove_selected_zone(self) -> None:
        rows = sorted({index.row() for index in self.zones.selectedIndexes()}, reverse=True)
        for row in rows:
            self.zones.removeRow(row)
        self._check()

    def zone_rows(self) -> list[tuple[str, str]]:
        """(id, name) of each row as typed, spaces trimmed."""
        def text(row: int, column: int) -> str:
            item = self.zones.item(row, column)
            return item.text().strip() if item is not None else ""
        return [(text(row, ZONE_ID), text(row, ZONE_NAME)) for row in range(self.zones.rowCount())]

    # --- checking and saving ---------------------------------------------------------------------
    def defaults(self) -> StationSchedule:
        """The defaults as the form says."""
        return StationSchedule(self.slots.slots(), self.valid_days.value(),
                               tuple(Zone(zone_id, name) for zone_id, name in self.zone_rows()),
                               self.offset.value() * 60)

    def problem_texts(self) -> list[str]:
        found: list[str] = []
        slots = self.slots.slots()
        if len(slots) > MAX_SLOTS:
            found.append(QCoreApplication.translate("Messages", TOO_MANY_SLOTS).format(limit=MAX_SLOTS))
        for slot in slots:
            if not slot.days:
                found.append(QCoreApplication.translate("Messages", NO_DAYS).format(time=slot.at.strftime("%H:%M")))
        rows = self.zone_rows()
        if len(rows) > MAX_ZONES:
            found.append(self.tr("At most {limit} loudspeaker zones.").format(limit=MAX_ZONES))
        seen: set[str] = set()
        for number, (zone_id, name) in enumerate(rows, start=1):
            if not zone_id:
                found.append(self.tr("Zone {number} has no id.").format(number=number))
            elif zone_id in seen:
                found.append(self.tr("Zone {number}: the id “{id}” is used twice.").format(number=number,
                                                                                          id=zone_id))
            seen.add(zone_id)
            if not name:
                found.append(self.tr("Zone {number} has no name.").format(number=number))
        return found

    def _check(self) -> None:
        show_problems(self.problems, self.problem_texts())
        self._update_enabled()
        grow_to_fit(self)

    def changed(self) -> bool:
        return self.station is None or self.defaults() != self.station.schedule_defaults

    def _has_problems(self) -> bool:
        return bool(self.problem_texts())

    def _shows_problems(self) -> bool:
        return bool(self.problems.text())

    def _save_work(self, station_id: int) -> Callable[[], StationInfo]:
        studio, defaults = self.studio, self.defaults()
        return lambda: save_schedule_defaults(studio, station_id, defaults)

    # --- state -----------------------------------------------------------------------------------
    def _set_editable(self, editable: bool) -> None:
        self.slots.set_read_only(not editable)
        for widget in (self.valid_days, self.offset):
            widget.setEnabled(editable)
        self.zones.setEditTriggers(EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.add_zone_button.setVisible(self.may_change or self.reading)
        self.remove_zone_button.setVisible(self.may_change or self.reading)
        self.add_zone_button.setEnabled(editable)
        self.remove_zone_button.setEnabled(editable and bool(self.zones.selectedIndexes()))
