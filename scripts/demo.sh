#!/usr/bin/env bash
# Runs a short demo: two JVMs share a segment; the parent makes a value and an array, a child
# changes them, and the parent prints what it finds. Builds first if needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_built
exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$(examples_classpath)" io.shm.examples.SharedValueAndArray
