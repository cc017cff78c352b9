"""``studio render`` for a station whose export profile is WAV, in a real subprocess with its own data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.paths import StudioPaths
from tests.oracles import ffprobe

pytestmark = pytest.mark.slow


def test_render_writes_a_wav_where_the_station_asks_for_wav(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = StudioPaths.under(home).config / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"render.format": "wav"}), encoding="utf-8")
    text = tmp_path / "thong-bao.txt"
    text.write_text("Thông báo: chiều nay xã họp dân lúc ba giờ.\n", encoding="utf-8")
    asked = tmp_path / "out" / "thong-bao.mp3"  # an officer's habit; the station's setting decides

    env = {**os.environ, "STUDIO_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    env.pop("STUDIO_DATABASE_URL", None)
    proc = subprocess.run([sys.executable, "-m", "studio", "--data-dir", str(home), "render", "--text", str(text),
                           "-o", str(asked), "--preset", "vi-north-offline"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)

    assert proc.returncode == 0, proc.stderr
    written = asked.with_suffix(".wav")
    assert proc.stdout.split("\t")[0] == str(written)  # the line names the file actually written
    assert sorted(p.name for p in written.parent.iterdir()) == ["thong-bao.json", "thong-bao.wav"]
    assert ffprobe(written)["streams"][0]["codec_name"] == "pcm_s16le"
    sidecar = json.loads(written.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["audio"]["format"] == "wav" and sidecar["audio"]["file"].endswith(".wav")
