"""``studio self-test``: prove on this PC, offline, that the whole chain works.

Each check exercises one piece an installer ships and prints one ``ok`` line saying what it found: the
bundled ffmpeg runs, the offline voice (eSpeak NG and its data) speaks all three Vietnamese dialects, the
shipped presets, jingles, user guide and fonts are where the studio looks for them, the Vietnamese
catalogue translates, the demo bulletin renders in a throw-away data folder (checked by independent means:
the MP3 decodes, its length matches the sidecar, loudness and true peak are within the broadcast limits,
the tags read back, the sidecar's hash matches the file), the main window builds over that library in
Vietnamese, off screen, and the window's player opens the render. Used by installers and by the frozen
build's smoke test (``scripts/package.sh``), so a piece the freezer left behind fails here by name.
Nothing here needs the network.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from studio.audio.codec import decode
from studio.audio.loudness import integrated_loudness, true_peak
from studio.config import Settings
from studio.fileio import sha256_of
from studio.messages import StudioError
from studio.paths import StudioPaths, assets_dir
from studio.services import Studio
from studio.tags.id3 import read_id3

#: A message of the shipped catalogue, and its context: translated, it proves the ``.qm`` file was found.
KNOWN_MESSAGE = ("Messages", "Cancelled.")
#: Spoken by each offline dialect; at least this much audio is expected back.
SPOKEN_TEXT = "Kính thưa bà con"
MIN_SPEECH_SECONDS = 0.4


class CheckFailed(Exception):
    """A check found a problem; the message says what, for the installer."""


def check_render(mp3: Path, sidecar: dict[str, object], target_lufs: float, ceiling: float) -> list[str]:
    """Problems found in a finished render (empty when it is good)."""
    problems: list[str] = []
    pcm = decode(mp3)
    duration_ms = pcm.duration * 1000
    expected = float(sidecar["duration_ms"])  # type: ignore[arg-type]
    if abs(duration_ms - expected) > 50:
        problems.append(f"duration {duration_ms:.0f} ms differs from the plan {expected:.0f} ms")
    lufs = integrated_loudness(pcm)
    if not math.isfinite(lufs) or abs(lufs - target_lufs) > 1.0:
        problems.append(f"integrated loudness {lufs:.2f} LUFS is not within 1 LU of {target_lufs}")
    peak = true_peak(pcm)
    if peak > ceiling + 0.05:
        problems.append(f"true peak {peak:.2f} dBTP exceeds {ceiling}")
    tags = read_id3(mp3)
    if not tags.get("TIT2"):
        problems.append("the title tag is missing")
    audio = sidecar.get("audio")
    if not isinstance(audio, dict) or audio.get("sha256") != sha256_of(mp3):
        problems.append("the sidecar's sha256 does not match the MP3")
    return problems


def check_ffmpeg() -> str:
    """The ffmpeg of the imageio-ffmpeg wheel (not one found on PATH) starts and says its version."""
    import imageio_ffmpeg

    from studio.audio.ffmpeg import ffmpeg_exe, run_ffmpeg

    exe = Path(ffmpeg_exe())
    if not os.environ.get("IMAGEIO_FFMPEG_EXE"):
        shipped = Path(imageio_ffmpeg.__file__).resolve().parent
        if not exe.resolve().is_relative_to(shipped):
            raise CheckFailed(f"the bundled ffmpeg is missing; {exe} (not below {shipped}) would be used")
    outcome = run_ffmpeg(["-version"], timeout=30)
    first_line = outcome.stdout.decode("utf-8", "replace").partition("\n")[0].strip()
    if not outcome.ok or not first_line.startswith("ffmpeg version"):
        raise CheckFailed(f"ffmpeg ({exe}) did not run: exit {outcome.returncode} {outcome.stderr_tail}")
    version = first_line.split()[2] if len(first_line.split()) > 2 else "?"
    return f"ffmpeg {version} ({exe})"


def check_offline_voice() -> str:
    """eSpeak NG loads from the espeakng-loader files and speaks each Vietnamese dialect."""
    from studio.speech.engine import VoiceParams
    from studio.speech.espeak import CENTRAL, NORTHERN, SOUTHERN, EspeakEngine

    engine = EspeakEngine()
    seconds = []
    for voice in (NORTHERN, CENTRAL, SOUTHERN):
        pcm = engine.synthesize(SPOKEN_TEXT, VoiceParams(voice))
        if pcm.duration < MIN_SPEECH_SECONDS:
            raise CheckFailed(f"the offline voice {voice} spoke only {pcm.duration:.2f} s")
        seconds.append(f"{voice} {pcm.duration:.1f} s")
    return f"eSpeak NG {engine.version()}: {', '.join(seconds)}"


def check_assets(studio: Studio) -> str:
    """Presets, jingles (one of each category) and the user guide are where the studio looks for them."""
    from studio.audio.jingles import CATEGORIES

    folder = assets_dir()
    if not studio.presets:
        raise CheckFailed(f"no voice presets in {folder / 'presets'}")
    shipped = [jingle for jingle in studio.jingles.list() if jingle.shipped]
    missing = sorted(set(CATEGORIES) - {jingle.category for jingle in shipped})
    if missing:
        raise CheckFailed(f"no shipped jingle for {', '.join(missing)} in {folder / 'jingles'}")
    from studio.ui.guide import guide_path  # Help → User guide looks here

    if guide_path() is None:
        raise CheckFailed(f"the user guide is missing from {folder / 'guide'}")
    return f"{len(studio.presets)} presets, {len(shipped)} jingles, the user guide ({folder})"


def check_fonts(studio: Studio) -> str:
    """Every font a preset asks for is one of the studio's own (Tai Viet, Khmer, Cham … are not on Windows)."""
    from studio.text.fonts import bundled_font_folder, font_for_family

    folder = bundled_font_folder()
    if folder is None:
        raise CheckFailed("the bundled fonts folder is missing")
    families = sorted({preset.font for preset in studio.presets.values() if preset.font})
    missing = [family for family in families if font_for_family(family, [folder]) is None]
    if missing:
        raise CheckFailed(f"fonts missing from {folder}: {', '.join(missing)}")
    return f"{len(families)} font families ({', '.join(families)})"


def check_translations() -> str:
    """The compiled Vietnamese catalogue loads and translates a known message."""
    from studio.ui.i18n import catalogue_path, load_catalogue

    translate = load_catalogue("vi")
    if translate is None:
        raise CheckFailed(f"the Vietnamese catalogue {catalogue_path('vi')} cannot be loaded")
    context, text = KNOWN_MESSAGE
    translated = translate(context, text)
    if not translated or translated == text:
        raise CheckFailed(f"the Vietnamese catalogue does not translate “{text}”")
    return f"Vietnamese: “{text}” → “{translated}”"


def check_render_demo(studio: Studio, out: Path) -> tuple[str, str, float]:
    """The demo bulletin (offline voice, jingles) rendered, mastered, tagged and checked."""
    draft = studio.create_demo()
    assert draft.id is not None
    result = studio.render_draft(draft, out)
    profile = studio.profile()
    problems = check_render(out, result.sidecar, profile.loudness_target, profile.true_peak_ceiling)
    if problems:
        raise CheckFailed("; ".join(problems))
    figures = (f"{result.duration_ms / 1000:.1f} s, {result.report.integrated_lufs:.1f} LUFS, "
               f"{result.report.true_peak_dbtp:.1f} dBTP")
    return f"demo bulletin rendered: {figures}", figures, float(result.duration_ms)


def run_self_test(*, verbose: bool = False) -> int:
    """Run every check; print one line per check on stdout, problems on stderr. 0 = pass, 3 = fail."""
    started = time.monotonic()
    failures = 0
    figures = ""
    rendered_ms: float | None = None

    def attempt(name: str, check: Callable[[], str]) -> None:
        nonlocal failures
        try:
            detail = check()
        except (CheckFailed, StudioError) as exc:
            failures += 1
            message = exc.translated() if isinstance(exc, StudioError) else str(exc)
            print(f"FAIL: {name}: {message}", file=sys.stderr)
            if verbose:
                traceback.print_exc()
        except Exception as exc:  # a piece missing from an installation shows up as any error at all
            failures += 1
            print(f"FAIL: {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            traceback.print_exc()
        else:
            print(f"ok   {name:<12} {detail}", flush=True)

    def render(studio: Studio, out: Path) -> str:
        nonlocal figures, rendered_ms
        detail, figures, rendered_ms = check_render_demo(studio, out)
        return detail

    def window(studio: Studio) -> str:
        from studio.ui.selftest_checks import check_window  # the window's checks: Qt stays out of the core

        return check_window(studio)

    def playback(out: Path) -> str:
        from studio.ui.selftest_checks import check_playback

        if rendered_ms is None:
            raise CheckFailed("nothing to play: the render failed")
        return check_playback(out, rendered_ms)

    attempt("ffmpeg", check_ffmpeg)
    attempt("voice", check_offline_voice)
    attempt("translation", check_translations)
    with tempfile.TemporaryDirectory(prefix="studio-selftest-") as home:
        try:
            paths = StudioPaths.under(Path(home))
            # A throw-away library with default settings: STUDIO_DATABASE_URL must not send the demo to a
            # station's shared database.
            studio = Studio.open(paths, Settings(paths.config / "settings.json", environ={}))
        except StudioError as exc:
            print(f"FAIL: library: {exc.translated()}", file=sys.stderr)
            return 3
        try:
            attempt("assets", lambda: check_assets(studio))
            attempt("fonts", lambda: check_fonts(studio))
            out = Path(home) / "selftest.mp3"
            attempt("render", lambda: render(studio, out))
            attempt("window", lambda: window(studio))
            attempt("playback", lambda: playback(out))
        finally:
            studio.close()
    seconds = time.monotonic() - started
    if failures:
        print(f"self-test FAILED: {failures} problem(s) in {seconds:.1f} s", file=sys.stderr)
        return 3
    print(f"self-test passed: {figures}; all checks in {seconds:.1f} s")
    return 0
