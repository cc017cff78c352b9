"""An approval is bound to everything that shapes the broadcast: the bulletin's content, and also the voice
presets, the station's jingles (their choice and their audio) and the output profile, which are not saved with
the bulletin. A change to any of them after approval blocks delivery until the bulletin is approved again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.config import MP3_BITRATE
from studio.paths import StudioPaths
from studio.services import Studio
from studio.workflow.accounts import Role
from studio.workflow.schedule import approval_hash
from studio.workflow.states import Action, NotAllowed

pytestmark = pytest.mark.slow
PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_library()
    admin = opened.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    opened.reviews.create_user("lan", PASSWORD, Role.OFFICER, actor=admin)
    opened.reviews.create_user("hung", PASSWORD, Role.REVIEWER, actor=admin)
    yield opened
    opened.close()


def _approved(studio: Studio) -> int:
    studio.login("lan", PASSWORD)
    draft = studio.save_bulletin(BulletinDraft("Thông báo lịch tiêm", studio.station().id, (
        SegmentDraft("Trạm y tế xã tiêm phòng vào sáng thứ bảy.", "vi-north-offline", "notice"),)))
    assert draft.id is not None
    studio.review(draft.id, Action.SUBMIT, version=draft.version)
    studio.login("hung", PASSWORD)
    studio.review(draft.id, Action.APPROVE, version=draft.version)
    studio.login("lan", PASSWORD)
    assert studio.approval_is_current(draft.id)
    return draft.id


def test_a_changed_output_profile_voids_the_approval_until_it_is_back(studio: Studio) -> None:
    bulletin_id = _approved(studio)
    studio.settings.set(MP3_BITRATE, 64)
    assert not studio.approval_is_current(bulletin_id)
    with pytest.raises(NotAllowed):
        studio.deliver(bulletin_id, "outbox")
    assert not any((studio.paths.outbox_folder).glob("*.mp3"))
    studio.settings.set(MP3_BITRATE, 128)
    assert studio.approval_is_current(bulletin_id)
    job = studio.deliver(bulletin_id, "outbox", timeout=60)  # the officer delivers what the reviewer approved
    assert (studio.paths.outbox_folder / f"{job.programme_id}.mp3").exists()
    assert studio.reviews.status(bulletin_id).state.value == "delivered"


def test_another_jingle_or_new_jingle_audio_voids_the_approval(studio: Studio, tmp_path: Path) -> None:
    bulletin_id = _approved(studio)
    station = studio.station()
    studio.set_station_jingle("opening", "")  # no opening jingle any more
    assert not studio.approval_is_current(bulletin_id)
    studio.repo.set_station_jingle(station.id, "opening", station.opening_jingle, actor=studio.actor)
    assert studio.approval_is_current(bulletin_id)
    own = studio.jingles.import_file(studio.jingle_path(station.closing_jingle) or Path(), "closing", "Nhạc kết xã")
    studio.set_station_jingle("closing", own.id)
    assert not studio.approval_is_current(bulletin_id)  # another closing jingle
    studio.login("hung", PASSWORD)  # the reviewer hears it with the new jingle and approves it again
    studio.review(bulletin_id, Action.APPROVE, version=studio.repo.load(bulletin_id).version)
    assert studio.approval_is_current(bulletin_id)
    original, stamp = own.path.read_bytes(), own.path.stat().st_mtime_ns
    middle = len(original) // 2
    # The same name and size, other sound: the station's file replaced on disk a while later.
    own.path.write_bytes(original[:middle] + bytes(b ^ 0x55 for b in original[middle:middle + 4000])
                         + original[middle + 4000:])
    os.utime(own.path, ns=(stamp + 10**9, stamp + 10**9))
    assert not studio.approval_is_current(bulletin_id)

def test_a_render_of_older_content_is_never_delivered(studio: Studio) -> None:
    bulletin_id = _approved(studio)
    info, _ = studio.render_bulletin(bulletin_id)
    assert studio.reviews.status(bulletin_id).state.value == "rendered"
    draft = studio.repo.load(bulletin_id)
    studio.reviews.check_deliverable(bulletin_id, approval_hash(info.content_hash, draft.schedule),
                                     studio.approval_hash(draft), actor=studio.actor)
    with pytest.raises(NotAllowed):
        studio.reviews.check_deliverable(bulletin_id, "0" * 64, info.content_hash, actor=studio.actor)
