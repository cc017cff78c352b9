"""Outbox throughput against a raw transfer of the same bytes, per kind of target.

    .venv/bin/python -m benchmarks.bench_outbox [--programmes 8] [--mib 4] [--repeat 3]

The outbox does more than copy: it claims each job in the database, renews its lease while sending,
uploads under a temporary name, reads the file back (or asks the server) to verify its sha256, renames it,
sends the sidecar and records the outcome. The baseline sends the same bytes the plainest way the
transport allows (a file copy; one FTP STOR; one SFTP put; one HTTP PUT of the whole file), so the ratio
is the price of "never lost, never twice". Servers are the tests' real servers on 127.0.0.1; the figures
are medians of ``--repeat`` runs, outbox and baseline interleaved.
"""

from __future__ import annotations

import argparse
import ftplib
import hashlib
import http.client
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import paramiko

from benchmarks.bench_synthesis import machine
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.outbox import Job, JobState
from studio.store.repo import TargetInfo
from tests.integration.outbox_helpers import FAST, make_people, payload, queue
from tests.servers.ftp_server import ftp_server
from tests.servers.http_receiver import running_receiver
from tests.servers.sftp_server import sftp_server


@contextmanager
def servers(root: Path) -> Iterator[dict[str, tuple[dict[str, object], str, Callable[[Path, str], None]]]]:
    """Each kind's target settings, secret and raw-upload baseline (source file, its sha256) -> None."""
    with ExitStack() as stack:
        (root / "ftp" / "inbox").mkdir(parents=True)
        (root / "sftp" / "inbox").mkdir(parents=True)
        (root / "http").mkdir()
        (root / "folder").mkdir()
        (root / "raw").mkdir()
        ftp = stack.enter_context(ftp_server(root / "ftp"))
        sftp = stack.enter_context(sftp_server(root / "sftp"))
        receiver = stack.enter_context(running_receiver(root / "http"))

        def raw_folder(source: Path, sha: str) -> None:
            shutil.copyfile(source, root / "folder" / f"raw-{source.name}")

        def raw_ftp(source: Path, sha: str) -> None:
            client = ftplib.FTP()
            client.connect(ftp.host, ftp.port, timeout=20)
            client.login(ftp.user, ftp.password)
            client.cwd("/inbox")
            with source.open("rb") as handle:
                client.storbinary(f"STOR raw-{source.name}", handle, blocksize=64 * 1024)
            client.quit()

        def raw_sftp(source: Path, sha: str) -> None:
            transport = paramiko.Transport((sftp.host, sftp.port))
            transport.connect(username=sftp.user, password=sftp.password)
            client = paramiko.SFTPClient.from_transport(transport)
            assert client is not None
            client.put(str(source), f"/inbox/raw-{source.name}")
            transport.close()

        def raw_http(source: Path, sha: str) -> None:
            # the plainest use of the same API: declare, then the whole audio in one request
            data = source.read_bytes()
            parts = urlsplit(receiver.url)
            connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=20)
            headers = {"Authorization": f"Bearer {receiver.token}"}
            programme = f"raw-{source.stem}"
            sidecar = json.loads((root / "sidecar.json").read_text(encoding="utf-8"))
            sidecar["id"] = programme
            sidecar["audio"] = {**sidecar["audio"], "file": f"{programme}.mp3", "size_bytes": len(data),
                                "sha256": sha}
            connection.request("PUT", f"/v1/programmes/{programme}", body=json.dumps(sidecar).encode(),
                               headers={**headers, "Content-Type": "application/json"})
            connection.getresponse().read()
            connection.request("PUT", f"/v1/programmes/{programme}/audio", body=data, headers={
                **headers, "Content-Type": "application/octet-stream",
                "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200, answer.status
            connection.close()

        yield {
            "folder": ({"path": str(root / "folder")}, "", raw_folder),
            "ftp": ({"host": ftp.host, "port": ftp.port, "username": ftp.user, "folder": "/inbox"}, ftp.password,
                    raw_ftp),
            "sftp": ({"host": sftp.host, "port": sftp.port, "username": sftp.user, "folder": "/inbox",
                      "host_key": sftp.fingerprint}, sftp.password, raw_sftp),
            "http": ({"url": receiver.url}, receiver.token, raw_http),
        }


def deliver_all(studio: Studio, jobs: list[Job]) -> float:
    runner = studio.outbox_runner()
    runner.backoff = FAST
    started = time.perf_counter()
    runner.wake({job.target_id for job in jobs})
    try:
        done = runner.wait_for([job.id for job in jobs], 600)
    finally:
        runner.stop()
    elapsed = time.perf_counter() - started
    assert all(job.state is JobState.DONE for job in done), [job.last_error for job in done]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programmes", type=int, default=8)
    parser.add_argument("--mib", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = int(args.mib * (1 << 20))
    print(f"machine: {machine()}")
    print(f"{args.programmes} programmes of {args.mib} MiB per run, median of {args.repeat} runs\n")
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as temp:
        root = Path(temp)
        studio = Studio.open(StudioPaths.under(root / "home"))
        studio.ensure_station()
        crew = make_people(studio)
        with servers(root) as kinds:
            print(f"{'target':<8}{'outbox s':>10}{'raw s':>10}{'ratio':>8}{'outbox MiB/s':>14}")
            for kind, (config, secret, raw) in kinds.items():
                target: TargetInfo = studio.repo.add_target(studio.station().id, f"bench-{kind}", kind, config)
                if secret:
                    studio.credentials.set(target.name, secret)
                outbox_times, raw_times = [], []
                for run in range(args.repeat):
                    jobs = [queue(studio, crew, target, f"{kind} {run}-{i}", payload(size, run * 1000 + i))
                            for i in range(args.programmes)]
                    if kind == "http" and not (root / "sidecar.json").exists():
                        (root / "sidecar.json").write_text(jobs[0].sidecar_text, encoding="utf-8")
                    outbox_times.append(deliver_all(studio, jobs))
                    sources = []
                    for i in range(args.programmes):  # prepared outside the timing, as the outbox's packages are
                        data = payload(size, 50_000 + run * 1000 + i)
                        source = root / "raw" / f"{kind}{run}x{i}.mp3"
                        source.write_bytes(data)
                        sources.append((source, hashlib.sha256(data).hexdigest()))
                    started = time.perf_counter()
                    for source, sha in sources:
                        raw(source, sha)
                    raw_times.append(time.perf_counter() - started)
                outbox_s, raw_s = statistics.median(outbox_times), statistics.median(raw_times)
                rate = args.programmes * args.mib / outbox_s
                print(f"{kind:<8}{outbox_s:>10.2f}{raw_s:>10.2f}{outbox_s / raw_s:>8.2f}{rate:>14.1f}")
        studio.close()


if __name__ == "__main__":
    main()
