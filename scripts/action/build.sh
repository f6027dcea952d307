#!/usr/bin/env bash
# Build essaymark into ESSAYMARK_ROOT (action.yml, step `build`, run on a
# cache miss). essaymark is not on crates.io: it is always built from its
# repository.
#
# Environment: ESSAYMARK_ROOT (cargo's --root), ESSAYMARK_VERSION (the
# `version` input), ACTION_PATH (the action's folder), ACTION_REPOSITORY
# (`github.action_repository`, owner/name; GitHub leaves it empty in some
# composite contexts), SERVER_URL (`github.server_url`), RUNNER_TEMP.
#
# `version` empty: build the action's own copy (--path ACTION_PATH).
# `version` set: it must look like a git ref (letters, digits, . _ / -, not
# starting with -). Then, in order:
#   1. the action's folder is a git checkout holding that ref: build that
#      commit from a `git archive` of it, with no network;
#   2. ACTION_REPOSITORY non-empty: cargo install --git SERVER_URL/ACTION_REPOSITORY;
#   3. the action's folder is a git checkout with an `origin` remote: that URL;
#   4. otherwise stop with an error naming the `version` input.
set -euo pipefail

fail() {
  # One line, so no part of a value can start a workflow command.
  echo "::error title=essaymark::$*" >&2
  exit 1
}

root=${ESSAYMARK_ROOT:?ESSAYMARK_ROOT is not set}
action_path=${ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
version=${ESSAYMARK_VERSION:-}

if [ -z "$version" ]; then
  exec cargo install --locked --root "$root" --path "$action_path"
fi

if ! [[ "$version" =~ ^[A-Za-z0-9._/-]+$ ]] || [[ "$version" == -* ]]; then
  fail "the \`version\` input must be a git tag, branch or commit of the action's" \
    "repository (letters, digits, '.', '_', '/' and '-', not starting with '-'), got" \
    "$(printf '%q' "$version")"
fi

# Is the action's folder the top of its own git checkout? (Not a folder
# inside some other repository, such as the workflow's.)
own_checkout() {
  local top
  top=$(git -C "$action_path" rev-parse --show-toplevel 2>/dev/null) || return 1
  [ "$(cd "$top" && pwd -P)" = "$(cd "$action_path" && pwd -P)" ]
}

if own_checkout \
  && commit=$(git -C "$action_path" rev-parse --quiet --verify "$version^{commit}" 2>/dev/null); then
  src=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/essaymark-src.XXXXXX")
  trap 'rm -rf "$src"' EXIT
  echo "essaymark: building $version ($commit) from the action's own git checkout"
  git -C "$action_path" archive --format=tar "$commit" | tar -x -C "$src"
  cargo install --locked --root "$root" --path "$src"
  exit 0
fi

repo=${ACTION_REPOSITORY:-}
if [ -n "$repo" ]; then
  if ! [[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
    fail "github.action_repository is not owner/name: $(printf '%q' "$repo")"
  fi
  url="${SERVER_URL:-https://github.com}/$repo"
elif own_checkout && url=$(git -C "$action_path" remote get-url origin 2>/dev/null) \
  && [ -n "$url" ]; then
  # cargo wants a URL; a clone of a local repository has a path as origin.
  if [[ "$url" == /* ]]; then url="file://$url"; fi
else
  fail "the \`version\` input ($version) needs the action's repository, and neither" \
    "github.action_repository nor a git remote \`origin\` of the action's folder" \
    "($action_path) names it; leave \`version\` empty to build the action's own copy," \
    "or pin the ref in \`uses:\` instead"
fi

echo "essaymark: building $version from $url"
exec cargo install --locked --root "$root" --git "$url" --rev "$version" essaymark
