#!/usr/bin/env bash
# Regenerates the golden embedding fixture with the reference implementation
# (sentence-transformers on PyTorch CPU, from PyPI) in a throw-away virtual environment.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" model
venv=${GOLDEN_VENV:-$HOME/.cache/gpo/golden-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet "torch==2.11.0" "sentence-transformers==5.1.2" "transformers==4.57.1"
"$venv/bin/python" "$ROOT/scripts/golden_embeddings.py"
