"""Approved programmes in the outbox without rendering: real bulletins, approvals and media files, with a
random payload standing in for the MP3 (transports do not look inside), and a valid sidecar for it."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.delivery.outbox import Backoff, Listener, OutboxRunner
from studio.delivery.package import sidecar_bytes
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.outbox import RANKS, Job
from studio.store.repo import TargetInfo
from studio.tags.sidecar import Approval, AudioFacts, build_sidecar
from studio.workflow.accounts import Actor, Role
from studio.workflow.states import Action

PASSWORD = "mật khẩu đủ dài"
FAST = Backoff(base=0.05, cap=0.3, emergency_base=0.02, emergency_cap=0.1)


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float = -16.0
    true_peak_dbtp: float = -1.2
    loudness_range_lu: float = 4.0
    replaygain_db: float = -2.0


@dataclass
class People:
    officer: Actor
    reviewer: Actor


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


@pytest.fixture
def people(studio: Studio) -> People:
    return make_people(studio)


def make_people(studio: Studio) -> People:
    """An administrator (signed in), an officer and a reviewer."""
    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    officer = studio.reviews.create_user("lan", PASSWORD, Role.OFFICER, actor=admin).actor()
    reviewer = studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, actor=admin).actor()
    studio.signed_in = admin
    return People(officer, reviewer)


def approved_bulletin(studio: Studio, people: People, title: str, priority: str = "normal") -> BulletinDraft:
    studio.signed_in = people.officer
    station = studio.station()
    draft = studio.save_bulletin(BulletinDraft(title, station.id, (
        SegmentDraft("Kính thưa bà con, sáng mai xã tổ chức tiêm phòng.", "vi-north-offline", "notice"),),
        priority=priority, schedule=studio.new_schedule(station)))
    return approve(studio, people, draft)


def approve(studio: Studio, people: People, draft: BulletinDraft) -> BulletinDraft:
    """``draft`` submitted by the officer and approved by the reviewer; the officer is signed in after."""
    assert draft.id is not None
    studio.review(draft.id, Action.SUBMIT, version=draft.version)
    studio.signed_in = people.reviewer
    studio.review(draft.id, Action.APPROVE, version=draft.version)
    studio.signed_in = people.officer
    return studio.repo.load(draft.id)


def queue(studio: Studio, people: People, target: TargetInfo, title: str, payload: bytes,
          priority: str = "normal") -> Job:
    """An approved bulletin whose "render" is ``payload``, queued for ``target``."""
    draft = approved_bulletin(studio, people, title, priority)
    assert draft.id is not None
    source = studio.paths.cache / f"{hashlib.sha256(payload).hexdigest()}.mp3"
    source.write_bytes(payload)
    sha, relpath, size = studio.media.put(source, ".mp3")
    asset = studio.repo.add_media(sha, "render", relpath, size, 1000)
    station = studio.station()
    fingerprint = studio.fingerprint(draft)
    status = studio.reviews.status(draft.id)
    assert status.approved_at is not None
    sidecar = build_sidecar(
        programme_id=draft.uid, title=draft.title, station=station, series="Bản tin xã", languages=["vie"],
        duration_ms=1000, audio=AudioFacts(size, sha, 64, 44100, 1), loudness=Loudness(), target_lufs=-16.0,
        priority=priority, content_hash=fingerprint, schedule=draft.schedule,
        approval=Approval(status.approved_by, status.approved_at, fingerprint, studio.approval_hash(draft)))
    render = studio.repo.add_render(draft.id, asset, fingerprint, duration_ms=1000, integrated_lufs=-16.0,
                                    true_peak_dbtp=-1.2, loudness_range=4.0, profile="test", sidecar=sidecar,
                                    layout=None, actor="lan")
    job, created = studio.outbox.enqueue(
        render_id=render.id, target_id=target.id, programme_id=draft.uid, rank=RANKS[priority],
        approval_hash=studio.approval_hash(draft), package_sha256=sha, package_relpath=relpath, size_bytes=size,
        sidecar_text=sidecar_bytes(sidecar).decode("utf-8"), actor="lan")
    assert created
    return job


def runner(studio: Studio, listener: Listener | None = None, **options: object) -> OutboxRunner:
    made = studio.outbox_runner(listener)
    made.backoff = FAST
    made.idle_poll = 0.2
    for name, value in options.items():
        setattr(made, name, value)
    return made


def payload(size: int, seed: int) -> bytes:
    return hashlib.shake_256(seed.to_bytes(4, "big")).digest(size)


def leftovers(folder: Path) -> list[str]:
    """Hidden partial files left in a delivery folder (there must be none once everything is delivered)."""
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def sidecar_of(folder: Path, programme_id: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / f"{programme_id}.json").read_text(encoding="utf-8"))
    return data
