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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication

from studio.log import crash_report

if TYPE_CHECKING:  # the dialog's modules load with the first crash (the handler is installed before any window)
    from studio.ui.crash_dialog import CrashDialog

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


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
        from studio.ui.crash_dialog import CrashDialog

        parent = QApplication.activeWindow()
        self.dialog = CrashDialog(report, self.log_path, parent)  # application-modal, deleted on close
        self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.show()
        self.dialog_shown.emit(self.dialog)

    def _forget_dialog(self) -> None:
        self.dialog = None
