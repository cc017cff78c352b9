"""The one place that strings the steps together: bulletin → speech → programme → mastered, tagged file
(MP3, or WAV when the station asks for it).

The GUI and the CLI both call :func:`make_plan` (cheap, validates, on any thread) and then
:func:`render` (slow, in a worker) with a progress callback and a cancel token. A plan is an immutable
snapshot, so the officer may keep editing while the render runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from studio.audio.codec import decode
from studio.audio.ducking import DuckingSettings
from studio.audio.finish import OutputFormat, finish
from studio.audio.loudness import SILENCE_LUFS, LoudnessReport, integrated_loudness
from studio.audio.mix import concatenate, trim_silence
from studio.audio.pcm import Pcm
from studio.audio.timeline import Bed, Mixed, StartMode, TimelineItem, mix_programme
from studio.audio.voice import VoiceProcessing, process
from studio.bulletin import MAX_SEGMENTS, TOO_MANY_SEGMENTS_HINT, BulletinDraft, SegmentDraft
from studio.config import (
    AUDIO_FORMAT,
    CHANNELS,
    JINGLE_GAP,
    LOUDNESS_TARGET,
    MP3_BITRATE,
    SAMPLE_RATE,
    SEGMENT_GAP,
    TRUE_PEAK_LIMIT,
    VOICE_PROCESSING,
    Settings,
)
from studio.hashing import content_hash
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import Notice, StudioError, os_error
from studio.programme import MAX_DUCK_POINTS, BedLane, LayoutItem, ProgrammeLayout
from studio.speech.cache import SynthesisCache, stored
from studio.speech.engine import VoiceParams
from studio.speech.presets import Preset
from studio.speech.synthesis import SynthesisOutcome, SynthesisRequest, Synthesizer
from studio.store.repo import StationInfo
from studio.tags.id3 import ProgrammeTags, write_id3
from studio.tags.sidecar import SegmentSummary, build_sidecar, probe_audio, write_sidecar
from studio.tasks import CancelToken, ProgressCallback, no_progress, worker_initializer
from studio.text.lexicon import Lexicon, load_lexicon
from studio.text.pauses import PausePiece, TextPiece
from studio.text.script import PreparedSegment, orthography_for, prepare_segment
from studio.text.speakable import has_speakable_text
from studio.workflow.rules import session_notices

log = logging.getLogger(__name__)

# A bulletin segment is read in minutes; 20 000 characters is already about 25 minutes of speech.
MAX_SEGMENT_CHARS = 20_000
# A whole programme: about four hours of speech, the longest session a station can set (workflow.rules). More
# would synthesise for hours and mix more audio than a PC's memory holds (a 10 MB text file is 200 hours).
MAX_BULLETIN_CHARS = 200_000
VOICED_VERSION = 1  # raise when assembling or voice processing changes what the same inputs sound like

EMPTY_BULLETIN = QT_TRANSLATE_NOOP("Messages", "“{title}” has nothing to read aloud yet.")
EMPTY_BULLETIN_HINT = QT_TRANSLATE_NOOP("Messages", "Add a segment with some text, then render again.")
TOO_LONG = QT_TRANSLATE_NOOP(
    "Messages", "Segment {number} is too long to read as one item ({chars} characters, about {minutes} minutes)."
)
TOO_LONG_HINT = QT_TRANSLATE_NOOP("Messages", "Split it into several segments of at most {limit} characters.")
SEGMENT_TOO_LONG = QT_TRANSLATE_NOOP(
    "Messages", "This segment is too long to read as one item ({chars} characters, about {minutes} minutes)."
)
TOO_MANY = QT_TRANSLATE_NOOP("Messages", "The bulletin has {count} segments; at most {limit} can be rendered.")
BULLETIN_TOO_LONG = QT_TRANSLATE_NOOP(
    "Messages", "The bulletin is too long to read as one programme ({chars} characters, about {minutes} minutes); "
    "at most {limit} characters can be rendered."
)
UNKNOWN_PRESET = QT_TRANSLATE_NOOP(
    "Messages", "Segment {number} uses the voice preset “{preset}”, which is not installed."
)
NEEDS_RECORDING = QT_TRANSLATE_NOOP(
    "Messages", "Segment {number} is in a language that must be recorded by an announcer ({preset})."
)
TAKE_MISSING = QT_TRANSLATE_NOOP(
    "Messages", "The chosen recording of segment {number} is missing from the media library."
)
TAKE_MISSING_HINT = QT_TRANSLATE_NOOP("Messages", "Choose another take of the segment, or record it again.")
SKIPPED_EMPTY = QT_TRANSLATE_NOOP("Messages", "Segment {number} has nothing to read aloud and was left out.")
FELL_BACK = QT_TRANSLATE_NOOP(
    "Messages", "Segment {number} was read by the offline voice because the online voice could not be reached."
)
LEFT_OUT = QT_TRANSLATE_NOOP(
    "Messages", "Segment {number} ({preset}) was LEFT OUT: only an online voice can read it and it cannot be "
    "reached now. Connect to the internet and render again, or record this segment."
)
ALL_LEFT_OUT = QT_TRANSLATE_NOOP(
    "Messages", "No segment could be read: the online voices cannot be reached and these languages have no "
    "offline voice. Connect to the internet, or record the segments."
)
JINGLE_MISSING = QT_TRANSLATE_NOOP("Messages", "The jingle “{name}” was not found and was left out.")


@dataclass(frozen=True)
class RenderProfile:
    """Output format and loudness, from the station's settings.

    ``container`` is ``"mp3"`` (CBR at ``bitrate_kbps``) or ``"wav"`` (16-bit PCM; ``bitrate_kbps`` is
    then ignored)."""

    bitrate_kbps: int = 128
    sample_rate: int = 44100
    channels: int = 1
    loudness_target: float = -16.0
    true_peak_ceiling: float = -1.0
    segment_gap: float = 0.7
    jingle_gap: float = 0.4
    voice_processing: str = "horn"  # "horn": band-limited, present, compressed speech for outdoor horns
    container: Literal["mp3", "wav"] = "mp3"

    def __post_init__(self) -> None:
        if self.container not in ("mp3", "wav"):
            raise ValueError(f"unknown container {self.container!r}")

    @property
    def name(self) -> str:
        layout = "mono" if self.channels == 1 else "stereo"
        if self.container == "wav":
            return f"wav-16bit-{layout}-{self.sample_rate}"
        return f"mp3-{self.bitrate_kbps}k-{layout}-{self.sample_rate}"

    @property
    def suffix(self) -> str:
        """The rendered file's suffix, ``".mp3"`` or ``".wav"``."""
        return self.output_format().suffix

    def output_format(self) -> OutputFormat:
        return OutputFormat(self.container, self.bitrate_kbps, self.sample_rate, self.channels)

    def fingerprint_fields(self) -> dict[str, Any]:
        """The fields that shape the delivered file, for :func:`render_fingerprint`.

        An MP3 profile hashes exactly the fields it had before WAV existed, so renders made by earlier
        versions stay current; a WAV profile names its container and leaves out the bit rate it ignores."""
        fields = asdict(self)
        if self.container == "mp3":
            del fields["container"]
        else:
            del fields["bitrate_kbps"]
        return fields

    @classmethod
    def from_settings(cls, settings: Settings) -> RenderProfile:
        container = settings.get(AUDIO_FORMAT)
        return cls(
            container="wav" if container == "wav" else "mp3",
            bitrate_kbps=settings.get(MP3_BITRATE),
            sample_rate=settings.get(SAMPLE_RATE),
            channels=settings.get(CHANNELS),
            loudness_target=settings.get(LOUDNESS_TARGET),
            true_peak_ceiling=settings.get(TRUE_PEAK_LIMIT),
            segment_gap=settings.get(SEGMENT_GAP),
            jingle_gap=settings.get(JINGLE_GAP),
            voice_processing=settings.get(VOICE_PROCESSING),
        )

    def voice_chain(self) -> VoiceProcessing:
        return VoiceProcessing.horn() if self.voice_processing == "horn" else VoiceProcessing.neutral()


def audio_file(path: Path, suffix: str) -> Path:
    """``path`` named for a ``suffix`` (``".mp3"``/``".wav"``) file: ``x.mp3`` becomes ``x.wav``, ``x`` or
    ``x.v2`` gets the suffix added, a path that already has it is kept."""
    if path.suffix.lower() == suffix:
        return path
    if path.suffix.lower() in (".mp3", ".wav"):
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


class Lexicons:
    """The station's pronunciation rules and the presets' respelling lists, each loaded once.

    Problems found while loading (a bad regex on line 7) are logged and kept in :attr:`issues` for the
    settings page; the rest of the rules still apply.
    """

    def __init__(self, station_file: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, Lexicon] = {}
        self.issues: list[str] = []
        self.station = self._load(station_file) if station_file is not None else None

    def _load(self, path: Path) -> Lexicon:
        with self._lock:
            if path not in self._loaded:
                result = load_lexicon(path)
                for issue in result.issues:
                    log.warning("lexicon %s: %s", path, issue)
                    self.issues.append(str(issue))
                self._loaded[path] = result.lexicon
            return self._loaded[path]

    def for_preset(self, preset: Preset) -> Lexicon | None:
        return self._load(preset.lexicon) if preset.lexicon is not None else None

    @classmethod
    def with_station(cls, station: Lexicon | None) -> Lexicons:
        """Lexicons around rules not (yet) saved to a file, e.g. the rule editor's preview."""
        lexicons = cls()
        lexicons.station = station
        return lexicons


def _rules_digest(lexicon: Lexicon | None) -> list[str]:
    return [repr(rule) for rule in lexicon.rules] if lexicon is not None else []


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_digest(path: Path | None) -> str | None:
    """sha256 of a file (cached while its size and time stay the same); None when absent or unreadable."""
    if path is None:
        return None
    try:
        stat = path.stat()
        return _file_digest(str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return None


def render_fingerprint(bulletin: BulletinDraft, presets: Mapping[str, Preset], profile: RenderProfile,
                       lexicons: Lexicons, station: StationInfo | None = None,
                       jingles: Callable[[str], Path | None] | None = None) -> str:
    """sha256 over everything that shapes the broadcast sound: the bulletin's content, the presets it uses
    (voices, speeds, respelling rules), the station's pronunciation rules, its jingle choices and (with
    ``jingles``, which resolves them to files) the jingles' own audio, and the output profile. An approval
    is bound to this value (:mod:`studio.workflow.states`).

    Machine-independent (rules by content, not file path), so another PC computes the same value. A render
    whose fingerprint differs from the bulletin's current one is out of date.
    """
    used: dict[str, Any] = {}
    for preset_id in sorted({segment.preset_id for segment in bulletin.segments}):
        preset = presets.get(preset_id)
        if preset is None:
            used[preset_id] = None
            continue
        fields = {k: v for k, v in asdict(preset).items() if k != "lexicon"}
        fields["lexicon"] = _rules_digest(lexicons.for_preset(preset))
        used[preset_id] = fields
    content: dict[str, Any] = {"bulletin": bulletin.sound_content(), "presets": used,
                               "station_rules": _rules_digest(lexicons.station),
                               "profile": profile.fingerprint_fields()}
    if station is not None:
        names = [station.opening_jingle, station.closing_jingle, station.stinger_jingle, station.bed_jingle]
        content["jingles"] = [*names, list(station.bed_kinds)]
        if station.bilingual_order != "interleaved":  # only when set: earlier fingerprints stay valid
            content["bilingual_order"] = station.bilingual_order
        if jingles is not None:
            content["jingle_audio"] = [file_digest(jingles(name)) if name else None for name in names]
    return content_hash(content)


def prepare_text(text: str, preset: Preset, lexicons: Lexicons) -> PreparedSegment:
    """The spoken form of ``text`` in ``preset``: pauses cut out, lexicons applied, normalised if Vietnamese."""
    return prepare_segment(
        text,
        normalize=preset.normalize,
        dialect=preset.dialect,
        station_lexicon=lexicons.station,
        preset_lexicon=lexicons.for_preset(preset),
        orthography=orthography_for(preset.language, preset.script, preset.mode),
    )


def check_segment_length(text: str) -> None:
    """Raise :class:`StudioError` when ``text`` is longer than one segment may be (the render refuses it):
    the editor and Listen say so at once instead of preparing megabytes of pasted text."""
    if len(text) > MAX_SEGMENT_CHARS:
        raise StudioError(SEGMENT_TOO_LONG, hint=TOO_LONG_HINT, chars=len(text), minutes=round(len(text) / 800),
                          limit=MAX_SEGMENT_CHARS)


def estimate_seconds(prepared: PreparedSegment, preset: Preset) -> float:
    """Reading time of a prepared segment: spoken pieces at the preset's pace, plus its pauses."""
    return sum(preset.estimate_seconds(p.text) if isinstance(p, TextPiece) else p.seconds
               for p in prepared.pieces)


@dataclass(frozen=True)
class SpeechItem:
    number: int  # 1-based, as the officer sees it
    kind: str
    pieces: tuple[TextPiece | PausePiece, ...]  # spoken text (normalised) and pauses, in order
    preset: Preset
    gap: float | None = None  # silence before it; None: the profile's segment gap
    crossfade: float = 0.0
    bed: bool = False  # the station's music bed plays under it
    take: Path | None = None  # the chosen recording (cleaned), played instead of a synthetic voice

    def requests(self) -> list[SynthesisRequest]:
        if self.take is not None:
            return []
        preset = self.preset
        chain = [(engine, VoiceParams(voice, preset.rate, preset.pitch, preset.volume))
                 for engine, voice in preset.fallback_chain()]
        return [SynthesisRequest(self.number, piece.text, chain[0][0], chain[0][1], tuple(chain[1:]))
                for piece in self.pieces if isinstance(piece, TextPiece)]


@dataclass(frozen=True)
class RenderPlan:
    """Everything a render needs, frozen at the moment the officer pressed Render."""

    bulletin: BulletinDraft
    station: StationInfo
    profile: RenderProfile
    items: tuple[SpeechItem, ...]
    opening_jingle: Path | None
    closing_jingle: Path | None
    content_hash: str
    notices: tuple[Notice, ...] = ()
    stinger: Path | None = None  # between two news items
    bed: Path | None = None  # under the items whose ``bed`` is set


@dataclass(frozen=True)
class PlacedItem:
    number: int
    kind: str
    language: str
    preset: str
    start_ms: int
    duration_ms: int


@dataclass(frozen=True)
class RenderResult:
    audio: Path  # the tagged MP3 or WAV
    sidecar_path: Path
    sidecar: dict[str, Any]
    report: LoudnessReport
    duration_ms: int
    placed: tuple[PlacedItem, ...]
    notices: tuple[Notice, ...] = field(default=())
    layout: ProgrammeLayout | None = None


def make_plan(bulletin: BulletinDraft, station: StationInfo, presets: Mapping[str, Preset],
              profile: RenderProfile, jingles: Callable[[str], Path | None] | None,
              lexicons: Lexicons | None = None, takes: Callable[[str], Path | None] | None = None) -> RenderPlan:
    """Validate the bulletin and freeze what to render. Raises :class:`StudioError` on unrenderable input.

    ``jingles`` resolves the station's jingle names (a jingle library id, or a shipped jingle's name) to files;
    ``takes`` a chosen take's sha256 to its cleaned recording.
    """
    lexicons = lexicons or Lexicons()
    if len(bulletin.segments) > MAX_SEGMENTS:
        raise StudioError(TOO_MANY, hint=TOO_MANY_SEGMENTS_HINT, count=len(bulletin.segments), limit=MAX_SEGMENTS)
    items: list[SpeechItem] = []
    notices: list[Notice] = []

    def language(segment: SegmentDraft) -> str:
        preset = presets.get(segment.preset_id)
        return preset.language if preset is not None else segment.preset_id

    order = list(programme_order(bulletin.segments, station.bilingual_order, language))
    spoken = [index for index in order
              if bulletin.segments[index].take is None and has_speakable_text(bulletin.segments[index].text)]
    for index in spoken:
        text = bulletin.segments[index].text
        if len(text) > MAX_SEGMENT_CHARS:
            raise StudioError(TOO_LONG, hint=TOO_LONG_HINT, number=index + 1, chars=len(text),
                              minutes=round(len(text) / 800), limit=MAX_SEGMENT_CHARS)
    spoken_chars = sum(len(bulletin.segments[index].text) for index in spoken)
    if spoken_chars > MAX_BULLETIN_CHARS:  # checked before anything is prepared: megabytes take a while
        raise StudioError(BULLETIN_TOO_LONG, hint=TOO_MANY_SEGMENTS_HINT, chars=spoken_chars,
                          minutes=round(spoken_chars / 800), limit=MAX_BULLETIN_CHARS)

    for index in order:
        number, segment = index + 1, bulletin.segments[index]
        if segment.take is not None:  # a recording: whatever the text says, the announcer's voice plays
            items.append(_recorded_item(number, segment, presets, station, takes))
            continue
        if not has_speakable_text(segment.text):
            if segment.text.strip():
                notices.append(Notice(SKIPPED_EMPTY, {"number": str(number)}))
            continue
        preset = presets.get(segment.preset_id)
        if preset is None:
            raise StudioError(UNKNOWN_PRESET, number=number, preset=segment.preset_id)
        if preset.mode == "record":
            raise StudioError(NEEDS_RECORDING, number=number, preset=preset.name_en, preset_vi=preset.name_vi)
        prepared = prepare_text(segment.text, preset, lexicons)
        for warning in prepared.warnings:
            log.info("segment %d: %s", number, warning.message)
        if not any(isinstance(p, TextPiece) for p in prepared.pieces):
            notices.append(Notice(SKIPPED_EMPTY, {"number": str(number)}))
            continue
        bed = segment.bed if segment.bed is not None else segment.kind in station.bed_kinds
        items.append(SpeechItem(number, segment.kind, prepared.pieces, preset, segment.gap, segment.crossfade, bed))
    if not items:
        raise StudioError(EMPTY_BULLETIN, hint=EMPTY_BULLETIN_HINT, title=bulletin.title or "-")

    def jingle(name: str) -> Path | None:
        if not name or jingles is None:
            return None
        found = jingles(name)
        if found is None or not found.is_file():
            notices.append(Notice(JINGLE_MISSING, {"name": name}))
            return None
        return found

    return RenderPlan(
        bulletin=bulletin,
        station=station,
        profile=profile,
        items=tuple(items),
        opening_jingle=jingle(station.opening_jingle),
        closing_jingle=jingle(station.closing_jingle),
        content_hash=render_fingerprint(bulletin, presets, profile, lexicons, station, jingles),
        notices=tuple(notices),
        stinger=jingle(station.stinger_jingle),
        bed=jingle(station.bed_jingle) if any(item.bed for item in items) else None,
    )


def programme_order(segments: Sequence[SegmentDraft], order: str,
                    language: Callable[[SegmentDraft], str]) -> list[int]:
    """The indices of ``segments`` in the order they play.

    A segment whose ``version_of`` names another (original) segment is a translation of it. "interleaved":
    each item is followed by its translations (wherever the officer put them in the list). "blocks": the
    items play in order, and after the last item that has translations come the translations, one language
    after another (in the order the languages first appear), each block in the items' order. Segments that
    translate nothing known stay where they are."""
    keys = {segment.key: index for index, segment in enumerate(segments) if segment.key}

    def original(index: int) -> int | None:
        of = segments[index].version_of
        target = keys.get(of) if of else None
        return target if target is not None and target != index and not segments[target].version_of else None

    translations: dict[int, list[int]] = {}
    for index in range(len(segments)):
        target = original(index)
        if target is not None:
            translations.setdefault(target, []).append(index)
    played: list[int] = []
    last = max(translations) if translations else -1
    for index in range(len(segments)):
        if original(index) is not None:
            continue
        played.append(index)
        if order != "blocks":
            played.extend(translations.get(index, ()))
        elif index == last:
            ordered = [t for item in sorted(translations) for t in translations[item]]
            for lang in dict.fromkeys(language(segments[t]) for t in ordered):
                played.extend(t for t in ordered if language(segments[t]) == lang)
    return played


def _recorded_item(number: int, segment: SegmentDraft, presets: Mapping[str, Preset], station: StationInfo,
                   takes: Callable[[str], Path | None] | None) -> SpeechItem:
    preset = presets.get(segment.preset_id)
    if preset is None:
        raise StudioError(UNKNOWN_PRESET, number=number, preset=segment.preset_id)
    assert segment.take is not None
    path = takes(segment.take) if takes is not None else None
    if path is None or not path.is_file():
        raise StudioError(TAKE_MISSING, hint=TAKE_MISSING_HINT, number=number)
    bed = segment.bed if segment.bed is not None else segment.kind in station.bed_kinds
    return SpeechItem(number, segment.kind, (), preset, segment.gap, segment.crossfade, bed, take=path)


def synthesize_items(items: Sequence[SpeechItem], synthesizer: Synthesizer, *,
                     progress: ProgressCallback = no_progress,
                     cancel: CancelToken | None = None) -> tuple[list[list[SynthesisOutcome]], list[Notice]]:
    """All speech of ``items`` (concurrently where the engine allows), grouped per item, with notices
    naming the segments that fell back to the offline voice."""
    per_item = [item.requests() for item in items]
    requests = [request for mine in per_item for request in mine]
    outcomes = synthesizer.synthesize_all(requests, progress=progress, cancel=cancel, allow_missing=True)
    grouped: list[list[SynthesisOutcome]] = []
    notices: list[Notice] = []
    position = 0
    for item, item_requests in zip(items, per_item, strict=True):
        count = len(item_requests)
        mine = outcomes[position:position + count]
        position += count
        grouped.append(mine)
        if any(o.missing for o in mine):
            notices.append(Notice(LEFT_OUT, {"number": str(item.number), "preset": item.preset.name_en,
                                             "preset_vi": item.preset.name_vi}))
            log.warning("segment %d left out: %s", item.number, "; ".join(o.reason for o in mine if o.missing))
        elif any(o.fell_back for o in mine):
            notices.append(Notice(FELL_BACK, {"number": str(item.number)}))
            log.warning("segment %d fell back: %s", item.number, "; ".join(o.reason for o in mine if o.reason))
    return grouped, notices


def assemble_item(item: SpeechItem, outcomes: Sequence[SynthesisOutcome], rate: int, channels: int) -> Pcm:
    """One segment's audio: its spoken pieces (edges trimmed) with its pauses as silence between them."""
    spoken = iter(outcomes)
    parts = [Pcm.silence(piece.seconds, rate, channels) if isinstance(piece, PausePiece)
             else trim_silence(next(spoken).pcm) for piece in item.pieces]
    return concatenate(parts, rate, channels)


BED_GAIN_UNDER_VOICE_LU = 8.0  # an unducked bed sits this far under the voice; ducking adds DuckingSettings.depth
BED_INTRO = 2.0  # seconds of bed at full level before the first voice over it
BED_OUTRO = 1.5  # seconds for the bed to come back up and fade out after the last voice
BED_FADE_IN = 0.5
BED_FADE_OUT = 1.5
CROSSFADE_LIMIT = 0.45  # a crossfade may take at most this share of either item


@dataclass
class _Timeline:
    """The programme being laid out: timeline items, what each one is for the layout, and bed runs."""

    items: list[TimelineItem] = field(default_factory=list)
    labels: list[tuple[int | None, str, str]] = field(default_factory=list)  # (number, segment kind, label)
    beds: list[tuple[int, int]] = field(default_factory=list)  # first and last timeline index of each bed

    def add(self, item: TimelineItem, number: int | None = None, segment_kind: str = "", label: str = "") -> int:
        self.items.append(item)
        self.labels.append((number, segment_kind, label))
        return len(self.items) - 1


def _gap_then(timeline: _Timeline, seconds: float) -> tuple[StartMode, float]:
    """How the next item starts after ``seconds`` of silence (none for the very first item)."""
    return ("gap", seconds) if timeline.items and seconds > 0 else ("after", 0.0)


def _build_timeline(plan: RenderPlan, spoken: Sequence[tuple[SpeechItem, Pcm]], jingles: Mapping[str, Pcm]
                    ) -> _Timeline:
    """Opening, the segments (stingers between news items, gaps or crossfades, bed runs), closing."""
    profile = plan.profile
    timeline = _Timeline()
    if "opening" in jingles:
        timeline.add(TimelineItem("jingle", jingles["opening"]), label=plan.opening_jingle.stem
                     if plan.opening_jingle else "")
    bed_first: int | None = None
    previous: SpeechItem | None = None
    for item, audio in spoken:
        gap = profile.segment_gap if item.gap is None else item.gap
        if timeline.items and previous is None:
            gap = profile.jingle_gap if item.gap is None else item.gap  # after the opening jingle
        closing_bed = bed_first is not None and not item.bed
        if closing_bed:
            start, offset = _gap_then(timeline, BED_OUTRO)
            last = timeline.add(TimelineItem("silence", seconds=0.0, start=start, offset=offset))
            timeline.beds.append((bed_first or 0, last))
            bed_first = None
        stinger = ("stinger" in jingles and previous is not None and previous.kind == "news"
                   and item.kind == "news" and not item.crossfade and bed_first is None and not item.bed)
        if stinger:
            start, offset = _gap_then(timeline, profile.jingle_gap)
            timeline.add(TimelineItem("stinger", jingles["stinger"], start=start, offset=offset),
                         label=plan.stinger.stem if plan.stinger else "")
            gap = profile.jingle_gap if item.gap is None else item.gap
        if item.bed and bed_first is None and "bed" in jingles:
            start, offset = _gap_then(timeline, 0.0 if closing_bed else gap)
            bed_first = timeline.add(TimelineItem("silence", seconds=BED_INTRO, start=start, offset=offset))
            gap = 0.0
        crossfade = item.crossfade if timeline.items and not stinger else 0.0
        if crossfade:
            before = timeline.items[-1]
            limit = CROSSFADE_LIMIT * min(audio.duration, before.pcm.duration if before.pcm else 0.0)
            crossfade = min(crossfade, limit)
        if crossfade > 0:
            entry = TimelineItem("speech", audio, crossfade=crossfade)
        else:
            start, offset = _gap_then(timeline, gap)
            entry = TimelineItem("speech", audio, start=start, offset=offset)
        timeline.add(entry, item.number, item.kind, item.preset.id)
        previous = item
    if bed_first is not None:
        last = timeline.add(TimelineItem("silence", seconds=BED_OUTRO))
        timeline.beds.append((bed_first, last))
    if "closing" in jingles:
        start, offset = _gap_then(timeline, profile.jingle_gap)
        timeline.add(TimelineItem("jingle", jingles["closing"], start=start, offset=offset),
                     label=plan.closing_jingle.stem if plan.closing_jingle else "")
    return timeline


def _bed_gain_db(bed: Pcm, voices: Sequence[Pcm]) -> float:
    """Gain that puts the bed :data:`BED_GAIN_UNDER_VOICE_LU` under the voices over it, whatever its own level."""
    bed_level = integrated_loudness(bed)
    voice_level = integrated_loudness(concatenate(voices, bed.rate, bed.channels)) if voices else SILENCE_LUFS
    if bed_level <= SILENCE_LUFS or voice_level <= SILENCE_LUFS:
        return -16.0
    return max(-40.0, min(0.0, voice_level - BED_GAIN_UNDER_VOICE_LU - bed_level))


def _layout(timeline: _Timeline, mixed: Mixed, bed_names: Sequence[str], bed_gains: Sequence[float],
            rate: int) -> ProgrammeLayout:
    items: list[LayoutItem] = []
    for index, (item, placement, (number, kind, label)) in enumerate(
            zip(timeline.items, mixed.placements, timeline.labels, strict=True)):
        gap = 0.0
        if index > 0:
            gap = max(0.0, (placement.start_frame - mixed.placements[index - 1].end_frame) / rate)
        items.append(LayoutItem(item.kind, placement.start_frame / rate, placement.frames / rate, number, kind,
                                label, gap, item.crossfade))
    beds = tuple(BedLane(curve.start_frame / rate, curve.stop_frame / rate, name, gain,
                         _thin([(frame / rate, db) for frame, db in curve.knees]))
                 for curve, name, gain in zip(mixed.beds, bed_names, bed_gains, strict=True))
    total = max((p.end_frame for p in mixed.placements), default=0)
    return ProgrammeLayout(total / rate, tuple(items), beds)


def _thin(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """At most MAX_DUCK_POINTS points, the first and last kept."""
    if len(points) <= MAX_DUCK_POINTS:
        return tuple(points)
    step = -(-len(points) // MAX_DUCK_POINTS)
    return (*points[:-1:step], points[-1])


def voiced_key(item: SpeechItem, outcomes: Sequence[SynthesisOutcome], chain: VoiceProcessing, rate: int,
               channels: int) -> str:
    """The voiced-item cache key: the speech's own keys and all that assembling and processing depend on;
    empty when some speech has no key (no speech cache), so that nothing unnamed is cached."""
    if item.take is not None:
        digest = file_digest(item.take)
        if digest is None:
            return ""
        payload = json.dumps({"version": VOICED_VERSION, "take": digest, "chain": asdict(chain), "rate": rate,
                              "channels": channels}, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()
    if any(not outcome.key for outcome in outcomes):
        return ""
    pieces = [["pause", piece.seconds] if isinstance(piece, PausePiece) else "speech" for piece in item.pieces]
    payload = json.dumps({"version": VOICED_VERSION, "speech": [o.key for o in outcomes], "pieces": pieces,
                          "chain": asdict(chain), "rate": rate, "channels": channels},
                         sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def render(plan: RenderPlan, synthesizer: Synthesizer, out_path: Path, *,
           progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
           voiced_cache: SynthesisCache | None = None) -> RenderResult:
    """Synthesise, assemble, mix, master, encode and tag; write ``out_path`` and its ``.json`` sidecar
    atomically. ``out_path`` carries the profile's suffix (``.mp3`` or ``.wav``): a file's name says what it is.

    ``voiced_cache`` keeps each segment's voiced audio (see :mod:`studio.speech.cache`)."""
    cancel = cancel or CancelToken()
    profile = plan.profile
    if out_path.suffix.lower() != profile.suffix:
        raise ValueError(f"a {profile.container} render must be written to a {profile.suffix} file, "
                         f"not {out_path.name}")
    rate, channels = profile.sample_rate, profile.channels
    progress(0.0, QT_TRANSLATE_NOOP("Progress", "Preparing"))
    sources = {role: path for role, path in (("opening", plan.opening_jingle), ("closing", plan.closing_jingle),
                                             ("stinger", plan.stinger), ("bed", plan.bed)) if path is not None}
    # Each decode is an ffmpeg process: they run side by side (a broken jingle still stops the render
    # here, before any speech is synthesised).
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(sources))), thread_name_prefix="jingle",
                            initializer=worker_initializer()) as pool:
        decoded = {role: pool.submit(decode, path, rate=rate, channels=channels, cancel=cancel)
                   for role, path in sources.items()}
        jingles: dict[str, Pcm] = {role: future.result() for role, future in decoded.items()}

    def speech_progress(fraction: float, label: str, /, **args: object) -> None:
        progress(0.05 + 0.6 * fraction, label, **args)

    speech, fell_back = synthesize_items(plan.items, synthesizer, progress=speech_progress, cancel=cancel)
    chain = profile.voice_chain()
    heard = [(item, outcomes) for item, outcomes in zip(plan.items, speech, strict=True)
             if not any(o.missing for o in outcomes)]
    del speech

    def voiced(entry: tuple[SpeechItem, list[SynthesisOutcome]]) -> Pcm:
        cancel.raise_if_cancelled()
        key = voiced_key(entry[0], entry[1], chain, rate, channels) if voiced_cache is not None else ""
        if key and voiced_cache is not None:
            found = voiced_cache.get(key)
            if found is not None and found.rate == rate and found.channels == channels:
                return found
        item = entry[0]
        raw = (decode(item.take, rate=rate, channels=channels, cancel=cancel) if item.take is not None
               else assemble_item(item, entry[1], rate, channels))
        pcm = process(raw, chain)
        if key and voiced_cache is not None:
            voiced_cache.put(key, pcm)
        return stored(pcm)  # as a cache hit would return it: every render of the same content is identical

    # Resampling and voice filters release the GIL: items are processed on every core.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="voice",
                            initializer=worker_initializer()) as pool:
        spoken = list(zip((item for item, _ in heard), pool.map(voiced, heard), strict=True))
    del heard
    if not spoken:
        raise StudioError(ALL_LEFT_OUT)
    cancel.raise_if_cancelled()
    progress(0.68, QT_TRANSLATE_NOOP("Progress", "Mixing"))
    timeline = _build_timeline(plan, spoken, jingles)
    beds: list[Bed] = []
    bed_gains: list[float] = []
    for first, last in timeline.beds:
        voices = [item.pcm for item in timeline.items[first : last + 1] if item.kind == "speech" and item.pcm]
        bed_gains.append(_bed_gain_db(jingles["bed"], voices))
        beds.append(Bed(jingles["bed"], first, last, gain_db=bed_gains[-1], fade_in=BED_FADE_IN,
                        fade_out=BED_FADE_OUT))
    mixed = mix_programme(timeline.items, beds, rate, channels, DuckingSettings())
    layout = _layout(timeline, mixed, [plan.bed.stem if plan.bed else ""] * len(beds), bed_gains, rate)
    by_number = {item.number: item for item, _ in spoken}
    recorded = {number: item.take is not None for number, item in by_number.items()}
    placed = [PlacedItem(entry.number, entry.segment_kind, by_number[entry.number].preset.language,
                         by_number[entry.number].preset.id, round(entry.start * 1000), round(entry.duration * 1000))
              for entry in layout.items if entry.kind == "speech" and entry.number is not None]
    del spoken, timeline, beds, jingles
    programme = mixed.pcm
    del mixed
    cancel.raise_if_cancelled()
    progress(0.72, QT_TRANSLATE_NOOP("Progress", "Mastering and encoding"))
    duration_ms = round(programme.frames * 1000 / rate)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".render-", dir=out_path.parent))
    except OSError as exc:
        raise os_error(exc, out_path.parent) from exc
    try:
        tmp_audio = work / out_path.name
        # The report describes the encoded file itself (MP3 encoding shifts level and peaks slightly).
        report = finish(programme, tmp_audio, profile.output_format(),
                        target_lufs=profile.loudness_target, true_peak_ceiling=profile.true_peak_ceiling,
                        cancel=cancel)
        del programme
        progress(0.95, QT_TRANSLATE_NOOP("Progress", "Writing tags"))
        languages = tuple(dict.fromkeys(item.preset.id639_2 for item in plan.items))
        write_id3(tmp_audio, _tags(plan, languages, duration_ms, report))
        sidecar = build_sidecar(
            programme_id=plan.bulletin.uid or out_path.stem,
            title=plan.bulletin.title,
            station=plan.station,
            series=plan.station.series,
            languages=languages,
            duration_ms=duration_ms,
            audio=probe_audio(tmp_audio),
            loudness=report,
            target_lufs=profile.loudness_target,
            priority=plan.bulletin.priority,
            segments=[SegmentSummary(p.number, p.kind, p.language, p.preset,
                                     "recorded" if recorded[p.number] else "tts", p.start_ms, p.duration_ms)
                      for p in placed],
            content_hash=plan.content_hash,
            schedule=plan.bulletin.schedule,
            utc_offset_minutes=plan.station.schedule_defaults.utc_offset_minutes,
        )
        sidecar_path = out_path.with_suffix(".json")
        try:
            sidecar_path.unlink(missing_ok=True)  # an older sidecar must not describe the new audio (a crash)
            os.replace(tmp_audio, out_path)
        except OSError as exc:
            raise os_error(exc, out_path) from exc
        write_sidecar(sidecar_path, sidecar)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, QT_TRANSLATE_NOOP("Progress", "Done"))
    over_cap = session_notices(duration_ms / 1000, plan.bulletin.priority, plan.station.session_rules)
    return RenderResult(out_path, sidecar_path, sidecar, report, duration_ms, tuple(placed),
                        (*plan.notices, *fell_back, *over_cap), layout)


def _tags(plan: RenderPlan, languages: tuple[str, ...], duration_ms: int, report: LoudnessReport) -> ProgrammeTags:
    station = plan.station
    return ProgrammeTags(
        title=plan.bulletin.title,
        artist=station.name,
        album=station.series or station.name,
        date=datetime.now(UTC).date(),
        languages=languages,
        comment=f"{station.commune}, {station.province}".strip(", "),
        length_ms=duration_ms,
        priority=plan.bulletin.priority,
        integrated_lufs=report.integrated_lufs,
        true_peak_dbtp=report.true_peak_dbtp,
        loudness_range_lu=report.loudness_range_lu,
        replaygain_db=report.replaygain_db,
    )
