"""Folder delivery: verified, atomic, idempotent, with clear messages when the share is gone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from studio.delivery.folder import FolderTarget
from studio.delivery.target import Package
from studio.messages import Cancelled, StudioError
from studio.tasks import CancelToken


def package(tmp_path: Path, audio: bytes = b"ID3" + bytes(range(256)) * 64) -> Package:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    mp3 = src / "render.mp3"
    mp3.write_bytes(audio)
    sidecar = src / "render.json"
    sidecar.write_text('{"id": "abc"}', encoding="utf-8")
    return Package("abc", mp3, sidecar, hashlib.sha256(audio).hexdigest(), len(audio))


def test_delivers_mp3_and_sidecar_under_the_programme_id(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    pkg = package(tmp_path)
    receipt = FolderTarget(share).deliver(pkg)
    assert not receipt.already_there
    assert sorted(p.name for p in share.iterdir()) == ["abc.json", "abc.mp3"]
    assert (share / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_second_delivery_changes_nothing(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    pkg = package(tmp_path)
    FolderTarget(share).deliver(pkg)
    before = (share / "abc.mp3").stat().st_mtime_ns
    assert FolderTarget(share).deliver(pkg).already_there
    assert (share / "abc.mp3").stat().st_mtime_ns == before
    assert sorted(p.name for p in share.iterdir()) == ["abc.json", "abc.mp3"]


def test_a_damaged_earlier_copy_is_replaced(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (share / "abc.mp3").write_bytes(b"half a file")
    pkg = package(tmp_path)
    assert not FolderTarget(share).deliver(pkg).already_there
    assert hashlib.sha256((share / "abc.mp3").read_bytes()).hexdigest() == pkg.sha256


def test_missing_share_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match="cannot be reached"):
        FolderTarget(tmp_path / "not-mounted").deliver(package(tmp_path))


def test_corruption_in_transit_publishes_nothing(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    pkg = package(tmp_path)
    wrong = Package(pkg.programme_id, pkg.audio, pkg.sidecar, "0" * 64, pkg.size_bytes)
    with pytest.raises(StudioError, match="damaged"):
        FolderTarget(share).deliver(wrong)
    assert list(share.iterdir()) == []


def test_cancel_leaves_no_partial_file(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    pkg = package(tmp_path, b"x" * (8 << 20))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        FolderTarget(share).deliver(pkg, cancel=token)
    assert list(share.iterdir()) == []
