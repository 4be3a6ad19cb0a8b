#!/usr/bin/env bash
# Makes sure Graphviz's `dot` (and, unless DOT_ONLY=1, Debian's Chromium and `wrk`, which the
# browser tests and the load benchmark's smoke test use) are installed.
# As root it installs the Debian packages; otherwise it stops with the exact command to run.
set -euo pipefail
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "${DOT_ONLY:-0}" != 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Cascade needs: ${missing[*]}. Install them with:" >&2
  echo "    sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
