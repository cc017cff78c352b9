"""The studio's log in the window (Help → Studio log), for the installer who helps over the phone.

Shows the newest part of ``<logs>/studio.log`` (read in the background: the file may be a megabyte),
with the warnings and errors picked out, a Copy button for a message or chat, and the folder to attach the
files from. Nothing here changes the log.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.log import LOG_FILE_NAME
from studio.ui.tasks import TaskRunner

TAIL_BYTES = 256 * 1024
PROBLEM_LEVELS = (" WARNING ", " ERROR ", " CRITICAL ")


def read_tail(path: Path, limit: int = TAIL_BYTES) -> str:
    """The last ``limit`` bytes of the log, from the first whole line ("" when there is no log yet)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            data = handle.read()
    except FileNotFoundError:
        return ""
    text = data.decode("utf-8", errors="replace")
    if size > limit and "\n" in text:
        text = text.split("\n", 1)[1]
    return text


class LogDialog(QDialog):
    def __init__(self, log_dir: Path, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = log_dir / LOG_FILE_NAME
        self.runner = runner
        self.text = ""
        self.setWindowTitle(self.tr("Studio log"))
        self.resize(980, 620)
        self.where = QLabel(self.tr("Log file: {path}").format(path=self.path), self)
        self.where.setWordWrap(True)
        self.problems_only = QCheckBox(self.tr("Only warnings and errors"), self)
        self.problems_only.toggled.connect(lambda _on: self._show())
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        fixed = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setFont(fixed)
        reload = QPushButton(self.tr("Reload"), self)
        reload.clicked.connect(self.reload)
        copy = QPushButton(self.tr("Copy"), self)
        copy.setToolTip(self.tr("Copy what is shown, to paste into a message to the installer"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.view.toPlainText()))
        folder = QPushButton(self.tr("Open the log folder"), self)
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir))))
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (reload, copy, folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        path = self.path
        task = self.runner.call("read log", lambda: read_tail(path), pool="text")
        task.succeeded.connect(self._loaded)

    def _loaded(self, text: str) -> None:
        self.text = text
        self._show()

    def _show(self) -> None:
        lines = self.text.splitlines()
        if self.problems_only.isChecked():
            lines = [line for line in lines if any(level in line for level in PROBLEM_LEVELS)]
        self.view.setPlainText("\n".join(lines) if lines else self.tr("(The log is empty.)"))
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines
