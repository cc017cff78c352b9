"""Shared fixtures: isolated studio folders, real audio helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studio.paths import StudioPaths  # noqa: E402


@pytest.fixture
def studio_paths(tmp_path: Path) -> StudioPaths:
    """A fresh, isolated set of studio directories under the test's temp folder."""
    return StudioPaths.under(tmp_path / "home").ensure()
