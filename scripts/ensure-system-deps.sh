#!/usr/bin/env bash
# What `make test` needs from the system besides Python: Debian's Chromium at /usr/bin/chromium,
# which the browser test (tests/test_browser.py) drives with Playwright (Playwright's own browser
# download is not used); with the argument `cohort` (as `make test` and `make cohort` call it),
# also what cohort mode runs on (tests/test_cohort.py): PostgreSQL (initdb), redis-server and npm
# (for configurable-http-proxy, which the kit installs itself). Whatever is missing is installed
# with apt-get where that is possible without a password (as root, or with `sudo -n`); otherwise
# one paragraph says what to install and the script exits non-zero, so that `make test` stops
# before running any test.
#
#   scripts/ensure-system-deps.sh            (chromium only)
#   scripts/ensure-system-deps.sh cohort     (run by `make test` and `make cohort`)
#
# KIT_CHROMIUM, KIT_INITDB, KIT_REDIS_SERVER and KIT_NPM override the paths that are checked
# (only to try this script's other branches).
set -uo pipefail

CHROMIUM="${KIT_CHROMIUM:-/usr/bin/chromium}"
missing=()   # Debian packages to install
needs=()     # what they are for, in words
if [ ! -x "$CHROMIUM" ]; then
  missing+=(chromium); needs+=("Debian's Chromium at $CHROMIUM for the browser test")
fi
if [ "${1:-}" = cohort ]; then
  INITDB="${KIT_INITDB:-$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1)}"
  REDIS="${KIT_REDIS_SERVER:-/usr/bin/redis-server}"
  NPM="${KIT_NPM:-/usr/bin/npm}"
  if [ -z "$INITDB" ] || [ ! -x "$INITDB" ]; then
    missing+=(postgresql); needs+=("PostgreSQL (initdb) for cohort mode's gradebook")
  fi
  if [ ! -x "$REDIS" ]; then
    missing+=(redis-server); needs+=("redis-server ($REDIS) for cohort mode's grading queue")
  fi
  if [ ! -x "$NPM" ]; then
    missing+=(nodejs npm); needs+=("npm ($NPM) to install JupyterHub's proxy")
  fi
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

what="$(printf '%s; ' "${needs[@]}")"; what="${what%; }"
packages="${missing[*]}"

cannot() {  # one paragraph on stderr, then stop
  {
    echo "make test needs $what, and $1."
    echo "Install it, then run make test again: sudo apt-get update && sudo apt-get install $packages"
    echo "(on another system, install the equivalent packages). No test was run."
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

echo "Installing Debian's $packages for the tests (apt-get; first run only) ..." >&2
log="$(mktemp "${TMPDIR:-/tmp}/kit-apt-XXXXXX.log")"
# shellcheck disable=SC2086  # one word per package
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
   ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $packages >>"$log" 2>&1; then
  cannot "apt-get could not install it ($(tail -n 1 "$log"); the whole log: $log)"
fi
if [ ! -x "$CHROMIUM" ]; then
  cannot "apt-get installed the chromium package but $CHROMIUM is still missing (log: $log)"
fi
rm -f "$log"
echo "installed: $packages" >&2
