"""kill -9 at random moments, twenty rounds each, while editing, rendering and uploading: nothing is lost.

After every kill the library must open (SQLite's integrity check, then the studio's own open with its
migrations and the audit chain), hold exactly what the killed process reported as done, and show nothing
half-written: no revision, render, file or delivery that is not whole. Half of the moments are random
delays; the others are the instants the tests know to be delicate (a file landing under its final name, a
temporary file appearing, the database being written), which random delays alone would rarely hit. The
seed is printed; ``STUDIO_FAULT_SEED`` repeats a run's choices (see :mod:`tests.fault.harness`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import select

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.delivery.package import sidecar_bytes
from studio.journal import Journal
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.models import MediaAsset, Render
from studio.store.outbox import RANKS, Job, JobState
from studio.store.repo import TargetInfo
from studio.tags.sidecar import Approval, AudioFacts, build_sidecar
from tests.fault.harness import (
    Child,
    Moment,
    all_files,
    check_sqlite,
    decodes_completely,
    digest,
    fault_seed,
    names,
    round_report,
    sha256_file,
    signature,
)
from tests.integration.outbox_helpers import (
    Loudness,
    People,
    approve,
    approved_bulletin,
    make_people,
    payload,
    runner,
)
from tests.servers.ftp_server import ftp_server
from tests.servers.http_receiver import running_receiver
from tests.servers.sftp_server import sftp_server

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork")]
ROUNDS = 20
ROOT = Path(__file__).resolve().parents[2]
SIDECAR_SCHEMA = json.loads((ROOT / "docs" / "sidecar.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def own_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)


# --- a. editing ---------------------------------------------------------------------------------------------


def test_every_committed_save_survives_a_kill_while_editing(tmp_path: Path) -> None:
    """The editor and its SaveController (autosave, the typing journal, Ctrl+S, saving before another bulletin
    opens) in a child that types, deletes, adds, moves and removes segments until it is killed. Each save it
    was told about is a revision, exactly; every revision and journal copy is a state the screen showed."""
    seed = fault_seed("editing")
    rng = random.Random(seed)
    paths = StudioPaths.under(tmp_path / "home")
    studio = Studio.open(paths)
    studio.ensure_library()
    station = studio.station()
    ids = [1]
    for title, text in (("Thông báo lịch cắt điện", "Điện lực xã cắt điện từ 7h30 đến 11h ngày 25/11."),
                        ("Tin thể thao", "Giải bóng chuyền hơi các thôn khai mạc chiều Chủ nhật.")):
        saved = studio.save_bulletin(BulletinDraft(title, station.id, (SegmentDraft(text, "vi-north-offline", "news"),),
                                                   schedule=studio.new_schedule(station)))
        assert saved.id is not None
        ids.append(saved.id)
    seen = {digest(studio.repo.load(i).content()) for i in ids}  # every state a screen showed
    studio.close()
    committed: list[dict[str, Any]] = []
    wal = paths.database_file.with_name(paths.database_file.name + "-wal")
    journal = paths.data / "unsaved"
    moments: list[Callable[[], Moment]] = [
        lambda: Moment("random", rng.uniform(0.1, 2.0)),
        lambda: Moment("random", rng.uniform(0.1, 2.0)),
        lambda: Moment("the database is written", 2.0,
                       lambda: (signature(wal), signature(paths.database_file)), after=rng.uniform(0, 1.2)),
        lambda: Moment("the journal is written", 2.0, lambda: names(journal), after=rng.uniform(0, 1.2)),
    ]
    for number in range(ROUNDS):
        what: list[str] = []
        with round_report(seed, number, what):
            folder = tmp_path / f"round-{number:02}"
            folder.mkdir()
            child = Child("edit", folder, str(paths.data.parent), str(folder / "edit.jsonl"),
                          rng.randrange(1 << 32), ids).start()
            what.append(child.kill_at(rng.choice(moments)()))
            lines = child.lines()
            assert [line["text"] for line in lines if line["kind"] == "problem"] == []
            seen |= {digest(line["content"]) for line in lines if line["kind"] in ("state", "committed")}
            committed += [line for line in lines if line["kind"] == "committed"]
            what.append(f"{sum(line['kind'] == 'state' for line in lines)} edits, "
                        f"{sum(line['kind'] == 'committed' for line in lines)} saves")
            _check_library_after_edits(paths, ids, committed, seen, journal)
    assert len(committed) >= ROUNDS // 2, "the children hardly saved anything: nothing was tested"


def _check_library_after_edits(paths: StudioPaths, ids: list[int], committed: list[dict[str, Any]],
                               seen: set[str], journal: Path) -> None:
    check_sqlite(paths.database_file)
    studio = Studio.open(paths)
    try:
        report = studio.repo.verify_audit()
        assert report.ok, f"the audit chain broke at entry {report.broken_id}: {report.problem}"
        revisions: dict[int, list[str]] = {}
        for bulletin_id in ids:
            snapshots = [digest(studio.repo.revision_snapshot(bulletin_id, r.number))
                         for r in studio.repo.revisions(bulletin_id)]
            revisions[bulletin_id] = snapshots
            unknown = [s for s in snapshots if s not in seen]
            assert not unknown, f"bulletin {bulletin_id} has {len(unknown)} revisions no screen ever showed"
            stored = studio.repo.load(bulletin_id)
            assert digest(stored.content()) == snapshots[-1], "the bulletin's rows differ from its last revision"
        for line in committed:
            assert digest(line["content"]) in revisions[line["id"]], \
                f"a save of bulletin {line['id']} reported as done (version {line['version']}) is lost"
            stored = studio.repo.load(line["id"])
            assert stored.version >= line["version"]
        newest = {line["id"]: line for line in committed}
        for bulletin_id, line in newest.items():
            stored = studio.repo.load(bulletin_id)
            if stored.version == line["version"]:
                assert stored.content() == line["content"]
        for entry in Journal(journal).entries():
            assert digest(entry.draft.content()) in seen, "the typing journal holds text no screen showed"
        assert not list(journal.glob("*.damaged")), "a journal copy was cut off"
    finally:
        studio.close()


# --- b. rendering -------------------------------------------------------------------------------------------


def test_a_render_killed_at_any_moment_leaves_no_partial_file_and_a_new_render_completes(tmp_path: Path) -> None:
    """A child renders a short bulletin again and again (mostly with new text, so speech is synthesised) and
    copies it out as ``studio render BULLETIN -o OUT`` does. After each kill: every render the library
    records is whole (sha256, decoded to the end, its sidecar), every one the child finished is recorded, a
    file under a final name is whole and its sidecar describes exactly it; at the end a render completes."""
    seed = fault_seed("rendering")
    rng = random.Random(seed)
    paths = StudioPaths.under(tmp_path / "home")
    studio = Studio.open(paths)
    station = studio.ensure_station()
    draft = studio.save_bulletin(BulletinDraft("Thông báo tiêm phòng", station.id, (
        SegmentDraft("Kính thưa bà con, sáng mai xã tổ chức tiêm phòng.", "vi-north-offline", "notice"),),
        schedule=studio.new_schedule(station)))
    assert draft.id is not None
    bulletin_id, uid = draft.id, draft.uid
    out = tmp_path / "export" / "ban-tin.mp3"
    started = time.monotonic()
    _, first = studio.render_bulletin(bulletin_id)  # the files a later render replaces; and how long one takes
    studio.export(first, out)
    took = time.monotonic() - started  # (a busy machine renders slower: the moments stretch with it)
    studio.close()
    work = paths.renders / uid
    pairs = [(work / f"{uid}.mp3", work / f"{uid}.json"), (out, out.with_suffix(".json"))]
    reported: list[dict[str, Any]] = []
    verified: set[str] = set()
    latest = 3 * took + 1.0
    moments: list[Callable[[], Moment]] = [
        lambda: Moment("random", rng.uniform(0.05, 1.5 * took + 0.5)),
        lambda: Moment("random", rng.uniform(0.05, 1.5 * took + 0.5)),
        lambda: Moment("random", rng.uniform(0.05, 1.5 * took + 0.5)),
        lambda: Moment("a render's work folder appears", latest, lambda: names(work), after=rng.uniform(0, 0.4)),
        lambda: Moment("the render lands under its final name", latest, lambda: signature(pairs[0][0])),
        lambda: Moment("the render's sidecar lands", latest, lambda: signature(pairs[0][1])),
        lambda: Moment("the library gets a file", latest, lambda: all_files(paths.media)),
        lambda: Moment("the export lands", latest, lambda: signature(out)),
        lambda: Moment("the export's sidecar lands", latest, lambda: signature(out.with_suffix(".json"))),
    ]
    for number in range(ROUNDS):
        what: list[str] = []
        with round_report(seed, number, what):
            folder = tmp_path / f"round-{number:02}"
            folder.mkdir()
            child = Child("render", folder, str(paths.data.parent), str(folder / "render.jsonl"),
                          rng.randrange(1 << 32), bulletin_id, str(out)).start()
            # The first round kills only once a render was exported (however slow the machine is today): a
            # finished render is always among those checked. The others are killed at a chosen moment.
            late = Moment("the first export lands", 20 * took + 60, lambda: signature(out))
            what.append(child.kill_at(late if number == 0 else rng.choice(moments)()))
            lines = child.lines()
            reported += [line for line in lines if line["kind"] == "rendered"]
            what.append(f"{sum(line['kind'] == 'rendered' for line in lines)} renders finished")
            _check_renders(paths, bulletin_id, pairs, reported, verified)
    assert reported, "no render ever finished: the kills all came too early"

    studio = Studio.open(paths)  # and after all that, a render completes
    try:
        info, result = studio.render_bulletin(bulletin_id)
        studio.export(result, out)
        assert studio.current_render(bulletin_id) == info
    finally:
        studio.close()
    _check_renders(paths, bulletin_id, pairs, reported, verified)
    assert sha256_file(out) == info.sha256


def _check_renders(paths: StudioPaths, bulletin_id: int, pairs: list[tuple[Path, Path]],
                   reported: list[dict[str, Any]], verified: set[str]) -> None:
    check_sqlite(paths.database_file)
    studio = Studio.open(paths)
    try:
        with studio.db.session() as s:
            rows = s.execute(select(Render.id, Render.sidecar, MediaAsset.sha256, MediaAsset.relpath,
                                    MediaAsset.size_bytes).join(MediaAsset, MediaAsset.id == Render.asset_id)).all()
        recorded = {render_id: sha for render_id, _, sha, _, _ in rows}
        for line in reported:
            assert recorded.get(line["render_id"]) == line["sha256"], f"render {line['render_id']} was reported " \
                                                                       "as finished and is not in the library"
        for _render_id, sidecar, sha, relpath, size in rows:
            audio = studio.media.path(relpath)
            assert audio.is_file() and audio.stat().st_size == size, f"the library lost the audio of {relpath}"
            assert sidecar["audio"]["sha256"] == sha and sidecar["audio"]["size_bytes"] == size
            if sha not in verified:
                assert sha256_file(audio) == sha, f"{relpath} is not what the library recorded"
                seconds = decodes_completely(audio)
                assert abs(seconds * 1000 - sidecar["duration_ms"]) < 100
                verified.add(sha)
        current = studio.current_render(bulletin_id)
        assert current is None or current.sha256 in verified
        for relpath in all_files(studio.media.root):
            path = studio.media.root / relpath
            if not path.name.startswith(".") and path.parent.name != "jingles":  # hidden: an unfinished copy
                assert sha256_file(path) == path.name.split(".")[0], f"the library holds a damaged {relpath}"
    finally:
        studio.close()
    for audio, sidecar_path in pairs:
        _check_pair(audio, sidecar_path)


def _check_pair(audio: Path, sidecar_path: Path) -> None:
    """An audio file under its final name is whole; a sidecar there describes exactly that audio."""
    if sidecar_path.exists():
        assert audio.exists(), f"{sidecar_path.name} describes audio that is not there"
        sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
        jsonschema.validate(sidecar, SIDECAR_SCHEMA)
        assert sidecar["audio"]["sha256"] == sha256_file(audio), \
            f"{sidecar_path.name} describes other audio than {audio.name}"
        assert sidecar["audio"]["size_bytes"] == audio.stat().st_size
    if audio.exists():
        seconds = decodes_completely(audio)
        if sidecar_path.exists():
            assert abs(seconds * 1000 - json.loads(sidecar_path.read_text(encoding="utf-8"))["duration_ms"]) < 100


# --- c. uploading -------------------------------------------------------------------------------------------


def test_every_programme_arrives_exactly_once_though_the_sender_is_killed(tmp_path: Path) -> None:
    """Four targets — the studio's own outbox folder, SFTP, FTP and the Controller API over HTTP — get new
    programmes and corrected versions of delivered ones while ``studio outbox run`` is killed again and again."""
    seed = fault_seed("uploading")
    rng = random.Random(seed)
    paths = StudioPaths.under(tmp_path / "home")
    studio = Studio.open(paths)
    studio.ensure_station()
    people = make_people(studio)
    (tmp_path / "ftp" / "inbox").mkdir(parents=True)
    with (sftp_server(tmp_path / "sftp") as sftp, ftp_server(tmp_path / "ftp") as ftp,
          running_receiver(tmp_path / "controller") as receiver):
        (tmp_path / "sftp" / "inbox").mkdir()
        receiver.faults.delay_per_chunk = 0.02
        published: Counter[str] = Counter()
        original = receiver.store._finish

        def publishing(record: Any) -> Any:
            published[f"{record.id} {record.sha256}"] += 1
            return original(record)

        receiver.store._finish = publishing  # type: ignore[method-assign]
        station = studio.station()
        targets = [studio.repo.target("outbox"),
                   studio.repo.add_target(station.id, "loa-sftp", "sftp", {
                       "host": sftp.host, "port": sftp.port, "username": sftp.user, "folder": "/inbox",
                       "host_key": sftp.fingerprint}),
                   studio.repo.add_target(station.id, "loa-ftp", "ftp", {
                       "host": ftp.host, "port": ftp.port, "username": ftp.user, "folder": "/inbox"}),
                   studio.repo.add_target(station.id, "loa-http", "http", {"url": receiver.url})]
        studio.credentials.set("loa-sftp", sftp.password)
        studio.credentials.set("loa-ftp", ftp.password)
        studio.credentials.set("loa-http", receiver.token)
        outbox, sftp_id, ftp_id, http_id = (target.id for target in targets)
        folders = {outbox: paths.outbox_folder, sftp_id: tmp_path / "sftp" / "inbox",
                   ftp_id: tmp_path / "ftp" / "inbox", http_id: receiver.folder}
        partials = {**folders, http_id: receiver.folder / ".studio-controller"}
        studio.close()
        bulletins: dict[str, int] = {}  # programme id: bulletin
        wal = paths.database_file.with_name(paths.database_file.name + "-wal")
        for number in range(ROUNDS):
            what: list[str] = []
            with round_report(seed, number, what):
                folder = tmp_path / f"round-{number:02}"
                folder.mkdir()
                studio = Studio.open(paths)
                try:
                    corrected = bool(bulletins) and rng.random() < 0.4
                    if corrected:
                        pick = rng.choice(sorted(bulletins))
                        _revise(studio, people, bulletins[pick], targets, rng.randrange(128 << 10, 2 << 20),
                                rng.randrange(1 << 32))
                        what.append(f"a corrected version of {pick[:8]}")
                    else:
                        for i in range(rng.randint(1, 2)):
                            draft = approved_bulletin(studio, people, f"Bản tin {number}.{i}")
                            assert draft.id is not None
                            audio = payload(rng.randrange(128 << 10, 2 << 20), rng.randrange(1 << 32))
                            pick = _package_and_queue(studio, people, draft, targets, audio)
                            bulletins[pick] = draft.id
                finally:
                    studio.close()
                target_id = rng.choice(list(folders))
                moment = _upload_moment(rng, f"at target {target_id}", folders[target_id] / f"{pick}.mp3",
                                        folders[target_id] / f"{pick}.json", partials[target_id], wal,
                                        corrected=corrected)
                child = Child("deliver", folder, str(paths.data.parent), str(folder / "deliver.jsonl")).start()
                what.append(child.kill_at(moment))
                _check_deliveries(paths, folders, partial=True)

        studio = Studio.open(paths)  # the next start sends the rest
        try:
            work = runner(studio)
            work.start()
            try:
                jobs = studio.outbox.jobs()
                settled = work.wait_for([job.id for job in jobs], 180, until=lambda j: not j.active)
            finally:
                work.stop()
            assert all(job.state in (JobState.DONE, JobState.CANCELLED) for job in settled), \
                [(job.id, job.state.value, job.last_error) for job in settled]
        finally:
            studio.close()
        _check_deliveries(paths, folders, partial=False)
        # each version of a programme was published once at most, whatever the kills (by server, then name
        # and the temporary name that holds the version's sha256)
        assert max(published.values()) == 1, f"the controller published a version twice: {published}"
        renamed = Counter((new.rsplit("/", 1)[-1], old.rsplit("/", 1)[-1]) for _, old, new in sftp.renamed)
        assert max(renamed.values()) == 1, f"the SFTP server got a version twice: {renamed}"
        commands, moved = list(ftp.commands), Counter[tuple[str, str]]()
        for before, line in itertools.pairwise(commands):
            if line.startswith("RNTO ") and before.startswith("RNFR "):
                moved[line[5:], before[5:]] += 1
        assert max(moved.values()) == 1, f"the FTP server got a version twice: {moved}"


def _upload_moment(rng: random.Random, where: str, audio: Path, sidecar: Path, partials: Path, wal: Path, *,
                   corrected: bool) -> Moment:
    """A random delay, or the instant a step of sending this round's programme happens at one target (for a
    corrected version, often the instant its audio replaces the older one's)."""
    if corrected and rng.random() < 0.5:
        return Moment(f"the corrected audio lands {where}", 6.0, lambda: signature(audio))
    return rng.choice([
        lambda: Moment("random", rng.uniform(0.02, 1.5)),
        lambda: Moment("random", rng.uniform(0.02, 1.5)),
        lambda: Moment(f"a partial file appears {where}", 4.0, lambda: names(partials), after=rng.uniform(0, 0.6)),
        lambda: Moment(f"the audio lands {where}", 6.0, lambda: signature(audio)),
        lambda: Moment(f"the sidecar lands {where}", 6.0, lambda: signature(sidecar)),
        lambda: Moment(f"the database is written after the sidecar lands {where}", 6.0,
                       _then(lambda: signature(sidecar), lambda: signature(wal))),
        lambda: Moment("the outbox writes its database", 3.0, lambda: signature(wal), after=rng.uniform(0, 1.0)),
    ])()


def _then(first: Callable[[], object], second: Callable[[], object]) -> Callable[[], object]:
    """A watch that changes when ``second`` changes after ``first`` has."""
    state: dict[str, object] = {}

    def watch() -> object:
        if "first" not in state:
            state["first"] = first()
            return None
        if "second" not in state:
            if first() != state["first"]:
                state["second"] = second()
            return None
        return None if second() == state["second"] else "changed"

    return watch


def _revise(studio: Studio, people: People, bulletin_id: int, targets: list[TargetInfo], size: int,
            seed: int) -> None:
    """The officer corrects a delivered (or still queued) bulletin; approved again, its new version is sent."""
    studio.signed_in = people.officer
    draft = studio.repo.load(bulletin_id)
    segment = draft.segments[0]
    draft = studio.save_bulletin(draft.with_segments([replace(segment, text=f"{segment.text} Xin nhắc lại.")]))
    _package_and_queue(studio, people, approve(studio, people, draft), targets, payload(size, seed))


def _package_and_queue(studio: Studio, people: People, draft: BulletinDraft, targets: list[TargetInfo],
                       audio: bytes) -> str:
    """As :func:`tests.integration.outbox_helpers.queue`, for every target; returns the programme id."""
    assert draft.id is not None
    source = studio.paths.cache / f"{hashlib.sha256(audio).hexdigest()}.mp3"
    source.write_bytes(audio)
    sha, relpath, size = studio.media.put(source, ".mp3")
    asset = studio.repo.add_media(sha, "render", relpath, size, 1000)
    fingerprint = studio.fingerprint(draft)
    status = studio.reviews.status(draft.id)
    assert status.approved_at is not None
    sidecar = build_sidecar(
        programme_id=draft.uid, title=draft.title, station=studio.station(), series="Bản tin xã", languages=["vie"],
        duration_ms=1000, audio=AudioFacts(size, sha, 64, 44100, 1), loudness=Loudness(), target_lufs=-16.0,
        priority=draft.priority, content_hash=fingerprint, schedule=draft.schedule,
        approval=Approval(status.approved_by, status.approved_at, fingerprint, studio.approval_hash(draft)))
    render = studio.repo.add_render(draft.id, asset, fingerprint, duration_ms=1000, integrated_lufs=-16.0,
                                    true_peak_dbtp=-1.2, loudness_range=4.0, profile="test", sidecar=sidecar,
                                    layout=None, actor=people.officer.username)
    for target in targets:
        _, created = studio.outbox.enqueue(
            render_id=render.id, target_id=target.id, programme_id=draft.uid, rank=RANKS[draft.priority],
            approval_hash=studio.approval_hash(draft), package_sha256=sha, package_relpath=relpath, size_bytes=size,
            sidecar_text=sidecar_bytes(sidecar).decode("utf-8"), actor=people.officer.username)
        assert created
    return draft.uid


def _check_deliveries(paths: StudioPaths, folders: dict[int, Path], *, partial: bool) -> list[Job]:
    """What each server shows is whole: a published sidecar is one of the programme's versions, beside
    exactly that version's audio; nothing else is visible; the newest version the outbox calls done is
    there; no job was delivered twice. With ``partial`` False, the newest version of every programme is
    delivered everywhere, each bulletin says so, and no temporary file is left anywhere."""
    check_sqlite(paths.database_file)
    studio = Studio.open(paths)
    try:
        jobs = studio.outbox.jobs()
        history = {job.id: [event.kind for event in studio.outbox.history(job_id=job.id)] for job in jobs}
        statuses = {job.bulletin_id: studio.reviews.status(job.bulletin_id) for job in jobs}
    finally:
        studio.close()
    for job in jobs:  # a delivered programme of the approved content: the bulletin says delivered
        status = statuses[job.bulletin_id]
        if job.state is JobState.DONE and job.approval_hash == status.approved_hash:
            assert status.state.value == "delivered", \
                f"job {job.id} delivered {job.programme_id[:8]}, but its bulletin is still {status.state.value}"
    versions: dict[tuple[int, str], list[Job]] = {}
    for job in sorted(jobs, key=lambda j: j.id):
        versions.setdefault((job.target_id, job.programme_id), []).append(job)
        kinds = history[job.id]
        assert kinds.count("delivered") == (1 if job.state is JobState.DONE else 0), (job.id, kinds)
    for target_id, folder in folders.items():
        visible = sorted(name for name in names(folder) if not name.startswith("."))
        for name in visible:
            programme_id, _, suffix = name.rpartition(".")
            known = versions.get((target_id, programme_id), [])
            assert known and suffix in ("mp3", "json"), f"{name} at target {target_id} is no delivery"
            if suffix == "json":
                text = (folder / name).read_text(encoding="utf-8")
                [job] = [job for job in known if job.sidecar_text == text] or [None]
                assert job is not None, f"{name} at target {target_id} is no version the studio sent"
                assert _sha(folder / f"{programme_id}.mp3") == job.package_sha256, \
                    f"{name} at target {target_id} describes other audio than {programme_id}.mp3"
            else:
                assert _sha(folder / name) in {job.package_sha256 for job in known}, \
                    f"{name} at target {target_id} is not a whole version"
        for (place, programme_id), known in versions.items():
            newest = known[-1]
            if place == target_id and newest.state is JobState.DONE:
                assert _sha(folder / f"{programme_id}.mp3") == newest.package_sha256, \
                    f"job {newest.id} is done but target {target_id} does not have it"
                assert (folder / f"{programme_id}.json").read_text(encoding="utf-8") == newest.sidecar_text
        if not partial:
            hidden = sorted(n for n in names(folder) if n.startswith(".") and n != ".studio-controller")
            assert hidden == [], f"target {target_id} keeps temporary files: {hidden}"
            assert len(visible) == 2 * sum(place == target_id for place, _ in versions)
    if not partial:
        assert all(known[-1].state is JobState.DONE for known in versions.values())
        assert {status.state.value for status in statuses.values()} == {"delivered"}
    return jobs


_SHAS: dict[tuple[Path, object], str] = {}


def _sha(path: Path) -> str:
    """sha256 of a file, remembered while the file is unchanged (the servers hold a few hundred MiB)."""
    key = (path, signature(path))
    if key not in _SHAS:
        _SHAS[key] = sha256_file(path)
    return _SHAS[key]
