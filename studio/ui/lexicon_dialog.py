"""The station's pronunciation rules: edit them in a table, try them on a sample, hear it, save.

The dialog never second-guesses the loader: every edit turns the table into the station file's text and
runs :func:`~studio.text.lexicon.parse_lexicon` on it, so a row is flagged for exactly the reason a render
would leave it out. Preview and Listen use the rules as they stand in the table (saved or not), through a
copy of the studio whose only difference is its lexicons. Rows with problems are still saved, so nothing
the officer typed is lost; the loader leaves them out until they are fixed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import SegmentDraft
from studio.fileio import write_bytes_atomically
from studio.messages import StudioError
from studio.render import Lexicons
from studio.services import Studio
from studio.text.lexicon import STATION_LEXICON_FILE, LexiconIssue, LexiconLoad, parse_lexicon
from studio.ui.i18n import qt_translate
from studio.ui.listen import IDLE, PREPARING, SegmentListener
from studio.ui.tasks import TaskRunner

SOURCE, REPLACEMENT, KIND, CHECK = range(4)
#: Kind of rule → the options field written to the file.
KIND_OPTIONS = {"word": "", "exact": "exact", "regex": "regex", "regex-i": "regex ignorecase"}
HEADER = """\
# Quy tắc phát âm của đài — mỗi dòng: chữ viết<TAB>cách đọc[<TAB>tùy chọn]
# Tùy chọn: (trống) = thay cả từ, không phân biệt hoa thường; exact = đúng chữ hoa/thường;
# regex = biểu thức chính quy (thêm ignorecase để không phân biệt hoa thường).
# Station pronunciation rules — one per line: source<TAB>replacement[<TAB>options]
# Options: (none) = whole words, any case; exact = case as written; regex = Python regular expression
# (add ignorecase to ignore case). Lines starting with # are comments. Edited by Commune Radio Studio.
"""
_LINE_REF = re.compile(r"line (\d+)")
_ERROR_BRUSH = QBrush(QColor("#fde8e8"))
_WARNING_BRUSH = QBrush(QColor("#fff6da"))


def read_rows(text: str) -> list[tuple[str, str, str]]:
    """(source, replacement, kind) for every rule line of a station file, bad ones included."""
    rows = []
    for raw in text.removeprefix("\ufeff").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        fields = [f for i, f in enumerate(fields) if i == 0 or not f.lstrip().startswith("#")][:3]
        options = set(re.split(r"[\s,]+", fields[2].lower())) if len(fields) > 2 else set()
        kind = ("regex-i" if "ignorecase" in options else "regex") if "regex" in options else \
            "exact" if "exact" in options else "word"
        replacement = re.sub(r"\s#.*", "", fields[1]).strip() if len(fields) > 1 else ""
        rows.append((fields[0].strip(), replacement, kind))
    return rows


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines()).strip()


def _line(source: str, replacement: str, kind: str) -> str:
    options = KIND_OPTIONS[kind]
    return "\t".join((source, replacement, options) if options else (source, replacement))


class LexiconDialog(QDialog):
    """Edits the station file ``studio.paths.config / lexicon.tsv``; ``saved`` fires once it is written and
    the studio's lexicons are reloaded from it (the next preview and render use the new rules)."""

    saved = Signal()

    def __init__(self, studio: Studio, runner: TaskRunner, preset_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.preset_id = preset_id
        self.path = studio.paths.config / STATION_LEXICON_FILE
        self.dirty = False
        self.saving = False
        self.readable = True  # False when the file exists but could not be read: never overwrite it
        self._lines: dict[int, int] = {}  # file line → table row
        self._unsaveable: list[int] = []  # rows the file would not give back as typed
        self._updating = self._loading = False
        self.listener = SegmentListener(studio, runner, self)
        self.listener.state_changed.connect(self._on_listen_state)
        self.listener.failed.connect(lambda exc: self._show_problem(exc.translated(qt_translate)))
        self.listener.problem.connect(self._show_problem)

        self.setWindowTitle(self.tr("Pronunciation rules"))
        # An explicit minimum keeps the layout from changing the window's limits while it is shown.
        self.setMinimumSize(640, 460)
        self.resize(820, 560)
        intro = QLabel(self.tr("How the voice should say local names and words. A word rule replaces whole "
                               "words in any letter case; a regular expression is for patterns."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("Written as"), self.tr("Say as"), self.tr("Kind"),
                                              self.tr("Check")])
        header = self.table.horizontalHeader()
        for column in (SOURCE, REPLACEMENT, CHECK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = QPushButton(self.tr("Add rule"), self)
        self.add_button.clicked.connect(lambda: self.add_rule())
        self.remove_button = QPushButton(self.tr("Remove rule"), self)
        self.remove_button.clicked.connect(self.remove_selected)

        self.sample = QLineEdit(self)
        self.sample.setPlaceholderText(self.tr("Type a sentence with the word, e.g. Huyện Krông Pắc"))
        self.sample.returnPressed.connect(self.preview)
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.clicked.connect(self.preview)
        self.listen_button = QPushButton(self.tr("Listen"), self)
        self.listen_button.clicked.connect(self.listen)
        self.applied = QLabel(self)
        self.spoken = QLabel(self)
        for label in (self.applied, self.spoken):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #6b1111;")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        sample_row = QHBoxLayout()
        sample_row.addWidget(self.sample, 1)
        sample_row.addWidget(self.preview_button)
        sample_row.addWidget(self.listen_button)
        results = QFormLayout()
        results.addRow(self.tr("After the rules:"), self.applied)
        results.addRow(self.tr("The voice says:"), self.spoken)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(QLabel(self.tr("Try the rules on a sample:"), self))
        layout.addLayout(sample_row)
        layout.addLayout(results)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._load()

    # --- rows ----------------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            self.readable = False
            self._update_buttons()
            self._show_problem(self.tr("The rules file {path} cannot be read: {reason}").format(
                path=self.path, reason=exc))
            return
        self._loading = True
        for source, replacement, kind in read_rows(text):
            self.add_rule(source, replacement, kind)
        self._loading = False
        self.validate()
        self._update_buttons()

    def add_rule(self, source: str = "", replacement: str = "", kind: str = "word") -> int:
        """Append a row (editing its source when added empty); returns the row number."""
        self._updating = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, SOURCE, QTableWidgetItem(source))
        self.table.setItem(row, REPLACEMENT, QTableWidgetItem(replacement))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(row, CHECK, check)
        combo = QComboBox(self.table)
        for value, label in (("word", self.tr("Word")), ("exact", self.tr("Word, exact case")),
                             ("regex", self.tr("Regular expression")),
                             ("regex-i", self.tr("Regular expression, any case"))):
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        combo.currentIndexChanged.connect(lambda _index: self._changed())
        self.table.setCellWidget(row, KIND, combo)
        self._updating = False
        self._changed()
        if not source and not self._loading:
            self.table.setCurrentCell(row, SOURCE)
            self.table.editItem(self.table.item(row, SOURCE))
        return row

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._changed()

    def rule_row(self, row: int) -> tuple[str, str, str]:
        """(source, replacement, kind) of a table row, cleaned as it will be written."""
        combo = self.table.cellWidget(row, KIND)
        kind = combo.currentData() if isinstance(combo, QComboBox) else "word"
        return (_clean(self.table.item(row, SOURCE).text()), _clean(self.table.item(row, REPLACEMENT).text()),
                kind)

    def check_text(self, row: int) -> str:
        """What the check column says for ``row`` ("" when the rule is fine)."""
        return self.table.item(row, CHECK).text()

    def file_text(self) -> str:
        """The station file for the table as it stands; remembers which line holds which row."""
        lines, self._lines = HEADER.splitlines(), {}
        for row in range(self.table.rowCount()):
            source, replacement, kind = self.rule_row(row)
            if not source and not replacement:
                continue
            lines.append(_line(source, replacement, kind))
            self._lines[len(lines)] = row
        return "\n".join(lines) + "\n"

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._updating and item.column() != CHECK:
            self._changed()

    def _changed(self) -> None:
        if self._updating or self._loading:
            return
        self.dirty = True
        self.validate()
        self._update_buttons()

    def validate(self) -> LexiconLoad:
        """Run the loader over the table and show each row's issues in its check column."""
        load = parse_lexicon(self.file_text(), name=STATION_LEXICON_FILE)
        per_row: dict[int, list[LexiconIssue]] = {}
        for issue in load.issues:
            if issue.line in self._lines:
                per_row.setdefault(self._lines[issue.line], []).append(issue)
        # "#" starts a note in the file: such a row would come back cut short, or not at all. Save waits.
        typed = [self.rule_row(row) for row in range(self.table.rowCount())]
        self._unsaveable = [row for row, cells in enumerate(typed)
                            if (cells[0] or cells[1]) and read_rows(_line(*cells)) != [cells]]
        self._updating = True
        for row in range(self.table.rowCount()):
            issues = per_row.get(row, [])
            texts = [self.issue_text(i) for i in issues]
            if row in self._unsaveable:
                texts.insert(0, self.tr("Cannot be saved as typed: in the rules file “#” starts a note, and the "
                                        "rest of the line would be lost. Leave out the “#” (in a regular "
                                        "expression, write \\# for it)."))
            item = self.table.item(row, CHECK)
            item.setText("\n".join(texts))
            item.setToolTip("\n".join(i.message for i in issues))
            item.setBackground(QBrush() if not texts else _ERROR_BRUSH if row in self._unsaveable or
                               not all(i.kept for i in issues) else _WARNING_BRUSH)
        self._updating = False
        unsaveable = self.tr("Some rules cannot be saved as typed; the Check column says why.")
        if self._unsaveable:
            self._show_problem(unsaveable)
        elif self.message.text() == unsaveable:
            self.message.hide()
        self.table.resizeRowsToContents()
        return load

    def issue_text(self, issue: LexiconIssue) -> str:
        """The loader's issue in the officer's language; ``{row}`` is the other rule it names."""
        found = _LINE_REF.search(issue.message)
        other = self._lines.get(int(found.group(1))) if found else None
        templates = {
            "format": self.tr("Write the word and how to say it."),
            "option": self.tr("Unknown kind of rule."),
            "source": self.tr("A word rule must start and end with a letter or a digit."),
            "regex": self.tr("Not a valid regular expression."),
            "slow-regex": self.tr("Not used: this pattern repeats a group that itself repeats, which could make "
                                  "the studio hang. Write it without such nesting."),
            "empty-match": self.tr("Not used: this pattern can match empty text."),
            "template": self.tr("Not used: the replacement refers to a group the pattern does not have."),
            "duplicate": self.tr("Replaces rule {row}, which has the same text."),
            "retrigger": self.tr("Not used: rule {row} would change this rule's output again."),
            "context": self.tr("Its output can join the words around it into the text of rule {row}."),
        }
        text = templates.get(issue.code, self.tr("Problem: {detail}"))
        return text.format(row=other + 1 if other is not None else "?", detail=issue.message)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.rowCount() > 0)
        self.save_button.setEnabled(self.dirty and not self.saving and self.readable and not self._unsaveable)

    # --- trying the rules ----------------------------------------------------------------------
    def draft_studio(self) -> Studio:
        """The studio with the table's rules instead of the saved ones (for Preview and Listen)."""
        return replace(self.studio, lexicons=Lexicons.with_station(self.validate().lexicon))

    def preview(self) -> None:
        """Show the sample after the rules, and the whole spoken form in the station's default voice."""
        studio, sample = self.draft_studio(), self.sample.text()
        assert studio.lexicons.station is not None
        self.applied.setText(studio.lexicons.station.apply(sample))
        try:
            self.spoken.setText(studio.prepare(SegmentDraft(sample, self.preset_id)).spoken_text)
        except StudioError as exc:
            self.spoken.clear()
            self._show_problem(exc.translated(qt_translate))

    def listen(self) -> None:
        """Read the sample aloud with the table's rules; pressed again while busy, stop."""
        self.message.hide()
        self.listener.studio = self.draft_studio()
        self.listener.toggle(self, SegmentDraft(self.sample.text(), self.preset_id), 1)

    def hush(self, *what: object) -> None:
        """Another sound started (the player's ``playing_changed(True)``, a segment listener's
        ``state_changed(owner, state)``): stop reading the sample."""
        if what and what[-1] not in (False, IDLE):
            self.listener.stop()

    def _on_listen_state(self, _owner: object, state: str) -> None:
        self.listen_button.setText(self.tr("Listen") if state == IDLE else
                                   self.tr("Preparing…") if state == PREPARING else self.tr("Stop"))

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the file atomically in the runner's ``db`` pool, then reload the studio's lexicons."""
        if self.saving:
            return
        data, path = self.file_text().encode("utf-8"), self.path
        self.saving = True
        self._update_buttons()

        def write() -> Lexicons:
            write_bytes_atomically(path, data)
            return Lexicons(path)

        task = self.runner.call("save pronunciation rules", write, pool="db")
        task.succeeded.connect(self._on_saved)
        task.failed.connect(self._on_save_failed)

    def _on_saved(self, lexicons: Lexicons) -> None:
        self.studio.lexicons = lexicons
        self.saving = self.dirty = False
        self.message.hide()
        self._update_buttons()
        self.saved.emit()

    def _on_save_failed(self, exc: StudioError) -> None:
        self.saving = False
        self._update_buttons()
        self._show_problem(exc.translated(qt_translate))

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- closing -------------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, self.tr("Unsaved rules"),
                                      self.tr("The rules were changed but not saved. Close anyway?"))
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        self.listener.stop()
        super().reject()
