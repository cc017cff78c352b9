"""The benchmarks still run: the one command that runs them all, with the library benchmark at its quick size
(SQLite and, where PostgreSQL is installed, a throw-away cluster), and a failing benchmark failing the command.

The whole ``run_all --quick`` takes about two minutes on a quiet 2-core machine and more under load, so the
suite runs only the library benchmark through it; ``python -m benchmarks.run_all --quick`` is the full smoke run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run_all
from tests.postgres import find_bindir

ROOT = Path(__file__).resolve().parents[2]


def figures(section: str) -> dict[str, tuple[int, float, float]]:
    """A database's table of the library benchmark: operation -> (rows, studio median ms, ratio)."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"(.+?)\s+(\d+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)$", line)
        if match:
            rows[match[1]] = (int(match[2]), float(match[3]), float(match[4]))
    return rows


@pytest.mark.slow
def test_run_all_runs_the_library_benchmark_and_reports_it(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.run_all", "--quick", "--only", "bench_library",
                           "--output", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    text = report.read_text(encoding="utf-8")
    assert "| bench_library | ok |" in text
    assert "- machine: " in text
    sqlite, _, postgres = text.partition("PostgreSQL ")
    table = figures(sqlite)
    assert table["whole list (library opens, after each save)"][0] == 1000
    # typed without diacritics, found in bulletins written with them; fewer than all, more than none
    assert 0 < table['search "thong bao" (no diacritics)'][0] < 1000
    assert table['search "xyz" (no match)'][0] == 0
    assert all(ms > 0 and ratio > 0 for _, ms, ratio in table.values())
    if find_bindir() is not None:  # the benchmark started its own cluster and measured the same operations
        on_postgres = figures(postgres)
        assert on_postgres.keys() == table.keys()
        assert on_postgres["whole list (library opens, after each save)"][0] == 1000


def test_a_failing_benchmark_fails_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(run_all, "BENCHMARKS", (run_all.Benchmark("bench_library", quick=("--no-such-option",)),))
    report = tmp_path / "report.md"
    assert run_all.main(["--quick", "--only", "bench_library", "--output", str(report)]) == 1
    text = report.read_text(encoding="utf-8")
    assert "| bench_library | failed (2) |" in text
    assert "unrecognized arguments: --no-such-option" in text
    assert "bench_library: failed (2)" in capsys.readouterr().out
