"""A bulletin in three presets — Kinh online, Kinh Southern offline, Khmer online — rendered end to end
against the local edge protocol server, then again with the network gone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.render import FELL_BACK, LEFT_OUT
from studio.services import Studio
from tests.edge_server import EdgeServer, edge_server, unreachable_service
from tests.oracles import ebur128

pytestmark = pytest.mark.slow

SEGMENTS = (
    SegmentDraft("Kính thưa bà con, sau đây là thông báo của UBND xã.", "vi-north-female", "greeting"),
    SegmentDraft("Từ 7h30 ngày 25/11, Trạm Y tế xã tiêm chủng cho trẻ.", "vi-south-offline", "notice"),
    SegmentDraft("សូមជម្រាបសួរបងប្អូនទាំងអស់គ្នា។", "km-female", "notice"),
)


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


def _bulletin(studio: Studio) -> BulletinDraft:
    return studio.repo.save(BulletinDraft("Thông báo ba thứ tiếng", studio.station().id, SEGMENTS))


def test_three_presets_render_online_then_again_without_a_single_request(studio: Studio) -> None:
    with edge_server() as server:
        info, result = studio.render_bulletin(_bulletin(studio).id or 0)
        first_requests = len(server.speech_requests)
        assert first_requests >= 2  # the Kinh and Khmer segments went to the online voice
        assert [s["preset"] for s in result.sidecar["segments"]] == ["vi-north-female", "vi-south-offline",
                                                                     "km-female"]
        assert set(result.sidecar["languages"]) == {"vie", "khm"}
        assert not result.notices
        integrated, peak = ebur128(result.audio)
        assert abs(integrated + 16) <= 1 and peak <= -1.0
        again = studio.render_draft(studio.repo.load(info.bulletin_id), studio.paths.renders / "again.mp3")
        assert len(server.speech_requests) == first_requests  # the second render made no request at all
        assert again.duration_ms == result.duration_ms


def test_without_network_it_still_renders_and_says_which_segments_fell_back(studio: Studio,
                                                                             tmp_path: Path) -> None:
    draft = _bulletin(studio)
    with unreachable_service():
        result = studio.render_draft(draft, tmp_path / "offline.mp3")
    texts = {n.text: n.args for n in result.notices}
    assert texts[FELL_BACK] == {"number": "1"}
    assert texts[LEFT_OUT]["number"] == "3"  # Khmer has no offline voice: left out, loudly
    assert [s["preset"] for s in result.sidecar["segments"]] == ["vi-north-female", "vi-south-offline"]
    assert result.audio.is_file()


def test_khmer_alone_offline_is_a_clear_error(studio: Studio, tmp_path: Path) -> None:
    draft = studio.repo.save(BulletinDraft("Khmer", studio.station().id, SEGMENTS[2:]))
    with unreachable_service(), pytest.raises(StudioError, match="No segment could be read"):
        studio.render_draft(draft, tmp_path / "km.mp3")
    assert not (tmp_path / "km.mp3").exists()


def test_listening_to_an_online_segment_offline_uses_the_offline_voice(studio: Studio) -> None:
    with unreachable_service():
        preview = studio.speak_segment(SEGMENTS[0])
    assert preview.path.is_file() and preview.duration > 1.0
    assert [n.text for n in preview.notices] == [FELL_BACK]


def test_edge_server_is_the_real_protocol(studio: Studio) -> None:
    server: EdgeServer
    with edge_server() as server:
        preview = studio.speak_segment(SEGMENTS[0])
        assert len(server.speech_requests) >= 1 and server.protocol_errors == []
    assert preview.duration > 1.0 and not preview.notices


def test_a_changed_pronunciation_rule_makes_the_old_render_out_of_date(studio: Studio) -> None:
    from studio.render import Lexicons

    draft = studio.repo.save(BulletinDraft("Thông báo", studio.station().id, SEGMENTS[1:2]))
    assert draft.id is not None
    info, _ = studio.render_bulletin(draft.id)
    current = studio.current_render(draft.id)
    assert current is not None and current.id == info.id
    rules = studio.paths.config / "lexicon.tsv"
    rules.write_text("Trạm Y tế\tTrạm Xá\n", encoding="utf-8")
    studio.lexicons = Lexicons(rules)
    assert studio.current_render(draft.id) is None  # delivering now would re-render with the new rule
