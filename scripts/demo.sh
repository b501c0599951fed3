#!/usr/bin/env bash
# The demo command (README): installs what it needs, embeds the surveys, trains the page's GPO
# models (once; a few minutes on 2 CPU cores), exports the bundle, builds the page and serves it
# on http://127.0.0.1:8080.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
scripts/setup.sh model
scripts/setup.sh tools
scripts/web.sh
echo "serving dist/ on http://127.0.0.1:${PORT:-8080} (Ctrl-C to stop)"
exec python3 -m http.server "${PORT:-8080}" --bind 127.0.0.1 --directory "$ROOT/dist"
