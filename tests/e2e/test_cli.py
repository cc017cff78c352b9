"""The command line doing an officer's whole job, in a real subprocess with its own data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from tests.oracles import ebur128, ffprobe

pytestmark = pytest.mark.slow


def studio(home: Path, *args: str, stdin: str | None = None, lang: str = "en",
           password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDIO_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    env.pop("STUDIO_DATABASE_URL", None)
    env.pop("STUDIO_PASSWORD", None)
    if password is not None:
        env["STUDIO_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "studio", "--data-dir", str(home), *args], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def demo_id(home: Path) -> str:
    proc = studio(home, "demo")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split("\t")[0]


def test_demo_then_render_gives_a_broadcast_ready_mp3(home: Path, tmp_path: Path) -> None:
    bulletin = demo_id(home)
    out = tmp_path / "x.mp3"
    proc = studio(home, "render", bulletin, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    sidecar = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))

    integrated, peak = ebur128(out)
    assert abs(integrated - (-16.0)) <= 1.0
    assert peak <= -1.0

    tags = ID3(out)
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Bản tin mẫu – Đài truyền thanh xã"
    assert str(tags["TPE1"]) == "Đài truyền thanh xã Hòa Bình"
    assert str(tags["TCON"]) == "Bản tin"
    assert "vie" in str(tags["TLAN"])

    probe = ffprobe(out)
    probed_tags = {k.lower(): v for k, v in probe["format"]["tags"].items()}
    assert probed_tags["title"] == "Bản tin mẫu – Đài truyền thanh xã"
    assert probed_tags["artist"] == "Đài truyền thanh xã Hòa Bình"
    stream = probe["streams"][0]
    assert (stream["codec_name"], int(stream["sample_rate"]), stream["channels"]) == ("mp3", 44100, 1)
    assert int(probe["format"]["bit_rate"]) // 1000 in range(120, 140)
    assert abs(float(probe["format"]["duration"]) * 1000 - sidecar["duration_ms"]) <= 50
    assert sidecar["audio"]["sha256"] and sidecar["priority"] == "normal"
    assert [s["kind"] for s in sidecar["segments"]] == ["ident", "greeting", "news", "notice", "closing"]


def test_render_text_file_makes_one_segment_per_paragraph(home: Path, tmp_path: Path) -> None:
    text = tmp_path / "thong-bao.txt"
    text.write_text("Thông báo về lịch tiêm chủng.\n\nTừ 7h30 ngày 25/11, bà con đưa trẻ đến Trạm Y tế xã.\r\n"
                    "\r\n\r\nXin cảm ơn bà con.\n", encoding="utf-8-sig")
    out = tmp_path / "notice.mp3"
    proc = studio(home, "render", "--text", str(text), "-o", str(out), "--preset", "vi-south-offline")
    assert proc.returncode == 0, proc.stderr
    sidecar = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(sidecar["segments"]) == 3
    assert {s["preset"] for s in sidecar["segments"]} == {"vi-south-offline"}
    assert sidecar["title"] == "thong-bao"


def test_deliver_to_a_folder_is_atomic_and_idempotent(home: Path, tmp_path: Path) -> None:
    bulletin = demo_id(home)
    share = tmp_path / "controller-share"
    share.mkdir()
    assert studio(home, "target", "add", "loa", "--folder", str(share)).returncode == 0
    first = studio(home, "deliver", bulletin, "--target", "loa")
    assert first.returncode == 1 and "not approved" in first.stderr and not any(share.iterdir())
    secret = "mật khẩu đủ dài"
    for command in (("user", "add", "quantri", "--password-stdin"),
                    ("--user", "quantri", "user", "add", "lan", "--role", "officer", "--password-stdin"),
                    ("--user", "quantri", "user", "add", "hung", "--role", "reviewer", "--password-stdin")):
        made = studio(home, *command, stdin=secret + "\n", password=secret)
        assert made.returncode == 0, made.stderr
    assert studio(home, "deliver", bulletin, "--target", "loa").returncode == 1  # nobody logged in
    wrong = studio(home, "--user", "lan", "submit", bulletin, password="sai")
    assert wrong.returncode == 1 and "Wrong user name or password" in wrong.stderr
    for user, command in (("lan", "submit"), ("hung", "approve")):
        moved = studio(home, "--user", user, command, bulletin, password=secret)
        assert moved.returncode == 0, moved.stderr
    refused = studio(home, "--user", "hung", "deliver", bulletin, "--target", "loa", password=secret)
    assert refused.returncode == 1 and "may not deliver" in refused.stderr  # a reviewer does not deliver
    first = studio(home, "--user", "lan", "deliver", bulletin, "--target", "loa", password=secret)
    assert first.returncode == 0, first.stderr
    status = studio(home, "status", bulletin)
    assert status.returncode == 0 and status.stdout.startswith("Delivered")
    files = sorted(p.name for p in share.iterdir())
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".mp3")
    sidecar = json.loads((share / files[0]).read_text(encoding="utf-8"))
    import hashlib

    assert hashlib.sha256((share / files[1]).read_bytes()).hexdigest() == sidecar["audio"]["sha256"]
    second = studio(home, "--user", "lan", "deliver", bulletin, "--target", "loa", password=secret)
    assert second.returncode == 0 and "already delivered" in second.stdout
    assert sorted(p.name for p in share.iterdir()) == files


def test_self_test_passes_offline(home: Path) -> None:
    proc = studio(home, "self-test")
    assert proc.returncode == 0, proc.stderr
    assert "self-test passed" in proc.stdout


def test_normalize_writes_one_line_per_input_line(home: Path) -> None:
    lines = ["UBND xã thông báo", "", "Giá 1.500.000 đồng", "🙂🙂", "Hẹn lúc 14h30"]
    proc = studio(home, "normalize", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines)
    assert out[0] == "Ủy ban nhân dân xã thông báo"
    assert out[2] == "Giá một triệu năm trăm nghìn đồng"


def test_bad_input_gives_clear_messages_and_loses_nothing(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    proc = studio(home, "render", "--text", str(empty), "-o", str(tmp_path / "e.mp3"))
    assert proc.returncode == 1 and "nothing to read aloud" in proc.stderr
    assert "Traceback" not in proc.stderr

    emoji = tmp_path / "emoji.txt"
    emoji.write_text("Kính thưa bà con.\n\n!!! 🙂🎉 …\n", encoding="utf-8")
    proc = studio(home, "render", "--text", str(emoji), "-o", str(tmp_path / "emoji.mp3"))
    assert proc.returncode == 0, proc.stderr
    assert "Segment 2 has nothing to read aloud" in proc.stderr

    huge = tmp_path / "huge.txt"
    huge.write_text("Bà con chú ý lắng nghe thông báo của xã. " * 5000, encoding="utf-8")
    proc = studio(home, "render", "--text", str(huge), "-o", str(tmp_path / "huge.mp3"))
    assert proc.returncode == 1 and "Segment 1 is too long" in proc.stderr

    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Thông báo".encode("utf-16"))
    proc = studio(home, "render", "--text", str(latin1), "-o", str(tmp_path / "l.mp3"))
    assert proc.returncode == 1 and "UTF-8" in proc.stderr

    bulletin = demo_id(home)
    not_a_folder = tmp_path / "report.docx"  # a file where the officer typed a folder: even root cannot write
    not_a_folder.write_bytes(b"x")
    proc = studio(home, "render", bulletin, "-o", str(not_a_folder / "out.mp3"))
    assert proc.returncode == 1 and "cannot write" in proc.stderr
    assert "Traceback" not in proc.stderr
    listing = studio(home, "list")
    assert "Bản tin mẫu" in listing.stdout


def test_messages_are_vietnamese_for_vietnamese_users(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "trong.txt"
    empty.write_text("\n", encoding="utf-8")
    proc = studio(home, "render", "--text", str(empty), "-o", str(tmp_path / "x.mp3"), lang="vi")
    assert proc.returncode == 1
    assert "chưa có nội dung để đọc" in proc.stderr


def test_a_station_jingle_is_imported_checked_and_used(home: Path, tmp_path: Path) -> None:
    import numpy as np

    from studio.audio.codec import encode_wav
    from studio.audio.pcm import Pcm

    t = np.arange(44100 * 3) / 44100
    tune = tmp_path / "nhac-hieu-xa.wav"
    encode_wav(Pcm.from_mono(0.3 * np.sin(2 * np.pi * 523.25 * t) * np.hanning(t.size), 44100), tune)
    bulletin = demo_id(home)
    proc = studio(home, "jingle", "import", str(tune), "--category", "opening", "--name", "Nhạc hiệu xã", "--use")
    assert proc.returncode == 0, proc.stderr
    jingle_id = proc.stdout.split("\t")[0]
    assert jingle_id.startswith("opening-")
    listing = studio(home, "jingle", "list").stdout
    assert jingle_id in listing and "shipped-opening" in listing
    out = tmp_path / "x.mp3"
    assert studio(home, "render", bulletin, "-o", str(out)).returncode == 0
    first = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["segments"][0]
    assert 3000 <= first["start_ms"] < 5000  # the 3 s station tune (+ gap) opens it, not the 7 s shipped one

    broken = tmp_path / "hong.mp3"
    broken.write_bytes(b"not audio at all" * 100)
    proc = studio(home, "jingle", "import", str(broken), "--category", "stinger")
    assert proc.returncode == 1 and "cannot be read" in proc.stderr and "Traceback" not in proc.stderr


def test_deliver_over_sftp_after_trusting_the_host_key(home: Path, tmp_path: Path) -> None:
    """The installer adds an SFTP controller, sees its host key refused until trusted, trusts the exact
    fingerprint; the approved bulletin then arrives and the outbox lists it as done."""
    from tests.servers.sftp_server import sftp_server

    bulletin = demo_id(home)
    root = tmp_path / "controller"
    (root / "inbox").mkdir(parents=True)
    secret = "mật khẩu đủ dài"
    with sftp_server(root) as server:
        added = studio(home, "target", "add", "loa", "--kind", "sftp", "--host", server.host, "--port",
                       str(server.port), "--username", server.user, "--folder", "/inbox", "--password-stdin",
                       stdin=server.password + "\n")
        assert added.returncode == 0, added.stderr
        untrusted = studio(home, "target", "test", "loa")
        assert untrusted.returncode == 1 and server.fingerprint in untrusted.stderr
        wrong = studio(home, "target", "trust", "loa", "--fingerprint", "SHA256:" + "A" * 43)
        assert wrong.returncode == 1 and server.fingerprint in wrong.stderr  # shown, not pinned
        trusted = studio(home, "target", "trust", "loa", "--fingerprint", server.fingerprint)
        assert trusted.returncode == 0 and server.fingerprint in trusted.stdout
        assert studio(home, "target", "test", "loa").returncode == 0
        for command in (("user", "add", "quantri", "--password-stdin"),
                        ("--user", "quantri", "user", "add", "lan", "--role", "officer", "--password-stdin"),
                        ("--user", "quantri", "user", "add", "hung", "--role", "reviewer", "--password-stdin")):
            assert studio(home, *command, stdin=secret + "\n", password=secret).returncode == 0
        for user, command in (("lan", "submit"), ("hung", "approve")):
            assert studio(home, "--user", user, command, bulletin, password=secret).returncode == 0
        sent = studio(home, "--user", "lan", "deliver", bulletin, "--target", "loa", password=secret)
        assert sent.returncode == 0, sent.stderr
        assert "delivered: loa" in sent.stdout
    files = sorted(p.name for p in (root / "inbox").iterdir())
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".mp3")
    listed = studio(home, "outbox", "list", "--all")
    assert listed.returncode == 0 and "\tdone\tloa\t1\t" in listed.stdout
    history = studio(home, "outbox", "history", bulletin)
    assert [line.split("\t")[3] for line in history.stdout.splitlines()] == ["queued", "started", "delivered"]


def test_output_to_a_pipe_is_utf8_whatever_the_locale() -> None:
    """On Windows a redirected stdout uses the ANSI code page; Vietnamese must still come out (as UTF-8)."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "STUDIO_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "studio", "normalize"], input="Đường số 3\n".encode(),
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "đường số ba" in done.stdout.decode("utf-8").lower()
