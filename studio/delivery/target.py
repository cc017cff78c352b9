"""What every delivery target receives and returns, whatever the transport."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from studio.tasks import CancelToken


@dataclass(frozen=True)
class Package:
    """A programme ready to go: its audio file (MP3 or WAV) and sidecar, and the audio's size and hash for
    verification."""

    programme_id: str
    audio: Path
    sidecar: Path
    sha256: str
    size_bytes: int

    @property
    def audio_name(self) -> str:
        """``<id>.mp3`` or ``<id>.wav``: the delivered name keeps the audio file's own suffix."""
        return f"{self.programme_id}{self.audio.suffix.lower()}"

    @property
    def sidecar_name(self) -> str:
        return f"{self.programme_id}.json"


@dataclass(frozen=True)
class Receipt:
    """Where the programme landed; ``already_there`` when an identical copy was found (idempotence)."""

    location: str
    already_there: bool


class Target(Protocol):
    def deliver(self, package: Package, cancel: CancelToken | None = None) -> Receipt: ...
