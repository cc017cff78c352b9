"""The Studio Controller API end to end: the ``http`` delivery target against the reference receiver on
loopback (plain and HTTPS), with the receiver's fault hooks, raw hostile servers, and raw requests that try
to make the receiver write where it must not."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed
import pytest
import trustme

from studio.controller.receiver import MAX_CHUNK_BYTES, MAX_JSON_BYTES, tls_context
from studio.delivery.http import BAD_ADDRESS, BAD_ANSWER, BAD_TOKEN, REDIRECTED, TLS_UNTRUSTED, HttpTarget
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
from studio.tags.sidecar import AudioFacts, build_sidecar, write_sidecar
from studio.tasks import CancelToken
from tests.servers.http_receiver import TOKEN, RunningReceiver, running_receiver

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = json.loads((ROOT / "docs" / "controller-api.openapi.json").read_text(encoding="utf-8"))
CHUNK = 64 * 1024
PROGRAMME = "bt-2026-11-23-sang"


@dataclass(frozen=True)
class Station:
    name: str
    commune: str
    province: str


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float
    loudness_range_lu: float
    replaygain_db: float


def mp3_bytes(seed: int, frames: int = 400) -> bytes:
    """An ID3v2.3 header and MPEG-2 Layer III frame headers (24 kHz, 48 kbps, mono) around noise: the
    shape of the studio's edge-tts renders, ~570 KiB, different for every seed."""
    noise = random.Random(seed)
    frame = b"\xff\xf3\x84\xc4"
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"".join(frame + noise.randbytes(1436) for _ in range(frames))


def make_package(tmp_path: Path, *, programme_id: str = PROGRAMME, seed: int = 1, priority: str = "normal",
                 version: str = "") -> Package:
    audio = mp3_bytes(seed)
    sha256 = hashlib.sha256(audio).hexdigest()
    source = tmp_path / "studio"
    source.mkdir(exist_ok=True)
    mp3 = source / f"render-{seed}{version}.mp3"
    mp3.write_bytes(audio)
    data = build_sidecar(
        programme_id=programme_id, title="Bản tin sáng thứ Hai, 23/11/2026",
        station=Station("Đài truyền thanh xã Hòa Bình", "Hòa Bình", "Hòa Bình"), series="Thời sự xã",
        languages=["vie"], duration_ms=96_000, audio=AudioFacts(len(audio), sha256, 48, 24000, 1),
        loudness=Loudness(-16.0, -1.2, 4.5, -2.0), target_lufs=-16.0, priority=priority)
    sidecar = source / f"render-{seed}{version}.json"
    write_sidecar(sidecar, data)
    return Package(programme_id, mp3, sidecar, sha256, len(audio))


def published(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if not path.name.startswith(".")}


def temp_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.name.endswith(".part")]


def everything(tmp_path: Path) -> dict[str, bytes]:
    return {str(path.relative_to(tmp_path)): path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}


def target(rx: RunningReceiver, **changes: Any) -> HttpTarget:
    settings: dict[str, Any] = {"base_url": rx.url, "token": TOKEN, "timeout": 5.0, "chunk_size": CHUNK}
    settings.update(changes)
    return HttpTarget(**settings)


def call(rx: RunningReceiver, method: str, path: str, body: bytes = b"", *, token: str | None = TOKEN,
         headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, dict[str, Any]]:
    """A raw request, as an integrator's test client would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", rx.server.server_address[1], timeout=5)
    try:
        all_headers = {"Authorization": f"Bearer {token}"} if token else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        return response.status, response.headers, json.loads(raw) if raw else {}
    finally:
        connection.close()


def headers_only(rx: RunningReceiver, method: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Announce a body but do not send it: the receiver must answer from the headers alone."""
    connection = http.client.HTTPConnection("127.0.0.1", rx.server.server_address[1], timeout=5)
    try:
        connection.putrequest(method, path)
        for name, value in {"Authorization": f"Bearer {TOKEN}", **headers}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def conforms(document: dict[str, Any], schema: str) -> None:
    """Validate an answer against the published OpenAPI component schema."""
    root = {"$ref": f"#/components/schemas/{schema}", "components": OPENAPI["components"]}
    jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker()).validate(document)


# -- the happy path and idempotence ----------------------------------------------------------------------


def test_delivery_publishes_audio_and_sidecar_byte_identical(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        reports: list[tuple[int, int]] = []
        receipt = target(rx).deliver(package, progress=lambda done, total: reports.append((done, total)))
        assert not receipt.already_there
        assert receipt.location == f"{rx.url}/v1/programmes/{PROGRAMME}"
        assert published(rx.folder) == {f"{PROGRAMME}.mp3", f"{PROGRAMME}.json"}
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()
        assert (rx.folder / f"{PROGRAMME}.json").read_bytes() == package.sidecar.read_bytes()
        assert temp_files(rx.folder) == []
        assert reports[0] == (0, package.size_bytes) and reports[-1] == (package.size_bytes, package.size_bytes)
        assert [done for done, _ in reports] == sorted(done for done, _ in reports)
        status, _, document = call(rx, "GET", f"/v1/programmes/{PROGRAMME}")
        assert status == 200
        conforms(document, "Status")
        assert (document["state"], document["sha256"], document["received_bytes"]) == (
            "ready", package.sha256, package.size_bytes)


def test_second_delivery_sends_no_audio(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        target(rx).deliver(package)
        sent = rx.faults.audio_bytes
        before = (rx.folder / f"{PROGRAMME}.mp3").stat().st_mtime_ns
        receipt = target(rx).deliver(package)
        assert receipt.already_there
        assert rx.faults.audio_bytes == sent == package.size_bytes
        assert (rx.folder / f"{PROGRAMME}.mp3").stat().st_mtime_ns == before


def test_changed_metadata_is_republished_without_resending_audio(tmp_path: Path) -> None:
    first = make_package(tmp_path)
    raised = make_package(tmp_path, priority="emergency", version="-emergency")
    with running_receiver(tmp_path / "controller") as rx:
        target(rx).deliver(first)
        receipt = target(rx).deliver(raised)
        assert not receipt.already_there  # the controller's copy changed: the officer must know
        assert rx.faults.audio_bytes == first.size_bytes
        assert (rx.folder / f"{PROGRAMME}.json").read_bytes() == raised.sidecar.read_bytes()
        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]["priority"] == "emergency"


def test_a_corrected_bulletin_keeps_its_id_and_replaces_the_old_audio(tmp_path: Path) -> None:
    old, corrected = make_package(tmp_path, seed=1), make_package(tmp_path, seed=2)
    with running_receiver(tmp_path / "controller") as rx:
        target(rx).deliver(old)
        assert not target(rx).deliver(corrected).already_there
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == corrected.audio.read_bytes()
        assert (rx.folder / f"{PROGRAMME}.json").read_bytes() == corrected.sidecar.read_bytes()
        document = call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]
        assert (document["sha256"], document["published_sha256"]) == (corrected.sha256, corrected.sha256)
        assert published(rx.folder) == {f"{PROGRAMME}.mp3", f"{PROGRAMME}.json"}


def test_withdraw_removes_both_files_and_repeating_it_is_harmless(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        http_target = target(rx)
        http_target.deliver(package)
        assert http_target.withdraw(PROGRAMME) is True
        assert published(rx.folder) == set()
        status, _, document = call(rx, "GET", f"/v1/programmes/{PROGRAMME}")
        assert (status, document["state"], document["received_bytes"]) == (200, "withdrawn", 0)
        conforms(document, "Status")
        assert http_target.withdraw(PROGRAMME) is False
        assert http_target.withdraw("never-declared") is False
        assert not http_target.deliver(package).already_there  # delivering again brings it back
        assert published(rx.folder) == {f"{PROGRAMME}.mp3", f"{PROGRAMME}.json"}


def test_check_names_the_receiver(tmp_path: Path) -> None:
    with running_receiver(tmp_path / "controller") as rx:
        description = target(rx).check()
        assert "Studio reference receiver" in description and rx.url in description
        status, _, document = call(rx, "GET", "/v1/health")
        assert status == 200
        conforms(document, "Health")


# -- interrupted, damaged and refused transfers ----------------------------------------------------------


def test_a_cut_connection_resumes_from_the_receivers_offset(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    cut = 3 * CHUNK + 1000
    with running_receiver(tmp_path / "controller") as rx:
        rx.faults.cut_after_audio_bytes = cut
        with pytest.raises(DeliveryError) as first:
            target(rx).deliver(package)
        assert first.value.text == CONNECTION_LOST and first.value.retryable
        assert published(rx.folder) == set()
        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]["received_bytes"] == cut
        rx.faults.audio_bytes = 0
        reports: list[int] = []
        receipt = target(rx).deliver(package, progress=lambda done, total: reports.append(done))
        assert not receipt.already_there
        assert rx.faults.audio_bytes == package.size_bytes - cut
        assert reports[0] == cut and reports[-1] == package.size_bytes
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()
        assert temp_files(rx.folder) == []


def test_a_restarted_receiver_resumes_from_what_it_kept_on_disk(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        rx.faults.cut_after_audio_bytes = 5 * CHUNK
        with pytest.raises(DeliveryError):
            target(rx).deliver(package)
    with running_receiver(tmp_path / "controller") as restarted:  # a new process, the same folder
        assert not target(restarted).deliver(package).already_there
        assert restarted.faults.audio_bytes == package.size_bytes - 5 * CHUNK
        assert (restarted.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()


def test_cancel_between_chunks_keeps_the_partial_upload_for_a_resume(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        token = CancelToken()

        def progress(done: int, total: int) -> None:
            if done >= 2 * CHUNK:
                token.cancel()

        with pytest.raises(Cancelled):
            target(rx).deliver(package, progress=progress, cancel=token)
        assert published(rx.folder) == set()
        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]["received_bytes"] == 2 * CHUNK
        target(rx).deliver(package)
        assert rx.faults.audio_bytes == package.size_bytes
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()


def test_an_upload_that_arrives_truncated_is_not_published(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        rx.faults.truncate_before_verify = 10
        with pytest.raises(DeliveryError) as caught:
            target(rx).deliver(package)
        assert caught.value.text == REMOTE_VERIFY_FAILED and caught.value.retryable
        assert f"received {package.size_bytes - 10} bytes" in str(caught.value)  # the receiver's own finding
        assert published(rx.folder) == set() and temp_files(rx.folder) == []
        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]["received_bytes"] == 0
        rx.faults.truncate_before_verify = 0
        target(rx).deliver(package)  # the next attempt sends it whole
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()


def test_a_receiver_that_reports_another_hash_is_not_believed(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        rx.faults.lie_sha256 = True
        with pytest.raises(DeliveryError) as caught:
            target(rx).deliver(package)
        assert caught.value.text == REMOTE_VERIFY_FAILED and caught.value.retryable


def test_a_full_disk_is_remote_full_and_retryable(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        rx.faults.disk_full = True
        with pytest.raises(DeliveryError) as caught:
            target(rx).deliver(package)
        assert caught.value.text == REMOTE_FULL and caught.value.retryable
        assert "no space" in str(caught.value)
        assert published(rx.folder) == set()
        rx.faults.disk_full = False
        target(rx).deliver(package)
        assert published(rx.folder) == {f"{PROGRAMME}.mp3", f"{PROGRAMME}.json"}


def test_a_wrong_token_is_refused_and_not_retried(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller") as rx:
        for attempt in (lambda t: t.deliver(package), lambda t: t.check(), lambda t: t.withdraw(PROGRAMME)):
            with pytest.raises(DeliveryError) as caught:
                attempt(target(rx, token="not-the-right-token-at-all"))
            assert caught.value.text == LOGIN_FAILED and not caught.value.retryable
        status, headers, document = call(rx, "GET", "/v1/health", token=None)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer ")
        conforms(document, "Problem")
        status, headers, _ = call(rx, "GET", "/v1/health", token="wrong")
        assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]
        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[0] == 404  # nothing was declared
        assert published(rx.folder) == set()


def test_an_unreachable_controller_is_retryable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError) as caught:
        HttpTarget(base_url=f"http://127.0.0.1:{port}", token=TOKEN, timeout=5).deliver(make_package(tmp_path))
    assert caught.value.text == CONNECTION_FAILED and caught.value.retryable


@pytest.mark.parametrize(("url", "token", "message"), [
    ("ftp://controller:8750", TOKEN, BAD_ADDRESS),
    ("https://admin:hunter2@controller:8750", TOKEN, BAD_ADDRESS),
    ("https://controller:8750/?next=elsewhere", TOKEN, BAD_ADDRESS),
    ("https://controller:port", TOKEN, BAD_ADDRESS),
    ("https://controller:8750", "two words", BAD_TOKEN),
    ("https://controller:8750", "line\r\nX-Injected: 1", BAD_TOKEN),
])
def test_unusable_settings_are_explained_before_connecting(url: str, token: str, message: str) -> None:
    with pytest.raises(DeliveryError) as caught:
        HttpTarget(base_url=url, token=token)
    assert caught.value.text == message and not caught.value.retryable
    assert "hunter2" not in str(caught.value)


# -- hostile servers -------------------------------------------------------------------------------------

HOSTILE = {
    "200 header lines": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: a\r\n" % i for i in range(200))
    + b"Content-Length: 2\r\n\r\n{}",
    "a 100 KiB header line": b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * (100 * 1024) + b"\r\nContent-Length: 2\r\n\r\n{}",
    "a redirect": b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:9/v1/programmes/x\r\n"
    b"Content-Length: 0\r\n\r\n",
    "a gigantic declared JSON body": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000000000\r\n\r\n" + b'{"a": "' + b"x" * 1000,
    "a gigantic streamed JSON body": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    + b'{"a": "' + b"x" * (1 << 20) + b'"}',
    "not HTTP at all": b"SSH-2.0-OpenSSH_9.6\r\n",
}


@contextmanager
def hostile_server(answer: bytes) -> Iterator[str]:
    """Accept connections, read each request whole, answer ``answer`` and hang up."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)  # poll, so the server notices the end of the test at once
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                try:
                    connection.settimeout(5)
                    request = b""
                    while b"\r\n\r\n" not in request:
                        block = connection.recv(65536)
                        if not block:
                            break
                        request += block
                    head, _, body = request.partition(b"\r\n\r\n")
                    length = re.search(rb"(?i)content-length: *(\d+)", head)
                    while length and len(body) < int(length.group(1)):
                        block = connection.recv(65536)
                        if not block:
                            break
                        body += block
                    connection.sendall(answer)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True, name="hostile-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_answers_become_clear_errors(tmp_path: Path, kind: str) -> None:
    package = make_package(tmp_path)
    before = everything(tmp_path)
    with hostile_server(HOSTILE[kind]) as url:
        for attempt in (lambda t: t.deliver(package), lambda t: t.check()):
            with pytest.raises(DeliveryError) as caught:
                attempt(HttpTarget(base_url=url, token=TOKEN, timeout=5))
            expected = REDIRECTED if kind == "a redirect" else BAD_ANSWER
            assert caught.value.text == expected and not caught.value.retryable, str(caught.value)
            assert len(str(caught.value)) < 600
    assert everything(tmp_path) == before


# -- the receiver refuses what it must -------------------------------------------------------------------


def test_the_receiver_refuses_bad_ids_sidecars_and_bodies(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    sidecar = package.sidecar.read_bytes()
    folder = tmp_path / "controller"
    with running_receiver(folder) as rx:
        answers: list[tuple[str, int, dict[str, Any]]] = []

        def expect(status: int, kind: str, method: str, path: str, body: bytes = b"", **headers: str) -> None:
            code, _, document = call(rx, method, path, body, headers=headers)
            assert (code, document.get("type", "").rpartition(":")[2]) == (status, kind), (path, document)
            conforms(document, "Problem")
            answers.append((path, code, document))

        for evil in ("..%2F..%2Fetc", "..%2f..%2fetc%2fpasswd", "%2e%2e", ".hidden", "a%2Fb", "a%5Cb", "%00",
                     "%C3%A9t%C3%A9", "x" * 129):
            expect(400, "invalid-id", "PUT", f"/v1/programmes/{evil}", sidecar)
        expect(404, "not-found", "PUT", "/v1/programmes/a/b", sidecar)
        expect(404, "not-found", "PUT", "/v1/programmes/../../etc", sidecar)
        expect(400, "invalid-sidecar", "PUT", "/v1/programmes/another-id", sidecar)
        assert "differs" in answers[-1][2]["detail"]
        broken = json.loads(sidecar)
        del broken["audio"]["sha256"]
        broken["priority"] = "urgent"
        expect(400, "invalid-sidecar", "PUT", f"/v1/programmes/{PROGRAMME}", json.dumps(broken).encode())
        assert any("sha256" in problem for problem in answers[-1][2]["problems"])
        assert any("priority" in problem for problem in answers[-1][2]["problems"])
        expect(400, "invalid-sidecar", "PUT", f"/v1/programmes/{PROGRAMME}", b"\xff\xfe not json")
        expect(400, "invalid-sidecar", "PUT", f"/v1/programmes/{PROGRAMME}", b"[NaN]")
        status, document = headers_only(rx, "PUT", f"/v1/programmes/{PROGRAMME}",
                                         {"Content-Length": str(MAX_JSON_BYTES + 1)})
        assert (status, document["type"].rpartition(":")[2]) == (413, "too-large")
        expect(404, "unknown-programme", "PUT", f"/v1/programmes/{PROGRAMME}/audio", b"ab",
               **{"Content-Range": "bytes 0-1/2"})
        expect(404, "unknown-programme", "GET", f"/v1/programmes/{PROGRAMME}")

        status, _, declared = call(rx, "PUT", f"/v1/programmes/{PROGRAMME}", sidecar)
        assert (status, declared["state"], declared["received_bytes"]) == (201, "receiving", 0)
        conforms(declared, "Declared")
        audio_path = f"/v1/programmes/{PROGRAMME}/audio"
        size = package.size_bytes
        status, document = headers_only(rx, "PUT", audio_path, {"Content-Length": str(MAX_CHUNK_BYTES + 1),
                                                                "Content-Range": f"bytes 0-{MAX_CHUNK_BYTES}/{size}"})
        assert (status, document["type"].rpartition(":")[2]) == (413, "too-large")
        expect(409, "offset-mismatch", "PUT", audio_path, b"abcd", **{"Content-Range": f"bytes 100-103/{size}"})
        assert answers[-1][2]["received_bytes"] == 0
        expect(416, "range-not-satisfiable", "PUT", audio_path, b"abcd", **{"Content-Range": "bytes 0-3/999"})
        expect(416, "range-not-satisfiable", "PUT", audio_path, b"abcd", **{"Content-Range": "bytes 0-3/3"})
        expect(400, "bad-request", "PUT", audio_path, b"abcd", **{"Content-Range": f"bytes 0-9/{size}"})
        expect(400, "bad-request", "PUT", audio_path, b"abcd", **{"Content-Range": "0-3"})
        expect(405, "method-not-allowed", "POST", audio_path, b"abcd")
        expect(400, "bad-request", "DELETE", f"/v1/programmes/{PROGRAMME}", b"surprise")
        status, document = headers_only(rx, "PUT", audio_path, {"Transfer-Encoding": "chunked",
                                                                "Content-Range": f"bytes 0-3/{size}"})
        assert (status, document["type"].rpartition(":")[2]) == (411, "length-required")

        assert call(rx, "GET", f"/v1/programmes/{PROGRAMME}")[2]["received_bytes"] == 0
        assert published(folder) == set()
    # nothing was written beside the receiver's folder, whatever the ids tried
    assert {path.name for path in tmp_path.iterdir()} == {"controller", "studio"}
    assert not (tmp_path.parent / "etc").exists()  # where "../../etc" from the receiver's folder leads


def test_the_receiver_refuses_programmes_over_its_limit(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller", max_programme_bytes=package.size_bytes - 1) as rx:
        with pytest.raises(DeliveryError) as caught:
            target(rx).deliver(package)
        assert not caught.value.retryable and "limit" in str(caught.value)


# -- HTTPS ---------------------------------------------------------------------------------------------


def test_https_works_with_the_controllers_ca_and_is_refused_without_it(tmp_path: Path) -> None:
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1")
    pki = tmp_path / "pki"
    pki.mkdir()
    for blob in certificate.cert_chain_pems:
        blob.write_to_path(str(pki / "cert.pem"), append=True)
    certificate.private_key_pem.write_to_path(str(pki / "key.pem"))
    ca.cert_pem.write_to_path(str(pki / "ca.pem"))
    package = make_package(tmp_path)
    with running_receiver(tmp_path / "controller", tls=tls_context(pki / "cert.pem", pki / "key.pem")) as rx:
        assert rx.url.startswith("https://")
        with pytest.raises(DeliveryError) as caught:
            target(rx).deliver(package)
        assert caught.value.text == TLS_UNTRUSTED and not caught.value.retryable
        assert "CA certificate file" in str(caught.value)
        assert published(rx.folder) == set()
        trusted = target(rx, ca_file=pki / "ca.pem")
        assert "Studio reference receiver" in trusted.check()
        assert not trusted.deliver(package).already_there
        assert (rx.folder / f"{PROGRAMME}.mp3").read_bytes() == package.audio.read_bytes()
        assert trusted.deliver(package).already_there


# -- the command line ----------------------------------------------------------------------------------

SERVE = """
import argparse, sys
from studio.controller_commands import add_controller_parsers, run_controller_command
parser = argparse.ArgumentParser(prog="studio")
add_controller_parsers(parser.add_subparsers(dest="command"))
sys.exit(run_controller_command(parser.parse_args(sys.argv[1:]), lambda context, text: text))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGINT")
def test_controller_serve_runs_the_receiver_until_interrupted(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    folder = tmp_path / "published"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("STUDIO_CONTROLLER_TOKEN", None)
    command = [sys.executable, "-c", SERVE, "controller", "serve", "--folder", str(folder), "--port", "0"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1 and "STUDIO_CONTROLLER_TOKEN" in refused.stderr
    with subprocess.Popen([*command, "--token-file", str(token_file)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+", line)
            assert match, line
            package = make_package(tmp_path)
            assert not HttpTarget(base_url=match.group(0), token=TOKEN, timeout=5).deliver(package).already_there
            assert published(folder) == {f"{PROGRAMME}.mp3", f"{PROGRAMME}.json"}
            process.send_signal(signal.SIGINT)
            _, errors = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0
    assert TOKEN not in errors  # the log names requests, never the key
    assert f"PUT /v1/programmes/{PROGRAMME}/audio" in errors


def test_the_cli_default_size_limit_is_the_store_s() -> None:
    """The CLI states the receiver's default limit without importing it (start-up time): they must agree."""
    from studio.controller.store import DEFAULT_MAX_PROGRAMME_BYTES
    from studio.controller_commands import DEFAULT_MAX_PROGRAMME_MIB

    assert DEFAULT_MAX_PROGRAMME_MIB << 20 == DEFAULT_MAX_PROGRAMME_BYTES
