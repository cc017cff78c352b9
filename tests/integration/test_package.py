"""The package a controller receives: the approved render re-tagged with its schedule, approval and the
station logo, described by a schema-valid sidecar of the re-tagged file; the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from datetime import UTC, date, datetime, time
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed
import pytest
from mutagen.id3 import ID3

from studio.audio.loudness import LoudnessReport
from studio.delivery.package import build_package, sidecar_bytes
from studio.store.repo import StationInfo
from studio.tags.id3 import write_id3
from studio.tags.sidecar import SCHEMA_PATH, Approval, build_sidecar, probe_audio
from studio.workflow.schedule import Schedule, Slot, Zone
from tests.integration.test_id3 import TAGS, audio_after_tag, decoded_sha256, ffmetadata, ffmpeg

STATION = StationInfo(id=1, name="Đài truyền thanh xã Hòa Bình", commune="Hòa Bình", province="Hòa Bình",
                      series="Thời sự xã", default_preset="vi-north-offline", opening_jingle="opening",
                      closing_jingle="closing")
SCHEDULE = Schedule((Slot(time(5, 30), days=(0, 1, 2, 3, 4, 5)), Slot(time(19, 0), date=date(2026, 11, 25))),
                    date(2026, 11, 23), date(2026, 11, 29), (Zone("thon-3", "Thôn 3"),), repeat=2)
APPROVAL = Approval("Trần Văn Hùng", datetime(2026, 11, 22, 9, 30, tzinfo=UTC), "cd" * 32, "ef" * 32)


def png() -> bytes:
    """A real 1×1 PNG (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xc0\x20\x10")) + chunk(b"IEND", b""))


@pytest.fixture
def render(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A rendered programme as the studio stores it: a tagged MP3 and its sidecar."""
    path = tmp_path / "render.mp3"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100", "-ac", "1", "-c:a",
           "libmp3lame", "-b:a", "64k", str(path))
    write_id3(path, TAGS)
    sidecar = build_sidecar(programme_id="3f2a9c0d", title=TAGS.title, station=STATION, series=STATION.series,
                            languages=TAGS.languages, duration_ms=2000, audio=probe_audio(path),
                            loudness=LoudnessReport(-16.04, -1.23, 5.6, -1.96), target_lufs=-16.0,
                            priority="emergency", content_hash="cd" * 32,
                            created_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC))
    return path, sidecar


def test_the_package_carries_schedule_approval_and_logo_in_tags_and_sidecar(
        render: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    source, sidecar = render
    work = tmp_path / "work"
    work.mkdir()
    built = build_package(source, sidecar, work, schedule=SCHEDULE, utc_offset_minutes=420, approval=APPROVAL,
                          picture=png())
    assert built.sha256 == hashlib.sha256(built.audio.read_bytes()).hexdigest()
    assert built.audio.name == f"{built.sha256}.mp3" and [p.name for p in work.iterdir()] == [built.audio.name]
    assert audio_after_tag(built.audio) == audio_after_tag(source)  # only the tag changed
    assert decoded_sha256(built.audio) == decoded_sha256(source)

    tag = ID3(built.audio, translate=False)
    assert tag.version[:2] == (2, 3)
    assert "Thôn 3" in str(tag["TXXX:SCHEDULE"]) and "05:30 Mon–Sat" in str(tag["TXXX:SCHEDULE"])
    assert str(tag["TXXX:APPROVAL"]).startswith("Trần Văn Hùng, 2026-11-22T09:30:00Z, efefef")
    assert str(tag["TXXX:PRIORITY"]) == "emergency" and str(tag["TXXX:PROGRAMME_ID"]) == "3f2a9c0d"
    cover = tag.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.type == 3 and cover.data == png()
    meta = ffmetadata(built.audio)  # an independent reader sees the same
    assert meta["title"] == TAGS.title and "Thôn 3" in meta["SCHEDULE"]

    data = built.sidecar
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(data)
    assert data["audio"]["sha256"] == built.sha256 and data["audio"]["size_bytes"] == built.size_bytes
    assert data["approval"]["approval_hash"] == "ef" * 32
    assert data["zones"] == [{"id": "thon-3", "name": "Thôn 3"}]
    assert data["schedule"]["repeat"] == 2 and len(data["schedule"]["slots"]) == 7  # six weekdays + the 25th
    assert data["schedule"]["slots"][0] == {"start": "2026-11-23T05:30:00+07:00"}
    assert built.sidecar_bytes == sidecar_bytes(data)
    assert data["title"] == sidecar["title"] and data["loudness"] == sidecar["loudness"]


def test_the_same_inputs_give_the_same_bytes_and_a_new_schedule_new_ones(
        render: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    source, sidecar = render
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    one = build_package(source, sidecar, first, schedule=SCHEDULE, utc_offset_minutes=420, approval=APPROVAL)
    again = build_package(source, sidecar, second, schedule=SCHEDULE, utc_offset_minutes=420, approval=APPROVAL)
    assert (one.sha256, one.sidecar_bytes) == (again.sha256, again.sidecar_bytes)  # a retry sends identical bytes
    moved = build_package(source, sidecar, first, schedule=SCHEDULE.for_dates(date(2026, 11, 30)),
                          utc_offset_minutes=420, approval=APPROVAL)
    assert moved.sha256 != one.sha256 and moved.sidecar["schedule"] != one.sidecar["schedule"]


def test_a_package_without_a_schedule_plays_when_the_operator_decides(
        render: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    source, sidecar = render
    built = build_package(source, sidecar, tmp_path, schedule=None, utc_offset_minutes=420, approval=APPROVAL)
    assert built.sidecar["schedule"]["slots"] == [] and built.sidecar["zones"] == []
    assert "SCHEDULE" not in ffmetadata(built.audio)
    with pytest.raises(ValueError):  # a picture that is not PNG or JPEG is a caller's bug, never embedded
        build_package(source, sidecar, tmp_path, schedule=None, utc_offset_minutes=420, approval=APPROVAL,
                      picture=b"GIF89a")
