"""Moving a bulletin between PCs that share no database: export it to a bulletin file, import that file.

Export takes a stored bulletin as it is now: its text, voices, timing, schedule and chosen takes, every take of
its segments (raw and cleaned, as the take store keeps them; a phrase-bank recording a segment plays travels
as a take of that segment), and the station jingles its programme plays (the station's own imports as audio,
the studio's shipped ones by id: every install has them).

Import is two steps, so the window can check a large file off the database thread: :func:`stage_import`
checks the file and copies its members into a private folder (nothing in the library changes), then
:func:`finish_import` stores the audio through the content-addressed stores and creates the bulletin as a new
draft: a new number and programme id, the review starting over (an approval given on another PC does not
travel), the import recorded in the audit log with the file's name, the sender and the bulletin's state
there. The same file imported again (the same bulletin, takes and audio) finds the bulletin it made last time
and says so, rather than making a second copy that two people might then edit apart; once that bulletin is
deleted, the file imports anew.

The station's jingle choices are the station's, not the bulletin's: an import adds the sender's jingles to
the jingle library but leaves this station's choices alone unless asked (``use_jingles``), because a change
there changes every bulletin's sound and voids their approvals. The result says when they differ.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

import studio as studio_package
from studio.bulletin import BulletinDraft, SegmentDraft
from studio.bundle.archive import MEDIA_DAMAGED, MEDIA_DAMAGED_HINT, open_bundle, write_bundle
from studio.bundle.manifest import (
    DEFAULT_LIMITS,
    SUFFIX,
    JingleEntry,
    Limits,
    Manifest,
    Member,
    TakeEntry,
    member_name,
)
from studio.bundle.validate import check_manifest
from studio.fileio import sha256_of
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, Notice, StudioError, os_error
from studio.render import JINGLE_MISSING, TAKE_MISSING, TAKE_MISSING_HINT
from studio.services import UNKNOWN_PRESET, Studio
from studio.store.models import AuditEntry, Bulletin
from studio.store.repo import StationInfo
from studio.store.takes import TakeInfo
from studio.tasks import CancelToken, ProgressCallback, no_progress
from studio.workflow.states import Action, require

log = logging.getLogger(__name__)

_Adder = Callable[[str, Path, "str | None"], str]  # export_bundle's ``add``: a member from a file

IMPORT_ACTION = "bulletin.import"
WORK_PREFIX = ".import-"
STALE_WORK_S = 24 * 3600
ALREADY_IMPORTED = QT_TRANSLATE_NOOP(
    CONTEXT, "This file was imported before: it is bulletin No. {number}, “{title}”. Nothing new was added.")
JINGLES_DIFFER = QT_TRANSLATE_NOOP(
    CONTEXT, "The bulletin was made with other station jingles than this station's. They are now in the jingle "
    "library; use them for this station to make it sound the same (every bulletin then plays them, and "
    "approved bulletins need a new approval).")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    title: str
    takes: int
    jingles: int


@dataclass(frozen=True)
class StagedImport:
    """A bulletin file whose members were all checked and copied into ``folder``; :meth:`discard` it after
    :func:`finish_import` (or instead of it)."""

    source: Path
    manifest: Manifest
    folder: Path
    files: Mapping[str, Path]

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class ImportResult:
    """The bulletin the file made (or made before: ``already``), what to tell the officer, and the jingle
    choices it was made with (role → a jingle id of this library, "" for none) and its station's bed rule."""

    bulletin: BulletinDraft
    already: bool
    notices: tuple[Notice, ...]
    jingles: tuple[tuple[str, str], ...]
    bed_kinds: tuple[str, ...]
    jingles_differ: bool


def bundle_path(path: Path) -> Path:
    """``path`` with the bulletin file suffix (``news`` → ``news.bantin``)."""
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


# --- export ------------------------------------------------------------------------------------------------
def export_bundle(studio: Studio, bulletin_id: int, out_path: Path, *, progress: ProgressCallback = no_progress,
                  cancel: CancelToken | None = None) -> ExportResult:
    """Write the stored bulletin ``bulletin_id`` with its takes and station jingles to ``out_path`` (given the
    ``.bantin`` suffix), atomically. Raises :class:`StudioError` when a recording it needs is missing."""
    actor = studio.actor
    draft = studio.repo.load(bulletin_id)
    station = studio.repo.station(draft.station_id)
    members: dict[str, Member] = {}
    sources: dict[str, Path] = {}

    def add(folder: str, path: Path, sha256: str | None) -> str:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise StudioError(MEDIA_DAMAGED, hint=MEDIA_DAMAGED_HINT, path=path) from exc
        sha256 = sha256 or sha256_of(path)
        name = member_name(folder, sha256, path.suffix)
        members.setdefault(name, Member(name, size, sha256))
        sources[name] = path
        return name

    takes = [_take_entry(studio, segment.key, take, add) for segment, take in _takes_of(studio, draft)]
    jingles = [_jingle_entry(studio, role, getattr(station, f"{role}_jingle"), add)
               for role in _roles_used(draft, station.bed_kinds)]
    out_path = bundle_path(out_path)
    manifest = check_manifest(Manifest(
        studio_version=str(studio_package.__version__)[:40],
        created_at=datetime.now(UTC).isoformat(timespec="seconds"), created_by=actor.label[:200],
        station={"name": station.name[:200], "commune": station.commune[:200], "province": station.province[:200]},
        bulletin=draft, takes=tuple(takes), jingles=tuple(jingles), bed_kinds=tuple(station.bed_kinds),
        members=tuple(members.values())), out_path.name)  # what it writes can be imported (within the limits)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, out_path.parent) from exc
    size = write_bundle(out_path, manifest, sources, progress=progress, cancel=cancel)
    log.info("exported bulletin %s to %s (%d bytes, %d takes)", draft.uid, out_path, size, len(takes))
    return ExportResult(out_path, size, draft.title, len(takes), sum(1 for j in jingles if j.file))


def _takes_of(studio: Studio, draft: BulletinDraft) -> list[tuple[SegmentDraft, TakeInfo]]:
    """Every take of every segment, oldest first, plus a chosen recording kept elsewhere (a phrase's, or a
    take copied along with a template) as a take of the segment that plays it."""
    assert draft.id is not None
    found: list[tuple[SegmentDraft, TakeInfo]] = []
    for number, segment in enumerate(draft.segments, 1):
        own = list(reversed(studio.takes.of_segment(draft.id, segment.key)))
        if segment.take is not None and segment.take not in {take.sha256 for take in own}:
            chosen = studio.takes.by_sha(segment.take)
            if chosen is None:
                raise StudioError(TAKE_MISSING, hint=TAKE_MISSING_HINT, number=number)
            own.append(chosen)
        found.extend((segment, take) for take in own)
    return found


def _take_entry(studio: Studio, key: str, take: TakeInfo, add: _Adder) -> TakeEntry:
    phrase = None
    if take.phrase_id is not None:
        with contextlib.suppress(StudioError):
            phrase = studio.phrases.get(take.phrase_id).name[:200]
    created = take.created_at if take.created_at.tzinfo else take.created_at.replace(tzinfo=UTC)
    return TakeEntry(key, add("takes", studio.media.path(take.relpath), take.sha256),
                     add("takes", studio.media.path(take.raw_relpath), take.raw_sha256), take.duration_ms,
                     take.peak_dbfs, take.rms_dbfs, take.clipped, take.source, dict(take.cleanup),
                     created.isoformat(timespec="seconds"), take.created_by[:100], phrase)


def _roles_used(draft: BulletinDraft, bed_kinds: Sequence[str]) -> list[str]:
    """The jingle roles the programme can play: the bed only when a segment has it under it."""
    roles = ["opening", "closing", "stinger"]
    if any(s.bed if s.bed is not None else s.kind in bed_kinds for s in draft.segments):
        roles.append("bed")
    return roles


def _jingle_entry(studio: Studio, role: str, choice: str, add: _Adder) -> JingleEntry:
    if not choice:
        return JingleEntry(role, "", False)
    found = _library_id(studio, choice)
    if found is None:
        return JingleEntry(role, choice, True)  # not in this library either: the other PC may have it
    jingle = studio.jingles.get(found)
    name = " ".join(jingle.name.split())[:200]
    if jingle.shipped:
        return JingleEntry(role, jingle.id, True, name, jingle.category)
    return JingleEntry(role, jingle.id, False, name, jingle.category, add("jingles", jingle.path, None))


# --- import ------------------------------------------------------------------------------------------------
def stage_import(studio: Studio, path: Path, *, limits: Limits = DEFAULT_LIMITS,
                 progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> StagedImport:
    """Check the bulletin file ``path`` completely and copy its members into a private work folder. The
    library is not touched; a refused file raises :class:`~studio.bundle.manifest.BundleError`."""
    require(studio.repo.fresh(studio.actor), Action.EDIT)  # a reviewer's account writes no bulletin
    with open_bundle(path, limits) as opened:
        folder = _work_folder(studio)
        try:
            files = opened.extract(folder, progress=progress, cancel=cancel)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return StagedImport(path, opened.manifest, folder, files)


def _work_folder(studio: Studio) -> Path:
    cache = studio.paths.cache
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob(f"{WORK_PREFIX}*"):  # left by a studio that stopped mid-import
            with contextlib.suppress(OSError):
                if time.time() - old.stat().st_mtime > STALE_WORK_S:
                    shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=cache))
    except OSError as exc:
        raise os_error(exc, cache) from exc


def finish_import(studio: Studio, staged: StagedImport, *, use_jingles: bool = False) -> ImportResult:
    """Store a staged file's audio and create its bulletin as a new draft in this library (see the module's
    docstring); ``use_jingles`` also makes the file's jingle choices this station's."""
    studio.actor  # noqa: B018 - nobody imports unlogged once the station has accounts
    station = studio.station()
    manifest = staged.manifest
    notices = [Notice(UNKNOWN_PRESET, {"preset": preset}) for preset in dict.fromkeys(
        s.preset_id for s in manifest.bulletin.segments) if preset and preset not in studio.presets]
    choices = _store_jingles(studio, staged, notices)
    identity = manifest.identity()
    existing = _previous_import(studio, identity)
    if existing is not None:
        notices.insert(0, Notice(ALREADY_IMPORTED, {"number": str(existing.id), "title": existing.title}))
        saved, already = existing, True
    else:
        saved, already = _create(studio, staged, station.id, identity), False
    if use_jingles:
        station = use_station_jingles(studio, choices, manifest.bed_kinds)
    differ = _jingles_differ(studio, station, saved, choices, manifest.bed_kinds)
    if differ:
        notices.append(Notice(JINGLES_DIFFER))
    return ImportResult(saved, already, tuple(notices), tuple(choices), manifest.bed_kinds, differ)


def import_bundle(studio: Studio, path: Path, *, use_jingles: bool = False, limits: Limits = DEFAULT_LIMITS,
                  progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> ImportResult:
    """:func:`stage_import` then :func:`finish_import`, in one go (the command line's way)."""
    staged = stage_import(studio, path, limits=limits, progress=progress, cancel=cancel)
    try:
        return finish_import(studio, staged, use_jingles=use_jingles)
    finally:
        staged.discard()


def _store_jingles(studio: Studio, staged: StagedImport, notices: list[Notice]) -> list[tuple[str, str]]:
    """The file's station jingles into the jingle library (checked like any import; the same audio twice is
    one jingle); returns each role's jingle id in this library."""
    choices = []
    for entry in staged.manifest.jingles:
        if entry.file is not None:
            jingle = studio.jingles.import_file(staged.files[entry.file], entry.category, entry.name or entry.role)
            choices.append((entry.role, jingle.id))
            continue
        known = _library_id(studio, entry.id) if entry.id else ""
        if known is None:
            notices.append(Notice(JINGLE_MISSING, {"name": entry.name or entry.id}))
        choices.append((entry.role, known or entry.id))
    return choices


def _library_id(studio: Studio, choice: str) -> str | None:
    """The jingle library's id for a station's choice (``opening`` names the shipped ``shipped-opening``)."""
    for candidate in (choice, f"shipped-{choice}"):
        with contextlib.suppress(KeyError):
            return studio.jingles.get(candidate).id
    return None


def _previous_import(studio: Studio, identity: str) -> BulletinDraft | None:
    """The bulletin an earlier import of the same file made, if it is still in the library."""
    with studio.db.session() as s:
        rows = s.execute(select(AuditEntry.subject, AuditEntry.details).where(AuditEntry.action == IMPORT_ACTION)
                         .order_by(AuditEntry.id.desc())).all()
        found = None
        for subject, details in rows:
            if isinstance(details, dict) and details.get("identity") == identity:
                uid = str(subject).removeprefix("bulletin:")
                found = s.scalars(select(Bulletin.id).where(Bulletin.uid == uid)).first()
                if found is not None:
                    break
    return studio.repo.load(found) if found is not None else None


def _create(studio: Studio, staged: StagedImport, station_id: int, identity: str) -> BulletinDraft:
    """The takes' audio into the media library, then the bulletin, its takes and the audit entry; a failure
    after the bulletin was saved deletes it again (the audio stays: content-addressed, reused next time)."""
    actor = studio.actor
    manifest, files = staged.manifest, staged.files
    stored: dict[str, tuple[str, str]] = {}  # member path → (sha256, relpath in the media library)
    for take in manifest.takes:
        for path in (take.file, take.raw_file):
            if path not in stored:
                sha, relpath, _ = studio.media.put(files[path], manifest.member(path).suffix)
                stored[path] = (sha, relpath)
    source = manifest.bulletin
    draft = BulletinDraft(source.title, station_id, source.segments, source.priority, schedule=source.schedule)
    saved = studio.save_bulletin(draft)
    assert saved.id is not None
    try:
        for take in manifest.takes:
            (sha, relpath), (raw_sha, raw_relpath) = stored[take.file], stored[take.raw_file]
            studio.takes.add(bulletin_id=saved.id, segment_key=take.segment, sha256=sha, relpath=relpath,
                             raw_sha256=raw_sha, raw_relpath=raw_relpath, duration_ms=take.duration_ms,
                             peak_dbfs=take.peak_dbfs, rms_dbfs=take.rms_dbfs, clipped=take.clipped,
                             source=take.source, cleanup=take.cleanup, actor=actor.username)
        studio.repo.append_audit(actor.username, IMPORT_ACTION, f"bulletin:{saved.uid}", {
            "file": staged.source.name[:200], "identity": identity, "from_uid": source.uid,
            "from_state": source.state, "from_station": manifest.station.get("name", ""),
            "exported_by": manifest.created_by, "exported_at": manifest.created_at,
            "studio_version": manifest.studio_version, "takes": len(manifest.takes)})
    except BaseException:
        with contextlib.suppress(StudioError):
            studio.repo.delete(saved.id, actor=actor)
        raise
    log.info("imported %s from %s as bulletin %s", source.uid, staged.source, saved.id)
    return saved


def _jingle_file(studio: Studio, choice: str) -> Path | None:
    return studio.jingle_path(choice) if choice else None


def _jingles_differ(studio: Studio, station: StationInfo, draft: BulletinDraft, choices: Sequence[tuple[str, str]],
                    bed_kinds: Sequence[str]) -> bool:
    """Whether this station's jingles would make the bulletin sound different from the file's."""
    for role, jingle_id in choices:
        if _jingle_file(studio, getattr(station, f"{role}_jingle")) != _jingle_file(studio, jingle_id):
            return True
    if "bed" in dict(choices):
        return set(bed_kinds) != set(station.bed_kinds)
    # no bed played there: none may play here either
    return "bed" in _roles_used(draft, station.bed_kinds) and _jingle_file(studio, station.bed_jingle) is not None


def use_station_jingles(studio: Studio, choices: Sequence[tuple[str, str]], bed_kinds: Sequence[str]) -> StationInfo:
    """Make a file's jingle choices (from :class:`ImportResult`) and bed rule this station's. A shipped jingle
    this studio does not have is left as it is (the import said so)."""
    station = studio.station()
    for role, choice in choices:
        jingle_id = _library_id(studio, choice) if choice else ""
        if jingle_id is None or getattr(station, f"{role}_jingle") == jingle_id:
            continue
        station = studio.set_station_jingle(role, jingle_id)
    if set(bed_kinds) != set(station.bed_kinds):
        station = studio.repo.set_bed_kinds(station.id, bed_kinds, actor=studio.actor)
    return station
