"""The shared PostgreSQL server goes away mid-session and comes back: the officer's text is never lost."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from studio.paths import StudioPaths
from studio.services import Studio
from tests.gui.conftest import open_window

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared_studio(studio_paths: StudioPaths, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    monkeypatch.setenv("STUDIO_DATABASE_URL", postgres_url)
    opened = Studio.open(studio_paths)
    opened.ensure_library()
    yield opened
    opened.close()


def _connections(server: str, database: str, allowed: bool) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                         {"name": database})
    admin.dispose()


def test_text_typed_while_the_server_is_away_is_kept_and_saved_when_it_returns(
        qtbot, shared_studio: Studio, postgres_url: str, postgres_server: str) -> None:
    studio = shared_studio
    window = open_window(qtbot, studio)
    bulletin_id = window.editor.bulletin_id
    name = postgres_url.rsplit("/", 1)[1]
    _connections(postgres_server, name, allowed=False)
    try:
        window.editor.title.setText("Gõ khi máy chủ mất kết nối")
        window.save_action.trigger()
        qtbot.waitUntil(lambda: window.saver.state == "failed", timeout=20_000)
        assert "database" in window.banner.text.lower()
        assert window.editor.title.text() == "Gõ khi máy chủ mất kết nối"  # still on screen
        copy = window.saver.local_copy(window.editor.current_draft())
        qtbot.waitUntil(copy.exists, timeout=5000)  # written on the journal's thread
        assert json.loads(copy.read_text(encoding="utf-8"))["content"]["title"] == "Gõ khi máy chủ mất kết nối"
    finally:
        _connections(postgres_server, name, allowed=True)
    window.check_for_changes()  # the periodic check finds the server again and saves
    qtbot.waitUntil(lambda: window.saver.state == "clean", timeout=20_000)
    assert studio.repo.load(bulletin_id).title == "Gõ khi máy chủ mất kết nối"
    qtbot.waitUntil(lambda: not copy.exists(), timeout=5000)  # forgotten on the journal's thread, after the save
    window.close()
    window.runner.shutdown()
