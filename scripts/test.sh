#!/usr/bin/env bash
# The test command (README): installs what it needs, then runs every test — formatting and lints,
# native unit and cross-crate tests on the real data (CPU, and wgpu where an adapter exists), the
# wasm32 build check, a web bundle from briefly trained models, the page, and the browser tests.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

step "setup (rust target, web tools, chromium, npm packages, all-MiniLM-L6-v2)"
scripts/setup.sh all

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --exclude gpo-app --all-targets -- -D warnings
cargo clippy -p gpo-app --target wasm32-unknown-unknown -- -D warnings

step "wasm32 build check of core (the same model code the page runs)"
cargo check -p gpo-core --target wasm32-unknown-unknown --no-default-features --features webgpu

step "native tests (unit, golden embeddings, real data, GPO training, checkpoints)"
cargo build -p gpo-core --bin gpo
cargo test --workspace --exclude gpo-app

step "web bundle from briefly trained models, and the page"
scripts/web.sh --quick

step "browser tests (headless Chromium)"
tests/browser/run.sh
