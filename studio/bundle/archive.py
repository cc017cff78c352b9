"""The zip container of a bulletin file: written atomically, opened and read as untrusted input.

Writing goes to a hidden temporary file that is renamed over the final name only when complete
(:func:`studio.fileio.replacing`): a full disk or a cancel leaves no half file. Each member is streamed from the
media library and hashed on the way; a library file that no longer matches its recorded sha256 stops the export.

Reading checks the container before the manifest and the manifest before any member: the file's size, the zip
signature, every entry's name (no absolute path, ``..``, backslash, drive letter or symlink), no encrypted or
exotically compressed entry, no duplicate, then the manifest (:func:`~studio.bundle.manifest.parse_manifest`),
then that the entries are exactly the listed members with the listed sizes. Members are extracted into a
folder of the caller's under names of the studio's choosing, read 1 MiB at a time and never beyond their
declared size, and their sha256 is checked: a zip bomb ends at its declared size, which the limits bound.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from studio.bundle.manifest import (
    DEFAULT_LIMITS,
    MANIFEST_NAME,
    NOT_A_BUNDLE,
    NOT_A_BUNDLE_HINT,
    BundleError,
    Limits,
    Manifest,
    damaged,
    is_safe_name,
    too_large,
    unsafe,
)
from studio.bundle.validate import parse_manifest
from studio.fileio import replacing
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError, os_error
from studio.tasks import CancelToken, ProgressCallback, no_progress

log = logging.getLogger(__name__)

CHUNK = 1 << 20
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or the end record of an empty zip
WRITING = QT_TRANSLATE_NOOP("Progress", "Writing the bulletin file")
CHECKING = QT_TRANSLATE_NOOP("Progress", "Checking the bulletin file")

UNREADABLE = QT_TRANSLATE_NOOP(CONTEXT, "The file {path} cannot be opened: {reason}")
MEDIA_DAMAGED = QT_TRANSLATE_NOOP(
    CONTEXT, "The audio file {path} in the studio's library is missing or damaged; the bulletin file was not written.")
MEDIA_DAMAGED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Choose another take for that segment (or record it again, or import the jingle again), then export "
    "again.")

# What zipfile raises on a damaged container, besides BadZipFile.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, struct.error, ValueError,
               NotImplementedError, OverflowError, IndexError, KeyError)


def _stamp(created_at: str) -> tuple[int, int, int, int, int, int]:
    try:
        when = datetime.fromisoformat(created_at).astimezone(UTC)
    except ValueError:
        when = datetime.now(UTC)
    return (max(1980, when.year), when.month, when.day, when.hour, when.minute, when.second)


def write_bundle(path: Path, manifest: Manifest, sources: Mapping[str, Path], *,
                 progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> int:
    """Write ``manifest`` and its members (``sources`` maps each member's path to a file) to ``path``, atomically;
    returns the file's size. A source that is missing or no longer matches its listed size and sha256 raises
    :data:`MEDIA_DAMAGED`; a full disk the studio's disk-full message. ``path`` is untouched on any failure."""
    stamp = _stamp(manifest.created_at)
    total, done = max(1, manifest.total_bytes), 0
    progress(0.0, WRITING)
    with replacing(path) as temp, zipfile.ZipFile(temp, "w", allowZip64=True) as archive:
        for member in manifest.members:
            source = sources[member.path]
            info = zipfile.ZipInfo(member.path, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED  # audio does not shrink; storing is fast
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.file_size = member.size
            try:
                handle = source.open("rb")
            except OSError as exc:
                raise StudioError(MEDIA_DAMAGED, hint=MEDIA_DAMAGED_HINT, path=source) from exc
            digest, size = hashlib.sha256(), 0
            with handle, archive.open(info, "w") as out:
                while chunk := handle.read(CHUNK):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    size += len(chunk)
                    if size > member.size:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    progress(min(0.99, done / total), WRITING)
            if size != member.size or digest.hexdigest() != member.sha256:
                log.error("media file %s changed: %d bytes, sha256 %s", source, size, digest.hexdigest())
                raise StudioError(MEDIA_DAMAGED, hint=MEDIA_DAMAGED_HINT, path=source)
        info = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        archive.writestr(info, manifest.to_bytes())
    progress(1.0, WRITING)
    return path.stat().st_size


@dataclass
class OpenedBundle:
    """A bulletin file whose container and manifest passed every check; :meth:`extract` its members."""

    path: Path
    manifest: Manifest
    archive: zipfile.ZipFile

    @property
    def name(self) -> str:
        return self.path.name

    def extract(self, folder: Path, *, progress: ProgressCallback = no_progress,
                cancel: CancelToken | None = None) -> dict[str, Path]:
        """Copy every member into ``folder`` (named ``<n><suffix>``, never by the zip's names), checking size
        and sha256; returns each member's path in the zip → its file. Raises :class:`BundleError` (damaged)."""
        manifest = self.manifest
        free = _free_space(folder)
        if free is not None and free < manifest.total_bytes + CHUNK:
            raise os_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), folder)
        total, done = max(1, manifest.total_bytes), 0
        files: dict[str, Path] = {}
        progress(0.0, CHECKING)
        for number, member in enumerate(manifest.members):
            target = folder / f"{number:05d}{member.suffix}"
            digest, size = hashlib.sha256(), 0
            try:
                source = self.archive.open(member.path)
            except _ZIP_ERRORS as exc:
                raise damaged(self.name, "corrupt", f"{member.path}: {exc}") from None
            except OSError as exc:
                raise _bad_offset(exc, self.name, member.path, self.path) from None
            with source, _create(target) as out:
                while True:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    chunk = self._read(source, member.path)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > member.size:
                        raise damaged(self.name, "size", f"{member.path} is longer than {member.size} bytes")
                    digest.update(chunk)
                    _write(out, chunk, target)
                    done += len(chunk)
                    progress(min(0.99, done / total), CHECKING)
            if size != member.size:
                raise damaged(self.name, "size", f"{member.path}: {size} bytes, listed {member.size}")
            if digest.hexdigest() != member.sha256:
                raise damaged(self.name, "hash", f"{member.path}: sha256 {digest.hexdigest()}")
            files[member.path] = target
        progress(1.0, CHECKING)
        return files

    def _read(self, source: IO[bytes], member: str) -> bytes:
        try:
            return source.read(CHUNK)
        except _ZIP_ERRORS as exc:  # a CRC error, a cut-off entry, a broken deflate stream
            raise damaged(self.name, "corrupt", f"{member}: {exc}") from None
        except OSError as exc:
            raise StudioError(UNREADABLE, path=self.path, reason=exc.strerror or exc) from exc


def _bad_offset(exc: OSError, name: str, member: str, path: Path | None = None) -> StudioError:
    """An OSError while zipfile seeks to an entry: EINVAL is an impossible offset in the zip's directory (a
    damaged file, found by scripts/fuzz.py); anything else is the disk or the medium."""
    if exc.errno == errno.EINVAL or path is None:
        return damaged(name, "corrupt", f"{member}: {exc}")
    return StudioError(UNREADABLE, path=path, reason=exc.strerror or exc)


def _create(target: Path) -> IO[bytes]:
    try:
        return target.open("xb")
    except OSError as exc:
        raise os_error(exc, target) from exc


def _write(out: IO[bytes], chunk: bytes, target: Path) -> None:
    try:
        out.write(chunk)
    except OSError as exc:
        raise os_error(exc, target) from exc


def _free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


@contextmanager
def open_bundle(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[OpenedBundle]:
    """Open the bulletin file ``path`` and check its container and manifest (nothing is written). Raises
    :class:`BundleError` for a file that is not a bulletin file, is damaged, unsafe, too large or newer."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise StudioError(UNREADABLE, path=path, reason=exc.strerror or exc) from exc
    if size > limits.file_bytes():
        raise too_large(name, size, limits.file_bytes())
    if head not in ZIP_SIGNATURES or not stat.S_ISREG(path.stat().st_mode):
        raise BundleError(NOT_A_BUNDLE, problem="not-bundle", hint=NOT_A_BUNDLE_HINT, name=name)
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise damaged(name, "corrupt", f"not a readable zip: {exc}") from None
    except OSError as exc:
        raise StudioError(UNREADABLE, path=path, reason=exc.strerror or exc) from exc
    try:
        manifest = _check(archive, name, limits)
        yield OpenedBundle(path, manifest, archive)
    finally:
        archive.close()


def _check(archive: zipfile.ZipFile, name: str, limits: Limits) -> Manifest:
    entries = archive.infolist()
    if len(entries) > limits.members + 1:
        raise damaged(name, "members", f"{len(entries)} entries")
    for entry in entries:
        if not is_safe_name(entry.filename.removesuffix("/")) or entry.orig_filename != entry.filename:
            raise unsafe(name, entry.orig_filename)
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise unsafe(name, entry.filename + " (a symbolic link)")
        if entry.is_dir():
            raise damaged(name, "unlisted", f"a folder entry {entry.filename}")
        if entry.flag_bits & 0x1:
            raise damaged(name, "encrypted", entry.filename)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(name, "compression", f"{entry.filename}: method {entry.compress_type}")
    counts = Counter(entry.filename for entry in entries)
    twice = [entry for entry, count in counts.items() if count > 1]
    if twice:
        raise damaged(name, "duplicate", f"{twice[0]} appears {counts[twice[0]]} times")
    if MANIFEST_NAME not in counts:
        raise BundleError(NOT_A_BUNDLE, problem="not-bundle", hint=NOT_A_BUNDLE_HINT, name=name)
    info = archive.getinfo(MANIFEST_NAME)
    if info.file_size > limits.manifest_bytes:
        raise too_large(name, info.file_size, limits.manifest_bytes)
    try:
        with archive.open(info) as handle:
            data = handle.read(limits.manifest_bytes + 1)
    except _ZIP_ERRORS as exc:
        raise damaged(name, "corrupt", f"{MANIFEST_NAME}: {exc}") from None
    except OSError as exc:
        raise _bad_offset(exc, name, MANIFEST_NAME) from None
    manifest = parse_manifest(data, name, limits)
    listed = {member.path: member for member in manifest.members}
    present = set(counts) - {MANIFEST_NAME}
    if present - set(listed):
        raise damaged(name, "unlisted", f"{sorted(present - set(listed))[0]} is not in the manifest")
    if set(listed) - present:
        raise damaged(name, "missing", f"{sorted(set(listed) - present)[0]} is missing")
    for path, member in listed.items():
        if archive.getinfo(path).file_size != member.size:
            raise damaged(name, "size", f"{path}: {archive.getinfo(path).file_size} bytes, listed {member.size}")
    return manifest
