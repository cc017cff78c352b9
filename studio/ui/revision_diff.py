"""Compare revisions: two saved revisions of a bulletin side by side, older on the left, newer on the right.

Every save keeps a revision (see :class:`~studio.store.models.Revision`); this window shows what changed
between any two of them: removed words struck through in red on the left, added words underlined in green
on the right (the marks, not only the colours, carry the meaning), changed settings in a small table, and
unchanged segments folded into one line unless the officer asks to see them.

The window knows nothing of the database: it is given ``load_revisions(bulletin_id)`` and
``load_snapshot(bulletin_id, number)`` and calls them in the task runner's ``work`` pool, where the
comparison (:func:`~studio.workflow.diff.diff_revisions`, quick even for very long texts) runs too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLength,
    QTextTable,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import PRIORITY_LABELS, SEGMENT_KIND_LABELS
from studio.messages import StudioError
from studio.ui.i18n import qt_translate
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.diff import (
    LoadRevisions,
    LoadSnapshot,
    RevisionDiff,
    RevisionInfo,
    SegmentDiff,
    SettingChange,
    TextOp,
    diff_revisions,
)

log = logging.getLogger(__name__)

SETTING, BEFORE, AFTER = range(3)
#: Unchanged stretches longer than this (characters) are shown as their ends next to the changes; a
#: 200 kB segment with one word changed stays readable, and quick to show.
LONG_UNCHANGED, CONTEXT_CHARACTERS = 3000, 400
MAX_SETTING_ROWS = 5  # the settings table scrolls past this many rows; the texts keep the room
#: Removed text: dark red on pale red, struck through. Added text: dark green on pale green, underlined.
#: Both pairs keep a contrast above 7:1, and the marks tell them apart without colour.
DELETED_COLOURS = (QColor("#82071e"), QColor("#ffd7d5"))
INSERTED_COLOURS = (QColor("#0b4f1c"), QColor("#c9f2d0"))


def revision_date(info: RevisionInfo) -> str:
    """When the revision was saved, in local time, the Vietnamese way: ``dd/MM/yyyy HH:mm``."""
    return info.created_at.astimezone().strftime("%d/%m/%Y %H:%M")


class RevisionDiffDialog(QDialog):
    """Two revisions of one bulletin side by side; either can be chosen from the bulletin's revisions.

    ``listed`` carries the revisions once read; ``compared`` the :class:`RevisionDiff` each time a
    comparison is shown; ``failed`` a :class:`StudioError` from either loading function (shown in the
    window too). ``preset_name(preset_id)`` names voices in the officer's language (the id when absent).
    """

    listed = Signal(list)  # list[RevisionInfo]
    compared = Signal(object)  # RevisionDiff
    failed = Signal(object)  # StudioError

    def __init__(self, bulletin_id: int, load_revisions: LoadRevisions, load_snapshot: LoadSnapshot,
                 runner: TaskRunner, parent: QWidget | None = None, *,
                 preset_name: Callable[[str], str] | None = None,
                 older: int | None = None, newer: int | None = None) -> None:
        super().__init__(parent)
        self.bulletin_id = bulletin_id
        self.load_revisions = load_revisions
        self.load_snapshot = load_snapshot
        self.runner = runner
        self.preset_name = preset_name or (lambda preset_id: preset_id)
        self.revisions: list[RevisionInfo] = []
        self.diff: RevisionDiff | None = None
        self.shown: tuple[int, int] | None = None  # the (older, newer) numbers on screen
        self.busy = False
        self._wanted = (older, newer)
        self._snapshots: dict[int, Mapping[str, Any]] = {}  # revisions never change: read each once
        self._request = 0

        self.setWindowTitle(self.tr("Compare revisions"))
        self.setMinimumSize(720, 520)
        self.resize(1000, 720)
        legend = QLabel(self.tr("Removed words are struck through in red on the left; added words are "
                                "underlined in green on the right."), self)
        legend.setWordWrap(True)

        self.old_combo = QComboBox(self)
        self.new_combo = QComboBox(self)
        for combo in (self.old_combo, self.new_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
            combo.currentIndexChanged.connect(lambda _index: self.compare())
        self.old_combo.setToolTip(self.tr("The revision shown on the left"))
        self.new_combo.setToolTip(self.tr("The revision shown on the right"))
        old_label = QLabel(self.tr("Before:"), self)
        old_label.setBuddy(self.old_combo)
        new_label = QLabel(self.tr("After:"), self)
        new_label.setBuddy(self.new_combo)
        self.unchanged_check = QCheckBox(self.tr("Show unchanged segments"), self)
        self.unchanged_check.toggled.connect(lambda _checked: self._show())

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        summary_font = QFont(self.summary.font())
        summary_font.setBold(True)
        self.summary.setFont(summary_font)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #6b1111;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.settings_table = QTableWidget(0, 3, self)
        self.settings_table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Before"), self.tr("After")])
        self.settings_table.verticalHeader().hide()
        self.settings_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.settings_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.settings_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.settings_table.setAccessibleName(self.tr("Settings that changed"))
        self.settings_table.hide()

        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName(self.tr("The two revisions side by side"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)

        choose = QHBoxLayout()
        choose.addWidget(old_label)
        choose.addWidget(self.old_combo, 1)
        choose.addSpacing(12)
        choose.addWidget(new_label)
        choose.addWidget(self.new_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(legend)
        layout.addLayout(choose)
        layout.addWidget(self.unchanged_check)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.settings_table)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.refresh()

    # --- loading -------------------------------------------------------------------------------
    def refresh(self) -> Task:
        """Read the bulletin's revisions in the background, then compare the chosen (or latest) two."""
        load, bulletin_id = self.load_revisions, self.bulletin_id
        self._set_busy(True, self.tr("Reading the revisions…"))
        task = self.runner.call("list revisions", lambda: load(bulletin_id))
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_listed(self, revisions: list[RevisionInfo]) -> None:
        self.revisions = sorted(revisions, key=lambda r: r.number)
        older, newer = self._wanted
        numbers = [r.number for r in self.revisions]
        if newer not in numbers:
            newer = numbers[-1] if numbers else None
        if older not in numbers:
            before = [n for n in numbers if newer is None or n < newer]
            older = before[-1] if before else newer
        for combo, chosen in ((self.old_combo, older), (self.new_combo, newer)):
            combo.blockSignals(True)
            combo.clear()
            for info in reversed(self.revisions):  # newest first: the usual comparison is with the latest
                combo.addItem(self.revision_label(info), info.number)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self._set_busy(False)
        self.listed.emit(self.revisions)
        if not self.revisions:
            self.summary.setText(self.tr("This bulletin has no saved revision yet."))
            return
        self.compare()

    def revision_label(self, info: RevisionInfo) -> str:
        if info.author:
            return self.tr("Revision {number} · {date} · {author}").format(
                number=info.number, date=revision_date(info), author=info.author)
        return self.tr("Revision {number} · {date}").format(number=info.number, date=revision_date(info))

    def select(self, older: int, newer: int) -> Task | None:
        """Show revision ``older`` on the left and ``newer`` on the right (as if chosen in the lists)."""
        self._wanted = (older, newer)
        for combo, number in ((self.old_combo, older), (self.new_combo, newer)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(number)))
            combo.blockSignals(False)
        return self.compare()

    def compare(self) -> Task | None:
        """Load the two chosen snapshots (each read once) and compare them in the background."""
        older, newer = self.old_combo.currentData(), self.new_combo.currentData()
        if older is None or newer is None:
            return None
        self._wanted = (older, newer)
        self._request += 1
        request, bulletin_id = self._request, self.bulletin_id
        load, known = self.load_snapshot, dict(self._snapshots)

        def work() -> tuple[int, dict[int, Mapping[str, Any]], RevisionDiff]:
            snapshots = {n: known[n] if n in known else load(bulletin_id, n) for n in {older, newer}}
            return request, snapshots, diff_revisions(snapshots[older], snapshots[newer])

        self._set_busy(True, self.tr("Comparing revision {old} with revision {new}…").format(old=older, new=newer))
        task = self.runner.call("compare revisions", work)
        task.succeeded.connect(lambda outcome: self._on_compared(older, newer, *outcome))
        task.failed.connect(self._on_failed)
        task.crashed.connect(self._on_crashed)
        return task

    def _on_compared(self, older: int, newer: int, request: int, snapshots: dict[int, Mapping[str, Any]],
                     diff: RevisionDiff) -> None:
        self._snapshots.update(snapshots)
        if request != self._request:  # the officer chose other revisions meanwhile
            return
        self._set_busy(False)
        self.diff, self.shown = diff, (older, newer)
        self._show()
        self.compared.emit(diff)

    def _on_failed(self, exc: StudioError) -> None:
        self._set_busy(False)
        self.message.setText(exc.translated(qt_translate))
        self.message.show()
        self.failed.emit(exc)

    def _on_crashed(self, _exc_info: object) -> None:  # the crash dialog tells the rest
        self._set_busy(False)

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self.busy = busy
        if busy:
            self.summary.setText(status)
            self.message.hide()

    # --- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        if self.diff is None or self.shown is None:
            return
        diff = self.diff
        self.summary.setText(self.summary_text(diff))
        self._fill_settings(diff)
        scroll = self.view.verticalScrollBar().value()
        self.view.setDocument(self._document(diff))
        self.view.verticalScrollBar().setValue(scroll)

    def summary_text(self, diff: RevisionDiff) -> str:
        if self.shown is not None and self.shown[0] == self.shown[1]:
            return self.tr("The same revision is chosen on both sides.")
        if not diff.changed:
            return self.tr("The two revisions are the same.")
        parts = [template.format(count=count) for template, count in (
            (self.tr("{count} added"), diff.count("inserted")), (self.tr("{count} removed"), diff.count("deleted")),
            (self.tr("{count} changed"), diff.count("changed")), (self.tr("{count} moved"), diff.moved)) if count]
        text = self.tr("Segments: {changes}.").format(changes=", ".join(parts)) if parts else ""
        if diff.settings:
            text = (self.tr("Bulletin settings changed: {count}.").format(count=len(diff.settings)) + " " + text)
        return text.strip()

    def setting_name(self, field: str) -> str:
        """The officer's name for a setting (the key itself for one this version does not know)."""
        names = {"title": self.tr("Title"), "priority": self.tr("Priority"), "preset_id": self.tr("Language and voice"),
                 "kind": self.tr("Kind of item"), "source": self.tr("Read by"), "gap": self.tr("Pause before"),
                 "crossfade": self.tr("Crossfade"), "bed": self.tr("Music bed")}
        return names.get(field, field)

    def setting_value(self, field: str, value: object) -> str:
        """A setting's value as the editor shows it, defaults named."""
        if field == "gap" and value is None:
            return self.tr("Station's default")
        if field == "bed" and value is None:
            return self.tr("Station's rule")
        if field == "crossfade" and not value:
            return self.tr("Off")
        if isinstance(value, bool):
            return self.tr("On") if value else self.tr("Off")
        if field in ("gap", "crossfade") and isinstance(value, int | float):
            return self.tr("{seconds} s").format(seconds=QLocale().toString(float(value), "g", 6))
        if field == "kind" and value in SEGMENT_KIND_LABELS:
            return QCoreApplication.translate("Bulletin", SEGMENT_KIND_LABELS[str(value)])
        if field == "priority" and value in PRIORITY_LABELS:
            return QCoreApplication.translate("Bulletin", PRIORITY_LABELS[str(value)])
        if field == "preset_id" and isinstance(value, str):
            return self.preset_name(value)
        if field == "source":
            sources = {"tts": self.tr("Synthesised voice"), "recorded": self.tr("Recorded by an announcer"),
                       "phrase": self.tr("Phrase bank")}
            return sources.get(str(value), str(value))
        return "" if value is None else str(value)

    def _fill_settings(self, diff: RevisionDiff) -> None:
        rows: list[tuple[str, SettingChange]] = [(self.setting_name(c.field), c) for c in diff.settings]
        for segment in diff.segments:
            number = self._number(segment)
            rows += [(self.tr("Segment {number}: {setting}").format(number=number, setting=self.setting_name(c.field)),
                      c) for c in segment.settings]
        table = self.settings_table
        table.setRowCount(len(rows))
        for row, (name, change) in enumerate(rows):
            table.setItem(row, SETTING, QTableWidgetItem(name))
            table.setItem(row, BEFORE, QTableWidgetItem(self.setting_value(change.field, change.old)))
            table.setItem(row, AFTER, QTableWidgetItem(self.setting_value(change.field, change.new)))
        table.setVisible(bool(rows))
        shown = min(len(rows), MAX_SETTING_ROWS)
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + sum(table.rowHeight(row) for row in range(shown)))

    @staticmethod
    def _number(segment: SegmentDiff) -> int:
        """The segment's number as the officer counts it: in the newer revision, or where it was."""
        index = segment.new_index if segment.new_index is not None else segment.old_index
        return (index or 0) + 1

    def caption(self, segment: SegmentDiff) -> str:
        number = self._number(segment)
        if segment.status == "inserted":
            return self.tr("Segment {number}: added").format(number=number)
        if segment.status == "deleted":
            return self.tr("Segment {number}: removed").format(number=number)
        if segment.moved:
            moved_from = (segment.old_index or 0) + 1
            template = (self.tr("Segment {number}: moved from place {old} and changed")
                        if segment.status == "changed" else self.tr("Segment {number}: moved from place {old}"))
            return template.format(number=number, old=moved_from)
        if segment.status == "changed":
            return self.tr("Segment {number}: changed").format(number=number)
        return self.tr("Segment {number}: unchanged").format(number=number)

    # --- the side-by-side document -------------------------------------------------------------
    def _formats(self) -> dict[str, QTextCharFormat]:
        palette = self.view.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        dim = QColor(*(round(0.6 * a + 0.4 * b) for a, b in ((text.red(), base.red()), (text.green(), base.green()),
                                                              (text.blue(), base.blue()))))
        formats = {name: QTextCharFormat() for name in ("plain", "deleted", "inserted", "dim", "note", "caption")}
        formats["deleted"].setFontStrikeOut(True)
        formats["deleted"].setForeground(DELETED_COLOURS[0])
        formats["deleted"].setBackground(DELETED_COLOURS[1])
        formats["deleted"].setToolTip(self.tr("Removed"))
        formats["inserted"].setFontUnderline(True)
        formats["inserted"].setForeground(INSERTED_COLOURS[0])
        formats["inserted"].setBackground(INSERTED_COLOURS[1])
        formats["inserted"].setToolTip(self.tr("Added"))
        formats["dim"].setForeground(dim)
        formats["note"].setForeground(dim)
        formats["note"].setFontItalic(True)
        formats["caption"].setFontWeight(QFont.Weight.Bold)
        return formats

    def _document(self, diff: RevisionDiff) -> QTextDocument:
        assert self.shown is not None
        formats = self._formats()
        document = QTextDocument(self.view)
        document.setDefaultFont(self.view.font())
        table_format = QTextTableFormat()
        table_format.setHeaderRowCount(1)
        table_format.setCellPadding(6)
        table_format.setCellSpacing(0)
        table_format.setBorder(1)
        table_format.setBorderCollapse(True)
        table_format.setBorderBrush(self.view.palette().color(QPalette.ColorRole.Mid))
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        table_format.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 50)] * 2)
        table = QTextCursor(document).insertTable(1, 2, table_format)
        by_number = {info.number: info for info in self.revisions}
        for column, number in enumerate(self.shown):
            info = by_number.get(number)
            label = self.revision_label(info) if info is not None else self.tr("Revision {number}").format(
                number=number)
            table.cellAt(0, column).firstCursorPosition().insertText(label, formats["caption"])

        show_unchanged = self.unchanged_check.isChecked()
        folded: list[SegmentDiff] = []
        for segment in diff.segments:
            if not segment.changed and not show_unchanged:
                folded.append(segment)
                continue
            self._fold(table, folded, formats)
            folded = []
            self._caption_row(table, self.caption(segment), formats["caption"] if segment.changed else formats["dim"])
            self._segment_row(table, segment, formats)
        self._fold(table, folded, formats)
        if not diff.segments:
            self._caption_row(table, self.tr("Neither revision has any segment."), formats["note"])
        return document

    def _caption_row(self, table: QTextTable, text: str, char_format: QTextCharFormat) -> None:
        row = table.rows()
        table.appendRows(1)
        table.mergeCells(row, 0, 1, 2)
        cell = table.cellAt(row, 0)
        cell_format = cell.format()
        cell_format.setBackground(self.view.palette().color(QPalette.ColorRole.AlternateBase))
        cell.setFormat(cell_format)
        cell.firstCursorPosition().insertText(text, char_format)

    def _fold(self, table: QTextTable, folded: list[SegmentDiff], formats: dict[str, QTextCharFormat]) -> None:
        """One dim line for a run of unchanged segments."""
        if not folded:
            return
        first, last = self._number(folded[0]), self._number(folded[-1])
        text = (self.tr("Segment {number}: unchanged").format(number=first) if first == last
                else self.tr("Segments {first}–{last}: unchanged").format(first=first, last=last))
        self._caption_row(table, text, formats["note"])

    def _segment_row(self, table: QTextTable, segment: SegmentDiff, formats: dict[str, QTextCharFormat]) -> None:
        row = table.rows()
        table.appendRows(1)
        plain = formats["plain"] if segment.changed else formats["dim"]
        for column, (settings, removed) in enumerate(((segment.old, True), (segment.new, False))):
            cursor = table.cellAt(row, column).firstCursorPosition()
            if settings is None:
                cursor.insertText(self.tr("Not in this revision"), formats["note"])
                continue
            cursor.insertText(self._describe(settings), formats["note"])
            for change in segment.settings:  # the settings that changed, marked like words
                value = self.setting_value(change.field, change.old if removed else change.new)
                cursor.insertBlock()
                cursor.insertText(self.tr("{setting}: {value}").format(setting=self.setting_name(change.field),
                                                                       value=value),
                                  formats["deleted"] if removed else formats["inserted"])
            cursor.insertBlock()
            self._insert_text(cursor, segment.text, removed, plain, formats)

    def _describe(self, settings: Mapping[str, object]) -> str:
        return " · ".join((self.setting_value("kind", settings.get("kind")),
                           self.setting_value("preset_id", settings.get("preset_id"))))

    def _insert_text(self, cursor: QTextCursor, ops: tuple[TextOp, ...], left: bool, plain: QTextCharFormat,
                     formats: dict[str, QTextCharFormat]) -> None:
        changed = formats["deleted"] if left else formats["inserted"]
        written = False
        for index, op in enumerate(ops):
            text = op.old if left else op.new
            if op.tag == "equal" and len(text) > LONG_UNCHANGED:
                self._insert_elided(cursor, text, index > 0, index < len(ops) - 1, plain, formats["note"])
                written = True
            elif text:
                cursor.insertText(text, plain if op.tag == "equal" else changed)
                written = True
        if not written:
            cursor.insertText(self.tr("(no text)"), formats["note"])

    def _insert_elided(self, cursor: QTextCursor, text: str, after_change: bool, before_change: bool,
                       plain: QTextCharFormat, note: QTextCharFormat) -> None:
        """A long unchanged stretch: the words next to the changes, and how many were left out between."""
        head = _cut_after_word(text, CONTEXT_CHARACTERS) if after_change or not before_change else ""
        tail = _cut_before_word(text, CONTEXT_CHARACTERS) if before_change else ""
        left_out = len(text[len(head):len(text) - len(tail)].split())
        cursor.insertText(head, plain)
        cursor.insertText(self.tr("[… {count} unchanged words …]").format(count=left_out), note)
        cursor.insertText(tail, plain)


def _cut_after_word(text: str, length: int) -> str:
    """About ``length`` characters from the start of ``text``, ending after a whole word."""
    end = text.find(" ", length)
    return text[:end + 1] if end >= 0 else text[:length]


def _cut_before_word(text: str, length: int) -> str:
    """About ``length`` characters from the end of ``text``, starting before a whole word."""
    start = text.rfind(" ", 0, len(text) - length)
    return text[start:] if start >= 0 else text[-length:]
