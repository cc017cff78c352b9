"""The fuzzing harness, run briefly in the test suite so it cannot rot: a few dozen executions per target
(the long run is ``scripts/fuzz.py``, see docs/quality.md). Each must import through the real path, see
both outcomes (stored and refused) and find no failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.runner import fuzz
from tests.fuzz.targets import bundle_support
from tests.scripts import imported_script

ROOT = Path(__file__).resolve().parents[2]
EXECUTIONS = 50

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.mark.parametrize("target", ["take", "jingle", "bundle"])
def test_a_short_fuzzing_run_finds_nothing(target: str, tmp_path: Path) -> None:
    if target == "bundle" and isinstance(bundle_support(), str):
        pytest.skip(f"bulletin files: {bundle_support()}")
    report = fuzz(target, EXECUTIONS, tmp_path / target, seed=20261123)
    assert report.failure is None, report.summary()
    assert report.executions >= EXECUTIONS
    stored = sum(n for outcome, n in report.outcomes.items() if outcome.startswith("stored"))
    refused = sum(n for outcome, n in report.outcomes.items() if outcome.startswith("refused"))
    assert stored and refused, report.summary()  # both paths were exercised


def test_the_fuzz_script_runs_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with imported_script(ROOT / "scripts" / "fuzz.py") as script:
        assert script.main(["--executions", "5", "--targets", "jingle", "--seed", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "jingle: 5 executions in" in out and "/s)" in out and "no failure" in out
