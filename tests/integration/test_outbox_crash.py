"""Kill the studio in the middle of an upload (SIGKILL: no clean-up at all), start it again: the upload
resumes where the controller's copy stopped, and the programme arrives once, byte-identical."""

# ruff: noqa: F811  (the shared fixtures are imported from outbox_helpers and named as parameters)

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.services import Studio
from studio.store.outbox import JobState
from tests.integration.outbox_helpers import People, payload, people, queue, studio  # noqa: F401
from tests.servers.http_receiver import running_receiver

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="SIGKILL")]
SIZE = 8 << 20


def _outbox_run(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "STUDIO_LANG": "en"}
    env.pop("STUDIO_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "studio", "--data-dir", str(home), "outbox", "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def test_a_killed_upload_resumes_after_restart_and_arrives_once(studio: Studio, people: People,
                                                                tmp_path: Path) -> None:
    controller = tmp_path / "controller"
    controller.mkdir()
    with running_receiver(controller) as receiver:
        receiver.faults.delay_per_chunk = 0.25  # a slow line: eight 1 MiB chunks take two seconds
        target = studio.repo.add_target(studio.station().id, "loa", "http", {"url": receiver.url})
        studio.credentials.set("loa", receiver.token)
        job = queue(studio, people, target, "Thông báo khẩn về lũ", payload(SIZE, 7))
        home = studio.paths.data.parent

        first = _outbox_run(home)
        deadline = time.monotonic() + 60
        while receiver.faults.audio_bytes < 3 << 20:
            assert first.poll() is None, first.communicate()[1]
            assert time.monotonic() < deadline, "the upload never started"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=10)
        killed = studio.outbox.get(job.id)
        assert killed is not None and killed.state is JobState.SENDING  # as the crash left it
        sent_before = receiver.faults.audio_bytes
        assert sent_before < SIZE

        second = _outbox_run(home)
        try:
            _, err = second.communicate(timeout=120)
        finally:
            second.kill()
        assert second.returncode == 0, err
        sent_after = receiver.faults.audio_bytes - sent_before

    done = studio.outbox.get(job.id)
    assert done is not None and done.state is JobState.DONE
    assert (controller / f"{job.programme_id}.mp3").read_bytes() == payload(SIZE, 7)
    assert sent_after <= SIZE - (2 << 20), "the restarted studio sent the whole file again"
    kinds = [event.kind for event in studio.outbox.history(job_id=job.id)]
    assert kinds == ["queued", "started", "resumed", "delivered"]
    assert len(studio.outbox.jobs(bulletin_id=job.bulletin_id)) == 1
    assert sorted(p.name for p in controller.iterdir() if not p.name.startswith(".")) == [
        f"{job.programme_id}.json", f"{job.programme_id}.mp3"]
