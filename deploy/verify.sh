#!/bin/sh
# Check the unit files with systemd-analyze before installing them. systemd-analyze also checks
# that each ExecStart program exists, so the units are checked as copies pointing at this
# checkout (run from the checkout, after creating .venv); the paths are the only change.
# systemd-analyze exits 0 on unknown keys and bad values (it only warns), so any output fails.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for unit in "$here"/deploy/*.service "$here"/deploy/*.timer; do
    sed "s#/srv/exchange-tracker#$here#g" "$unit" >"$tmp/$(basename "$unit")"
done
problems=$(systemd-analyze verify "$tmp"/*.service "$tmp"/*.timer 2>&1) || true
if [ -n "$problems" ]; then
    echo "$problems"
    exit 1
fi
echo "deploy/: $(ls "$tmp" | wc -l) unit files verified"
