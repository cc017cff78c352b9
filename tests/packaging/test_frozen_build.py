"""The frozen one-folder build: ``scripts/package.sh`` builds it with PyInstaller and smoke-tests it.

The build runs once per session (about a minute on the 2-core CI machine); the tests then check what an
installer would ship: both programs, a self-test whose every check passed inside the bundle (ffmpeg, the
offline voice, the catalogue, the fonts, a render, the window, the player), the data files beside their
licences, a shared PostgreSQL library, and that the smoke test itself fails when the bundle is broken.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.package]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "package.sh"
DIST = ROOT / "dist" / "CommuneRadioStudio"
INTERNAL = DIST / "_internal"
CLI = DIST / "studio-cli"
GUI = DIST / "CommuneRadioStudio"
CHECKS = ("ffmpeg", "voice", "translation", "assets", "fonts", "render", "window", "playback")


def package(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=540)


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess[str]:
    """A fresh build and its smoke test (an old build in dist/ is removed first: nothing passes by leftovers)."""
    shutil.rmtree(DIST, ignore_errors=True)
    proc = package()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc


def figure(pattern: str, text: str) -> float:
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, f"{pattern!r} not in:\n{text}"
    return float(match.group(1))


def test_the_frozen_studio_builds_and_passes_its_self_test(built: subprocess.CompletedProcess[str]) -> None:
    out = built.stdout
    for program in (CLI, GUI):
        assert program.is_file() and os.access(program, os.X_OK), program
    build_s = figure(r"^package: built dist/CommuneRadioStudio in (\d+) s$", out)
    size_mb = figure(r"^package: size (\d+) MB$", out)
    selftest_s = figure(r"^package: self-test passed in ([\d.]+) s$", out)
    print(f"build {build_s:.0f} s, {size_mb:.0f} MB, self-test {selftest_s} s")
    assert 100 < size_mb < 1500  # Qt, ffmpeg and eSpeak are in; a test suite or a second Qt is not
    assert selftest_s < 120

    # Every check ran inside the bundle, not against the venv or the system.
    for check in CHECKS:
        assert re.search(rf"^ok   {check} ", out, re.MULTILINE), f"no ok line for {check}:\n{out}"
    ffmpeg_line = next(line for line in out.splitlines() if line.startswith("ok   ffmpeg"))
    assert str(INTERNAL / "imageio_ffmpeg" / "binaries") in ffmpeg_line
    assert f"({INTERNAL / 'studio' / 'assets'})" in out
    assert re.search(r"^ok   voice .*vi .*vi-vn-x-central .*vi-vn-x-south", out, re.MULTILINE)
    assert "“Cancelled.” → “Đã hủy.”" in out
    assert "Tai Heritage Pro" in out and "Noto Sans Khmer" in out and "Noto Sans Cham" in out
    assert "main window (offscreen), “Bản tin mới”" in out
    duration = figure(r"^self-test passed: ([\d.]+) s, ", out)
    lufs = figure(r"^self-test passed: [\d.]+ s, (-?[\d.]+) LUFS", out)
    assert duration > 20 and abs(lufs - -16.0) <= 1.0


def test_the_bundle_ships_data_with_licences_and_nothing_of_the_tests(
        built: subprocess.CompletedProcess[str]) -> None:
    assets = INTERNAL / "studio" / "assets"
    fonts = sorted(p.name for p in (ROOT / "assets" / "fonts").glob("*.ttf"))
    assert fonts and sorted(p.name for p in (assets / "fonts").glob("*.ttf")) == fonts
    licences = sorted(p.name for p in (ROOT / "assets" / "fonts" / "licenses").iterdir())
    assert licences and sorted(p.name for p in (assets / "fonts" / "licenses").iterdir()) == licences
    assert (assets / "guide" / "huong-dan.md").read_bytes() == (ROOT / "docs" / "guide" / "huong-dan.md").read_bytes()
    assert len(list((assets / "presets").glob("*.json"))) == len(list((ROOT / "assets" / "presets").glob("*.json")))
    catalogue = INTERNAL / "studio" / "ui" / "i18n" / "studio_vi.qm"
    assert catalogue.read_bytes() == (ROOT / "studio" / "ui" / "i18n" / "studio_vi.qm").read_bytes()
    assert len(list((INTERNAL / "studio" / "store" / "migrations" / "versions").glob("0*.py"))) >= 8
    assert (INTERNAL / "espeakng_loader" / "espeak-ng-data" / "vi_dict").is_file()
    # keyrings.alt stores passwords in plain text: the tests' stand-in, never the officer's store.
    for absent in ("keyrings", "tkinter", "pytest", "PyInstaller"):
        assert not (INTERNAL / absent).exists(), absent
    assert not list(INTERNAL.rglob("libQt6WebEngine*")) and not list(INTERNAL.rglob("*Qt6VirtualKeyboard*"))


@pytest.mark.postgres
def test_the_frozen_studio_opens_a_shared_postgresql_library(built: subprocess.CompletedProcess[str],
                                                             postgres_url: str, tmp_path: Path) -> None:
    """SQLAlchemy loads the psycopg driver by name, and alembic's revisions are files: both frozen too."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "TMPDIR": str(tmp_path),
           "STUDIO_DATABASE_URL": postgres_url}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CLI), "--data-dir", str(tmp_path / "home"), *args], capture_output=True,
                              text=True, encoding="utf-8", env=env, timeout=120)

    made = cli("demo")
    assert made.returncode == 0, made.stderr
    listed = cli("list")
    assert listed.returncode == 0, listed.stderr
    assert made.stdout.split("\t")[0] in listed.stdout
    assert not (tmp_path / "home" / "data" / "studio.sqlite3").exists()  # the library is on the server


@contextmanager
def broken(path: Path, content: bytes | None) -> Iterator[None]:
    """``path`` in the build replaced by ``content`` (or removed) for a while, then restored."""
    saved = path.read_bytes() if path.exists() else None
    try:
        if content is None:
            path.unlink()
        else:
            path.write_bytes(content)
        yield
    finally:
        if saved is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(saved)


def test_the_smoke_test_fails_on_a_broken_bundle(built: subprocess.CompletedProcess[str]) -> None:
    with broken(INTERNAL / "studio" / "ui" / "i18n" / "studio_vi.qm", None):
        proc = package("--no-build")
    assert proc.returncode == 1
    assert "package: FAILED: the frozen self-test exited with 3" in proc.stderr
    assert "FAIL: translation" in proc.stderr


def test_the_smoke_test_fails_on_unexpected_stderr(built: subprocess.CompletedProcess[str]) -> None:
    """A damaged font only costs a warning and the self-test passes; the package must still be refused."""
    with broken(INTERNAL / "studio" / "assets" / "fonts" / "Damaged-Regular.ttf", b"not a font"):
        proc = package("--no-build")
    assert proc.returncode == 1
    assert "package: FAILED: the frozen self-test wrote unexpected lines on stderr" in proc.stderr
    assert "Damaged-Regular.ttf could not be loaded" in proc.stderr
    assert package("--no-build").returncode == 0  # and passes again once the bundle is whole
