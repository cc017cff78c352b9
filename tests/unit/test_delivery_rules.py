"""Pure delivery rules: the backoff schedule, and what an installer's target settings must contain."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from studio.delivery.outbox import Backoff
from studio.delivery.target import DeliveryError, temp_name
from studio.delivery.targets import (
    BAD_PORT,
    BAD_URL,
    CA_MISSING,
    NEED_HOST,
    NO_SECRET,
    TargetSettings,
    build_target,
    describe,
    validate_config,
)


def test_backoff_doubles_up_to_its_cap_with_jitter_below_the_full_delay() -> None:
    backoff = Backoff(base=10, cap=900, emergency_base=2, emergency_cap=60)
    rng = random.Random(1)
    delays = [backoff.delay(attempt, rank=2, rng=rng) for attempt in range(1, 12)]
    fulls = [min(900, 10 * 2 ** (attempt - 1)) for attempt in range(1, 12)]
    assert all(full / 2 <= delay <= full for delay, full in zip(delays, fulls, strict=True))
    assert max(delays) <= 900 and delays[-1] >= 450  # capped, but still long after many failures
    assert max(backoff.delay(attempt, rank=0, rng=rng) for attempt in range(1, 30)) <= 60  # emergencies
    many = {round(backoff.delay(5, rank=2), 3) for _ in range(50)}
    assert len(many) > 40, "studios would retry in step"


def test_temporary_names_are_hidden_and_tied_to_the_content() -> None:
    assert temp_name("abc.mp3", "0123456789abcdef" * 4) == ".abc.0123456789ab.mp3.part"
    assert temp_name("abc.mp3", "f" * 64) != temp_name("abc.mp3", "0" * 64)


@pytest.mark.parametrize(("kind", "config", "problem"), [
    ("sftp", {"host": "", "username": "loa"}, NEED_HOST),
    ("ftp", {"host": "10.0.0.5", "username": "loa", "port": 70000}, BAD_PORT),
    ("ftps", {"host": "10.0.0.5", "username": "loa", "port": "21"}, BAD_PORT),
    ("http", {"url": "ftp://10.0.0.5/"}, BAD_URL),
    ("http", {"url": "https://10.0.0.5/", "ca_file": "/nowhere/ca.pem"}, CA_MISSING),
])
def test_unusable_settings_are_named(kind: str, config: dict[str, object], problem: str) -> None:
    found = validate_config("loa", kind, config)
    assert [p.text for p in found][:1] == [problem]
    assert "loa" in str(found[0])
    with pytest.raises(DeliveryError) as caught:
        build_target(TargetSettings("loa", kind, config), "secret")
    assert caught.value.text == problem and not caught.value.retryable


def test_a_server_target_without_a_password_on_this_pc_needs_a_person(tmp_path: Path) -> None:
    settings = TargetSettings("loa", "ftp", {"host": "10.0.0.5", "username": "loa"})
    assert validate_config(settings.name, settings.kind, settings.config) == []
    with pytest.raises(DeliveryError) as caught:
        build_target(settings, None)
    assert caught.value.text == NO_SECRET and not caught.value.retryable
    assert build_target(TargetSettings("share", "folder", {"path": str(tmp_path)}), None) is not None


def test_descriptions_never_show_a_secret() -> None:
    assert describe(TargetSettings("a", "http", {"url": "https://user:pw@ctl.example:8443/studio"})) == \
        "https://ctl.example:8443/studio"
    assert describe(TargetSettings("b", "sftp", {"host": "10.0.0.5", "username": "loa", "folder": "/in"})) == \
        "sftp://loa@10.0.0.5:22/in"
