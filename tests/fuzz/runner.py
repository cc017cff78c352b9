"""Run one fuzz target for a number of executions with hypothesis as the engine, and report.

Hypothesis generates the mutations (``mutations.py``) and, when a property fails, shrinks the input to the
smallest failing one and prints it; the run then stops with that failure in the report."""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed

from tests.fuzz.mutations import Mutant
from tests.fuzz.seeds import make_seeds
from tests.fuzz.targets import TARGETS, BundleTarget, Target, bundle_support, private_temp, reset


@dataclass
class Report:
    target: str
    executions: int = 0
    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    failure: str | None = None
    skipped: str | None = None
    failures: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.executions / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        if self.skipped:
            return f"{self.target}: not run — {self.skipped}"
        head = (f"{self.target}: {self.executions} executions in {self.seconds:.1f} s "
                f"({self.rate:.1f}/s), {'FAILED' if self.failure else 'no failure'}")
        stored = sum(n for outcome, n in self.outcomes.items() if outcome.startswith("stored"))
        refused = sum(n for outcome, n in self.outcomes.items() if outcome.startswith("refused"))
        lines = [head, f"  stored {stored}, refused {refused}"]
        lines += [f"  {n:6d}  {outcome}" for outcome, n in self.outcomes.most_common(12)]
        if self.failure:
            lines.append(self.failure)
        lines += [f"  {note}" for note in self.kept if note not in (self.failure or "")]
        return "\n".join(lines)


def fuzz(name: str, executions: int, root: Path, *, seed: int | None = None, keep_going: bool = False,
         progress: Callable[[Report], None] | None = None, every: int = 500) -> Report:
    """Run target ``name`` for ``executions`` generated inputs in a fresh library under ``root``.

    Stops at the first failure (shrunk by hypothesis), or with ``keep_going`` counts every failure by its
    kind, keeps the first input of each kind in ``root`` and runs all the executions."""
    report = Report(name)
    if name == "bundle":
        support = bundle_support()
        if isinstance(support, str):
            report.skipped = support
            return report
    reset(root)
    seeds = make_seeds(root / "seeds")
    with private_temp(root / "tmp"):
        target: Target = TARGETS[name](root)
        try:
            if isinstance(target, BundleTarget):
                seeds.update(target.make_seeds(seeds))

            @settings(max_examples=executions, deadline=None, database=None, derandomize=False,
                      phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck),
                      report_multiple_bugs=False, verbosity=Verbosity.normal)
            @given(target.inputs(seeds))
            def execute(case: Any) -> None:
                nonlocal last
                last = case
                report.executions += 1
                try:
                    outcome = target.run(case)
                except Exception as error:
                    if not keep_going:
                        raise
                    outcome = f"FAILED: {type(error).__name__}: {str(error)[:120]}"
                    if outcome not in report.outcomes:
                        _keep(root / f"failing-input-{len(report.failures) + 1}", case, report)
                    report.failures.append(outcome)
                report.outcomes[outcome] += 1
                if progress is not None and report.executions % every == 0:
                    report.seconds = time.perf_counter() - started
                    progress(report)

            if seed is not None:
                execute = hypothesis_seed(seed)(execute)
            last: Any = None
            started = time.perf_counter()
            try:
                execute()
            except Exception as error:  # the shrunk failure: hypothesis printed how it was made
                report.failure = "".join(traceback.format_exception(error)[-12:])
                _keep(root / "failing-input", last, report)  # hypothesis ran the smallest failing input last
            report.seconds = time.perf_counter() - started
            if report.failures and report.failure is None:
                report.failure = f"{len(report.failures)} failing executions; the first input of each kind is kept."
        finally:
            target.close()
    return report


def _keep(stem: Path, case: Any, report: Report) -> None:
    mutant = case[0] if isinstance(case, tuple) else case
    if isinstance(mutant, Mutant):
        kept = stem.with_name(stem.name + mutant.suffix)
        kept.write_bytes(mutant.data)
        note = f"The failing input is kept in {kept} ({mutant.describe()})."
        report.failure = f"{report.failure}\n{note}" if report.failure else None
        report.kept.append(note)
