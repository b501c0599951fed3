#!/usr/bin/env bash
# The test command (README): installs what it needs, then runs every test — formatting and lints,
# native unit and cross-crate tests on the real data (CPU, and wgpu where an adapter exists), a
# web bundle from briefly trained models, the page (the wasm32 build of app and core), and the
# browser tests.
#
# Lints cost no build of their own: clippy is the compiler of the workspace's crates
# (RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` does it), so the native test build lints core,
# the CLI and the tests, and the page's build lints app and core for wasm32 — dependencies are
# built once for each target, by the build that runs them. Each step prints its time.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

started=$SECONDS
last=$SECONDS
timings=()
step() {
    [ ${#timings[@]} -eq 0 ] || timings[-1]+=" $((SECONDS - last)) s"
    last=$SECONDS
    timings+=("$*:")
    printf '\n== %s (at %d s)\n' "$*" "$((SECONDS - started))"
}

step "setup (rust target, web tools, chromium, npm packages, all-MiniLM-L6-v2)"
scripts/setup.sh all

step "formatting"
cargo fmt --all -- --check

# From here every workspace crate is compiled by clippy, warnings denied (cargo-clippy's own
# way of passing its arguments to the driver).
RUSTC_WORKSPACE_WRAPPER=$(command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "native build and lints (core, the gpo CLI, the cross-crate tests)"
cargo build -p gpo-core --bin gpo
cargo test --workspace --exclude gpo-app --no-run

step "native tests (unit, golden embeddings, real data, GPO training, checkpoints, kills)"
cargo test --workspace --exclude gpo-app

step "web bundle from briefly trained models, and the page (wasm32 build and lints of app and core)"
GPO_PAGE_PROFILE=test scripts/web.sh --quick

step "browser tests (headless Chromium)"
tests/browser/run.sh

step "done"
printf '\n== step times\n'
printf '%s\n' "${timings[@]:0:${#timings[@]}-1}"
printf 'total: %d s\n' "$((SECONDS - started))"
