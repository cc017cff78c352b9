"""The reference receiver under arbitrary requests (hypothesis), over real sockets to a real server on
loopback: sequences of declarations, chunks, withdrawals and garbage — any method, path, id, header, size
and body. After every request the receiver has answered with a problem document or a success (never a 5xx
other than the documented 507), has written nothing outside its folder, publishes only programmes whose
audio matches the sha256 its published sidecar declares, and still answers a health check.

The named refusals (each id, header and limit) are in ``test_controller_api.py``."""

from __future__ import annotations

import hashlib
import json
import random
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from studio.controller.store import STATE_DIR
from studio.tags.sidecar import AudioFacts, build_sidecar
from tests.servers.http_receiver import TOKEN, RunningReceiver, running_receiver

pytestmark = [pytest.mark.timeout(300)]

IDS = ["bt-1", "bt-2", "Bt-1"]  # two programmes, and one that differs only in case


@dataclass(frozen=True)
class Station:
    name: str = "Đài truyền thanh xã Hòa Bình"
    commune: str = "Hòa Bình"
    province: str = "Hòa Bình"


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float = -16.0
    true_peak_dbtp: float = -1.2
    loudness_range_lu: float = 4.5
    replaygain_db: float = -2.0


def audio_of(programme_id: str, version: int) -> bytes:
    return random.Random(f"{programme_id}-{version}").randbytes(3000 + 500 * version)


def sidecar_of(programme_id: str, version: int, *, audio_format: str = "mp3", size: int | None = None) -> bytes:
    audio = audio_of(programme_id, version)
    facts = AudioFacts(len(audio), hashlib.sha256(audio).hexdigest(), 48, 24000, 1, format=audio_format)
    data = build_sidecar(programme_id=programme_id, title=f"Bản tin {version}", station=Station(), series="Thời sự",
                         languages=["vie"], duration_ms=1000, audio=facts, loudness=Loudness(), target_lufs=-16.0)
    if size is not None:
        data["audio"]["size_bytes"] = size  # what the studio would never write
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# -- requests ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


ids = st.one_of(st.sampled_from(IDS), st.sampled_from(["..", "%2e%2e", "..%2F..%2Fetc", ".hidden", "a%2Fb", "%00",
                                                        "a%5Cb", "x" * 129, "%C3%A9", "", "a/../b", "%252e"]),
                st.text(st.characters(codec="ascii", exclude_characters="\r\n ?#"), min_size=1, max_size=20))
tokens = st.one_of(st.just(TOKEN), st.just(TOKEN.upper()), st.just(""), st.text(max_size=10).map(
    lambda t: t.encode("latin-1", "replace").decode("latin-1")))
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=30)


@st.composite
def declarations(draw: st.DrawFn) -> Request:
    programme_id = draw(st.sampled_from(IDS))
    version = draw(st.integers(0, 2))
    kind = draw(st.sampled_from(["valid", "valid", "other-id", "wav", "huge", "mutated"]))
    if kind == "other-id":
        body = sidecar_of(draw(st.sampled_from(IDS)), version)
    elif kind == "wav":
        body = sidecar_of(programme_id, version, audio_format="wav")
    elif kind == "huge":
        body = sidecar_of(programme_id, version, size=draw(st.sampled_from([0, 1, 10**12, 2**63])))
    elif kind == "mutated":
        raw = bytearray(sidecar_of(programme_id, version))
        for _ in range(draw(st.integers(1, 4))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        body = bytes(raw)
    else:
        body = sidecar_of(programme_id, version)
    headers = [("Authorization", f"Bearer {TOKEN}")]
    if draw(st.integers(0, 5)):
        headers.append(("Content-Length", str(len(body))))
    return Request("PUT", f"/v1/programmes/{programme_id}", tuple(headers), body)


@st.composite
def chunks(draw: st.DrawFn) -> Request:
    programme_id = draw(st.sampled_from(IDS))
    audio = audio_of(programme_id, draw(st.integers(0, 2)))
    total = len(audio) if draw(st.booleans()) else draw(st.integers(0, 2 * len(audio)))
    start = draw(st.sampled_from([0, 0, 1000, len(audio) // 2, len(audio) - 1, len(audio)]))
    end = draw(st.integers(start, start + 2500)) if draw(st.booleans()) else len(audio) - 1
    body = bytearray(audio[start : end + 1])
    if body and draw(st.integers(0, 4)) == 0:  # a flipped byte on the way
        body[draw(st.integers(0, len(body) - 1))] ^= 0xFF
    headers = [("Authorization", f"Bearer {TOKEN}"), ("Content-Range", f"bytes {start}-{end}/{total}")]
    length = draw(st.sampled_from(["exact", "exact", "exact", "more", "less", "garbage", "none", "chunked"]))
    if length == "exact":
        headers.append(("Content-Length", str(len(body))))
    elif length == "more":
        headers.append(("Content-Length", str(len(body) + draw(st.integers(1, 10**6)))))
    elif length == "less":
        headers.append(("Content-Length", str(max(0, len(body) - draw(st.integers(1, 100))))))
    elif length == "garbage":
        headers.append(("Content-Length", draw(header_values)))
    elif length == "chunked":
        headers.append(("Transfer-Encoding", "chunked"))
    if draw(st.booleans()):
        headers.append(("Expect", "100-continue"))
    return Request("PUT", f"/v1/programmes/{programme_id}/audio", tuple(headers), bytes(body))


@st.composite
def anything(draw: st.DrawFn) -> Request:
    method = draw(st.sampled_from(["GET", "PUT", "DELETE", "POST", "HEAD", "PATCH", "OPTIONS", "TRACE", "BREW"]))
    shape = draw(st.sampled_from(["/v1/programmes/{}", "/v1/programmes/{}/audio", "/v1/health", "/v1/programmes/",
                                  "/v1/programmes/{}/audio/x", "/{}", "/v1/programmes/{}?x=1", "//v1/health",
                                  "/v1/programmes/{}/../../{}"]))
    path = shape.replace("{}", draw(ids))
    headers = [("Authorization", f"Bearer {draw(tokens)}")] if draw(st.integers(0, 5)) else []
    for _ in range(draw(st.integers(0, 3))):
        headers.append((draw(st.sampled_from(["Content-Range", "Content-Length", "Content-Type", "X-Junk",
                                               "Transfer-Encoding", "Expect"])), draw(header_values)))
    body = draw(st.one_of(st.binary(max_size=300), st.just(b""), st.builds(sidecar_of, st.sampled_from(IDS),
                                                                           st.integers(0, 2))))
    if not any(name == "Content-Length" for name, _ in headers) and draw(st.booleans()):
        headers.append(("Content-Length", str(len(body))))
    return Request(method, path, tuple(headers), body)


def withdrawals(programme_id: str) -> Request:
    return Request("DELETE", f"/v1/programmes/{programme_id}", (("Authorization", f"Bearer {TOKEN}"),), b"")


requests = st.one_of(declarations(), chunks(), chunks(), anything(), st.builds(withdrawals, st.sampled_from(IDS)))


def send(rx: RunningReceiver, request: Request) -> int | None:
    """Send ``request`` byte for byte (no client library tidies it up), end the sending side, and return the
    status of the first answer (None when the receiver closed without answering, e.g. a body cut short)."""
    head = [f"{request.method} {request.path} HTTP/1.1", f"Host: 127.0.0.1:{rx.server.server_address[1]}",
            *(f"{name}: {value}" for name, value in request.headers)]
    with socket.create_connection(("127.0.0.1", rx.server.server_address[1]), timeout=10) as sock:
        try:
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + request.body)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the receiver answered early and closed (a refused body): read what it said
        received = b""
        try:
            while block := sock.recv(65536):
                received += block
        except ConnectionResetError:
            pass
    return first_answer(received, head_request=request.method == "HEAD")


def first_answer(received: bytes, *, head_request: bool) -> int | None:
    """The status of the first final answer in ``received`` (after any ``100 Continue``), its body checked
    to be a JSON object; None if there is none. Further answers (to bytes the receiver read as another
    request, when no Content-Length announced them as a body) are left alone."""
    while received.startswith(b"HTTP/1.1 "):
        head, _, rest = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        if status == 100:
            received = rest
            continue
        headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)}
        if not head_request:
            body = rest[: int(headers["content-length"])]
            assert headers["content-type"] in ("application/json", "application/problem+json")
            assert isinstance(json.loads(body), dict)  # a status or a problem document, whole
        return status
    assert not received, received[:200]  # anything at all must be an HTTP answer
    return None


# -- the invariants ------------------------------------------------------------------------------------


def check_published(folder: Path) -> None:
    """Only finished programmes in the published folder, and each one's audio is what its sidecar declares."""
    visible = {path.name for path in folder.iterdir() if not path.name.startswith(".")}
    for name in visible:
        stem, _, suffix = name.rpartition(".")
        assert suffix in ("mp3", "wav", "json"), f"{name} is not a published programme file"
        if suffix == "json":
            continue
        assert f"{stem}.json" in visible, f"{name} is published without its sidecar"
    for name in visible:
        stem, _, suffix = name.rpartition(".")
        if suffix != "json":
            continue
        declared = json.loads((folder / name).read_bytes())["audio"]
        audio = folder / declared["file"]
        assert audio.is_file(), f"{name} describes audio that is not published"
        data = audio.read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (declared["size_bytes"], declared["sha256"])


def check_contained(root: Path, folder: Path) -> None:
    """Nothing written beside the receiver's folder; inside its state folder only what the store keeps."""
    for path in root.rglob("*"):
        assert path == folder or folder in path.parents, f"{path} was written outside the receiver's folder"
    for path in (folder / STATE_DIR).iterdir():
        assert path.name.endswith((".part", ".record.json", ".sidecar.json")), path.name


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningReceiver, Path]]:
    root = tmp_path_factory.mktemp("fuzz-receiver")
    with running_receiver(root / "controller", max_programme_bytes=1_000_000) as rx:
        yield rx, root


def test_a_published_programme_survives_the_fuzzing_and_a_corrupt_upload_never_replaces_it(
        receiver: tuple[RunningReceiver, Path]) -> None:
    """The invariants hold after a clean delivery too (so the property above sees published programmes), and a
    corrected version whose upload arrives corrupted leaves the published one as it was."""
    rx, root = receiver
    auth = (("Authorization", f"Bearer {TOKEN}"),)
    assert send(rx, withdrawals("bt-2")) in (200, 404)
    declared = sidecar_of("bt-2", 0)
    assert send(rx, Request("PUT", "/v1/programmes/bt-2", (*auth, ("Content-Length", str(len(declared)))),
                            declared)) == 201
    audio = audio_of("bt-2", 0)
    headers = (*auth, ("Content-Range", f"bytes 0-{len(audio) - 1}/{len(audio)}"), ("Content-Length", str(len(audio))))
    assert send(rx, Request("PUT", "/v1/programmes/bt-2/audio", headers, audio)) == 200
    check_published(rx.folder)
    assert (rx.folder / "bt-2.mp3").read_bytes() == audio

    declared = sidecar_of("bt-2", 1)
    assert send(rx, Request("PUT", "/v1/programmes/bt-2", (*auth, ("Content-Length", str(len(declared)))),
                            declared)) == 201
    corrected = bytearray(audio_of("bt-2", 1))
    corrected[-1] ^= 0xFF
    headers = (*auth, ("Content-Range", f"bytes 0-{len(corrected) - 1}/{len(corrected)}"),
               ("Content-Length", str(len(corrected))))
    assert send(rx, Request("PUT", "/v1/programmes/bt-2/audio", headers, bytes(corrected))) == 422
    assert (rx.folder / "bt-2.mp3").read_bytes() == audio  # the old version plays on
    check_published(rx.folder)
    check_contained(root, rx.folder)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(requests, min_size=1, max_size=8))
def test_any_requests_leave_the_receiver_sound_and_serving(
        receiver: tuple[RunningReceiver, Path], sequence: list[Request]) -> None:
    rx, root = receiver
    for request in sequence:
        status = send(rx, request)
        event(f"{request.method} answered {status}")  # --hypothesis-show-statistics: what the fuzzing reached
        assert status is None or status < 500 or status == 507, (request, status)
        check_contained(root, rx.folder)
        check_published(rx.folder)
    event(f"published programmes: {len(list(rx.folder.glob('*.json')))}")
    health = send(rx, Request("GET", "/v1/health", (("Authorization", f"Bearer {TOKEN}"),), b""))
    assert health == 200
