# Sourced by the other scripts: shared paths and the tool PATH.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# Build outputs live outside the clone so that a fresh clone (CI) reuses them.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/gpo/target}
export GPO_TOOLS_DIR=${GPO_TOOLS_DIR:-$HOME/.cache/gpo/bin}
export PATH="$GPO_TOOLS_DIR:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# wgpu on Mesa's lavapipe prints noise without this.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
# The survey data beside the checkout (override with GPO_DATA_DIR).
export GPO_DATA_DIR=${GPO_DATA_DIR:-$ROOT/../shared/data}
# Embeddings, trained models and bundles outside the clone, so that a fresh clone reuses them.
export GPO_CACHE_DIR=${GPO_CACHE_DIR:-$HOME/.cache/gpo/cache}
