#!/usr/bin/env bash
# Jupyter kernel launcher for the project's notebooks: tslab resolves .ts imports only under its working
# folder, so it is started from the repository root (and marks the process as a notebook for lib/core/notebook.ts).
# SAFENET_TSLAB_WATCH=0 (set by the headless runner) stops tslab watching lib/ files (scripts/tslab-nowatch.js).
set -e
cd "$(dirname "$0")/.."
export SAFENET_IN_NOTEBOOK=1
if [ "${SAFENET_TSLAB_WATCH:-1}" = "0" ]; then
  exec node --require "$PWD/scripts/tslab-nowatch.js" node_modules/tslab/bin/tslab kernel --config-path "$1"
fi
exec node node_modules/tslab/bin/tslab kernel --config-path "$1"
