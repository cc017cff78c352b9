"""The bulletin file's format on its own: a written file reads back the same, and nothing a file can contain —
random bytes, random JSON, a valid manifest with any one field changed, a valid file with bytes flipped — makes
the reader fail with anything but a message for the officer."""

from __future__ import annotations

import contextlib
import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.bundle.archive import open_bundle, write_bundle
from studio.bundle.manifest import (
    FORMAT,
    JINGLE_ROLES,
    BundleError,
    JingleEntry,
    Manifest,
    Member,
    TakeEntry,
    is_safe_name,
    member_name,
    size_text,
)
from studio.bundle.validate import parse_manifest
from studio.messages import StudioError
from studio.workflow.schedule import Schedule
from tests.bundles import sha256

CLEAN = b"RIFF" + bytes(range(256)) * 8
RAW = b"ID3\x03" + bytes(reversed(range(256))) * 5
JINGLE = b"RIFF" + b"\x01\x02" * 700


def _manifest() -> tuple[Manifest, dict[str, bytes]]:
    members = {member_name("takes", sha256(CLEAN), ".wav"): CLEAN, member_name("takes", sha256(RAW), ".MP3"): RAW,
               member_name("jingles", sha256(JINGLE), ".wav"): JINGLE}
    clean, raw, jingle = members
    draft = BulletinDraft("Thông báo lịch tiêm chủng\tthôn 3", 7, (
        SegmentDraft("Kính thưa bà con!\nSáng mai 7h30 tiêm chủng.", "vi-north-offline", "news", key="a" * 32,
                     gap=1.5),
        SegmentDraft("Nyob zoo txhua tus neeg.", "hnj-rpa-record", "notice", "recorded", take=sha256(CLEAN),
                     key="b" * 32, version_of="a" * 32, bed=False, crossfade=0.5),
    ), "priority", uid="c" * 32, state="approved",
        schedule=Schedule.from_content({"slots": [{"time": "05:30", "days": ["mon", "wed"]}],
                                        "valid_from": "2026-11-23", "valid_until": "2026-11-29",
                                        "zones": [{"id": "t3", "name": "Thôn 3"}], "repeat": 2}))
    manifest = Manifest(
        "1.4.0", "2026-11-23T08:00:00+00:00", "Lan", {"name": "Đài xã", "commune": "Xã A", "province": ""}, draft,
        (TakeEntry("b" * 32, clean, raw, 1500, -3.0, -20.5, False, "booth", {"chain": 1, "denoise": None},
                   "2026-11-22T10:00:00+00:00", "lan", "Lời chào"),),
        (JingleEntry("opening", "opening-0123456789abcdef", False, "Nhạc hiệu", "opening", jingle),
         JingleEntry("closing", "shipped-closing", True, "closing", "closing"), JingleEntry("stinger", "", False)),
        ("notice",), tuple(Member(path, len(data), sha256(data)) for path, data in members.items()))
    return manifest, members


def _write(folder: Path) -> tuple[Path, Manifest]:
    manifest, members = _manifest()
    sources = {}
    for number, (path, data) in enumerate(members.items()):
        sources[path] = folder / f"source-{number}"
        sources[path].write_bytes(data)
    out = folder / "thong-bao.bantin"
    write_bundle(out, manifest, sources)
    return out, manifest


def test_a_written_file_reads_back_as_written(tmp_path: Path) -> None:
    path, manifest = _write(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    work = tmp_path / "work"
    work.mkdir()
    with open_bundle(path) as opened:
        assert opened.manifest.to_json() == manifest.to_json()
        assert opened.manifest.bulletin.content() == manifest.bulletin.content()
        files = opened.extract(work)
    assert {name: file.read_bytes() for name, file in files.items()} == _manifest()[1]
    assert {file.parent for file in files.values()} == {work}  # named by the studio, never by the zip
    assert opened.manifest.identity() == manifest.identity()


def test_member_names_cannot_point_anywhere_else() -> None:
    for name in ("takes/a.wav", "manifest.json", "jingles/x/y.wav"):
        assert is_safe_name(name)
    for name in ("", "/etc/passwd", "../x", "takes/../../x", "takes\\..\\x", "C:/x", "c:x", "takes//x", "./x",
                 "takes/x\x00.wav", "takes/\x1b.wav", "a" * 256):
        assert not is_safe_name(name), name
    assert member_name("takes", "f" * 64, ".M4A") == f"takes/{'f' * 64}.m4a"
    assert member_name("takes", "f" * 64, ".weird suffix") == f"takes/{'f' * 64}.bin"
    assert (size_text(800), size_text(40 << 10), size_text(3 << 20), size_text(600 << 20)) == (
        "800 bytes", "40 KB", "3.0 MB", "600 MB")


def test_the_roles_are_the_jingle_librarys_categories() -> None:
    from studio.audio.jingles import CATEGORIES

    assert JINGLE_ROLES == CATEGORIES


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                 max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_random_json_is_refused_as_a_message(document: Any) -> None:
    with pytest.raises(BundleError):
        parse_manifest(json.dumps(document).encode("utf-8"), "x.bantin")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


_VALID = _manifest()[0].to_json()
_PLACES = _paths(_VALID)[1:]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_PLACES), _JSON | st.text(max_size=300) | st.integers(min_value=-2**70, max_value=2**70),
       st.booleans())
def test_any_changed_field_is_refused_as_a_message_or_read(place: tuple[Any, ...], value: Any, delete: bool) -> None:
    document = copy.deepcopy(_VALID)
    parent = document
    for step in place[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[place[-1]]
    else:
        parent[place[-1]] = value
    with contextlib.suppress(BundleError):  # anything else fails the test
        parse_manifest(json.dumps(document, ensure_ascii=False).encode("utf-8"), "x.bantin")


@pytest.mark.parametrize("text", [b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b'{"format": NaN}',
                                  b'{"a": 1, "a": 2}', json.dumps({"format": FORMAT, "version": True}).encode()])
def test_malformed_manifests_are_damaged(text: bytes) -> None:
    with pytest.raises(BundleError) as caught:
        parse_manifest(text, "x.bantin")
    assert caught.value.problem in ("manifest", "not-bundle")


def _open_and_extract(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.bantin"
        path.write_bytes(data)
        work = Path(folder) / "work"
        work.mkdir()
        with contextlib.suppress(StudioError), open_bundle(path) as opened:  # anything else fails the test
            opened.extract(work)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000) | st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b))
def test_random_bytes_are_refused_as_a_message(data: bytes) -> None:
    _open_and_extract(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), min_size=1,
                max_size=8), st.integers(min_value=0))
def test_a_valid_file_with_bytes_flipped_or_cut_is_refused_as_a_message(tmp_path: Path, flips: list[tuple[int, int]],
                                                                        cut: int) -> None:
    folder = tmp_path / "valid"
    if not folder.exists():
        folder.mkdir()
        _write(folder)
    data = bytearray((folder / "thong-bao.bantin").read_bytes())
    for offset, mask in flips:
        data[offset % len(data)] ^= mask
    _open_and_extract(bytes(data[: len(data) - cut % 64]))
