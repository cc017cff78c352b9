"""The one atomic-write pattern: all or nothing, and the old file survives a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.fileio import replacing, write_bytes_atomically
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
