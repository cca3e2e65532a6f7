#!/usr/bin/env bash
# Starts davgate on the embedded default (SQLite in ./data, in-memory state, http://127.0.0.1:8008/dav/).
# Brings Node 24 if the system Node is too old and installs dependencies on the first run.
# Extra arguments go to `davgate serve` (e.g. --port 9000, --config davgate.yaml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/ensure-node.sh >&2
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit >&2
fi
# Production runs JavaScript stripped ahead of time (dist/, rebuilt here when a source changed): Node's
# runtime type stripper costs 18-26 MB of RSS. Without a writable checkout it runs the sources.
main=src/main.ts
if node --no-warnings=ExperimentalWarning scripts/build-dist.ts --if-stale >&2; then main=dist/src/main.js; fi
# V8 heap sizing (docs/performance.md, "Memory"): a smaller young generation (overridable through
# NODE_OPTIONS), and an old generation that starts small and grows by half at each full collection
# instead of to hundreds of MB before its first one. No hard limit: a large report still gets memory.
# Optimising compilation on the main thread (--no-concurrent-recompilation): the background compiler
# threads' malloc arenas kept 25-30 MB of RSS after warm-up, and their CPU competed with the server's
# (docs/performance.md, "Memory: the compiler threads"). These flags are not allowed in NODE_OPTIONS;
# DAVGATE_V8_FLAGS replaces them ("" for V8's defaults).
export NODE_OPTIONS="--max-semi-space-size=8 ${NODE_OPTIONS:-}"
read -r -a v8_flags <<<"${DAVGATE_V8_FLAGS---initial-old-space-size=32 --heap-growing-percent=50 --no-concurrent-recompilation}"
exec node ${v8_flags[@]+"${v8_flags[@]}"} "$main" serve "$@"
