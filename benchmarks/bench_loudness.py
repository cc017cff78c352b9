"""Speed of our integrated-loudness meter against ``pyloudnorm`` on 30 minutes of speech.

    .venv/bin/python -m benchmarks.bench_loudness [--minutes 30] [--repeat 3]

Issue 4 asks for at least 5× the speed of ``pyloudnorm`` (its ``DeMan`` filter, the one that matches the
BS.1770 table) on the same 30 minutes, with the same result within 0.1 LU. The material is eSpeak NG
speech resampled to 44.1 kHz mono, tiled with 0.3–2 s pauses of −60 dBFS room noise. Times are medians
of ``--repeat`` runs, one after the other in this process.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from studio.audio.loudness import integrated_loudness
from studio.audio.pcm import Pcm
from studio.speech.engine import VoiceParams
from studio.speech.espeak import NORTHERN, EspeakEngine

RATE = 44100
TEXT = ("Thông báo của Ủy ban nhân dân xã. Từ ngày mai, bà con đến nhà văn hóa thôn để tiêm phòng cho gia "
        "súc. Mọi thắc mắc xin liên hệ cán bộ thú y xã.")


def material(minutes: float) -> Pcm:
    speech = EspeakEngine().synthesize(TEXT, VoiceParams(NORTHERN))
    voice = resample_poly(speech.samples[:, 0], RATE // 22050, 1) if speech.rate == 22050 else speech.samples[:, 0]
    rng = np.random.default_rng(0)
    total = round(minutes * 60 * RATE)
    out = np.empty(total, dtype=np.float32)
    at = 0
    while at < total:
        pause = rng.standard_normal(round(rng.uniform(0.3, 2.0) * RATE)) * 10 ** (-60 / 20)
        for piece in (voice * rng.uniform(0.5, 1.0), pause):
            n = min(piece.size, total - at)
            out[at : at + n] = piece[:n]
            at += n
    return Pcm.from_mono(out, RATE)


def timed(measure: Callable[[], float], repeat: int) -> tuple[float, float]:
    times, value = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        value = measure()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pcm = material(args.minutes)
    ours, ours_lufs = timed(lambda: integrated_loudness(pcm), args.repeat)
    meter = pyloudnorm.Meter(RATE, filter_class="DeMan")
    theirs, theirs_lufs = timed(lambda: float(meter.integrated_loudness(pcm.samples[:, 0])), args.repeat)
    print(f"material:   {args.minutes:g} min, {RATE} Hz mono speech with pauses; median of {args.repeat}")
    print(f"ours:       {ours:7.3f} s  {ours_lufs:8.3f} LUFS")
    print(f"pyloudnorm: {theirs:7.3f} s  {theirs_lufs:8.3f} LUFS")
    print(f"speed-up:   {theirs / ours:7.2f}x (target >= 5x)")
    print(f"difference: {abs(ours_lufs - theirs_lufs):7.4f} LU (target <= 0.1)")
    print(f"machine:    {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}"
          f" ({platform.python_implementation()}), numpy {np.__version__}")


if __name__ == "__main__":
    main()
