"""What the station's settings dialogs share: reading in the background, read-only for most, saving as the actor.

:class:`StationSettingsDialog` reads the station and who is looking (:func:`read_rules`) in the task
runner's ``db`` pool; only someone allowed to manage the station may change anything, the others see the
settings read-only with a note. Saving runs in the ``db`` pool as ``studio.actor`` and the dialog closes
once the change is stored. The database decides, not the dialog: a refusal that still comes back is shown
in the dialog, which stays open with what was typed.

A subclass builds its form (:meth:`~StationSettingsDialog._build`) and says what it shows, what it stores
and which of its fields follow :attr:`~StationSettingsDialog.may_change`. Every text it shows stays in the
subclass, translated with its own ``self.tr()``: lupdate files a ``self.tr()`` written here under this
class's context, where the subclasses' translations are not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from studio.messages import StudioError
from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.i18n import qt_translate
from studio.ui.login import ERROR_STYLE, fit_to_contents, message_label
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.accounts import Actor
from studio.workflow.states import PERMISSIONS, Action


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


class StationSettingsDialog(QDialog):
    """Station settings read in the background, changed only by those who may manage the station.

    ``ready`` fires once the station's settings are shown; ``saved`` with the stored :class:`StationInfo`
    just before the dialog closes; ``problem`` with each refusal (a :class:`StudioError`), shown in the
    dialog, which stays open.

    A subclass provides :meth:`_build` (its form, with :meth:`_add_footer`), :meth:`_button_texts`,
    :meth:`show_station`, :meth:`changed`, :meth:`_save_work` and :meth:`_set_editable`, names its
    background tasks in :attr:`READ_TASK` and :attr:`SAVE_TASK`, and may refine :meth:`_has_problems`,
    :meth:`_shows_problems` and :meth:`_refit`.
    """

    ready = Signal()
    saved = Signal(object)  # StationInfo
    problem = Signal(object)  # StudioError

    READ_TASK = "read station settings"
    SAVE_TASK = "save station settings"

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.station: StationInfo | None = None
        self.may_change = False
        self.reading = True
        self.saving = False
        self._build()
        self._update_enabled()
        fit_to_contents(self)
        self.load()

    # --- what a subclass provides ----------------------------------------------------------------
    def _build(self) -> None:
        """The title, the form and the layout; :meth:`_add_footer` makes the note, message and buttons."""
        raise NotImplementedError

    def _button_texts(self) -> tuple[str, str, str]:
        """Save, Cancel and Close, translated in the subclass's own context."""
        raise NotImplementedError

    def show_station(self, station: StationInfo) -> None:
        """Fill the form from ``station`` (and remember it in :attr:`station`)."""
        raise NotImplementedError

    def changed(self) -> bool:
        """Whether the form says something other than the stored station (True before it is read)."""
        raise NotImplementedError

    def _save_work(self, station_id: int) -> Callable[[], StationInfo]:
        """A worker storing what the form says now (read here, in the GUI thread); it returns the station."""
        raise NotImplementedError

    def _set_editable(self, editable: bool) -> None:
        """Enable the form's own fields and buttons: ``editable`` when it may be changed and is not busy."""
        raise NotImplementedError

    def _has_problems(self) -> bool:
        """Whether the form as typed cannot be saved (checked on saving)."""
        return False

    def _shows_problems(self) -> bool:
        """Whether the form shows problems that keep the Save button disabled."""
        return False

    def _refit(self) -> None:
        """Fit the shown dialog to its texts again."""
        fit_to_contents(self)

    # --- building --------------------------------------------------------------------------------
    def _add_footer(self, note: str) -> None:
        """The read-only ``note`` (hidden), the refusal's line and Save / Cancel; the subclass lays them out."""
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.note.hide()
        self.message = message_label(self)
        self.message.setStyleSheet(ERROR_STYLE)

        save_text, cancel_text, _close_text = self._button_texts()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

    # --- reading ---------------------------------------------------------------------------------
    def load(self) -> Task:
        """Read the station's settings (and who is looking) in the background."""
        studio = self.studio
        self.reading = True
        self._update_enabled()
        task = self.runner.call(self.READ_TASK, lambda: read_rules(studio), pool="db")
        self._follow(task, self._on_read)
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
        self._refit()
        self.ready.emit()

    # --- saving ----------------------------------------------------------------------------------
    def save(self) -> Task | None:
        """Store the settings as the person signed in; the dialog closes once they are stored."""
        if self.busy or self.station is None or self._has_problems():
            return None
        if not self.changed():
            self.accept()
            return None
        work = self._save_work(self.station.id)
        self.saving = True
        self.message.hide()
        self._update_enabled()
        task = self.runner.call(self.SAVE_TASK, work, pool="db")
        self._follow(task, self._on_saved)
        return task

    def _follow(self, task: Task, on_success: Callable[..., None]) -> None:
        task.succeeded.connect(on_success)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)

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
        self._refit()
        self.problem.emit(exc)

    def _on_crashed(self, _exc_info: object) -> None:  # the crash dialog tells the rest
        self.reading = self.saving = False
        self._update_enabled()

    # --- state -----------------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        editable = self.may_change and not self.busy
        self._set_editable(editable)
        self.save_button.setEnabled(editable and not self._shows_problems())
        self.save_button.setVisible(self.may_change or self.reading)
        _save_text, cancel_text, close_text = self._button_texts()
        self.close_button.setText(cancel_text if self.may_change or self.reading else close_text)
        self.close_button.setEnabled(not self.saving)

    def reject(self) -> None:
        if self.saving:
            return  # closing now would leave the administrator unsure whether the change was stored
        super().reject()
