"""Content-addressed audio files: stored once under their sha256, never overwritten in place."""

from __future__ import annotations

import shutil
from pathlib import Path

from studio.fileio import replacing, sha256_of
from studio.messages import os_error


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
        except OSError as exc:
            raise os_error(exc, final.parent) from exc
        with replacing(final) as tmp:
            shutil.copyfile(source, tmp)
        return sha, relpath, size
