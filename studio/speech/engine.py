"""The protocol every speech engine implements, so the renderer does not care which one speaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from studio.audio.pcm import Pcm
from studio.tasks import CancelToken


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers. ``id`` is what :class:`VoiceParams.voice` takes."""

    id: str
    name: str
    language: str  # BCP 47, e.g. "vi-VN"
    gender: str = ""


@dataclass(frozen=True)
class VoiceParams:
    """How to speak. ``rate`` and ``volume`` are percent changes (-50 … +100), ``pitch`` in Hz (-50 … +50)."""

    voice: str
    rate: int = 0
    pitch: int = 0
    volume: int = 0


class SpeechEngine(Protocol):
    """Turns one piece of already-normalised text into audio.

    Implementations raise :class:`studio.messages.StudioError` for problems the user can act on
    (no voice, nothing speakable, network down) and honour ``cancel`` between chunks.
    """

    @property
    def engine_id(self) -> str: ...

    def version(self) -> str: ...

    def voices(self) -> list[VoiceInfo]: ...

    def synthesize(self, text: str, params: VoiceParams, cancel: CancelToken | None = None) -> Pcm: ...
