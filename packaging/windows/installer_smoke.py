"""Checks of the Windows build and installer, run by .github/workflows/windows-installer.yml.

    python packaging/windows/installer_smoke.py check-names
        studio.iss names the same data folder as studio/paths.py and the same programs as
        packaging/studio.spec (runs anywhere, also on Linux).
    python packaging/windows/installer_smoke.py version
        the package version and its four-number form for ISCC (/DAppVersion, /DAppVersionNumeric);
        also written to $GITHUB_OUTPUT as ``version=`` and ``numeric=`` when that is set.
    python packaging/windows/installer_smoke.py cli EXE [ARGS...]
        runs a frozen program headless (QT_QPA_PLATFORM=offscreen); fails on a nonzero exit code or on
        anything unexpected written to stderr.
    python packaging/windows/installer_smoke.py cycle SETUP.exe --version V
        (Windows only) installs per-user and silently, checks files, shortcuts, the .bantin association
        and the uninstall entry, runs the installed studio-cli, creates user data in the default place,
        uninstalls silently, checks that everything installed is gone and the user data are still there.
    python packaging/windows/installer_smoke.py purge-cycle SETUP.exe --version V
        (Windows only) installs again, makes sure there are user data, uninstalls silently with the
        uninstaller's /PURGEDATA switch and checks that the data folder is gone.

Both cycles uninstall the studio, and purge-cycle deletes the studio's data of the current Windows user:
they refuse to run outside GitHub Actions unless --allow-on-this-pc is given.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ISS = HERE / "studio.iss"
SPEC = ROOT / "packaging" / "studio.spec"
DISTRIBUTION = "commune-radio-studio"
RUN_TIMEOUT = 900  # seconds: a cold frozen start plus the offline render of the self-test
# stderr lines that say nothing about the build, as regular expressions, each with its reason. None today,
# as in scripts/package.sh (ALLOWED_STDERR): the self-test keeps stderr clean, so any line there is news.
HARMLESS_STDERR: tuple[re.Pattern[str], ...] = ()


class CheckFailed(Exception):
    """One expectation not met; the message says which."""


def iss_defines() -> dict[str, str]:
    """The string ``#define``s of studio.iss (AppGuid, GuiExe, DataAuthor …)."""
    text = ISS.read_text(encoding="utf-8-sig")
    return dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"\s*$', text, flags=re.MULTILINE))


def spec_value(name: str) -> str:
    match = re.search(rf'^{name}\s*=\s*"([^"]*)"', SPEC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    if not match:
        raise CheckFailed(f"{SPEC.relative_to(ROOT)} has no {name} = \"...\"")
    return match.group(1)


def check_names() -> None:
    sys.path.insert(0, str(ROOT))
    from studio.paths import APP_AUTHOR, APP_NAME

    defines = iss_defines()
    expected = {
        "DataAuthor": APP_AUTHOR,
        "DataAppName": APP_NAME,
        "GuiExe": spec_value("APP_NAME") + ".exe",
        "CliExe": spec_value("CLI_NAME") + ".exe",
    }
    wrong = [f"{key}: studio.iss has {defines.get(key)!r}, expected {value!r}"
             for key, value in expected.items() if defines.get(key) != value]
    if wrong:
        raise CheckFailed("studio.iss disagrees with the project:\n  " + "\n  ".join(wrong))
    bundle = defines.get("BundleExt", "")
    if not any(bundle in path.read_text(encoding="utf-8") for path in (ROOT / "studio").rglob("*.py")):
        print(f"note: no module under studio/ mentions {bundle!r} yet (the bundle export is agreed, not merged)")
    print("studio.iss names agree with studio/paths.py and packaging/studio.spec: "
          + ", ".join(f"{key}={value}" for key, value in expected.items()))


def numeric_version(version: str) -> str:
    """Up to four leading numbers of a version, as the spec puts in the programs' version resource."""
    numbers: list[str] = []
    for part in re.split(r"[.+-]", version):
        if not part.isdigit():
            break
        numbers.append(str(int(part)))
    return ".".join([*numbers, "0", "0", "0", "0"][:4])


def print_version() -> None:
    from importlib.metadata import version

    current = version(DISTRIBUTION)
    numeric = numeric_version(current)
    print(f"version={current}\nnumeric={numeric}")
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"version={current}\nnumeric={numeric}\n")


def run(command: Sequence[str | os.PathLike[str]], *, strict_stderr: bool = True) -> str:
    """Run one program headless and return what it printed (stdout, then stderr).

    A nonzero exit code fails; so does any output on stderr unless ``strict_stderr`` is off.
    """
    # Output to a pipe is encoded in the ANSI code page on Windows (a console would get Unicode), and the
    # studio prints Vietnamese: UTF-8 mode makes the captured output what a console would show.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONIOENCODING="utf-8")
    shown = " ".join(f'"{part}"' if " " in str(part) else str(part) for part in command)
    print(f"$ {shown}", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run([str(part) for part in command], env=env, capture_output=True, timeout=RUN_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{shown} did not finish within {RUN_TIMEOUT} s") from exc
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    print(stdout, end="" if stdout.endswith("\n") or not stdout else "\n")
    if stderr.strip():
        print("--- stderr ---\n" + stderr, file=sys.stderr)
    print(f"(exit code {done.returncode}, {time.monotonic() - started:.1f} s)", flush=True)
    if done.returncode != 0:
        raise CheckFailed(f"{shown} exited with {done.returncode}")
    unexpected = [line for line in stderr.splitlines()
                  if line.strip() and not any(pattern.search(line) for pattern in HARMLESS_STDERR)]
    if strict_stderr and unexpected:
        raise CheckFailed(f"{shown} wrote to stderr (shown above)")
    return stdout + stderr


# ---- the install / uninstall cycle (Windows) ------------------------------------------------------------


def registry_values(root: int, subkey: str) -> dict[str, object] | None:
    """All values of one registry key (the default value under ""), or None when the key is missing."""
    import winreg

    try:
        key = winreg.OpenKey(root, subkey)
    except FileNotFoundError:
        return None
    values: dict[str, object] = {}
    with key:
        index = 0
        while True:
            try:
                name, data, _kind = winreg.EnumValue(key, index)
            except OSError:
                return values
            values[name] = data
            index += 1


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {seconds:.0f} s waiting for: {what}")
        time.sleep(1)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    print(f"ok: {message}", flush=True)


def show_log(path: Path) -> None:
    if path.is_file():
        print(f"--- {path.name} ---")
        print(path.read_text(encoding="utf-8", errors="replace"))


class Cycle:
    def __init__(self, setup: Path, version: str, logs: Path) -> None:
        import winreg

        sys.path.insert(0, str(ROOT))
        import platformdirs

        from studio.paths import APP_AUTHOR, APP_NAME

        self.setup = setup
        self.version = version
        self.logs = logs
        self.defines = iss_defines()
        self.hkcu = winreg.HKEY_CURRENT_USER
        self.hklm = winreg.HKEY_LOCAL_MACHINE
        self.uninstall_key = (r"Software\Microsoft\Windows\CurrentVersion\Uninstall"
                              + "\\{" + self.defines["AppGuid"] + "}_is1")
        self.data_dir = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
        self.shortcut_name = self.defines["AppName"] + ".lnk"
        self.start_menu = Path(os.environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs"
        self.desktop = Path(os.environ["USERPROFILE"]) / "Desktop"
        self.classes = r"Software\Classes"

    def install(self, tag: str) -> Path:
        log = self.logs / f"setup-{tag}.log"
        print(f"\n== install ({tag}) ==", flush=True)
        command = [str(self.setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER", "/LANG=en",
                   f"/LOG={log}"]
        print("$ " + " ".join(command), flush=True)
        done = subprocess.run(command, timeout=RUN_TIMEOUT, check=False)
        if done.returncode != 0:
            show_log(log)
            raise CheckFailed(f"Setup exited with {done.returncode}")
        entry = registry_values(self.hkcu, self.uninstall_key)
        if entry is None:
            show_log(log)
            raise CheckFailed(f"no uninstall entry HKCU\\{self.uninstall_key}")
        expect(registry_values(self.hklm, self.uninstall_key) is None, "nothing was registered for all users (HKLM)")
        expect(entry.get("DisplayVersion") == self.version,
               f"the uninstall entry says version {entry.get('DisplayVersion')!r} (expected {self.version!r})")
        app = Path(str(entry["InstallLocation"]))
        local_programs = Path(os.environ["LOCALAPPDATA"]) / "Programs"
        expect(app.resolve().is_relative_to(local_programs.resolve()),
               f"installed per-user below {local_programs}: {app}")
        return app

    def check_installed(self, app: Path) -> None:
        gui, cli = self.defines["GuiExe"], self.defines["CliExe"]
        expect((app / gui).is_file() and (app / cli).is_file(), f"{gui} and {cli} are in {app}")
        expect((app / "_internal").is_dir(), "the runtime folder _internal is installed")
        font_licences = sorted((app / "licenses" / "fonts").glob("*.txt"))
        expect(len(font_licences) >= 2, f"the font licences are installed: {[p.name for p in font_licences]}")
        expect((app / "licenses" / "notices-en.txt").is_file() and (app / "licenses" / "notices-vi.txt").is_file(),
               "the notices are installed")
        expect((self.start_menu / self.shortcut_name).is_file(), f"Start menu shortcut {self.shortcut_name}")
        expect((self.desktop / self.shortcut_name).is_file(), f"desktop shortcut {self.shortcut_name}")
        ext, progid = self.defines["BundleExt"], self.defines["BundleProgId"]
        ext_values = registry_values(self.hkcu, rf"{self.classes}\{ext}") or {}
        expect(ext_values.get("") == progid, f"HKCU\\{self.classes}\\{ext} names {progid}")
        owp = registry_values(self.hkcu, rf"{self.classes}\{ext}\OpenWithProgids") or {}
        expect(progid in owp, f"{progid} is listed in {ext}\\OpenWithProgids")
        command = (registry_values(self.hkcu, rf"{self.classes}\{progid}\shell\open\command") or {}).get("")
        expected = f'"{app / gui}" open "%1"'
        expect(isinstance(command, str) and os.path.normcase(command) == os.path.normcase(expected),
               f"the open command is {command!r} (expected {expected!r})")

    def run_installed(self, app: Path) -> None:
        cli = app / self.defines["CliExe"]
        with tempfile.TemporaryDirectory(prefix="studio-installed-") as scratch:
            run([cli, "--data-dir", scratch, "self-test"])
        # argparse prints --version through parser.exit(), i.e. on stderr.
        shown = run([cli, "--version"], strict_stderr=False)
        expect(self.version in shown, f"studio-cli --version reports {self.version}: {shown.strip()!r}")
        # Real user data in the default place: what the uninstaller must leave alone.
        run([cli, "demo"], strict_stderr=False)
        expect((self.data_dir / "studio.sqlite3").is_file(), f"the studio made its library in {self.data_dir}")

    def uninstall(self, tag: str, app: Path, *extra: str) -> None:
        entry = registry_values(self.hkcu, self.uninstall_key) or {}
        uninstaller = str(entry.get("UninstallString", "")).strip().strip('"')
        log = self.logs / f"uninstall-{tag}.log"
        print(f"\n== uninstall ({tag}) ==", flush=True)
        command = [uninstaller, "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", f"/LOG={log}", *extra]
        print("$ " + " ".join(command), flush=True)
        done = subprocess.run(command, timeout=RUN_TIMEOUT, check=False)
        if done.returncode != 0:
            show_log(log)
            raise CheckFailed(f"the uninstaller exited with {done.returncode}")
        # The uninstaller runs its work from a copy in %TEMP%; wait for the result rather than the process.
        gui = app / self.defines["GuiExe"]
        wait_until(lambda: not gui.exists() and registry_values(self.hkcu, self.uninstall_key) is None, 180,
                   f"{gui} and the uninstall entry to disappear")
        show_log(log)

    def check_removed(self, app: Path) -> None:
        expect(not (app / "_internal").exists(), f"the program folder's runtime is gone ({app})")
        expect(not (self.start_menu / self.shortcut_name).exists(), "the Start menu shortcut is gone")
        expect(not (self.desktop / self.shortcut_name).exists(), "the desktop shortcut is gone")
        ext, progid = self.defines["BundleExt"], self.defines["BundleProgId"]
        expect(registry_values(self.hkcu, rf"{self.classes}\{progid}") is None, f"the ProgID {progid} is gone")
        leftover = registry_values(self.hkcu, rf"{self.classes}\{ext}")
        expect(leftover is None or leftover.get("") != progid, f"{ext} no longer points at {progid}")

    def keep_cycle(self) -> None:
        if self.data_dir.exists():
            if os.environ.get("GITHUB_ACTIONS") != "true":
                raise CheckFailed(f"{self.data_dir} already holds studio data: not touching them on this PC")
            print(f"removing the data folder left by an earlier step: {self.data_dir}")
            shutil.rmtree(self.data_dir)
        app = self.install("keep")
        self.check_installed(app)
        self.run_installed(app)
        self.uninstall("keep", app)
        self.check_removed(app)
        expect((self.data_dir / "studio.sqlite3").is_file(),
               f"a silent uninstall kept the user's data ({self.data_dir})")
        print("\ninstall / run / uninstall cycle passed; the user's data were kept")

    def purge_cycle(self) -> None:
        app = self.install("purge")
        if not (self.data_dir / "studio.sqlite3").is_file():
            run([app / self.defines["CliExe"], "demo"], strict_stderr=False)
        expect(self.data_dir.is_dir(), f"there are user data to delete ({self.data_dir})")
        self.uninstall("purge", app, "/PURGEDATA")
        self.check_removed(app)
        expect(not self.data_dir.exists(), f"the uninstaller's /PURGEDATA deleted the user's data ({self.data_dir})")
        print("\npurge cycle passed")


def cycle(setup: Path, version: str, purge: bool, allow_here: bool) -> None:
    if sys.platform != "win32":
        raise CheckFailed("the install cycle runs on Windows only")
    if os.environ.get("GITHUB_ACTIONS") != "true" and not allow_here:
        raise CheckFailed("this uninstalls the studio (and purge-cycle deletes your studio data): "
                          "pass --allow-on-this-pc to run it outside GitHub Actions")
    logs = Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / "studio-installer-logs"
    logs.mkdir(parents=True, exist_ok=True)
    checks = Cycle(setup.resolve(), version, logs)
    if purge:
        checks.purge_cycle()
    else:
        checks.keep_cycle()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check-names")
    sub.add_parser("version")
    p_cli = sub.add_parser("cli")
    p_cli.add_argument("exe", type=Path)
    p_cli.add_argument("args", nargs=argparse.REMAINDER)
    for name in ("cycle", "purge-cycle"):
        p_cycle = sub.add_parser(name)
        p_cycle.add_argument("setup", type=Path)
        p_cycle.add_argument("--version", required=True)
        p_cycle.add_argument("--allow-on-this-pc", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "check-names":
            check_names()
        elif args.command == "version":
            print_version()
        elif args.command == "cli":
            run([args.exe, *args.args])
        else:
            cycle(args.setup, args.version, args.command == "purge-cycle", args.allow_on_this_pc)
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
