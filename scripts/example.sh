#!/usr/bin/env bash
# Runs one example as separate JVM processes (building first if needed).
#   scripts/example.sh --list      lists the examples and the Python constructs they port
#   scripts/example.sh NAME        runs one
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ $# -ne 1 ]; then
    echo "usage: scripts/example.sh --list | NAME" >&2
    exit 2
fi
ensure_built
exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$(examples_classpath)" io.shm.examples.Examples "$1"
