#!/usr/bin/env bash
# Builds what the page serves: trains the page's GPO models if they are missing (`--quick`:
# a few steps, for tests), embeds, exports the bundle and builds the page with Trunk into dist/.
# GPO_PAGE_PROFILE=test builds the page in Cargo's `wasm-test` profile (no fat LTO, no wasm-opt:
# minutes faster, the same code); the default is the shipped `wasm-release` build.
# GPO_SURVEYS="DIR …" adds survey folders of one's own (docs/FORMATS.md) to the page, each with
# a model trained for it the same way.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
quick=false
[ "${1:-}" = "--quick" ] && quick=true

gpo="$CARGO_TARGET_DIR/debug/gpo"
cargo build -p gpo-core --bin gpo
models="$GPO_CACHE_DIR/models"
# Trains the page's model for survey ID, named by the flag that loads it (--task T / --survey DIR).
train_web() {
    local id=$1 dir
    shift
    if $quick; then
        dir="$GPO_CACHE_DIR/quick-models/web-$id"
        rm -rf "$dir"
        "$gpo" train "$@" --split 0.8 --seed 0 --steps 20 --eval-every 10 --out "$dir"
    else
        dir="$models/web-$id"
        [ -f "$dir/model.bpk" ] || "$gpo" train "$@" --split 0.8 --seed 0 --out "$dir"
    fi
}
for task in oqa gd4 goqa; do
    train_web "$task" --task "$task"
done
surveys=()
for survey in ${GPO_SURVEYS:-}; do
    "$gpo" data check "$survey" >/dev/null
    id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$survey/survey.json")
    train_web "$id" --survey "$survey"
    surveys+=(--survey "$survey")
done
if $quick; then
    GPO_WEB_MODELS="$GPO_CACHE_DIR/quick-models" "$gpo" export-web --out "$ROOT/.cache/bundle" "${surveys[@]}"
else
    "$gpo" export-web --out "$ROOT/.cache/bundle" "${surveys[@]}"
fi
if [ "${GPO_PAGE_PROFILE:-release}" = test ]; then
    # Trunk's dev mode takes index.html's data-cargo-profile-dev and skips wasm-opt.
    trunk build --release false
else
    trunk build
fi
