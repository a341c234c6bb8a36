#!/usr/bin/env bash
# FFI conformance and the kernel harness on ppc64le under qemu-user emulation (docs/architecture.md §9).
#
# Installs qemu-user-static and the ppc64el cross libc/compiler (apt), fetches the Node 20
# ppc64le binary and koffi's ppc64 prebuilt from the npm registry, cross-compiles the C shim,
# and runs the conformance suite, the device thread's blocked-open check and `doctor --json` with
# the emulated node. The powerpc request numbers (0x8040ca0a / 0x8040ca0b) must reach the shim.
# Then the ppc64le offline bundle (scripts/test-release.sh ppc64le): unpacked with no network,
# its launcher runs a simulated list, inspect and flash with the emulated node.
#
# Prints a last line "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_PKG=node-linux-ppc64le@20.11.0
KOFFI_VERSION=$(node -p "require('./node_modules/koffi/package.json').version")
KOFFI_PKG=@koromix/koffi-linux-ppc64@${KOFFI_VERSION}
CACHE=.cache/ppc64le
OUT=build/ppc64le
SYSROOT=/usr/powerpc64le-linux-gnu

log() { printf '# %s\n' "$*"; }

need_apt=()
command -v qemu-ppc64le-static >/dev/null || need_apt+=(qemu-user-static)
command -v powerpc64le-linux-gnu-gcc >/dev/null || need_apt+=(gcc-powerpc64le-linux-gnu)
[ -e "$SYSROOT/lib/libc.so.6" ] || need_apt+=(libc6-ppc64el-cross)
[ -e "$SYSROOT/lib/libstdc++.so.6" ] || need_apt+=(libstdc++6-ppc64el-cross)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$CACHE"
fetch() { # fetch PKG DIR: npm pack once, unpack into DIR
  local pkg=$1 dir=$2
  if [ ! -d "$dir/package" ]; then
    log "npm pack $pkg"
    local tgz
    tgz=$(cd "$CACHE" && npm pack --silent "$pkg" 2>/dev/null | tail -n 1)
    mkdir -p "$dir"
    tar xzf "$CACHE/$tgz" -C "$dir"
    rm -f "$CACHE/$tgz"
  fi
}
fetch "$NODE_PKG" "$CACHE/node"
fetch "$KOFFI_PKG" "$CACHE/koffi-$KOFFI_VERSION"
PPC_NODE="$CACHE/node/package/bin/node"

log "building the host JavaScript and the ppc64le runtime tree in $OUT"
rm -rf "$OUT"
mkdir -p "$OUT/node_modules/@koromix"
npx tsc -p tsconfig.ffi.json --outDir "$OUT/js"
npx tsc -p tsconfig.build.json --outDir "$OUT/dist"
cp package.json "$OUT/package.json"
# Pure-JavaScript dependencies are shared with the host; koffi is copied so that it finds the
# ppc64 prebuilt beside it (it looks in ../../../@koromix from its own real path).
for dep in node_modules/*; do
  name=$(basename "$dep")
  case "$name" in koffi | @koromix | .bin | .package-lock.json) continue ;; esac
  ln -s "$(pwd)/$dep" "$OUT/node_modules/$name"
done
cp -r node_modules/koffi "$OUT/node_modules/koffi"
cp -r "$CACHE/koffi-$KOFFI_VERSION/package" "$OUT/node_modules/@koromix/koffi-linux-ppc64"

log "cross-compiling the shim with powerpc64le-linux-gnu-gcc"
powerpc64le-linux-gnu-gcc -shared -fPIC -O2 -fstack-protector-all -Wall -Wextra -Werror \
  -o "$OUT/libcxlshim.so" test/ffi/cxl_shim.c -lpthread
powerpc64le-linux-gnu-gcc -shared -fPIC -O2 -Wall -Wextra -Werror \
  -o "$OUT/libblockingopen.so" test/device-thread/blocking_open.c
cp test/device-thread/blocked-open-check.mjs "$OUT/blocked-open-check.mjs"

run_ppc() { qemu-ppc64le-static -L "$SYSROOT" "$PPC_NODE" "$@"; }

log "emulated node: $(run_ppc -p 'process.version + " " + process.arch + " " + require("os").endianness()')"

passed=0
failed=0
set +e
run_ppc "$OUT/js/scripts/ffi-conformance.js" --shim "$OUT/libcxlshim.so" --emulated | tee "$OUT/conformance.log"
suite_status=${PIPESTATUS[0]}
set -e
suite_line=$(tail -n 1 "$OUT/conformance.log")
if [[ $suite_line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=$((passed + BASH_REMATCH[1]))
  failed=$((failed + BASH_REMATCH[2]))
else
  failed=$((failed + 1))
fi
[ "$suite_status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=$((failed + 1))

log "a stop ends the device thread's wait in open() (tgkill on ppc64le)"
set +e
run_ppc "$OUT/blocked-open-check.mjs" "$OUT/dist" "$OUT/libblockingopen.so" | tee "$OUT/blocked-open.log"
set -e
passed=$((passed + $(grep -c '^ok' "$OUT/blocked-open.log" || true)))
failed=$((failed + $(grep -c '^not ok' "$OUT/blocked-open.log" || true)))
grep -q '^ok' "$OUT/blocked-open.log" || failed=$((failed + 1))

# The kernel's own flash.c and hcalls.c, cross-compiled, against the simulator's driver (the
# kernel harness, test/kernel-harness): needs linux-source-6.12 (CXL_LINUX_SOURCE overrides).
if [ -e "${CXL_LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}" ]; then
  log "kernel harness: cross-compiling flash.c and hcalls.c for 64 KiB and 4 KiB pages"
  npx tsx -e '
    import { buildKernelHarness } from "./test/kernel-harness/build.ts";
    for (const page of [65536, 4096]) buildKernelHarness(page, process.argv[1], { compiler: "powerpc64le-linux-gnu-gcc" });
  ' "$OUT/kernel"
  set +e
  run_ppc "$OUT/js/scripts/kernel-harness-parity.js" --quick \
    --library "$OUT/kernel/libcxlkernel-65536.so" --library "$OUT/kernel/libcxlkernel-4096.so" |
    tee "$OUT/kernel-harness.log"
  harness_status=${PIPESTATUS[0]}
  set -e
  harness_line=$(tail -n 1 "$OUT/kernel-harness.log")
  if [[ $harness_line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    [ "$harness_status" -eq 0 ] || [ "${BASH_REMATCH[2]}" -gt 0 ] || failed=$((failed + 1))
  else
    failed=$((failed + 1))
  fi
elif [ -n "${CXL_KERNEL_HARNESS_REQUIRED:-}" ]; then
  echo "not ok - kernel harness: no linux-source-6.12 tarball"
  failed=$((failed + 1))
else
  log "kernel harness skipped: no linux-source-6.12 tarball"
fi

log "doctor --json under emulation"
if doctor=$(run_ppc "$OUT/dist/cli.js" doctor --json) &&
  node -e '
    const r = JSON.parse(process.argv[1]);
    const ok = r.arch === "ppc64" && r.byteOrder === "LE" && r.ioctl.layout === "powerpc" &&
      r.ioctl.downloadImage === "0x8040ca0a" && r.ioctl.validateImage === "0x8040ca0b" && r.ioctl.structSize === 64;
    console.log(`# doctor: arch ${r.arch} ${r.byteOrder}, layout ${r.ioctl.layout}, DOWNLOAD ${r.ioctl.downloadImage}, VALIDATE ${r.ioctl.validateImage}, struct ${r.ioctl.structSize} bytes`);
    process.exit(ok ? 0 : 1);
  ' "$doctor"; then
  echo "ok - doctor --json reports the powerpc request numbers"
  passed=$((passed + 1))
else
  echo "not ok - doctor --json reports the powerpc request numbers"
  failed=$((failed + 1))
fi

log "the offline bundle (npm run release) under emulation: its launcher finds this node on PATH"
mkdir -p "$OUT/node-bin"
printf '#!/bin/sh\nexec qemu-ppc64le-static -L %s %s "$@"\n' "$SYSROOT" "$(pwd)/$PPC_NODE" >"$OUT/node-bin/node"
chmod +x "$OUT/node-bin/node"
set +e
bash scripts/test-release.sh ppc64le "$(pwd)/$OUT/node-bin" | tee "$OUT/release.log"
release_status=${PIPESTATUS[0]}
set -e
release_line=$(tail -n 1 "$OUT/release.log")
if [[ $release_line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=$((passed + BASH_REMATCH[1]))
  failed=$((failed + BASH_REMATCH[2]))
  [ "$release_status" -eq 0 ] || [ "${BASH_REMATCH[2]}" -gt 0 ] || failed=$((failed + 1))
else
  failed=$((failed + 1))
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
