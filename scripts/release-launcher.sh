#!/bin/sh
# bin/cxl-flasher in the offline bundle (scripts/release.mjs): runs lib/cli.js with the system's
# Node.js, which must be 20 or newer. CXL_FLASHER_NODE names another node binary.
# Symbolic links to this file (e.g. from /usr/local/bin) are followed to find lib/.
self=$(readlink -f -- "$0") || self=$0
top=$(dirname -- "$(dirname -- "$self")")
node=${CXL_FLASHER_NODE:-node}
if ! version=$("$node" --version 2>/dev/null); then
  echo "cxl-flasher: Node.js was not found (looked for \"$node\" on PATH)." >&2
  echo "  fix: install Node.js 20 or newer (the nodejs package), or set CXL_FLASHER_NODE to a node binary." >&2
  exit 3
fi
major=${version#v}
major=${major%%.*}
case $major in
'' | *[!0-9]*) major=0 ;;
esac
if [ "$major" -lt 20 ]; then
  echo "cxl-flasher: Node.js $version is too old; cxl-flasher needs 20 or newer." >&2
  echo "  fix: install Node.js 20 or newer, or set CXL_FLASHER_NODE to a node binary of version 20 or newer." >&2
  exit 3
fi
exec "$node" "$top/lib/cli.js" "$@"
