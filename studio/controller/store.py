"""The reference receiver's programme store: what a controller keeps on disk for the Studio Controller API.

The published folder holds only finished programmes, ``<id>.mp3`` (or ``.wav``) and ``<id>.json``, so a
player that watches it never sees half of one. Everything else lives in the hidden state folder
``<folder>/.studio-controller/``: per programme a record (``<id>.record.json``), the declared sidecar exactly
as the studio sent it (``<id>.sidecar.json``) and the audio received so far (``<id>.part``, appended to in
order; its length *is* the resume offset, so a restarted receiver resumes where it stopped).

Publishing moves the verified part file onto ``<id>.<format>`` in one rename (same file system) and then
writes the sidecar through a temporary name; withdrawing removes the sidecar first. Every path is built
from an id that matched :data:`PROGRAMME_ID` first, so nothing can be written outside the folder.

Errors are :class:`Problem` values carrying the HTTP status the API gives them; the HTTP layer
(:mod:`studio.controller.receiver`) only serialises them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.fileio import write_bytes_atomically
from studio.messages import DISK_FULL, StudioError
from studio.tags.sidecar import sidecar_problems

PROGRAMME_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""The sidecar's id pattern: URL-safe, no separators, cannot start with a dot."""
STATE_DIR = ".studio-controller"
DEFAULT_MAX_PROGRAMME_BYTES = 2 * 1024**3
RECEIVING, READY, WITHDRAWN = "receiving", "ready", "withdrawn"
PROBLEM_BASE = "urn:commune-radio-studio:controller:problem:"


class Problem(Exception):
    """An API error (RFC 9457): ``status``, a stable ``kind`` (the last part of the problem type URI),
    a one-line ``title``, an English ``detail`` and extension members such as ``received_bytes``."""

    def __init__(self, status: int, kind: str, title: str, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.extra = extra

    def document(self) -> dict[str, object]:
        return {"type": PROBLEM_BASE + self.kind, "title": self.title, "status": self.status,
                "detail": self.detail, **self.extra}


def not_found(programme_id: str) -> Problem:
    return Problem(404, "unknown-programme", "Unknown programme", f"No programme {programme_id!r} was declared.")


@dataclass(frozen=True)
class Record:
    """What the store knows about one programme (persisted as JSON). ``published_*``: the version that is
    in the folder now, which may be an older one while a corrected version is being received."""

    id: str
    state: str
    sha256: str
    size_bytes: int
    format: str
    priority: str
    declared_at: str
    updated_at: str
    ready_at: str | None = None
    withdrawn_at: str | None = None
    published_sha256: str | None = None
    published_format: str | None = None


@dataclass(frozen=True)
class Declared:
    """The answer to a declaration: ``created`` when audio must be (re)uploaded from byte 0 (a new
    programme, a new version or a re-declaration after withdrawal); ``sidecar_updated`` when only the
    metadata changed and was republished."""

    status: dict[str, object]
    created: bool
    sidecar_updated: bool


class ProgrammeStore:
    """Programmes declared, received, published and withdrawn in ``folder``. Thread-safe: one lock per
    programme id, so uploads of different programmes run in parallel and one programme's requests in order."""

    def __init__(self, folder: Path, *, max_programme_bytes: int = DEFAULT_MAX_PROGRAMME_BYTES) -> None:
        self.folder = Path(folder).resolve()
        self.state_dir = self.folder / STATE_DIR
        self.max_programme_bytes = max_programme_bytes
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- queries ---------------------------------------------------------------------------------------

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.folder).free

    def status(self, programme_id: str) -> dict[str, object]:
        with self._locked(programme_id):
            record = self._load(programme_id)
            if record is None:
                raise not_found(programme_id)
            return self._status(record)

    # -- changes ---------------------------------------------------------------------------------------

    def declare(self, programme_id: str, sidecar_bytes: bytes) -> Declared:
        """Create, repeat or replace a programme from its sidecar (see the API's idempotency rules)."""
        data = _parse_sidecar(sidecar_bytes)
        problems = sidecar_problems(data)
        if isinstance(data, dict) and data.get("id") != programme_id:
            problems.append(f"id {str(data.get('id'))[:130]!r} differs from the programme id in the URL")
        if problems:
            raise Problem(400, "invalid-sidecar", "Invalid sidecar", "; ".join(problems[:5]), problems=problems)
        audio = data["audio"]
        size, sha256, audio_format = int(audio["size_bytes"]), str(audio["sha256"]), str(audio["format"])
        if size > self.max_programme_bytes:
            raise Problem(413, "too-large", "Programme too large",
                          f"audio.size_bytes {size} exceeds this receiver's limit of {self.max_programme_bytes}.")
        now = _now()
        with self._locked(programme_id):
            record = self._load(programme_id)
            same = (record is not None and record.state != WITHDRAWN and
                    (record.sha256, record.size_bytes, record.format) == (sha256, size, audio_format))
            if not same:
                self._part(programme_id).unlink(missing_ok=True)  # an older version's partial upload
                if size > self.free_bytes():
                    raise Problem(507, "insufficient-storage", "Insufficient storage",
                                  f"The receiver has less than the {size} bytes free that the audio needs.")
                write_bytes_atomically(self._held_sidecar(programme_id), sidecar_bytes)
                still_published = record is not None and record.state != WITHDRAWN  # until the new one is ready
                record = Record(programme_id, RECEIVING, sha256, size, audio_format, str(data["priority"]),
                                declared_at=now, updated_at=now,
                                published_sha256=record.published_sha256 if still_published and record else None,
                                published_format=record.published_format if still_published and record else None)
                self._save(record)
                return Declared(self._status(record), created=True, sidecar_updated=False)
            assert record is not None
            updated = self._held_sidecar_bytes(programme_id) != sidecar_bytes
            if updated:
                write_bytes_atomically(self._held_sidecar(programme_id), sidecar_bytes)
                if record.state == READY:
                    write_bytes_atomically(self.folder / f"{programme_id}.json", sidecar_bytes)
                record = replace(record, priority=str(data["priority"]), updated_at=now)
                self._save(record)
            if record.state == RECEIVING and self._received(record) == record.size_bytes:
                record = self._finish(record)  # a receiver stopped between the last byte and the publication
            return Declared(self._status(record), created=False, sidecar_updated=updated)

    def check_chunk(self, programme_id: str, start: int, total: int) -> dict[str, object] | None:
        """Refuse a chunk before its body is read (it would be wasted). Returns the status when the
        programme is already ready (the chunk is redundant: a retried last chunk), else None."""
        with self._locked(programme_id):
            record = self._load(programme_id)
            if record is None:
                raise not_found(programme_id)
            return self._chunk_fits(record, start, total)

    def write_chunk(self, programme_id: str, start: int, total: int, data: bytes) -> dict[str, object]:
        """Append ``data`` at ``start`` (which must be the current offset). When the last byte arrives the
        audio is verified and published, or discarded with a 422 problem."""
        with self._locked(programme_id):
            record = self._load(programme_id)
            if record is None:
                raise not_found(programme_id)
            ready = self._chunk_fits(record, start, total)
            if ready is not None:
                return ready
            if start + len(data) > total:
                raise Problem(416, "range-not-satisfiable", "Range not satisfiable",
                              "The chunk goes past the end of the audio.", received_bytes=start)
            if data:
                self._append(self._part(programme_id), data)
            if self._received(record) == record.size_bytes:
                record = self._finish(record)
            return self._status(record)

    def withdraw(self, programme_id: str) -> tuple[dict[str, object], bool]:
        """Unpublish (sidecar first, then audio), discard any partial upload, mark withdrawn. Returns the
        status and whether anything changed (False when repeated)."""
        with self._locked(programme_id):
            record = self._load(programme_id)
            if record is None:
                raise not_found(programme_id)
            changed = record.state != WITHDRAWN
            for name in (f"{programme_id}.json", f"{programme_id}.mp3", f"{programme_id}.wav"):
                (self.folder / name).unlink(missing_ok=True)
            self._part(programme_id).unlink(missing_ok=True)
            if changed:
                now = _now()
                record = replace(record, state=WITHDRAWN, updated_at=now, withdrawn_at=now, ready_at=None,
                                 published_sha256=None, published_format=None)
                self._save(record)
            return self._status(record), changed

    # -- seams the tests' fault hooks override ----------------------------------------------------------

    def _append(self, part: Path, data: bytes) -> None:
        """Append received audio. ``OSError`` (ENOSPC above all) propagates: the API answers 507."""
        with part.open("ab") as handle:
            handle.write(data)

    def _verify(self, record: Record, part: Path) -> str | None:
        """Why the complete part file is not the declared audio, or None when size and sha256 match."""
        size = part.stat().st_size
        if size != record.size_bytes:
            return f"received {size} bytes, the sidecar declares {record.size_bytes}"
        digest = hashlib.sha256()
        with part.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != record.sha256:
            return f"the received audio's sha256 is {digest.hexdigest()}, the sidecar declares {record.sha256}"
        return None

    # -- internals -------------------------------------------------------------------------------------

    def _finish(self, record: Record) -> Record:
        part = self._part(record.id)
        with part.open("rb+") as handle:
            os.fsync(handle.fileno())
        mismatch = self._verify(record, part)
        if mismatch is not None:
            part.unlink(missing_ok=True)
            self._save(replace(record, updated_at=_now()))
            raise Problem(422, "checksum-mismatch", "Audio does not match the sidecar",
                          f"{mismatch}. The upload was discarded; send the audio again from byte 0.",
                          received_bytes=0)
        sidecar = self._held_sidecar_bytes(record.id)
        if not sidecar:  # the state folder was tampered with: never publish audio without its sidecar
            raise Problem(500, "internal-error", "Internal error",
                          "The declared sidecar is missing from the receiver's state; declare the programme again.")
        final_audio = self.folder / f"{record.id}.{record.format}"
        final_sidecar = self.folder / f"{record.id}.json"
        final_sidecar.unlink(missing_ok=True)  # an older version's sidecar must never describe the new audio
        os.replace(part, final_audio)
        if record.published_format not in (None, record.format):
            (self.folder / f"{record.id}.{record.published_format}").unlink(missing_ok=True)
        write_bytes_atomically(final_sidecar, sidecar)
        now = _now()
        record = replace(record, state=READY, updated_at=now, ready_at=now, published_sha256=record.sha256,
                         published_format=record.format)
        self._save(record)
        return record

    def _chunk_fits(self, record: Record, start: int, total: int) -> dict[str, object] | None:
        if record.state == READY:
            return self._status(record)
        if record.state == WITHDRAWN:
            raise Problem(409, "withdrawn", "Programme withdrawn",
                          "The programme was withdrawn; declare it again before uploading.", received_bytes=0)
        received = self._received(record)
        if total != record.size_bytes:
            raise Problem(416, "range-not-satisfiable", "Range not satisfiable",
                          f"Content-Range total {total} differs from audio.size_bytes {record.size_bytes}.",
                          received_bytes=received)
        if start != received:
            raise Problem(409, "offset-mismatch", "Chunk does not start at the received offset",
                          f"The chunk starts at byte {start}; the receiver holds {received} bytes. "
                          f"Continue from byte {received}.", received_bytes=received)
        return None

    def _status(self, record: Record) -> dict[str, object]:
        status: dict[str, object] = {
            "id": record.id, "state": record.state, "sha256": record.sha256, "size_bytes": record.size_bytes,
            "received_bytes": self._received(record), "format": record.format, "priority": record.priority,
            "declared_at": record.declared_at, "updated_at": record.updated_at, "ready_at": record.ready_at,
            "withdrawn_at": record.withdrawn_at, "published_sha256": record.published_sha256,
        }
        return status

    def _received(self, record: Record) -> int:
        if record.state == READY:
            return record.size_bytes
        if record.state == WITHDRAWN:
            return 0
        try:
            return self._part(record.id).stat().st_size
        except FileNotFoundError:
            return 0

    def _part(self, programme_id: str) -> Path:
        return self.state_dir / f"{_checked(programme_id)}.part"

    def _held_sidecar(self, programme_id: str) -> Path:
        return self.state_dir / f"{_checked(programme_id)}.sidecar.json"

    def _held_sidecar_bytes(self, programme_id: str) -> bytes:
        try:
            return self._held_sidecar(programme_id).read_bytes()
        except FileNotFoundError:
            return b""

    def _record_path(self, programme_id: str) -> Path:
        return self.state_dir / f"{_checked(programme_id)}.record.json"

    def _load(self, programme_id: str) -> Record | None:
        try:
            raw = self._record_path(programme_id).read_bytes()
        except FileNotFoundError:
            return None
        return Record(**json.loads(raw))

    def _save(self, record: Record) -> None:
        write_bytes_atomically(self._record_path(record.id), json.dumps(asdict(record), indent=1).encode())

    @contextmanager
    def _locked(self, programme_id: str) -> Iterator[None]:
        _checked(programme_id)
        with self._locks_guard:
            lock = self._locks.setdefault(programme_id, threading.Lock())
        with lock:
            yield


def valid_programme_id(text: str) -> bool:
    return PROGRAMME_ID.fullmatch(text) is not None


def _checked(programme_id: str) -> str:
    """The last line of defence before a path is built: the HTTP layer refuses bad ids with a 400 first."""
    if not valid_programme_id(programme_id):
        raise Problem(400, "invalid-id", "Invalid programme id",
                      "Programme ids match [A-Za-z0-9][A-Za-z0-9._-]{0,127}.")
    return programme_id


def _parse_sidecar(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Problem(400, "invalid-sidecar", "Invalid sidecar", f"The body is not UTF-8 JSON: {exc}",
                      problems=["the body is not UTF-8 JSON"]) from exc


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC/EDQUOT, raw or as the studio's translated disk-full message (from :mod:`studio.fileio`)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, StudioError) and exc.text == DISK_FULL


