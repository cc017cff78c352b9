"""Deliver to a folder: a local path, a mapped drive or a network share the controller reads.

The audio file (MP3 or WAV) is copied under a temporary name, flushed, verified (size and sha256 read
back from the destination) and only then renamed; the sidecar follows the same way and lands *last*, so a
controller that watches for ``<id>.json`` never sees a programme before its audio is complete. Delivering
the same programme twice finds the identical file and changes nothing.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from studio.delivery.target import Package, Receipt, TransferProgress, no_transfer_progress
from studio.fileio import claim_temp_path, replacing, sha256_of
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError, os_error
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

CHUNK = 1 << 20

FOLDER_MISSING = QT_TRANSLATE_NOOP("Messages", "The delivery folder {path} cannot be reached.")
FOLDER_MISSING_HINT = QT_TRANSLATE_NOOP(
    "Messages", "If it is a network share, check that the other computer is on and the share is connected."
)
VERIFY_FAILED = QT_TRANSLATE_NOOP(
    "Messages", "The copy of {name} in {path} is damaged (its content does not match). Nothing was published."
)


class FolderTarget:
    """A delivery target that writes ``<id>.mp3`` (or ``<id>.wav``) and ``<id>.json`` into ``folder``."""

    def __init__(self, folder: Path, *, create: bool = False) -> None:
        self.folder = folder
        self.create = create

    def _ready(self) -> None:
        if self.create:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise os_error(exc, self.folder) from exc
        if not self.folder.is_dir():
            raise StudioError(FOLDER_MISSING, hint=FOLDER_MISSING_HINT, path=self.folder)

    def check(self, *, cancel: CancelToken | None = None) -> str:
        """The folder exists and a file can be created (and removed) in it."""
        self._ready()
        probe = claim_temp_path(self.folder / "studio-test")
        probe.unlink(missing_ok=True)
        return str(self.folder)

    def withdraw(self, programme_id: str, *, cancel: CancelToken | None = None) -> bool:
        """Remove ``<id>.json`` first (a controller stops seeing the programme), then its audio."""
        self._ready()
        removed = False
        for name in (f"{programme_id}.json", f"{programme_id}.mp3", f"{programme_id}.wav"):
            try:
                os.unlink(self.folder / name)
                removed = True
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise os_error(exc, self.folder / name) from exc
        self._tidy(programme_id)
        return removed

    def deliver(self, package: Package, *, progress: TransferProgress = no_transfer_progress,
                cancel: CancelToken | None = None) -> Receipt:
        cancel = cancel or CancelToken()
        self._ready()
        final_audio = self.folder / package.audio_name
        final_json = self.folder / package.sidecar_name
        audio_there = _same(final_audio, package.size_bytes, package.sha256)
        json_there = final_json.is_file() and final_json.read_bytes() == package.sidecar.read_bytes()
        if audio_there and json_there:
            self._tidy(package.programme_id)
            progress(package.size_bytes, package.size_bytes)
            return Receipt(str(final_audio), already_there=True)
        if not audio_there:
            self._copy_verified(package.audio, final_audio, package.size_bytes, package.sha256, cancel, progress,
                                unpublish=final_json)
        sidecar_size = package.sidecar.stat().st_size
        self._copy_verified(package.sidecar, final_json, sidecar_size, sha256_of(package.sidecar), cancel)
        self._tidy(package.programme_id)
        progress(package.size_bytes, package.size_bytes)
        return Receipt(str(final_audio), already_there=False)

    def _copy_verified(self, source: Path, final: Path, size: int, sha256: str, cancel: CancelToken,
                       progress: TransferProgress = no_transfer_progress, *, unpublish: Path | None = None) -> None:
        """Copy under a temporary name, verify, then rename over ``final``; ``unpublish`` (an older version's
        sidecar, which must never describe the new audio) goes just before the rename."""
        with replacing(final) as tmp:
            with tmp.open("wb") as out, source.open("rb") as src:
                done = 0
                while chunk := src.read(CHUNK):
                    cancel.raise_if_cancelled()
                    out.write(chunk)
                    done += len(chunk)
                    progress(done, size)
            if not _same(tmp, size, sha256):
                raise StudioError(VERIFY_FAILED, name=final.name, path=self.folder)
            if unpublish is not None:
                unpublish.unlink(missing_ok=True)

    def _tidy(self, programme_id: str) -> None:
        """Remove partial copies of the programme that an attempt cut off by a crash or a power cut left
        (hidden ``.<id>.mp3.<random>.part`` files, which no controller reads but which fill the share)."""
        partial = re.compile(rf"\.{re.escape(programme_id)}\.(mp3|wav|json)\.[0-9a-f]{{8}}\.part")
        try:
            for entry in os.scandir(self.folder):
                if partial.fullmatch(entry.name):
                    os.unlink(entry.path)
        except OSError as exc:  # untidy is not undelivered
            log.warning("cannot remove partial copies of %s in %s: %s", programme_id, self.folder, exc)


def _same(path: Path, size: int, sha256: str) -> bool:
    try:
        return path.is_file() and path.stat().st_size == size and sha256_of(path) == sha256
    except OSError:
        return False
