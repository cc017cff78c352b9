"""The bulletin editor: title, priority and the running order of segments, each with its voice and text.

The whole script shows as a column of segment cards, the way an officer reads a bulletin top to
bottom. The editor only edits values: it builds a :class:`~studio.bulletin.BulletinDraft` on request
and says when something changed; saving is :mod:`studio.ui.saving`'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import (
    PRIORITIES,
    PRIORITY_LABELS,
    SEGMENT_KIND_LABELS,
    SEGMENT_KINDS,
    BulletinDraft,
    SegmentDraft,
)
from studio.speech.presets import Preset

MIN_LINES, MAX_LINES = 3, 14


def _bulletin_tr(text: str) -> str:
    return QCoreApplication.translate("Bulletin", text)


class SegmentCard(QFrame):
    """One segment: what kind of item it is, which voice reads it, and its text."""

    changed = Signal()
    move_requested = Signal(object, int)  # card, -1 up / +1 down
    remove_requested = Signal(object)

    def __init__(self, segment: SegmentDraft, presets: Mapping[str, Preset], language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._source = segment.source

        self.number = QLabel(self)
        number_font = QFont(self.number.font())
        number_font.setBold(True)
        self.number.setFont(number_font)
        self.kind = QComboBox(self)
        for kind in SEGMENT_KINDS:
            self.kind.addItem(_bulletin_tr(SEGMENT_KIND_LABELS[kind]), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(segment.kind)))
        self.kind.setToolTip(self.tr("What this segment is in the running order"))
        self.preset = QComboBox(self)
        for preset in presets.values():
            self.preset.addItem(preset.name(language), preset.id)
        if self.preset.findData(segment.preset_id) < 0:
            self.preset.addItem(self.tr("{preset} (not installed)").format(preset=segment.preset_id),
                                segment.preset_id)
        self.preset.setCurrentIndex(max(0, self.preset.findData(segment.preset_id)))
        self.preset.setToolTip(self.tr("Language and voice that read this segment"))
        # Long preset names elide instead of pushing the move/remove buttons out of a narrow window.
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.preset.setMinimumWidth(self.preset.fontMetrics().horizontalAdvance("x") * 14)
        self.preset.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.up = self._tool_button("▲", self.tr("Move up"), lambda: self.move_requested.emit(self, -1))
        self.down = self._tool_button("▼", self.tr("Move down"), lambda: self.move_requested.emit(self, 1))
        self.remove = self._tool_button("✕", self.tr("Remove this segment"),
                                        lambda: self.remove_requested.emit(self))

        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("Type what the announcer reads…"))
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(segment.text)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

        header = QHBoxLayout()
        header.addWidget(self.number)
        header.addWidget(self.kind)
        header.addWidget(self.preset)
        header.addStretch(1)
        for button in (self.up, self.down, self.remove):
            header.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.text)

        self.kind.currentIndexChanged.connect(self.changed)
        self.preset.currentIndexChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)

    def _tool_button(self, glyph: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(glyph)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def set_position(self, number: int, count: int) -> None:
        self.number.setText(self.tr("Segment {number}").format(number=number))
        self.up.setEnabled(number > 1)
        self.down.setEnabled(number < count)

    def segment(self) -> SegmentDraft:
        return SegmentDraft(self.text.toPlainText(), self.preset.currentData(), self.kind.currentData(),
                            self._source)

    def _fit_height(self) -> None:
        """Grow with the text up to a limit, so short items stay compact and long ones scroll."""
        lines = int(self.text.document().size().height())  # plain-text layouts measure in lines
        lines = min(max(lines, MIN_LINES), MAX_LINES)
        margins = self.text.contentsMargins()
        height = (lines * self.text.fontMetrics().lineSpacing() + 2 * self.text.document().documentMargin()
                  + margins.top() + margins.bottom())
        self.text.setFixedHeight(int(height))


class EditorPanel(QWidget):
    """Edits one bulletin at a time. ``edited`` fires on every change the officer makes."""

    edited = Signal()

    def __init__(self, presets: Mapping[str, Preset], language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = presets
        self.language = language
        self._base: BulletinDraft | None = None
        self._saved_content: dict[str, object] | None = None
        self._loading = False
        self.cards: list[SegmentCard] = []

        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("Title of the bulletin"))
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        self.title.setFont(title_font)
        self.priority = QComboBox(self)
        for priority in PRIORITIES:
            self.priority.addItem(_bulletin_tr(PRIORITY_LABELS[priority]), priority)
        self.priority.setToolTip(self.tr("Emergency bulletins are played at once (disaster, fire, epidemic)"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Title:"), self.title)
        form.addRow(self.tr("Priority:"), self.priority)

        self._cards_box = QWidget(self)
        self._cards_layout = QVBoxLayout(self._cards_box)
        self._cards_layout.setContentsMargins(0, 0, 4, 0)
        self._cards_layout.setSpacing(8)
        self.add_button = QPushButton(self.tr("Add segment"), self._cards_box)
        self.add_button.setToolTip(self.tr("Add a segment at the end of the bulletin"))
        self.add_button.clicked.connect(lambda: self.add_segment(focus=True))
        self._cards_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._cards_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self._cards_box)

        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(form)
        page_layout.addWidget(self.scroll, 1)
        self.placeholder = QLabel(self.tr("Choose a bulletin on the left, or start a new one."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.title.textChanged.connect(self._on_edited)
        self.priority.currentIndexChanged.connect(self._on_edited)

    # --- loading and reading -----------------------------------------------------------------
    @property
    def bulletin_id(self) -> int | None:
        return self._base.id if self._base is not None else None

    def set_draft(self, draft: BulletinDraft | None) -> None:
        """Show ``draft`` (None: nothing open). Replaces whatever was being edited."""
        self._loading = True
        try:
            for card in self.cards:
                card.deleteLater()
            self.cards.clear()
            self._base = draft
            self._saved_content = draft.content() if draft is not None else None
            if draft is None:
                self.stack.setCurrentIndex(0)
                return
            self.title.setText(draft.title)
            self.priority.setCurrentIndex(max(0, self.priority.findData(draft.priority)))
            for segment in draft.segments:
                self._insert_card(segment)
            self._renumber()
            self.stack.setCurrentIndex(1)
            self.scroll.verticalScrollBar().setValue(0)
        finally:
            self._loading = False

    def current_draft(self) -> BulletinDraft | None:
        """The bulletin as it stands on screen, carrying the id and version it was loaded or saved at."""
        if self._base is None:
            return None
        return replace(self._base, title=self.title.text(), priority=self.priority.currentData(),
                       segments=tuple(card.segment() for card in self.cards))

    def is_dirty(self) -> bool:
        draft = self.current_draft()
        return draft is not None and draft.content() != self._saved_content

    def mark_saved(self, saved: BulletinDraft, content: dict[str, object]) -> None:
        """Record that ``content`` is now stored as ``saved`` (new version); the screen is left alone."""
        if self._base is None or self._base.id not in (None, saved.id):
            return
        self._base = replace(self._base, id=saved.id, uid=saved.uid, version=saved.version, state=saved.state)
        self._saved_content = content

    def adopt_version(self, version: int) -> None:
        """Take over the stored version (the officer chose to keep their text over someone else's)."""
        if self._base is not None:
            self._base = replace(self._base, version=version)

    # --- segments ------------------------------------------------------------------------------
    def add_segment(self, *, focus: bool = False) -> SegmentCard | None:
        if self._base is None:
            return None
        last = self.cards[-1].segment() if self.cards else None
        preset = last.preset_id if last else next(iter(self.presets), "vi-north-offline")
        card = self._insert_card(SegmentDraft("", preset, "news"))
        self._renumber()
        self._on_edited()
        if focus:
            card.text.setFocus()
            self.scroll.ensureWidgetVisible(card)
        return card

    def _insert_card(self, segment: SegmentDraft, index: int | None = None) -> SegmentCard:
        card = SegmentCard(segment, self.presets, self.language, self._cards_box)
        index = len(self.cards) if index is None else index
        self.cards.insert(index, card)
        self._cards_layout.insertWidget(index, card)
        card.changed.connect(self._on_edited)
        card.move_requested.connect(self.move_segment)
        card.remove_requested.connect(self.remove_segment)
        return card

    def move_segment(self, card: SegmentCard, step: int) -> None:
        index = self.cards.index(card)
        target = index + step
        if not 0 <= target < len(self.cards):
            return
        self.cards.insert(target, self.cards.pop(index))
        self._cards_layout.removeWidget(card)
        self._cards_layout.insertWidget(target, card)
        self._renumber()
        self._on_edited()
        for widget in ((card.up, card.down) if step < 0 else (card.down, card.up)):
            if widget.isEnabled():
                widget.setFocus()
                break

    def remove_segment(self, card: SegmentCard) -> None:
        index = self.cards.index(card)
        self.cards.pop(index)
        self._cards_layout.removeWidget(card)
        card.deleteLater()
        self._renumber()
        self._on_edited()
        if self.cards:
            self.cards[min(index, len(self.cards) - 1)].text.setFocus()

    def _renumber(self) -> None:
        for number, card in enumerate(self.cards, start=1):
            card.set_position(number, len(self.cards))

    def _on_edited(self) -> None:
        if not self._loading and self._base is not None:
            self.edited.emit()
