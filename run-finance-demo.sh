#!/usr/bin/env bash
# Builds what the finance demo needs and runs it; arguments go to the demo:
#
#   bash run-finance-demo.sh [--dir PATH] [--seconds N] [--threads N] [--accounts N]
#
# Exit code: the demo's own (0 when every check passed, 1 when one failed, 2 for bad options).
set -euo pipefail

# A relative --dir means relative to where you ran the script, not to the repository.
args=()
expect_dir=false
for arg in "$@"; do
  if $expect_dir && [[ "$arg" != /* ]]; then
    arg="$PWD/$arg"
  fi
  expect_dir=false
  [[ "$arg" == "--dir" ]] && expect_dir=true
  args+=("$arg")
done

cd "$(dirname "$0")"

# Only the main code: the demo needs no test classes, so they are neither compiled nor run.
mvn -B -ntp -q install -Dmaven.test.skip=true -pl coffer-examples -am

# exec.args is split on spaces unless quoted: quote each argument so that a path with spaces stays one.
exec_args=""
for arg in ${args[@]+"${args[@]}"}; do
  if [[ "$arg" == *"'"* ]]; then
    exec_args+=" \"$arg\""
  else
    exec_args+=" '$arg'"
  fi
done

exec mvn -B -ntp -q -pl coffer-examples exec:java \
  -Dexec.mainClass=io.coffer.examples.FinanceDemo \
  -Dexec.args="${exec_args# }"
