"""Listening to a finished render: play/pause, stop and a position slider.

``QtMultimedia`` is loaded when the officer first presses Play, not when the window opens: probing
the sound system takes time and, on a PC without speakers or a sound server, only produces warnings
nobody needs until they want to listen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

log = logging.getLogger(__name__)


def new_media_player(parent: QObject) -> tuple[Any, Any]:
    """A QMediaPlayer with its QAudioOutput, both owned by ``parent``. QtMultimedia is imported only now:
    loading its backend costs start-up time, and many sessions never play anything."""
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    audio = QAudioOutput(parent)
    player = QMediaPlayer(parent)
    player.setAudioOutput(audio)
    return player, audio


def prepare_media() -> None:
    """Start QtMultimedia's backend now, on the GUI thread: a process's first media player loads the backend's
    plugin and FFmpeg libraries and asks for the sound server (20 ms on an idle PC, longer from a cold disk or
    while a render keeps the CPUs busy); every later one takes well under a millisecond. The studio calls this
    once its window is up and quiet (``settle_memory``), so the officer's first Listen does not pay it. Only a
    head start: a PC whose QtMultimedia cannot load gets a line in the log here, and the news at its first Listen.
    """
    try:
        import PySide6.QtMultimedia  # noqa: F401
    except ImportError:
        log.warning("QtMultimedia cannot be loaded: nothing can be played on this PC", exc_info=True)
        return
    holder = QObject()
    new_media_player(holder)
    shiboken6.delete(holder)  # with its player and audio output, at once


def seek_when_loaded(player: Any, ms: int) -> None:
    """Move ``player`` (a QMediaPlayer) to ``ms`` now, or once its file has loaded: a player still loading
    the file it was just given ignores positions."""
    from PySide6.QtMultimedia import QMediaPlayer

    status = QMediaPlayer.MediaStatus
    if player.mediaStatus() not in (status.NoMedia, status.LoadingMedia):
        player.setPosition(ms)
        return

    def on_status(new: object) -> None:
        if new in (status.LoadingMedia, status.NoMedia):
            return
        player.mediaStatusChanged.disconnect(on_status)
        if new != status.InvalidMedia:
            player.setPosition(ms)

    player.mediaStatusChanged.connect(on_status)


def clock_text(ms: int) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a position or a duration in milliseconds."""
    seconds = max(0, round(ms / 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class PlayerWidget(QWidget):
    """Plays one audio file (a render: MP3 or WAV). Disabled until :meth:`set_source` gives it something to play."""

    playing_changed = Signal(bool)
    position_changed = Signal(int)  # ms, while playing and when the position is set
    problem = Signal(str)  # translated text for the message banner

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self._duration_ms = 0
        self._player: Any = None  # QMediaPlayer, created on first play
        self._audio: Any = None
        self._seeking = False
        self._pending_seek: int | None = None  # set before the file has loaded: applied once it has

        style = self.style()
        self.play_button = QToolButton(self)
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.play_button.clicked.connect(self.toggle)
        self.stop_button = QToolButton(self)
        self.stop_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop and go back to the start"))
        self.stop_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.stop_button.clicked.connect(self.stop)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setToolTip(self.tr("Position in the recording"))
        self.slider.setAccessibleName(self.tr("Position"))
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.sliderMoved.connect(self._show_time)
        self.time = QLabel(self)
        self.time.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time)
        self._show_playing(False)
        self.set_source(None)

    @property
    def source(self) -> Path | None:
        return self._path

    def set_source(self, path: Path | None, duration_ms: int = 0) -> None:
        """Offer ``path`` for listening (None: nothing to play). Stops whatever was playing."""
        if self._player is not None:
            self._player.pause()
            self._player.setSource(QUrl())
        self._path = path
        self._pending_seek = None
        self._duration_ms = max(0, duration_ms)
        self.slider.setRange(0, self._duration_ms)
        self.slider.setValue(0)
        for widget in (self.play_button, self.stop_button, self.slider):
            widget.setEnabled(path is not None)
        self._show_time(0)
        self._show_playing(False)
        self.position_changed.emit(0)

    def toggle(self) -> None:
        """Play, or pause when playing."""
        if self._path is None:
            return
        player = self._ensure_player()
        if player is None:
            return
        if self.is_playing():
            player.pause()
            return
        if player.source().isEmpty():
            player.setSource(QUrl.fromLocalFile(str(self._path)))
            if self.slider.value():
                self._seek(self.slider.value())
        player.play()

    def stop(self) -> None:
        """Stop and rewind. Implemented as pause + seek: ``QMediaPlayer.stop()`` during playback hung or
        crashed Qt 6.12's FFmpeg backend here (repeatably on a PC without a sound device); pause does not."""
        self._pending_seek = None
        if self._player is not None:
            self._player.pause()
            self._player.setPosition(0)
        self.slider.setValue(0)
        self._show_time(0)
        self.position_changed.emit(0)

    def play_from(self, ms: int) -> None:
        """Play from ``ms`` (the timeline was clicked there), whether playing, paused or stopped."""
        if self._path is None:
            return
        player = self._ensure_player()
        if player is None:
            return
        ms = min(max(0, ms), self._duration_ms) if self._duration_ms else max(0, ms)
        if player.source().isEmpty():
            player.setSource(QUrl.fromLocalFile(str(self._path)))
        self._seek(ms)
        self.slider.setValue(ms)
        self._show_time(ms)
        self.position_changed.emit(ms)
        if not self.is_playing():
            player.play()

    def _seek(self, ms: int) -> None:
        """Go to ``ms``; a file still loading ignores positions, so the seek waits until it has loaded."""
        from PySide6.QtMultimedia import QMediaPlayer

        status = self._player.mediaStatus()
        if status in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia):
            self._pending_seek = ms
        else:
            self._player.setPosition(ms)

    def _on_media_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._pending_seek is not None:
            ms, self._pending_seek = self._pending_seek, None
            self._player.setPosition(ms)

    def is_playing(self) -> bool:
        if self._player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer

        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def position(self) -> int:
        return self._player.position() if self._player is not None else self.slider.value()

    def _ensure_player(self) -> Any:
        if self._player is not None:
            return self._player
        from PySide6.QtMultimedia import QMediaPlayer

        self._player, self._audio = new_media_player(self)
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.playbackStateChanged.connect(
            lambda state: self._show_playing(state == QMediaPlayer.PlaybackState.PlayingState))
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_media_status)
        return self._player

    def _on_position(self, ms: int) -> None:
        if self._pending_seek is not None:
            return  # the start of a file that is about to jump elsewhere
        if not self._seeking:
            self.slider.setValue(ms)
            self._show_time(ms)
        self.position_changed.emit(ms)

    def _on_duration(self, ms: int) -> None:
        if ms > 0:
            self._duration_ms = ms
            self.slider.setRange(0, ms)
            self._show_time(self.slider.value())

    def _on_error(self, _error: object, description: str) -> None:
        log.warning("playback of %s failed: %s", self._path, description)
        self.problem.emit(self.tr("The recording cannot be played: {reason}").format(reason=description))

    def _on_slider_pressed(self) -> None:
        self._seeking = True

    def _on_slider_released(self) -> None:
        self._seeking = False
        if self._player is not None:
            self._seek(self.slider.value())
        self.position_changed.emit(self.slider.value())

    def _show_time(self, ms: int) -> None:
        self.time.setText(f"{clock_text(ms)} / {clock_text(self._duration_ms)}")

    def _show_playing(self, playing: bool) -> None:
        style = self.style()
        if playing:
            self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
            self.play_button.setText(self.tr("Pause"))
            self.play_button.setToolTip(self.tr("Pause listening"))
        else:
            self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
            self.play_button.setText(self.tr("Play"))
            self.play_button.setToolTip(self.tr("Listen to the finished recording"))
        self.playing_changed.emit(playing)
