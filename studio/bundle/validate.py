"""Reading a bulletin file's manifest as untrusted input: every field checked for type, length and meaning.

Version 1 of the format is described in :mod:`studio.bundle.manifest`. A field that is not what it says is
"damaged"; a member name that could point elsewhere is "unsafe"; a size over :class:`Limits` is "too large";
another format is "not a bulletin file" and a newer version "made by a newer studio" — all as
:class:`~studio.bundle.manifest.BundleError`, never anything else (a property test feeds it random input).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Any, NoReturn

from studio.bulletin import (
    MAX_CROSSFADE,
    MAX_GAP,
    PRIORITIES,
    SEGMENT_KINDS,
    BulletinDraft,
    SegmentDraft,
    bulletin_hash,
)
from studio.bundle.manifest import (
    DEFAULT_LIMITS,
    FORMAT,
    FORMAT_VERSION,
    JINGLE_ROLES,
    NEWER,
    NEWER_HINT,
    NOT_A_BUNDLE,
    NOT_A_BUNDLE_HINT,
    SEGMENT_SOURCES,
    BundleError,
    JingleEntry,
    Limits,
    Manifest,
    Member,
    TakeEntry,
    damaged,
    is_safe_name,
    too_large,
    unsafe,
)
from studio.workflow.schedule import Schedule

MAX_SEGMENTS = 500  # the renderer's and the library's limit
MAX_TEXT = 100_000  # characters of one segment: five times what the renderer reads as one item

_MEMBER = re.compile(r"(takes|jingles)/([0-9a-f]{64})\.([a-z0-9]{1,8})")
_SHA = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")
_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")
_WORD = re.compile(r"[a-z_]{1,20}")
_PRESET = re.compile(r"[A-Za-z0-9._-]{0,64}")
_NOT_IN_TEXT = re.compile("[\x00\ud800-\udfff]")  # what no database column takes: NUL, lone surrogates


class _Invalid(Exception):
    """A field that is not what version 1 of the format says (caught at the top as "damaged")."""


def _fail(where: str, why: str) -> NoReturn:
    raise _Invalid(f"{where}: {why}")


def _dict(value: object, where: str, keys: set[str], optional: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where, "not an object")
    unknown = set(value) - keys - (optional or set())
    missing = keys - set(value)
    if unknown or missing:
        _fail(where, f"unknown {sorted(unknown)[:5]} missing {sorted(missing)[:5]}")
    return value


def _list(value: object, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        _fail(where, "not a list")
    if len(value) > limit:
        _fail(where, f"{len(value)} entries, at most {limit}")
    return value


def _text(value: object, where: str, limit: int, *, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str):
        _fail(where, "not a text")
    if len(value) > limit:
        _fail(where, f"{len(value)} characters, at most {limit}")
    if pattern is not None and not pattern.fullmatch(value):
        _fail(where, "not of the expected form")
    bad = _NOT_IN_TEXT.search(value)
    if bad is not None:
        _fail(where, f"character U+{ord(bad[0]):04X} not allowed")
    return value


def _choice(value: object, where: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        _fail(where, "not one of the known values")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        _fail(where, "not true or false")
    return value


def _int(value: object, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(where, f"not a whole number from {low} to {high}")
    return value


def _number(value: object, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(where, "not a number")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        _fail(where, f"not a number from {low} to {high}")
    return number


def _time(value: object, where: str) -> str:
    text = _text(value, where, 40)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        _fail(where, "not a date and time")
    return text


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Invalid(f"key {key[:40]!r} appears twice")
        seen[key] = value
    return seen


def _no_constant(name: str) -> NoReturn:
    raise _Invalid(f"{name} is not a number JSON allows")


def _schedule(value: object, where: str) -> Schedule | None:
    if value is None:
        return None
    data = _dict(value, where, set(), {"slots", "valid_from", "valid_until", "zones", "repeat"})
    for index, slot in enumerate(_list(data.get("slots", []), f"{where}.slots", 200)):
        slot = _dict(slot, f"{where}.slots[{index}]", {"time"}, {"date", "days"})
        _text(slot["time"], f"{where}.slots[{index}].time", 20)
        if slot.get("date") is not None:
            _text(slot["date"], f"{where}.slots[{index}].date", 20)
        for day in _list(slot.get("days", []), f"{where}.slots[{index}].days", 7):
            _text(day, f"{where}.slots[{index}].days", 10)
    for key in ("valid_from", "valid_until"):
        if data.get(key) is not None:
            _text(data[key], f"{where}.{key}", 20)
    for index, zone in enumerate(_list(data.get("zones", []), f"{where}.zones", 500)):
        zone = _dict(zone, f"{where}.zones[{index}]", {"id"}, {"name"})
        _text(zone["id"], f"{where}.zones[{index}].id", 200)
        _text(zone.get("name", ""), f"{where}.zones[{index}].name", 200)
    if "repeat" in data:
        _int(data["repeat"], f"{where}.repeat", 1, 100)
    try:
        return Schedule.from_content(data)
    except ValueError as exc:
        _fail(where, str(exc))


def _segment(value: object, where: str) -> SegmentDraft:
    data = _dict(value, where, {"key", "kind", "text", "preset_id", "source", "gap", "crossfade", "bed", "take",
                                "version_of"})
    return SegmentDraft(
        text=_text(data["text"], f"{where}.text", MAX_TEXT),
        preset_id=_text(data["preset_id"], f"{where}.preset_id", 64, pattern=_PRESET),
        kind=_choice(data["kind"], f"{where}.kind", SEGMENT_KINDS),
        source=_choice(data["source"], f"{where}.source", SEGMENT_SOURCES),
        gap=None if data["gap"] is None else _number(data["gap"], f"{where}.gap", 0.0, MAX_GAP),
        crossfade=_number(data["crossfade"], f"{where}.crossfade", 0.0, MAX_CROSSFADE),
        bed=None if data["bed"] is None else _bool(data["bed"], f"{where}.bed"),
        take=None if data["take"] is None else _text(data["take"], f"{where}.take", 64, pattern=_SHA),
        key=_text(data["key"], f"{where}.key", 32, pattern=_KEY),
        version_of=(None if data["version_of"] is None
                    else _text(data["version_of"], f"{where}.version_of", 32, pattern=_KEY)),
    )


def _bulletin(value: object, limits: Limits) -> BulletinDraft:
    data = _dict(value, "bulletin", {"uid", "title", "priority", "state", "content_hash", "schedule", "segments"})
    segments = tuple(_segment(s, f"bulletin.segments[{i}]")
                     for i, s in enumerate(_list(data["segments"], "bulletin.segments", MAX_SEGMENTS)))
    keys = [s.key for s in segments]
    if len(set(keys)) != len(keys):
        _fail("bulletin.segments", "two segments have the same key")
    draft = BulletinDraft(
        title=_text(data["title"], "bulletin.title", 300), station_id=0, segments=segments,
        priority=_choice(data["priority"], "bulletin.priority", PRIORITIES),
        uid=_text(data["uid"], "bulletin.uid", 32, pattern=_KEY),
        state=_text(data["state"], "bulletin.state", 20, pattern=_WORD),
        schedule=_schedule(data["schedule"], "bulletin.schedule"),
    )
    declared = _text(data["content_hash"], "bulletin.content_hash", 64, pattern=_SHA)
    if bulletin_hash(draft) != declared:
        _fail("bulletin", "its content does not match its content_hash")
    return draft


def _cleanup(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or len(value) > 32:
        _fail(where, "not an object of at most 32 settings")
    for key, item in value.items():
        _text(key, f"{where} key", 64, pattern=_ID)
        if isinstance(item, str):
            _text(item, f"{where}.{key}", 200)
        elif isinstance(item, float) and not math.isfinite(item):
            _fail(f"{where}.{key}", "not a finite number")
        elif item is not None and not isinstance(item, (bool, int, float)):
            _fail(f"{where}.{key}", "not a plain value")
    return dict(value)


def _take(value: object, where: str) -> TakeEntry:
    data = _dict(value, where, {"segment", "file", "raw_file", "duration_ms", "peak_dbfs", "rms_dbfs", "clipped",
                                "source", "cleanup", "created_at", "created_by", "phrase"})
    return TakeEntry(
        segment=_text(data["segment"], f"{where}.segment", 32, pattern=_KEY),
        file=_text(data["file"], f"{where}.file", 255), raw_file=_text(data["raw_file"], f"{where}.raw_file", 255),
        duration_ms=_int(data["duration_ms"], f"{where}.duration_ms", 0, 24 * 3600 * 1000),
        peak_dbfs=_number(data["peak_dbfs"], f"{where}.peak_dbfs", -1000.0, 1000.0),
        rms_dbfs=_number(data["rms_dbfs"], f"{where}.rms_dbfs", -1000.0, 1000.0),
        clipped=_bool(data["clipped"], f"{where}.clipped"),
        source=_text(data["source"], f"{where}.source", 20, pattern=_WORD),
        cleanup=_cleanup(data["cleanup"], f"{where}.cleanup"),
        created_at=_time(data["created_at"], f"{where}.created_at"),
        created_by=_text(data["created_by"], f"{where}.created_by", 100),
        phrase=None if data["phrase"] is None else _text(data["phrase"], f"{where}.phrase", 200),
    )


def _jingle(value: object, where: str) -> JingleEntry:
    data = _dict(value, where, {"role", "id", "shipped", "name", "category", "file"})
    entry = JingleEntry(
        role=_choice(data["role"], f"{where}.role", JINGLE_ROLES),
        id="" if data["id"] == "" else _text(data["id"], f"{where}.id", 200, pattern=_ID),
        shipped=_bool(data["shipped"], f"{where}.shipped"),
        name=_text(data["name"], f"{where}.name", 200),
        category="" if data["category"] == "" else _choice(data["category"], f"{where}.category", JINGLE_ROLES),
        file=None if data["file"] is None else _text(data["file"], f"{where}.file", 255),
    )
    if (entry.file is not None) != (bool(entry.id) and not entry.shipped) or (entry.file and not entry.category):
        _fail(where, "a station jingle needs its file and category, and only it has one")
    return entry


def _members(value: object, name: str, limits: Limits) -> tuple[Member, ...]:
    members = []
    for index, item in enumerate(_list(value, "members", limits.members)):
        data = _dict(item, f"members[{index}]", {"path", "size", "sha256"})
        path = _text(data["path"], f"members[{index}].path", 255)
        if not is_safe_name(path):
            raise unsafe(name, path)
        match = _MEMBER.fullmatch(path)
        sha = _text(data["sha256"], f"members[{index}].sha256", 64, pattern=_SHA)
        if match is None or match[2] != sha:
            _fail(f"members[{index}]", "not named takes/<sha256>.<ext> or jingles/<sha256>.<ext>")
        size = _int(data["size"], f"members[{index}].size", 0, 1 << 62)
        if size > limits.member_bytes:
            raise too_large(name, size, limits.member_bytes)
        members.append(Member(path, size, sha))
    if len({m.path for m in members}) != len(members):
        _fail("members", "a member is listed twice")
    total = sum(m.size for m in members)
    if total > limits.total_bytes:
        raise too_large(name, total, limits.total_bytes)
    return tuple(members)


def _check_references(manifest: Manifest) -> None:
    """Every member is some take's or jingle's audio, every reference is a listed member of the right
    folder, and every chosen take is one of its segment's takes."""
    listed = {m.path for m in manifest.members}
    used: set[str] = set()
    chosen_of: dict[str, set[str]] = {}
    keys = {s.key for s in manifest.bulletin.segments}
    for index, take in enumerate(manifest.takes):
        if take.segment not in keys:
            _fail(f"takes[{index}]", "belongs to no segment of the bulletin")
        for path in (take.file, take.raw_file):
            if path not in listed or not path.startswith("takes/"):
                _fail(f"takes[{index}]", "names audio that is not in the file")
            used.add(path)
        if not take.file.endswith(".wav"):
            _fail(f"takes[{index}].file", "a cleaned take is a WAV file")
        chosen_of.setdefault(take.segment, set()).add(manifest.member(take.file).sha256)
    roles = [j.role for j in manifest.jingles]
    if len(set(roles)) != len(roles):
        _fail("jingles.choices", "a role is chosen twice")
    for index, jingle in enumerate(manifest.jingles):
        if jingle.file is not None:
            if jingle.file not in listed or not jingle.file.startswith("jingles/") or not jingle.file.endswith(".wav"):
                _fail(f"jingles.choices[{index}]", "names audio that is not in the file")
            used.add(jingle.file)
    if used != listed:
        _fail("members", "a member is not used by any take or jingle")
    for index, segment in enumerate(manifest.bulletin.segments):
        if segment.take is not None and segment.take not in chosen_of.get(segment.key, set()):
            _fail(f"bulletin.segments[{index}].take", "is not one of the segment's takes")


def parse_manifest(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Manifest:
    """The manifest of the bulletin file ``name`` (for messages), fully checked. Raises :class:`BundleError`."""
    if len(data) > limits.manifest_bytes:
        raise too_large(name, len(data), limits.manifest_bytes)
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_strict_object, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError, _Invalid) as exc:
        raise damaged(name, "manifest", f"not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BundleError(NOT_A_BUNDLE, problem="not-bundle", hint=NOT_A_BUNDLE_HINT, name=name)
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        made_by = document.get("studio_version")
        made_by = made_by if isinstance(made_by, str) and _ID.fullmatch(made_by[:40]) else "?"
        raise BundleError(NEWER, problem="newer", hint=NEWER_HINT, name=name, version=made_by[:40])
    try:
        if version != FORMAT_VERSION or isinstance(version, bool):
            _fail("version", f"{version!r} is not a known version")
        top = _dict(document, "manifest", {"format", "version", "studio_version", "created_at", "created_by",
                                           "station", "bulletin", "takes", "jingles", "members"})
        station = _dict(top["station"], "station", {"name", "commune", "province"})
        jingles = _dict(top["jingles"], "jingles", {"choices", "bed_kinds"})
        bed_kinds = tuple(_choice(k, "jingles.bed_kinds", SEGMENT_KINDS)
                          for k in _list(jingles["bed_kinds"], "jingles.bed_kinds", len(SEGMENT_KINDS)))
        manifest = Manifest(
            studio_version=_text(top["studio_version"], "studio_version", 40),
            created_at=_time(top["created_at"], "created_at"),
            created_by=_text(top["created_by"], "created_by", 200),
            station={key: _text(station[key], f"station.{key}", 200) for key in ("name", "commune", "province")},
            bulletin=_bulletin(top["bulletin"], limits),
            takes=tuple(_take(t, f"takes[{i}]") for i, t in enumerate(_list(top["takes"], "takes", limits.members))),
            jingles=tuple(_jingle(j, f"jingles.choices[{i}]")
                          for i, j in enumerate(_list(jingles["choices"], "jingles.choices", len(JINGLE_ROLES)))),
            bed_kinds=bed_kinds,
            members=_members(top["members"], name, limits),
        )
        if len(set(bed_kinds)) != len(bed_kinds):
            _fail("jingles.bed_kinds", "a kind is named twice")
        _check_references(manifest)
    except _Invalid as exc:
        raise damaged(name, "manifest", str(exc)) from None
    return manifest


def check_manifest(manifest: Manifest, name: str, limits: Limits = DEFAULT_LIMITS) -> Manifest:
    """Round-trip ``manifest`` through its JSON form and the reader: what the exporter writes is importable."""
    return parse_manifest(manifest.to_bytes(), name, limits)

