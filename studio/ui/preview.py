"""What the voice will say for a segment, and where the officer's text needs a second look.

While the officer types, :class:`TextAnalyser` waits until typing stops, then runs the render's own text
pipeline (:meth:`~studio.services.Studio.prepare`) in the task runner's ``text`` pool — a 20 000-character
segment takes tens of milliseconds, too long for the GUI thread on every keystroke. The result carries
the spoken text, the reading time, the font check and the spans to mark, in the officer's own offsets.
:class:`IssueMarks` paints those spans and keeps them in place while typing continues, and
:class:`IssueTooltips` explains each one in the officer's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QTextEdit, QToolTip, QWidget

from studio.bulletin import SegmentDraft
from studio.messages import StudioError
from studio.render import check_segment_length
from studio.services import Studio
from studio.text.fonts import FontReport, check_text_font
from studio.text.offsets import TrackedText
from studio.ui.tasks import TaskRunner

PREVIEW_DELAY_MS = 300
PREVIEW_MAX_LINES = 5
CONTEXT = "SegmentIssues"

UNREADABLE = "unreadable"
PAUSE_MALFORMED = "pause-malformed"
PAUSE_CLAMPED = "pause-clamped"

def issue_tip(code: str, detail: str) -> str:
    """The tooltip over a marked span: what the voice will do there and how to fix it."""
    translate = QCoreApplication.translate
    if code == PAUSE_MALFORMED:
        return translate(CONTEXT, "The studio does not understand this pause, so it is left out and not read. "
                                  "Write it like this: [nghỉ 2 giây] or [nghỉ 500ms].")
    if code == PAUSE_CLAMPED:
        return translate(CONTEXT, "This pause ({seconds} s) is too long; the voice pauses 30 seconds at most."
                         ).format(seconds=detail)
    if detail == "foreign":
        return translate(CONTEXT, "Letters the voice cannot read (not Vietnamese). Write the word the way it is "
                                  "pronounced in Vietnamese.")
    if detail == "symbol":
        return translate(CONTEXT, "The voice will skip or misread this symbol. Write it out in words.")
    if detail == "abbreviation":
        return translate(CONTEXT, "Unknown abbreviation: the voice will spell it out or garble it. Write it in "
                                  "full, or add it to the station's pronunciation list.")
    if detail == "url":
        return translate(CONTEXT, "A web address is hard to read aloud. Write it the way the announcer should "
                                  "say it.")
    if detail == "email":
        return translate(CONTEXT, "An e-mail address is hard to read aloud. Write it the way the announcer "
                                  "should say it.")
    return translate(CONTEXT, "The voice will probably misread this.")


@dataclass(frozen=True)
class Mark:
    """A span of the officer's text to highlight: ``code`` as in TextWarning, ``detail`` its detail."""

    start: int
    end: int
    code: str
    detail: str = ""


@dataclass(frozen=True)
class SegmentAnalysis:
    """Everything the card shows about one state of a segment's text (computed off the GUI thread)."""

    text: str  # exactly as in the editor
    preset_id: str
    spoken: str = ""
    marks: tuple[Mark, ...] = ()
    seconds: float | None = None
    font: FontReport | None = None
    error: StudioError | None = None
    recorded: bool = False


def analyse_segment(studio: Studio, text: str, preset_id: str) -> SegmentAnalysis:
    """Prepare ``text`` as the render would, and map every warning back onto ``text`` as typed."""
    segment = SegmentDraft(text, preset_id)
    try:
        check_segment_length(segment.text)  # the render refuses it: say so now, without preparing megabytes
        preset = studio.preset_for(segment)
        prepared = studio.prepare(segment)
        seconds = studio.estimate_seconds(segment)
    except StudioError as exc:
        return SegmentAnalysis(text, preset_id, error=exc)
    recorded = not preset.synthesised
    # The stored text is NFC; the editor may hold decomposed input (pasted from a PDF): map back.
    span = TrackedText.original(text).span if segment.text != text else (lambda s, e: (s, e))
    marks = tuple(Mark(*span(w.start, w.end), w.code, w.detail) for w in prepared.warnings
                  if not (recorded and w.code == UNREADABLE))
    return SegmentAnalysis(text, preset_id, "" if recorded else prepared.spoken_text, marks, seconds,
                           check_text_font(segment.text, preset), None, recorded)


class TextAnalyser(QObject):
    """Re-analyses a segment a moment after its text or preset last changed; ``analysed`` has the result.

    ``source`` returns the current ``(text, preset_id)``. A result for text that has changed since is
    dropped: another analysis is already scheduled.
    """

    analysed = Signal(object)  # SegmentAnalysis

    def __init__(self, studio: Studio, runner: TaskRunner, source: Callable[[], tuple[str, str]],
                 parent: QObject | None = None, *, delay_ms: int = PREVIEW_DELAY_MS) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.source = source
        self.delay_ms = delay_ms
        self.pending = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._start)

    def schedule(self, delay_ms: int | None = None) -> None:
        self.timer.start(self.delay_ms if delay_ms is None else delay_ms)

    @property
    def busy(self) -> bool:
        return self.timer.isActive() or self.pending > 0

    def _start(self) -> None:
        text, preset_id = self.source()
        studio = self.studio
        self.pending += 1
        task = self.runner.call("check segment text", lambda: analyse_segment(studio, text, preset_id),
                                pool="text")
        task.succeeded.connect(self._on_result)
        task.done.connect(self._on_done)

    def _on_done(self) -> None:
        self.pending -= 1

    def _on_result(self, result: SegmentAnalysis) -> None:
        if (result.text, result.preset_id) == self.source():
            self.analysed.emit(result)


def _formats() -> dict[str, QTextCharFormat]:
    unreadable = QTextCharFormat()
    unreadable.setBackground(QColor("#fbd5d5"))
    unreadable.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    unreadable.setUnderlineColor(QColor("#c62828"))
    malformed = QTextCharFormat()
    malformed.setBackground(QColor("#ffe0b2"))
    malformed.setFontStrikeOut(True)
    clamped = QTextCharFormat()
    clamped.setBackground(QColor("#ffe0b2"))
    clamped.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    clamped.setUnderlineColor(QColor("#e65100"))
    return {UNREADABLE: unreadable, PAUSE_MALFORMED: malformed, PAUSE_CLAMPED: clamped}


class IssueMarks(QObject):
    """Marks unreadable tokens and bad pause markup in the officer's text, as the editor's extra selections.

    Extra selections, unlike a ``QSyntaxHighlighter``, leave the document alone: painting a mark is not
    an edit (no ``textChanged``, nothing to autosave). Each mark holds a ``QTextCursor``, so it moves
    with the text while the officer keeps typing, until the next analysis replaces them all.
    """

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self._formats = _formats()
        self._marks: list[tuple[QTextCursor, str, str]] = []

    @property
    def marks(self) -> list[Mark]:
        """The marks where they are now (a mark whose text was deleted is gone)."""
        return [Mark(c.selectionStart(), c.selectionEnd(), code, detail) for c, code, detail in self._marks
                if c.hasSelection()]

    def set_marks(self, marks: tuple[Mark, ...] | list[Mark]) -> None:
        if sorted(marks, key=lambda m: (m.start, m.end)) == self.marks:
            return
        document = self._editor.document()
        length = document.characterCount() - 1
        self._marks = []
        selections = []
        for mark in sorted(marks, key=lambda m: (m.start, m.end)):
            if not 0 <= mark.start < mark.end <= length:
                continue
            cursor = QTextCursor(document)
            cursor.setPosition(mark.start)
            cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.setKeepPositionOnInsert(True)  # typing right after a mark does not stretch it
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = self._formats[mark.code]
            selections.append(selection)
            self._marks.append((cursor, mark.code, mark.detail))
        self._editor.setExtraSelections(selections)

    def mark_at(self, position: int) -> Mark | None:
        return next((m for m in self.marks if m.start <= position < m.end), None)


class IssueTooltips(QObject):
    """Shows :func:`issue_tip` when the mouse rests on a marked span of ``editor``."""

    def __init__(self, editor: QPlainTextEdit, marks: IssueMarks) -> None:
        super().__init__(editor)
        self._editor = editor
        self._marks = marks
        editor.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cursor = self._editor.cursorForPosition(event.pos())
            mark = self._marks.mark_at(cursor.position())
            if mark is None and cursor.position() > 0:
                mark = self._marks.mark_at(cursor.position() - 1)
            if mark is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), issue_tip(mark.code, mark.detail), self._editor.viewport())
            return True
        return super().eventFilter(watched, event)


class SpokenPreview(QPlainTextEdit):
    """The spoken form of a segment, read-only, smaller and quieter than the officer's own text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTabChangesFocus(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        font.setItalic(True)
        self.setFont(font)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        self.setPalette(palette)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    @property
    def text(self) -> str:
        return self.toPlainText()

    def show_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)

    def _fit_height(self) -> None:
        wanted = max(int(self.document().size().height()), 1)
        lines = min(wanted, PREVIEW_MAX_LINES)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if wanted > lines
                                        else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        margins = self.contentsMargins()
        height = (lines * self.fontMetrics().lineSpacing() + 2 * self.document().documentMargin()
                  + margins.top() + margins.bottom())
        self.setFixedHeight(int(height))
