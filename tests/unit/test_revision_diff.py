"""Comparing two revisions: segments matched by text, words compared within them, defaults not changes."""

from __future__ import annotations

import random
from typing import Any

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.workflow.diff import RevisionDiff, SettingChange, TextOp, diff_revisions, diff_text, tokenize

PRESET = "vi-north-offline"
TEXTS = (
    "Xin chào bà con thôn Đông.",
    "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho trẻ em vào sáng thứ Hai.",
    "Đề nghị các hộ gia đình đưa trẻ đến trạm y tế đúng giờ.",
    "Bà con chú ý phòng chống bão số 3, gia cố nhà cửa.",
    "Cảm ơn bà con đã lắng nghe.",
)


def snapshot(*segments: SegmentDraft | str, title: str = "Bản tin sáng", priority: str = "normal") -> dict[str, Any]:
    """What a save stores: ``BulletinDraft.content()``."""
    drafts = tuple(s if isinstance(s, SegmentDraft) else SegmentDraft(s, PRESET) for s in segments)
    return BulletinDraft(title, 1, drafts, priority=priority).content()


def changes(diff: RevisionDiff) -> list[tuple[str, int | None, int | None, bool]]:
    return [(s.status, s.old_index, s.new_index, s.moved) for s in diff.segments if s.changed]


def marked(ops: tuple[TextOp, ...]) -> list[tuple[str, str, str]]:
    return [(op.tag, op.old, op.new) for op in ops if op.tag != "equal"]


def test_identical_snapshots_have_no_changes() -> None:
    diff = diff_revisions(snapshot(*TEXTS), snapshot(*TEXTS))
    assert not diff.changed
    assert diff.settings == ()
    assert [s.status for s in diff.segments] == ["equal"] * len(TEXTS)
    assert all(s.text == (TextOp("equal", t, t),) for s, t in zip(diff.segments, TEXTS, strict=True))


def test_empty_bulletins() -> None:
    assert not diff_revisions(snapshot(), snapshot()).changed
    assert diff_revisions(snapshot(), snapshot()).segments == ()
    added = diff_revisions(snapshot(), snapshot(TEXTS[0]))
    assert changes(added) == [("inserted", None, 0, False)]
    assert marked(added.segments[0].text) == [("insert", "", TEXTS[0])]
    removed = diff_revisions(snapshot(TEXTS[0], TEXTS[1]), snapshot())
    assert changes(removed) == [("deleted", 0, None, False), ("deleted", 1, None, False)]
    # A snapshot from before segments existed, or damaged, compares as empty rather than failing.
    assert changes(diff_revisions({"title": "Bản tin sáng"}, snapshot(TEXTS[0]))) == [("inserted", None, 0, False)]


def test_insert_at_the_top_is_one_insertion() -> None:
    diff = diff_revisions(snapshot(*TEXTS), snapshot("Thông báo khẩn: mất điện chiều nay.", *TEXTS))
    assert changes(diff) == [("inserted", None, 0, False)]
    assert [(s.old_index, s.new_index) for s in diff.segments[1:]] == [(i, i + 1) for i in range(len(TEXTS))]
    assert diff.count("inserted") == 1 and diff.count("changed") == 0 and diff.moved == 0


def test_deleting_from_the_middle_is_one_removal() -> None:
    diff = diff_revisions(snapshot(*TEXTS), snapshot(*TEXTS[:2], *TEXTS[3:]))
    assert changes(diff) == [("deleted", 2, None, False)]
    assert [s.status for s in diff.segments] == ["equal", "equal", "deleted", "equal", "equal"]  # where it was


def test_moving_a_segment_is_one_move() -> None:
    order = (TEXTS[3], *TEXTS[:3], TEXTS[4])  # the storm warning moved to the top
    diff = diff_revisions(snapshot(*TEXTS), snapshot(*order))
    assert changes(diff) == [("equal", 3, 0, True)]
    assert diff.moved == 1 and len(diff.segments) == len(TEXTS)
    assert [s.new_index for s in diff.segments] == [0, 1, 2, 3, 4]


def test_a_moved_and_edited_segment_is_one_move_with_its_word_changes() -> None:
    edited = TEXTS[3].replace("bão số 3", "bão số 4")
    diff = diff_revisions(snapshot(*TEXTS), snapshot(edited, *TEXTS[:3], TEXTS[4]))
    assert changes(diff) == [("changed", 3, 0, True)]
    assert marked(diff.segments[0].text) == [("replace", "3", "4")]


def test_word_change_inside_a_vietnamese_sentence() -> None:
    old = "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho trẻ em vào sáng thứ Hai."
    new = "Ủy ban nhân dân xã thông báo kế hoạch tiêm phòng cho trẻ em vào chiều thứ Hai."
    diff = diff_revisions(snapshot(TEXTS[0], old), snapshot(TEXTS[0], new))
    assert changes(diff) == [("changed", 1, 1, False)]
    ops = diff.segments[1].text
    assert marked(ops) == [("replace", "lịch", "kế hoạch"), ("replace", "sáng", "chiều")]
    assert "".join(op.old for op in ops) == old and "".join(op.new for op in ops) == new


def test_words_are_whole_syllables_with_their_tones() -> None:
    """A changed tone mark changes the word, not a letter inside it, and NFD text compares as NFC."""
    assert tokenize("Bà con, chú ý!") == ["Bà", " ", "con", ",", " ", "chú", " ", "ý", "!"]
    assert marked(diff_text("bà con thôn Đông", "bà còn thôn Đông")) == [("replace", "con", "còn")]
    decomposed = "Bà con thôn Đông".replace("à", "a\u0300")
    assert marked(diff_text(decomposed, "Bà con thôn Đông")) == []
    assert tokenize("សួស្តី បង") == ["សួស្តី", " ", "បង"]  # Khmer vowel signs and coeng stay in their word


def test_inserted_and_deleted_words_keep_their_spacing() -> None:
    ops = diff_text("Xin chào bà con.", "Xin kính chào toàn thể bà con thôn 5.")
    assert marked(ops) == [("insert", "", "kính "), ("insert", "", "toàn thể "), ("insert", "", " thôn 5")]
    assert marked(diff_text("Đề nghị bà con chú ý.", "Đề nghị chú ý.")) == [("delete", "bà con ", "")]
    assert marked(diff_text("một  hai", "một\nhai")) == [("replace", "  ", "\n")]  # a new line shows
    # An added sentence is marked as a whole sentence, not from the previous full stop to its own.
    assert marked(diff_text("Một. Hai.", "Một. Ba. Hai.")) == [("insert", "", " Ba.")]


def test_setting_change_with_defaults_filled_in() -> None:
    plain = SegmentDraft(TEXTS[0], PRESET)
    explicit_defaults = {"text": TEXTS[0], "preset_id": PRESET, "kind": "news", "source": "tts",
                         "gap": None, "crossfade": 0.0, "bed": None}
    assert "gap" not in plain.content()  # content() leaves defaults out …
    assert not diff_revisions(snapshot(plain), {**snapshot(), "segments": [explicit_defaults]}).changed  # … same

    timed = SegmentDraft(TEXTS[0], "vi-south-online", kind="greeting", gap=1.5, crossfade=0.5, bed=False)
    diff = diff_revisions(snapshot(plain), snapshot(timed))
    assert changes(diff) == [("changed", 0, 0, False)]
    segment = diff.segments[0]
    assert segment.settings == (
        SettingChange("preset_id", PRESET, "vi-south-online"), SettingChange("kind", "news", "greeting"),
        SettingChange("gap", None, 1.5), SettingChange("crossfade", 0.0, 0.5), SettingChange("bed", None, False))
    assert marked(segment.text) == []
    assert segment.old is not None and segment.old["bed"] is None and segment.new == {
        "preset_id": "vi-south-online", "kind": "greeting", "source": "tts", "gap": 1.5, "crossfade": 0.5,
        "bed": False, "take": None, "version_of": None}
    back = diff_revisions(snapshot(timed), snapshot(SegmentDraft(TEXTS[0], "vi-south-online", kind="greeting",
                                                                 gap=0.0, crossfade=0.5, bed=True)))
    assert back.segments[0].settings == (SettingChange("gap", 1.5, 0.0), SettingChange("bed", False, True))


def test_title_and_priority_changes() -> None:
    diff = diff_revisions(snapshot(*TEXTS), snapshot(*TEXTS, title="Bản tin khẩn", priority="emergency"))
    assert diff.settings == (SettingChange("title", "Bản tin sáng", "Bản tin khẩn"),
                             SettingChange("priority", "normal", "emergency"))
    assert diff.changed and not any(s.changed for s in diff.segments)


def test_unknown_top_level_and_segment_keys_are_compared_too() -> None:
    """A later version may add settings; an older studio still shows their changes (and a missing
    priority means the default one)."""
    old = {"title": "A", "segments": [{"text": "x", "preset_id": PRESET}]}
    new = {"title": "A", "priority": "normal", "zones": ["thôn 1"],
           "segments": [{"text": "x", "preset_id": PRESET, "speed": 1.1}]}
    diff = diff_revisions(old, new)
    assert diff.settings == (SettingChange("zones", None, ["thôn 1"]),)
    assert diff.segments[0].settings == (SettingChange("speed", None, 1.1),)


def test_replaced_segment_pairs_with_the_similar_one() -> None:
    """Two segments where one was: the edited one is a change, the other an insertion."""
    edited = TEXTS[1].replace("sáng", "chiều")
    diff = diff_revisions(snapshot(TEXTS[0], TEXTS[1], TEXTS[4]),
                          snapshot(TEXTS[0], "Mất điện từ 13 giờ đến 17 giờ.", edited, TEXTS[4]))
    assert changes(diff) == [("inserted", None, 1, False), ("changed", 1, 2, False)]
    assert marked(diff.segments[2].text) == [("replace", "sáng", "chiều")]


def test_a_200_kb_segment_is_compared() -> None:
    """Long texts go sentence by sentence first; this must finish in the suite, and be right."""
    rng = random.Random(5)
    words = " ".join(TEXTS).replace(".", "").replace(",", "").split()
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 18))) + "." for _ in range(6000)]
    old = " ".join(sentences)
    assert len(old.encode("utf-8")) > 200_000
    edited = list(sentences)
    edited[100] = edited[100].replace(".", " thêm.")
    edited[3000:3002] = []
    edited.insert(5000, "Câu mới chen vào giữa.")
    new = " ".join(edited)
    diff = diff_revisions(snapshot(old), snapshot(new))
    ops = diff.segments[0].text
    assert "".join(op.old for op in ops) == old and "".join(op.new for op in ops) == new
    assert [op.tag for op in ops if op.tag != "equal"] == ["insert", "delete", "insert"]
    assert marked(ops)[0] == ("insert", "", " thêm")
    assert marked(ops)[2] == ("insert", "", " Câu mới chen vào giữa.")

    unrelated = " ".join(rng.sample(sentences, len(sentences)))  # same words, nothing in the same order
    ops = diff_text(old, unrelated)
    assert "".join(op.old for op in ops) == old and "".join(op.new for op in ops) == unrelated
