#!/usr/bin/env bash
# Grade essays (action.yml, step `grade`): `essaymark check` with the
# action's inputs. Inputs reach the shell as environment variables, never as
# code: INPUT_PATHS, INPUT_RUBRIC, INPUT_FAIL_UNDER, INPUT_FORMAT, INPUT_ARGS.
set -euo pipefail

cmd=(essaymark check)
if [ -n "${INPUT_RUBRIC:-}" ]; then cmd+=(--rubric "$INPUT_RUBRIC"); fi
if [ -n "${INPUT_FAIL_UNDER:-}" ]; then cmd+=(--fail-under "$INPUT_FAIL_UNDER"); fi
if [ -n "${INPUT_FORMAT:-}" ]; then cmd+=(--format "$INPUT_FORMAT"); fi
# `args` split on spaces and new lines (every line, not just the first); no
# quotes, expansions or globs are interpreted.
extra=()
read -r -d '' -a extra <<< "${INPUT_ARGS:-}" || true
cmd+=(${extra[@]+"${extra[@]}"})
# Paths split on spaces and new lines; no shell glob expansion.
set -f
paths=()
mapfile -t paths < <(printf '%s\n' ${INPUT_PATHS:-} | sed '/^$/d')
set +f
cmd+=(${paths[@]+"${paths[@]}"})
# Each word quoted, so the echo is one line whatever an input holds.
printf '+'
printf ' %q' "${cmd[@]}"
printf '\n'
"${cmd[@]}"
