"""The studio's services, built once by a composition root (the GUI's ``ui/app.py`` or ``cli.py``).

:class:`Studio` bundles what both front ends need — paths, settings, database, presets, speech
engines — and offers the user's jobs as methods (create the demo, render, deliver). It holds no
global state: tests build their own.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from studio.audio.codec import encode_wav
from studio.audio.jingles import JingleLibrary
from studio.audio.waveform import Peaks, WaveformCache
from studio.bulletin import BulletinDraft, SegmentDraft, check_segment_count
from studio.config import DATABASE_URL, SPEECH_CACHE_MB, Settings
from studio.delivery.credentials import Credentials
from studio.delivery.outbox import Listener, OutboxEvent, OutboxRunner
from studio.delivery.package import build_package
from studio.delivery.target import Package, Target
from studio.delivery.targets import NEEDS_SECRET, TargetSettings, build_target
from studio.fileio import replacing, sweep_leftovers, write_bytes_atomically
from studio.hashing import content_hash
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import Notice, StudioError, os_error
from studio.paths import StudioPaths, assets_dir
from studio.programme import ProgrammeLayout
from studio.render import (
    Lexicons,
    RenderProfile,
    RenderResult,
    SpeechItem,
    assemble_item,
    audio_file,
    check_segment_length,
    estimate_seconds,
    make_plan,
    prepare_text,
    render,
    render_fingerprint,
    synthesize_items,
)
from studio.speech.cache import SynthesisCache
from studio.speech.cleanup import CleanupSettings, clean_take
from studio.speech.edge import EdgeEngine
from studio.speech.engine import SpeechEngine
from studio.speech.espeak import EspeakEngine
from studio.speech.presets import Preset, load_presets
from studio.speech.synthesis import Synthesizer
from studio.speech.takes import import_take, take_stats
from studio.store.db import Database, sqlite_url
from studio.store.media import MediaStore
from studio.store.outbox import RANKS, Job, JobState, OutboxStore
from studio.store.phrases import PhraseStore
from studio.store.repo import RenderInfo, Repository, StationInfo
from studio.store.review import ReviewStatus, ReviewStore
from studio.store.takes import TakeInfo, TakeStore
from studio.store.templates import TemplateInfo, TemplateStore, bulletin_from, fill
from studio.tags.id3 import MAX_PICTURE_BYTES, picture_mime
from studio.tags.sidecar import Approval
from studio.tasks import CancelToken, ProgressCallback, no_progress
from studio.text.script import PreparedSegment
from studio.workflow.accounts import Actor
from studio.workflow.rules import check_schedule, check_session
from studio.workflow.schedule import Schedule, approval_hash
from studio.workflow.states import Action, State, require

log = logging.getLogger(__name__)

LOGIN_REQUIRED = QT_TRANSLATE_NOOP("Messages", "Log in first: this station has accounts.")
NO_STATION = QT_TRANSLATE_NOOP("Messages", "No station is set up yet. Run “studio demo” or the first-run set-up.")
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg")
LOGO_INVALID = QT_TRANSLATE_NOOP("Messages", "{path} is not a PNG or JPEG picture of at most 1 MB.")
LOGO_UNREADABLE = QT_TRANSLATE_NOOP("Messages", "The picture {path} cannot be read: {reason}")
TAKE_UNKNOWN = QT_TRANSLATE_NOOP("Messages", "That take does not belong to this segment.")
TARGET_OFF = QT_TRANSLATE_NOOP("Messages", "Delivery target “{name}” is switched off.")
NO_TARGETS = QT_TRANSLATE_NOOP("Messages", "No delivery target is set up, or all of them are switched off.")
NO_TARGETS_HINT = QT_TRANSLATE_NOOP("Messages", "Ask the installer to set up the controller under Station → Delivery "
                                                "targets.")
TARGET_GONE = QT_TRANSLATE_NOOP("Messages", "The delivery target was removed meanwhile.")
NOT_DELIVERED = QT_TRANSLATE_NOOP("Messages", "The programme was not delivered (state: {state}).")
SCHEDULE_HINT = QT_TRANSLATE_NOOP("Messages", "Correct the schedule (it needs a new approval), then send again.")
TEXT_UNREADABLE = QT_TRANSLATE_NOOP(
    "Messages", "The text file {path} cannot be read as UTF-8 text. Save it as “Unicode (UTF-8)” and try again."
)
UNKNOWN_PRESET = QT_TRANSLATE_NOOP("Messages", "The voice preset “{preset}” is not installed.")
NOTHING_TO_SPEAK = QT_TRANSLATE_NOOP("Messages", "This segment has nothing to read aloud.")
NOTHING_TO_SPEAK_RECORD = QT_TRANSLATE_NOOP(
    "Messages", "{preset} has no voice: record this segment with an announcer."
)
ONLINE_ONLY = QT_TRANSLATE_NOOP("Messages", "Only an online voice can read {preset}, and it cannot be reached now.")
ONLINE_ONLY_HINT = QT_TRANSLATE_NOOP("Messages", "Connect to the internet, or record this segment with an announcer.")
DEFAULT_TARGET = "outbox"


@dataclass(frozen=True)
class SegmentPreview:
    """One segment synthesised for listening: a WAV in the cache folder."""

    path: Path
    duration: float
    notices: tuple[Notice, ...]


def _preview_name(segment: SegmentDraft) -> str:
    return content_hash({"text": segment.text, "preset": segment.preset_id})[:16]

DEMO_STATION = "Đài truyền thanh xã Hòa Bình"
DEMO_TITLE = "Bản tin mẫu – Đài truyền thanh xã"
DEMO_SEGMENTS = (
    ("ident", "Đây là {station}."),
    ("greeting", "Kính thưa bà con nhân dân trong xã! Sau đây là bản tin của Đài truyền thanh xã."),
    ("news", "Thực hiện Nghị định 49/2024/NĐ-CP của Chính phủ, UBND xã tiếp tục củng cố hệ thống "
             "truyền thanh cơ sở, bảo đảm thông tin kịp thời đến từng thôn, bản."),
    ("notice", "Từ 7h30 ngày 25/11, Trạm Y tế xã tổ chức tiêm chủng cho trẻ từ 6-36 tháng tuổi. "
               "Đề nghị bà con đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng."),
    ("closing", "Bản tin đến đây là kết thúc. Cảm ơn bà con đã chú ý lắng nghe."),
)


@dataclass
class Studio:
    """Everything a front end needs, wired together."""

    paths: StudioPaths
    settings: Settings
    db: Database
    repo: Repository
    media: MediaStore
    presets: Mapping[str, Preset]
    engines: Mapping[str, SpeechEngine]
    synthesizer: Synthesizer
    lexicons: Lexicons
    jingles: JingleLibrary
    signed_in: Actor | None = None  # the person logged in (see :attr:`actor`)

    @classmethod
    def open(cls, paths: StudioPaths, settings: Settings | None = None) -> Studio:
        """Open (and migrate) the library under ``paths``; ``STUDIO_DATABASE_URL`` may point elsewhere."""
        paths.ensure()
        settings = settings or Settings(paths.config / "settings.json")
        url = settings.get(DATABASE_URL) or sqlite_url(paths.database_file)
        db = Database.open(url, backups=paths.backups)
        presets = load_presets([assets_dir() / "presets", paths.config / "presets"])
        engines: dict[str, SpeechEngine] = {"espeak": EspeakEngine(),
                                            "edge": EdgeEngine(voice_cache_dir=paths.cache / "voices")}
        cache = SynthesisCache(paths.cache / "speech", settings.get(SPEECH_CACHE_MB) << 20)
        return cls(paths, settings, db, Repository(db), MediaStore(paths.media), presets, engines,
                   Synthesizer(engines, cache), Lexicons(paths.config / "lexicon.tsv"),
                   JingleLibrary(assets_dir() / "jingles", paths.media / "jingles"))

    # --- people and review ---------------------------------------------------------------
    @cached_property
    def reviews(self) -> ReviewStore:
        return ReviewStore(self.db)

    @property
    def actor(self) -> Actor:
        """Who is acting: the logged-in person; the studio itself while no account exists at all (a fresh
        install: it may write and render, never approve). Once accounts exist, nobody acts unlogged."""
        if self.signed_in is not None:
            return self.signed_in
        if self.reviews.user_count() == 0:
            return Actor.system()
        raise StudioError(LOGIN_REQUIRED)

    def login(self, username: str, password: str) -> Actor:
        self.signed_in = self.reviews.authenticate(username, password)
        return self.signed_in

    def logout(self) -> None:
        self.signed_in = None

    def save_bulletin(self, draft: BulletinDraft) -> BulletinDraft:
        """Save as the person logged in (an edit after approval returns the bulletin to draft). A bulletin of
        more than :data:`~studio.bulletin.MAX_SEGMENTS` segments is refused with a message."""
        check_segment_count(draft.title, len(draft.segments))
        return self.repo.save(draft, actor=self.actor)

    def delete_bulletin(self, bulletin_id: int) -> None:
        self.repo.delete(bulletin_id, actor=self.actor)

    def review(self, bulletin_id: int, action: Action, *, version: int, seen_state: State | None = None,
               comment: str = "") -> ReviewStatus:
        """Submit, approve, request changes, withdraw or reopen the bulletin as it was at ``version``.

        An approval is bound to the fingerprint of that version: everything that shapes the broadcast."""
        content = self.approval_hash(self.repo.load(bulletin_id)) if action is Action.APPROVE else None
        return self.reviews.act(bulletin_id, action, actor=self.actor, version=version, seen_state=seen_state,
                                content_hash=content, comment=comment)

    def approval_is_current(self, bulletin_id: int) -> bool:
        """Whether the bulletin is approved and nothing that shapes its sound changed since (presets,
        jingles and output settings included, which are not saved with the bulletin)."""
        status = self.reviews.status(bulletin_id)
        return status.approved_hash is not None and status.approved_hash == self.approval_hash(
            self.repo.load(bulletin_id))

    def jingle_path(self, name: str) -> Path | None:
        """A station jingle setting (a library id such as ``opening-1a2b…`` or a shipped name such as
        ``opening``) as a file, or None when it is not in the library."""
        for candidate in (name, f"shipped-{name}"):
            try:
                return self.jingles.path_of(candidate)
            except KeyError:
                continue
        return None

    # --- recorded takes ----------------------------------------------------------------------
    @cached_property
    def takes(self) -> TakeStore:
        return TakeStore(self.db)

    @cached_property
    def phrases(self) -> PhraseStore:
        return PhraseStore(self.db)

    @cached_property
    def templates(self) -> TemplateStore:
        return TemplateStore(self.db)

    def new_bulletin_from_template(self, template: TemplateInfo, title: str | None = None,
                                   now: datetime | None = None) -> BulletinDraft:
        """Save a new bulletin in ``template``'s shape, with the station's usual schedule."""
        station = self.ensure_station()
        today = station.schedule_defaults.local_today(now or datetime.now(UTC))
        draft = bulletin_from(template, station, today)
        draft = replace(draft, title=title or draft.title, schedule=self.new_schedule(station, now))
        return self.save_bulletin(draft)

    def take_path(self, sha256: str) -> Path | None:
        """A chosen take's cleaned recording in the media library (None when no take has that sha256)."""
        info = self.takes.by_sha(sha256)
        return self.media.path(info.relpath) if info is not None else None

    def add_take(self, source: Path, *, bulletin_id: int | None = None, segment_key: str = "",
                 phrase_id: int | None = None, origin: str = "booth", settings: CleanupSettings | None = None,
                 cancel: CancelToken | None = None) -> TakeInfo:
        """Keep a recording of a segment (or of a phrase): the file exactly as recorded or imported, and its
        cleaned version (trimmed, high-passed, levelled; what the programme plays). Nothing is chosen yet.
        A file that is not a usable recording is refused with the reason before anything is stored."""
        actor = self.actor
        settings = settings or CleanupSettings()
        imported = import_take(source, cancel=cancel)
        cleaned = clean_take(imported.pcm, settings, cancel=cancel)
        stats = take_stats(cleaned)
        folder = self.paths.cache / "takes"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, folder) from exc
        work = folder / f"{content_hash({'source': str(source), 'cleanup': settings.content()})[:16]}.wav"
        encode_wav(cleaned, work, cancel=cancel)
        try:
            raw_sha, raw_relpath, _ = self.media.put(source, source.suffix.lower() or ".bin")
            sha, relpath, _ = self.media.put(work, ".wav")
        finally:
            work.unlink(missing_ok=True)
        return self.takes.add(bulletin_id=bulletin_id, phrase_id=phrase_id,
                              segment_key=segment_key or f"phrase-{phrase_id}", sha256=sha, relpath=relpath,
                              raw_sha256=raw_sha, raw_relpath=raw_relpath,
                              duration_ms=round(stats.duration_s * 1000), peak_dbfs=stats.peak_dbfs,
                              rms_dbfs=stats.rms_dbfs, clipped=imported.stats.clipped, source=origin,
                              cleanup=settings.content(), actor=actor.username)

    def choose_take(self, bulletin_id: int, segment_key: str, sha256: str | None) -> BulletinDraft:
        """Play ``sha256`` (one of the segment's takes; None: the synthetic voice again) for the segment: an
        edit of the bulletin like any other (it voids an approval)."""
        if sha256 is not None and sha256 not in {t.sha256 for t in self.takes.of_segment(bulletin_id, segment_key)}:
            raise StudioError(TAKE_UNKNOWN)
        draft = self.repo.load(bulletin_id)
        segments = [replace(segment, take=sha256) if segment.key == segment_key else segment
                    for segment in draft.segments]
        return self.save_bulletin(draft.with_segments(segments))

    @cached_property
    def voiced_cache(self) -> SynthesisCache:
        """Segments as voiced for the programme (see :mod:`studio.speech.cache`), beside the speech cache."""
        return SynthesisCache(self.paths.cache / "voiced", self.settings.get(SPEECH_CACHE_MB) << 20)

    @cached_property
    def waveforms(self) -> WaveformCache:
        return WaveformCache(self.paths.cache / "waveforms")

    def waveform(self, audio: Path, columns: int) -> Peaks:
        """``(columns, 2)`` min/max peaks of an audio file, computed once per file and width (slow the
        first time: call it from a worker)."""
        return self.waveforms.get_or_compute(audio, columns)

    def render_file(self, info: RenderInfo) -> Path:
        """Where a recorded render's audio is in the media library."""
        return self.media.path(info.relpath)

    @staticmethod
    def layout_of(info: RenderInfo) -> ProgrammeLayout | None:
        """The laid-out programme of a render (None for renders made before the timeline existed)."""
        if not info.layout:
            return None
        try:
            return ProgrammeLayout.from_json(info.layout)
        except ValueError as exc:
            log.warning("render %d: %s", info.id, exc)
            return None

    def set_station_jingle(self, which: str, jingle_id: str) -> StationInfo:
        """Use a library jingle (or "" for none) as the station's opening, closing, stinger or bed."""
        if jingle_id:
            self.jingles.get(jingle_id)  # KeyError for an unknown id, before anything is stored
        return self.repo.set_station_jingle(self.station().id, which, jingle_id, actor=self.actor)

    def sweep_leftovers(self) -> list[Path]:
        """Remove what an interrupted render, copy or save left in the studio's own folders (see
        :func:`studio.fileio.sweep_leftovers`); the window does it in the background once it is up."""
        return sweep_leftovers((self.paths.data, self.paths.cache, self.paths.config))

    def close(self) -> None:
        for engine in self.engines.values():
            close = getattr(engine, "close", None)
            if close is not None:
                close()
        self.db.dispose()

    # --- text ------------------------------------------------------------------------------
    def preset_for(self, segment: SegmentDraft) -> Preset:
        preset = self.presets.get(segment.preset_id)
        if preset is None:
            raise StudioError(UNKNOWN_PRESET, preset=segment.preset_id)
        return preset

    def prepare(self, segment: SegmentDraft) -> PreparedSegment:
        """What the voice will say for ``segment`` (for the editor's preview and warnings)."""
        return prepare_text(segment.text, self.preset_for(segment), self.lexicons)

    def estimate_seconds(self, segment: SegmentDraft) -> float:
        """Expected reading time of ``segment`` in its preset, pauses included."""
        preset = self.preset_for(segment)
        return estimate_seconds(prepare_text(segment.text, preset, self.lexicons), preset)

    def speak_segment(self, segment: SegmentDraft, *, progress: ProgressCallback = no_progress,
                      cancel: CancelToken | None = None) -> SegmentPreview:
        """Synthesise one segment as the render would (same cache, same fallbacks) into a WAV to listen to."""
        check_segment_length(segment.text)
        preset = self.preset_for(segment)
        prepared = prepare_text(segment.text, preset, self.lexicons)
        if not preset.synthesised:
            raise StudioError(NOTHING_TO_SPEAK_RECORD, preset=preset.name_en, preset_vi=preset.name_vi)
        item = SpeechItem(1, segment.kind, prepared.pieces, preset)
        if not item.requests():
            raise StudioError(NOTHING_TO_SPEAK)
        grouped, notices = synthesize_items([item], self.synthesizer, progress=progress, cancel=cancel)
        if any(o.missing for o in grouped[0]):
            raise StudioError(ONLINE_ONLY, hint=ONLINE_ONLY_HINT, preset=preset.name_en, preset_vi=preset.name_vi)
        rate = grouped[0][0].pcm.rate
        audio = assemble_item(item, grouped[0], rate, 1)
        folder = self.paths.cache / "previews"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, folder) from exc
        path = folder / f"segment-{_preview_name(segment)}.wav"
        encode_wav(audio, path, cancel=cancel)
        return SegmentPreview(path, audio.duration, tuple(notices))

    # --- set-up ----------------------------------------------------------------------------
    def station(self) -> StationInfo:
        station = self.repo.first_station()
        if station is None:
            raise StudioError(NO_STATION)
        return station

    def ensure_station(self) -> StationInfo:
        station = self.repo.first_station()
        if station is None:
            station = self.repo.create_station(DEMO_STATION, commune="Xã Hòa Bình", province="",
                                               series="Bản tin xã")
        if not self.repo.targets():
            self.repo.add_target(station.id, DEFAULT_TARGET, "folder", {"path": str(self.paths.outbox_folder)})
        return station

    def create_demo(self) -> BulletinDraft:
        """The demo station (if none yet) and a Vietnamese sample bulletin."""
        station = self.ensure_station()
        today = station.schedule_defaults.local_today(datetime.now(UTC))
        segments = tuple(SegmentDraft(fill(text, station, today), station.default_preset, kind)
                         for kind, text in DEMO_SEGMENTS)
        return self.repo.save(BulletinDraft(DEMO_TITLE, station.id, segments, schedule=self.new_schedule(station)))

    def ensure_library(self) -> None:
        """First launch: a station, the default outbox target and the sample bulletin."""
        self.ensure_station()
        if not self.repo.has_bulletins():
            self.create_demo()

    def new_bulletin_from_text(self, text: str, title: str, preset_id: str | None = None) -> BulletinDraft:
        """A bulletin from pasted text: each paragraph (blank-line separated) becomes one segment."""
        station = self.ensure_station()
        preset = preset_id or station.default_preset
        paragraphs = [p.strip() for p in _paragraphs(text) if p.strip()]
        segments = tuple(SegmentDraft(p, preset) for p in paragraphs)
        return BulletinDraft(title, station.id, segments, schedule=self.new_schedule(station))

    @staticmethod
    def new_schedule(station: StationInfo, now: datetime | None = None) -> Schedule:
        """The schedule a new bulletin starts with: the station's usual slots and zones, valid from today
        (the commune's today) for the station's usual number of days."""
        defaults = station.schedule_defaults
        return defaults.new_schedule(defaults.local_today(now or datetime.now(UTC)))

    # --- rendering -------------------------------------------------------------------------
    def profile(self) -> RenderProfile:
        return RenderProfile.from_settings(self.settings)

    def render_draft(self, draft: BulletinDraft, out_path: Path, *, progress: ProgressCallback = no_progress,
                     cancel: CancelToken | None = None) -> RenderResult:
        """Render any bulletin snapshot (saved or not) to ``out_path`` + sidecar; ``out_path`` carries the
        profile's suffix (``self.profile().suffix``)."""
        station = self.repo.station(draft.station_id)
        plan = make_plan(draft, station, self.presets, self.profile(), self.jingle_path, self.lexicons,
                         self.take_path)
        return render(plan, self.synthesizer, out_path, progress=progress, cancel=cancel,
                      voiced_cache=self.voiced_cache)

    def render_bulletin(self, bulletin_id: int, *, progress: ProgressCallback = no_progress,
                        cancel: CancelToken | None = None) -> tuple[RenderInfo, RenderResult]:
        """Render a saved bulletin into the library (content-addressed) and record it."""
        actor = self.actor  # before the work: nobody renders unlogged once the station has accounts
        draft = self.repo.load(bulletin_id)
        work = self.paths.renders / draft.uid
        suffix = self.profile().suffix
        result = self.render_draft(draft, work / f"{draft.uid}{suffix}", progress=progress, cancel=cancel)
        sha, relpath, size = self.media.put(result.audio, suffix)
        asset = self.repo.add_media(sha, "render", relpath, size, result.duration_ms)
        info = self.repo.add_render(
            bulletin_id, asset, result.sidecar["content_hash"], duration_ms=result.duration_ms,
            integrated_lufs=result.report.integrated_lufs, true_peak_dbtp=result.report.true_peak_dbtp,
            loudness_range=result.report.loudness_range_lu, profile=self.profile().name, sidecar=result.sidecar,
            layout=result.layout.to_json() if result.layout is not None else None, actor=actor.username,
        )
        self.reviews.mark_rendered(bulletin_id, approval_hash(info.content_hash, draft.schedule), actor=actor)
        return info, result

    def current_render(self, bulletin_id: int) -> RenderInfo | None:
        """The newest render made from the bulletin's current content, if any."""
        draft = self.repo.load(bulletin_id)
        return self.current_render_of(draft)

    def fingerprint(self, draft: BulletinDraft) -> str:
        """What a render of ``draft`` made now would be bound to (see :func:`render_fingerprint`)."""
        return render_fingerprint(draft, self.presets, self.profile(), self.lexicons,
                                  self.repo.station(draft.station_id), self.jingle_path)

    def approval_hash(self, draft: BulletinDraft) -> str:
        """What a reviewer's approval of ``draft`` binds: its sound fingerprint and its schedule."""
        return approval_hash(self.fingerprint(draft), draft.schedule)

    def current_render_of(self, draft: BulletinDraft) -> RenderInfo | None:
        if draft.id is None:
            return None
        return self.repo.latest_render(draft.id, self.fingerprint(draft))

    def export(self, result: RenderResult, out_path: Path) -> Path:
        """Copy a finished render (and its sidecar) to where the user asked, atomically. The copy keeps the
        render's suffix (``.mp3`` or ``.wav``) whatever ``out_path`` says; returns where it landed."""
        out_path = audio_file(out_path, result.audio.suffix.lower())
        sidecar = out_path.with_suffix(".json")
        try:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            sidecar.unlink(missing_ok=True)  # an older sidecar must not describe the new audio (a crash)
        except OSError as exc:
            raise os_error(exc, out_path.parent) from exc
        for src, dst in ((result.audio, out_path), (result.sidecar_path, sidecar)):
            with replacing(dst) as tmp:
                shutil.copyfile(src, tmp)
        return out_path

    # --- delivery --------------------------------------------------------------------------
    @cached_property
    def outbox(self) -> OutboxStore:
        return OutboxStore(self.db)

    @cached_property
    def credentials(self) -> Credentials:
        """Delivery passwords in the OS credential store, scoped to this library's settings folder."""
        return Credentials(str(self.paths.config.resolve()))

    def make_target(self, target_id: int) -> Target:
        """The transport of a stored target, with its password from this PC's credential store."""
        info = next((t for t in self.repo.targets() if t.id == target_id), None)
        if info is None:
            raise StudioError(TARGET_GONE)
        settings = TargetSettings(info.name, info.kind, info.config)
        secret = self.credentials.get(info.name) if info.kind in NEEDS_SECRET else None
        return build_target(settings, secret, create_folder=info.name == DEFAULT_TARGET)

    def package_for(self, job: Job) -> Package:
        """The frozen package of a queued job: its audio from the media library, its sidecar's exact bytes."""
        audio = self.media.path(job.package_relpath)
        sidecar = self.paths.cache / "outbox" / f"{job.package_sha256}.json"
        data = job.sidecar_text.encode("utf-8")
        if not sidecar.is_file() or sidecar.read_bytes() != data:
            try:
                sidecar.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise os_error(exc, sidecar.parent) from exc
            write_bytes_atomically(sidecar, data)
        return Package(job.programme_id, audio, sidecar, job.package_sha256, job.size_bytes)

    def queue_delivery(self, bulletin_id: int, target_names: Sequence[str] | None = None, *,
                       progress: ProgressCallback = no_progress,
                       cancel: CancelToken | None = None) -> list[tuple[Job, bool]]:
        """Put the bulletin's approved programme into the outbox for the named targets (default: every
        enabled one); returns each (job, newly queued). Renders first when no current render exists.

        Only an approved bulletin goes, and only a render made from exactly the approved content and
        schedule (:class:`~studio.workflow.states.NotAllowed` otherwise, before anything is rendered)."""
        actor = self.actor
        draft = self.repo.load(bulletin_id)
        current = self.approval_hash(draft)
        self.reviews.check_deliverable(bulletin_id, current, current, actor=actor)
        if draft.schedule is not None:
            problems = draft.schedule.problems()
            if problems:
                text, args = problems[0]
                raise StudioError(text, hint=SCHEDULE_HINT, **args)
        targets = [t for t in self.repo.targets() if t.enabled and (target_names is None or t.name in target_names)]
        for name in target_names or ():
            if not self.repo.target(name).enabled:  # an unknown name is an error too, not silently skipped
                raise StudioError(TARGET_OFF, name=name)
        if not targets:
            raise StudioError(NO_TARGETS, hint=NO_TARGETS_HINT)
        render_info = self.current_render(bulletin_id)
        if render_info is None:
            render_info, _ = self.render_bulletin(bulletin_id, progress=progress, cancel=cancel)
        self.reviews.check_deliverable(bulletin_id, approval_hash(render_info.content_hash, draft.schedule),
                                       current, actor=actor)
        station = self.repo.station(draft.station_id)
        check_session(draft.title, render_info.duration_ms / 1000, draft.priority, station.session_rules)
        check_schedule(draft.title, draft.schedule, render_info.duration_ms / 1000, draft.priority,
                       station.session_rules, station.schedule_defaults.utc_offset_minutes)
        status = self.reviews.status(bulletin_id)
        approval = Approval(status.approved_by or "-", status.approved_at or datetime.now(UTC),
                            render_info.content_hash, current)
        work = self.paths.cache / "outbox"
        try:
            work.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, work) from exc
        built = build_package(self.media.path(render_info.relpath), render_info.sidecar, work,
                              schedule=draft.schedule,
                              utc_offset_minutes=station.schedule_defaults.utc_offset_minutes,
                              approval=approval, picture=self.station_logo())
        sha, relpath, size = self.media.put(built.audio, built.audio.suffix)
        built.audio.unlink(missing_ok=True)
        rank = RANKS[draft.priority]
        return [self.outbox.enqueue(render_id=render_info.id, target_id=target.id, programme_id=draft.uid,
                                    rank=rank, approval_hash=current, package_sha256=sha, package_relpath=relpath,
                                    size_bytes=size, sidecar_text=built.sidecar_bytes.decode("utf-8"),
                                    actor=actor.username)
                for target in targets]

    def withdraw_programme(self, bulletin_id: int, target_names: Sequence[str] | None = None) -> list[Job]:
        """Queue the removal of the bulletin's programme from the targets it was delivered to (or the named
        ones); queued deliveries of it are cancelled."""
        actor = self.actor
        require(self.repo.fresh(actor), Action.DELIVER)
        draft = self.repo.load(bulletin_id)
        delivered = {job.target_id: job for job in self.outbox.jobs(bulletin_id=bulletin_id)
                     if job.kind == "deliver" and job.state in (JobState.DONE, JobState.SENDING, JobState.QUEUED,
                                                                JobState.WAITING, JobState.FAILED)}
        jobs = []
        for target in self.repo.targets():
            if (target_names is not None and target.name not in target_names) or target.id not in delivered:
                continue
            jobs.append(self.outbox.enqueue_withdraw(render_id=delivered[target.id].render_id, target_id=target.id,
                                                     programme_id=draft.uid, rank=RANKS[draft.priority],
                                                     actor=actor.username))
        return jobs

    def outbox_runner(self, listener: Listener | None = None) -> OutboxRunner:
        """The outbox's workers for this studio; :meth:`OutboxRunner.start` them. Delivered programmes mark
        their bulletin delivered."""
        def heard(event: OutboxEvent) -> None:
            if event.kind == "delivered" and event.job is not None:
                self.reviews.mark_delivered(event.job.bulletin_id, actor=Actor.system())
            if listener is not None:
                listener(event)

        return OutboxRunner(self.outbox, self.make_target, self.package_for, listener=heard)

    def deliver(self, bulletin_id: int, target_name: str, *, progress: ProgressCallback = no_progress,
                cancel: CancelToken | None = None, timeout: float | None = None) -> Job:
        """Queue the programme for one target and send it now, waiting for the outcome (the CLI's and the
        tests' way; the window lets the outbox run in the background). A failure that needs a person is
        raised as its message; a failure that a later attempt may cure leaves the job waiting in the
        outbox and is raised too, so the caller knows it has not arrived yet."""
        [(job, _)] = self.queue_delivery(bulletin_id, [target_name], progress=progress, cancel=cancel)
        if job.state is not JobState.DONE:
            runner = self.outbox_runner()
            runner.wake([job.target_id])
            try:
                [job] = runner.wait_for([job.id], timeout, until=lambda j: j.state is not JobState.QUEUED
                                        and j.state is not JobState.SENDING)
            finally:
                runner.stop()
            if job.state is not JobState.DONE:
                error = job.error_message()
                raise error if error is not None else StudioError(NOT_DELIVERED, state=job.state.value)
        return job

    def station_logo(self) -> bytes | None:
        """The station's logo for the audio files' cover picture (``logo.png``/``logo.jpg`` in the config
        folder), when it is a PNG or JPEG within the size limit."""
        for name in LOGO_NAMES:
            path = self.paths.config / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if len(data) <= MAX_PICTURE_BYTES and picture_mime(data):
                return data
        return None

    def set_station_logo(self, source: Path | None) -> None:
        """Use a PNG or JPEG (at most 1 MiB) as the cover picture of delivered programmes; None removes it.
        Checked before anything is replaced; only an administrator may change it."""
        require(self.repo.fresh(self.actor), Action.MANAGE_STATION)
        data = None
        if source is not None:
            try:
                data = source.read_bytes()[: MAX_PICTURE_BYTES + 1]
            except OSError as exc:
                raise StudioError(LOGO_UNREADABLE, path=source, reason=exc.strerror or exc) from exc
            if len(data) > MAX_PICTURE_BYTES or picture_mime(data) is None:
                raise StudioError(LOGO_INVALID, path=source)
        for name in LOGO_NAMES:
            try:
                (self.paths.config / name).unlink(missing_ok=True)
            except OSError as exc:
                raise os_error(exc, self.paths.config / name) from exc
        if data is not None:
            name = "logo.png" if picture_mime(data) == "image/png" else "logo.jpg"
            write_bytes_atomically(self.paths.config / name, data)


def _paragraphs(text: str) -> list[str]:
    return re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_text_file(path: Path) -> str:
    """Read an officer's text file: UTF-8 (with or without BOM); a clear message otherwise."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudioError(TEXT_UNREADABLE, path=path) from exc
    except OSError as exc:
        raise StudioError(QT_TRANSLATE_NOOP("Messages", "The file {path} cannot be opened: {reason}"),
                          path=path, reason=exc.strerror or exc) from exc
