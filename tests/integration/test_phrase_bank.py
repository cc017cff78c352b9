"""The phrase bank: a phrase recorded once in a minority language, approved once by a reviewer, inserted into
bulletins; a new recording needs a new approval, and bulletins keep the recording they were approved with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.phrases import PHRASE_NOT_APPROVED, PhraseInfo
from studio.store.takes import TakeInfo
from studio.workflow.accounts import Actor, Role
from studio.workflow.states import NotAllowed
from tests.integration.test_recorded_segments import _tone

pytestmark = pytest.mark.slow
PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


def _people(studio: Studio) -> tuple[Actor, Actor]:
    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    officer = studio.reviews.create_user("lan", PASSWORD, Role.OFFICER, actor=admin).actor()
    reviewer = studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, actor=admin).actor()
    return officer, reviewer


def _take(studio: Studio, phrase: PhraseInfo, frequency: int, tmp_path: Path) -> TakeInfo:
    assert phrase.id is not None
    sha, relpath, _ = studio.media.put(_tone(tmp_path / f"p{frequency}.wav", frequency, 1.0), ".wav")
    return studio.takes.add(bulletin_id=None, phrase_id=phrase.id, segment_key=f"phrase-{phrase.id}", sha256=sha,
                            relpath=relpath, raw_sha256=sha, raw_relpath=relpath, duration_ms=1000, peak_dbfs=-1.0,
                            rms_dbfs=-4.0, clipped=False, source="booth", cleanup={}, actor="lan")


def test_a_phrase_is_approved_once_and_reused_with_its_exact_recording(studio: Studio, tmp_path: Path) -> None:
    officer, reviewer = _people(studio)
    station = studio.station()
    phrase = studio.phrases.save(PhraseInfo(None, station.id, "twh-tavt-record", "Giới thiệu đài (Thái)",
                                            "ident", "ꪒꪾꪉ ꪩꪺꪉ ꪕꪱꪉ", "Đây là Đài truyền thanh xã"), actor=officer)
    first = _take(studio, phrase, 440, tmp_path)
    phrase = studio.phrases.choose_take(phrase.id or 0, first.sha256, actor=officer)
    with pytest.raises(StudioError) as caught:
        phrase.segment()  # not approved yet: it cannot go into a bulletin
    assert caught.value.text == PHRASE_NOT_APPROVED
    with pytest.raises(NotAllowed):
        studio.phrases.approve(phrase.id or 0, actor=officer)  # an officer does not approve
    phrase = studio.phrases.approve(phrase.id or 0, actor=reviewer)
    assert phrase.approved and phrase.approved_by

    studio.signed_in = officer
    segment = phrase.segment()
    draft = studio.save_bulletin(BulletinDraft("Bản tin tiếng Thái", station.id, (
        segment, SegmentDraft("Kính thưa bà con.", "vi-north-offline", "greeting"))))
    assert draft.id is not None and draft.segments[0].source == "phrase"
    _, result = studio.render_bulletin(draft.id)
    assert result.sidecar["segments"][0]["source"] == "recorded"

    second = _take(studio, phrase, 660, tmp_path)  # recorded again: the bank needs a new approval …
    phrase = studio.phrases.choose_take(phrase.id or 0, second.sha256, actor=officer)
    assert not phrase.approved
    assert studio.repo.load(draft.id).segments[0].take == first.sha256  # … the bulletin keeps what it had
    studio.phrases.delete(phrase.id or 0, actor=officer)
    assert studio.take_path(first.sha256) is not None  # and still plays it after the phrase is gone
    studio.render_bulletin(draft.id)
    assert [p.name for p in studio.phrases.phrases(station.id)] == []
