"""The audit log viewer: who did what and when, whether the log is still intact, and copies for the records.

The log itself (hash chain, verification, CSV and printable exports) is :mod:`studio.workflow.audit`;
this dialog only reads it. Reading a range, filtering it, checking the chain and exporting all run in the
task runner (the database work in the ``db`` pool, the filter in the ``text`` pool), so a log of a
hundred thousand entries on a slow PC never freezes the window. The table holds at most
:data:`PAGE_ROWS` more rows per "Load more", newest first; what is not shown stays in the worker's
snapshot, plain immutable values (:class:`AuditRow`), never ORM objects.

Times are Vietnam local time and the date range is Vietnam calendar days (:func:`day_bounds`), whatever
zone the PC is set to, so the table, the CSV and the printed page always agree.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.fileio import write_bytes_atomically
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.services import Studio
from studio.ui.banner import MessageBanner
from studio.ui.i18n import qt_translate
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.audit import (
    BROKEN_LINK,
    EDITED,
    VIETNAM,
    AuditRecord,
    ChainReport,
    audit_csv,
    audit_html,
    day_bounds,
    local_time,
)

log = logging.getLogger(__name__)

CONTEXT = "AuditDialog"
PAGE_ROWS = 2000  # rows added to the table at a time ("Load more")
DEFAULT_DAYS = 30
RELOAD_DELAY_MS = 350  # a date being stepped with the arrows reads the log once, when it settles
FILTER_DELAY_MS = 250
DETAILS_SHOWN_CHARS = 160
CSV, HTML = "csv", "html"

NUMBER, TIME, PERSON, ACTION, SUBJECT, DETAILS = range(6)
HEADERS = (
    QT_TRANSLATE_NOOP(CONTEXT, "No."),
    QT_TRANSLATE_NOOP(CONTEXT, "Time"),
    QT_TRANSLATE_NOOP(CONTEXT, "Person"),
    QT_TRANSLATE_NOOP(CONTEXT, "Action"),
    QT_TRANSLATE_NOOP(CONTEXT, "Subject"),
    QT_TRANSLATE_NOOP(CONTEXT, "Details"),
)

#: Every action code the studio writes (``grep -rn '_audit(' studio``), in words. Unknown codes show as stored.
ACTION_NAMES = {
    "station.create": QT_TRANSLATE_NOOP(CONTEXT, "Station created"),
    "station.jingle": QT_TRANSLATE_NOOP(CONTEXT, "Station jingle changed"),
    "station.bed_kinds": QT_TRANSLATE_NOOP(CONTEXT, "Music bed segments changed"),
    "station.rules": QT_TRANSLATE_NOOP(CONTEXT, "Station rules changed"),
    "target.create": QT_TRANSLATE_NOOP(CONTEXT, "Delivery target added"),
    "bulletin.create": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin created"),
    "bulletin.save": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin saved"),
    "bulletin.delete": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin deleted"),
    "bulletin.submit": QT_TRANSLATE_NOOP(CONTEXT, "Sent for approval"),
    "bulletin.approve": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin approved"),
    "bulletin.request_changes": QT_TRANSLATE_NOOP(CONTEXT, "Changes requested"),
    "bulletin.withdraw": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin withdrawn"),
    "bulletin.reopen": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin reopened"),
    "bulletin.rendered": QT_TRANSLATE_NOOP(CONTEXT, "Approved audio file made"),
    "bulletin.delivered": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin delivered"),
    "render.create": QT_TRANSLATE_NOOP(CONTEXT, "Audio file made"),
    "delivery.done": QT_TRANSLATE_NOOP(CONTEXT, "Delivery succeeded"),
    "delivery.failed": QT_TRANSLATE_NOOP(CONTEXT, "Delivery failed"),
    "comment.add": QT_TRANSLATE_NOOP(CONTEXT, "Comment added"),
    "user.create": QT_TRANSLATE_NOOP(CONTEXT, "Account created"),
    "user.change": QT_TRANSLATE_NOOP(CONTEXT, "Account changed"),
    "user.password": QT_TRANSLATE_NOOP(CONTEXT, "Password changed"),
    "login.ok": QT_TRANSLATE_NOOP(CONTEXT, "Logged in"),
    "login.failed": QT_TRANSLATE_NOOP(CONTEXT, "Login failed"),
    "login.locked": QT_TRANSLATE_NOOP(CONTEXT, "Login refused: account locked"),
}
SINGLE_PERSON_APPROVAL = QT_TRANSLATE_NOOP(CONTEXT, "Approved by its own writer (single-person mode)")
SUBJECTS = {
    "bulletin": QT_TRANSLATE_NOOP(CONTEXT, "Bulletin {value}"),
    "user": QT_TRANSLATE_NOOP(CONTEXT, "Account {value}"),
    "station": QT_TRANSLATE_NOOP(CONTEXT, "Station {value}"),
    "render": QT_TRANSLATE_NOOP(CONTEXT, "Audio file {value}"),
    "target": QT_TRANSLATE_NOOP(CONTEXT, "Delivery target {value}"),
}
TITLED_BULLETIN = QT_TRANSLATE_NOOP(CONTEXT, "Bulletin “{title}”")
SYSTEM_PERSON = QT_TRANSLATE_NOOP(CONTEXT, "The studio (automatic)")

INTACT = QT_TRANSLATE_NOOP(CONTEXT, "Intact: {count} entries checked. No entry was changed, deleted or reordered. "
                           "Last hash: {hash}")
BROKEN = {
    EDITED: QT_TRANSLATE_NOOP(CONTEXT, "NOT intact: entry {id} was edited after it was written."),
    BROKEN_LINK: QT_TRANSLATE_NOOP(CONTEXT, "NOT intact: an entry before entry {id} was deleted, or entries "
                                   "were reordered."),
}
BROKEN_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Someone changed the database outside the studio. Tell the commune's "
                                "leaders, and keep the printed copies of the log.")

BROKEN_BACKGROUND = QColor("#fde8e8")
BROKEN_TEXT = QColor("#6b1111")
MARKED_TEXT = QColor("#8a4b00")  # approvals made under single-person mode
_HEX_HASH = re.compile(r"\b[0-9a-f]{40,64}\b")


def _translate(text: str) -> str:
    """A text declared with ``QT_TRANSLATE_NOOP(CONTEXT, …)``, in the interface language."""
    return QCoreApplication.translate(CONTEXT, text)


def fold(text: str) -> str:
    """``text`` for matching what an officer types: case and Vietnamese accents ignored (``Đ`` as ``d``)."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return plain.encode("ascii", "ignore").decode("ascii").casefold()


# --- snapshots (built in the worker, read on the GUI thread) ---------------------------------------
@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as the table shows it; ``key`` is the folded text the filter searches."""

    id: int
    time: str  # dd/mm/yyyy hh:mm:ss, Vietnam time
    person: str
    actor: str
    action: str
    subject: str
    details: str
    single_person: bool
    key: str


@dataclass(frozen=True)
class AuditListing:
    """The entries of Vietnam days ``first``..``last``, newest first; ``titles`` names bulletins by uid."""

    first: date
    last: date
    rows: tuple[AuditRow, ...]
    titles: Mapping[str, str]


@dataclass(frozen=True)
class ExportOutcome:
    path: Path
    count: int
    report: ChainReport | None  # the chain check printed on the HTML page (None for CSV)


def details_words(details: Mapping[str, Any]) -> str:
    """``key: value, …`` in key order; text as it is, other values as JSON (``true``, ``12``, ``null``)."""
    return ", ".join(f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
                     for key, value in sorted(details.items()))


def person_text(actor: str, names: Mapping[str, str]) -> str:
    name = names.get(actor, "")
    if name and name != actor:
        return f"{name} ({actor})"
    if actor == "system" and not name:
        return _translate(SYSTEM_PERSON)
    return actor


def subject_text(subject: str, titles: Mapping[str, str]) -> str:
    kind, sep, value = subject.partition(":")
    if not sep or kind not in SUBJECTS:
        return subject
    if kind == "bulletin":
        title = titles.get(value)
        if title:
            return _translate(TITLED_BULLETIN).format(title=title)
        value = value[:8]  # a deleted bulletin: the start of its uid (the tooltip has all of it)
    return _translate(SUBJECTS[kind]).format(value=value)


def action_text(action: str, single_person: bool = False) -> str:
    if single_person and action == "bulletin.approve":
        return _translate(SINGLE_PERSON_APPROVAL)
    name = ACTION_NAMES.get(action)
    return _translate(name) if name else action


def audit_row(record: AuditRecord, names: Mapping[str, str], titles: Mapping[str, str]) -> AuditRow:
    person = person_text(record.actor, names)
    details = record.details if isinstance(record.details, dict) else {"value": record.details}
    subject_value = record.subject.partition(":")[2]
    key = fold(" ".join((person, record.actor, record.action, record.subject, titles.get(subject_value, ""))))
    return AuditRow(record.id, local_time(record.at).strftime("%d/%m/%Y %H:%M:%S"), person, record.actor,
                    record.action, record.subject, details_words(details),
                    record.action == "bulletin.approve" and details.get("single_person") is True, key)


def read_listing(studio: Studio, first: date, last: date) -> AuditListing:
    """Worker: the range's entries as rows, with people's names and bulletins' titles."""
    since, until = day_bounds(first, last)
    records = studio.repo.audit_entries(since, until)
    names = {user.username: user.display_name for user in studio.reviews.users() if user.display_name}
    titles = {summary.uid: summary.title for summary in studio.repo.list_bulletins()}
    rows = tuple(audit_row(record, names, titles) for record in reversed(records))
    return AuditListing(first, last, rows, titles)


def matching_rows(rows: Sequence[AuditRow], needle: str, actions: Collection[str],
                  single_person: bool) -> tuple[AuditRow, ...]:
    """Worker: the rows whose person, action (code or words, ``actions``) or subject contain ``needle``."""
    return tuple(row for row in rows if needle in row.key or row.action in actions
                 or (single_person and row.single_person))


def export_audit(studio: Studio, kind: str, first: date, last: date, path: Path) -> ExportOutcome:
    """Worker: the range as CSV or as the printable page (with the whole log's check), written atomically."""
    since, until = day_bounds(first, last)
    entries = studio.repo.audit_entries(since, until)
    report: ChainReport | None = None
    if kind == CSV:
        data = audit_csv(entries)
    else:
        report = studio.repo.verify_audit()
        station = studio.repo.first_station()
        name = " – ".join(part for part in (station.name, station.commune, station.province) if part) \
            if station else ""
        data = audit_html(entries, station=name, first=first, last=last, report=report,
                          generated_at=datetime.now(UTC)).encode("utf-8")
    write_bytes_atomically(path, data)
    return ExportOutcome(path, len(entries), report)


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


# --- the table ------------------------------------------------------------------------------------
class AuditTableModel(QAbstractTableModel):
    """The rows of a listing, newest first, shown :data:`PAGE_ROWS` more at a time.

    The whole (filtered) listing is held as immutable rows; only :meth:`shown` of them are rows of
    the model, so the view never lays out more than the officer asked to see.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[AuditRow] = ()
        self._shown = 0
        self._titles: Mapping[str, str] = {}
        self.broken_id: int | None = None

    def set_rows(self, rows: Sequence[AuditRow], titles: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._rows, self._titles = rows, titles
        self._shown = min(PAGE_ROWS, len(rows))
        self.endResetModel()

    def total(self) -> int:
        """Rows in the listing (after the filter), shown or not."""
        return len(self._rows)

    def shown(self) -> int:
        return self._shown

    def can_load_more(self) -> bool:
        return self._shown < len(self._rows)

    def load_more(self, through: int | None = None) -> None:
        """Show the next page, or every row up to index ``through``."""
        wanted = self._shown + PAGE_ROWS if through is None else through + 1
        end = min(len(self._rows), wanted)
        if end <= self._shown:
            return
        self.beginInsertRows(QModelIndex(), self._shown, end - 1)
        self._shown = end
        self.endInsertRows()

    def row(self, number: int) -> AuditRow:
        return self._rows[number]

    def index_of(self, entry_id: int) -> int:
        """Where entry ``entry_id`` is in the listing (shown or not), -1 when it is not in it."""
        return next((i for i, row in enumerate(self._rows) if row.id == entry_id), -1)

    def set_broken(self, entry_id: int | None) -> None:
        self.broken_id = entry_id
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, len(HEADERS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(
                HEADERS):
            return _translate(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return {ACTION: row.action, SUBJECT: row.subject, DETAILS: row.details, PERSON: row.actor}.get(column)
        if role == Qt.ItemDataRole.BackgroundRole and row.id == self.broken_id:
            return QBrush(BROKEN_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.id == self.broken_id:
                return QBrush(BROKEN_TEXT)
            if row.single_person and column == ACTION:
                return QBrush(MARKED_TEXT)
        if role == Qt.ItemDataRole.FontRole and row.id == self.broken_id:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _display(self, row: AuditRow, column: int) -> str:
        if column == NUMBER:
            return str(row.id)
        if column == TIME:
            return row.time
        if column == PERSON:
            return row.person
        if column == ACTION:
            return action_text(row.action, row.single_person)
        if column == SUBJECT:
            return subject_text(row.subject, self._titles)
        text = _HEX_HASH.sub(lambda found: found[0][:12] + "…", row.details)
        return text if len(text) <= DETAILS_SHOWN_CHARS else text[:DETAILS_SHOWN_CHARS] + "…"


# --- the dialog -----------------------------------------------------------------------------------
class AuditDialog(QDialog):
    """The audit viewer: a range of days, a filter, the chain check and the exports.

    ``loaded`` fires each time the table shows a new listing or filter; ``checked`` with the
    :class:`ChainReport`; ``exported`` with the :class:`ExportOutcome`; ``problem`` with a
    :class:`StudioError` already shown in the dialog's banner.
    """

    loaded = Signal()
    checked = Signal(object)  # ChainReport
    exported = Signal(object)  # ExportOutcome
    problem = Signal(object)  # StudioError

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.listing: AuditListing | None = None
        self.report: ChainReport | None = None
        self.checking = False
        self.exporting = False
        self._load_generation = 0
        self._pending_loads = 0  # the db pool answers in order: the last answer is the newest read
        self._filter_generation = 0

        self.setWindowTitle(self.tr("Audit log"))
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 95, metrics.height() * 26)
        width, height = metrics.averageCharWidth() * 140, metrics.height() * 38
        screen = self.screen()
        if screen is not None:  # the commune's 1366×768 screens, perhaps with a large font
            available = screen.availableGeometry()
            width, height = min(width, available.width() - 40), min(height, available.height() - 80)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        intro = QLabel(self.tr("Everything done in the studio is written here in order. Each entry is sealed "
                               "to the one before it, so a change made outside the studio shows when the "
                               "log is checked."), self)
        intro.setWordWrap(True)

        today = today_in_vietnam()
        self.from_edit = self._date_edit(today - timedelta(days=DEFAULT_DAYS - 1))
        self.to_edit = self._date_edit(today)
        from_label = QLabel(self.tr("From:"), self)
        from_label.setBuddy(self.from_edit)
        to_label = QLabel(self.tr("To:"), self)
        to_label.setBuddy(self.to_edit)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("Person or action"))
        self.filter_edit.setMinimumWidth(200)
        filter_label = QLabel(self.tr("Find:"), self)
        filter_label.setBuddy(self.filter_edit)

        self.banner = MessageBanner(self)
        self.model = AuditTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never measure thousands of rows
        char = metrics.averageCharWidth()
        header.resizeSection(NUMBER, metrics.horizontalAdvance("000000") + 16)
        header.resizeSection(TIME, metrics.horizontalAdvance("00/00/0000 00:00:00") + 16)
        for column, chars in ((PERSON, 22), (ACTION, 28), (SUBJECT, 24)):
            header.resizeSection(column, char * chars)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.more_button = QPushButton(self.tr("Load more"), self)
        self.more_button.setToolTip(self.tr("Show older entries of the period"))
        self.more_button.clicked.connect(self.load_more)
        self.check_button = QPushButton(self.tr("Check the chain"), self)
        self.check_button.setToolTip(self.tr("Check that no entry of the whole log was changed, deleted or "
                                             "reordered since it was written"))
        self.check_button.clicked.connect(self.check_chain)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.csv_button.setToolTip(self.tr("Save the entries of the period as a table for Excel"))
        self.csv_button.clicked.connect(lambda: self.export(CSV))
        self.html_button = QPushButton(self.tr("Export for printing (HTML)…"), self)
        self.html_button.setToolTip(self.tr("Save the entries of the period as a page to print, sign and "
                                            "file, with the result of the check"))
        self.html_button.clicked.connect(lambda: self.export(HTML))
        close_button = QPushButton(self.tr("Close"), self)
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)

        range_row = QHBoxLayout()
        range_row.addWidget(from_label)
        range_row.addWidget(self.from_edit)
        range_row.addSpacing(12)
        range_row.addWidget(to_label)
        range_row.addWidget(self.to_edit)
        range_row.addStretch(1)
        range_row.addWidget(filter_label)
        range_row.addWidget(self.filter_edit, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.html_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(range_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(status_row)
        layout.addLayout(buttons)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.from_edit.dateChanged.connect(self._on_from_changed)
        self.to_edit.dateChanged.connect(self._on_to_changed)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self._update_buttons()
        self.table.setFocus()
        self.reload()

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day), self)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(QDate(2000, 1, 1))
        return edit

    # --- the range and the listing ---------------------------------------------------------------
    def date_range(self) -> tuple[date, date]:
        """The Vietnam calendar days shown, first and last (both included)."""
        return _date(self.from_edit.date()), _date(self.to_edit.date())

    def set_range(self, first: date, last: date) -> None:
        """Show ``first``..``last`` (read at once, not after the typing pause)."""
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.reload()

    def _on_from_changed(self, day: QDate) -> None:
        if day > self.to_edit.date():
            self.to_edit.blockSignals(True)
            self.to_edit.setDate(day)
            self.to_edit.blockSignals(False)
        self._reload_timer.start()

    def _on_to_changed(self, day: QDate) -> None:
        if day < self.from_edit.date():
            self.from_edit.blockSignals(True)
            self.from_edit.setDate(day)
            self.from_edit.blockSignals(False)
        self._reload_timer.start()

    def reload(self) -> Task:
        """Read the range's entries in the background; a newer read makes an older one's answer void."""
        self._reload_timer.stop()
        studio, (first, last) = self.studio, self.date_range()
        self._load_generation += 1
        self._pending_loads += 1
        generation = self._load_generation
        self.status.setText(self.tr("Reading the audit log…"))
        self._update_buttons()
        task = self.runner.call("read audit log", lambda: (generation, read_listing(studio, first, last)),
                                pool="db")
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_load_failed)
        task.crashed.connect(self._on_load_crashed)
        return task

    @property
    def loading(self) -> bool:
        """A read of the log is under way."""
        return self._pending_loads > 0

    def _on_listed(self, outcome: tuple[int, AuditListing]) -> None:
        generation, listing = outcome
        self._pending_loads -= 1
        if generation != self._load_generation:
            return
        self.listing = listing
        self.apply_filter()

    def filter_text(self) -> str:
        return fold(self.filter_edit.text().strip())

    def apply_filter(self) -> None:
        """Show the rows that match the filter box (all rows when it is empty); matching runs in a worker."""
        self._filter_timer.stop()
        listing = self.listing
        if listing is None:
            return
        self._filter_generation += 1
        generation, needle = self._filter_generation, self.filter_text()
        if not needle:
            self._show_rows(listing.rows)
            return
        actions = frozenset(code for code in ACTION_NAMES if needle in fold(action_text(code)))
        single = needle in fold(action_text("bulletin.approve", True))
        rows = listing.rows
        task = self.runner.call("filter audit log",
                                lambda: (generation, matching_rows(rows, needle, actions, single)), pool="text")
        task.succeeded.connect(self._on_filtered)

    def _on_filtered(self, outcome: tuple[int, tuple[AuditRow, ...]]) -> None:
        generation, rows = outcome
        if generation == self._filter_generation and not self.loading:
            self._show_rows(rows)

    def _show_rows(self, rows: Sequence[AuditRow]) -> None:
        assert self.listing is not None
        self.model.set_rows(rows, self.listing.titles)
        self._update_status()
        self._update_buttons()
        self.loaded.emit()

    def load_more(self) -> None:
        """Add the next :data:`PAGE_ROWS` older entries to the table."""
        self.model.load_more()
        self._update_status()
        self._update_buttons()

    def _update_status(self) -> None:
        listing = self.listing
        if listing is None:
            return
        locale = QLocale()
        shown, total = self.model.shown(), self.model.total()
        first, last = f"{listing.first:%d/%m/%Y}", f"{listing.last:%d/%m/%Y}"
        if total == 0:
            text = (self.tr("No entry matches “{text}” from {first} to {last}.") if self.filter_edit.text().strip()
                    else self.tr("No entries from {first} to {last}."))
        elif shown < total:
            text = self.tr("Showing the newest {shown} of {total} entries from {first} to {last}.")
        else:
            text = self.tr("{total} entries from {first} to {last}, newest first.")
        self.status.setText(text.format(shown=locale.toString(shown), total=locale.toString(total), first=first,
                                        last=last, text=self.filter_edit.text().strip()))

    # --- checking the chain ----------------------------------------------------------------------
    def check_chain(self) -> Task | None:
        """Verify the whole log in the background; the answer is shown in the banner."""
        if self.checking:
            return None
        self.checking = True
        self.banner.show_message("info", self.tr("Checking the whole audit log…"))
        self._update_buttons()
        task = self.runner.call("verify audit log", self.studio.repo.verify_audit, pool="db")
        task.succeeded.connect(self._on_checked)
        task.failed.connect(self._on_check_failed)
        task.crashed.connect(self._on_check_crashed)
        return task

    def _on_checked(self, report: ChainReport) -> None:
        self.checking = False
        self.report = report
        self.model.set_broken(report.broken_id)
        if report.ok:
            self.banner.show_message("info", _translate(INTACT).format(
                count=QLocale().toString(report.count), hash=(report.last_hash[:16] + "…") if report.last_hash
                else "—"))
        else:
            text = _translate(BROKEN.get(report.problem or EDITED, BROKEN[EDITED])).format(id=report.broken_id)
            if not self.reveal(report.broken_id):
                text += " " + self.tr("It is not among the entries listed: choose other days, or clear the "
                                      "search box, to see it.")
            self.banner.show_message("error", text + "\n" + _translate(BROKEN_HINT))
        self._update_buttons()
        self.checked.emit(report)

    def reveal(self, entry_id: int | None) -> bool:
        """Select and scroll to entry ``entry_id`` if the listing has it (loading rows up to it)."""
        where = self.model.index_of(entry_id) if entry_id is not None else -1
        if where < 0:
            return False
        self.model.load_more(through=where)
        index = self.model.index(where, NUMBER)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._update_status()
        self._update_buttons()
        return True

    # --- exports ---------------------------------------------------------------------------------
    def export(self, kind: str) -> Task | None:
        """Ask where, then write the range (not only the filtered rows: a record keeps everything)."""
        if self.exporting:
            return None
        first, last = self.date_range()
        path = self.choose_path(kind, first, last)
        return self.export_to(kind, path) if path is not None else None

    def choose_path(self, kind: str, first: date, last: date) -> Path | None:
        """Ask for the file to write (a separate method so tests can answer for the officer)."""
        suffix = f".{kind}"
        base = self.tr("audit-log")  # the file name offered: plain letters, no accents
        name = f"{base}_{first:%Y-%m-%d}_{last:%Y-%m-%d}{suffix}"
        if kind == CSV:
            title, pattern = self.tr("Export the audit log as CSV"), self.tr("CSV tables (*.csv)")
        else:
            title, pattern = self.tr("Export the audit log for printing"), self.tr("Web pages (*.html *.htm)")
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_name(path.name + suffix)

    def export_to(self, kind: str, path: Path) -> Task:
        studio, (first, last) = self.studio, self.date_range()
        self.exporting = True
        self.banner.show_message("info", self.tr("Writing {file}…").format(file=path.name))
        self._update_buttons()
        task = self.runner.call("export audit log", lambda: export_audit(studio, kind, first, last, path),
                                pool="db")
        task.succeeded.connect(self._on_exported)
        task.failed.connect(self._on_export_failed)
        task.crashed.connect(self._on_export_crashed)
        return task

    def _on_exported(self, outcome: ExportOutcome) -> None:
        self.exporting = False
        text = self.tr("Wrote {count} entries to {path}.").format(count=QLocale().toString(outcome.count),
                                                                  path=outcome.path)
        if outcome.report is not None and not outcome.report.ok:
            text += "\n" + self.tr("The log is not intact; the printed page says so.")
            self.banner.show_message("warning", text)
        else:
            self.banner.show_message("info", text)
        self._update_buttons()
        self.exported.emit(outcome)

    # --- state -----------------------------------------------------------------------------------
    def _on_load_failed(self, exc: StudioError) -> None:
        self._on_load_crashed(None)
        self._show_problem(exc)

    def _on_load_crashed(self, _exc_info: object) -> None:  # the crash dialog tells the rest
        self._pending_loads -= 1
        if not self.loading:
            self.status.clear()
            self._update_status()
        self._update_buttons()

    def _on_check_failed(self, exc: StudioError) -> None:
        self._on_check_crashed(None)
        self._show_problem(exc)

    def _on_check_crashed(self, _exc_info: object) -> None:
        self.checking = False
        self.banner.clear()
        self._update_buttons()

    def _on_export_failed(self, exc: StudioError) -> None:
        self._on_export_crashed(None)
        self._show_problem(exc)

    def _on_export_crashed(self, _exc_info: object) -> None:
        self.exporting = False
        self.banner.clear()
        self._update_buttons()

    def _show_problem(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(qt_translate))
        self.problem.emit(exc)

    def _update_buttons(self) -> None:
        self.more_button.setEnabled(self.model.can_load_more() and not self.loading)
        self.more_button.setVisible(self.model.can_load_more())
        self.check_button.setEnabled(not self.checking)
        for button in (self.csv_button, self.html_button):
            button.setEnabled(not self.exporting)
