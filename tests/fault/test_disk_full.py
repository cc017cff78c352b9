"""A disk that fills up during a render and during a recording: a small tmpfs, mounted for the test, is the
studio's whole data folder (library, database, caches) or the folder an export goes to, filled to a few
bytes of room.

The studio must say so in words an officer understands (``messages.DISK_FULL``, in Vietnamese too), leave
nothing half-written under a real name and no temporary files eating the little room left, and keep the
bulletin, the library and what the announcer already read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import DISK_FULL, DISK_FULL_HINT, StudioError
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.models import Render
from tests.fault.harness import check_sqlite, decodes_completely, sha256_file
from tests.pulse import RATE, Microphone, sine

pytestmark = [pytest.mark.skipif(sys.platform != "linux", reason="tmpfs"),
              pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) pipewire")]


@pytest.fixture(autouse=True)
def own_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """``mount(name, size)``: a tmpfs of ``size`` (``mount -o size=``) at ``tmp_path/name``, unmounted after
    the test whatever happens. Needs root (CI and this project's machines run the tests as root)."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        tool = shutil.which("mount")
        result = subprocess.run([tool or "mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                                 str(point)], capture_output=True, text=True) if tool else None
        if result is None or result.returncode != 0:
            reason = f"cannot mount a tmpfs here (needs root): {result.stderr.strip() if result else 'no mount'}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def free_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until ``leave`` bytes (rounded down to its blocks) are free; returns the filler file."""
    filler = disk / "filler.bin"
    room = free_bytes(disk) - leave
    if room > 0:
        with filler.open("ab") as handle:
            handle.write(bytes(room))
    assert free_bytes(disk) <= max(leave, 0) + os.statvfs(disk).f_frsize
    return filler


def hidden_files(folder: Path) -> list[str]:
    """Temporary files and folders (hidden names) anywhere below ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*"))


def vietnamese(error: StudioError) -> str:
    from studio.ui.i18n import load_catalogue

    tr = load_catalogue("vi")
    assert tr is not None, "the Vietnamese catalogue is missing"
    translated = error.translated(tr)
    for english in (DISK_FULL, DISK_FULL_HINT):
        assert tr("Messages", english) != english, f"no Vietnamese for {english!r}"
    return translated


def assert_disk_full(error: StudioError, path_below: Path) -> None:
    """The officer's message: the disk is full, where, and what to do — in English and in Vietnamese."""
    assert error.text == DISK_FULL and error.hint == DISK_FULL_HINT, f"not the disk-full message: {error}"
    assert str(path_below) in error.args_map["path"]
    assert str(path_below) in vietnamese(error)


# --- rendering ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_render_that_fills_the_disk_says_so_and_leaves_the_library_as_it_was(small_disk: Any) -> None:
    """Bulletins are rendered one after another with the room left on the disk swept from none to three
    times a programme's size, finely around the sizes where a render writes its last files (its audio, the
    sidecar, the library's copy, the database rows), so that the disk fills at each step of a render."""
    disk = small_disk("data", "12m")
    paths = StudioPaths.under(disk / "home")
    studio = Studio.open(paths)
    try:
        station = studio.ensure_station()
        segments = (SegmentDraft("Kính thưa bà con, sáng mai xã tổ chức tiêm phòng.", "vi-north-offline", "notice"),)
        first = studio.save_bulletin(BulletinDraft("Thông báo", station.id, segments,
                                                   schedule=studio.new_schedule(station)))
        assert first.id is not None
        info, _ = studio.render_bulletin(first.id)  # a render the library has (and warm speech caches)
        first_file = studio.render_file(info)
        first_sha, size = sha256_file(first_file), first_file.stat().st_size
        block = os.statvfs(disk).f_frsize
        rooms = [0, size // 2, *(size + k * block for k in range(-1, 3)),
                 *(2 * size + k * block for k in range(-1, 12)), 3 * size]
        stopped_at: set[str] = set()
        for step, room in enumerate(rooms):
            draft = studio.save_bulletin(BulletinDraft(f"Thông báo số {step}", station.id, segments,
                                                       schedule=studio.new_schedule(station)))
            assert draft.id is not None
            work = paths.renders / draft.uid
            renders_before = _count_renders(studio)
            filler = fill(disk, room)
            try:
                info, result = studio.render_bulletin(draft.id)
            except StudioError as exc:
                assert_disk_full(exc, paths.data)
                stopped_at.add(_where(Path(exc.args_map["path"]), paths))
                assert _count_renders(studio) == renders_before, "a render that failed was recorded"
                assert studio.current_render(draft.id) is None
            else:  # room enough after all: then it is whole
                assert result.sidecar["audio"]["sha256"] == info.sha256 == sha256_file(studio.render_file(info))
                decodes_completely(studio.render_file(info))
            _check_pair(work / f"{draft.uid}.mp3", work / f"{draft.uid}.json")  # only whole files, if any
            assert hidden_files(paths.data) == [], f"a render left temporary files ({room} bytes of room)"
            filler.unlink()
            assert studio.repo.load(draft.id).content() == draft.content()  # the bulletin is unharmed
            assert sha256_file(first_file) == first_sha  # and so is the library
            check_sqlite(paths.database_file)
        assert {"encoding", "the library's copy", "the database"} <= stopped_at, \
            f"the disk filled only at {stopped_at}"
        info, result = studio.render_bulletin(draft.id)  # room again: the render goes through
        assert studio.current_render(draft.id) == info
        _check_pair(work / f"{draft.uid}.mp3", work / f"{draft.uid}.json")
    finally:
        studio.close()


def _where(path: Path, paths: StudioPaths) -> str:
    """Which step of a render was writing ``path``."""
    if path.parent.name.startswith(".render-"):
        return "encoding"
    if path.is_relative_to(paths.media):
        return "the library's copy"
    if path.suffix == ".json":
        return "the sidecar"
    if path == paths.database_file:
        return "the database"
    return str(path)


def test_an_export_to_a_full_disk_says_so_and_leaves_no_file(small_disk: Any, studio_paths: StudioPaths) -> None:
    studio = Studio.open(studio_paths)
    try:
        studio.ensure_library()
        _, result = studio.render_bulletin(1)
        size = result.audio.stat().st_size
        usb = small_disk("usb", "256k")
        assert free_bytes(usb) < size, "the stick must be too small for the programme"
        out = usb / "ban-tin.mp3"
        with pytest.raises(StudioError) as caught:
            studio.export(result, out)
        assert_disk_full(caught.value, usb)
        assert os.listdir(usb) == [], "a cut-off export was left on the stick"
    finally:
        studio.close()


def test_a_programme_encoded_in_halves_on_a_full_disk_says_so_and_leaves_nothing(
        small_disk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long programme is encoded as two halves at once, then joined (``studio.audio.finish``): two part
    files and the joined file share the folder. The room left is swept so the disk fills in either half and
    while joining."""
    import studio.audio.finish as finishing
    from studio.audio.finish import finish
    from tests.integration.test_halves import programme

    monkeypatch.setattr(finishing, "HALVES_MIN_SECONDS", 5.0)
    pcm = programme(40.0)  # ~640 KB as MP3, and as much again in halves while it is encoded
    disk = small_disk("renders", "4m")
    filler = fill(disk, 0)
    for leave in (150_000, 500_000, 900_000, 1_200_000):
        filler.unlink()
        filler = fill(disk, leave)
        with pytest.raises(StudioError) as caught:
            finish(pcm, disk / "ban-tin.mp3")
        assert_disk_full(caught.value, disk)
        assert sorted(os.listdir(disk)) == ["filler.bin"], f"left behind with {leave} bytes free"
    filler.unlink()
    finish(pcm, disk / "ban-tin.mp3")
    assert sorted(os.listdir(disk)) == ["ban-tin.mp3"]
    assert decodes_completely(disk / "ban-tin.mp3")


def _count_renders(studio: Studio) -> int:
    with studio.db.session() as s:
        return int(s.scalar(select(func.count(Render.id))) or 0)


def _check_pair(audio: Path, sidecar: Path) -> None:
    import json

    if sidecar.exists():
        assert json.loads(sidecar.read_text(encoding="utf-8"))["audio"]["sha256"] == sha256_file(audio)
    if audio.exists():
        decodes_completely(audio)


# --- recording ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_take_cut_off_by_a_full_disk_is_not_a_take_until_it_is_recovered_whole(
        qtbot: Any, mic: Microphone, small_disk: Any) -> None:
    from studio.ui.booth import IDLE, RECORDING, TAKE_KEPT_AT, TAKE_RECOVERED, BoothDialog, BoothSubject, booth_folder
    from studio.ui.tasks import TaskRunner

    disk = small_disk("data", "8m")
    studio = Studio.open(StudioPaths.under(disk / "home"))
    runner = TaskRunner()
    try:
        studio.ensure_library()
        draft = studio.repo.load(1)
        segment = draft.segments[2]
        subject = BoothSubject("Segment 3", segment.text, segment.preset_id, bulletin_id=1, segment_key=segment.key)

        def open_booth() -> BoothDialog:
            booth = BoothDialog(studio, runner, subject)
            qtbot.addWidget(booth)
            booth.count_in.setChecked(False)
            booth.show()
            qtbot.waitUntil(lambda: booth.keeping == 0, timeout=10_000)
            return booth

        booth = open_booth()
        folder = booth_folder(studio)
        mic.hold(sine(1000, -12.0, 1.0))

        filler = fill(disk, 0)  # not even room for a header: nothing starts, nothing is left
        booth.record()
        assert booth.state == IDLE and "disk is full" in booth.banner.text
        assert not folder.exists() or list(folder.iterdir()) == []
        filler.unlink()

        filler = fill(disk, 160 * 1024)  # about a second and a half of the reading, then the disk is full
        errors: list[StudioError] = []
        booth.recorder.failed.connect(errors.append)
        booth.record()
        assert booth.state == RECORDING
        qtbot.waitUntil(lambda: booth.state == IDLE and booth.keeping == 0, timeout=20_000)
        [error] = errors
        assert_disk_full(error, folder)
        lefts = list(folder.glob("*.wav"))
        assert len(lefts) == 1, "what the announcer read before the disk filled is lost"
        left = lefts[0]
        assert TAKE_KEPT_AT.format(path=left) in booth.banner.text  # where the reading is safe, and why
        assert "disk is full" in booth.banner.text
        assert booth.takes == [] and studio.takes.of_segment(1, segment.key) == [], \
            "a take cut off by the full disk was stored as a good take"
        with wave.open(str(left), "rb") as wav:  # readable, and all that reached the disk
            frames = wav.readframes(wav.getnframes())
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
        assert len(frames) + 44 == left.stat().st_size
        seconds = len(frames) / 2 / RATE
        assert 1.0 < seconds < 1.9
        recorded = sha256_file(left)
        assert hidden_files(studio.paths.data) == [] and hidden_files(studio.paths.cache) == []
        booth.close()

        filler.unlink()  # room again: the next booth for the segment takes the reading in
        check_sqlite(studio.paths.database_file)
        booth = open_booth()
        qtbot.waitUntil(lambda: len(booth.takes) == 1 and booth.keeping == 0, timeout=30_000)
        assert booth.banner.text.startswith(TAKE_RECOVERED.split("{")[0])
        [take] = booth.takes
        assert take.raw_sha256 == recorded, "the recovered take is not the reading as it reached the disk"
        assert not left.exists()
        samples = np.frombuffer(frames, dtype="<i2").astype(np.float64)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
        assert abs(float(np.argmax(spectrum[1:]) + 1) * RATE / samples.size - 1000) < 5
        assert abs(decodes_completely(studio.media.path(take.raw_relpath)) - seconds) < 0.01
        booth.close()
    finally:
        mic.quiet()
        runner.shutdown()
        studio.close()
