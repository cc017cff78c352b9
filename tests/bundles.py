"""Helpers for the bulletin-file tests: real audio from ffmpeg, and bulletin files altered entry by entry."""

from __future__ import annotations

import hashlib
import json
import subprocess
import warnings
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import imageio_ffmpeg


def tone(path: Path, frequency: int, seconds: float, rate: int = 48000) -> Path:
    """A sine WAV made by the bundled ffmpeg (not through the studio)."""
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-f", "lavfi", "-i",
                    f"sine=frequency={frequency}:duration={seconds}:sample_rate={rate}", "-ac", "1",
                    "-c:a", "pcm_s16le", "-y", str(path)], check=True)
    return path


def pcm_sha256(path: Path) -> str:
    """The sha256 of an audio file's decoded samples (16-bit, as the file's own rate and channels)."""
    done = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-i", str(path),
                           "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1"], check=True, capture_output=True)
    assert len(done.stdout) > 1000
    return hashlib.sha256(done.stdout).hexdigest()


def read_manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


Entry = bytes | tuple[zipfile.ZipInfo, bytes]


def rewrite(source: Path, target: Path, *, manifest: Callable[[dict[str, Any]], object] | None = None,
            drop: tuple[str, ...] = (), replace: Mapping[str, bytes] | None = None,
            extra: Mapping[str, Entry] | None = None) -> Path:
    """A copy of the bulletin file ``source`` with its manifest edited in place by ``manifest``, entries dropped,
    replaced (new bytes, a correct CRC) or added (``extra``: bytes, or a ZipInfo of our own with its bytes)."""
    replace = dict(replace or {})
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate name, on purpose
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if info.filename == "manifest.json" and manifest is not None:
                document = json.loads(data)
                manifest(document)
                data = json.dumps(document, ensure_ascii=False).encode("utf-8")
            new.writestr(info.filename, replace.pop(info.filename, data), compress_type=info.compress_type)
        for name, entry in (extra or {}).items():
            if isinstance(entry, tuple):
                new.writestr(entry[0], entry[1])
            else:
                new.writestr(name, entry)
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
