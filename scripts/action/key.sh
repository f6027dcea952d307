#!/usr/bin/env bash
# The cache key of the action's essaymark build (action.yml, step `key`).
#
# Environment: ACTION_PATH (the action's folder; default: two folders above
# this script), ESSAYMARK_VERSION (the `version` input), RUNNER_OS,
# RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT (where `key=` and `root=` go;
# stdout when unset). ESSAYMARK_KEY_DEBUG=1 lists the hashed files on stderr.
#
# The key hashes every file the build can read, so that a change anywhere in
# the build (the CLI in src/, the engine and its data in crates/, rubrics/,
# the manifests) gives a new key and a fresh build. The list is the action's
# files minus the top-level folders `cargo install` never reads:
#   tests/, benches/, examples/  test, bench and example targets: not built
#                                by `cargo install` (target discovery only
#                                looks at their names, and each is declared
#                                or discovered the same whatever they hold);
#   docs/                        documentation; only a unit test includes
#                                it (scoring-rules.md, through the link
#                                crates/essaymark-core/docs -> ../../docs);
#   fuzz/                        excluded from the workspace (Cargo.toml),
#                                built only by `cargo fuzz`.
# A deny list rather than an allow list: a folder added later is hashed until
# someone argues it out here.
#
# In a git checkout (`uses: ./`, or a clone) the files are the tracked and
# untracked-but-not-ignored ones (`git ls-files`), so target/ and other
# ignored output never enter the key; elsewhere (GitHub downloads a remote
# action as an archive, without .git) `find` lists them, skipping .git and
# target/. A symbolic link is hashed as its target's name (the folders the
# engine links to, crates/essaymark-core/rubrics -> ../../rubrics and
# others, are hashed where they are). tests/action.rs checks that every
# include_str!/include_bytes! outside a test module names a hashed file.
set -euo pipefail

action_path=${ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$action_path"

excluded='^(tests|benches|examples|docs|fuzz|target|\.git)(/|$)'

list_files() {
  local top
  if top=$(git rev-parse --show-toplevel 2>/dev/null) \
    && [ "$(cd "$top" && pwd -P)" = "$(pwd -P)" ]; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . \( -path ./.git -o -path ./target -o -path ./fuzz \) -prune -o \( -type f -o -type l \) -print0
  fi
}

# sha256sum (GNU) or shasum (macOS runners).
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

files=()
while IFS= read -r -d '' f; do
  f=${f#./}
  if [[ "$f" =~ $excluded ]]; then continue; fi
  # A tracked file deleted from the work tree is not read by the build.
  if [ -f "$f" ] || [ -L "$f" ]; then files+=("$f"); fi
done < <(list_files | LC_ALL=C sort -zu)

if [ "${#files[@]}" -eq 0 ]; then
  echo "::error title=essaymark::no files to build from in $action_path" >&2
  exit 1
fi
if [ -n "${ESSAYMARK_KEY_DEBUG:-}" ]; then
  printf 'hashed: %s\n' "${files[@]}" >&2
fi

version=${ESSAYMARK_VERSION:-}
hash=$({
  for f in "${files[@]}"; do
    if [ -L "$f" ]; then printf 'link %s -> %s\n' "$f" "$(readlink "$f")"; else sha256 -- "$f"; fi
  done
  # The raw input too: the sanitised form below can map two refs to one name.
  printf 'version=%s\n' "$version"
} | sha256 | cut -c1-16)
# Only [A-Za-z0-9._-] in the key; the ref is validated where it is used.
ref=$(printf '%s' "$version" | tr -c 'A-Za-z0-9._-' '_')
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}

out=${GITHUB_OUTPUT:-/dev/stdout}
{
  echo "key=essaymark-${os}-${arch}-${ref:-self}-${hash}"
  echo "root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/essaymark"
} >> "$out"
