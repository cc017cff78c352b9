"""Saving the open bulletin: on request (Ctrl+S), before a render, and a moment after typing stops.

Between saves the typing goes to the local journal (:mod:`studio.journal`) within a second of each change,
so a crash or a power cut loses at most a second or two; the window offers the journal back at the next
start (:class:`JournalRecovery`).

Saves go through the runner's single database thread, one at a time. A save carries the version the
bulletin was loaded at; while one is in flight the next snapshot waits and inherits the new version,
so the officer's own quick saves never collide with each other. If someone else saved meanwhile
(:class:`~studio.store.repo.StaleBulletin`) nothing is overwritten and the text stays on screen until
the officer decides: keep theirs (reload) or keep mine (save over it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from studio.bulletin import BulletinDraft
from studio.journal import Journal
from studio.messages import StudioError
from studio.services import Studio
from studio.store.repo import StaleBulletin
from studio.ui.editor import EditorPanel
from studio.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 2000
JOURNAL_DELAY_MS = 1000  # from the first unsaved change, not from the last: steady typing is journalled too

OnSaved = Callable[[BulletinDraft], None]
OnFailed = Callable[[StudioError], None]


class SaveController(QObject):
    """Owns the open bulletin's saved/unsaved state. ``state`` is one of the ``STATES``."""

    STATES = ("clean", "dirty", "saving", "conflict", "failed")

    state_changed = Signal(str)
    saved = Signal(object)  # BulletinDraft as stored
    conflict = Signal(object)  # StaleBulletin
    problem = Signal(object)  # any other StudioError

    def __init__(self, studio: Studio, runner: TaskRunner, editor: EditorPanel, parent: QObject | None = None,
                 *, delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.editor = editor
        self.state = "clean"
        self._in_flight = False
        self._pending: BulletinDraft | None = None
        self._waiters: list[tuple[OnSaved | None, OnFailed | None]] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._autosave)
        self.journal = Journal(studio.paths.data / "unsaved")
        self.journal_timer = QTimer(self)
        self.journal_timer.setSingleShot(True)
        self.journal_timer.setInterval(JOURNAL_DELAY_MS)
        self.journal_timer.timeout.connect(self._journal_now)
        editor.edited.connect(self._on_edited)

    @property
    def busy(self) -> bool:
        return self._in_flight

    def reset(self) -> None:
        """A different bulletin was loaded into the editor: forget the old one's state."""
        self.timer.stop()
        self._set_state("clean")

    def save_now(self, on_saved: OnSaved | None = None, on_failed: OnFailed | None = None) -> None:
        """Save what is on screen; ``on_saved`` gets the stored bulletin once it (and all before it) is saved.

        When nothing changed, ``on_saved`` is called at once with the bulletin as it stands.
        """
        self.timer.stop()
        draft = self.editor.current_draft()
        if draft is None:
            return
        if not self._in_flight and not self.editor.is_dirty() and self.state != "conflict":
            self._set_state("clean")
            if on_saved is not None:
                on_saved(draft)
            return
        self._waiters.append((on_saved, on_failed))
        if self._in_flight:
            self._pending = draft
            return
        self._start(draft)

    def keep_mine(self) -> None:
        """Resolve a conflict by saving the officer's text over the other save."""
        bulletin_id = self.editor.bulletin_id
        if bulletin_id is None:
            return
        studio = self.studio
        task = self.runner.call("load version", lambda: studio.repo.load(bulletin_id).version, pool="db")
        task.succeeded.connect(self._on_version)
        task.failed.connect(self._fail)

    def _on_version(self, version: int) -> None:
        self.editor.adopt_version(version)
        self._set_state("dirty")
        self.save_now()

    def _on_edited(self) -> None:
        if self.state == "conflict":
            return  # autosave would only hit the same conflict; the banner waits for a decision
        if not self._in_flight:
            self._set_state("dirty")
        self.timer.start()
        if not self.journal_timer.isActive():
            self.journal_timer.start()

    def _journal_now(self) -> None:
        if self.editor.is_dirty():
            self._keep_locally(self.editor.current_draft())

    def _autosave(self) -> None:
        if self.state in ("conflict",) or self.editor.current_draft() is None:
            return
        self.save_now()

    def _start(self, draft: BulletinDraft) -> None:
        self._in_flight = True
        self._set_state("saving")
        studio = self.studio
        task = self.runner.call("save bulletin", lambda: studio.save_bulletin(draft), pool="db")
        task.succeeded.connect(lambda stored: self._on_saved(draft, stored))
        task.failed.connect(self._fail)

    def _keep_locally(self, draft: BulletinDraft | None) -> None:
        """Keep the text in the journal (the database has not got it yet, or cannot be reached): not even a
        crash or closing the studio loses it. Written on the journal's own thread, in order."""
        if draft is None:
            return
        journal = self.journal
        task = self.runner.call("journal", lambda: journal.keep(draft), pool="journal")
        task.failed.connect(lambda exc: log.warning("could not keep a local copy of the unsaved bulletin: %s", exc))

    def local_copy(self, draft: BulletinDraft) -> Path:
        return self.journal.path_for(draft)

    def resolve(self) -> None:
        """The conflict was settled in the editor (e.g. merged on top of the stored version)."""
        if self.state == "conflict":
            self._set_state("dirty")

    def retry(self) -> None:
        """Try again after a failed save (the window calls this when the database answers again)."""
        if self.state == "failed" and not self._in_flight:
            self._set_state("dirty")
            self.save_now()

    def _on_saved(self, sent: BulletinDraft, stored: BulletinDraft) -> None:
        self._in_flight = False
        on_screen = self.editor.current_draft()
        if self._pending is None and on_screen is not None and on_screen.content() == sent.content():
            journal = self.journal  # after any copy still being written: same thread, in order
            self.runner.call("journal", lambda: journal.forget(stored), pool="journal")
        self.editor.mark_saved(stored, sent.content())
        pending, self._pending = self._pending, None
        if pending is not None:
            if pending.id == stored.id:
                pending = replace(pending, version=stored.version)
            if pending.content() != sent.content() or pending.id != stored.id:
                self._start(pending)
                return
        self._set_state("dirty" if self.editor.is_dirty() else "clean")
        self.saved.emit(stored)
        waiters, self._waiters = self._waiters, []
        for on_saved, _on_failed in waiters:
            if on_saved is not None:
                on_saved(stored)

    def _fail(self, exc: StudioError) -> None:
        self._in_flight = False
        if not isinstance(exc, StaleBulletin):
            self._keep_locally(self._pending or self.editor.current_draft())
        self._pending = None
        if isinstance(exc, StaleBulletin):
            self._set_state("conflict")
            self.conflict.emit(exc)
        else:
            self._set_state("failed")
            self.problem.emit(exc)
        waiters, self._waiters = self._waiters, []
        for _on_saved, on_failed in waiters:
            if on_failed is not None:
                on_failed(exc)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
