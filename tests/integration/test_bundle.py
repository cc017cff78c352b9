"""Bulletin files (.bantin) between two libraries: what travels, how it sounds on the other PC, and every
kind of damaged, unsafe or oversized file refused before the library changes."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.bundle.archive import MEDIA_DAMAGED
from studio.bundle.manifest import BundleError, Limits
from studio.bundle.transfer import (
    ALREADY_IMPORTED,
    IMPORT_ACTION,
    JINGLES_DIFFER,
    export_bundle,
    import_bundle,
    use_station_jingles,
)
from studio.messages import DISK_FULL, Cancelled, StudioError
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.phrases import PhraseInfo
from studio.store.takes import TakeInfo
from studio.tasks import CancelToken
from studio.workflow.accounts import Role
from studio.workflow.states import Action
from tests.bundles import pcm_sha256, read_manifest, rewrite, sha256, tone

PASSWORD = "mật khẩu đủ dài"


def open_studio(home: Path) -> Studio:
    studio = Studio.open(StudioPaths.under(home).ensure())
    studio.ensure_station()
    return studio


def add_take(studio: Studio, bulletin_id: int, key: str, folder: Path, frequency: int) -> TakeInfo:
    """A take as the booth keeps it: the raw recording and its cleaned copy, both in the media library."""
    raw = tone(folder / f"raw-{frequency}.wav", frequency, 1.7)
    clean = tone(folder / f"clean-{frequency}.wav", frequency, 1.5)
    raw_sha, raw_relpath, _ = studio.media.put(raw, ".wav")
    sha, relpath, _ = studio.media.put(clean, ".wav")
    return studio.takes.add(bulletin_id=bulletin_id, segment_key=key, sha256=sha, relpath=relpath,
                            raw_sha256=raw_sha, raw_relpath=raw_relpath, duration_ms=1500, peak_dbfs=-8.0,
                            rms_dbfs=-11.0, clipped=False, source="import", cleanup={"chain": 1, "trim": True},
                            actor="lan")


def make_source(studio: Studio, folder: Path) -> tuple[BulletinDraft, TakeInfo, str]:
    """A bilingual notice: Vietnamese read by the offline voice, H'Mông from its chosen take (a second take is
    kept too), framed by the station's own opening jingle."""
    station = studio.station()
    jingle = studio.jingles.import_file(tone(folder / "nhac-hieu.wav", 660, 2.0, 44100), "opening", "Nhạc hiệu xã")
    studio.set_station_jingle("opening", jingle.id)
    draft = studio.save_bulletin(BulletinDraft("Thông báo tiêm chủng", station.id, (
        SegmentDraft("Kính thưa bà con, sáng mai tiêm chủng.", "vi-north-offline", "news"),
        SegmentDraft("Nyob zoo txhua tus neeg.", "hnj-rpa-record", "notice"),
    ), schedule=studio.new_schedule(station)))
    assert draft.id is not None
    key = draft.segments[1].key
    chosen = add_take(studio, draft.id, key, folder, 440)
    add_take(studio, draft.id, key, folder, 550)
    return studio.choose_take(draft.id, key, chosen.sha256), chosen, jingle.id


def render_in_own_process(home: Path, bulletin_id: int, out: Path, user: str | None = None) -> Path:
    env = {**os.environ, "STUDIO_LANG": "en", "STUDIO_PASSWORD": PASSWORD}
    env.pop("STUDIO_DATABASE_URL", None)
    login = ["--user", user] if user else []
    done = subprocess.run([sys.executable, "-m", "studio", "--data-dir", str(home), *login, "render",
                           str(bulletin_id), "-o", str(out)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def library_state(studio: Studio) -> tuple[Any, ...]:
    """Everything an import could leave behind: files (database aside), bulletins, audit entries, jingles."""
    home = studio.paths.data.parent
    files = sorted(str(p.relative_to(home)) for p in home.rglob("*")
                   if p.is_file() and "logs" not in p.parts and not p.name.startswith("studio.sqlite3"))
    folders = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_dir())
    return (files, folders, [b.id for b in studio.repo.list_bulletins()], len(studio.repo.audit_entries()),
            [j.id for j in studio.jingles.list()])


@dataclass
class Exported:
    studio: Studio
    bulletin_id: int
    path: Path
    take: TakeInfo
    jingle_id: str


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    root = tmp_path_factory.mktemp("source")
    studio = open_studio(root / "home")
    draft, take, jingle_id = make_source(studio, root)
    assert draft.id is not None
    result = export_bundle(studio, draft.id, root / "Thông báo tiêm chủng")
    yield Exported(studio, draft.id, result.path, take, jingle_id)
    studio.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Studio]:
    studio = open_studio(tmp_path / "other-pc")
    yield studio
    studio.close()


# --- what travels ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_bulletin_moves_to_another_pc_and_renders_sample_identical(tmp_path: Path) -> None:
    source = open_studio(tmp_path / "commune-office")
    target = open_studio(tmp_path / "officer-laptop")
    try:
        draft, take, _ = make_source(source, tmp_path)
        assert draft.id is not None
        admin = source.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
        source.signed_in = admin  # the bulletin was written by the studio itself: the administrator may approve
        source.review(draft.id, Action.SUBMIT, version=draft.version)
        source.review(draft.id, Action.APPROVE, version=draft.version)
        exported = export_bundle(source, draft.id, tmp_path / "usb" / "Thông báo.bantin")
        assert exported.path.name == "Thông báo.bantin" and exported.takes == 2 and exported.jingles == 1

        result = import_bundle(target, exported.path, use_jingles=True)
        copy = result.bulletin
        assert copy.id is not None and not result.already and not result.jingles_differ
        assert copy.uid != draft.uid and copy.title == draft.title and copy.schedule == draft.schedule
        assert copy.content() == draft.content()  # text, voices, timing and chosen take, exactly
        status = target.reviews.status(copy.id)
        assert status.state.value == "draft" and status.approved_hash is None  # the approval stayed behind
        key = copy.segments[1].key
        assert [t.sha256 for t in target.takes.of_segment(copy.id, key)] == [
            t.sha256 for t in source.takes.of_segment(draft.id, key)]  # every take, newest first
        kept = target.takes.of_segment(copy.id, key)[1]
        assert target.media.path(kept.raw_relpath).read_bytes() == source.media.path(take.raw_relpath).read_bytes()
        [entry] = [e for e in target.repo.audit_entries() if e.action == IMPORT_ACTION]
        assert entry.subject == f"bulletin:{copy.uid}"
        assert (entry.details["file"], entry.details["from_state"], entry.details["exported_by"]) == (
            "Thông báo.bantin", "approved", "quantri")

    finally:
        source.close()
        target.close()
    # Each PC renders in a process of its own, as two PCs do (eSpeak NG's output also depends on what the
    # same process spoke before, so two renders in one process need not match even on one PC).
    here = render_in_own_process(tmp_path / "commune-office", draft.id, tmp_path / "here.mp3", user="quantri")
    there = render_in_own_process(tmp_path / "officer-laptop", copy.id, tmp_path / "there.mp3")
    assert json.loads(there.with_suffix(".json").read_text(encoding="utf-8"))["segments"][1]["source"] == "recorded"
    assert pcm_sha256(there) == pcm_sha256(here)


def test_importing_the_same_file_again_finds_the_first_copy(exported: Exported, target: Studio) -> None:
    first = import_bundle(target, exported.path)
    media = sorted(p for p in target.paths.media.rglob("*") if p.is_file())
    again = import_bundle(target, exported.path)
    assert again.already and again.bulletin.id == first.bulletin.id
    assert again.notices[0].text == ALREADY_IMPORTED and again.notices[0].args["number"] == str(first.bulletin.id)
    assert sorted(p for p in target.paths.media.rglob("*") if p.is_file()) == media  # no audio twice
    assert len(target.repo.list_bulletins()) == 1
    assert first.bulletin.id is not None
    target.delete_bulletin(first.bulletin.id)
    third = import_bundle(target, exported.path)  # deleted meanwhile: the file makes a bulletin again
    assert not third.already and third.bulletin.uid != first.bulletin.uid
    assert sorted(p for p in target.paths.media.rglob("*") if p.is_file()) == media


def test_the_station_keeps_its_own_jingles_unless_asked(exported: Exported, target: Studio) -> None:
    result = import_bundle(target, exported.path)
    assert result.jingles_differ and any(n.text == JINGLES_DIFFER for n in result.notices)
    assert target.station().opening_jingle == "opening"  # untouched …
    opening = dict(result.jingles)["opening"]
    imported = target.jingles.get(opening)  # … but the sender's jingle is in the library, under its name
    assert (imported.name, imported.category, imported.shipped) == ("Nhạc hiệu xã", "opening", False)
    station = use_station_jingles(target, result.jingles, result.bed_kinds)
    assert station.opening_jingle == opening and station.closing_jingle == "shipped-closing"
    assert not import_bundle(target, exported.path).jingles_differ


def test_the_manifest_lists_what_travels_and_references_shipped_jingles(exported: Exported) -> None:
    manifest = read_manifest(exported.path)
    assert (manifest["format"], manifest["version"]) == ("commune-radio-studio/bulletin", 1)
    assert manifest["bulletin"]["state"] == "draft" and len(manifest["takes"]) == 2
    choices = {c["role"]: c for c in manifest["jingles"]["choices"]}
    assert choices["opening"]["file"] and not choices["opening"]["shipped"]
    assert choices["closing"] == {"role": "closing", "id": "shipped-closing", "shipped": True, "name": "closing",
                                  "category": "closing", "file": None}
    with zipfile.ZipFile(exported.path) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["manifest.json", *(m["path"] for m in manifest["members"])])
        assert not any(n.startswith("jingles/") and "closing" in n for n in names)  # the studio's own: by id
        for member in manifest["members"]:
            assert sha256(archive.read(member["path"])) == member["sha256"]
            assert archive.getinfo(member["path"]).file_size == member["size"]


# --- refused files ------------------------------------------------------------------------------------------
def _first_member(manifest: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = manifest["members"][0]
    return member


def _symlink() -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo("takes/link.wav")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, b"/etc/passwd"


def _flip_member_bytes(path: Path) -> None:
    """Garble 64 bytes inside a stored take (its CRC no longer matches)."""
    with zipfile.ZipFile(path) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("takes/"))
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 26)
        name_length, extra_length = struct.unpack("<HH", handle.read(4))
        offset = info.header_offset + 30 + name_length + extra_length + 200
        handle.seek(offset)
        data = handle.read(64)
        handle.seek(offset)
        handle.write(bytes(b ^ 0x5A for b in data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


Variant = Callable[[Path, Path], None]


def _variants() -> dict[str, tuple[Variant, str]]:
    def edit(**kwargs: Any) -> Variant:
        def make(src: Path, dst: Path) -> None:
            rewrite(src, dst, **kwargs)
        return make

    def member_bytes(transform: Callable[[bytes], bytes]) -> Variant:
        def make(src: Path, dst: Path) -> None:
            name = _first_member(read_manifest(src))["path"]
            with zipfile.ZipFile(src) as archive:
                data = archive.read(name)
            rewrite(src, dst, replace={name: transform(data)})
        return make

    def then(action: Callable[[Path], None]) -> Variant:
        def make(src: Path, dst: Path) -> None:
            dst.write_bytes(src.read_bytes())
            action(dst)
        return make

    def missing(src: Path, dst: Path) -> None:
        rewrite(src, dst, drop=(_first_member(read_manifest(src))["path"],))

    return {
        "path traversal": (edit(extra={"../../evil.wav": b"x"}), "unsafe"),
        "absolute path": (edit(extra={"/tmp/evil.wav": b"x"}), "unsafe"),
        "backslash": (edit(extra={"takes\\..\\..\\evil.wav": b"x"}), "unsafe"),
        "drive letter": (edit(extra={"C:/Windows/evil.wav": b"x"}), "unsafe"),
        "symlink entry": (edit(extra={"link": _symlink()}), "unsafe"),
        "traversal listed in the manifest": (edit(manifest=lambda m: _first_member(m).update(
            path="takes/../../" + _first_member(m)["path"])), "unsafe"),
        "unlisted member": (edit(extra={"takes/" + "ab" * 32 + ".wav": b"RIFF"}), "unlisted"),
        "missing member": (missing, "missing"),
        "hash mismatch": (member_bytes(lambda data: data[:100] + bytes(b ^ 1 for b in data[100:200]) + data[200:]),
                          "hash"),
        "size mismatch": (member_bytes(lambda data: data + b"\0" * 10), "size"),
        "size listed wrongly": (edit(manifest=lambda m: _first_member(m).update(size=_first_member(m)["size"] - 1)),
                                "size"),
        "corrupt member": (then(_flip_member_bytes), "corrupt"),
        "truncated file": (then(_truncate), "corrupt"),
        "newer format": (edit(manifest=lambda m: m.update(version=2, studio_version="9.0")), "newer"),
        "another format": (edit(manifest=lambda m: m.update(format="something-else")), "not-bundle"),
        "no manifest": (edit(drop=("manifest.json",)), "not-bundle"),
        "manifest not JSON": (edit(replace={"manifest.json": b"{\"format\": "}), "manifest"),
        "text changed after export": (edit(manifest=lambda m: m["bulletin"].update(title="Đã sửa")), "manifest"),
        "duplicate entry": (edit(extra={"manifest.json": b"{}"}), "duplicate"),
        "not a zip": (lambda _src, dst: tone(dst.with_suffix(".wav"), 440, 0.5).rename(dst) and None, "not-bundle"),
    }


VARIANTS = _variants()


@pytest.mark.parametrize("case", list(VARIANTS))
def test_a_damaged_or_unsafe_file_is_refused_and_changes_nothing(case: str, exported: Exported, target: Studio,
                                                                 tmp_path: Path) -> None:
    make, problem = VARIANTS[case]
    bad = tmp_path / "bad.bantin"
    make(exported.path, bad)
    before = library_state(target)
    with pytest.raises(BundleError) as caught:
        import_bundle(target, bad)
    assert caught.value.problem == problem
    assert "bad.bantin" in caught.value.translated() and caught.value.hint
    assert library_state(target) == before


def test_a_newer_file_says_so_in_plain_words(exported: Exported, target: Studio, tmp_path: Path) -> None:
    bad = rewrite(exported.path, tmp_path / "moi.bantin", manifest=lambda m: m.update(version=7,
                                                                                      studio_version="3.1"))
    with pytest.raises(BundleError) as caught:
        import_bundle(target, bad)
    assert caught.value.translated() == (
        "The bulletin file “moi.bantin” was made by a newer version of the studio (3.1).\n"
        "Update the studio on this PC, then import the file again.")


@pytest.mark.parametrize("limits", [Limits(member_bytes=50_000), Limits(total_bytes=200_000),
                                    Limits(manifest_bytes=1000)], ids=["member", "total", "manifest"])
def test_limits_refuse_a_file_before_anything_is_unpacked(limits: Limits, exported: Exported, target: Studio) -> None:
    before = library_state(target)
    with pytest.raises(BundleError) as caught:
        import_bundle(target, exported.path, limits=limits)
    assert caught.value.problem == "too-large" and "at most" in caught.value.translated()
    assert library_state(target) == before


def test_a_zip_bomb_ends_at_its_declared_size(exported: Exported, target: Studio, tmp_path: Path) -> None:
    """64 MiB of zeros compress to 64 KiB. Listed honestly, it is over the member limit; listed as smaller than
    the zip says, it is damaged. Either way it is refused before a byte is unpacked."""
    zeros = b"\0" * (64 << 20)
    digest = sha256(zeros)
    name = f"takes/{digest}.wav"
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    old = read_manifest(exported.path)["takes"][0]["raw_file"]  # the first take's raw recording: the bomb now

    def listing(size: int) -> Callable[[dict[str, Any]], None]:
        def edit(manifest: dict[str, Any]) -> None:
            manifest["takes"][0]["raw_file"] = name
            manifest["members"] = [m for m in manifest["members"] if m["path"] != old]
            manifest["members"].append({"path": name, "size": size, "sha256": digest})
        return edit

    for listed, limits, problem in ((len(zeros), Limits(member_bytes=1 << 20), "too-large"),
                                    (1000, Limits(), "size")):
        bomb = rewrite(exported.path, tmp_path / f"bomb-{listed}.bantin", manifest=listing(listed), drop=(old,),
                       extra={name: (info, zeros)})
        assert bomb.stat().st_size < 2 << 20
        before = library_state(target)
        started = time.monotonic()
        with pytest.raises(BundleError) as caught:
            import_bundle(target, bomb, limits=limits)
        assert caught.value.problem == problem
        assert time.monotonic() - started < 2.0
        assert library_state(target) == before


# --- writing ------------------------------------------------------------------------------------------------
def test_an_export_missing_a_recording_writes_nothing(tmp_path: Path) -> None:
    studio = open_studio(tmp_path / "home")
    try:
        draft, take, _ = make_source(studio, tmp_path)
        assert draft.id is not None
        out = tmp_path / "out"
        out.mkdir()
        studio.media.path(take.raw_relpath).unlink()
        with pytest.raises(StudioError) as caught:
            export_bundle(studio, draft.id, out / "x.bantin")
        assert caught.value.text == MEDIA_DAMAGED
        token = CancelToken()
        token.cancel()
        studio.media.put(tmp_path / "raw-440.wav", ".wav")  # the raw recording back
        with pytest.raises(Cancelled):
            export_bundle(studio, draft.id, out / "x.bantin", cancel=token)
        assert list(out.iterdir()) == []  # no file, no half file, no temporary file
    finally:
        studio.close()


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "64k") -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("a small tmpfs cannot be mounted here (not root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_leaves_no_half_file_and_says_so(exported: Exported, tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "usb-stick") as stick:
        with pytest.raises(StudioError) as caught:
            export_bundle(exported.studio, exported.bulletin_id, stick / "Thông báo.bantin")
        assert caught.value.text == DISK_FULL
        assert list(stick.iterdir()) == []
    home = tmp_path / "full-pc"
    paths = StudioPaths(data=home / "data", cache=home / "cache", config=home / "config", logs=home / "logs")
    with tiny_disk(paths.cache, "96k"):
        studio = Studio.open(paths.ensure())
        try:
            studio.ensure_station()
            before = library_state(studio)
            with pytest.raises(StudioError) as caught:
                import_bundle(studio, exported.path)
            assert caught.value.text == DISK_FULL
            assert library_state(studio) == before
        finally:
            studio.close()


def test_a_phrase_bank_recording_travels_as_a_take_of_its_segment(tmp_path: Path, target: Studio) -> None:
    studio = open_studio(tmp_path / "office")
    try:
        station = studio.station()
        phrase = studio.phrases.save(PhraseInfo(None, station.id, "hnj-rpa-record", "Lời chào", "greeting",
                                                "Nyob zoo"), actor=studio.actor)
        assert phrase.id is not None
        clean = tone(tmp_path / "chao.wav", 330, 1.2)
        sha, relpath, _ = studio.media.put(clean, ".wav")
        take = studio.takes.add(bulletin_id=None, phrase_id=phrase.id, segment_key=f"phrase-{phrase.id}",
                                sha256=sha, relpath=relpath, raw_sha256=sha, raw_relpath=relpath, duration_ms=1200,
                                peak_dbfs=-6.0, rms_dbfs=-18.0, clipped=False, source="booth", cleanup={},
                                actor="lan")
        draft = studio.save_bulletin(BulletinDraft("Chào bà con", station.id, (
            SegmentDraft("Nyob zoo", "hnj-rpa-record", "greeting", "phrase", take=take.sha256),)))
        assert draft.id is not None
        path = export_bundle(studio, draft.id, tmp_path / "chao").path
    finally:
        studio.close()
    [entry] = read_manifest(path)["takes"]
    assert entry["phrase"] == "Lời chào" and entry["segment"] == draft.segments[0].key
    copy = import_bundle(target, path).bulletin
    assert copy.id is not None
    [kept] = target.takes.of_segment(copy.id, copy.segments[0].key)
    assert kept.sha256 == take.sha256 and target.take_path(take.sha256) is not None
    assert target.phrases.phrases(target.station().id) == []  # the recording travels, not the phrase bank entry
