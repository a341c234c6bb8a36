#!/usr/bin/env bash
# The offline bundle (scripts/release.mjs), used the way a partition without a registry uses it:
# builds release/cxl-flasher-VERSION-linux-ARCH.tar.gz, unpacks it into an empty directory and,
# with no network (unshare -n) and a bare environment, runs its launcher: --version, a simulated
# list, inspect and flash, through a symbolic link, and with a missing or too old Node.
#
#   scripts/test-release.sh [ARCH [NODE_DIR]]
# ARCH is x64 (default) or ppc64le; NODE_DIR holds the `node` to put first on PATH (the ppc64le
# suite passes one that runs the emulated node under qemu-user).
#
# Prints a last line "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ARCH=${1:-x64}
NODE_DIR=${2:-$(dirname "$(command -v node)")}
VERSION=$(node -p "require('./package.json').version")
NAME=cxl-flasher-$VERSION-linux-$ARCH

log() { printf '# %s\n' "$*"; }

if [ ! -e dist/cli.js ] || [ -n "$(find src -newer dist/cli.js -print -quit)" ]; then
  log "npm run build"
  npm run --silent build
fi
log "node scripts/release.mjs --arch $ARCH"
node scripts/release.mjs --arch "$ARCH" >/dev/null

# An empty folder with no node_modules in it or above it, so that Node resolves nothing the
# bundle does not carry (on a shared machine someone may link /tmp/node_modules).
no_modules_above() {
  local dir=$1
  while :; do
    [ ! -e "$dir/node_modules" ] || return 1
    [ "$dir" != / ] || return 0
    dir=$(dirname "$dir")
  done
}
base=
for candidate in "${TMPDIR:-/tmp}" /var/tmp /dev/shm; do
  if [ -d "$candidate" ] && no_modules_above "$candidate"; then
    base=$candidate
    break
  fi
done
if [ -z "$base" ]; then
  echo "not ok - every temporary folder here has a node_modules above it"
  echo "0 passed, 1 failed"
  exit 1
fi
work=$(mktemp -d "$base/cxl-release-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/old-node"
tar xzf "release/$NAME.tar.gz" -C "$work"
top=$work/$NAME
# a small sample image, written by the repository's own simulator code
node --input-type=module -e "
  const { sampleImageBytes } = await import('./dist/sim/sample-image.js');
  (await import('node:fs')).writeFileSync(process.argv[1], sampleImageBytes(4 * 1024 * 1024));
" "$work/image.bin"
printf '#!/bin/sh\necho v18.19.0\n' >"$work/old-node/node"
chmod +x "$work/old-node/node"
ln -s "$top/bin/cxl-flasher" "$work/cxl-flasher-link"

# No network: a new network namespace (root, or an unprivileged user namespace where allowed).
isolate=()
if unshare -n true 2>/dev/null; then
  isolate=(unshare -n)
elif unshare -rn true 2>/dev/null; then
  isolate=(unshare -rn)
else
  log "unshare is not permitted here: running with the network"
fi
bare() { # bare COMMAND...: no network, an environment with only PATH, HOME, CI
  "${isolate[@]}" env -i PATH="$NODE_DIR:/usr/bin:/bin" HOME="$work/home" CI=1 "$@"
}

passed=0
failed=0
check() { # check NAME EXPECTED_STATUS PATTERN COMMAND...: status and a line of stdout+stderr
  local name=$1 want=$2 pattern=$3 status=0
  shift 3
  bare "$@" >"$work/out" 2>&1 || status=$?
  if [ "$status" -eq "$want" ] && grep -Eq -- "$pattern" "$work/out"; then
    echo "ok - $name"
    passed=$((passed + 1))
  else
    echo "not ok - $name (exit $status, wanted $want and /$pattern/)"
    sed 's/^/#   /' "$work/out" | tail -n 20
    failed=$((failed + 1))
  fi
}

log "$NAME unpacked in $work: $(du -sb "$top" | cut -f1) bytes"
state=(--state-dir "$work/state")
check "--version" 0 "^$VERSION\$" "$top/bin/cxl-flasher" --version
node_arch=$([ "$ARCH" = ppc64le ] && echo ppc64 || echo "$ARCH")
check "doctor: the $node_arch node runs it" 0 "^  \"arch\": \"$node_arch\"," \
  "$top/bin/cxl-flasher" "${state[@]}" --simulate doctor --json
check "--simulate list" 0 '^card0 .*\[SIMULATED\]' "$top/bin/cxl-flasher" "${state[@]}" --simulate list
check "--simulate inspect" 0 '^size +4,194,304 bytes' \
  "$top/bin/cxl-flasher" "${state[@]}" --simulate inspect "$work/image.bin"
check "--simulate flash" 0 '^success \(exit 0\): Flashed and validated' \
  "$top/bin/cxl-flasher" "${state[@]}" --simulate=speed@50 flash "$work/image.bin" --yes
check "runs through a symbolic link" 0 "^$VERSION\$" "$work/cxl-flasher-link" --version
check "no node: exit 3 with a fix" 3 'fix: install Node.js 20 or newer' \
  env CXL_FLASHER_NODE="$work/missing/node" "$top/bin/cxl-flasher" --version
check "Node 18: exit 3 with a fix" 3 'Node.js v18.19.0 is too old' \
  env PATH="$work/old-node:/usr/bin:/bin" "$top/bin/cxl-flasher" --version

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
