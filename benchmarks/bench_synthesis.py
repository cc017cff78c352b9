"""Speed of a bulletin's speech: serial against concurrent online synthesis, and a cached re-render.

    .venv/bin/python -m benchmarks.bench_synthesis [--segments 20] [--latency 0.3] [--repeat 3]

Issue 3 asks that a 20-segment bulletin be synthesised at least 3× faster than one request after the
other, and that re-rendering it unchanged make no request at all. The "service" is the local server of
the tests (tests/edge_server.py), spoken to by the real edge-tts client, with an injected per-request
latency standing in for Microsoft's (a few hundred ms from Vietnam): online speech is mostly waiting.

The server makes its speech with eSpeak NG, which is serialised and would otherwise dominate; a warm-up
render (not measured) lets it memoise every answer, so the measured runs cost the server only its latency
and sending, as with the real service, and the studio's own work (requests, decoding, checks, cache
writes) is all inside the measurement. Times are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from studio.speech.cache import SynthesisCache
from studio.speech.edge import EdgeEngine
from studio.speech.engine import SpeechEngine, VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.speech.synthesis import SynthesisRequest, Synthesizer
from tests.edge_server import edge_server, unreachable_service

SENTENCES = [
    "Xin chào bà con, đây là Đài truyền thanh xã.",
    "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em từ sáu đến ba mươi sáu tháng tuổi.",
    "Trạm y tế mở cửa từ bảy giờ sáng đến mười một giờ trưa.",
    "Đề nghị các gia đình đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng.",
    "Hội Nông dân xã tổ chức tập huấn kỹ thuật trồng lúa vào thứ năm tuần này.",
    "Bà con chú ý phòng chống rét cho trâu bò trong những ngày giá lạnh.",
    "Đoàn Thanh niên ra quân làm đường giao thông nông thôn.",
    "Mọi thắc mắc xin liên hệ cán bộ văn hóa xã.",
    "Ban chỉ huy quân sự xã thông báo lịch khám tuyển nghĩa vụ quân sự.",
    "Cảm ơn bà con đã lắng nghe.",
]
FALLBACK = (("espeak", VoiceParams("vi")),)


def bulletin(segments: int) -> list[SynthesisRequest]:
    voice = VoiceParams("vi-VN-HoaiMyNeural", rate=10)
    return [SynthesisRequest(n, f"Tin số {n}. {SENTENCES[(n - 1) % len(SENTENCES)]}", "edge", voice, FALLBACK)
            for n in range(1, segments + 1)]


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} logical cores, {model}; Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}")


def timed(synthesizer: Synthesizer, requests: list[SynthesisRequest]) -> float:
    started = time.perf_counter()
    outcomes = synthesizer.synthesize_all(requests)
    elapsed = time.perf_counter() - started
    assert not any(outcome.fell_back for outcome in outcomes), "the online voice failed during the benchmark"
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the server waits per request")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the expected "gave up" warnings of the offline run
    requests = bulletin(args.segments)
    print(f"machine: {machine()}")
    print(f"bulletin: {len(requests)} segments, {sum(len(r.text) for r in requests)} characters; "
          f"server latency {args.latency * 1000:.0f} ms per request")

    espeak = EspeakEngine()
    with edge_server(latency=args.latency) as server, tempfile.TemporaryDirectory() as temp:
        with EdgeEngine() as edge:
            engines: dict[str, SpeechEngine] = {"edge": edge, "espeak": espeak}
            Synthesizer(engines, None).synthesize_all(requests)  # warm-up: the server memoises its answers
            serial = [timed(Synthesizer(engines, None, max_concurrency=1), requests) for _ in range(args.repeat)]
            concurrent = []
            for run in range(args.repeat):
                cache = SynthesisCache(Path(temp) / f"cache-{run}", 500 << 20)
                concurrent.append(timed(Synthesizer(engines, cache), requests))
            before = server.connections
            rerender = timed(Synthesizer(engines, cache), requests)
            rerender_requests = server.connections - before
        serial_s, concurrent_s = statistics.median(serial), statistics.median(concurrent)
        print(f"serial     (max_concurrency=1, no cache): {serial_s:6.2f} s   runs: "
              + ", ".join(f"{t:.2f}" for t in serial))
        print(f"concurrent (default, {Synthesizer(engines, None).max_concurrency} workers, empty cache): "
              f"{concurrent_s:6.2f} s   runs: " + ", ".join(f"{t:.2f}" for t in concurrent))
        print(f"speed-up: {serial_s / concurrent_s:.1f}x (target >= 3x)")
        print(f"cached re-render: {rerender:.3f} s, {rerender_requests} requests to the service (target 0)")

    with unreachable_service(), EdgeEngine(backoff=0.5) as offline:
        engines = {"edge": offline, "espeak": espeak}
        started = time.perf_counter()
        outcomes = Synthesizer(engines, None).synthesize_all(requests)
        elapsed = time.perf_counter() - started
    print(f"no internet: {sum(o.fell_back for o in outcomes)}/{len(outcomes)} segments read offline in "
          f"{elapsed:.2f} s, {offline.requests} connection attempts (the online voice is given up after the "
          f"first failures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
