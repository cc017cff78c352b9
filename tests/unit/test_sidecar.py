"""The JSON sidecar: what the studio writes validates against the published schema, and what it reads
is checked so a broken or hostile file becomes a message, never a crash."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.messages import NOT_WRITABLE, StudioError
from studio.tags.sidecar import (
    MAX_SIDECAR_BYTES,
    SCHEMA_PATH,
    SIDECAR_INVALID,
    SIDECAR_MISSING,
    SIDECAR_TOO_LARGE,
    Approval,
    AudioFacts,
    SegmentSummary,
    build_sidecar,
    load_sidecar,
    sidecar_problems,
    write_sidecar,
)
from studio.workflow.schedule import Schedule, Slot, Zone

ICT = timezone(timedelta(hours=7))  # Indochina Time, the communes' wall clock


@dataclass(frozen=True)
class Station:
    name: str
    commune: str
    province: str


@dataclass(frozen=True)
class Measured:
    integrated_lufs: float
    true_peak_dbtp: float
    loudness_range_lu: float
    replaygain_db: float


HOA_BINH = Station(name="Đài truyền thanh xã Hòa Bình", commune="Hòa Bình", province="Hòa Bình")
AUDIO = AudioFacts(size_bytes=1_234_567, sha256="ab" * 32, bitrate_kbps=64, sample_rate=44100, channels=1)
LOUDNESS = Measured(integrated_lufs=-16.04, true_peak_dbtp=-1.23, loudness_range_lu=5.6, replaygain_db=-1.96)


def schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


VALIDATOR = schema_validator()


def sidecar(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "programme_id": "3f2a9c0d4e5b6a7c8d9e0f1a2b3c4d5e",
        "title": "Bản tin sáng thứ Hai, 23/11/2026",
        "station": HOA_BINH,
        "series": "Thời sự xã",
        "languages": ["vie", "khm"],
        "duration_ms": 301_250,
        "audio": AUDIO,
        "loudness": LOUDNESS,
        "target_lufs": -16.0,
        "priority": "priority",
        "segments": [
            SegmentSummary(1, "ident", "vie", "vi-north-offline", "phrase", 6_000, 4_000),
            SegmentSummary(2, "news", "vie", "vi-north-edge", "tts", 10_700, 180_000),
            SegmentSummary(3, "news", "khm", "km-recorded", "recorded", 191_400, 104_000),
        ],
        "content_hash": "cd" * 32,
        "schedule": Schedule(
            slots=(Slot(time(5, 0), days=(0, 1, 2, 3, 4, 5)), Slot(time(17, 0), date=date(2026, 11, 23))),
            valid_from=date(2026, 11, 23),
            valid_until=date(2026, 11, 24),
            zones=(Zone("t1", "Thôn 1"), Zone("t2", "Thôn 2")),
        ),
        "approval": Approval(
            reviewer="Nguyễn Văn An",
            approved_at=datetime(2026, 11, 22, 9, 30, tzinfo=ICT),
            content_hash="cd" * 32,
            approval_hash="ef" * 32,
        ),
        "created_at": datetime(2026, 11, 22, 10, 15, 42, 123456, tzinfo=ICT),
        "generator_version": "1.2.3",
    }
    arguments.update(changes)
    return build_sidecar(**arguments)


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_built_sidecar_has_the_delivery_contract_fields() -> None:
    data = sidecar()
    VALIDATOR.validate(data)
    assert data["schema_version"] == 2
    assert data["audio"] == {
        "file": "3f2a9c0d4e5b6a7c8d9e0f1a2b3c4d5e.mp3",
        "format": "mp3",
        "bitrate_kbps": 64,
        "sample_rate": 44100,
        "channels": 1,
        "size_bytes": 1_234_567,
        "sha256": "ab" * 32,
    }
    assert data["duration_ms"] == 301_250
    assert data["created_at"] == "2026-11-22T03:15:42Z"  # UTC, whole seconds
    assert data["loudness"] == {
        "integrated_lufs": -16.04,
        "true_peak_dbtp": -1.23,
        "loudness_range_lu": 5.6,
        "replaygain_db": -1.96,
        "target_lufs": -16.0,
    }
    assert data["schedule"]["slots"] == [
        {"start": "2026-11-23T05:00:00+07:00"},  # local wall time: the slot means 05:00 in the commune
        {"start": "2026-11-23T17:00:00+07:00"},
        {"start": "2026-11-24T05:00:00+07:00"},
    ]
    assert data["schedule"]["weekly"] == [{"time": "05:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat"]}]
    assert data["schedule"]["valid_until"] == "2026-11-24"
    assert data["schedule"]["utc_offset"] == "+07:00" and data["schedule"]["repeat"] == 1
    assert data["zones"] == [{"id": "t1", "name": "Thôn 1"}, {"id": "t2", "name": "Thôn 2"}]
    assert data["approval"]["approval_hash"] == "ef" * 32
    assert data["approval"]["approved_at"] == "2026-11-22T02:30:00Z"
    assert data["segments"][2] == {
        "position": 3, "kind": "news", "language": "khm", "preset": "km-recorded", "source": "recorded",
        "start_ms": 191_400, "duration_ms": 104_000,
    }
    assert data["content_hash"] == data["approval"]["content_hash"] == "cd" * 32
    assert data["generator"] == {"name": "Commune Radio Studio", "version": "1.2.3"}


def test_minimal_sidecar_validates() -> None:
    data = sidecar(segments=[], schedule=None, approval=None, created_at=None, content_hash=None)
    VALIDATOR.validate(data)
    assert data["approval"] is None and data["content_hash"] is None
    assert data["schedule"] == {"slots": [], "weekly": [], "valid_from": None, "valid_until": None, "repeat": 1,
                                "utc_offset": "+07:00"}
    assert data["zones"] == []
    created = datetime.fromisoformat(data["created_at"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "changes",
    [
        {"languages": ["vi"]},
        {"languages": []},
        {"priority": "urgent"},
        {"programme_id": "../evil"},
        {"created_at": datetime(2026, 11, 22, 10, 0)},  # naive: which timezone?
        {"schedule": Schedule(zones=(Zone("", ""),))},
        {"title": ""},
        {"content_hash": "not a hash"},
        {"segments": [SegmentSummary(1, "news", "vi", "vi-north-edge", "tts", 0, 1_000)]},
    ],
)
def test_build_refuses_inputs_that_break_the_schema(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sidecar(**changes)


def test_round_trip_keeps_vietnamese_readable(tmp_path: Path) -> None:
    data = sidecar()
    target = tmp_path / "3f2a9c0d4e5b6a7c8d9e0f1a2b3c4d5e.json"
    write_sidecar(target, data)
    raw = target.read_bytes()
    assert "Đài truyền thanh xã Hòa Bình".encode() in raw  # UTF-8, not \\u escapes
    assert raw.endswith(b"\n")
    assert load_sidecar(target) == data
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_rewrite_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_sidecar(target, sidecar(title="Một tiêu đề rất dài " * 50))
    write_sidecar(target, sidecar(title="Ngắn"))
    assert load_sidecar(target)["title"] == "Ngắn"


def test_write_refuses_invalid_data_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_sidecar(target, sidecar())
    before = target.read_bytes()
    broken = sidecar()
    del broken["audio"]["sha256"]
    with pytest.raises(ValueError, match="sha256"):
        write_sidecar(target, broken)
    assert target.read_bytes() == before


def test_write_into_a_missing_folder_is_a_studio_error(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as caught:
        write_sidecar(tmp_path / "gone" / "x.json", sidecar())
    assert caught.value.text == NOT_WRITABLE


def _without(*keys: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = keys
        target: Any = data
        for key in parents:
            target = target[key]
        del target[last]

    return mutate


def _set(value: Any, *keys: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = keys
        target: Any = data
        for key in parents:
            target = target[key]
        target[last] = value

    return mutate


MALFORMED: dict[str, Callable[[dict[str, Any]], None]] = {
    "missing sha256": _without("audio", "sha256"),
    "uppercase sha256": _set("AB" * 32, "audio", "sha256"),
    "short sha256": _set("ab" * 31, "audio", "sha256"),
    "missing title": _without("title"),
    "empty title": _set("", "title"),
    "title is a number": _set(42, "title"),
    "duration as text": _set("301250", "duration_ms"),
    "duration as boolean": _set(True, "duration_ms"),
    "negative duration": _set(-1, "duration_ms"),
    "fractional size": _set(12.5, "audio", "size_bytes"),
    "unknown priority": _set("urgent", "priority"),
    "no languages": _set([], "languages"),
    "two-letter language": _set(["vi"], "languages"),
    "created_at without zone": _set("2026-11-22T03:15:42", "created_at"),
    "created_at not a date": _set("yesterday", "created_at"),
    "slot without offset": _set([{"start": "2026-11-23T05:00:00"}], "schedule", "slots"),
    "weekly rule without days": _set([{"time": "05:30", "days": []}], "schedule", "weekly"),
    "weekly rule on a holiday": _set([{"time": "05:30", "days": ["tet"]}], "schedule", "weekly"),
    "weekly time 25:00": _set([{"time": "25:00", "days": ["mon"]}], "schedule", "weekly"),
    "valid_until as a time": _set("2026-11-24T00:00:00+07:00", "schedule", "valid_until"),
    "valid_from not a day": _set("2026-02-30", "schedule", "valid_from"),
    "repeat zero": _set(0, "schedule", "repeat"),
    "offset without sign": _set("07:00", "schedule", "utc_offset"),
    "approval without its hash": _without("approval", "approval_hash"),
    "station is text": _set("Hòa Bình", "station"),
    "approval without reviewer": _without("approval", "reviewer"),
    "approval missing entirely": _without("approval"),
    "schema version 1": _set(1, "schema_version"),
    "three channels": _set(3, "audio", "channels"),
    "wav format with an .mp3 file": _set("wav", "audio", "format"),
    "flac format": _set("flac", "audio", "format"),
    "loudness as text": _set("-16 LUFS", "loudness", "integrated_lufs"),
    "segment without duration": _without("segments", 0, "duration_ms"),
    "segment without start": _without("segments", 1, "start_ms"),
    "content hash missing": _without("content_hash"),
    "content hash uppercase": _set("CD" * 32, "content_hash"),
    "segments is an object": _set({}, "segments"),
    "zone as plain text": _set(["Thôn 1"], "zones"),
    "zone without id": _set([{"name": "Thôn 1"}], "zones"),
    "generator missing": _without("generator"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_sidecar_is_rejected_by_schema_and_loader(case: str, tmp_path: Path) -> None:
    data = copy.deepcopy(sidecar())
    MALFORMED[case](data)
    assert not VALIDATOR.is_valid(data), "the schema must reject it too"
    assert sidecar_problems(data)
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StudioError) as caught:
        load_sidecar(target)
    assert caught.value.text == SIDECAR_INVALID
    assert str(target) in str(caught.value)


@pytest.mark.parametrize(
    "mutate",
    [
        _set("extra data a future version adds", "vendor_note"),
        _set(None, "approval"),
        _set([], "segments"),
        _set("Phê duyệt qua điện thoại", "approval", "note"),
    ],
)
def test_schema_and_loader_agree_on_acceptable_variants(mutate: Callable[[dict[str, Any]], None]) -> None:
    data = sidecar()
    mutate(data)
    assert VALIDATOR.is_valid(data)
    assert sidecar_problems(data) == []


WAV = AudioFacts(size_bytes=26_508_044, sha256="ef" * 32, bitrate_kbps=706, sample_rate=44100, channels=1,
                 format="wav")


def test_a_wav_programme_is_described_as_wav_and_named_id_dot_wav(tmp_path: Path) -> None:
    data = sidecar(audio=WAV)
    VALIDATOR.validate(data)
    assert data["schema_version"] == 2  # adding "wav" is compatible: readers of version 1 still apply
    assert (data["audio"]["file"], data["audio"]["format"]) == ("3f2a9c0d4e5b6a7c8d9e0f1a2b3c4d5e.wav", "wav")
    target = tmp_path / "x.json"
    write_sidecar(target, data)
    assert load_sidecar(target)["audio"] == data["audio"]


@pytest.mark.parametrize(("audio_format", "file_name"), [("wav", "{id}.mp3"), ("mp3", "{id}.wav")])
def test_format_and_file_name_must_agree(audio_format: str, file_name: str, tmp_path: Path) -> None:
    """A controller that plays by the name must get what the format says, for both validators."""
    data = sidecar(audio=WAV if audio_format == "wav" else AUDIO)
    data["audio"]["file"] = file_name.format(id=data["id"])
    assert not VALIDATOR.is_valid(data)
    assert sidecar_problems(data) == [f"audio.file must be <id>.{audio_format}"]
    target = tmp_path / "x.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StudioError, match=re.escape(f"<id>.{audio_format}")):
        load_sidecar(target)


def test_audio_facts_know_only_mp3_and_wav() -> None:
    with pytest.raises(ValueError):
        AudioFacts(size_bytes=1, sha256="ab" * 32, bitrate_kbps=1, sample_rate=44100, channels=1, format="flac")


def test_audio_file_must_be_named_after_the_id(tmp_path: Path) -> None:
    data = sidecar()
    data["audio"]["file"] = "other.mp3"  # a cross-field rule JSON Schema cannot express
    target = tmp_path / "x.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StudioError, match=re.escape("<id>.mp3")):
        load_sidecar(target)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json at all",
        b"[1, 2, 3]",
        b'{"title": "unterminated',
        b"\xff\xfe{\x00}\x00",  # UTF-16, not UTF-8
        b'{"schema_version": 1, "duration_ms": NaN}',
        b"null",
    ],
)
def test_garbage_is_a_studio_error(content: bytes, tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    target.write_bytes(content)
    with pytest.raises(StudioError) as caught:
        load_sidecar(target)
    assert caught.value.text == SIDECAR_INVALID


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    data = sidecar()
    data["padding"] = "x" * MAX_SIDECAR_BYTES  # valid JSON, valid sidecar, but absurd
    target = tmp_path / "x.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StudioError) as caught:
        load_sidecar(target)
    assert caught.value.text == SIDECAR_TOO_LARGE


def test_missing_sidecar_is_a_studio_error(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as caught:
        load_sidecar(tmp_path / "nowhere.json")
    assert caught.value.text == SIDECAR_MISSING


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=300))
def test_any_unicode_title_round_trips(title: str, tmp_path: Path) -> None:
    data = sidecar(title=title)
    VALIDATOR.validate(data)
    target = tmp_path / "t.json"
    write_sidecar(target, data)
    assert load_sidecar(target)["title"] == title


def test_the_schema_published_in_docs_is_the_one_the_studio_validates_with() -> None:
    published = Path(__file__).resolve().parents[2] / "docs" / "sidecar.schema.json"
    assert published.read_bytes() == SCHEMA_PATH.read_bytes(), "copy studio/tags/sidecar.schema.json to docs/"
