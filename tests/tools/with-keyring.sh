#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME Keyring, so tests use a real
# Secret Service and never touch the user's own keyring. Everything lives in temporary folders and
# ends with the command. Where dbus-run-session or gnome-keyring is missing, the command runs
# without a keyring and the keychain tests fail with the coded "install a Secret Service" error.
set -euo pipefail
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing (run: npm run setup)" >&2
  exec "$@"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/data" "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
export RELAIS_TEST_KEYRING=1
dbus-run-session -- bash -c '
  eval "$(printf %s relais-test-keyring | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"
' with-keyring "$@"
