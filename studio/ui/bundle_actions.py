"""Bulletin → "Export to file…" and "Import from file…": moving a bulletin between PCs in a ``.bantin`` file.

Both run in the task runner (the window never waits): an export saves what is on screen first, then writes the
file in the background; an import checks the file in the background (``work``), then stores it on the database
thread (``db``), opens the new draft and says what happened in the banner. A ``.bantin`` file dropped on the
window is imported the same way. The core is :mod:`studio.bundle.transfer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from studio.bulletin import BulletinDraft
from studio.bundle.manifest import SUFFIX, size_text
from studio.bundle.transfer import (
    ExportResult,
    ImportResult,
    StagedImport,
    export_bundle,
    finish_import,
    stage_import,
    use_station_jingles,
)
from studio.ui.i18n import qt_translate
from studio.ui.tasks import Task

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')  # what Windows refuses in a file name


def file_name_for(title: str) -> str:
    """A file name from a bulletin's title that every system accepts (Vietnamese letters are kept)."""
    name = " ".join(_NOT_IN_FILE_NAMES.sub(" ", title).split()).strip(". ")[:80].strip()
    return (name or "bulletin") + SUFFIX


def bundle_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local ``.bantin`` files a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIX)]


class BundleActions(QObject):
    """The two menu actions and the work behind them, for one main window."""

    exported = Signal(object)  # ExportResult
    imported = Signal(object)  # ImportResult

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.export_action = QAction(self.tr("Export to file…"), window)
        self.export_action.setToolTip(self.tr(
            "Save the bulletin with its recordings and jingles in one file, to continue on another PC"))
        self.export_action.triggered.connect(lambda: self.export_bulletin())
        self.import_action = QAction(self.tr("Import from file…"), window)
        self.import_action.setToolTip(self.tr("Add a bulletin exported on another PC, as a new draft"))
        self.import_action.triggered.connect(lambda: self.import_file())
        self._pending: tuple[int, str, str, tuple[tuple[str, Callable[[], None]], ...]] | None = None
        window.bulletin_loaded.connect(self._show_pending)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # --- export --------------------------------------------------------------------------------
    def export_bulletin(self, path: Path | None = None) -> None:
        """Save the open bulletin, then write it to ``path`` (asked with a save dialog when None)."""
        window = self.window
        if window.editor.bulletin_id is None:
            window.banner.show_message("warning", self.tr("Open a bulletin first, then export it."))
            return
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggested = str(Path(folder or Path.home()) / file_name_for(window.editor.title.text()))
            name, _ = QFileDialog.getSaveFileName(window, self.tr("Export the bulletin to a file"), suggested,
                                                  self.tr("Bulletin files (*.bantin)"))
            if not name:
                return
            path = Path(name)
        chosen = path
        window.saver.save_now(on_saved=lambda stored: self._export(stored, chosen))

    def _export(self, stored: BulletinDraft, path: Path) -> Task | None:
        if stored.id is None:
            return None
        studio, bulletin_id = self.window.studio, stored.id
        task = self.window.runner.run("export bundle", lambda progress, cancel: export_bundle(
            studio, bulletin_id, path, progress=progress, cancel=cancel))
        task.succeeded.connect(self._exported)
        task.failed.connect(self.window.show_error)
        task.cancelled.connect(lambda: self.window.statusBar().showMessage(
            self.tr("Cancelled. No file was written."), 8000))
        return task

    def _exported(self, result: ExportResult) -> None:
        self.window.statusBar().showMessage(self.tr("“{title}” was exported to {path} ({size}).").format(
            title=result.title, path=result.path, size=size_text(result.size)), 15000)
        self.exported.emit(result)

    # --- import --------------------------------------------------------------------------------
    def import_file(self, path: Path | None = None) -> Task | None:
        """Check and import the bulletin file ``path`` (asked with an open dialog when None)."""
        window = self.window
        if path is None:
            name, _ = QFileDialog.getOpenFileName(window, self.tr("Import a bulletin file"), "",
                                                  self.tr("Bulletin files (*.bantin)"))
            if not name:
                return None
            path = Path(name)
        studio, source = window.studio, path.expanduser().absolute()
        task = window.runner.run("import bundle", lambda progress, cancel: stage_import(
            studio, source, progress=progress, cancel=cancel))
        task.succeeded.connect(self._store)
        task.failed.connect(window.show_error)
        task.cancelled.connect(lambda: window.statusBar().showMessage(
            self.tr("Cancelled. Nothing was imported."), 8000))
        return task

    def _store(self, staged: StagedImport) -> None:
        studio = self.window.studio

        def store() -> ImportResult:
            try:
                return finish_import(studio, staged)
            finally:
                staged.discard()

        task = self.window.runner.call("store imported bulletin", store, pool="db")
        task.succeeded.connect(self._imported)
        task.failed.connect(self.window.show_error)

    def _imported(self, result: ImportResult) -> None:
        window, draft = self.window, result.bulletin
        assert draft.id is not None
        lines = [] if result.already else [self.tr(
            "“{title}” was imported as bulletin No. {number}: a draft, to review and approve on this PC.").format(
            title=draft.title, number=draft.id)]
        lines += [notice.translated(qt_translate) for notice in result.notices]
        actions: tuple[tuple[str, Callable[[], None]], ...] = ()
        if result.jingles_differ:
            actions = ((self.tr("Use its jingles for this station"), lambda: self.use_jingles(result)),)
        level = "warning" if result.jingles_differ or len(lines) > 1 else "info"
        window.statusBar().showMessage(lines[0], 15000)
        self._pending = (draft.id, level, "\n".join(lines), actions)
        if window.editor.bulletin_id == draft.id:
            self._show_pending(draft)
        else:  # opening it clears the banner: the message follows once it is open
            window.show_library("")
            window.library.refresh(select_id=draft.id)
        self.imported.emit(result)

    def _show_pending(self, draft: object) -> None:
        pending = self._pending
        if pending is None or getattr(draft, "id", None) != pending[0]:
            return
        self._pending = None
        _bulletin_id, level, text, actions = pending
        self.window.banner.show_message(level, text, actions)

    def use_jingles(self, result: ImportResult) -> Task:
        """Make the imported bulletin's jingles this station's (the officer's choice in the banner)."""
        studio, window = self.window.studio, self.window
        task = window.runner.call("use imported jingles", lambda: use_station_jingles(
            studio, result.jingles, result.bed_kinds), pool="db")
        task.succeeded.connect(lambda _station: window.statusBar().showMessage(
            self.tr("The station now plays the jingles the bulletin was made with."), 10000))
        task.succeeded.connect(lambda _station: window._recheck_render())  # jingles shape the sound
        task.failed.connect(window.show_error)
        return task

    # --- drag and drop -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and isinstance(event, (QDragEnterEvent, QDropEvent)):
            files = bundle_files(event)
            if files:
                event.acceptProposedAction()
                if event.type() == QEvent.Type.Drop:
                    for path in files:
                        self.import_file(path)
                return True
        return super().eventFilter(watched, event)
