"""FTP / FTPS delivery against a real pyftpdlib server on 127.0.0.1: verified, resumable, idempotent, and every
failure an officer-readable DeliveryError."""

from __future__ import annotations

import hashlib
import random
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from studio.delivery.ftp import BLOCK, FtpTarget
from studio.delivery.target import DeliveryError, Package
from studio.messages import Cancelled
from studio.tasks import CancelToken
from tests.servers.ftp_server import FtpServer, ftp_server, raw_reply_server

AUDIO_BYTES = 300_000  # several 64 KiB blocks


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ftp(tmp_path: Path) -> Iterator[FtpServer]:
    root = tmp_path / "controller"
    root.mkdir()
    with ftp_server(root) as server:
        yield server


@pytest.fixture
def ftps(tmp_path: Path, ca: trustme.CA) -> Iterator[FtpServer]:
    root = tmp_path / "controller"
    root.mkdir()
    pem = tmp_path / "server.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    with ftp_server(root, tls_cert=pem) as server:
        yield server


def target(server: FtpServer, *, folder: str = "/", tls: bool = False, ca_file: Path | None = None) -> FtpTarget:
    return FtpTarget(host=server.host, port=server.port, username=server.user, password=server.password,
                     folder=folder, tls=tls, ca_file=ca_file, timeout=5.0)


def package(tmp_path: Path, size: int = AUDIO_BYTES, sidecar: str = '{"id": "abc"}') -> Package:
    audio = random.Random(size).randbytes(size)
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "render.mp3").write_bytes(audio)
    (src / "render.json").write_text(sidecar, encoding="utf-8")
    return Package("abc", src / "render.mp3", src / "render.json", hashlib.sha256(audio).hexdigest(), size)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_delivers_audio_and_sidecar_byte_identical_without_leftovers(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    reports: list[tuple[int, int]] = []
    receipt = target(ftp).deliver(pkg, progress=lambda done, total: reports.append((done, total)))
    assert not receipt.already_there
    assert receipt.location == f"ftp://127.0.0.1:{ftp.port}/abc.mp3"
    assert names(ftp.root) == ["abc.json", "abc.mp3"]
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
    assert (ftp.root / "abc.json").read_bytes() == pkg.sidecar.read_bytes()
    assert reports[0] == (0, AUDIO_BYTES) and reports[-1] == (AUDIO_BYTES, AUDIO_BYTES)
    renames = [line for line in ftp.commands if line.startswith("RNTO")]
    assert renames == ["RNTO abc.mp3", "RNTO abc.json"]  # the sidecar lands last


def test_second_delivery_is_already_there_and_uploads_nothing(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    target(ftp).deliver(pkg)
    stored = ftp.count("STOR ")
    received = ftp.received_bytes
    assert target(ftp).deliver(pkg).already_there
    assert ftp.count("STOR ") == stored and ftp.received_bytes == received
    assert names(ftp.root) == ["abc.json", "abc.mp3"]


def test_changed_sidecar_alone_is_sent_when_the_audio_is_published(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.hash_command = True  # the published audio is checked by the server's hash, not downloaded
    target(ftp).deliver(package(tmp_path))
    received = ftp.received_bytes
    changed = package(tmp_path, sidecar='{"id": "abc", "priority": "urgent"}')
    assert not target(ftp).deliver(changed).already_there
    assert ftp.received_bytes - received == len(changed.sidecar.read_bytes())
    assert (ftp.root / "abc.json").read_bytes() == changed.sidecar.read_bytes()
    assert ftp.count("RETR ") == 1  # only the old sidecar was read, for comparison


def test_broken_upload_resumes_where_it_stopped(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    cut = 100_000
    ftp.cut_after_bytes = cut
    with pytest.raises(DeliveryError) as broken:
        target(ftp).deliver(pkg)
    assert broken.value.retryable is True, broken.value
    assert "lost" in str(broken.value)
    partial = ftp.root / pkg.audio_temp_name
    ftp.wait_until(lambda: partial.exists() and partial.stat().st_size == cut)
    assert not (ftp.root / "abc.mp3").exists() and not (ftp.root / "abc.json").exists()

    ftp.cut_after_bytes = None
    before = ftp.received_bytes
    reports: list[tuple[int, int]] = []
    assert not target(ftp).deliver(pkg, progress=lambda done, total: reports.append((done, total))).already_there
    assert ftp.received_bytes - before == AUDIO_BYTES - cut + len(pkg.sidecar.read_bytes())
    assert f"REST {cut}" in ftp.commands
    assert reports[0] == (cut, AUDIO_BYTES)
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
    assert names(ftp.root) == ["abc.json", "abc.mp3"]


def test_cancel_mid_upload_keeps_the_partial_for_the_resume(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    token = CancelToken()

    def cancel_after_first_block(done: int, total: int) -> None:
        if done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        target(ftp).deliver(pkg, progress=cancel_after_first_block, cancel=token)
    partial = ftp.root / pkg.audio_temp_name
    ftp.wait_until(lambda: partial.exists() and partial.stat().st_size == BLOCK)  # the one block sent, all of it
    assert names(ftp.root) == [pkg.audio_temp_name]

    target(ftp).deliver(pkg)
    assert f"REST {BLOCK}" in ftp.commands
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_oversized_stale_partial_is_replaced(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    (ftp.root / pkg.audio_temp_name).write_bytes(b"\0" * (AUDIO_BYTES + 10))
    target(ftp).deliver(pkg)
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
    assert names(ftp.root) == ["abc.json", "abc.mp3"]


def test_complete_partial_is_verified_and_published_without_sending_it_again(tmp_path: Path, ftp: FtpServer) -> None:
    pkg = package(tmp_path)
    (ftp.root / pkg.audio_temp_name).write_bytes(pkg.audio.read_bytes())
    target(ftp).deliver(pkg)
    assert ftp.count(f"STOR {pkg.audio_temp_name}") == 0
    assert ftp.received_bytes == len(pkg.sidecar.read_bytes())
    assert names(ftp.root) == ["abc.json", "abc.mp3"]


def test_new_version_replaces_the_old_on_a_server_that_will_not_overwrite(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.no_overwrite = True
    target(ftp).deliver(package(tmp_path))
    newer = package(tmp_path, size=AUDIO_BYTES + 1, sidecar='{"id": "abc", "version": 2}')
    assert not target(ftp).deliver(newer).already_there
    assert (ftp.root / "abc.mp3").read_bytes() == newer.audio.read_bytes()
    assert (ftp.root / "abc.json").read_bytes() == newer.sidecar.read_bytes()
    assert names(ftp.root) == ["abc.json", "abc.mp3"]
    assert ftp.count("DELE abc.mp3") == 1 and ftp.count("DELE abc.json") == 1


def test_truncating_server_publishes_nothing(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.truncate = True
    with pytest.raises(DeliveryError, match="arrived damaged") as damaged:
        target(ftp).deliver(package(tmp_path))
    assert damaged.value.retryable is True
    assert names(ftp.root) == []  # no final file, and the damaged temp is gone


@pytest.mark.parametrize("hash_command", [True, False], ids=["server-hash", "read-back"])
def test_corrupting_server_is_caught_by_the_hash(tmp_path: Path, ftp: FtpServer, hash_command: bool) -> None:
    ftp.corrupt = True
    ftp.hash_command = hash_command
    with pytest.raises(DeliveryError, match="SHA-256 differs") as damaged:
        target(ftp).deliver(package(tmp_path))
    assert damaged.value.retryable is True
    assert names(ftp.root) == []
    if hash_command:
        assert "OPTS HASH SHA-256" in ftp.commands and ftp.count("HASH ") == 1 and ftp.count("RETR ") == 0
    else:
        assert ftp.count("HASH ") == 0 and ftp.count("RETR ") == 1


def test_server_hash_verifies_a_good_upload(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.hash_command = True
    pkg = package(tmp_path)
    target(ftp).deliver(pkg)
    assert ftp.count("RETR ") == 0 and ftp.count("HASH ") == 1
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_full_remote_disk_is_reported_and_retried_later(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.disk_full = True
    with pytest.raises(DeliveryError, match=r"no space left for abc\.mp3") as full:
        target(ftp).deliver(package(tmp_path))
    assert full.value.retryable is True
    assert not (ftp.root / "abc.mp3").exists()


def test_wrong_password_needs_a_person(tmp_path: Path, ftp: FtpServer) -> None:
    wrong = FtpTarget(host=ftp.host, port=ftp.port, username=ftp.user, password="wrong", timeout=5.0)
    with pytest.raises(DeliveryError, match="refused the user name or password") as refused:
        wrong.deliver(package(tmp_path))
    assert refused.value.retryable is False
    assert names(ftp.root) == []


def test_unreachable_controller_is_retried_later(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    gone = FtpTarget(host="127.0.0.1", port=port, username="studio", password="x", timeout=5.0)
    with pytest.raises(DeliveryError, match="cannot be reached") as unreachable:
        gone.deliver(package(tmp_path))
    assert unreachable.value.retryable is True


def test_ftps_delivers_with_the_controllers_ca_file(tmp_path: Path, ftps: FtpServer, ca: trustme.CA) -> None:
    ca_file = tmp_path / "controller-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    pkg = package(tmp_path)
    receipt = target(ftps, tls=True, ca_file=ca_file).deliver(pkg)
    assert receipt.location == f"ftps://127.0.0.1:{ftps.port}/abc.mp3"
    assert (ftps.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()
    assert names(ftps.root) == ["abc.json", "abc.mp3"]
    assert ftps.commands[:2] == ["AUTH TLS", f"USER {ftps.user}"]
    assert "PROT P" in ftps.commands  # the audio itself travelled encrypted
    assert target(ftps, tls=True, ca_file=ca_file).deliver(pkg).already_there


def test_ftps_untrusted_certificate_stops_before_the_password(tmp_path: Path, ftps: FtpServer) -> None:
    with pytest.raises(DeliveryError, match="does not trust") as untrusted:
        target(ftps, tls=True).deliver(package(tmp_path))
    assert untrusted.value.retryable is False
    assert "127.0.0.1" in str(untrusted.value) and "CA certificate file" in str(untrusted.value)
    assert not any(line.startswith(("USER", "PASS")) for line in ftps.commands)


@pytest.mark.parametrize(("reply", "explained"), [
    (b"220 " + b"x" * 20_000 + b"\r\n", "does not understand"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", "does not understand"),
    (b"220 \xff\xfe\xfd not UTF-8\r\n", "does not understand"),
    (b"", "cannot be reached"),
], ids=["huge-line", "not-ftp", "not-utf8", "silent-hangup"])
def test_garbage_from_the_server_is_explained_not_a_crash(tmp_path: Path, reply: bytes, explained: str) -> None:
    with raw_reply_server(reply) as (host, port):
        odd = FtpTarget(host=host, port=port, username="studio", password="x", timeout=5.0)
        with pytest.raises(DeliveryError, match=explained) as error:
            odd.deliver(package(tmp_path))
    assert host in str(error.value)
    assert error.value.retryable is True


def test_server_that_never_answers_times_out(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as mute:  # connections wait in the backlog, unanswered
        silent = FtpTarget(host="127.0.0.1", port=mute.getsockname()[1], username="studio", password="x",
                           timeout=0.5)
        with pytest.raises(DeliveryError, match="cannot be reached: timed out") as error:
            silent.deliver(package(tmp_path))
    assert error.value.retryable is True


def test_pasv_address_from_the_server_is_not_followed(tmp_path: Path, ftp: FtpServer) -> None:
    ftp.pasv_address = "203.0.113.9"  # TEST-NET-3: nothing answers there
    pkg = package(tmp_path)
    target(ftp).deliver(pkg)
    assert (ftp.root / "abc.mp3").read_bytes() == pkg.audio.read_bytes()


def test_withdraw_removes_sidecar_first_then_audio_and_partials(tmp_path: Path, ftp: FtpServer) -> None:
    target(ftp).deliver(package(tmp_path))
    (ftp.root / ".abc.0123456789ab.mp3.part").write_bytes(b"half")
    others = ["abcd.mp3", ".abcd.0123456789ab.mp3.part", "abc.txt"]
    for name in others:
        (ftp.root / name).write_bytes(b"someone else's")
    assert target(ftp).withdraw("abc") is True
    assert names(ftp.root) == sorted(others)
    deletes = [line for line in ftp.commands if line.startswith("DELE")]
    assert deletes == ["DELE abc.json", "DELE abc.mp3", "DELE abc.wav", "DELE .abc.0123456789ab.mp3.part"]
    assert target(ftp).withdraw("abc") is False


def test_check_reports_server_and_folder_and_leaves_nothing(ftp: FtpServer) -> None:
    (ftp.root / "incoming").mkdir()
    report = target(ftp, folder="/incoming").check()
    assert f"ftp://127.0.0.1:{ftp.port}/incoming" in report
    assert "Commune controller test server ready." in report
    assert list((ftp.root / "incoming").iterdir()) == []


def test_check_names_a_missing_folder(ftp: FtpServer) -> None:
    with pytest.raises(DeliveryError, match="/bulletins") as missing:
        target(ftp, folder="/bulletins").check()
    assert missing.value.retryable is False
