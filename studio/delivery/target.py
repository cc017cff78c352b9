"""What every delivery target receives and returns, whatever the transport.

A target (folder, sftp, ftp/ftps, http) delivers one :class:`Package` — the programme's audio file and
its sidecar — under the programme's id. Every target keeps the same promises:

* the audio goes to a temporary name derived from the content (``.<id>.<sha12>.mp3.part``), so a broken
  transfer can be *resumed* by the next attempt and never mixes two contents; it is renamed to
  ``<id>.mp3`` (or ``.wav``) only after its size and sha256 were verified at the destination;
* the sidecar ``<id>.json`` lands *last*: a controller that sees the sidecar can trust the audio;
* delivering the same content again finds it there and changes nothing (:attr:`Receipt.already_there`);
* nothing is ever written outside the target's folder, whatever the server answers;
* failures are :class:`DeliveryError` with an officer-readable message and whether a later attempt may
  succeed (:attr:`DeliveryError.retryable`), so the outbox knows whether to back off or to ask a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError
from studio.tasks import CancelToken

CONNECT_TIMEOUT = 20.0
"""Seconds to wait for a server to answer a connection or a command before the attempt counts as failed."""

CONNECTION_FAILED = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} cannot be reached: {reason}")
CONNECTION_FAILED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Check the internet connection and the controller's address. The studio will try again by itself."
)
CONNECTION_LOST = QT_TRANSLATE_NOOP(CONTEXT, "The connection to {host} was lost during the upload: {reason}")
CONNECTION_LOST_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "The studio will try again by itself and continue where the upload stopped."
)
LOGIN_FAILED = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} refused the user name or password.")
LOGIN_FAILED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Open Delivery targets, enter the right password and press “Test connection”."
)
REMOTE_FULL = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} has no space left for {name}.")
REMOTE_FULL_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Ask the controller's operator to delete old programmes. The studio will try again later."
)
REMOTE_VERIFY_FAILED = QT_TRANSLATE_NOOP(
    CONTEXT, "{name} arrived damaged on {host} ({detail}). It was not published."
)
REMOTE_VERIFY_FAILED_HINT = QT_TRANSLATE_NOOP(CONTEXT, "The studio will send it again.")
REMOTE_REFUSED = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} refused {name}: {reason}")


def temp_name(final_name: str, sha256: str) -> str:
    """The hidden name a file is uploaded under before it is complete, e.g. ``.abc.1a2b3c4d5e6f.mp3.part``:
    the same content always resumes into the same file, another content never does."""
    stem, dot, suffix = final_name.rpartition(".")
    return f".{stem}.{sha256[:12]}.{suffix}.part" if dot else f".{final_name}.{sha256[:12]}.part"


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

    @property
    def audio_temp_name(self) -> str:
        return temp_name(self.audio_name, self.sha256)


@dataclass(frozen=True)
class Receipt:
    """Where the programme landed; ``already_there`` when an identical copy was found (idempotence)."""

    location: str
    already_there: bool


class DeliveryError(StudioError):
    """A delivery that did not happen. ``retryable``: a later attempt may succeed by itself (network down,
    connection cut, remote disk full, damaged transfer); otherwise a person must act first (wrong password,
    unknown or changed host key, the server refuses the programme)."""

    def __init__(self, text: str, /, *, retryable: bool, hint: str = "", **args: object) -> None:
        self.retryable = retryable
        super().__init__(text, hint=hint, **args)


class TransferProgress(Protocol):
    """Called as bytes of the audio reach the destination: ``done`` of ``total`` (``done`` starts at the
    resumed offset, not at 0, when an earlier attempt left part of the file there)."""

    def __call__(self, done: int, total: int, /) -> None: ...


def no_transfer_progress(done: int, total: int, /) -> None:
    """A transfer progress callback that ignores reports."""


class Target(Protocol):
    def deliver(self, package: Package, *, progress: TransferProgress = no_transfer_progress,
                cancel: CancelToken | None = None) -> Receipt:
        """Deliver ``package`` (see the module's promises). Raises :class:`DeliveryError`, or
        :class:`~studio.messages.Cancelled` when ``cancel`` fires (what was sent stays for a resume)."""
        ...

    def withdraw(self, programme_id: str, *, cancel: CancelToken | None = None) -> bool:
        """Remove the programme from the destination (sidecar first, then the audio and any partial upload).
        True when something was removed, False when it was not there. Raises :class:`DeliveryError`."""
        ...

    def check(self, *, cancel: CancelToken | None = None) -> str:
        """"Test connection": connect, log in and check that the folder is writable, without delivering.
        Returns a short description of what was found (server, folder); raises :class:`DeliveryError`."""
        ...
