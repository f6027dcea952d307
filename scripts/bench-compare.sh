#!/usr/bin/env bash
# A regression is a ratio, not a figure from another day: build BASE (a
# commit, default the previous one) in a git worktree, build this checkout,
# and run both on the same generated corpus ALTERNATELY in one run (A B A B
# ...), with ripgrep's time beside them so an absolute figure can be read
# against the machine of the day. Prints medians, MB/s, user CPU and the
# ratio new/base for wall time and CPU.
# Usage: scripts/bench-compare.sh [BASE] [RUNS] [ESSAYS] [WORDS] [-- extra check args]
#   defaults: HEAD~1, 11 runs, 1000 essays of 3000 words.
# Needs ripgrep for the reference time (Debian: apt-get install ripgrep, or
# cargo install ripgrep; RG=/path/to/rg picks one); without it the ripgrep
# line is skipped, loudly. The reference is `rg --count-matches -i -f
# PHRASES DIR`, PHRASES the rubric's phrases one a line (rubric_regexes
# --fixed). Honours CARGO_TARGET_DIR for this checkout; the base always
# builds into its own worktree's target/.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
runs=${2:-11}
n=${3:-1000}
words=${4:-3000}
shift $(( $# < 4 ? $# : 4 ))
[ "${1:-}" = "--" ] && shift
extra=("$@")

rev=$(git rev-parse --short "$base")
wt=target/bench-base-$rev
if [ ! -x "$wt/target/release/essaymark" ]; then
  [ -d "$wt" ] || git worktree add --detach "$wt" "$rev" >/dev/null
  (cd "$wt" && CARGO_TARGET_DIR="$PWD/target" cargo build --release --quiet --bin essaymark)
fi
cargo build --release --quiet --bin essaymark --example gen_corpus --example rubric_regexes
tgt=${CARGO_TARGET_DIR:-target}
rg=${RG:-$(command -v rg || true)}

dir=${TMPDIR:-/tmp}/essaymark-corpus-v2-$n-$words
[ -d "$dir" ] || "$tgt"/release/examples/gen_corpus "$dir" "$n" "$words"
"$tgt"/release/examples/rubric_regexes --fixed > "$dir.fixed"
[ -n "$rg" ] && echo "reference: $("$rg" --version | head -1)"

RG="$rg" python3 - "$dir" "$runs" "$rev" "$wt/target/release/essaymark" "$tgt"/release/essaymark "${extra[@]}" <<'PY'
import os, statistics, subprocess, sys, time
corpus, runs, rev, old, new, *extra = sys.argv[1:]
rg = os.environ.get("RG")
runs = int(runs)
size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
cmds = {
    f"base {rev}": [old, "check", corpus, "--out", corpus + ".base.txt", *extra],
    "this checkout": [new, "check", corpus, "--out", corpus + ".new.txt", *extra],
}
if rg:
    cmds["ripgrep -f"] = [rg, "--count-matches", "-i", "-f", corpus + ".fixed", corpus]
else:
    print("NOTE: ripgrep not installed: no reference time (apt-get install ripgrep)", file=sys.stderr)

def once(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{argv[0]} exited {code}")
    return wall, ru.ru_utime + ru.ru_stime

for argv in cmds.values():  # warm-up: page cache, CPU frequency
    once(argv)
res = {k: [] for k in cmds}
for _ in range(runs):  # alternate: A B C A B C ...
    for k, argv in cmds.items():
        res[k].append(once(argv))
print(f"corpus: {len(os.listdir(corpus))} essays, {size/1e6:.1f} MB, {os.cpu_count()} cores, {runs} runs each, alternating")
med = {}
for k, r in res.items():
    w = statistics.median(x[0] for x in r)
    c = statistics.median(x[1] for x in r)
    med[k] = (w, c)
    print(f"{w*1000:8.1f} ms  {size/w/1e6:7.1f} MB/s  cpu {c:6.2f} s  {k}")
(bw, bc), (nw, nc) = med[f"base {rev}"], med["this checkout"]
print(f"ratio this/base: wall {nw/bw:.2f}x, cpu {nc/bc:.2f}x")
if "ripgrep -f" in med:
    print(f"ratio this/ripgrep: wall {nw/med['ripgrep -f'][0]:.2f}x")
PY
