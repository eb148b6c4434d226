#!/usr/bin/env bash
# Installs what building the portal needs and is missing; safe to run again.
# Sourced by .ci/serve and .ci/test. Nothing here downloads a binary from GitHub:
# Rust tools come from crates.io, wasm-opt from the npm registry, Chromium from Debian.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen in Cargo.lock
BINARYEN_VERSION=132           # npm build of binaryen; Debian's 108 breaks release wasm

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/.tools"
export PATH="$HOME/.cargo/bin:$tools_dir/binaryen/node_modules/.bin:$PATH"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (no downloads; ~13 minutes on 2 cores, once)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~2 minutes, once)"
    # Not --locked: a dependency pinned in its lock file is missing from the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_wasm_opt() {
  if ! "$tools_dir/binaryen/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into .tools/"
    mkdir -p "$tools_dir/binaryen"
    npm install --prefix "$tools_dir/binaryen" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
}

ensure_chromium() {
  # Chromium for the browser tests, and a CJK font so screenshots show Chinese, not boxes.
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    say "installing Chromium and the Noto CJK fonts from Debian"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
}

ensure_s3_emulator() {
  # moto's S3 API, which the object-storage tests start on loopback (from PyPI).
  if ! command -v moto_server >/dev/null 2>&1; then
    say "installing moto (a local S3 API for the object-storage tests) from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "moto[server]"
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
  fi
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# The complaint form's own module (app/complaint-form: the domain code and a little DOM,
# no Leptos). /complaints/new loads it instead of the app, so it is built next to the
# app's files, after `cargo leptos build` (which does not know it). $1: dev or wasm-release.
build_complaint_form() {
  local profile="${1:-dev}" dir out="target/site/pkg"
  dir="$profile"; [ "$profile" = dev ] && dir=debug
  say "building the complaint form's module ($profile)"
  cargo build -p complaint-form --lib --target wasm32-unknown-unknown --profile "$profile"
  mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name complaint_form \
    "target/wasm32-unknown-unknown/$dir/complaint_form.wasm"
  if [ "$profile" != dev ]; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$out/complaint_form_bg.wasm" "$out/complaint_form_bg.wasm"
  fi
}
