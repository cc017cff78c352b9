"""Speed of our loudness meter on 30 minutes of speech: integrated loudness against ``pyloudnorm``, true
peak against the plain ``resample_poly`` oversampling it replaced.

    .venv/bin/python -m benchmarks.bench_loudness [--minutes 30] [--repeat 3]

Issue 4 asks for at least 5× the speed of ``pyloudnorm`` (its ``DeMan`` filter, the one that matches the
BS.1770 table) on the same 30 minutes, with the same result within 0.1 LU. True peak should take at most
1.5 s and give the old figure. The material is eSpeak NG speech resampled to 44.1 kHz mono, tiled with
0.3–2 s pauses of −60 dBFS room noise. Times are medians of ``--repeat`` runs, one after the other in this
process, except the old true peak (one run: it is slow). Long audio is filtered in threads, so a busy
machine shows a smaller speed-up than an idle one: the load average is printed.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.signal import resample_poly

from studio.audio.loudness import frame_true_peaks, integrated_loudness, oversampling_factor, true_peak
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


def resample_poly_peaks(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float32]:
    """Per-frame true peaks the way the meter computed them before: every frame oversampled, 1 MiB chunks."""
    chunk, margin, up = 1 << 18, 32, oversampling_factor(rate)
    frames, channels = samples.shape
    peaks = np.empty(frames, dtype=np.float32)
    for start in range(0, frames, chunk):
        stop = min(frames, start + chunk)
        low, high = max(0, start - margin), min(frames, stop + margin)
        upsampled = resample_poly(samples[low:high], up, 1, axis=0)
        core = upsampled[(start - low) * up : (stop - low) * up].reshape(stop - start, up * channels)
        peaks[start:stop] = np.abs(core).max(axis=1)
    np.maximum(peaks, np.abs(samples).max(axis=1), out=peaks)
    return peaks


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
    peak, peak_dbtp = timed(lambda: true_peak(pcm), args.repeat)
    frame, _ = timed(lambda: float(frame_true_peaks(pcm.samples, RATE).max()), args.repeat)
    start = time.perf_counter()
    old_peaks = resample_poly_peaks(pcm.samples, RATE)
    old = time.perf_counter() - start
    ours_peaks = frame_true_peaks(pcm.samples, RATE)
    old_dbtp = 20.0 * math.log10(float(old_peaks.max()))
    print(f"material:   {args.minutes:g} min, {RATE} Hz mono speech with pauses; median of {args.repeat}")
    print("integrated loudness")
    print(f"  ours:       {ours:7.3f} s  {ours_lufs:8.3f} LUFS")
    print(f"  pyloudnorm: {theirs:7.3f} s  {theirs_lufs:8.3f} LUFS")
    print(f"  speed-up:   {theirs / ours:7.2f}x (target >= 5x)")
    print(f"  difference: {abs(ours_lufs - theirs_lufs):7.4f} LU (target <= 0.1)")
    print("true peak")
    print(f"  true_peak:               {peak:7.3f} s  {peak_dbtp:8.4f} dBTP (target <= 1.5 s)")
    print(f"  frame_true_peaks:        {frame:7.3f} s  (every frame oversampled, as the limiter asks)")
    print(f"  resample_poly, one run:  {old:7.3f} s  {old_dbtp:8.4f} dBTP")
    print(f"  speed-up:   {old / peak:7.2f}x true_peak, {old / frame:.2f}x frame_true_peaks")
    frame_error = float(np.abs(ours_peaks - old_peaks).max())
    print(f"  difference: {abs(peak_dbtp - old_dbtp):.2e} dB, per frame at most {frame_error:.1e}")
    print(f"machine:    {os.cpu_count()} cores, {cpu_model()}, load average {os.getloadavg()[0]:.2f},"
          f" Python {platform.python_version()} ({platform.python_implementation()}), numpy {np.__version__}")


if __name__ == "__main__":
    main()
