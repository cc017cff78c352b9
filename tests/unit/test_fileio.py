"""The one atomic-write pattern: all or nothing, and the old file survives a failure."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from studio.fileio import LEFTOVER_AGE_S, claim_temp_path, replacing, sweep_leftovers, write_bytes_atomically
from studio.messages import Cancelled, StudioError


def test_success_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "bản tin.json"
    target.write_text("old", encoding="utf-8")
    write_bytes_atomically(target, "mới".encode())
    assert target.read_text(encoding="utf-8") == "mới"
    assert [p.name for p in tmp_path.iterdir()] == ["bản tin.json"]


@pytest.mark.parametrize("error", [Cancelled(), ValueError("bug"), OSError(28, "No space left on device")])
def test_failure_keeps_the_old_file_and_cleans_up(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "render.mp3"
    target.write_bytes(b"good old render")
    expected = StudioError if isinstance(error, OSError) else type(error)
    with pytest.raises(expected) as caught, replacing(target) as temp:
        temp.write_bytes(b"half")
        raise error
    assert target.read_bytes() == b"good old render"
    assert [p.name for p in tmp_path.iterdir()] == ["render.mp3"]
    if isinstance(error, OSError):
        assert "disk is full" in str(caught.value)


def test_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match="cannot write"):
        write_bytes_atomically(tmp_path / "gone" / "x.json", b"{}")



def _aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def _file(path: Path, seconds: float) -> Path:
    path.write_bytes(b"x")
    return _aged(path, seconds)


def _folder(path: Path, seconds: float) -> Path:
    path.mkdir()
    return _aged(path, seconds)


OLD, YOUNG = LEFTOVER_AGE_S + 60, LEFTOVER_AGE_S - 600


def test_leftovers_of_an_interrupted_studio_are_swept_and_nothing_else(tmp_path: Path) -> None:
    renders, media = tmp_path / "data" / "renders", tmp_path / "data" / "media" / "ab"
    media.mkdir(parents=True)
    renders.mkdir()
    # What a kill leaves: the names the studio itself makes (claim_temp_path, the render's work folder) …
    stale_copy = _aged(claim_temp_path(media / "ab12.wav"), OLD)
    work = Path(tempfile.mkdtemp(prefix=".render-", dir=renders))
    (work / "mix.f32").write_bytes(b"\0" * 64)
    _aged(work, OLD)
    # … and what must stay: a copy or a render still running, the real files, the officer's own files.
    kept = [_aged(claim_temp_path(renders / "12.mp3"), YOUNG),
            _aged(Path(tempfile.mkdtemp(prefix=".render-", dir=renders)), YOUNG),
            _file(renders / "12.mp3", OLD), _file(media / "ghi chú.part", OLD), _file(media / ".ab12.wav.part", OLD),
            _folder(renders / "render-notes", OLD)]

    removed = sweep_leftovers([tmp_path / "data", tmp_path / "missing"])
    assert sorted(removed) == sorted([stale_copy, work])
    assert not stale_copy.exists() and not work.exists()
    assert all(path.exists() for path in kept)
    assert sweep_leftovers([tmp_path / "data"]) == []  # nothing left to do


def test_sweeping_follows_and_removes_no_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = _aged(claim_temp_path(outside / "x.mp3"), OLD)
    data = tmp_path / "data"
    data.mkdir()
    (data / "link").symlink_to(outside, target_is_directory=True)
    _aged(data / "link", OLD)
    link = data / ".linked.mp3.0123abcd.part"
    link.symlink_to(victim)
    _aged(link, OLD)
    assert sweep_leftovers([data]) == []
    assert victim.exists() and link.is_symlink()
