"""A bulletin's broadcast schedule in the editor: a one-line summary, and a dialog to change it.

The summary and the dialog speak the officer's language: weekday labels come from the model's
``Schedule`` context (T2…CN in Vietnamese), dates from :class:`QLocale`, problems from the model's
``Messages`` templates. :class:`SlotListEditor` (one row per broadcast time) is shared with the station's
defaults dialog. The widgets only edit values; the schedule is saved with the bulletin (an edit after
approval returns the bulletin to draft: the approval covers the schedule).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QSize, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.login import ERROR_STYLE, fit_to_contents
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.schedule import (
    CONTEXT,
    MAX_REPEAT,
    WEEKDAY_LABELS,
    Schedule,
    Slot,
    StationSchedule,
    Zone,
    days_text,
)

TEXT = "ScheduleEditor"
PREVIEW_COUNT = 5
VISIBLE_ROWS = 4
NEW_SLOT = Slot(time(7, 0), days=(0, 1, 2, 3, 4, 5))


# --- words ------------------------------------------------------------------------------------
def weekday_names() -> tuple[str, ...]:
    """Mon..Sun as the installed catalogue says them (T2..CN in Vietnamese)."""
    return tuple(QCoreApplication.translate(CONTEXT, label) for label in WEEKDAY_LABELS)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def date_format(locale: QLocale, *, year: bool = True) -> str:
    """The locale's short date format with a four-digit year, or without the year (``dd/MM``)."""
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if not year:
        return re.sub(r"[^dMy]*y+[^dMy]*", "", fmt) or "dd/MM"
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def date_text(day: date, locale: QLocale | None = None, *, year: bool = True) -> str:
    locale = locale or QLocale()
    return locale.toString(qdate(day), date_format(locale, year=year))


def _days_label(days: Sequence[int], names: tuple[str, ...]) -> str:
    if len(set(days)) == 7:
        return QCoreApplication.translate(TEXT, "every day")
    return days_text(days, names)


def _times_text(times: list[str]) -> str:
    if len(times) == 1:
        return times[0]
    return QCoreApplication.translate(TEXT, "{times} and {last}").format(times=", ".join(times[:-1]),
                                                                         last=times[-1])


def summary_text(schedule: Schedule | None, locale: QLocale | None = None) -> str:
    """``05:30 và 17:00, T2–T7 · 23/11–29/11 · tất cả cụm loa``: times, validity, repeats, zones."""
    if schedule is None:
        return QCoreApplication.translate(TEXT, "No fixed time (the controller's operator decides)")
    locale = locale or QLocale()
    names = weekday_names()
    groups: dict[date | tuple[int, ...], list[str]] = {}
    for slot in schedule.slots:
        groups.setdefault(slot.date or slot.days, []).append(slot.at.strftime("%H:%M"))
    words = []
    for when, times in groups.items():
        day = date_text(when, locale, year=False) if isinstance(when, date) else _days_label(when, names)
        words.append(QCoreApplication.translate(TEXT, "{times}, {days}").format(times=_times_text(times), days=day)
                     if day else _times_text(times))
    parts = ["; ".join(words) or QCoreApplication.translate(TEXT, "no fixed time")]
    first, last = schedule.valid_from, schedule.valid_until
    if first and last:
        year = first.year != last.year
        parts.append(f"{date_text(first, locale, year=year)}–{date_text(last, locale, year=year)}")
    elif first:
        parts.append(QCoreApplication.translate(TEXT, "from {date}").format(date=date_text(first, locale)))
    elif last:
        parts.append(QCoreApplication.translate(TEXT, "until {date}").format(date=date_text(last, locale)))
    if schedule.repeat > 1:
        parts.append(QCoreApplication.translate(TEXT, "{count} times each").format(count=schedule.repeat))
    zones = [zone.name for zone in schedule.zones]
    if not zones:
        parts.append(QCoreApplication.translate(TEXT, "all loudspeaker zones"))
    elif len(zones) <= 3:
        parts.append(", ".join(zones))
    else:
        parts.append(QCoreApplication.translate(TEXT, "{names} and {count} more").format(
            names=", ".join(zones[:2]), count=len(zones) - 2))
    return " · ".join(parts)


def problem_texts(schedule: Schedule, locale: QLocale | None = None) -> list[str]:
    """The schedule's problems in the officer's language (dates in the local format)."""
    texts = []
    for template, args in schedule.problems():
        if "date" in args:
            args = {**args, "date": date_text(date.fromisoformat(args["date"]), locale)}
        texts.append(QCoreApplication.translate("Messages", template).format(**args))
    return texts


def occurrence_text(moment: datetime, locale: QLocale | None = None) -> str:
    """``T2 23/11/2026 05:30``: one concrete broadcast, in the commune's time."""
    return f"{weekday_names()[moment.weekday()]} {date_text(moment.date(), locale)} {moment:%H:%M}"


def show_problems(label: QLabel, texts: list[str]) -> None:
    """``texts`` as a bulleted list in ``label`` (hidden when there are none)."""
    label.setText("\n".join(f"• {text}" for text in texts))
    label.setVisible(bool(texts))


def refit(dialog: QWidget) -> None:
    """:func:`fit_to_contents` after rows were added to a shown dialog: nested layouts learn of new rows
    through posted events, so those go first (else the fitting would use the sizes before the rows)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    fit_to_contents(dialog)


def grow_to_fit(dialog: QWidget) -> None:
    """After texts changed in a shown dialog: grow it when they no longer fit (never shrink, no jumping)."""
    layout = dialog.layout()
    if layout is not None and dialog.isVisible():
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        layout.activate()
        if max(layout.totalHeightForWidth(dialog.width()), layout.totalMinimumSize().height()) > dialog.height():
            fit_to_contents(dialog)


def _date_edit(parent: QWidget, day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day), parent)
    edit.setDisplayFormat(date_format(QLocale()))
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(2000, 1, 1))
    return edit


# --- the list of broadcast times ----------------------------------------------------------------
class SlotRow(QWidget):
    """One broadcast time: a time of day, and either weekday boxes (every week) or one date."""

    changed = Signal()
    remove_requested = Signal(object)  # SlotRow

    def __init__(self, slot: Slot, default_date: date, *, allow_dates: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time_edit = QTimeEdit(self)
        self.time_edit.setDisplayFormat("HH:mm")
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Every week"), "weekly")
        self.kind.addItem(self.tr("On one day"), "date")
        self.kind.setVisible(allow_dates)
        self.days_box = QWidget(self)
        days_layout = QHBoxLayout(self.days_box)
        days_layout.setContentsMargins(0, 0, 0, 0)
        self.day_boxes = [QCheckBox(name, self.days_box) for name in weekday_names()]
        for box in self.day_boxes:
            days_layout.addWidget(box)
            box.toggled.connect(self.changed)
        self.date_edit = _date_edit(self, slot.date or default_date)
        self.remove = QPushButton(self.tr("Remove"), self)
        self.remove.setToolTip(self.tr("Remove this broadcast time"))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.time_edit, self.kind, self.days_box, self.date_edit):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.remove)
        self.set_slot(slot)
        self.time_edit.timeChanged.connect(self.changed)
        self.date_edit.dateChanged.connect(self.changed)
        self.kind.currentIndexChanged.connect(self._on_kind)

    def set_slot(self, slot: Slot) -> None:
        self.time_edit.setTime(QTime(slot.at.hour, slot.at.minute))
        self.kind.setCurrentIndex(0 if slot.weekly else 1)
        for number, box in enumerate(self.day_boxes):
            box.setChecked(number in slot.days)
        if slot.date is not None:
            self.date_edit.setDate(qdate(slot.date))
        self._show_kind()

    def slot(self) -> Slot:
        at = time(self.time_edit.time().hour(), self.time_edit.time().minute())
        if self.kind.currentData() == "date":
            return Slot(at, date=pydate(self.date_edit.date()))
        return Slot(at, days=tuple(n for n, box in enumerate(self.day_boxes) if box.isChecked()))

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.time_edit, self.kind, self.days_box, self.date_edit):
            widget.setEnabled(not read_only)
        self.remove.setVisible(not read_only)

    def _on_kind(self) -> None:
        self._show_kind()
        self.changed.emit()

    def _show_kind(self) -> None:
        weekly = self.kind.currentData() == "weekly"
        self.days_box.setVisible(weekly)
        self.date_edit.setVisible(not weekly)


class _RowsScroll(QScrollArea):
    """As wide as its rows, as tall as a few of them: the rest scrolls."""

    def _hint(self, inner: QSize) -> QSize:
        extra = 2 * self.frameWidth()
        rows = self.widget().findChildren(SlotRow) if self.widget() is not None else []
        height = inner.height()
        if len(rows) > VISIBLE_ROWS:
            height = (rows[0].sizeHint().height() + 6) * VISIBLE_ROWS
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width() + extra, height + extra)

    def sizeHint(self) -> QSize:
        return self._hint(self.widget().sizeHint()) if self.widget() is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._hint(self.widget().minimumSizeHint()) if self.widget() is not None else super().minimumSizeHint()


class SlotListEditor(QWidget):
    """The broadcast times of a schedule (or of the station's defaults: ``allow_dates=False``)."""

    changed = Signal()

    def __init__(self, *, allow_dates: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_dates = allow_dates
        self.read_only = False
        self.default_date: Callable[[], date] = date.today
        self.rows: list[SlotRow] = []
        self._box = QWidget(self)
        self._rows_layout = QVBoxLayout(self._box)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self.tr("No broadcast time."), self._box)
        self._rows_layout.addWidget(self.empty)
        self._rows_layout.addStretch(1)
        self.scroll = _RowsScroll(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self._box)
        self.add_button = QPushButton(self.tr("Add a time"), self)
        self.add_button.setToolTip(self.tr("Add another broadcast time"))
        self.add_button.clicked.connect(lambda: self.add_slot())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def slots(self) -> tuple[Slot, ...]:
        return tuple(dict.fromkeys(row.slot() for row in self.rows))

    def set_slots(self, slots: Sequence[Slot]) -> None:
        """Show ``slots`` (no ``changed``)."""
        for row in self.rows:
            self._rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows.clear()
        for slot in slots:
            self._insert(slot)
        self._update()

    def add_slot(self, slot: Slot | None = None) -> SlotRow:
        row = self._insert(slot or NEW_SLOT)
        self._update()
        row.time_edit.setFocus()
        self.scroll.ensureWidgetVisible(row)
        self.changed.emit()
        return row

    def remove_row(self, row: SlotRow) -> None:
        self.rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.deleteLater()
        self._update()
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for row in self.rows:
            row.set_read_only(read_only)
        self.add_button.setVisible(not read_only)

    def _insert(self, slot: Slot) -> SlotRow:
        row = SlotRow(slot, self.default_date(), allow_dates=self.allow_dates, parent=self._box)
        row.set_read_only(self.read_only)
        self._rows_layout.insertWidget(len(self.rows) + 1, row)
        row.show()  # now, not at the next event: a dialog fitted to its contents must count the row
        self.rows.append(row)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        return row

    def _update(self) -> None:
        self.empty.setVisible(not self.rows)
        self.scroll.updateGeometry()


# --- the dialog ---------------------------------------------------------------------------------
class ScheduleDialog(QDialog):
    """One bulletin's schedule: times, validity, repeats and loudspeaker zones, with its problems and the
    next broadcasts shown as they are typed. OK stays disabled while there are problems."""

    def __init__(self, schedule: Schedule | None, station: StationSchedule, *, read_only: bool = False,
                 now: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.read_only = read_only
        self.now = now or (lambda: datetime.now(UTC))
        today = station.local_today(self.now())
        schedule = schedule or Schedule().for_dates(today, station.valid_days)
        self.setWindowTitle(self.tr("Broadcast schedule"))
        metrics = self.fontMetrics()  # an explicit minimum: fit_to_contents() sizes it to the texts
        self.setMinimumSize(metrics.averageCharWidth() * 80, metrics.height() * 20)
        intro = QLabel(self.tr("When and where the loudspeakers play this bulletin. The approval covers the "
                               "schedule: after a change the bulletin must be approved again."), self)
        intro.setWordWrap(True)

        times = QGroupBox(self.tr("Broadcast times"), self)
        self.slots = SlotListEditor(allow_dates=True, parent=times)
        self.slots.default_date = lambda: pydate(self.from_edit.date()) if self.from_check.isChecked() else today
        QVBoxLayout(times).addWidget(self.slots)

        self.from_check = QCheckBox(self.tr("Valid from"), self)
        self.from_edit = _date_edit(self, schedule.valid_from or today)
        self.until_check = QCheckBox(self.tr("valid until"), self)
        self.until_edit = _date_edit(self, schedule.valid_until or schedule.valid_from or today)
        self.from_check.setChecked(schedule.valid_from is not None)
        self.until_check.setChecked(schedule.valid_until is not None)
        self.repeat = QSpinBox(self)
        self.repeat.setRange(1, MAX_REPEAT)
        self.repeat.setValue(schedule.repeat)
        validity = QHBoxLayout()
        for widget in (self.from_check, self.from_edit, self.until_check, self.until_edit):
            validity.addWidget(widget)
        validity.addStretch(1)
        repeat = QHBoxLayout()
        repeat.addWidget(QLabel(self.tr("Times played in a row at each time:"), self))
        repeat.addWidget(self.repeat)
        repeat.addStretch(1)

        zones = QGroupBox(self.tr("Loudspeaker zones"), self)
        self.zones = QListWidget(zones)
        chosen = {zone.id for zone in schedule.zones}
        known = {zone.id: zone for zone in schedule.zones} | {zone.id: zone for zone in station.zones}
        for zone in known.values():
            item = QListWidgetItem(zone.name, self.zones)
            item.setData(Qt.ItemDataRole.UserRole, zone.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if zone.id in chosen else Qt.CheckState.Unchecked)
        self.zones.setFixedHeight(self.zones.sizeHintForRow(0) * max(1, min(6, len(known)))
                                  + 2 * self.zones.frameWidth() + 4)
        self.zones.setVisible(bool(known))
        zones_note = QLabel(self.tr("None ticked: every loudspeaker of the commune plays it.") if known else
                            self.tr("The station has no loudspeaker zones set up: every loudspeaker plays it."),
                            zones)
        zones_note.setWordWrap(True)
        zones_layout = QVBoxLayout(zones)
        zones_layout.addWidget(self.zones)
        zones_layout.addWidget(zones_note)

        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        preview = QGroupBox(self.tr("Next broadcasts"), self)
        self.preview = QLabel(preview)
        self.preview.setWordWrap(True)
        QVBoxLayout(preview).addWidget(self.preview)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Close") if read_only else self.tr("Cancel"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setVisible(not read_only)
        self.ok_button.clicked.connect(self.accept)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(times, 1)
        layout.addLayout(validity)
        layout.addLayout(repeat)
        bottom = QHBoxLayout()  # side by side: the dialog must fit a 1366×768 screen in a large font
        bottom.addWidget(zones, 1)
        bottom.addWidget(preview, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.slots.set_slots(schedule.slots)
        self.slots.set_read_only(read_only)
        for widget in (self.from_check, self.from_edit, self.until_check, self.until_edit, self.repeat):
            widget.setEnabled(not read_only)
        self.zones.setEnabled(not read_only)
        self.slots.changed.connect(self.refresh)
        for check in (self.from_check, self.until_check):
            check.toggled.connect(self.refresh)
        for edit in (self.from_edit, self.until_edit):
            edit.dateChanged.connect(self.refresh)
        self.repeat.valueChanged.connect(self.refresh)
        self.zones.itemChanged.connect(self.refresh)
        self.refresh()
        fit_to_contents(self)

    def schedule(self) -> Schedule:
        """The schedule as the form says."""
        zones = tuple(Zone(str(item.data(Qt.ItemDataRole.UserRole)), item.text())
                      for item in (self.zones.item(row) for row in range(self.zones.count()))
                      if item.checkState() == Qt.CheckState.Checked)
        return Schedule(self.slots.slots(),
                        pydate(self.from_edit.date()) if self.from_check.isChecked() else None,
                        pydate(self.until_edit.date()) if self.until_check.isChecked() else None,
                        zones, self.repeat.value())

    def refresh(self) -> None:
        """Show the problems and the next broadcasts of what the form says now."""
        self.from_edit.setEnabled(self.from_check.isChecked() and not self.read_only)
        self.until_edit.setEnabled(self.until_check.isChecked() and not self.read_only)
        schedule = self.schedule()
        problems = problem_texts(schedule)
        show_problems(self.problems, problems)
        self.ok_button.setEnabled(not problems and not self.read_only)
        now = self.now()
        ahead = [moment for moment in schedule.occurrences(self.station.utc_offset_minutes) if moment >= now]
        lines = [occurrence_text(moment) for moment in ahead[:PREVIEW_COUNT]]
        if len(ahead) > PREVIEW_COUNT:
            lines.append(self.tr("… and {count} more").format(count=len(ahead) - PREVIEW_COUNT))
        self.preview.setText("\n".join(lines) or self.tr("No broadcast time ahead: the controller's operator "
                                                          "decides when it plays."))
        grow_to_fit(self)

    def accept(self) -> None:
        if self.read_only or problem_texts(self.schedule()):
            return
        super().accept()


# --- the row in the bulletin editor ---------------------------------------------------------------
class ScheduleEditor(QWidget):
    """The schedule of the bulletin in the editor: its summary, "Edit schedule…", and, for a bulletin
    without one, "Use the station's usual times". ``changed`` fires when the officer changes it (never
    on :meth:`set_schedule`); ``problem`` carries a :class:`StudioError` from reading the station."""

    changed = Signal()
    problem = Signal(object)  # StudioError
    dialog_opened = Signal(object)  # ScheduleDialog

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.dialog: ScheduleDialog | None = None
        self.read_only = False
        self._schedule: Schedule | None = None
        self._generation = 0
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(ERROR_STYLE)
        self.usual_button = QPushButton(self.tr("Use the station's usual times"), self)
        self.usual_button.setToolTip(self.tr("Play it at the station's usual broadcast times, from today"))
        self.usual_button.clicked.connect(self.use_station_times)
        self.edit_button = QPushButton(self.tr("Edit schedule…"), self)
        self.edit_button.setToolTip(self.tr("Broadcast times, the days it is valid and the loudspeaker zones"))
        self.edit_button.clicked.connect(self.edit)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.addWidget(self.summary)
        texts.addWidget(self.warning)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(texts, 1)
        layout.addWidget(self.usual_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self._show()

    def schedule(self) -> Schedule | None:
        return self._schedule

    def set_schedule(self, schedule: Schedule | None) -> None:
        """Show ``schedule`` (another bulletin's, or the stored one): no ``changed``; an open dialog closes."""
        self._generation += 1
        if self.dialog is not None:
            self.dialog.reject()
        self._schedule = schedule
        self._show()

    def set_read_only(self, read_only: bool) -> None:
        """A bulletin that cannot be edited: its schedule is shown, not changed."""
        self.read_only = read_only
        self._show()

    def use_station_times(self) -> Task:
        """The station's usual slots and zones, valid from the commune's today (read in the background)."""
        return self._with_station(lambda station: self._apply(self.studio.new_schedule(station)))

    def edit(self) -> Task:
        """Read the station's zones and offset, then open :class:`ScheduleDialog` (window-modal)."""
        return self._with_station(self._open_dialog)

    def _with_station(self, then: Callable[[StationInfo], None]) -> Task:
        generation = self._generation
        self.edit_button.setEnabled(False)
        self.usual_button.setEnabled(False)
        task = self.runner.call("read station", self.studio.station, pool="db")
        task.succeeded.connect(lambda station: generation == self._generation and then(station))
        task.failed.connect(self.problem)
        task.done.connect(self._show)
        return task

    def _open_dialog(self, station: StationInfo) -> None:
        dialog = ScheduleDialog(self._schedule, station.schedule_defaults, read_only=self.read_only,
                                parent=self)
        generation = self._generation
        dialog.accepted.connect(lambda: generation == self._generation and self._apply(dialog.schedule()))
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _forget(self, dialog: ScheduleDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _apply(self, schedule: Schedule) -> None:
        if self.read_only or schedule == self._schedule:
            return
        self._schedule = schedule
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        self.summary.setText(summary_text(self._schedule))
        problems = problem_texts(self._schedule) if self._schedule is not None else []
        self.warning.setText("\n".join(problems))
        self.warning.setVisible(bool(problems))
        self.usual_button.setVisible(self._schedule is None and not self.read_only)
        self.usual_button.setEnabled(True)
        self.edit_button.setText(self.tr("Show schedule…") if self.read_only else self.tr("Edit schedule…"))
        self.edit_button.setEnabled(True)
