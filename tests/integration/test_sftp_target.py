"""SFTP delivery against a real paramiko SFTP server on loopback: host keys trusted on first use and then
pinned, verified and resumable transfers, clear messages when the controller misbehaves."""

from __future__ import annotations

import hashlib
import json
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest

from studio.delivery.sftp import (
    FOLDER_MISSING,
    HostKeyChanged,
    SftpTarget,
    UnknownHostKey,
    fetch_host_key,
)
from studio.delivery.target import (
    CONNECTION_FAILED,
    CONNECTION_LOST,
    LOGIN_FAILED,
    REMOTE_FULL,
    REMOTE_VERIFY_FAILED,
    DeliveryError,
    Package,
)
from studio.messages import Cancelled
from studio.tasks import CancelToken
from tests.servers.sftp_server import SftpServer, new_host_key, sftp_server

pytestmark = pytest.mark.timeout(60)

SIZE = 700 * 1024  # several transfer blocks


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SftpServer]:
    with sftp_server(tmp_path / "root") as running:
        (running.root / "inbox").mkdir()
        yield running


def make_target(server: SftpServer, **changes: Any) -> SftpTarget:
    settings: dict[str, Any] = {"host": server.host, "port": server.port, "username": server.user,
                                "password": server.password, "folder": "/inbox",
                                "pinned_key": server.fingerprint, "timeout": 5.0}
    settings.update(changes)
    return SftpTarget(**settings)


def make_package(tmp_path: Path, size: int = SIZE) -> Package:
    audio = random.Random(size).randbytes(size)
    sha256 = hashlib.sha256(audio).hexdigest()
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    mp3 = src / "render.mp3"
    mp3.write_bytes(audio)
    sidecar = src / "render.json"
    sidecar.write_text(json.dumps({"id": "abc", "audio": {"sha256": sha256}}), encoding="utf-8")
    return Package("abc", mp3, sidecar, sha256, size)


def inbox(server: SftpServer) -> list[str]:
    return sorted(p.name for p in (server.root / "inbox").iterdir())


def test_an_unknown_host_key_stops_before_the_password_is_sent(server: SftpServer, tmp_path: Path) -> None:
    key_type, fingerprint = fetch_host_key(server.host, server.port, timeout=5.0)
    assert (key_type, fingerprint) == ("ssh-ed25519", server.fingerprint)
    with pytest.raises(UnknownHostKey) as caught:
        make_target(server, pinned_key=None).deliver(make_package(tmp_path))
    error = caught.value
    assert (error.host, error.port, error.key_type, error.fingerprint) == (server.host, server.port, key_type,
                                                                         fingerprint)
    assert not error.retryable
    assert fingerprint in str(error)
    assert server.password_attempts == []
    assert inbox(server) == []


def test_a_pinned_controller_receives_identical_files_under_their_final_names(server: SftpServer,
                                                                              tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    reports: list[tuple[int, int]] = []
    receipt = make_target(server).deliver(pkg, progress=lambda done, total: reports.append((done, total)))
    assert not receipt.already_there
    assert inbox(server) == ["abc.json", "abc.mp3"]
    assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
    assert (server.root / "inbox" / "abc.json").read_bytes() == pkg.sidecar.read_bytes()
    assert reports[0] == (0, SIZE) and reports[-1] == (SIZE, SIZE)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_a_changed_host_key_is_refused_and_nothing_is_sent(tmp_path: Path) -> None:
    root = tmp_path / "root"
    with sftp_server(root) as first:
        (root / "inbox").mkdir()
        trusted = first.fingerprint
    with sftp_server(root, host_key=new_host_key()) as impostor:
        with pytest.raises(HostKeyChanged) as caught:
            make_target(impostor, pinned_key=trusted).deliver(make_package(tmp_path))
        assert impostor.password_attempts == []
    error = caught.value
    assert not error.retryable
    assert error.fingerprint == impostor.fingerprint != trusted
    assert "attack" in str(error) and "reinstalled" in str(error) and "Nothing was sent" in str(error)
    assert list((root / "inbox").iterdir()) == []


def test_delivering_again_finds_it_there_and_uploads_nothing(server: SftpServer, tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    make_target(server).deliver(pkg)
    written = server.bytes_written
    before = (server.root / "inbox" / "abc.mp3").stat().st_mtime_ns
    assert make_target(server).deliver(pkg).already_there
    assert server.bytes_written == written
    assert (server.root / "inbox" / "abc.mp3").stat().st_mtime_ns == before
    assert inbox(server) == ["abc.json", "abc.mp3"]


def test_a_cut_connection_is_resumed_where_it_stopped(server: SftpServer, tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    server.cut_after_bytes = SIZE // 2 + 1000
    with pytest.raises(DeliveryError) as caught:
        make_target(server).deliver(pkg)
    assert caught.value.retryable and caught.value.text == CONNECTION_LOST
    partial = server.root / "inbox" / pkg.audio_temp_name
    assert inbox(server) == [pkg.audio_temp_name]
    assert partial.stat().st_size == SIZE // 2 + 1000
    written = server.bytes_written
    reports: list[int] = []
    assert not make_target(server).deliver(pkg, progress=lambda done, total: reports.append(done)).already_there
    assert server.bytes_written - written < SIZE
    assert reports[0] == SIZE // 2 + 1000
    assert inbox(server) == ["abc.json", "abc.mp3"]
    assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_a_partial_longer_than_the_audio_is_started_again(server: SftpServer, tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    (server.root / "inbox" / pkg.audio_temp_name).write_bytes(b"x" * (SIZE + 1))
    make_target(server).deliver(pkg)
    assert inbox(server) == ["abc.json", "abc.mp3"]
    assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


@pytest.mark.parametrize("fault", ["truncate", "corrupt"])
def test_a_file_damaged_by_the_server_is_not_published(server: SftpServer, tmp_path: Path, fault: str) -> None:
    pkg = make_package(tmp_path)
    setattr(server, fault, True)
    with pytest.raises(DeliveryError) as caught:
        make_target(server).deliver(pkg)
    assert caught.value.retryable and caught.value.text == REMOTE_VERIFY_FAILED
    assert inbox(server) == []
    setattr(server, fault, False)
    make_target(server).deliver(pkg)
    assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_a_full_controller_disk_is_retried_later(server: SftpServer, tmp_path: Path) -> None:
    server.disk_full = True
    with pytest.raises(DeliveryError) as caught:
        make_target(server).deliver(make_package(tmp_path))
    assert caught.value.retryable and caught.value.text == REMOTE_FULL
    assert "no space left" in str(caught.value)
    assert "abc.mp3" not in inbox(server) and "abc.json" not in inbox(server)


def test_a_wrong_password_needs_a_person(server: SftpServer, tmp_path: Path) -> None:
    with pytest.raises(DeliveryError) as caught:
        make_target(server, password="wrong").deliver(make_package(tmp_path))
    assert not caught.value.retryable and caught.value.text == LOGIN_FAILED
    assert server.password_attempts == [server.user]
    assert inbox(server) == []


def test_an_unreachable_controller_is_retried(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    target = SftpTarget(host="127.0.0.1", port=port, username="u", password="p", folder="/inbox",
                        pinned_key="SHA256:x", timeout=2.0)
    with pytest.raises(DeliveryError) as caught:
        target.deliver(make_package(tmp_path, 1000))
    assert caught.value.retryable and caught.value.text == CONNECTION_FAILED


def test_a_controller_that_never_answers_times_out(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts; nobody speaks SSH
        target = SftpTarget(host="127.0.0.1", port=silent.getsockname()[1], username="u", password="p",
                            folder="/inbox", pinned_key="SHA256:x", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(DeliveryError) as caught:
            target.deliver(make_package(tmp_path, 1000))
    assert time.monotonic() - started < 5
    assert caught.value.retryable and caught.value.text == CONNECTION_FAILED


def test_withdraw_removes_sidecar_audio_and_partial_uploads(server: SftpServer, tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    make_target(server).deliver(pkg)
    (server.root / "inbox" / pkg.audio_temp_name).write_bytes(b"partial")
    (server.root / "inbox" / "other.mp3").write_bytes(b"another programme")
    assert make_target(server).withdraw("abc")
    assert inbox(server) == ["other.mp3"]
    assert server.removed[0] == "/inbox/abc.json"
    assert not make_target(server).withdraw("abc")


def test_withdraw_ignores_hostile_names_in_a_listing(server: SftpServer, tmp_path: Path) -> None:
    outside = server.root / ".abc.0123456789ab.mp3.part"
    outside.write_bytes(b"not in the delivery folder")
    server.extra_listing = ["../.abc.0123456789ab.mp3.part", "/.abc.0123456789ab.mp3.part", "..",
                            ".abc.0123456789ab.mp3.part/../../.abc.0123456789ab.mp3.part"]
    assert not make_target(server).withdraw("abc")
    assert outside.read_bytes() == b"not in the delivery folder"
    assert server.removed == ["/inbox/abc.json", "/inbox/abc.mp3", "/inbox/abc.wav"]
    assert server.refused == []


def test_check_probes_the_folder_and_leaves_nothing(server: SftpServer) -> None:
    description = make_target(server).check()
    assert "paramiko" in description and "/inbox" in description
    assert inbox(server) == []
    assert server.bytes_written > 0


def test_check_names_a_missing_folder(server: SftpServer) -> None:
    with pytest.raises(DeliveryError) as caught:
        make_target(server, folder="/not-there").check()
    assert not caught.value.retryable and caught.value.text == FOLDER_MISSING
    assert "/not-there" in str(caught.value)


def test_cancel_mid_upload_keeps_the_partial_for_a_resume(server: SftpServer, tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    token = CancelToken()

    def cancel_after_first_block(done: int, total: int) -> None:
        if done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        make_target(server).deliver(pkg, progress=cancel_after_first_block, cancel=token)
    partial = server.root / "inbox" / pkg.audio_temp_name
    assert inbox(server) == [pkg.audio_temp_name]
    assert 0 < partial.stat().st_size < SIZE
    written = server.bytes_written
    make_target(server).deliver(pkg)
    assert server.bytes_written - written < SIZE
    assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


@pytest.mark.parametrize("posix_rename", [True, False])
def test_a_stale_copy_is_replaced(tmp_path: Path, posix_rename: bool) -> None:
    """posix-rename replaces in one step where the server offers it; plain SFTP rename needs the old file gone."""
    with sftp_server(tmp_path / "root", posix_rename=posix_rename) as server:
        (server.root / "inbox").mkdir()
        (server.root / "inbox" / "abc.mp3").write_bytes(b"an older render")
        (server.root / "inbox" / "abc.json").write_text('{"id": "abc", "older": true}', encoding="utf-8")
        pkg = make_package(tmp_path)
        make_target(server).deliver(pkg)
        assert (server.root / "inbox" / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
        assert (server.root / "inbox" / "abc.json").read_bytes() == pkg.sidecar.read_bytes()
        assert inbox(server) == ["abc.json", "abc.mp3"]
        operation = "posix_rename" if posix_rename else "rename"
        assert [(op, new) for op, _, new in server.renamed] == [(operation, "/inbox/abc.mp3"),
                                                                 (operation, "/inbox/abc.json")]
        assert server.removed[0] == "/inbox/abc.json"  # the old sidecar goes before the new audio lands


def test_the_test_server_refuses_paths_outside_its_root(server: SftpServer, tmp_path: Path) -> None:
    """The safety net the traversal test relies on: the fixture itself never touches files outside its root."""
    transport = paramiko.Transport((server.host, server.port))
    try:
        transport.connect(username=server.user, password=server.password)
        sftp = paramiko.SFTPClient.from_transport(transport)
        assert sftp is not None
        with pytest.raises(PermissionError):
            sftp.open("/inbox/../../escaped.txt", "wb")
        with pytest.raises(PermissionError):
            sftp.listdir("/..")
    finally:
        transport.close()
    assert not (tmp_path / "escaped.txt").exists()
    assert server.refused == ["/inbox/../../escaped.txt", "/.."]
