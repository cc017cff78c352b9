"""The pronunciation rules dialog under arbitrary typing (hypothesis): whatever the officer types in the
table comes back, row for row, when the saved file is opened again, and a row the loader does not use is
never left without a reason in its check column."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studio.services import Studio
from studio.text.lexicon import parse_lexicon
from studio.ui.lexicon_dialog import KIND_OPTIONS, LexiconDialog, read_rows
from studio.ui.tasks import TaskRunner

WORDS = ["Krông Pắc", "Krông Pắk", "ĐBP", "Điện Biên Phủ", "thôn", "QL", "1A", "#", "số", "x", "Mường"]
cells = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join),
    st.text(max_size=25),  # anything at all, pasted: tabs, line breaks, "#", controls, marks
)
def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


rows = st.lists(st.tuples(cells, cells, st.sampled_from(list(KIND_OPTIONS))), max_size=6)


@pytest.fixture
def dialog(qtbot, studio: Studio, runner: TaskRunner) -> Iterator[LexiconDialog]:
    opened = LexiconDialog(studio, runner, studio.station().default_preset)
    qtbot.addWidget(opened)
    yield opened
    opened.dirty = False  # nothing to confirm on close


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows)
@example([("#(\\d+)", "số \\1", "regex")])  # "#" first: the file would read the rule as a comment
@example([("Hashtag", "thăng #1", "word")])  # " #" starts a comment in a replacement
@example([("#khẩn", "khẩn", "word")])
def test_what_the_officer_types_survives_the_file(dialog: LexiconDialog, typed: list[tuple[str, str, str]]) -> None:
    dialog.table.selectAll()
    dialog.remove_selected()  # the previous example's rows, removed as the officer would
    for source, replacement, kind in typed:
        dialog.add_rule(source, replacement, kind)
    shown = [dialog.rule_row(row) for row in range(dialog.table.rowCount())]
    kept = [row for row in shown if row[0] or row[1]]  # a row left empty is not a rule
    text = dialog.file_text()

    if dialog.save_button.isEnabled():
        assert read_rows(text) == kept  # what the dialog shows after opening the saved file again
        load = parse_lexicon(text)
        used = {(rule.source, rule.replacement) for rule in load.lexicon.rules}
        for row, (source, replacement, _kind) in enumerate(shown):
            if not (source or replacement) or (nfc(source), nfc(replacement)) in used:
                continue
            replaced_by = [later for later in range(row + 1, len(shown))
                           if nfc(shown[later][0]).lower() == nfc(source).lower() and dialog.check_text(later)]
            assert dialog.check_text(row) or replaced_by, f"row {row} is not used and says nothing: {shown[row]}"
    else:  # a row the file cannot hold as typed: the officer is told which, and nothing is written
        assert any(dialog.check_text(row) for row in range(len(shown)))
        assert dialog.message.isVisibleTo(dialog) and dialog.message.text()
