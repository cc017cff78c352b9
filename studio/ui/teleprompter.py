"""The teleprompter: the text the announcer reads, large, in the language's own font.

While a take is being recorded the text scrolls at the preset's reading speed (the estimate the editor
shows), so the line being read stays in the upper third of the screen. The announcer can scroll by hand
at any time (wheel, scroll bar, Page Up/Down): the automatic scrolling then pauses for the rest of the
take rather than fight the hand.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent, QTextOption, QWheelEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

READING_LINE = 1 / 3  # the line being read sits this far down the screen


class Teleprompter(QPlainTextEdit):
    """Read-only large text. :meth:`follow` scrolls to a fraction of the text unless the hand took over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setObjectName("teleprompter")
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setStyleSheet("#teleprompter { background: #101418; color: #f5f5f5; }")
        self.setAccessibleName(self.tr("Text to read"))
        self.auto_scroll = True
        self.by_hand = False  # the announcer scrolled during this take
        self._scrolling = False
        self.verticalScrollBar().sliderPressed.connect(self._hand)
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self._scrolling or self._hand())

    def show_text(self, text: str, font: QFont, point_size: int) -> None:
        font = QFont(font)
        font.setPointSize(point_size)
        self.setFont(font)
        self.setPlainText(text)
        self.rewind()

    def set_point_size(self, point_size: int) -> None:
        font = QFont(self.font())
        font.setPointSize(point_size)
        self.setFont(font)

    def rewind(self) -> None:
        """Back to the top for a new take; automatic scrolling follows again."""
        self.by_hand = False
        self._scroll_to(0)

    def follow(self, fraction: float) -> None:
        """Put the letter ``fraction`` (0–1) of the way through the text on the reading line: reading moves
        through the letters, and a wrapped paragraph or a blank line takes no reading time."""
        if not self.auto_scroll or self.by_hand:
            return
        document = self.document()
        position = round(min(1.0, max(0.0, fraction)) * max(0, document.characterCount() - 1))
        target = document.findBlock(position)
        layout = document.documentLayout()
        # The scroll bar counts wrapped lines; paragraphs far below are laid out only when asked for.
        line = 0
        block = document.begin()
        while block.isValid() and block.blockNumber() < target.blockNumber():
            layout.blockBoundingRect(block)
            line += max(1, block.lineCount()) if block.isVisible() else 0
            block = block.next()
        layout.blockBoundingRect(target)
        text_line = target.layout().lineForTextPosition(position - target.position())
        line += text_line.lineNumber() if text_line.isValid() else 0
        page = self.viewport().height() / max(1, self.fontMetrics().lineSpacing())
        self._scroll_to(line - round(page * READING_LINE))

    def _scroll_to(self, value: int) -> None:
        self._scrolling = True
        try:
            self.verticalScrollBar().setValue(value)
        finally:
            self._scrolling = False

    def _hand(self) -> None:
        self.by_hand = True

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._hand()
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Page Up/Down, arrows: scrolling by hand
        if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._hand()
        super().keyPressEvent(event)
