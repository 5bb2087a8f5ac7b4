#!/usr/bin/env bash
# What `make test` needs from the system besides Python: Debian's Chromium at /usr/bin/chromium,
# which the browser test (tests/test_browser.py) drives with Playwright (Playwright's own browser
# download is not used). If it is missing, install it with apt-get where that is possible without
# a password (as root, or with `sudo -n`); otherwise say in one paragraph what to install and exit
# non-zero, so that `make test` stops before running any test.
#
#   scripts/ensure-system-deps.sh            (run by `make test`)
#
# KIT_CHROMIUM overrides the path that is checked (only to try this script's other branches).
set -uo pipefail

CHROMIUM="${KIT_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

cannot() {  # one paragraph on stderr, then stop
  {
    echo "make test needs Debian's Chromium at $CHROMIUM for the browser test, and $1."
    echo "Install it, then run make test again: sudo apt-get update && sudo apt-get install chromium"
    echo "(on another system, install a Chromium that provides $CHROMIUM). No test was run."
    echo "To run the tests that need no browser meanwhile: make test-fast."
  } >&2
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
  cannot "this system has no apt-get to install it with"
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  cannot "installing it needs root (this is not root, and sudo asks for a password or is missing)"
fi

echo "Installing Debian's chromium for the browser test (apt-get; first run only) ..." >&2
log="$(mktemp "${TMPDIR:-/tmp}/kit-apt-XXXXXX.log")"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
   ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$log" 2>&1; then
  cannot "apt-get could not install it ($(tail -n 1 "$log"); the whole log: $log)"
fi
if [ ! -x "$CHROMIUM" ]; then
  cannot "apt-get installed the chromium package but $CHROMIUM is still missing (log: $log)"
fi
rm -f "$log"
echo "chromium installed: $CHROMIUM" >&2
