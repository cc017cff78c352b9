"""What the fuzzer drives, and what must hold after every execution.

Each target imports one mutated file through the studio's real import path, in a real library on disk:

- ``take``: :meth:`studio.services.Studio.add_take` (the booth's "Import a recording": check, decode, clean,
  store raw and cleaned in the media library, record the take);
- ``jingle``: :meth:`studio.audio.jingles.JingleLibrary.import_file` (the jingle dialog, ``studio jingle import``);
- ``bundle``: :func:`studio.bundle.transfer.import_bundle` (a ``.bantin`` bulletin file), fed mutated real
  bundles and random zip files.

The properties, checked after every execution: the import either succeeds or raises :class:`StudioError`
with a message (any other exception is a bug and fails the run); a refused import leaves the library as it
was; whatever was stored decodes (and is as long as recorded); no temporary file is left anywhere, in the
library or in the system's temporary folder; nothing is written outside the library.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from hypothesis import strategies as st

from studio.audio.codec import decode
from studio.audio.jingles import CATEGORIES, DURATION_LIMITS, JingleLibrary
from studio.messages import StudioError
from studio.paths import StudioPaths, assets_dir
from studio.services import Studio
from studio.speech.takes import TAKE_RATE
from tests.fuzz.mutations import Mutant, mutants


class Target(Protocol):
    name: str

    def inputs(self, seeds: dict[str, bytes]) -> st.SearchStrategy[Any]: ...

    def run(self, case: Any) -> str:
        """Import ``case``; check the properties (AssertionError, or the import's own exception, on a
        failure); return the outcome ("stored" or "refused: <message>") for the run's statistics."""
        ...

    def close(self) -> None: ...


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _refusal(error: StudioError) -> str:
    message = str(error).strip()
    assert message, f"{type(error).__name__} without a message"
    assert error.text.strip(), "a StudioError without its translatable text"
    return "refused: " + error.text[:75]


@contextmanager
def private_temp(folder: Path) -> Iterator[Path]:
    """Point Python's temporary folder at ``folder`` for the run, so that anything left there is seen."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous


def check_no_leftovers(root: Path, temp: Path) -> None:
    """No temporary file of the studio's (``.name.xxxx.part``), no import work folder, nothing in temp."""
    for path in root.rglob("*"):
        assert not path.name.endswith(".part"), f"temporary file left: {path}"
        assert not path.name.startswith((".import-", ".render-")), f"work folder left: {path}"
    assert not any(temp.iterdir()), f"left in the temporary folder: {sorted(temp.iterdir())}"


def open_library(home: Path) -> Studio:
    studio = Studio.open(StudioPaths.under(home).ensure())
    studio.ensure_library()
    return studio


class TakeTarget:
    """A recording imported into a segment of the sample bulletin, as the booth's Import does."""

    name = "take"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temp = root / "tmp"
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.studio = open_library(root / "home")
        bulletin = self.studio.repo.list_bulletins()[0]
        self.draft = self.studio.repo.load(bulletin.id)
        self.key = self.draft.segments[0].key

    def inputs(self, seeds: dict[str, bytes]) -> st.SearchStrategy[Mutant]:
        return mutants(seeds)

    def run(self, case: Mutant) -> str:
        studio, media = self.studio, self.studio.paths.media
        path = self.inbox / f"recording{case.suffix}"
        path.write_bytes(case.data)
        before_takes = studio.takes.of_segment(self.draft.id or 0, self.key)
        before_files = _files(media)
        try:
            try:
                info = studio.add_take(path, bulletin_id=self.draft.id, segment_key=self.key, origin="import")
            except StudioError as error:
                assert studio.takes.of_segment(self.draft.id or 0, self.key) == before_takes, "a refused take was kept"
                assert _files(media) == before_files, "a refused take left files in the media library"
                return _refusal(error)
            cleaned, raw = media / info.relpath, media / info.raw_relpath
            extra = _files(media) - before_files - {cleaned, raw}
            # Known, reported: the same recording imported again under another suffix is stored a second time
            # (media names carry the suffix) though the take already exists. Anything else is a failure.
            copies = {path for path in extra if path.stem == raw.stem and path.read_bytes() == case.data}
            assert not extra - copies, f"stored beside the take: {sorted(map(str, extra - copies))}"
            assert raw.read_bytes() == case.data, "the raw take is not the file as imported"
            pcm = decode(cleaned)  # the stored take plays
            assert abs(pcm.duration - info.duration_ms / 1000) < 0.05, (pcm.duration, info.duration_ms)
            assert (pcm.rate, pcm.channels) == (TAKE_RATE, 1)
            decode(raw, rate=TAKE_RATE, channels=1)  # and so does the recording kept as it came
            return "stored (and a second copy of the raw file)" if copies else "stored"
        finally:
            path.unlink(missing_ok=True)
            check_no_leftovers(self.root / "home", self.temp)
            work = studio.paths.cache / "takes"  # where the cleaned take is written before it is stored
            assert not _files(work), f"left in the take work folder: {sorted(map(str, _files(work)))}"

    def close(self) -> None:
        self.studio.close()


class JingleTarget:
    """A station jingle imported into a category, as the jingle dialog and ``studio jingle import`` do."""

    name = "jingle"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temp = root / "tmp"
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.station = root / "station-jingles"
        self.library = JingleLibrary(assets_dir() / "jingles", self.station)

    def inputs(self, seeds: dict[str, bytes]) -> st.SearchStrategy[tuple[Mutant, str]]:
        return st.tuples(mutants(seeds), st.sampled_from(CATEGORIES))

    def run(self, case: tuple[Mutant, str]) -> str:
        mutant, category = case
        path = self.inbox / f"jingle{mutant.suffix}"
        path.write_bytes(mutant.data)
        before_list = self.library.list()
        before_files = _files(self.station)
        try:
            try:
                jingle = self.library.import_file(path, category, "Nhạc hiệu thử")
            except StudioError as error:
                assert self.library.list() == before_list, "a refused jingle was listed"
                assert _files(self.station) == before_files, "a refused jingle left files"
                return _refusal(error)
            assert jingle in self.library.list(category)
            extra = _files(self.station) - before_files - {jingle.path, self.library.index_path}
            assert not extra, f"stored beside the jingle: {sorted(map(str, extra))}"
            pcm = decode(jingle.path)
            low, high = DURATION_LIMITS[category]
            assert low <= pcm.duration <= high and abs(pcm.duration - jingle.duration) < 0.01
            assert (pcm.rate, pcm.channels) == (jingle.rate, jingle.channels)
            return "stored"
        finally:
            path.unlink(missing_ok=True)
            check_no_leftovers(self.station, self.temp)

    def close(self) -> None:
        pass


# -- bulletin files --------------------------------------------------------------------------------------

#: Member names a hostile or broken zip may hold.
ZIP_NAMES = ["manifest.json", "media/takes/x.wav", "../evil.txt", "/etc/evil", "media/../../evil", "a\\..\\b",
             "C:/evil", "media/" + "x" * 300, "", "media/", "manifest.json"]


def bundle_support() -> tuple[Any, Any] | str:
    """(export_bundle, import_bundle), or why the bundle target cannot run.

    HOOK: the bulletin file import (``studio/bundle/``) was being written while this harness was; the target
    expects ``studio.bundle.transfer.export_bundle(studio, bulletin_id, out_path)`` and
    ``import_bundle(studio, path)``. If their names change, adapt them here."""
    try:
        from studio.bundle import transfer
    except ImportError as error:
        return f"studio.bundle.transfer cannot be imported ({error})"
    missing = [name for name in ("export_bundle", "import_bundle") if not hasattr(transfer, name)]
    if missing:
        return f"studio.bundle.transfer has no {', '.join(missing)}"
    return transfer.export_bundle, transfer.import_bundle


@st.composite
def random_zips(draw: st.DrawFn, seeds: dict[str, bytes]) -> Mutant:
    """A zip built member by member: names that escape, a manifest mutated as JSON, members that are not what
    their size says, a member of zeros that inflates far beyond its compressed size."""
    bundle = draw(st.sampled_from(sorted(name for name in seeds if name.endswith(".bantin"))))
    with zipfile.ZipFile(io.BytesIO(seeds[bundle])) as source:
        originals = {info.filename: source.read(info) for info in source.infolist()}
    buffer = io.BytesIO()
    steps = []
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as out:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": on purpose
        for name, data in originals.items():
            choice = draw(st.sampled_from(["keep", "keep", "drop", "rename", "garbage", "json"]))
            steps.append(f"{choice}:{name[:30]}")
            if choice == "drop":
                continue
            if choice == "rename":
                name = draw(st.sampled_from(ZIP_NAMES))
            elif choice == "garbage":
                data = draw(st.binary(max_size=200))
            elif choice == "json" and name.endswith(".json"):
                document = json.loads(data)
                path = draw(st.lists(st.text(max_size=10), max_size=3))
                node: Any = document
                for key in path[:-1]:
                    node = node.get(key, {}) if isinstance(node, dict) else {}
                if isinstance(node, dict) and path:
                    node[path[-1]] = draw(st.one_of(st.none(), st.integers(), st.text(max_size=20),
                                                    st.lists(st.integers(), max_size=3)))
                elif isinstance(document, dict) and document:
                    key = draw(st.sampled_from(sorted(document)))
                    document[key] = draw(st.one_of(st.none(), st.integers(-1, 10**12), st.text(max_size=20),
                                                   st.just([]), st.just({})))
                    steps.append(f"json[{key}]")
                data = json.dumps(document).encode()
            compression = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            out.writestr(zipfile.ZipInfo(name or "noname"), data, compress_type=compression)
        if draw(st.integers(0, 4)) == 0:
            out.writestr(zipfile.ZipInfo(draw(st.sampled_from(ZIP_NAMES)) or "bomb"), bytes(64 << 20),
                         compress_type=zipfile.ZIP_DEFLATED)
            steps.append("bomb")
    return Mutant(bundle, tuple(steps), buffer.getvalue(), ".bantin")


class BundleTarget:
    """A bulletin file imported as a new draft, as Bulletin → Import from file… does."""

    name = "bundle"

    def __init__(self, root: Path) -> None:
        support = bundle_support()
        if isinstance(support, str):
            raise RuntimeError(support)
        self.export_bundle, self.import_bundle = support
        self.root = root
        self.temp = root / "tmp"
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.home = root / "home"
        self.studio = open_library(self.home)

    def make_seeds(self, audio: dict[str, bytes]) -> dict[str, bytes]:
        """Real bulletin files to mutate: the sample bulletin alone, and with a recorded take and the
        station's own opening jingle."""
        studio = self.studio
        bulletin = studio.repo.list_bulletins()[0]
        plain = self.export_bundle(studio, bulletin.id, self.root / "seeds" / "sample.bantin").path
        draft = studio.repo.load(bulletin.id)
        recording = self.inbox / "seed-take.wav"
        recording.write_bytes(audio["speechlike-48k-mono.wav"])
        take = studio.add_take(recording, bulletin_id=draft.id, segment_key=draft.segments[1].key, origin="import")
        studio.choose_take(draft.id or 0, draft.segments[1].key, take.sha256)
        opening = self.inbox / "seed-opening.wav"
        opening.write_bytes(audio["tone-44k1-stereo.wav"])
        jingle = studio.jingles.import_file(opening, "opening", "Nhạc hiệu")
        studio.repo.set_station_jingle(studio.station().id, "opening", jingle.id, actor=studio.actor)
        recorded = self.export_bundle(studio, bulletin.id, self.root / "seeds" / "recorded.bantin").path
        recording.unlink()
        opening.unlink()
        return {"sample.bantin": plain.read_bytes(), "recorded.bantin": recorded.read_bytes()}

    def inputs(self, seeds: dict[str, bytes]) -> st.SearchStrategy[Mutant]:
        bundles = {name: data for name, data in seeds.items() if name.endswith(".bantin")}
        return st.one_of(mutants(bundles), random_zips(bundles))

    def _state(self) -> tuple[Any, ...]:
        studio = self.studio
        return (tuple((b.id, b.title) for b in studio.repo.list_bulletins()),)

    def run(self, case: Mutant) -> str:
        studio = self.studio
        path = self.inbox / f"bulletin{case.suffix}"
        path.write_bytes(case.data)
        before = self._state()
        outside_before = _files(self.root) - _files(self.home)
        try:
            try:
                result = self.import_bundle(studio, path)
            except StudioError as error:
                assert self._state() == before, "a refused bulletin file changed the library"
                return _refusal(error)
            imported = result.bulletin
            for segment in imported.segments:
                for take in studio.takes.of_segment(imported.id, segment.key):
                    for relpath in (take.relpath, take.raw_relpath):
                        decode(studio.media.path(relpath), rate=TAKE_RATE, channels=1)  # every take plays
                if segment.take is not None:
                    assert studio.take_path(segment.take) is not None, "a chosen take is not in the library"
            for jingle in studio.jingles.list():
                if not jingle.shipped:
                    decode(jingle.path)
            return "stored (again)" if result.already else "stored"
        finally:
            path.unlink(missing_ok=True)
            written = _files(self.root) - _files(self.home) - outside_before
            assert not written, f"written outside the library: {sorted(map(str, written))}"
            check_no_leftovers(self.home, self.temp)

    def close(self) -> None:
        self.studio.close()


TARGETS = {"take": TakeTarget, "jingle": JingleTarget, "bundle": BundleTarget}


def reset(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
