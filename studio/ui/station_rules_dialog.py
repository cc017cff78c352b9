"""The station's broadcast rules, for its administrator: session length and count, and single-person mode.

The rules themselves are checked where they are stored (:meth:`ReviewStore.set_station_rules`: only an
administrator, values in range, every change audited); this dialog only asks. Reading and saving run in
the task runner's ``db`` pool as ``studio.actor``. Someone who may not change the rules sees them
read-only with a note; a refusal that still comes back (the database decides, not the dialog) is shown
in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.messages import StudioError
from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.i18n import qt_translate
from studio.ui.login import ERROR_STYLE, fit_to_contents, message_label
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.accounts import Actor
from studio.workflow.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, SessionRules
from studio.workflow.states import PERMISSIONS, Action

log = logging.getLogger(__name__)

MAX_SESSIONS_PER_DAY = 24
WARNING_STYLE = "color: #7a4a00;"


@dataclass(frozen=True)
class RulesView:
    """A worker's snapshot: the station and who is looking (None: nobody is signed in)."""

    station: StationInfo
    actor: Actor | None


def read_rules(studio: Studio) -> RulesView:
    """Worker: the station's rules, and the person they are shown to."""
    station = studio.station()
    try:
        actor: Actor | None = studio.actor
    except StudioError:  # accounts exist and nobody is signed in: the rules are shown read-only
        actor = None
    return RulesView(station, actor)


def save_rules(studio: Studio, station_id: int, rules: SessionRules, single_person_mode: bool) -> StationInfo:
    """Worker: store the rules as the person signed in (refused unless an administrator); the stored station."""
    studio.reviews.set_station_rules(station_id, actor=studio.actor, rules=rules,
                                     single_person_mode=single_person_mode)
    return studio.repo.station(station_id)


class StationRulesDialog(QDialog):
    """Session cap in minutes, sessions a day, whether the cap refuses delivery, and single-person mode.

    ``ready`` fires once the station's rules are shown; ``saved`` with the stored :class:`StationInfo`
    just before the dialog closes; ``problem`` with each refusal (a :class:`StudioError`), shown in the
    dialog, which stays open.
    """

    ready = Signal()
    saved = Signal(object)  # StationInfo
    problem = Signal(object)  # StudioError

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.station: StationInfo | None = None
        self.may_change = False
        self.reading = True
        self.saving = False

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

        self.note = QLabel(self.tr("Only an administrator can change the station rules."), self)
        self.note.setWordWrap(True)
        self.note.hide()
        self.message = message_label(self)
        self.message.setStyleSheet(ERROR_STYLE)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(sessions)
        layout.addWidget(approval)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fields = (self.minutes_spin, self.per_day_spin, self.block_check, self.single_check)
        self._update_enabled()
        fit_to_contents(self)
        self.load()

    # --- reading ---------------------------------------------------------------------------------
    def load(self) -> Task:
        """Read the station's rules (and who is looking) in the background."""
        studio = self.studio
        self.reading = True
        self._update_enabled()
        task = self.runner.call("read station rules", lambda: read_rules(studio), pool="db")
        task.succeeded.connect(self._on_read)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    @property
    def busy(self) -> bool:
        """Reading or saving: the form waits."""
        return self.reading or self.saving

    def _on_read(self, view: RulesView) -> None:
        self.show_station(view.station)
        self.may_change = view.actor is not None and Action.MANAGE_STATION in PERMISSIONS[view.actor.role]
        self.note.setVisible(not self.may_change)
        self.reading = False
        self._update_enabled()
        fit_to_contents(self)
        self.ready.emit()

    def show_station(self, station: StationInfo) -> None:
        self.station = station
        self.minutes_spin.setValue(station.session_minutes)
        self.per_day_spin.setValue(station.sessions_per_day)
        self.block_check.setChecked(station.caps_block)
        self.single_check.setChecked(station.single_person_mode)

    def rules(self) -> SessionRules:
        """The session rules as the form says."""
        return SessionRules(self.minutes_spin.value(), self.per_day_spin.value(), self.block_check.isChecked())

    def changed(self) -> bool:
        station = self.station
        return station is None or (self.rules() != station.session_rules
                                   or self.single_check.isChecked() != station.single_person_mode)

    # --- saving ----------------------------------------------------------------------------------
    def save(self) -> Task | None:
        """Store the rules as the person signed in; the dialog closes once they are stored."""
        if self.busy or self.station is None:
            return None
        if not self.changed():
            self.accept()
            return None
        studio, station_id = self.studio, self.station.id
        rules, single = self.rules(), self.single_check.isChecked()
        self.saving = True
        self.message.hide()
        self._update_enabled()
        task = self.runner.call("save station rules", lambda: save_rules(studio, station_id, rules, single),
                                pool="db")
        task.succeeded.connect(self._on_saved)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_saved(self, station: StationInfo) -> None:
        self.saving = False
        self.station = station
        self.saved.emit(station)
        self.accept()

    def _on_failed(self, exc: StudioError) -> None:
        self.reading = self.saving = False
        self.message.setText(exc.translated(qt_translate))
        self.message.show()
        self._update_enabled()
        fit_to_contents(self)
        self.problem.emit(exc)

    def _on_crashed(self, _exc_info: object) -> None:  # the crash dialog tells the rest
        self.reading = self.saving = False
        self._update_enabled()

    # --- state -----------------------------------------------------------------------------------
    def _on_single_toggled(self, on: bool) -> None:
        self.single_warning.setStyleSheet(WARNING_STYLE + (" font-weight: bold;" if on else ""))

    def _update_enabled(self) -> None:
        editable = self.may_change and not self.busy
        for field in self._fields:
            field.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.save_button.setVisible(self.may_change or self.reading)
        self.close_button.setText(self.tr("Cancel") if self.may_change or self.reading else self.tr("Close"))
        self.close_button.setEnabled(not self.saving)

    def reject(self) -> None:
        if self.saving:
            return  # closing now would leave the administrator unsure whether the rules were stored
        super().reject()
