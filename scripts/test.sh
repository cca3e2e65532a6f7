#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run): Node 24, dependencies, the Debian tools the
# integration tests drive (litmus, vdirsyncer, python3-caldav, redis-server, redis-sentinel, slapd,
# postgresql, mariadb-server), Biome, the type check,
# the import-boundary check, then node's test runner over every *.test.ts (its summary ends the output).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS
failed=()

step() { printf '\n== %s\n' "$*"; }

step "node"
source scripts/ensure-node.sh || exit 1

step "dependencies"
if [ "${CI:-}" = "true" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit || exit 1
else
  echo "node_modules up to date"
fi

step "Debian packages"
packages=(litmus vdirsyncer python3-caldav redis-server redis-sentinel slapd ldap-utils postgresql mariadb-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "installed: ${packages[*]}"
else
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  echo "installing: ${missing[*]}"
  # policy-rc.d 101: packages must not start their services; the tests start their own.
  if ! { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${missing[*]}; tests that need them will fail or skip" >&2
    [ "${CI:-}" = "true" ] && failed+=("apt-get install")
  fi
fi

step "biome check"
npx biome check . || failed+=("biome")

step "typecheck"
npx tsc -p tsconfig.json && echo "no type errors" || failed+=("typecheck")

step "import boundaries"
node scripts/check-boundaries.ts || failed+=("boundaries")

if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: failed so far: ${failed[*]} (running the tests anyway; the exit status will be non-zero)" >&2
fi

step "tests (after $((SECONDS - started)) s of set-up)"
# A hard cap well inside CI's budget, so a hung test fails the run instead of eating it.
timeout --kill-after=30s 1800s npm test --silent
status=$?
[ $status -ne 0 ] && failed+=("tests")
[ ${#failed[@]} -eq 0 ]
