"""The table of contents of a bulletin file (``manifest.json``) as values, its limits and its errors.

A bulletin file comes from another PC, by USB stick or e-mail, and is read as untrusted input
(:mod:`studio.bundle.validate`). A member (an audio file inside the zip) is named by its own sha256, listed
with its size and hash, and referenced by a take or a jingle. A file that is not right is refused with a
:class:`BundleError` an officer can act on ("not a bulletin file", "damaged", "made by a newer studio",
"too large").

Format version 1::

    {"format": "commune-radio-studio/bulletin", "version": 1, "studio_version": "…", "created_at": ISO,
     "created_by": "…", "station": {"name", "commune", "province"},
     "bulletin": {"uid", "title", "priority", "state", "content_hash", "schedule": {…}|null,
                  "segments": [{"key", "kind", "text", "preset_id", "source", "gap", "crossfade", "bed",
                                "take": sha256|null, "version_of": key|null}]},
     "takes": [{"segment": key, "file": "takes/<sha>.wav", "raw_file": "takes/<sha>.<ext>", "duration_ms",
                "peak_dbfs", "rms_dbfs", "clipped", "source", "cleanup": {…}, "created_at", "created_by",
                "phrase": name|null}],
     "jingles": {"choices": [{"role", "id", "shipped", "name", "category", "file": path|null}],
                 "bed_kinds": [kind, …]},
     "members": [{"path", "size", "sha256"}]}
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.bulletin import (
    BulletinDraft,
    bulletin_hash,
)
from studio.hashing import content_hash
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError

log = logging.getLogger(__name__)

FORMAT = "commune-radio-studio/bulletin"
FORMAT_VERSION = 1
SUFFIX = ".bantin"
MANIFEST_NAME = "manifest.json"
JINGLE_ROLES = ("opening", "closing", "stinger", "bed")  # the jingle library's categories
SEGMENT_SOURCES = ("tts", "recorded", "phrase")

NOT_A_BUNDLE = QT_TRANSLATE_NOOP(CONTEXT, "“{name}” is not a bulletin file of the studio.")
NOT_A_BUNDLE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Bulletin files end in .bantin; the studio makes them with Bulletin → Export to file…")
DAMAGED = QT_TRANSLATE_NOOP(CONTEXT, "The bulletin file “{name}” is damaged or incomplete; nothing was imported.")
DAMAGED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Copy the file again from the other PC (or export the bulletin there again), then import the new copy.")
UNSAFE = QT_TRANSLATE_NOOP(
    CONTEXT, "The bulletin file “{name}” names a file outside its own folder; nothing was imported.")
UNSAFE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "The file was not made by the studio or was changed afterwards. Ask the sender to export the "
    "bulletin again.")
NEWER = QT_TRANSLATE_NOOP(CONTEXT, "The bulletin file “{name}” was made by a newer version of the studio ({version}).")
NEWER_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Update the studio on this PC, then import the file again.")
TOO_LARGE = QT_TRANSLATE_NOOP(
    CONTEXT, "The bulletin file “{name}” is too large to import ({size}; at most {limit}).")
TOO_LARGE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "A bulletin with its recordings is much smaller. Ask the sender to check the file.")


@dataclass(frozen=True)
class Limits:
    """How much a bulletin file may hold. The defaults fit the largest real content with room to spare: a
    15-minute music bed at 96 kHz stereo is 350 MB, a take imported as a 25-minute 24-bit stereo WAV 430 MB,
    a whole bulletin's recordings (several takes per segment) well under 2 GB. A 500-segment manifest of
    ordinary text is a few hundred KB."""

    manifest_bytes: int = 4 << 20
    member_bytes: int = 512 << 20
    total_bytes: int = 2 << 30
    members: int = 4096

    def file_bytes(self) -> int:
        """The largest zip that can hold such content (headers and the central directory included)."""
        return self.total_bytes + self.manifest_bytes + (self.members + 1) * 1024


DEFAULT_LIMITS = Limits()


class BundleError(StudioError):
    """A bulletin file that cannot be imported. ``problem`` says why, for the log and the tests: ``not-bundle``,
    ``damaged``, ``unsafe``, ``newer``, ``too-large``, ``unlisted``, ``missing``, ``size``, ``hash`` …"""

    def __init__(self, text: str, /, *, problem: str, hint: str = "", **args: object) -> None:
        super().__init__(text, hint=hint, **args)
        self.problem = problem


def size_text(size: int) -> str:
    """``12 MB``, ``340 KB``, ``800 bytes``: the units as Windows Explorer shows them."""
    if size >= 10 << 20:
        return f"{size / (1 << 20):.0f} MB"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KB"
    return f"{size} bytes"


def damaged(name: str, problem: str, detail: str) -> BundleError:
    log.warning("bulletin file %s refused (%s): %s", name, problem, detail)
    return BundleError(DAMAGED, problem=problem, hint=DAMAGED_HINT, name=name)


def unsafe(name: str, member: str) -> BundleError:
    log.warning("bulletin file %s refused: unsafe member name %r", name, member[:200])
    return BundleError(UNSAFE, problem="unsafe", hint=UNSAFE_HINT, name=name)


def too_large(name: str, size: int, limit: int) -> BundleError:
    return BundleError(TOO_LARGE, problem="too-large", hint=TOO_LARGE_HINT, name=name, size=size_text(size),
                       limit=size_text(limit))


# --- member names ---------------------------------------------------------------------------------------
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def is_safe_name(path: str) -> bool:
    """A relative name inside the zip that cannot point anywhere else on any system: no absolute path, no
    ``..`` or empty component, no backslash, drive letter or colon, no control character."""
    if not path or len(path) > 255 or path.startswith("/") or "\\" in path or ":" in path:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def member_name(folder: str, sha256: str, suffix: str) -> str:
    """``takes/<sha>.wav``: members are named by their content (an unusual suffix becomes ``.bin``)."""
    suffix = suffix.lower()
    return f"{folder}/{sha256}{suffix if _SUFFIX.fullmatch(suffix) else '.bin'}"


# --- the manifest as values -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    path: str
    size: int
    sha256: str

    @property
    def suffix(self) -> str:
        return "." + self.path.rsplit(".", 1)[1]


@dataclass(frozen=True)
class TakeEntry:
    """One take of a segment (``segment`` is the segment's key in the file): its cleaned and raw audio."""

    segment: str
    file: str
    raw_file: str
    duration_ms: int
    peak_dbfs: float
    rms_dbfs: float
    clipped: bool
    source: str
    cleanup: dict[str, Any]
    created_at: str
    created_by: str
    phrase: str | None = None  # the phrase bank entry the recording came from, for the record


@dataclass(frozen=True)
class JingleEntry:
    """The station's choice for ``role``: a shipped jingle by id, a station import with its ``file``, or
    none (``id`` "")."""

    role: str
    id: str
    shipped: bool
    name: str = ""
    category: str = ""
    file: str | None = None


@dataclass(frozen=True)
class Manifest:
    studio_version: str
    created_at: str
    created_by: str
    station: Mapping[str, str]
    bulletin: BulletinDraft  # as stored on the sending PC: its uid and state there, station_id 0
    takes: tuple[TakeEntry, ...]
    jingles: tuple[JingleEntry, ...]
    bed_kinds: tuple[str, ...]
    members: tuple[Member, ...]

    def member(self, path: str) -> Member:
        return next(m for m in self.members if m.path == path)

    def to_json(self) -> dict[str, Any]:
        draft = self.bulletin
        return {
            "format": FORMAT, "version": FORMAT_VERSION, "studio_version": self.studio_version,
            "created_at": self.created_at, "created_by": self.created_by, "station": dict(self.station),
            "bulletin": {
                "uid": draft.uid, "title": draft.title, "priority": draft.priority, "state": draft.state,
                "content_hash": bulletin_hash(draft),
                "schedule": draft.schedule.content() if draft.schedule is not None else None,
                "segments": [{"key": s.key, "kind": s.kind, "text": s.text, "preset_id": s.preset_id,
                              "source": s.source, "gap": s.gap, "crossfade": s.crossfade, "bed": s.bed,
                              "take": s.take, "version_of": s.version_of} for s in draft.segments],
            },
            "takes": [{"segment": t.segment, "file": t.file, "raw_file": t.raw_file, "duration_ms": t.duration_ms,
                       "peak_dbfs": t.peak_dbfs, "rms_dbfs": t.rms_dbfs, "clipped": t.clipped, "source": t.source,
                       "cleanup": dict(t.cleanup), "created_at": t.created_at, "created_by": t.created_by,
                       "phrase": t.phrase} for t in self.takes],
            "jingles": {"choices": [{"role": j.role, "id": j.id, "shipped": j.shipped, "name": j.name,
                                     "category": j.category, "file": j.file} for j in self.jingles],
                        "bed_kinds": list(self.bed_kinds)},
            "members": [{"path": m.path, "size": m.size, "sha256": m.sha256} for m in self.members],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"

    def identity(self) -> str:
        """What makes two files "the same bulletin": its content, takes and audio (not when or by whom the
        file was written). The same version exported twice has the same identity."""
        data = self.to_json()
        return content_hash({"bulletin": data["bulletin"], "takes": data["takes"], "members": data["members"]})

    @property
    def total_bytes(self) -> int:
        return sum(m.size for m in self.members)
