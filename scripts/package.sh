#!/usr/bin/env bash
# Build the frozen studio and smoke-test it: the one packaging command (what `make package` would be).
#
#   bash scripts/package.sh              install, build, smoke-test
#   bash scripts/package.sh --no-build   smoke-test the existing dist/CommuneRadioStudio again
#
# 1. installs the studio with its `package` extra (PyInstaller) into .venv (created when missing);
# 2. builds packaging/studio.spec into dist/CommuneRadioStudio/ (work files in build/; both gitignored):
#    CommuneRadioStudio (the window; windowed on Windows) and studio-cli (the console commands);
# 3. runs the frozen `studio-cli self-test` as an officer's PC would: off screen, a throw-away data folder,
#    no network (a private network namespace when the kernel allows one), nothing from the venv in the
#    environment. It fails on a non-zero exit, on a missing pass line, and on any line on stderr that is
#    not in the allow-list below;
# 4. prints the build time, the folder's size and the self-test's time (the lines tests/packaging checks).
set -euo pipefail
cd "$(dirname "$0")/.."

APP=CommuneRadioStudio
DIST=dist/$APP
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE=.exe; BIN=Scripts ;; *) EXE=; BIN=bin ;; esac
CLI=$DIST/studio-cli$EXE
GUI=$DIST/$APP$EXE

# stderr lines of the frozen self-test that are harmless, as extended regular expressions, each with its
# reason. None today: the self-test keeps stderr clean, so any line there is news.
ALLOWED_STDERR=()

build=1
case "${1:-}" in
    "") ;;
    --no-build) build=0 ;;
    *) echo "usage: bash scripts/package.sh [--no-build]" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
[ -x ".venv/$BIN/python$EXE" ] || "$python" -m venv .venv
venv_python=.venv/$BIN/python$EXE

if [ $build = 1 ]; then
    "$venv_python" -m pip install -q --disable-pip-version-check -e ".[package]"
    echo "package: building $DIST with PyInstaller"
    started=$(date +%s)
    # Always a full analysis: PyInstaller's incremental build decides by file times and can keep a module
    # compiled from before an edit (seen here when files changed during a build). It costs a few seconds.
    rm -rf build/studio
    "$venv_python" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/studio.spec
    echo "package: built $DIST in $(( $(date +%s) - started )) s"
fi
for program in "$CLI" "$GUI"; do
    [ -x "$program" ] || { echo "package: FAILED: $program is missing (not built?)" >&2; exit 1; }
done
echo "package: size $(du -sm "$DIST" | cut -f1) MB"

work=$(mktemp -d "${TMPDIR:-/tmp}/studio-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/xdg"

# The version the frozen programs report is the package's own (read from the bundled metadata).
expected_version=$("$venv_python" -c "import studio; print(studio.__version__)")
# (The windowed Windows program has no console to print to: only studio-cli is asked there.)
programs=("$CLI"); [ -n "$EXE" ] || programs+=("$GUI")
for program in "${programs[@]}"; do
    reported=$("$program" --version 2>&1)
    if [ "$reported" != "studio $expected_version" ]; then
        echo "package: FAILED: $program --version says '$reported', expected 'studio $expected_version'" >&2
        exit 1
    fi
done
echo "package: version $expected_version"

# No network: a private network namespace when available (it has no interface up, not even loopback).
isolate=()
if command -v unshare >/dev/null && unshare --net --map-root-user true 2>/dev/null; then
    isolate=(unshare --net --map-root-user)
    echo "package: self-test without network (private network namespace)"
else
    echo "package: self-test with the network present (no network namespace here); it uses no network"
fi

# A clean environment: nothing from the venv or the developer's session (no ffmpeg on PATH either), the data,
# temporary files and Qt's caches in $work. Windows keeps its environment: its DLLs need SystemRoot and PATH.
mkdir -p "$work/tmp"
chmod 700 "$work/xdg"
if [ -n "$EXE" ]; then
    clean_env=(env "QT_QPA_PLATFORM=offscreen" "STUDIO_HOME=$work/home" "TMP=$work/tmp" "TEMP=$work/tmp")
else
    clean_env=(env -i "PATH=/usr/bin:/bin" "HOME=$work" "LANG=C.UTF-8" "TMPDIR=$work/tmp"
               "QT_QPA_PLATFORM=offscreen" "STUDIO_HOME=$work/home" "XDG_CACHE_HOME=$work/xdg/cache"
               "XDG_CONFIG_HOME=$work/xdg/config" "XDG_DATA_HOME=$work/xdg/data" "XDG_RUNTIME_DIR=$work/xdg")
fi

started=$EPOCHREALTIME
status=0
"${isolate[@]}" "${clean_env[@]}" "$CLI" --data-dir "$work/home" self-test >"$work/stdout" 2>"$work/stderr" \
    || status=$?
selftest_seconds=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
cat "$work/stdout"

unexpected=$work/unexpected-stderr
if [ ${#ALLOWED_STDERR[@]} -gt 0 ]; then
    printf '%s\n' "${ALLOWED_STDERR[@]}" >"$work/allowed"
    grep -v -E -f "$work/allowed" "$work/stderr" >"$unexpected" || true
else
    cp "$work/stderr" "$unexpected"
fi

problem=
if [ "$status" -ne 0 ]; then
    problem="the frozen self-test exited with $status"
elif ! grep -q '^self-test passed' "$work/stdout"; then
    problem="the frozen self-test did not say it passed"
elif [ -s "$unexpected" ]; then
    problem="the frozen self-test wrote unexpected lines on stderr"
fi
if [ -n "$problem" ]; then
    echo "package: FAILED: $problem; its stderr:" >&2
    cat "$work/stderr" >&2
    exit 1
fi
echo "package: self-test passed in $selftest_seconds s"
