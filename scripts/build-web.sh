#!/usr/bin/env bash
# Build essaymark for the browser: one self-contained page,
# target/web/index.html (WebAssembly base64-inlined, script and styles
# inline, no network), plus target/web/pkg/ (the wasm-bindgen output the
# Node test loads). Installs what it needs: the wasm32-unknown-unknown
# target and wasm-bindgen-cli at the version in Cargo.lock.
# Usage: scripts/build-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
out=target/web
pkg=$out/pkg
web=crates/essaymark-web/web

if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi

# The CLI must match the wasm-bindgen crate exactly (the schema of the
# custom section differs between versions).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { echo "build-web: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-web: installing wasm-bindgen-cli $want (found: ${have:-none})"
  # --locked first; a registry mirror that lacks one of the CLI's locked
  # dependencies (seen: webpki-roots 1.0.11) gets the newest compatible ones.
  cargo install wasm-bindgen-cli --version "$want" --locked \
    || cargo install wasm-bindgen-cli --version "$want"
fi

cargo build --profile web --locked --lib -p essaymark-web --target "$target"
rm -rf "$pkg"
mkdir -p "$pkg"
# Cargo's artifacts follow CARGO_TARGET_DIR; the page stays in ./target/web.
wasm-bindgen --target no-modules --no-typescript --out-dir "$pkg" \
  "${CARGO_TARGET_DIR:-target}/$target/web/essaymark_web.wasm"

# No wasm-opt: Debian's binaryen (108) breaks wasm-bindgen 0.2.130's
# externref table (Node: "Table.set(): Argument 1 is invalid"), and the
# `web` profile already builds for size.
wasm=$pkg/essaymark_web_bg.wasm

# The page: the template with its four markers replaced by the files.
page=$out/index.html
tmp=$(mktemp "$out/index.html.XXXXXX")
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line; do
  case "$line" in
    '<!-- @CSS -->') cat "$web/page.css" ;;
    '<!-- @GLUE -->') cat "$pkg/essaymark_web.js" ;;
    '<!-- @JS -->') cat "$web/page.js" ;;
    '<!-- @WASM -->') base64 -w 76 "$wasm" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$web/index.html" > "$tmp"
chmod 644 "$tmp"  # mktemp makes it private; a page is for sharing
mv "$tmp" "$page"
trap - EXIT
echo "build-web: $page ($(wc -c < "$page") bytes; wasm $(wc -c < "$wasm") bytes)"
