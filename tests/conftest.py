"""Shared fixtures: isolated studio folders, real audio helpers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Delivery passwords go to the OS credential store; the tests (and the CLI they start) use keyrings.alt's
# file backend in a throw-away folder instead of the desktop's keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="studio-test-keyring-")

from studio.paths import StudioPaths


@pytest.fixture
def studio_paths(tmp_path: Path) -> StudioPaths:
    """A fresh, isolated set of studio directories under the test's temp folder."""
    return StudioPaths.under(tmp_path / "home").ensure()


def _require(what: str) -> None:
    """Outside CI a missing system service skips; in CI it fails, so nothing is silently untested."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Admin URL of a PostgreSQL server for this test session."""
    from tests.postgres import find_bindir, temporary_cluster

    existing = os.environ.get("STUDIO_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    bindir = find_bindir()
    if bindir is None:
        _require("PostgreSQL")
    assert bindir is not None
    with temporary_cluster(bindir) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database per test on the session's server."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"studio_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
