"""The phrase bank: the station ident, greetings, closings and standard notices recorded once per language.

Each phrase has a name, its kind in the running order, its language (preset), its text in that language
and a Vietnamese gloss so a reviewer who does not read Thái or H'Mông knows what it says. It is recorded in
the booth (or imported), then a reviewer listens to it and approves it; only an approved phrase can be
inserted into a bulletin, where it plays exactly the approved recording. Recording it again needs a new
approval; bulletins that already use it keep the recording they were approved with.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import SEGMENT_KIND_LABELS, SEGMENT_KINDS, SegmentDraft
from studio.messages import StudioError
from studio.services import Studio
from studio.store.phrases import PhraseInfo
from studio.ui.banner import MessageBanner
from studio.ui.booth import BoothDialog, BoothSubject
from studio.ui.fonts import preset_font
from studio.ui.library import local_time_text
from studio.ui.player import new_media_player
from studio.ui.preset_picker import PresetPicker
from studio.ui.tasks import TaskRunner
from studio.workflow.states import PERMISSIONS, Action

log = logging.getLogger(__name__)


def _bulletin_tr(text: str) -> str:
    return QCoreApplication.translate("Bulletin", text)


class PhraseBankDialog(QDialog):
    """Lists, edits, records, approves and inserts the station's phrases."""

    insert_requested = Signal(object)  # SegmentDraft playing an approved phrase
    refreshed = Signal()

    def __init__(self, studio: Studio, runner: TaskRunner, *, language: str = "en", default_preset: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner, self.language = studio, runner, language
        self.phrases: list[PhraseInfo] = []
        self.current: PhraseInfo | None = None
        self.heard: set[str] = set()  # recordings listened to here: a reviewer approves what they heard
        self.booth: BoothDialog | None = None
        self._select_after: int | None = None
        self._then: object = None  # what to do once the phrase being saved is saved
        self.setWindowTitle(self.tr("Phrase bank"))
        self.resize(940, 620)
        self.banner = MessageBanner(self)

        self.language_filter = QComboBox(self)
        self.language_filter.addItem(self.tr("All languages"), None)
        for preset in sorted(studio.presets.values(), key=lambda p: (p.order, p.name(language))):
            self.language_filter.addItem(preset.name(language), preset.id)
        self.language_filter.currentIndexChanged.connect(lambda _i: self._show_list())
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Phrases"))
        self.list.currentItemChanged.connect(self._on_selected)
        self.new_button = QPushButton(self.tr("New phrase"), self)
        self.new_button.clicked.connect(self.new_phrase)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.language_filter)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.new_button)

        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Station ident in Thái"))
        self.kind = QComboBox(self)
        for kind in SEGMENT_KINDS:
            self.kind.addItem(_bulletin_tr(SEGMENT_KIND_LABELS[kind]), kind)
        self.preset = PresetPicker(studio.presets, language, default_preset or next(iter(studio.presets)), self)
        self.preset.currentIndexChanged.connect(self._apply_font)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("The phrase as the announcer reads it, in its language"))
        self._base_font = QFont(self.text.font())
        self.gloss = QPlainTextEdit(self)
        self.gloss.setPlaceholderText(self.tr("What it says, in Vietnamese (for the reviewer)"))
        self.gloss.setMaximumHeight(90)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Language:"), self.preset)
        form.addRow(self.tr("Text:"), self.text)
        form.addRow(self.tr("In Vietnamese:"), self.gloss)
        form.addRow(self.tr("State:"), self.state)

        self.save_button = self._button(self.tr("Save"), self.tr("Save the name, kind, language and texts"),
                                        self.save)
        self.record_button = self._button(self.tr("Record…"), self.tr(
            "Record the phrase in the booth, or import a recording"), self.record)
        self.listen_button = self._button(self.tr("Listen"), self.tr("Hear the phrase's recording"), self.listen)
        self.approve_button = self._button(self.tr("Approve"), self.tr(
            "Approve this recording for use in bulletins (reviewers; listen to it first)"), self.approve)
        self.insert_button = self._button(self.tr("Insert into bulletin"), self.tr(
            "Add the phrase to the open bulletin, after the segment being edited"), self.insert)
        self.delete_button = self._button(self.tr("Delete"), self.tr(
            "Remove the phrase from the bank; bulletins that use it keep their copy"), self.delete)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.record_button, self.listen_button, self.approve_button,
                       self.insert_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form, 1)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 640])
        close = QPushButton(self.tr("Close"), self)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

        self._player = None
        self._show_phrase(None)
        self.refresh()

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- the list -----------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        studio = self.studio
        self._select_after = select if select is not None else (self.current.id if self.current else None)

        def load() -> list[PhraseInfo]:
            return studio.phrases.phrases(studio.station().id)

        task = self.runner.call("load phrases", load, pool="db")
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self.show_error)

    def _on_loaded(self, phrases: list[PhraseInfo]) -> None:
        self.phrases = phrases
        self._show_list()
        self.refreshed.emit()

    def _show_list(self) -> None:
        wanted = self.language_filter.currentData()
        select = self._select_after
        self.list.blockSignals(True)
        self.list.clear()
        for phrase in self.phrases:
            if wanted is not None and phrase.preset_id != wanted:
                continue
            preset = self.studio.presets.get(phrase.preset_id)
            language = preset.name(self.language) if preset is not None else phrase.preset_id
            mark = "✔" if phrase.approved else "●" if phrase.take_sha256 else "○"
            item = QListWidgetItem(f"{mark} {phrase.name} — {language}")
            item.setData(Qt.ItemDataRole.UserRole, phrase.id)
            item.setToolTip(self._state_text(phrase))
            self.list.addItem(item)
            if phrase.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        found = next((p for p in self.phrases if p.id == select), None)
        if found is not None or self.current is None or self.current.id is not None:
            self._show_phrase(found)

    def _on_selected(self, item: QListWidgetItem | None) -> None:
        phrase_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._select_after = phrase_id
        self._show_phrase(next((p for p in self.phrases if p.id == phrase_id), None))

    def select(self, phrase_id: int) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(Qt.ItemDataRole.UserRole) == phrase_id:
                self.list.setCurrentRow(index)
                return
        raise KeyError(phrase_id)

    # --- one phrase ---------------------------------------------------------------------------
    def new_phrase(self) -> None:
        preset = self.language_filter.currentData() or self.preset.currentData()
        self.list.clearSelection()
        self._show_phrase(PhraseInfo(None, 0, preset, "", "ident"))
        self.name.setFocus()

    def _show_phrase(self, phrase: PhraseInfo | None) -> None:
        self.current = phrase
        for widget in (self.name, self.kind, self.preset, self.text, self.gloss):
            widget.setEnabled(phrase is not None)
        self.name.setText(phrase.name if phrase else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(phrase.kind if phrase else "ident")))
        if phrase is not None:
            index = self.preset.findData(phrase.preset_id)
            if index >= 0:
                self.preset.setCurrentIndex(index)
        self.text.setPlainText(phrase.text if phrase else "")
        self.gloss.setPlainText(phrase.gloss_vi if phrase else "")
        self.state.setText(self._state_text(phrase) if phrase else self.tr("Choose a phrase, or make a new one."))
        self._apply_font()
        self._update_buttons()

    def _state_text(self, phrase: PhraseInfo) -> str:
        if phrase.id is None:
            return self.tr("New phrase: save it, then record it.")
        if phrase.take_sha256 is None:
            return self.tr("Not recorded yet: press Record… to read it into the microphone or import a recording.")
        if phrase.approved:
            when = local_time_text(phrase.approved_at) if phrase.approved_at else ""
            return self.tr("Approved by {who} ({when}): it can be inserted into bulletins.").format(
                who=phrase.approved_by, when=when)
        if phrase.approved_sha256 is not None:
            return self.tr("Recorded again: a reviewer must listen to the new recording and approve it.")
        return self.tr("Recorded: a reviewer must listen to it and approve it before it is used.")

    def _apply_font(self) -> None:
        self.text.setFont(preset_font(self._base_font, self.preset.preset()))

    def _can_approve(self) -> bool:
        actor = self.studio.signed_in
        return actor is not None and Action.APPROVE in PERMISSIONS[actor.role]

    def _update_buttons(self) -> None:
        phrase = self.current
        saved = phrase is not None and phrase.id is not None
        recorded = saved and phrase is not None and phrase.take_sha256 is not None
        self.save_button.setEnabled(phrase is not None)
        self.record_button.setEnabled(phrase is not None)
        self.listen_button.setEnabled(recorded)
        self.delete_button.setEnabled(saved)
        self.insert_button.setEnabled(phrase is not None and phrase.approved)
        self.approve_button.setVisible(self._can_approve())
        self.approve_button.setEnabled(recorded and phrase is not None and not phrase.approved
                                       and phrase.take_sha256 in self.heard)

    def edited_phrase(self) -> PhraseInfo | None:
        """The phrase as it stands in the form."""
        if self.current is None:
            return None
        return replace(self.current, name=self.name.text(), kind=self.kind.currentData(),
                       preset_id=self.preset.currentData(), text=self.text.toPlainText(),
                       gloss_vi=self.gloss.toPlainText())

    def save(self, then: object = None) -> None:
        phrase = self.edited_phrase()
        if phrase is None:
            return
        studio = self.studio
        def save() -> PhraseInfo:  # a new phrase belongs to the station (0 until saved)
            return studio.phrases.save(replace(phrase, station_id=phrase.station_id or studio.station().id),
                                       actor=studio.actor)

        task = self.runner.call("save phrase", save, pool="db")
        self._then = then
        task.succeeded.connect(self._on_saved)
        task.failed.connect(self.show_error)

    def _on_saved(self, phrase: PhraseInfo) -> None:
        self.banner.clear()
        self.current = phrase
        then, self._then = self._then, None
        self.refresh(select=phrase.id)
        if callable(then):
            then(phrase)

    def is_dirty(self) -> bool:
        edited = self.edited_phrase()
        current = self.current
        return edited is not None and current is not None and (
            current.id is None or (edited.name, edited.kind, edited.preset_id, edited.text, edited.gloss_vi)
            != (current.name, current.kind, current.preset_id, current.text, current.gloss_vi))

    def record(self) -> None:
        """Save the form if needed, then open the booth for the phrase."""
        if self.is_dirty():
            self.save(then=self._open_booth)
        elif self.current is not None:
            self._open_booth(self.current)

    def _open_booth(self, phrase: PhraseInfo) -> None:
        if phrase.id is None:
            return
        try:
            estimate: float | None = self.studio.estimate_seconds(SegmentDraft(phrase.text, phrase.preset_id))
        except StudioError:
            estimate = None
        subject = BoothSubject(self.tr("Phrase “{name}”").format(name=phrase.name), phrase.text, phrase.preset_id,
                               chosen=phrase.take_sha256, phrase_id=phrase.id, estimate_s=estimate)
        if self.booth is not None:
            self.booth.close()
            self.booth.deleteLater()
        self.booth = BoothDialog(self.studio, self.runner, subject, language=self.language, parent=self)
        self.booth.setWindowModality(Qt.WindowModality.WindowModal)
        self.booth.take_chosen.connect(self._on_take_chosen)
        self.booth.show()

    def _on_take_chosen(self, sha256: str | None) -> None:
        if sha256 is None or self.booth is None or self.booth.subject.phrase_id is None:
            return
        phrase_id, studio = self.booth.subject.phrase_id, self.studio
        task = self.runner.call("choose phrase take", lambda: studio.phrases.choose_take(
            phrase_id, sha256, actor=studio.actor), pool="db")
        task.succeeded.connect(lambda phrase: self.refresh(select=phrase.id))
        task.failed.connect(self.show_error)

    def listen(self) -> None:
        phrase = self.current
        if phrase is None or phrase.take_sha256 is None:
            return
        path = self.studio.take_path(phrase.take_sha256)
        if path is None:
            return
        if self._player is None:
            self._player, _audio = new_media_player(self)
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()
        self.heard.add(phrase.take_sha256)
        self._update_buttons()

    def approve(self) -> None:
        phrase = self.current
        if phrase is None or phrase.id is None:
            return
        phrase_id, studio = phrase.id, self.studio
        task = self.runner.call("approve phrase", lambda: studio.phrases.approve(phrase_id, actor=studio.actor),
                                pool="db")
        task.succeeded.connect(lambda approved: self.refresh(select=approved.id))
        task.failed.connect(self.show_error)

    def insert(self) -> None:
        phrase = self.current
        if phrase is None:
            return
        try:
            self.insert_requested.emit(phrase.segment())
        except StudioError as exc:
            self.show_error(exc)

    def delete(self) -> None:
        phrase = self.current
        if phrase is None or phrase.id is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete phrase"), self.tr(
            "Delete the phrase “{name}” from the bank? Bulletins that use it keep their copy of its "
            "recording.").format(name=phrase.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        phrase_id, studio = phrase.id, self.studio
        task = self.runner.call("delete phrase", lambda: studio.phrases.delete(phrase_id, actor=studio.actor),
                                pool="db")
        task.succeeded.connect(lambda _none: self._after_delete())
        task.failed.connect(self.show_error)

    def _after_delete(self) -> None:
        self.current = None
        self.refresh()

    def show_error(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(QCoreApplication.translate))
