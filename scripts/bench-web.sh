#!/usr/bin/env bash
# The browser build's size and speed: the page's bytes (and gzipped, as a
# static host would serve it), and the time to grade one generated essay of
# WORDS words with the WebAssembly engine under Node: the first call (which
# also compiles the rubric) and the median of 20 re-grades (what the page
# does on each pause in typing).
# Usage: scripts/bench-web.sh [WORDS]   (default 3000; needs node; the
# generator is deterministic, so its debug build makes the same essay)
set -euo pipefail
cd "$(dirname "$0")/.."
words=${1:-3000}
dir=${TMPDIR:-/tmp}/essaymark-web-bench-v1-$words
[ -f target/web/index.html ] || bash scripts/build-web.sh
[ -d "$dir" ] || cargo run --quiet --example gen_corpus -- "$dir" 1 "$words"
essay=$(find "$dir" -name '*.txt' | sort | head -1)
page=target/web/index.html
wasm=target/web/pkg/essaymark_web_bg.wasm
echo "page: $(wc -c < "$page") bytes, $(gzip -9c "$page" | wc -c) gzipped; wasm: $(wc -c < "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped"
echo "essay: $essay, $(wc -w < "$essay") words, $(wc -c < "$essay") bytes; node $(node --version), $(nproc) cores"
node crates/essaymark-web/tests/grade.js target/web/pkg --time "$essay" 20
