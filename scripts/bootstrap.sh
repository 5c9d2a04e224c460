#!/usr/bin/env bash
# Installs the Debian 12 packages megabatch builds and tests with. Idempotent: asks dpkg first and runs
# apt-get (update, then install) only when something is missing. Prints one line either way.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3
  libtbb-dev libspdlog-dev libfmt-dev libbenchmark-dev libgtest-dev googletest
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libjemalloc-dev
  clang libclang-rt-14-dev
  liblmdb-dev libhiredis-dev redis-server
  gnuplot-nox  # search plots solved.png (optional at run time)
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "bootstrap: no dpkg-query: this script installs Debian packages; install these by hand: ${packages[*]}" >&2
  exit 1
fi

# One dpkg-query for all; it fails (and says nothing useful) when any package is unknown, hence `|| true`.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for package in "${packages[@]}"; do
  grep -Fxq "$package install ok installed" <<<"$installed" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: nothing missing (${#packages[@]} packages already installed)"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

# apt's own output goes to a log, shown only when it fails, so a success stays one line.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0)
if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "bootstrap: apt-get failed installing: ${missing[*]}" >&2
  exit 1
fi
echo "bootstrap: installed ${missing[*]}"
