"""PySide6's import hook reads only the studio's own sources (see studio.ui.import_scan)."""

from __future__ import annotations

import linecache
import sys
import types
from pathlib import Path

import pytest
from shibokensupport import feature  # type: ignore[import-not-found]

import studio.ui.app  # noqa: F401  (installs the change, as the studio's start does)


def module_at(tmp_path: Path, name: str, source: str) -> types.ModuleType:
    path = tmp_path / f"{name.replace('.', '_')}.py"
    path.write_text(source, encoding="utf-8")
    module = types.ModuleType(name)
    module.__file__ = str(path)
    return module


def test_a_library_module_is_not_read_but_a_studio_module_still_is(tmp_path: Path) -> None:
    source = "from PySide6.QtCore import QObject\n"
    library = module_at(tmp_path, "somelibrary.widgets", source)
    ours = module_at(tmp_path, "studio.probe", source)
    assert feature._mod_uses_pyside(library) is False
    assert library.__file__ not in linecache.cache  # its source was never read
    assert feature._mod_uses_pyside(ours) is True
    assert feature._mod_uses_pyside(module_at(tmp_path, "studio.other", "import os\n")) is False


def test_an_import_after_the_change_leaves_no_source_in_memory() -> None:
    name = "tabnanny"
    if name in sys.modules:
        pytest.skip("tabnanny was already imported in this process")
    module = __import__(name)  # the import statement's path (importlib.import_module bypasses the hook)
    assert feature.pyside_feature_dict.get(name) == -1
    assert module.__file__ not in linecache.cache


def test_the_change_is_made_once() -> None:
    from studio.ui.import_scan import spare_source_scans

    installed = feature._mod_uses_pyside
    spare_source_scans()
    assert feature._mod_uses_pyside is installed
