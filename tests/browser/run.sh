#!/usr/bin/env bash
# Runs the browser suite against an already built dist/ (trunk build) holding the bundle.
# Debian Chromium (/usr/bin/chromium) via playwright-core; the native reference is `gpo predict`
# (GPO_BIN, default ~/.cache/gpo/target/debug/gpo). Exits non-zero on any failure; the output
# ends with node's test summary.
#   GPO_DIST=dist  GPO_CHROMIUM=/usr/bin/chromium  GPO_BIN=…/gpo  tests/browser/run.sh [test files…]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export GPO_DIST=${GPO_DIST:-$root/dist}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

fail() { echo "run.sh: $*" >&2; exit 2; }
[ -f "$GPO_DIST/index.html" ] || fail "no $GPO_DIST/index.html: build the page first (trunk build)"
[ -f "$GPO_DIST/bundle/manifest.json" ] || fail "no bundle in $GPO_DIST/bundle (gpo export-web, then trunk build)"
[ -x "${GPO_CHROMIUM:-/usr/bin/chromium}" ] || fail "no Chromium (apt-get install -y chromium mesa-vulkan-drivers libvulkan1)"
[ -x "${GPO_BIN:-$HOME/.cache/gpo/target/debug/gpo}" ] || fail "no gpo binary (cargo build -p gpo-core) or set GPO_BIN"

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund >&2
fi
if [ "$#" -gt 0 ]; then files=("$@"); else files=(tests/*.test.js); fi
# One file at a time: each drives its own Chromium, and the machine may have two cores.
exec node --test --test-concurrency=1 --test-timeout=900000 --test-reporter=spec "${files[@]}"
