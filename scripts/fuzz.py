"""Fuzz what officers import: recordings (takes), jingles and bulletin files (.bantin).

    .venv/bin/python scripts/fuzz.py                      # 10,000 executions per target (the long run)
    .venv/bin/python scripts/fuzz.py --executions 2000 --targets take,jingle --seed 1

Each execution writes one mutated file (real audio made by ffmpeg, or a real bulletin file, then cut short,
flipped, given another format's header or a size field promising gigabytes…) and imports it through the
studio's real import path into a real library in a temporary folder. It must end in success or a
StudioError with a message; a refusal changes nothing; what is stored decodes; no temporary file is left
(tests/fuzz/targets.py). Prints executions per second and the outcomes; exits 1 on the first failure, after
hypothesis has shrunk it to the smallest input and printed it. Not part of the test suite
(tests/fuzz/test_fuzz_smoke.py runs a few dozen executions per target there); see docs/quality.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    if str(ROOT) not in sys.path:  # run as a script from anywhere: the tests package lives at the root
        sys.path.insert(0, str(ROOT))
    from tests.fuzz.runner import Report, fuzz
    from tests.fuzz.targets import TARGETS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executions", type=int, default=10_000, help="per target (default 10,000)")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    parser.add_argument("--seed", type=int, help="hypothesis seed, for a reproducible run")
    parser.add_argument("--work", type=Path, help="folder for the libraries and seeds (default: a temporary one)")
    parser.add_argument("--keep-going", action="store_true",
                        help="count every failure (first input of each kind kept) instead of stopping at the first")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = sorted(set(names) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")

    def progress(report: Report) -> None:
        print(f"  {report.target}: {report.executions} executions, {report.rate:.1f}/s", flush=True)

    failed = False
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studio-fuzz-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        # The studio logs every refused file; keep that out of the report (and in the work folder).
        log = logging.FileHandler(work / "fuzz.log", encoding="utf-8")
        logging.getLogger().addHandler(log)
        try:
            for name in names:
                print(f"{name}: {args.executions} executions…", flush=True)
                report = fuzz(name, args.executions, work / name, seed=args.seed, keep_going=args.keep_going,
                              progress=progress)
                print(report.summary(), flush=True)
                failed |= report.failure is not None
        finally:
            logging.getLogger().removeHandler(log)
            log.close()
    print(f"total {time.perf_counter() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
