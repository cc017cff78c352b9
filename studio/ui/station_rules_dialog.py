"""The station's broadcast rules, for its administrator: session length and count, and single-person mode.

The rules themselves are checked where they are stored (:meth:`ReviewStore.set_station_rules`: only an
administrator, values in range, every change audited); this dialog only asks. Reading and saving run in
the task runner's ``db`` pool as ``studio.actor`` (:class:`~studio.ui.station_dialog.StationSettingsDialog`).
Someone who may not change the rules sees them read-only with a note; a refusal that still comes back (the
database decides, not the dialog) is shown in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.station_dialog import RulesView as RulesView  # re-exported: they were defined here
from studio.ui.station_dialog import StationSettingsDialog
from studio.ui.station_dialog import read_rules as read_rules
from studio.workflow.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, SessionRules

log = logging.getLogger(__name__)

MAX_SESSIONS_PER_DAY = 24
WARNING_STYLE = "color: #7a4a00;"


def save_rules(studio: Studio, station_id: int, rules: SessionRules, single_person_mode: bool,
               bilingual_order: str | None = None) -> StationInfo:
    """Worker: store the rules as the person signed in (refused unless an administrator); the stored station."""
    studio.reviews.set_station_rules(station_id, actor=studio.actor, rules=rules,
                                     single_person_mode=single_person_mode)
    if bilingual_order is not None and bilingual_order != studio.repo.station(station_id).bilingual_order:
        studio.repo.set_bilingual_order(station_id, bilingual_order, actor=studio.actor)
    return studio.repo.station(station_id)


class StationRulesDialog(StationSettingsDialog):
    """Session cap in minutes, sessions a day, whether the cap refuses delivery, and single-person mode.

    ``ready`` fires once the station's rules are shown; ``saved`` with the stored :class:`StationInfo`
    just before the dialog closes; ``problem`` with each refusal (a :class:`StudioError`), shown in the
    dialog, which stays open.
    """

    READ_TASK = "read station rules"
    SAVE_TASK = "save station rules"

    def _build(self) -> None:
        self.setWindowTitle(self.tr("Station rules"))
        metrics = self.fontMetrics()  # an explicit minimum: fit_to_contents() sizes it to the texts
        self.setMinimumSize(metrics.averageCharWidth() * 72, metrics.height() * 16)
        intro = QLabel(self.tr("How long one broadcast session may last and how many sessions the station "
                               "has each day. A programme longer than a session gets a warning before it "
                               "is delivered."), self)
        intro.setWordWrap(True)

        sessions = QGroupBox(self.tr("Broadcast sessions"), self)
        form = QFormLayout(sessions)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.minutes_spin = QDoubleSpinBox(sessions)
        self.minutes_spin.setRange(MIN_SESSION_MINUTES, MAX_SESSION_MINUTES)
        self.minutes_spin.setDecimals(1)
        self.minutes_spin.setSingleStep(1.0)
        self.minutes_spin.setSuffix(self.tr(" minutes"))
        self.minutes_spin.setValue(15.0)
        self.per_day_spin = QSpinBox(sessions)
        self.per_day_spin.setRange(1, MAX_SESSIONS_PER_DAY)
        self.per_day_spin.setValue(2)
        form.addRow(self.tr("Longest session:"), self.minutes_spin)
        form.addRow(self.tr("Sessions a day:"), self.per_day_spin)
        self.block_check = QCheckBox(self.tr("Refuse to deliver programmes longer than a session"), sessions)
        block_note = QLabel(self.tr("Emergency programmes always go out, whatever their length. Without this, a "
                                    "longer programme only gets a warning."), sessions)
        block_note.setWordWrap(True)
        form.addRow(self.block_check)
        form.addRow(block_note)

        approval = QGroupBox(self.tr("Approval"), self)
        approval_layout = QVBoxLayout(approval)
        self.single_check = QCheckBox(self.tr("Single-person mode: the same person may write and approve"),
                                      approval)
        self.single_warning = QLabel(self.tr("Only for a station run by one person. The check by a second "
                                             "person is then skipped, and every approval made this way is "
                                             "marked in the audit log."), approval)
        self.single_warning.setWordWrap(True)
        self.single_check.toggled.connect(self._on_single_toggled)
        self._on_single_toggled(False)
        approval_layout.addWidget(self.single_check)
        approval_layout.addWidget(self.single_warning)

        bilingual = QGroupBox(self.tr("Bilingual bulletins"), self)
        bilingual_layout = QVBoxLayout(bilingual)
        self.order_combo = QComboBox(bilingual)
        self.order_combo.addItem(self.tr("Each item, then the same item in the other languages"), "interleaved")
        self.order_combo.addItem(self.tr("All items in Vietnamese, then all items in each other language"),
                                 "blocks")
        self.order_combo.setToolTip(self.tr("How a bulletin with translations (segments marked “Translation "
                                            "of”) is laid out in the programme."))
        bilingual_layout.addWidget(self.order_combo)

        self._add_footer(self.tr("Only an administrator can change the station rules."))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(sessions)
        layout.addWidget(approval)
        layout.addWidget(bilingual)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fields = (self.minutes_spin, self.per_day_spin, self.block_check, self.single_check, self.order_combo)

    def _button_texts(self) -> tuple[str, str, str]:
        return self.tr("Save"), self.tr("Cancel"), self.tr("Close")

    # --- reading ---------------------------------------------------------------------------------
    def show_station(self, station: StationInfo) -> None:
        self.station = station
        self.minutes_spin.setValue(station.session_minutes)
        self.per_day_spin.setValue(station.sessions_per_day)
        self.block_check.setChecked(station.caps_block)
        self.single_check.setChecked(station.single_person_mode)
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(station.bilingual_order)))

    def rules(self) -> SessionRules:
        """The session rules as the form says."""
        return SessionRules(self.minutes_spin.value(), self.per_day_spin.value(), self.block_check.isChecked())

    def changed(self) -> bool:
        station = self.station
        return station is None or (self.rules() != station.session_rules
                                   or self.single_check.isChecked() != station.single_person_mode
                                   or self.order_combo.currentData() != station.bilingual_order)

    # --- saving ----------------------------------------------------------------------------------
    def _save_work(self, station_id: int) -> Callable[[], StationInfo]:
        studio, rules, single = self.studio, self.rules(), self.single_check.isChecked()
        order = self.order_combo.currentData()
        return lambda: save_rules(studio, station_id, rules, single, order)

    # --- state -----------------------------------------------------------------------------------
    def _on_single_toggled(self, on: bool) -> None:
        self.single_warning.setStyleSheet(WARNING_STYLE + (" font-weight: bold;" if on else ""))

    def _set_editable(self, editable: bool) -> None:
        for field in self._fields:
            field.setEnabled(editable)
