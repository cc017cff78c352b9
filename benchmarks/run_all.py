"""Run every benchmark, each in a fresh process and one after the other, and write one report of their figures.

    .venv/bin/python -m benchmarks.run_all [--quick] [--only NAME …] [--output FILE] [--note TEXT]

The full run is the one whose figures are quoted (``docs/quality.md``, the README): it writes
``benchmarks/results/latest.md``, which is committed with the figures it documents, so a change of figures
shows in review next to the code that caused it. ``--quick`` gives each benchmark its smallest sensible size:
a smoke run of a few minutes that proves every benchmark still runs; its figures mean little, so it writes
``benchmarks/results/quick.md`` (not committed) and leaves the documented figures alone.

Benchmarks run sequentially so that none disturbs another's timings; each starts in a fresh interpreter
(no warm caches, no imports left over). Their output is shown as it comes and copied verbatim into the
report, with the exit status, the wall time and the load average around each: the machine is shared, and a
figure measured while something else ran says so. Target passwords go to a throw-away file keyring, never to
the desktop's credential store. The exit status is 1 when any benchmark failed or timed out.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.bench_synthesis import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Benchmark:
    """A module under ``benchmarks/`` and the arguments of its smallest sensible run."""

    name: str
    quick: tuple[str, ...] = ()
    full: tuple[str, ...] = ()

    def arguments(self, quick: bool) -> tuple[str, ...]:
        return self.quick if quick else self.full


BENCHMARKS = (
    Benchmark("bench_library", quick=("--bulletins", "1000", "--repeat", "5", "--opens", "20")),
    Benchmark("bench_loudness", quick=("--minutes", "1", "--repeat", "1")),
    Benchmark("bench_normalizer"),  # 201 sentences: a second or two
    Benchmark("bench_outbox", quick=("--programmes", "2", "--mib", "1", "--repeat", "1")),
    Benchmark("bench_render", quick=("--minutes", "1", "--items", "10", "--repeats", "1")),
    Benchmark("bench_synthesis", quick=("--segments", "4", "--repeat", "1")),
    Benchmark("bench_startup", quick=("--repeat", "1")),
    Benchmark("bench_gui_stall", quick=("--repeat", "1", "--programmes", "1", "--mib", "1", "--listens", "1")),
)


def discovered() -> list[Benchmark]:
    """The table above, plus any ``bench_*.py`` it does not know yet (run with its defaults), so that a new
    benchmark is never silently left out of the report."""
    known = {benchmark.name for benchmark in BENCHMARKS}
    extra = sorted(path.stem for path in (ROOT / "benchmarks").glob("bench_*.py") if path.stem not in known)
    return [*BENCHMARKS, *(Benchmark(name) for name in extra)]


@dataclass
class Outcome:
    benchmark: Benchmark
    command: list[str]
    returncode: int | None  # None: timed out
    seconds: float
    load_before: float
    load_after: float
    output: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def status(self) -> str:
        return "timed out" if self.returncode is None else ("ok" if self.ok else f"failed ({self.returncode})")


def child_environment(keyring_home: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "PYTHON_KEYRING_BACKEND" not in env:
        env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
        env["XDG_DATA_HOME"] = str(keyring_home)
    return env


def stop(process: subprocess.Popen[str]) -> None:
    """Interrupt the benchmark (its clean-ups stop the servers and clusters it started), then kill its group."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_one(benchmark: Benchmark, quick: bool, timeout: float, env: dict[str, str]) -> Outcome:
    command = [sys.executable, "-m", f"benchmarks.{benchmark.name}", *benchmark.arguments(quick)]
    print(f"\n=== {benchmark.name}: {' '.join(['python', *command[1:]])}", flush=True)
    outcome = Outcome(benchmark, command, None, 0.0, os.getloadavg()[0], 0.0)
    started = time.monotonic()
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace", start_new_session=True) as process:

        def relay() -> None:  # each line shown as it comes, and kept for the report
            assert process.stdout is not None
            for line in process.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                outcome.output.append(line.rstrip("\n"))

        reader = threading.Thread(target=relay, daemon=True)
        reader.start()
        try:
            outcome.returncode = process.wait(timeout)
        except subprocess.TimeoutExpired:
            stop(process)
        reader.join(10)
    outcome.seconds = time.monotonic() - started
    outcome.load_after = os.getloadavg()[0]
    print(f"=== {benchmark.name}: {outcome.status} in {outcome.seconds:.0f} s", flush=True)
    return outcome


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} with uncommitted changes" if dirty else head


def report(outcomes: list[Outcome], quick: bool, started: datetime, note: str, revision: str) -> str:
    total = sum(outcome.seconds for outcome in outcomes)
    lines = [
        "# Benchmark figures" + (" (quick smoke run: sizes too small to quote)" if quick else ""),
        "",
        f"- run: {started:%Y-%m-%d %H:%M} UTC, `python -m benchmarks.run_all{' --quick' if quick else ''}`, "
        f"{total / 60:.1f} min in all",
        f"- code: commit {revision}",
        f"- machine: {machine()}",
        "- load average (1 min) before and after each benchmark is listed below; above the core count, other "
        "work competed for the CPU and the absolute times are pessimistic (ratios suffer less)",
    ]
    if note:
        lines.append(f"- note: {note}")
    lines += ["", "| benchmark | status | seconds | load before | load after |", "|---|---|---:|---:|---:|"]
    for outcome in outcomes:
        lines.append(f"| {outcome.benchmark.name} | {outcome.status} | {outcome.seconds:.0f} | "
                     f"{outcome.load_before:.2f} | {outcome.load_after:.2f} |")
    for outcome in outcomes:
        lines += ["", f"## {outcome.benchmark.name}", "",
                  f"`python {' '.join(outcome.command[1:])}` — {outcome.status}, {outcome.seconds:.0f} s", "",
                  "```text", *outcome.output, "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark at its smallest sensible size")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these benchmarks only (e.g. bench_library)")
    parser.add_argument("--output", type=Path, help="the report (default: benchmarks/results/latest.md, "
                                                     "or quick.md with --quick)")
    parser.add_argument("--note", default="", help="a line for the report, e.g. what else ran on the machine")
    parser.add_argument("--timeout", type=float, help="seconds allowed per benchmark (default 3600, quick 900)")
    args = parser.parse_args(argv)
    chosen = discovered()
    if args.only:
        unknown = set(args.only) - {benchmark.name for benchmark in chosen}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        chosen = [benchmark for benchmark in chosen if benchmark.name in args.only]
    output = args.output or RESULTS / ("quick.md" if args.quick else "latest.md")
    timeout = args.timeout or (900.0 if args.quick else 3600.0)
    started = datetime.now(UTC)
    print(f"machine: {machine()}")
    print(f"{len(chosen)} benchmarks, {'quick' if args.quick else 'full'} sizes, one after the other; "
          f"report: {output}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-keyring-") as keyring_home:
        env = child_environment(Path(keyring_home))
        outcomes = [run_one(benchmark, args.quick, timeout, env) for benchmark in chosen]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report(outcomes, args.quick, started, args.note, commit()), encoding="utf-8")
    failed = [outcome for outcome in outcomes if not outcome.ok]
    print(f"\n{len(outcomes) - len(failed)} of {len(outcomes)} benchmarks ran; report written to {output}")
    for outcome in failed:
        print(f"  {outcome.benchmark.name}: {outcome.status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
