#!/usr/bin/env bash
# Jupyter kernel launcher for the project's notebooks: tslab resolves .ts imports only under its working
# folder, so it is started from the repository root (and marks the process as a notebook for lib/core/notebook.ts).
set -e
cd "$(dirname "$0")/.."
export SAFENET_IN_NOTEBOOK=1
exec node node_modules/tslab/bin/tslab kernel --config-path "$1"
