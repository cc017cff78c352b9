"""Fuzzing of what officers import: recordings (takes), jingles and bulletin files.

``scripts/fuzz.py`` runs it for as many executions as asked (the long run); ``test_fuzz_smoke.py`` runs a
few dozen per target in the test suite so the harness cannot rot. See ``docs/quality.md``."""
