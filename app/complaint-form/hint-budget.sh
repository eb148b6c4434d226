#!/usr/bin/env bash
# The category hint's share of the browser budget (model + code <= 100 KB gzip): builds the
# hint's code alone as wasm modules (examples/category_hint.rs, examples/full_hint.rs) the
# way the complaint form's module is built (wasm-release, wasm-bindgen, wasm-opt -Oz), and
# prints their sizes with the shipped model file's, raw and gzip -9. Run from anywhere:
#   app/complaint-form/hint-budget.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source .ci/setup.sh
ensure_build_tools

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for probe in category_hint full_hint; do
  cargo build -q -p complaint-form --example "$probe" --target wasm32-unknown-unknown \
    --profile wasm-release
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$probe" \
    "target/wasm32-unknown-unknown/wasm-release/examples/$probe.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$out/${probe}_bg.wasm" "$out/${probe}_bg.wasm"
done

# The model the build trained from the corpus (the file the browser loads for version 0).
model=$(cargo build -q -p domain --release --message-format=json \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and m["package_id"].split("#")[0].endswith("/domain"):
        print(m["out_dir"] + "/classifier.model")')
cp "$model" "$out/model.bin"

size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%8.1f", b / 1024 }'; }
row() { printf '%-44s %s %s\n' "$1" "$(kb "$2")" "$(kb "$3")"; }

printf '%-44s %8s %8s\n' "part" "raw KB" "gzip KB"
m_raw=$(size "$out/model.bin"); m_gz=$(gz "$out/model.bin")
row "hint model file" "$m_raw" "$m_gz"
for probe in category_hint full_hint; do
  w_raw=$(size "$out/${probe}_bg.wasm"); w_gz=$(gz "$out/${probe}_bg.wasm")
  j_raw=$(size "$out/$probe.js"); j_gz=$(gz "$out/$probe.js")
  row "$probe code (wasm)" "$w_raw" "$w_gz"
  row "$probe code (js glue)" "$j_raw" "$j_gz"
  row "model + $probe code" $((m_raw + w_raw + j_raw)) $((m_gz + w_gz + j_gz))
done
