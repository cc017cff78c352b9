"""Listening to one segment before the whole bulletin is made: synthesise it, then play it.

One segment is heard at a time, so the editor shares one :class:`SegmentListener` between its cards.
Synthesis runs in the task runner (:meth:`~studio.services.Studio.speak_segment`, the same cache and
fallbacks as a render); the WAV plays through a ``QMediaPlayer`` created on first use, as in the
player, so opening the window never probes the sound system.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal

from studio.bulletin import SegmentDraft
from studio.messages import Notice, StudioError
from studio.services import SegmentPreview, Studio
from studio.ui.player import new_media_player
from studio.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

IDLE, PREPARING, PLAYING = "idle", "preparing", "playing"


class SegmentListener(QObject):
    """Reads one segment aloud at a time. ``owner`` is whatever asked (a segment card)."""

    state_changed = Signal(object, str)  # owner, IDLE | PREPARING | PLAYING
    failed = Signal(object)  # StudioError (nothing to read, record-only language, no voice reachable)
    notices = Signal(object)  # tuple[Notice, ...], e.g. the offline voice took over
    problem = Signal(str)  # playback failed; translated text
    position_changed = Signal(object, int)  # owner, ms: the playhead while the owner's segment plays

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.owner: object | None = None
        self.state = IDLE
        self.source: Path | None = None
        self.duration_ms = 0
        self._task: Task | None = None
        self._player: Any = None
        self._audio: Any = None

    def state_of(self, owner: object) -> str:
        return self.state if owner is self.owner else IDLE

    def toggle(self, owner: object, segment: SegmentDraft, number: int) -> None:
        """Start listening to ``segment``; pressed again while busy, stop (cancel or stop playing)."""
        if owner is self.owner and self.state != IDLE:
            self.stop()
            return
        self.stop()
        self.owner = owner
        self._set_state(PREPARING)
        studio = self.studio
        task = self.runner.run("listen to segment", lambda progress, cancel: studio.speak_segment(
            segment, progress=progress, cancel=cancel))
        self._task = task
        task.succeeded.connect(lambda preview: self._on_spoken(task, preview, number))
        task.failed.connect(lambda exc: self._on_failed(task, exc))
        task.cancelled.connect(lambda: self._on_cancelled(task))
        task.crashed.connect(lambda _exc_info: self._on_cancelled(task))

    def stop(self) -> None:
        """Cancel the synthesis or stop playing; nothing is left running."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._player is not None and self.state == PLAYING:
            self._player.pause()
        self._set_state(IDLE)

    def release(self, owner: object) -> None:
        """``owner`` is going away: stop whatever it started."""
        if owner is self.owner:
            self.stop()
            self.owner = None

    def _on_spoken(self, task: Task, preview: SegmentPreview, number: int) -> None:
        if task is not self._task:
            return  # cancelled meanwhile
        self._task = None
        if preview.notices:
            self.notices.emit(tuple(_renumbered(n, number) for n in preview.notices))
        self.source, self.duration_ms = preview.path, round(preview.duration * 1000)
        player = self._ensure_player()
        player.setSource(QUrl())  # the same segment again: make the player read the new file
        player.setSource(QUrl.fromLocalFile(str(preview.path)))
        player.setPosition(0)
        player.play()

    def _on_failed(self, task: Task, exc: StudioError) -> None:
        if task is self._task:
            self._task = None
            self._set_state(IDLE)
            self.failed.emit(exc)

    def _on_cancelled(self, task: Task) -> None:
        if task is self._task:
            self._task = None
            self._set_state(IDLE)

    def play_from(self, owner: object, ms: int) -> None:
        """Play ``owner``'s segment, as last heard, from ``ms`` (its waveform was clicked)."""
        if owner is not self.owner or self.source is None or self._task is not None:
            return
        player = self._ensure_player()
        player.setPosition(max(0, min(ms, self.duration_ms)))
        player.play()

    def pause_or_go_on(self, owner: object) -> None:
        """Space on ``owner``'s waveform: pause (the playhead stays), or play on from it."""
        if owner is not self.owner or self.source is None or self._player is None:
            return
        if self.state == PLAYING:
            self._player.pause()
        else:
            self._player.play()

    def _ensure_player(self) -> Any:
        if self._player is None:
            self._player, self._audio = new_media_player(self)
            self._player.positionChanged.connect(lambda ms: self.position_changed.emit(self.owner, ms))
            self._player.playbackStateChanged.connect(self._on_playback_state)
            self._player.errorOccurred.connect(self._on_error)
        return self._player

    def _on_playback_state(self, state: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if state == QMediaPlayer.PlaybackState.PlayingState:
            if self._task is None and self.owner is not None:
                self._set_state(PLAYING)
        elif self.state == PLAYING:
            self._set_state(IDLE)

    def _on_error(self, _error: object, description: str) -> None:
        log.warning("playback of %s failed: %s", self.source, description)
        self._set_state(IDLE)
        self.problem.emit(self.tr("The segment cannot be played: {reason}").format(reason=description))

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(self.owner, state)


def _renumbered(notice: Notice, number: int) -> Notice:
    """A notice about "segment 1" (the only one synthesised) names the card's own number."""
    if "number" not in notice.args:
        return notice
    return replace(notice, args={**notice.args, "number": str(number)})
