"""``studio self-test``: prove on this PC, offline, that the whole chain works.

Renders the demo bulletin in a throw-away data folder, then checks the result with independent
means: the MP3 decodes, its length matches the sidecar, loudness and true peak are within the
broadcast limits, the tags read back, the sidecar's hash matches the file. Used by installers and by
the frozen build's smoke test.
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

from studio.audio.codec import decode
from studio.audio.loudness import integrated_loudness, true_peak
from studio.fileio import sha256_of
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.services import Studio
from studio.tags.id3 import read_id3


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


def run_self_test(*, verbose: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="studio-selftest-") as home:
        studio = Studio.open(StudioPaths.under(Path(home)))
        try:
            draft = studio.create_demo()
            assert draft.id is not None
            out = Path(home) / "selftest.mp3"
            result = studio.render_draft(draft, out)
            profile = studio.profile()
            problems = check_render(out, result.sidecar, profile.loudness_target, profile.true_peak_ceiling)
        except StudioError as exc:
            problems = [exc.translated()]
        finally:
            studio.close()
        if problems:
            for problem in problems:
                print(f"FAIL: {problem}", file=sys.stderr)
            return 3
        print(f"self-test passed: {result.duration_ms / 1000:.1f} s, {result.report.integrated_lufs:.1f} LUFS, "
              f"{result.report.true_peak_dbtp:.1f} dBTP")
        return 0
