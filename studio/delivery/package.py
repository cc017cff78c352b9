"""Freeze what goes to the controller: the approved render, re-tagged with its schedule and approval.

A render is made before (or after) the approval and is reused when only the schedule changes, so the
file a controller receives is built when the programme enters the outbox: a copy of the render whose ID3
tag gains the schedule summary, the approval and the station logo, and a sidecar (schema 2) with the
schedule, zones and approval and the *new* file's size and sha256. Only the tag changes; the audio frames
are the render's. Building twice from the same inputs gives the same bytes, so a queued job's retries and
a second "Send" of the same approved content are recognised as one programme.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from studio.fileio import claim_temp_path
from studio.messages import os_error
from studio.tags.id3 import ProgrammeTags, write_id3
from studio.tags.sidecar import (
    SCHEMA_VERSION,
    Approval,
    approval_json,
    probe_audio,
    schedule_json,
    sidecar_problems,
)
from studio.workflow.schedule import Schedule


@dataclass(frozen=True)
class BuiltPackage:
    """The re-tagged audio (in the work folder, named by its sha256) and the sidecar's exact bytes."""

    audio: Path
    sha256: str
    size_bytes: int
    sidecar: dict[str, Any]
    sidecar_bytes: bytes


def sidecar_bytes(data: dict[str, Any]) -> bytes:
    """The sidecar as delivered: UTF-8 JSON, readable Vietnamese, stable key order, newline-terminated."""
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def tags_from_sidecar(data: dict[str, Any], *, schedule: Schedule | None, approval: Approval | None,
                      picture: bytes | None) -> ProgrammeTags:
    """The programme's ID3 tag rebuilt from its sidecar (the one record of what the render is), plus the
    schedule, the approval and the station logo."""
    station = data["station"]
    loudness = data["loudness"]
    created = datetime.fromisoformat(str(data["created_at"]).replace("Z", "+00:00"))
    return ProgrammeTags(
        title=data["title"],
        artist=station["name"],
        album=data.get("series") or station["name"],
        date=date(created.year, created.month, created.day),
        languages=tuple(data["languages"]),
        comment=f"{station.get('commune', '')}, {station.get('province', '')}".strip(", "),
        length_ms=int(data["duration_ms"]),
        priority=data["priority"],
        integrated_lufs=float(loudness["integrated_lufs"]),
        true_peak_dbtp=float(loudness["true_peak_dbtp"]),
        loudness_range_lu=float(loudness["loudness_range_lu"]),
        replaygain_db=float(loudness["replaygain_db"]),
        schedule=schedule.summary() if schedule is not None else "",
        approval=(f"{approval.reviewer}, {approval_json(approval)['approved_at']}, "
                  f"{approval.approval_hash[:16]}") if approval is not None else "",
        programme_id=str(data["id"]),
        picture=picture,
    )


def build_package(render_audio: Path, render_sidecar: dict[str, Any], work: Path, *, schedule: Schedule | None,
                  utc_offset_minutes: int, approval: Approval, picture: bytes | None = None) -> BuiltPackage:
    """Copy ``render_audio`` into ``work``, re-tag it and describe it. Raises ``ValueError`` if the result
    would not be a valid sidecar (a bug), :class:`~studio.messages.StudioError` on disk problems."""
    suffix = render_audio.suffix.lower()
    tmp = claim_temp_path(work / f"package{suffix}")
    try:
        shutil.copyfile(render_audio, tmp)
        write_id3(tmp, tags_from_sidecar(render_sidecar, schedule=schedule, approval=approval, picture=picture))
        facts = probe_audio(tmp)
        final = work / f"{facts.sha256}{suffix}"
        os.replace(tmp, final)
    except OSError as exc:
        raise os_error(exc, work) from exc
    finally:
        tmp.unlink(missing_ok=True)
    data = copy.deepcopy(render_sidecar)
    data["schema_version"] = SCHEMA_VERSION
    data["schedule"] = schedule_json(schedule or Schedule(), utc_offset_minutes)
    data["zones"] = [zone.content() for zone in (schedule.zones if schedule else ())]
    data["approval"] = approval_json(approval)
    data["audio"] = {"file": f"{data['id']}.{facts.format}", "format": facts.format,
                     "bitrate_kbps": facts.bitrate_kbps, "sample_rate": facts.sample_rate,
                     "channels": facts.channels, "size_bytes": facts.size_bytes, "sha256": facts.sha256}
    problems = sidecar_problems(data)
    if problems:
        raise ValueError("; ".join(problems))
    return BuiltPackage(final, facts.sha256, facts.size_bytes, data, sidecar_bytes(data))
