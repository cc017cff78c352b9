"""Content-addressed audio files: stored once under their sha256, never overwritten in place."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from studio.messages import os_error

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class MediaStore:
    """Files under ``root/<sha[:2]>/<sha><suffix>``; the relative path is what rows store."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        """Copy ``source`` into the store. Returns (sha256, relpath, size). Idempotent."""
        sha = sha256_of(source)
        relpath = f"{sha[:2]}/{sha}{suffix}"
        final = self.root / relpath
        size = source.stat().st_size
        if final.exists() and final.stat().st_size == size:
            return sha, relpath, size
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=final.parent)
            os.close(fd)
            try:
                shutil.copyfile(source, tmp)
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(tmp, final)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise os_error(exc, final.parent) from exc
        return sha, relpath, size
