"""A 10 MB text file given to ``studio render --text``, in the shapes such a file comes in: many paragraphs,
one endless paragraph, and 500 paragraphs just under the segment limit. Each is refused within seconds with a
message that says what to do, in the officer's language, never a traceback, a hang or exhausted memory; the
file is left as it was. Each run's time and peak memory are printed (``-s``) for docs/quality.md."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.bulletin import MAX_SEGMENTS
from studio.render import MAX_SEGMENT_CHARS

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

TEN_MB = 10 * 2**20
SENTENCE = "Kính thưa bà con, UBND xã thông báo lịch tiêm chủng ngày 22/11/2026 lúc 14h30 tại nhà văn hóa thôn 5. "
# Runs the command line as `python -m studio` does, then reports its own peak memory on stderr.
MEASURED = """
import resource, runpy, sys
sys.argv = ["studio", *sys.argv[1:]]
try:
    runpy.run_module("studio", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(f"peak-rss-kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def render_text(home: Path, text_file: Path, out: Path, lang: str = "en") -> tuple[subprocess.CompletedProcess[str],
                                                                                  float, int]:
    env = {**os.environ, "STUDIO_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    env.pop("STUDIO_DATABASE_URL", None)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURED, "--data-dir", str(home), "render", "--text", str(text_file),
                           "-o", str(out)], capture_output=True, text=True, encoding="utf-8", env=env, timeout=240)
    seconds = time.perf_counter() - started
    peak_kb = int(proc.stderr.rsplit("peak-rss-kb=", 1)[1].split()[0])
    return proc, seconds, peak_kb


def ten_mb(paragraph: str, separator: str = "\n\n") -> str:
    unit = paragraph + separator
    return unit * (TEN_MB // len(unit.encode("utf-8")) + 1)


def shapes() -> dict[str, tuple[str, str]]:
    """name → (file text, what the refusal must say)."""
    near_limit = (SENTENCE * (MAX_SEGMENT_CHARS // len(SENTENCE)))[: MAX_SEGMENT_CHARS - 10]
    return {
        "paragraphs": (ten_mb(SENTENCE * 3), f"at most {MAX_SEGMENTS} can be rendered"),
        "one paragraph": (ten_mb(SENTENCE, separator=""), "Segment 1 is too long to read as one item"),
        "500 long paragraphs": ("\n\n".join([near_limit] * MAX_SEGMENTS), "The bulletin is too long to read as one "
                                "programme"),
    }


@pytest.mark.parametrize("shape", ["paragraphs", "one paragraph", "500 long paragraphs"])
def test_a_10_mb_text_file_is_refused_quickly_with_a_message(shape: str, tmp_path: Path) -> None:
    text, expected = shapes()[shape]
    source = tmp_path / "bantin.txt"
    source.write_text(text, encoding="utf-8")
    size = source.stat().st_size
    assert size >= TEN_MB
    out = tmp_path / "out.mp3"

    proc, seconds, peak_kb = render_text(tmp_path / "home", source, out)

    print(f"\nrender --text, {shape}: {size / 2**20:.1f} MB, {len(text):,} characters: exit {proc.returncode} "
          f"in {seconds:.1f} s, peak memory {peak_kb / 1024:.0f} MB")
    assert proc.returncode == 1
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert "Split it into several" in proc.stderr  # and what to do about it
    assert seconds < 120 and peak_kb < 1_500_000
    assert not out.exists() and source.stat().st_size == size  # nothing written, the file untouched


def test_the_refusal_is_in_vietnamese_for_a_vietnamese_officer(tmp_path: Path) -> None:
    text, _ = shapes()["paragraphs"]
    source = tmp_path / "bantin.txt"
    source.write_text(text, encoding="utf-8")
    proc, _seconds, _peak = render_text(tmp_path / "home", source, tmp_path / "out.mp3", lang="vi")
    assert proc.returncode == 1
    assert f"chỉ tạo được âm thanh cho tối đa {MAX_SEGMENTS} đoạn" in proc.stderr
