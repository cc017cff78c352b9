"""Writing files so that a crash, a power cut or a full disk never leaves a half file under a real name.

Everything the studio publishes (renders, tags, sidecars, settings, media, deliveries) is written to a
hidden temporary file beside its final name, flushed to disk, and renamed over the final name in one
step. :func:`replacing` is that pattern, once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.messages import os_error


def claim_temp_path(path: Path) -> Path:
    """Create and return an empty hidden file beside ``path``, to be renamed over it when complete.

    Unlike ``mkstemp`` (mode 0600) the file gets the usual umask-derived permissions, so whoever may
    read the folder may read the file after the rename. OSError becomes :func:`os_error`'s message.
    """
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_error(exc, path) from exc
        os.close(fd)
        return temp
    raise os_error(OSError(errno.EEXIST, os.strerror(errno.EEXIST)), path)


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
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
