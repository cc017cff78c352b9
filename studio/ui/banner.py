"""The message area at the top of the window: problems and notes without modal dialogs.

A modal box would stop the officer mid-sentence; the banner says what happened in their language
and, where there is a way out (reload, keep my text), offers it as a button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

_STYLES = {
    "info": "background: #e8f1fb; border: 1px solid #9cc3ea; color: #0d3a66;",
    "warning": "background: #fff6da; border: 1px solid #e5c45c; color: #5a4300;",
    "error": "background: #fde8e8; border: 1px solid #e09a9a; color: #6b1111;",
}


class MessageBanner(QFrame):
    """A dismissable line of text with an optional action button. Hidden when there is nothing to say."""

    shown = Signal(str, str)  # level, text
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.level = ""
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._actions: list[QPushButton] = []
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setAutoRaise(True)
        self._close.setToolTip(self.tr("Hide this message"))
        self._close.clicked.connect(self.clear)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 6, 6)
        self._layout.addWidget(self._label, 1)
        self._layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def text(self) -> str:
        """What the banner currently says ("" when hidden)."""
        return "" if self.isHidden() else self._label.text()

    def show_message(self, level: str, text: str,
                     actions: tuple[tuple[str, Callable[[], None]], ...] = ()) -> None:
        """Show ``text`` (already translated); ``actions`` are (label, callback) buttons that also dismiss."""
        self._clear_actions()
        self.level = level
        self.setStyleSheet(f"#messageBanner {{ {_STYLES.get(level, _STYLES['info'])} border-radius: 4px; }}")
        self._label.setText(text)
        for label, callback in actions:
            button = QPushButton(label, self)
            button.clicked.connect(self.clear)
            button.clicked.connect(callback)
            self._layout.insertWidget(self._layout.count() - 1, button, 0, Qt.AlignmentFlag.AlignTop)
            self._actions.append(button)
        self.show()
        self.shown.emit(level, text)

    def clear(self) -> None:
        if self.isHidden():
            return
        self._clear_actions()
        self._label.clear()
        self.level = ""
        self.hide()
        self.dismissed.emit()

    def action_buttons(self) -> list[QPushButton]:
        return list(self._actions)

    def _clear_actions(self) -> None:
        for button in self._actions:
            button.hide()
            button.deleteLater()
        self._actions.clear()
