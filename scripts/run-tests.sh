#!/usr/bin/env bash
# Install everything the test suite needs and run it: system packages (apt, when missing), a virtual
# environment with the studio and its test extras, the linters, then pytest. Extra arguments go to
# pytest (e.g. `-m "not slow"` for a quick local run). `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# ffmpeg: ffprobe as an independent checker of rendered files; libpulse0: QtMultimedia's runtime;
# pulseaudio, pulseaudio-utils (pactl): the private sound server the tests start, whose pipe source the
# recorder tests record from; postgresql: the server binaries the tests start a throw-away cluster with;
# the rest: Qt's offscreen runtime.
packages=(ffmpeg libpulse0 pulseaudio pulseaudio-utils postgresql libegl1 libgl1 libxkbcommon0 libfontconfig1
          libdbus-1-3 libglib2.0-0)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
