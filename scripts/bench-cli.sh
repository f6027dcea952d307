#!/usr/bin/env bash
# Whole-CLI benchmark: grade a generated corpus with the built-in rubric,
# text report to a file, against ripgrep doing the same phrase search.
# Usage: scripts/bench-cli.sh [ESSAYS] [WORDS]   (defaults: 1000 3000; WORDS may be
# a range such as 500-5000)
# Needs hyperfine and ripgrep (Debian: apt-get install hyperfine ripgrep).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
words=${2:-3000}
# The generator's version is in the name: a corpus made by an older
# generator is not silently reused.
dir=${TMPDIR:-/tmp}/essaymark-corpus-v2-$n-$words
cargo build --release --quiet --bin essaymark --example gen_corpus --example rubric_regexes
[ -d "$dir" ] || target/release/examples/gen_corpus "$dir" "$n" "$words"
target/release/examples/rubric_regexes > "$dir.regexes"
target/release/examples/rubric_regexes --fixed > "$dir.fixed"
bytes=$(cat "$dir"/*.txt | wc -c)
echo "corpus: $n essays, $bytes bytes, $(nproc) cores"
hyperfine -w 1 -r 5 -N \
  "target/release/essaymark check $dir --out $dir.report.txt" \
  "rg --count-matches -i -f $dir.regexes $dir" \
  "rg --count-matches -i -F -f $dir.fixed $dir" \
  --export-json "$dir.hyperfine.json"
python3 - "$dir.hyperfine.json" "$bytes" "$n" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
size, n = int(sys.argv[2]), int(sys.argv[3])
for r in runs:
    t = r["mean"]
    print(f"{t*1000:8.1f} ms  {size/t/1e6:7.1f} MB/s  {n/t:8.0f} essays/s  {r['command']}")
print(f"essaymark / rg (same regex work): {runs[0]['mean']/runs[1]['mean']:.2f}x")
PY
/usr/bin/time -f "peak memory: %M KB" target/release/essaymark check "$dir" --out "$dir.report.txt"
