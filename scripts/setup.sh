#!/usr/bin/env bash
# Set up rmr-gen on a fresh Debian machine: system libraries WeasyPrint needs,
# chromium for the preview tests, then a virtual environment in .venv with
# rmr-gen and its test tools. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }

# WeasyPrint: Pango and HarfBuzz; the tests: poppler-utils; the preview and web tests: chromium
# (and npm, which fetches axe-core for the web edition's accessibility tests).
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium)
missing=()
for package in "${system_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    say "these Debian packages are missing: ${missing[*]}"
    say "run as root:  apt-get install ${missing[*]}  (or install sudo), then run $0 again"
    exit 1
  fi
  # Wait up to 10 minutes for another apt or dpkg (e.g. unattended upgrades) to finish.
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  say "updating the package lists (waits if another apt is running)"
  "${apt[@]}" update -qq
  say "installing ${missing[*]}"
  "${apt[@]}" install -y -q "${missing[@]}"
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$python" -m venv .venv
fi
say "installing rmr-gen and its test tools into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
.venv/bin/python -m pip install -q --disable-pip-version-check --progress-bar on -e ".[test]"
# pip byte-compiles what it installs, but not an editable project: compile rmr-gen's own
# modules too, or every run compiles them again where PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q src/rmr_gen >/dev/null

# axe-core, the accessibility rules the web pages are tested with (tests/test_web_a11y.py)
axe=.venv/share/axe-core
if [ ! -f "$axe/axe.min.js" ]; then
  say "fetching axe-core"
  unpack="$(mktemp -d)"
  (cd "$unpack" && npm pack --silent axe-core@4 >/dev/null && tar -xzf axe-core-*.tgz)
  mkdir -p "$axe"
  cp "$unpack/package/axe.min.js" "$unpack/package/LICENSE" "$axe/"
  rm -rf "$unpack"
fi
say "ready: run .venv/bin/rmr-gen (or 'source .venv/bin/activate', then rmr-gen)"
