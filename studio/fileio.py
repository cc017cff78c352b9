"""Writing files so that a crash, a power cut or a full disk never leaves a half file under a real name.

Everything the studio publishes (renders, tags, sidecars, settings, media, deliveries) is written to a
hidden temporary file beside its final name, flushed to disk, and renamed over the final name in one
step. :func:`replacing` is that pattern, once.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.messages import os_error

log = logging.getLogger(__name__)

# A killed studio (or a power cut) leaves these behind: :func:`claim_temp_path`'s hidden copies and a render's
# hidden work folder (``studio.render``). Nothing ever takes them for a real file; they only fill the disk.
TEMP_FILE = re.compile(r"\..+\.[0-9a-f]{8}\.part")
WORK_FOLDER_PREFIX = ".render-"
# Younger ones may belong to a render or a copy still running (another studio on the same folders, the
# command line): the longest render takes minutes.
LEFTOVER_AGE_S = 3600.0


def claim_temp_path(path: Path) -> Path:
    """Create and return an empty hidden file beside ``path``, to be renamed over it when complete.

    Unlike ``mkstemp`` (mode 0600) the file gets the usual umask-derived permissions, so whoever may
    read the folder may read the file after the rename. OSError becomes :func:`os_error`'s message.
    """
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.part")  # secrets.token_hex(4)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_error(exc, path) from exc
        os.close(fd)
        return temp
    raise os_error(OSError(errno.EEXIST, os.strerror(errno.EEXIST)), path)


def sweep_leftovers(folders: Iterable[Path], *, older_than_s: float = LEFTOVER_AGE_S,
                    now: float | None = None) -> list[Path]:
    """Remove the temporary files and render folders a killed studio left in ``folders`` (and below).

    Only names the studio makes (:data:`TEMP_FILE`, :data:`WORK_FOLDER_PREFIX`) last changed more than
    ``older_than_s`` ago; symbolic links are neither followed nor removed. What cannot be removed is logged and
    left. Returns what was removed.
    """
    cutoff = (time.time() if now is None else now) - older_than_s
    removed: list[Path] = []

    def old(entry: os.DirEntry[str]) -> bool:
        return entry.stat(follow_symlinks=False).st_mtime < cutoff

    pending = [Path(folder) for folder in folders]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # gone, or not ours to read
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith(WORK_FOLDER_PREFIX):
                        pending.append(Path(entry.path))
                    elif old(entry):
                        shutil.rmtree(entry.path)
                        removed.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False) and TEMP_FILE.fullmatch(entry.name) and old(entry):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError as exc:
                log.warning("cannot remove the leftover %s: %s", entry.path, exc)
    if removed:
        log.info("removed %d temporary files and folders left by an interrupted studio", len(removed))
    return removed


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds it is synced and renamed over ``path``.

    If the block raises (including :class:`~studio.messages.Cancelled`), the temporary file is removed and
    an older file at ``path`` stays as it was. ``OSError`` becomes the officer-readable message.
    """
    temp = claim_temp_path(path)
    try:
        yield temp
        fsync_file(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise os_error(exc, path) from exc
    finally:
        temp.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    with replacing(path) as temp:
        temp.write_bytes(data)


def sha256_of(path: Path) -> str:
    """The file's sha256, read in 1 MiB chunks (renders and beds can be large)."""
    import hashlib  # loads OpenSSL's library: not on the way to the first window (settings use this module)

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
