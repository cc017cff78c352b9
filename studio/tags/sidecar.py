"""The JSON sidecar ``<id>.json`` that travels with every programme ``<id>.mp3`` (or ``<id>.wav``).

No public specification of the controllers' metadata exists, so the studio publishes its own: the
sidecar carries everything a controller or an integrator needs to schedule, verify and level the
programme (see ARCHITECTURE "Delivery contract"). Its JSON Schema, ``sidecar.schema.json`` next to
this module, is the document integrators implement against.

Validation at run time is a strict hand-written check of the same rules (:func:`sidecar_problems`),
because ``jsonschema`` is a test-only dependency and the studio must not ship it just to read its
own files. The tests validate every sidecar the studio produces against the schema with
``jsonschema`` as an oracle, and check that both validators reject the same malformed documents.

Readers must ignore keys they do not know; an incompatible change bumps ``schema_version``. Version 2
(the delivery outbox) describes the schedule fully — concrete ``slots`` plus the ``weekly`` rules they
were expanded from, validity *dates* in the commune's ``utc_offset``, ``repeat`` — names loudspeaker
``zones`` by id and name, and binds the approval to the schedule (``approval.approval_hash``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeGuard

from mutagen.wave import WAVE

from studio import __version__
from studio.bulletin import PRIORITIES
from studio.fileio import sha256_of, write_bytes_atomically
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError, os_error
from studio.tags.id3 import open_audio
from studio.workflow.schedule import DEFAULT_UTC_OFFSET_MINUTES, MAX_REPEAT, WEEKDAYS, Schedule

SCHEMA_VERSION = 2
SCHEMA_PATH = Path(__file__).with_name("sidecar.schema.json")
AUDIO_FORMATS = ("mp3", "wav")
GENERATOR_NAME = "Commune Radio Studio"
MAX_SIDECAR_BYTES = 1024 * 1024
"""A real sidecar is a few kilobytes; anything past this is not one, and is not parsed."""

SIDECAR_MISSING = QT_TRANSLATE_NOOP(CONTEXT, "The programme description {path} does not exist.")
SIDECAR_TOO_LARGE = QT_TRANSLATE_NOOP(
    CONTEXT, "{path} is too large to be a programme description ({size} bytes, the limit is {limit})."
)
SIDECAR_INVALID = QT_TRANSLATE_NOOP(CONTEXT, "{path} is not a valid programme description: {problem}")
SIDECAR_INVALID_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Export the programme again from the studio, or ask whoever sent it for a fresh copy."
)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LANGUAGE = re.compile(r"[a-z]{3}")
# [0-9], not \d: Python's \d also matches Arabic-Indic and other digits, JSON Schema's does not.
_CLOCK = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
_UTC_TIME = re.compile(_CLOCK + "Z")
_ZONED_TIME = re.compile(_CLOCK + "(Z|[+-][0-9]{2}:[0-9]{2})")
_TIMESTAMPS = (_UTC_TIME, _ZONED_TIME)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_OFFSET = re.compile(r"[+-][0-9]{2}:[0-9]{2}")


class StationLike(Protocol):
    """Who broadcasts the programme (``studio.store.repo.StationInfo`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def commune(self) -> str: ...
    @property
    def province(self) -> str: ...


class MeasuredLoudness(Protocol):
    """Loudness measured on the master (``studio.audio.loudness.LoudnessReport`` fits)."""

    @property
    def integrated_lufs(self) -> float: ...
    @property
    def true_peak_dbtp(self) -> float: ...
    @property
    def loudness_range_lu(self) -> float: ...
    @property
    def replaygain_db(self) -> float: ...


@dataclass(frozen=True)
class AudioFacts:
    """Facts about the delivered MP3 or WAV, measured from the file itself (see :func:`probe_audio`).

    ``format`` is ``"mp3"`` or ``"wav"``; a WAV's ``bitrate_kbps`` is its PCM rate (rate × channels × 16 bits).
    """

    size_bytes: int
    sha256: str
    bitrate_kbps: int
    sample_rate: int
    channels: int
    format: str = "mp3"

    def __post_init__(self) -> None:
        if self.format not in AUDIO_FORMATS:
            raise ValueError(f"unknown audio format {self.format!r}")


@dataclass(frozen=True)
class SegmentSummary:
    """One item of the running order, for controllers that show or log what a programme contains.

    ``language`` is a three-letter ISO 639 code like the programme's ``languages`` (a preset's
    ``id639_2``), ``start_ms`` where the item begins in the programme.
    """

    position: int
    kind: str
    language: str
    preset: str
    source: str
    start_ms: int
    duration_ms: int


@dataclass(frozen=True)
class Approval:
    """The reviewer's approval: ``content_hash`` is the sound it covers (the programme's ``content_hash``),
    ``approval_hash`` what it binds (the sound and the schedule, see
    :func:`studio.workflow.schedule.approval_hash`)."""

    reviewer: str
    approved_at: datetime
    content_hash: str
    approval_hash: str
    note: str = ""


def probe_audio(path: Path) -> AudioFacts:
    """Measure the MP3 or WAV (by its suffix) that will be delivered. Call it *after* tagging: tags change
    the bytes. A file that is not what its name says is a :class:`StudioError`."""
    path = Path(path)
    audio = open_audio(path)
    info = audio.info
    assert info is not None  # open_audio refuses a file without stream information
    return AudioFacts(
        size_bytes=path.stat().st_size,
        sha256=sha256_of(path),
        bitrate_kbps=round(info.bitrate / 1000),  # mutagen gives a WAV's as rate × channels × bits
        sample_rate=int(info.sample_rate),
        channels=int(info.channels),
        format="wav" if isinstance(audio, WAVE) else "mp3",
    )


def build_sidecar(
    *,
    programme_id: str,
    title: str,
    station: StationLike,
    series: str,
    languages: Sequence[str],
    duration_ms: int,
    audio: AudioFacts,
    loudness: MeasuredLoudness,
    target_lufs: float,
    priority: str = "normal",
    segments: Sequence[SegmentSummary] = (),
    content_hash: str | None = None,
    schedule: Schedule | None = None,
    utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES,
    approval: Approval | None = None,
    created_at: datetime | None = None,
    generator_version: str = __version__,
) -> dict[str, Any]:
    """The sidecar document for one programme, as plain JSON-able data.

    ``duration_ms`` is the exact length of the encoded PCM (the MP3's headers round it up by the
    encoder's padding). ``content_hash`` is the hash of the bulletin content the programme was rendered
    from; an approval is valid for the programme only when its ``content_hash`` is the same. The audio
    file is always named ``<programme_id>.mp3`` or ``<programme_id>.wav`` after ``audio.format``, the
    name it is delivered under.

    Raises ``ValueError`` when the inputs break the schema (a bug in the caller, not a user error).
    """
    schedule = schedule or Schedule()
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": programme_id,
        "title": title,
        "station": {"name": station.name, "commune": station.commune, "province": station.province},
        "series": series,
        "languages": list(languages),
        "created_at": _utc_text(created_at or datetime.now(UTC)),
        "duration_ms": duration_ms,
        "audio": {
            "file": f"{programme_id}.{audio.format}",
            "format": audio.format,
            "bitrate_kbps": audio.bitrate_kbps,
            "sample_rate": audio.sample_rate,
            "channels": audio.channels,
            "size_bytes": audio.size_bytes,
            "sha256": audio.sha256,
        },
        "loudness": {
            "integrated_lufs": round(loudness.integrated_lufs, 2),
            "true_peak_dbtp": round(loudness.true_peak_dbtp, 2),
            "loudness_range_lu": round(loudness.loudness_range_lu, 2),
            "replaygain_db": round(loudness.replaygain_db, 2),
            "target_lufs": target_lufs,
        },
        "priority": priority,
        "content_hash": content_hash,
        "schedule": schedule_json(schedule, utc_offset_minutes),
        "zones": [zone.content() for zone in schedule.zones],
        "approval": None if approval is None else approval_json(approval),
        "segments": [
            {
                "position": s.position,
                "kind": s.kind,
                "language": s.language,
                "preset": s.preset,
                "source": s.source,
                "start_ms": s.start_ms,
                "duration_ms": s.duration_ms,
            }
            for s in segments
        ],
        "generator": {"name": GENERATOR_NAME, "version": generator_version},
    }
    problems = sidecar_problems(data)
    if problems:
        raise ValueError("; ".join(problems))
    return data


def schedule_json(schedule: Schedule, utc_offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> dict[str, Any]:
    """The sidecar's ``schedule``: every concrete slot (what a controller plays), the weekly rules they come
    from (what a person reads), the validity dates, the repeat count and the commune's UTC offset."""
    offset = timezone(timedelta(minutes=utc_offset_minutes)).tzname(None)
    return {
        "slots": [{"start": _zoned_text(moment)} for moment in schedule.occurrences(utc_offset_minutes)],
        "weekly": [{"time": slot.at.strftime("%H:%M"), "days": [WEEKDAYS[d] for d in slot.days]}
                   for slot in schedule.slots if slot.weekly],
        "valid_from": schedule.valid_from.isoformat() if schedule.valid_from else None,
        "valid_until": schedule.valid_until.isoformat() if schedule.valid_until else None,
        "repeat": schedule.repeat,
        "utc_offset": "+00:00" if offset == "UTC" else offset.removeprefix("UTC"),
    }


def approval_json(approval: Approval) -> dict[str, Any]:
    return {
        "reviewer": approval.reviewer,
        "approved_at": _utc_text(approval.approved_at),
        "content_hash": approval.content_hash,
        "approval_hash": approval.approval_hash,
        "note": approval.note,
    }


def write_sidecar(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` atomically (temp file, fsync, rename) as UTF-8 JSON with readable Vietnamese.

    Refuses (``ValueError``) to write a document that would not load again; disk problems become a
    :class:`StudioError`.
    """
    path = Path(path)
    problems = sidecar_problems(data)
    if problems:
        raise ValueError("; ".join(problems))
    payload = (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")
    write_bytes_atomically(path, payload)


def load_sidecar(path: Path) -> dict[str, Any]:
    """Read and check a sidecar; anything that is not a valid one raises :class:`StudioError`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SIDECAR_BYTES + 1)
    except FileNotFoundError as exc:
        raise StudioError(SIDECAR_MISSING, path=path) from exc
    except OSError as exc:
        raise os_error(exc, path) from exc
    if len(raw) > MAX_SIDECAR_BYTES:
        size = path.stat().st_size
        raise StudioError(SIDECAR_TOO_LARGE, path=path, size=size, limit=MAX_SIDECAR_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise _invalid(path, "the file is not UTF-8 text") from exc
    except ValueError as exc:
        raise _invalid(path, f"the file is not JSON ({exc})") from exc
    except RecursionError as exc:  # "[[[[…" a few hundred thousand deep: within the size limit
        raise _invalid(path, "the file nests too deeply to be a programme description") from exc
    problems = sidecar_problems(data)
    if problems:
        raise _invalid(path, "; ".join(problems[:3]))
    result: dict[str, Any] = data
    return result


def sidecar_problems(data: object) -> list[str]:
    """Every way ``data`` breaks the sidecar schema, in English; empty when it is valid.

    Mirrors ``sidecar.schema.json`` (the tests hold the two together). Unknown keys are allowed.
    """
    problems: list[str] = []
    check = _Checker(problems)
    if not check.is_object(data, "document"):
        return problems
    if data.get("schema_version") != SCHEMA_VERSION or isinstance(data.get("schema_version"), bool):
        problems.append(f"schema_version must be {SCHEMA_VERSION}")
    programme_id = check.text(data, "id", pattern=_ID)
    check.text(data, "title", non_empty=True)
    station = check.child(data, "station")
    if station is not None:
        check.text(station, "name", non_empty=True, where="station.")
        check.text(station, "commune", where="station.")
        check.text(station, "province", where="station.")
    check.text(data, "series")
    languages = check.array(data, "languages", min_items=1)
    for index, code in enumerate(languages or []):
        check.value_text(code, f"languages[{index}]", pattern=_LANGUAGE)
    check.text(data, "created_at", pattern=_UTC_TIME)
    check.integer(data, "duration_ms", minimum=0)
    audio = check.child(data, "audio")
    if audio is not None:
        file_name = check.text(audio, "file", where="audio.")
        audio_format = audio.get("format")
        if audio_format not in AUDIO_FORMATS:
            problems.append('audio.format must be "mp3" or "wav"')
        elif programme_id is not None and file_name is not None and file_name != f"{programme_id}.{audio_format}":
            problems.append(f"audio.file must be <id>.{audio_format}")
        check.integer(audio, "bitrate_kbps", minimum=1, where="audio.")
        check.integer(audio, "sample_rate", minimum=1, where="audio.")
        check.integer(audio, "channels", minimum=1, maximum=2, where="audio.")
        check.integer(audio, "size_bytes", minimum=1, where="audio.")
        check.text(audio, "sha256", pattern=_SHA256, where="audio.")
    loudness = check.child(data, "loudness")
    if loudness is not None:
        for key in ("integrated_lufs", "true_peak_dbtp", "replaygain_db", "target_lufs"):
            check.number(loudness, key, where="loudness.")
        check.number(loudness, "loudness_range_lu", minimum=0.0, where="loudness.")
    if data.get("priority") not in PRIORITIES:
        problems.append(f"priority must be one of {', '.join(PRIORITIES)}")
    check.text(data, "content_hash", pattern=_SHA256, nullable=True)
    schedule = check.child(data, "schedule")
    if schedule is not None:
        for index, slot in enumerate(check.array(schedule, "slots", where="schedule.") or []):
            if check.is_object(slot, f"schedule.slots[{index}]"):
                check.text(slot, "start", pattern=_ZONED_TIME, where=f"schedule.slots[{index}].")
        for index, rule in enumerate(check.array(schedule, "weekly", where="schedule.") or []):
            where = f"schedule.weekly[{index}]"
            if check.is_object(rule, where):
                check.text(rule, "time", pattern=_HHMM, where=where + ".")
                days = check.array(rule, "days", min_items=1, where=where + ".")
                for day in days or []:
                    if day not in WEEKDAYS:
                        problems.append(f"{where}.days has an unknown day: {str(day)[:20]!r}")
        check.text(schedule, "valid_from", pattern=_DATE, nullable=True, where="schedule.")
        check.text(schedule, "valid_until", pattern=_DATE, nullable=True, where="schedule.")
        check.integer(schedule, "repeat", minimum=1, maximum=MAX_REPEAT, where="schedule.")
        check.text(schedule, "utc_offset", pattern=_OFFSET, where="schedule.")
    for index, zone in enumerate(check.array(data, "zones") or []):
        if check.is_object(zone, f"zones[{index}]"):
            check.text(zone, "id", non_empty=True, where=f"zones[{index}].")
            check.text(zone, "name", non_empty=True, where=f"zones[{index}].")
    if "approval" not in data:
        problems.append("approval is missing (use null when not approved)")
    elif data["approval"] is not None:
        approval = check.child(data, "approval")
        if approval is not None:
            check.text(approval, "reviewer", non_empty=True, where="approval.")
            check.text(approval, "approved_at", pattern=_UTC_TIME, where="approval.")
            check.text(approval, "content_hash", pattern=_SHA256, where="approval.")
            check.text(approval, "approval_hash", pattern=_SHA256, where="approval.")
            if "note" in approval:
                check.text(approval, "note", where="approval.")
    for index, segment in enumerate(check.array(data, "segments") or []):
        where = f"segments[{index}]."
        if check.is_object(segment, f"segments[{index}]"):
            check.integer(segment, "position", minimum=0, where=where)
            check.text(segment, "kind", non_empty=True, where=where)
            check.text(segment, "language", pattern=_LANGUAGE, where=where)
            check.text(segment, "preset", where=where)
            check.text(segment, "source", non_empty=True, where=where)
            check.integer(segment, "start_ms", minimum=0, where=where)
            check.integer(segment, "duration_ms", minimum=0, where=where)
    generator = check.child(data, "generator")
    if generator is not None:
        check.text(generator, "name", non_empty=True, where="generator.")
        check.text(generator, "version", non_empty=True, where="generator.")
    return problems


class _Checker:
    """Small helpers that record a problem and return the value only when it has the right type."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def is_object(self, value: object, name: str) -> TypeGuard[dict[str, Any]]:
        if isinstance(value, dict):
            return True
        self.problems.append(f"{name} must be an object")
        return False

    def child(self, data: dict[str, Any], key: str) -> dict[str, Any] | None:
        if key not in data:
            self.problems.append(f"{key} is missing")
            return None
        value = data[key]
        return value if self.is_object(value, key) else None

    def _get(self, data: dict[str, Any], key: str, where: str) -> tuple[bool, object]:
        if key not in data:
            self.problems.append(f"{where}{key} is missing")
            return False, None
        return True, data[key]

    def text(
        self,
        data: dict[str, Any],
        key: str,
        *,
        pattern: re.Pattern[str] | None = None,
        non_empty: bool = False,
        nullable: bool = False,
        where: str = "",
    ) -> str | None:
        present, value = self._get(data, key, where)
        if not present or (nullable and value is None):
            return None
        return self.value_text(value, f"{where}{key}", pattern=pattern, non_empty=non_empty)

    def value_text(
        self, value: object, name: str, *, pattern: re.Pattern[str] | None = None, non_empty: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.problems.append(f"{name} must be text")
            return None
        if non_empty and not value:
            self.problems.append(f"{name} must not be empty")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.problems.append(f"{name} is malformed: {value[:80]!r}")
            return None
        if pattern in _TIMESTAMPS or pattern is _DATE:
            try:
                (date if pattern is _DATE else datetime).fromisoformat(value)
            except ValueError:
                self.problems.append(f"{name} is not a real date and time: {value!r}")
                return None
        return value

    def integer(
        self, data: dict[str, Any], key: str, *, minimum: int, maximum: int | None = None, where: str = ""
    ) -> None:
        present, value = self._get(data, key, where)
        if not present:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.append(f"{where}{key} must be a whole number")
        elif value < minimum or (maximum is not None and value > maximum):
            self.problems.append(f"{where}{key} is out of range: {value}")

    def number(
        self, data: dict[str, Any], key: str, *, minimum: float | None = None, where: str = ""
    ) -> None:
        present, value = self._get(data, key, where)
        if not present:
            return
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            self.problems.append(f"{where}{key} must be a number")
        elif minimum is not None and value < minimum:
            self.problems.append(f"{where}{key} is out of range: {value}")

    def array(
        self, data: dict[str, Any], key: str, *, min_items: int = 0, where: str = ""
    ) -> list[Any] | None:
        present, value = self._get(data, key, where)
        if not present:
            return None
        if not isinstance(value, list):
            self.problems.append(f"{where}{key} must be a list")
            return None
        if len(value) < min_items:
            self.problems.append(f"{where}{key} needs at least {min_items} item(s)")
        return value


def _utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, whole seconds: unambiguous for any controller's parser."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zoned_text(moment: datetime) -> str:
    """ISO 8601 keeping the local offset: a 05:00 slot is 05:00 in the commune, whatever UTC says."""
    if moment.tzinfo is None:
        raise ValueError("schedule times must carry their UTC offset")
    return moment.replace(microsecond=0).isoformat()


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed in a sidecar")


def _invalid(path: Path, problem: str) -> StudioError:
    return StudioError(SIDECAR_INVALID, hint=SIDECAR_INVALID_HINT, path=path, problem=problem)
