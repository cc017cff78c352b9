"""The bulletin editor: title, priority, schedule and the running order of segments, each with its voice
and text.

The whole script shows as a column of segment cards (:mod:`studio.ui.segment_widget`), the way an
officer reads a bulletin top to bottom, with the whole bulletin's estimated reading time in the header.
The editor only edits values: it builds a :class:`~studio.bulletin.BulletinDraft` on request and says
when something changed; saving is :mod:`studio.ui.saving`'s job.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import PRIORITIES, PRIORITY_LABELS, BulletinDraft, SegmentDraft
from studio.services import Studio
from studio.ui.listen import SegmentListener
from studio.ui.schedule_editor import ScheduleEditor
from studio.ui.segment_widget import SegmentCard, reading_time_text
from studio.ui.tasks import TaskRunner

FALLBACK_PRESET = "vi-north-offline"
# A long bulletin opens with this many segment cards; the rest are built a few at a time between the window's
# other work (each card is ~25 widgets: 500 of them at once held the window 3–7 s here).
EAGER_CARDS = 30
FILL_SLICE_S = 0.03


def _bulletin_tr(text: str) -> str:
    return QCoreApplication.translate("Bulletin", text)


def _start_of(text: str, length: int = 32) -> str:
    """The first words of a segment, to name it in a list."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length].rstrip() + "…"


class EditorPanel(QWidget):
    """Edits one bulletin at a time. ``edited`` fires on every change the officer makes.

    ``problem`` and ``notices`` carry what listening to a segment had to say, for the window's banner.
    """

    edited = Signal()
    estimate_changed = Signal()
    problem = Signal(object)  # StudioError
    notices = Signal(object)  # tuple[Notice, ...]
    record_requested = Signal(str)  # the key of the segment to record in the booth
    filled = Signal()  # every segment of the open bulletin has its card

    def __init__(self, studio: Studio, runner: TaskRunner, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.presets = studio.presets
        self.language = language
        self.default_preset = FALLBACK_PRESET
        self.area_presets: tuple[str, ...] = ()  # the station's minority languages: translations start in them
        self._base: BulletinDraft | None = None
        self._saved_content: dict[str, object] | None = None
        self._loading = False
        self.cards: list[SegmentCard] = []
        self._pending: deque[SegmentDraft] = deque()  # the open bulletin's segments still without a card
        self._fill_timer = QTimer(self)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill)
        self.listener = SegmentListener(studio, runner, self)
        self.listener.failed.connect(self.problem)
        self.listener.notices.connect(self.notices)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("Title of the bulletin"))
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        self.title.setFont(title_font)
        self.priority = QComboBox(self)
        for priority in PRIORITIES:
            self.priority.addItem(_bulletin_tr(PRIORITY_LABELS[priority]), priority)
        self.priority.setToolTip(self.tr("Emergency bulletins are played at once (disaster, fire, epidemic)"))

        self.total_time = QLabel(self)
        self.total_time.setToolTip(self.tr("Estimated reading time of the whole bulletin, pauses included "
                                           "(without jingles)"))
        priority_row = QHBoxLayout()
        priority_row.addWidget(self.priority)
        priority_row.addStretch(1)
        priority_row.addWidget(self.total_time)

        self.schedule_editor = ScheduleEditor(studio, runner, self)
        self.schedule_editor.problem.connect(self.problem)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Title:"), self.title)
        form.addRow(self.tr("Priority:"), priority_row)
        form.addRow(self.tr("Schedule:"), self.schedule_editor)

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
        self.schedule_editor.changed.connect(self._on_edited)

    # --- loading and reading -----------------------------------------------------------------
    @property
    def bulletin_id(self) -> int | None:
        return self._base.id if self._base is not None else None

    def set_draft(self, draft: BulletinDraft | None, default_preset: str | None = None) -> None:
        """Show ``draft`` (None: nothing open). Replaces whatever was being edited.

        ``default_preset`` is the station's voice for segments the officer adds.
        """
        self._loading = True
        try:
            self._fill_timer.stop()
            self._pending.clear()
            for card in self.cards:
                self.listener.release(card)
                card.deleteLater()
            self.cards.clear()
            self.default_preset = default_preset or FALLBACK_PRESET
            self._base = draft
            self._saved_content = draft.content() if draft is not None else None
            self.schedule_editor.set_schedule(draft.schedule if draft is not None else None)
            if draft is None:
                self.stack.setCurrentIndex(0)
                return
            self.title.setText(draft.title)
            self.priority.setCurrentIndex(max(0, self.priority.findData(draft.priority)))
            for segment in draft.segments[:EAGER_CARDS]:
                self._insert_card(segment)
            self._pending.extend(draft.segments[EAGER_CARDS:])
            self._renumber()
            self.stack.setCurrentIndex(1)
            self.scroll.verticalScrollBar().setValue(0)
        finally:
            self._loading = False
            self._show_total()
        if self._pending:
            self._fill_timer.start()
        else:
            self.filled.emit()

    @property
    def filling(self) -> bool:
        """Some segments of the open bulletin are still being given their cards."""
        return bool(self._pending)

    def fill_now(self) -> None:
        """Give every segment its card at once (before anything that moves, adds or finds cards)."""
        if self._pending:
            self._fill(None)

    def _fill(self, seconds: float | None = FILL_SLICE_S) -> None:
        """Build the next cards for ``seconds`` (None: all of them), then let the window show them."""
        deadline = None if seconds is None else time.monotonic() + seconds
        total = len(self.cards) + len(self._pending)
        self._loading = True
        try:
            while self._pending and (deadline is None or time.monotonic() < deadline):
                self._insert_card(self._pending.popleft()).set_position(len(self.cards), total)
        finally:
            self._loading = False
        if not self._pending:
            self._fill_timer.stop()
            self._renumber()
            self._show_total()
            self.filled.emit()

    def current_draft(self) -> BulletinDraft | None:
        """The bulletin as it stands on screen, carrying the id and version it was loaded or saved at."""
        if self._base is None:
            return None
        return replace(self._base, title=self.title.text(), priority=self.priority.currentData(),
                       segments=(*(card.segment() for card in self.cards), *self._pending),
                       schedule=self.schedule_editor.schedule())

    def is_dirty(self) -> bool:
        draft = self.current_draft()
        return draft is not None and draft.content() != self._saved_content

    def mark_saved(self, saved: BulletinDraft, content: dict[str, object]) -> None:
        """Record that ``content`` is now stored as ``saved`` (new version); the screen is left alone."""
        if self._base is None or self._base.id not in (None, saved.id):
            return
        self._base = replace(self._base, id=saved.id, uid=saved.uid, version=saved.version, state=saved.state)
        self._saved_content = content

    def show_merged(self, merged: BulletinDraft, stored: BulletinDraft) -> None:
        """Show ``merged`` (someone else's stored version with the officer's changes) as unsaved on top of
        ``stored``: the next save writes it over exactly that version."""
        self.set_draft(merged, self.default_preset)
        self._saved_content = stored.content()
        self.edited.emit()

    @property
    def saved_content(self) -> dict[str, object] | None:
        """The content as last loaded or saved: the common base when someone else saved meanwhile."""
        return self._saved_content

    def adopt_version(self, version: int) -> None:
        """Take over the stored version (the officer chose to keep their text over someone else's)."""
        if self._base is not None:
            self._base = replace(self._base, version=version)

    # --- segments ------------------------------------------------------------------------------
    def add_segment(self, *, focus: bool = False) -> SegmentCard | None:
        if self._base is None:
            return None
        self.fill_now()
        card = self._insert_card(SegmentDraft("", self.default_preset, "news"))
        self._renumber()
        self._on_edited()
        if focus:
            card.text.setFocus()
            self.scroll.ensureWidgetVisible(card)
        return card

    def _insert_card(self, segment: SegmentDraft, index: int | None = None) -> SegmentCard:
        card = SegmentCard(segment, self.studio, self.runner, self.listener, self.language, self._cards_box)
        index = len(self.cards) if index is None else index
        self.cards.insert(index, card)
        self._cards_layout.insertWidget(index, card)
        card.changed.connect(self._on_edited)
        card.move_requested.connect(self.move_segment)
        card.remove_requested.connect(self.remove_segment)
        card.estimate_changed.connect(self._show_total)
        card.record_requested.connect(lambda c: self.record_requested.emit(c.key))
        card.translate_requested.connect(self.add_translation)
        card.original_changed.connect(self._renumber)
        return card

    def insert_segment(self, segment: SegmentDraft) -> SegmentCard | None:
        """Put ``segment`` (a phrase from the phrase bank) after the segment being edited, or at the end."""
        if self._base is None:
            return None
        self.fill_now()
        focused = next((i for i, card in enumerate(self.cards) if card.isAncestorOf(self.focusWidget())), None)
        card = self._insert_card(segment, None if focused is None else focused + 1)
        self._renumber()
        self._on_edited()
        self.scroll.ensureWidgetVisible(card)
        return card

    def add_translation(self, original: SegmentCard) -> SegmentCard:
        """A new segment after ``original`` (and its other translations): the same item in another language."""
        self.fill_now()
        index = self.cards.index(original) + 1
        while index < len(self.cards) and self.cards[index].version_of == original.key:
            index += 1
        own = original.preset.currentData()
        used = [card.preset.currentData() for card in self.cards if card.version_of is not None]
        recorded = [p.id for p in self.presets.values() if not p.synthesised]
        # The language last translated into here, else the area's first, else any an announcer reads.
        preset = next((p for p in [*reversed(used), *self.area_presets, *recorded] if p != own and p in self.presets),
                      own)
        card = self._insert_card(SegmentDraft("", preset, original.kind.currentData(), version_of=original.key),
                                 index)
        self._renumber()
        self._on_edited()
        card.text.setFocus()
        self.scroll.ensureWidgetVisible(card)
        return card

    def card_for(self, key: str) -> SegmentCard | None:
        self.fill_now()
        return next((card for card in self.cards if card.key == key), None)

    def set_take(self, key: str, sha256: str | None) -> None:
        """The booth chose a take for segment ``key`` (None: the voice again)."""
        card = self.card_for(key)
        if card is not None:
            card.set_take(sha256)

    def move_segment(self, card: SegmentCard, step: int) -> None:
        self.fill_now()
        index = self.cards.index(card)
        target = index + step
        if not 0 <= target < len(self.cards):
            return
        self._move_card(index, target)
        for widget in ((card.up, card.down) if step < 0 else (card.down, card.up)):
            if widget.isEnabled():
                widget.setFocus()
                break

    def move_segment_to(self, from_number: int, to_number: int) -> None:
        """Put segment ``from_number`` in ``to_number``'s place (1-based; dragged on the timeline)."""
        self.fill_now()
        count = len(self.cards)
        if from_number == to_number or not (1 <= from_number <= count and 1 <= to_number <= count):
            return
        self._move_card(from_number - 1, to_number - 1)
        self.scroll.ensureWidgetVisible(self.cards[to_number - 1])

    def _move_card(self, index: int, target: int) -> None:
        card = self.cards.pop(index)
        self.cards.insert(target, card)
        self._cards_layout.removeWidget(card)
        self._cards_layout.insertWidget(target, card)
        self._renumber()
        self._on_edited()

    def segment_at(self, number: int) -> SegmentDraft | None:
        """Segment ``number`` (1-based) as it stands on screen."""
        if number > len(self.cards) and number - len(self.cards) <= len(self._pending):
            return self._pending[number - len(self.cards) - 1]
        return self.cards[number - 1].segment() if 1 <= number <= len(self.cards) else None

    def set_gap(self, number: int, seconds: float) -> None:
        """A pause of ``seconds`` before segment ``number`` (no crossfade then)."""
        self._change_segment(number, gap=seconds, crossfade=0.0)

    def set_crossfade(self, number: int, seconds: float) -> None:
        self._change_segment(number, crossfade=seconds)

    def set_bed(self, number: int, bed: bool | None) -> None:
        self._change_segment(number, bed=bed)

    def _change_segment(self, number: int, **changes: Any) -> None:
        self.fill_now()
        if not 1 <= number <= len(self.cards):
            return
        card = self.cards[number - 1]
        card.set_timing(replace(card.segment(), **changes))
        self.scroll.ensureWidgetVisible(card)

    def remove_segment(self, card: SegmentCard) -> None:
        self.fill_now()
        index = self.cards.index(card)
        self.cards.pop(index)
        for other in self.cards:  # its translations become items of their own
            if other.version_of == card.key:
                other.set_version_of(None)
        self._cards_layout.removeWidget(card)
        self.listener.release(card)
        card.deleteLater()
        self._renumber()
        self._on_edited()
        self._show_total()
        if self.cards:
            self.cards[min(index, len(self.cards) - 1)].text.setFocus()

    def _renumber(self) -> None:
        number_of = {card.key: number for number, card in enumerate(self.cards, start=1)}
        originals = [(card.key, self.tr("Segment {number}: {start}").format(
            number=number_of[card.key], start=_start_of(card.text.toPlainText())))
            for card in self.cards if card.version_of is None]
        total = len(self.cards) + len(self._pending)
        for number, card in enumerate(self.cards, start=1):
            card.set_position(number, total)
            card.set_originals([choice for choice in originals if choice[0] != card.key], number_of)

    def _on_edited(self) -> None:
        if not self._loading and self._base is not None:
            self.edited.emit()

    # --- reading time --------------------------------------------------------------------------
    def total_seconds(self) -> float:
        """The bulletin's estimated reading time: the sum of what the cards have estimated so far."""
        return sum(card.seconds or 0.0 for card in self.cards)

    def _show_total(self) -> None:
        known = [card.seconds for card in self.cards if card.seconds is not None]
        self.total_time.setText(self.tr("Reading time: {time}").format(time=reading_time_text(sum(known)))
                                if known else "")
        self.estimate_changed.emit()
