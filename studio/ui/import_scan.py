"""PySide6's import hook, made to skip the source of modules that are not the studio's."""

from __future__ import annotations

import PySide6.QtCore  # noqa: F401  (sets up the hook this module adjusts)


def spare_source_scans() -> None:
    """Stop PySide6 from reading the source of every module imported after it.

    PySide6 replaces ``__import__`` and, for each new module, reads its whole source to see whether it
    mentions "PySide6" (for the opt-in ``from __feature__ import snake_case``; PYSIDE-2029). In the studio
    that is ~920 modules, 75–100 ms of the window's start-up and as much again when scipy loads, and 23 MB of
    source text kept in ``linecache`` for good. The answer only matters to a module that selects a feature;
    the studio selects none, and no library it uses does: only the studio's own modules are still scanned,
    every other one is recorded as not using PySide6. PySide6's private hook is left alone if it changed.
    """
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]

        scan = feature._mod_uses_pyside
    except (ImportError, AttributeError):
        return
    if getattr(scan, "spared", False):
        return

    def uses_pyside(module: object) -> bool:
        name = getattr(module, "__name__", "")
        return bool(scan(module)) if name == "__main__" or name.split(".")[0] == "studio" else False

    uses_pyside.spared = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
