"""Logging set-up: a rotating file in the log directory, faulthandler for hard crashes."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

LOG_FILE_NAME = "studio.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, *, verbose: bool = False, console: bool = False) -> Path:
    """Log to ``log_dir/studio.log`` (1 MB x 5 files). Returns the log file path for crash reports."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_studio", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._studio = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.setLevel(logging.DEBUG if verbose else logging.WARNING)
        stream._studio = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    _enable_faulthandler(log_dir)
    return path


_fault_file: TextIO | None = None


def _enable_faulthandler(log_dir: Path) -> None:
    """Dump Python tracebacks of all threads to ``crash.log`` on a segfault or abort."""
    global _fault_file
    if _fault_file is None:
        _fault_file = open(log_dir / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - kept open for life
    faulthandler.enable(_fault_file, all_threads=True)


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                 log_path: Path | None) -> str:
    """The copyable text of a crash dialog: version, platform, traceback, log file path."""
    import platform
    import traceback

    from studio import __version__

    lines = [
        f"Commune Radio Studio {__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Log file: {log_path}" if log_path else "Log file: (none)",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)),
    ]
    return "\n".join(lines)


def shutdown_logging() -> None:
    """Undo :func:`setup_logging`: close the studio's handlers and point faulthandler back at stderr."""
    global _fault_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_studio", False)]:
        root.removeHandler(handler)
        handler.close()
    if _fault_file is not None:
        if sys.stderr is not None:
            faulthandler.enable(sys.stderr, all_threads=True)
        else:
            faulthandler.disable()
        _fault_file.close()
        _fault_file = None
