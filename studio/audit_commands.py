"""``studio audit verify`` and ``studio audit export``: the audit log from the command line.

``verify`` exits 0 when the chain is intact and 1 when it is not, naming the first entry that fails and
why. ``export`` writes the entries of a range of Vietnam calendar days as CSV or as a printable HTML page
(the page carries the verification of the whole log and the final hash, for the commune's records).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from studio.fileio import write_bytes_atomically
from studio.i18n import QT_TRANSLATE_NOOP, Translator
from studio.messages import StudioError
from studio.services import Studio
from studio.workflow.audit import BROKEN_LINK, EDITED, ChainReport, audit_csv, audit_html, day_bounds

CONTEXT = "Cli"
INTACT = QT_TRANSLATE_NOOP(CONTEXT, "The audit log is intact: {count} entries, last hash {hash}.")
BROKEN = {
    EDITED: QT_TRANSLATE_NOOP(
        CONTEXT, "The audit log is broken at entry {id}: the entry was changed after it was written."),
    BROKEN_LINK: QT_TRANSLATE_NOOP(
        CONTEXT, "The audit log is broken at entry {id}: an entry before it was deleted, or entries were reordered."),
}
EXPORTED = QT_TRANSLATE_NOOP(CONTEXT, "Wrote {count} audit entries from {first} to {last} to {path}.")
EXPORTED_BROKEN = QT_TRANSLATE_NOOP(
    CONTEXT, "Warning: the audit log is not intact (see “studio audit verify”); the export says so.")
BAD_RANGE = QT_TRANSLATE_NOOP("Messages", "The first day ({first}) is after the last day ({last}).")


def run_audit(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    if args.audit_command == "verify":
        return _verify(studio, tr)
    return _export(args, studio, tr)


def _broken_text(report: ChainReport, tr: Translator) -> str:
    return tr(CONTEXT, BROKEN[report.problem or EDITED]).format(id=report.broken_id)


def _verify(studio: Studio, tr: Translator) -> int:
    report = studio.repo.verify_audit()
    if report.ok:
        print(tr(CONTEXT, INTACT).format(count=report.count, hash=report.last_hash or "-"))
        return 0
    print(_broken_text(report, tr), file=sys.stderr)
    return 1


def _export(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    first, last = args.first, args.last
    if first > last:
        raise StudioError(BAD_RANGE, first=first.isoformat(), last=last.isoformat())
    since, until = day_bounds(first, last)
    entries = studio.repo.audit_entries(since, until)
    report = studio.repo.verify_audit()
    path: Path
    if args.csv is not None:
        path = args.csv.expanduser().resolve()
        data = audit_csv(entries)
    else:
        path = args.html.expanduser().resolve()
        station = studio.repo.first_station()
        name = " – ".join(part for part in (station.name, station.commune, station.province) if part) \
            if station else ""
        data = audit_html(entries, station=name, first=first, last=last, report=report,
                          generated_at=datetime.now(UTC)).encode("utf-8")
    write_bytes_atomically(path, data)
    if not report.ok:
        print(tr(CONTEXT, EXPORTED_BROKEN), file=sys.stderr)
        print(_broken_text(report, tr), file=sys.stderr)
    print(tr(CONTEXT, EXPORTED).format(count=len(entries), first=first.isoformat(), last=last.isoformat(),
                                       path=path))
    return 0
