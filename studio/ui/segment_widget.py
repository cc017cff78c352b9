"""One segment of the bulletin as a card: its kind, its voice, the officer's text and what the voice will say.

Under the text the card shows, a moment after typing stops, the spoken form the voice will read, the
estimated reading time, a warning when the preset's font lacks some of the characters, and a Listen
button that reads just this segment aloud. Words the voice would misread and pause markup it does not
understand are marked in the text itself, with a tooltip saying why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import MAX_CROSSFADE, MAX_GAP, SEGMENT_KIND_LABELS, SEGMENT_KINDS, SegmentDraft, new_segment_key
from studio.services import Studio
from studio.text.fonts import FontReport
from studio.ui.fonts import preset_font
from studio.ui.listen import IDLE, PLAYING, PREPARING, SegmentListener
from studio.ui.player import clock_text
from studio.ui.preset_picker import PresetPicker, record_icon
from studio.ui.preview import IssueMarks, IssueTooltips, SegmentAnalysis, SpokenPreview, TextAnalyser
from studio.ui.tasks import TaskRunner
from studio.ui.waveform_strip import WaveformStrip

MIN_LINES, MAX_LINES = 3, 14
TIMING_STEP = 0.1  # seconds; the gap box's value one step below 0 means "the station's default"
BED_CHOICES: tuple[bool | None, ...] = (None, True, False)
MAX_LISTED_CHARACTERS = 12
_WARNING_STYLE = ("QLabel { background: #fff6da; border: 1px solid #e5c45c; color: #5a4300;"
                  " border-radius: 3px; padding: 3px 6px; }")


def reading_time_text(seconds: float) -> str:
    """"≈ 0:42": the estimate, rounded to the second."""
    return f"≈ {clock_text(round(seconds * 1000))}"


def _bulletin_tr(text: str) -> str:
    return QCoreApplication.translate("Bulletin", text)


class TimingRow(QWidget):
    """Where the segment sits on the programme timeline: the pause before it, a crossfade with the item
    before it, and the music bed under it. Keeps the exact stored values; the boxes only show them."""

    changed = Signal()

    def __init__(self, segment: SegmentDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gap_value: float | None = segment.gap
        self.crossfade_value = segment.crossfade
        self.bed_value: bool | None = segment.bed
        self.gap = self._seconds_box(-TIMING_STEP, MAX_GAP, self.tr("Default"))
        self.gap.setToolTip(self.tr("Silence before this segment (Default: the station's pause)"))
        self.crossfade = self._seconds_box(0.0, MAX_CROSSFADE, self.tr("Off"))
        self.crossfade.setToolTip(self.tr("Blend the start of this segment into the end of the item before it; "
                                          "a crossfade replaces the pause"))
        self.bed = QComboBox(self)
        for text in (self.tr("Station's rule"), self.tr("On"), self.tr("Off")):
            self.bed.addItem(text)
        self.bed.setToolTip(self.tr("Music under this segment, lowered while the voice speaks"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for caption, box in ((self.tr("Pause before:"), self.gap), (self.tr("Crossfade:"), self.crossfade),
                             (self.tr("Music bed:"), self.bed)):
            label = QLabel(caption, self)
            label.setBuddy(box)
            layout.addWidget(label)
            layout.addWidget(box)
        layout.addStretch(1)
        self._show_values()
        self.gap.valueChanged.connect(self._on_gap)
        self.crossfade.valueChanged.connect(self._on_crossfade)
        self.bed.currentIndexChanged.connect(self._on_bed)

    def _seconds_box(self, low: float, high: float, special: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setDecimals(1)
        box.setSingleStep(TIMING_STEP)
        box.setRange(low, high)
        box.setSpecialValueText(special)
        box.setSuffix(" " + self.tr("s"))
        box.setKeyboardTracking(False)
        return box

    def is_default(self) -> bool:
        return self.gap_value is None and not self.crossfade_value and self.bed_value is None

    def set_values(self, gap: float | None, crossfade: float, bed: bool | None) -> None:
        """Show new values (from the timeline); ``changed`` fires once if anything differs."""
        if (gap, crossfade, bed) == (self.gap_value, self.crossfade_value, self.bed_value):
            return
        self.gap_value, self.crossfade_value, self.bed_value = gap, crossfade, bed
        self._show_values()
        self.changed.emit()

    def _show_values(self) -> None:
        for box in (self.gap, self.crossfade, self.bed):
            box.blockSignals(True)
        self.gap.setValue(self.gap.minimum() if self.gap_value is None else self.gap_value)
        self.crossfade.setValue(self.crossfade_value)
        self.bed.setCurrentIndex(BED_CHOICES.index(self.bed_value))
        for box in (self.gap, self.crossfade, self.bed):
            box.blockSignals(False)

    def _on_gap(self, value: float) -> None:
        self.gap_value = None if value <= self.gap.minimum() else round(value, 1)
        self.changed.emit()

    def _on_crossfade(self, value: float) -> None:
        self.crossfade_value = round(value, 1)
        self.changed.emit()

    def _on_bed(self, index: int) -> None:
        self.bed_value = BED_CHOICES[index]
        self.changed.emit()


class SegmentCard(QFrame):
    """One segment: what kind of item it is, which voice reads it, its text, and how it will sound."""

    changed = Signal()
    move_requested = Signal(object, int)  # card, -1 up / +1 down
    remove_requested = Signal(object)
    estimate_changed = Signal()
    record_requested = Signal(object)  # card: open the recording booth for it
    translate_requested = Signal(object)  # card: add the same item in another language after it
    original_changed = Signal()  # it became (or stopped being) a translation

    def __init__(self, segment: SegmentDraft, studio: Studio, runner: TaskRunner, listener: SegmentListener,
                 language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._source = segment.source
        self.key = segment.key or new_segment_key()  # before the first save: its takes need a home
        self.take = segment.take
        self.version_of = segment.version_of
        self.listener = listener
        self.studio, self.runner = studio, runner
        self.number_value = 1
        self.seconds: float | None = None
        self.analysis: SegmentAnalysis | None = None

        self.number = QLabel(self)
        number_font = QFont(self.number.font())
        number_font.setBold(True)
        self.number.setFont(number_font)
        self.kind = QComboBox(self)
        for kind in SEGMENT_KINDS:
            self.kind.addItem(_bulletin_tr(SEGMENT_KIND_LABELS[kind]), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(segment.kind)))
        self.kind.setToolTip(self.tr("What this segment is in the running order"))
        self.preset = PresetPicker(studio.presets, language, segment.preset_id, self)

        self.up = self._tool_button("▲", self.tr("Move up"), lambda: self.move_requested.emit(self, -1))
        self.down = self._tool_button("▼", self.tr("Move down"), lambda: self.move_requested.emit(self, 1))
        self.remove = self._tool_button("✕", self.tr("Remove this segment"),
                                        lambda: self.remove_requested.emit(self))
        self.translate = self._tool_button("⇄", self.tr("Add this item in another language after it (a "
                                                        "translation read by an announcer)"),
                                           lambda: self.translate_requested.emit(self))
        self.translation_mark = QLabel(self)
        self.translation_mark.setStyleSheet("QLabel { color: #1f5f99; }")
        self.translation_mark.hide()
        self.original = QComboBox(self)
        self.original.setToolTip(self.tr("Make this segment the same item as another one, in another language: "
                                         "it is placed by the station's bilingual order"))
        self.original.addItem(self.tr("Its own item"), None)
        self.original.activated.connect(self._on_original_chosen)
        self._originals: list[tuple[str, str]] | None = None  # choices not yet in the box (filled when shown)
        self.timing = TimingRow(segment, self)
        self.timing_button = QToolButton(self)
        self.timing_button.setText(self.tr("Timing"))
        self.timing_button.setToolTip(self.tr("Pause, crossfade and music bed of this segment"))
        self.timing_button.setCheckable(True)
        self.timing_button.setAutoRaise(True)
        self.timing_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.timing_button.toggled.connect(self._show_timing)
        original_label = QLabel(self.tr("Translation of:"), self.timing)
        original_label.setBuddy(self.original)
        timing_layout = self.timing.layout()
        assert isinstance(timing_layout, QHBoxLayout)
        timing_layout.insertWidget(timing_layout.count() - 1, original_label)
        timing_layout.insertWidget(timing_layout.count() - 1, self.original)
        self.timing_button.setChecked(not self.timing.is_default() or self.version_of is not None)
        self._show_timing(self.timing_button.isChecked())
        self._mark_timing()

        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("Type what the announcer reads…"))
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setTabChangesFocus(True)
        self._base_font = QFont(self.text.font())
        self.text.setPlainText(segment.text)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.marks = IssueMarks(self.text)
        self._tooltips = IssueTooltips(self.text, self.marks)

        self.font_warning = QLabel(self)
        self.font_warning.setWordWrap(True)
        self.font_warning.setStyleSheet(_WARNING_STYLE)
        self.font_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.font_warning.hide()
        self.preview_caption = QLabel(self)
        self.preview_caption.setWordWrap(True)
        self.preview = SpokenPreview(self)
        self.preview.setAccessibleName(self.tr("What the voice will read"))
        self.reading_time = QLabel(self)
        self.reading_time.setToolTip(self.tr("Estimated reading time of this segment"))
        self.listen = QToolButton(self)
        self.listen.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.listen.clicked.connect(self._on_listen)
        self._show_listen_state(IDLE)
        self.record = QToolButton(self)
        self.record.setIcon(record_icon())
        self.record.setText(self.tr("Record…"))
        self.record.setToolTip(self.tr("Read this segment into the microphone, or import a recording"))
        self.record.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.record.clicked.connect(lambda: self.record_requested.emit(self))
        self.take_mark = QLabel(self)
        self._show_take()
        self._apply_font()
        self._fit_height()

        header = QHBoxLayout()
        header.addWidget(self.number)
        header.addWidget(self.kind)
        header.addWidget(self.preset)
        header.addWidget(self.translation_mark)
        header.addStretch(1)
        for button in (self.timing_button, self.translate, self.up, self.down, self.remove):
            header.addWidget(button)
        footer = QHBoxLayout()
        footer.addWidget(self.preview_caption, 1)
        footer.addWidget(self.take_mark)
        footer.addWidget(self.reading_time)
        footer.addWidget(self.listen)
        footer.addWidget(self.record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.timing)
        layout.addWidget(self.text)
        layout.addWidget(self.font_warning)
        layout.addLayout(footer)
        layout.addWidget(self.preview)

        self.analyser = TextAnalyser(studio, runner, lambda: (self.text.toPlainText(), self.preset.currentData()),
                                     self)
        self.analyser.analysed.connect(self._show_analysis)
        listener.state_changed.connect(self._on_listener_state)
        listener.position_changed.connect(self._on_listener_position)
        self.wave: WaveformStrip | None = None  # made when this segment is first heard
        self.kind.currentIndexChanged.connect(self.changed)
        self.timing.changed.connect(self._on_timing_changed)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.text.textChanged.connect(self._on_text_changed)
        self.analyser.schedule(0)

    def _tool_button(self, glyph: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(glyph)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def set_position(self, number: int, count: int) -> None:
        self.number_value = number
        self.number.setText(self.tr("Segment {number}").format(number=number))
        self.up.setEnabled(number > 1)
        self.down.setEnabled(number < count)

    def segment(self) -> SegmentDraft:
        timing = self.timing
        return SegmentDraft(self.text.toPlainText(), self.preset.currentData(), self.kind.currentData(),
                            self._source, timing.gap_value, timing.crossfade_value, timing.bed_value, self.take,
                            self.key, self.version_of)

    # --- recordings and translations -----------------------------------------------------------
    def set_take(self, sha256: str | None) -> None:
        """Play the take ``sha256`` (None: the voice again); ``changed`` fires when it differs."""
        if sha256 == self.take:
            return
        self.take = sha256
        self._show_take()
        self.changed.emit()

    def _show_take(self) -> None:
        self.take_mark.setText("🎙 " + self.tr("Plays a recording") if self.take else "")
        self.take_mark.setToolTip(self.tr("The programme plays the take chosen in the recording booth")
                                  if self.take else "")

    def set_originals(self, choices: list[tuple[str, str]], number_of: dict[str, int]) -> None:
        """The segments this one can be a translation of: ``(key, label)``; ``number_of`` numbers every key.

        The box is filled only while the timing row shows it: filling every card's box with every other
        segment made opening (and every renumbering of) a long bulletin quadratic."""
        self._originals = choices
        if self.timing_button.isChecked():
            self._fill_originals()
        number = number_of.get(self.version_of) if self.version_of is not None else None
        self.translation_mark.setText("↳ " + self.tr("translation of segment {number}").format(number=number)
                                      if number is not None else "")
        self.translation_mark.setVisible(number is not None)
        self.translate.setVisible(self.version_of is None)

    def _fill_originals(self) -> None:
        choices, self._originals = self._originals, None
        if choices is None:
            return
        self.original.blockSignals(True)
        while self.original.count() > 1:
            self.original.removeItem(1)
        for key, label in choices:
            self.original.addItem(label, key)
        index = self.original.findData(self.version_of) if self.version_of is not None else 0
        self.original.setCurrentIndex(max(0, index))
        self.original.setEnabled(bool(choices))
        self.original.blockSignals(False)

    def set_version_of(self, key: str | None) -> None:
        if key != self.version_of:
            self.version_of = key
            self.original_changed.emit()
            self.changed.emit()

    def _on_original_chosen(self, index: int) -> None:
        self.set_version_of(self.original.itemData(index))

    def set_timing(self, segment: SegmentDraft) -> None:
        """Take ``segment``'s gap, crossfade and bed (changed on the timeline); ``changed`` fires if they differ."""
        self.timing.set_values(segment.gap, segment.crossfade, segment.bed)

    def _show_timing(self, shown: bool) -> None:
        if shown:
            self._fill_originals()
        self.timing.setVisible(shown)
        self.timing_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _on_timing_changed(self) -> None:
        self._mark_timing()
        self.changed.emit()

    def _mark_timing(self) -> None:
        font = QFont(self.timing_button.font())
        font.setBold(not self.timing.is_default())  # set apart: this segment has its own timing
        self.timing_button.setFont(font)

    # --- reacting to edits ---------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        if self.wave is not None:
            self.wave.hide()  # what was heard is not what is written any more
        self.analyser.schedule()
        self.changed.emit()

    def _on_preset_changed(self) -> None:
        self._apply_font()
        self.analyser.schedule(0)
        self.changed.emit()

    def _apply_font(self) -> None:
        """Write in the preset's font (Tai Viet, Khmer, Cham …), at the officer's chosen size."""
        self.text.setFont(preset_font(self._base_font, self.preset.preset()))

    def _show_analysis(self, result: SegmentAnalysis) -> None:
        self.analysis = result
        self.marks.set_marks(result.marks)
        self._show_font_report(result.font)
        if result.error is not None:
            self.preview_caption.setText(result.error.translated(QCoreApplication.translate))
            self.preview.hide()
        elif result.recorded:
            self.preview_caption.setText(self.tr("An announcer records this segment; no voice reads it."))
            self.preview.hide()
        else:
            caption = self.tr("The voice will read:")
            if result.marks:
                caption += " " + self.tr("(marked places in the text: {count}; point at one to see why)").format(
                    count=len(result.marks))
            self.preview_caption.setText(caption)
            self.preview.show_text(result.spoken)
            self.preview.setVisible(bool(result.spoken))
        seconds = result.seconds if result.text.strip() else None
        self.reading_time.setText(reading_time_text(seconds) if seconds is not None else "")
        if seconds != self.seconds:
            self.seconds = seconds
            self.estimate_changed.emit()

    def _show_font_report(self, report: FontReport | None) -> None:
        if report is None or report.ok:
            self.font_warning.hide()
            return
        if not report.found:
            text = self.tr("The font “{font}” is not installed on this computer; the text may show as boxes.")
            text = text.format(font=report.family)
        else:
            shown = " ".join(report.missing[:MAX_LISTED_CHARACTERS])
            if len(report.missing) > MAX_LISTED_CHARACTERS:
                shown += " …"
            text = self.tr("The font “{font}” has no letters for: {characters}. Choose the right language, "
                           "or check the text.").format(font=report.family, characters=shown)
        self.font_warning.setText(text)
        self.font_warning.show()

    def _fit_height(self) -> None:
        """Grow with the text up to a limit, so short items stay compact and long ones scroll."""
        lines = int(self.text.document().size().height())  # plain-text layouts measure in lines
        lines = min(max(lines, MIN_LINES), MAX_LINES)
        margins = self.text.contentsMargins()
        height = (lines * self.text.fontMetrics().lineSpacing() + 2 * self.text.document().documentMargin()
                  + margins.top() + margins.bottom())
        self.text.setFixedHeight(int(height))

    # --- listening -----------------------------------------------------------------------------
    def _on_listen(self) -> None:
        self.listener.toggle(self, self.segment(), self.number_value)

    def _on_listener_state(self, owner: object, state: str) -> None:
        if owner is self:
            self._show_listen_state(state)
            if state == PLAYING and self.listener.source is not None:
                self._show_wave(self.listener.source, self.listener.duration_ms)
        elif self.wave is not None:
            self.wave.hide()  # another segment is being heard: one playhead at a time

    def _on_listener_position(self, owner: object, ms: int) -> None:
        if owner is self and self.wave is not None:
            self.wave.set_position(ms)

    def _show_wave(self, path: Path, duration_ms: int) -> None:
        """The segment as heard, with its playhead: click or arrow keys to move, Space to pause or go on."""
        if self.wave is None:
            self.wave = WaveformStrip(self.studio, self.runner, self, tip=self.tr(
                "Click to hear the segment from there (arrow keys: 5 seconds, Space: pause)"))
            self.wave.seek_requested.connect(lambda ms: self.listener.play_from(self, ms))
            self.wave.toggle_requested.connect(lambda: self.listener.pause_or_go_on(self))
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(layout.indexOf(self.preview), self.wave)
        self.wave.set_audio(path, duration_ms)
        self.wave.show()

    def _show_listen_state(self, state: str) -> None:
        style = self.style()
        if state == PREPARING:
            icon, text = QStyle.StandardPixmap.SP_BrowserStop, self.tr("Preparing…")
            tip = self.tr("The voice is reading this segment; press again to cancel")
        elif state == PLAYING:
            icon, text = QStyle.StandardPixmap.SP_MediaStop, self.tr("Stop")
            tip = self.tr("Stop listening")
        else:
            icon, text = QStyle.StandardPixmap.SP_MediaPlay, self.tr("Listen")
            tip = self.tr("Hear this segment as the voice will read it")
        self.listen_state = state
        self.listen.setIcon(style.standardIcon(icon))
        self.listen.setText(text)
        self.listen.setToolTip(tip)
