"""The crash dialog: a bug must never look like the officer's fault, and must be easy to report.

Anything that is not a :class:`~studio.messages.StudioError` is a bug. The handler logs it, then shows
what happened in plain words with the technical details ready to copy and the log file's location,
instead of a console traceback the officer never sees.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.log import crash_report

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashDialog(QDialog):
    """Explains that something went wrong, with copyable details and the log file path."""

    def __init__(self, report: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("The studio ran into a problem"))
        self.setMinimumSize(620, 420)
        intro = QLabel(self.tr(
            "Something went wrong inside the studio. This is a fault in the program, not something you did.\n"
            "Work that was saved is safe. Please copy the details below and send them to the person who "
            "looks after this computer or the studio."), self)
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(report, self)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        where = QLabel(self.tr("Log file: {path}").format(path=log_path or "-"), self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        if log_path is not None:
            folder = QPushButton(self.tr("Open log folder"), self)
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
            folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent))))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(where)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("Copied"))


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook``; shows one dialog at a time."""

    dialog_shown = Signal(object)  # CrashDialog
    _posted = Signal(object, object, object)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: CrashDialog | None = None
        self._previous: tuple[object, object] | None = None
        self._posted.connect(self.show_crash)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def handle(self, exc_type: type[BaseException], exc: BaseException | None,
               tb: TracebackType | None) -> None:
        """Log the exception and show the dialog on the GUI thread (posted there from other threads)."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))  # type: ignore[arg-type]
        app = QApplication.instance()
        if app is None:
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        if QThread.currentThread() is app.thread():
            self.show_crash(exc_type, exc, tb)
        else:
            self._posted.emit(exc_type, exc, tb)

    def show_exc_info(self, exc_info: ExcInfo) -> None:
        """For the task runner: a worker's unexpected exception (already logged by the worker)."""
        self.show_crash(*exc_info)

    def show_crash(self, exc_type: type[BaseException], exc: BaseException | None,
                   tb: TracebackType | None) -> None:
        report = crash_report(exc_type, exc or exc_type(), tb, self.log_path)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n" + "-" * 60 + "\n" + report)
            return
        parent = QApplication.activeWindow()
        self.dialog = CrashDialog(report, self.log_path, parent)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.show()
        self.dialog_shown.emit(self.dialog)

    def _forget_dialog(self) -> None:
        self.dialog = None
