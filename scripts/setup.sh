#!/usr/bin/env bash
# First-use set-up for every Makefile target: Debian packages (installed with apt-get when missing and run as
# root, else a clear message with the command to run) and node_modules (`npm ci` when missing or older than
# package-lock.json). Usage: scripts/setup.sh [base|notebook|bench|slurm]...
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
want() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p"); done; }

for what in "${@:-base}"; do
  case "$what" in
    # g++ and OpenBLAS build the optional native kernels (native/build.mjs); as root they are installed, otherwise
    # their absence only means training on wasm; chromium checks build/report.html headless (test/report*.test.ts)
    base) want jupyter-nbconvert python3-nbclient fonts-dejavu-core python3-numpy python3-sklearn chromium
          if [ "$(id -u)" = "0" ]; then want g++ libopenblas-dev; fi ;;
    notebook) want jupyter-nbconvert python3-nbclient fonts-dejavu-core jupyter-notebook ;;
    bench) want python3-torch libopenblas0-pthread g++ libopenblas-dev ;;
    # the one-node test cluster of `make test-slurm` (scripts/slurm/cluster.sh)
    slurm) want slurm-wlm munge ;;
    *) echo "setup.sh: unknown part '$what' (base, notebook, bench, slurm)" >&2; exit 2 ;;
  esac
done

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # refresh the package lists when they are missing or older than a day
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
      apt-get update -qq
    fi
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${need_apt[*]}" >&2
    echo "       run: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# the optional native kernels (npm's postinstall builds them too); one line, never a failure
node native/build.mjs --optional
