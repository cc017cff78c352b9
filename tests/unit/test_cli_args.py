"""The command line's quick path to the window: only ``studio``/``studio gui`` (with ``--data-dir``, ``-v``)
skip the commands' parsers; everything else is the full parser's, with its help and usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studio import cli


@pytest.mark.parametrize(("argv", "data_dir", "verbose"), [
    ([], None, False),
    (["gui"], None, False),
    (["--data-dir", "D:/Dai xa"], "D:/Dai xa", False),
    (["--data-dir=/tmp/x", "gui", "-v"], "/tmp/x", True),
    (["-v", "gui"], None, True),
])
def test_arguments_that_only_open_the_window(argv: list[str], data_dir: str | None, verbose: bool) -> None:
    args = cli.window_args(argv)
    assert args is not None and args.data_dir == data_dir and args.verbose is verbose


@pytest.mark.parametrize("argv", [
    ["list"], ["open", "bulletin.bantin"], ["--help"], ["-h"], ["--version"], ["gui", "extra"],
    ["--user", "quantri"], ["--data"], ["--data-dir"], ["--verbose", "render", "1", "-o", "x.mp3"], ["guix"],
])
def test_everything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert cli.window_args(argv) is None


def test_main_opens_the_window_with_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.ui import app

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(app, "run_gui", lambda **kwargs: calls.append(kwargs) or 0)
    assert cli.main(["--data-dir", "portable", "gui"]) == 0
    assert cli.main(["open", "tin.bantin"]) == 0
    assert calls == [{"data_dir": "portable"}, {"data_dir": None, "open_file": Path("tin.bantin")}]


def test_a_usage_error_is_the_full_parsers() -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--data-dir"])
    assert stopped.value.code == 2


def test_opening_the_window_does_not_import_the_commands() -> None:
    code = ("import sys, studio.cli; "
            "print(' '.join(m for m in sys.modules if m.endswith('_commands') or m == 'studio.text.numbers'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == []
